/*
 * Stands in for systemd's side of sd_notify(3) in the service tests: binds
 * a datagram socket at PATH (the test sets NOTIFY_SOCKET=PATH for cpgd)
 * and writes one line per datagram to OUT:
 *
 *   pid=<sender's pid> <the datagram's lines joined by spaces>
 *
 * The sender's pid comes from the kernel (SO_PASSCRED), not from the
 * message.  With -S, the sender is stopped (SIGSTOP) as soon as a datagram
 * holding READY=1 arrives, before the line is written, so the test can look
 * at what the daemon had done at that moment; the test continues it.
 *
 *   notify_listen [-S] PATH OUT
 *
 * Runs until killed.  Exit 1 when the socket cannot be made.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int has_ready(const char *msg)
{
	const char *p = msg;

	/* READY=1 as a whole line of the message */
	while ((p = strstr(p, "READY=1")) != NULL) {
		if ((p == msg || p[-1] == '\n') && (p[7] == '\0' || p[7] == '\n'))
			return 1;
		p++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa;
	char buf[4096];
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	int fd, on = 1, stop_on_ready = 0, argi = 1;
	FILE *out;

	if (argc > 1 && strcmp(argv[1], "-S") == 0) {
		stop_on_ready = 1;
		argi++;
	}
	if (argc - argi != 2) {
		fprintf(stderr, "usage: notify_listen [-S] PATH OUT\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(argv[argi]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "notify_listen: path too long\n");
		return 1;
	}
	strcpy(sa.sun_path, argv[argi]);
	out = fopen(argv[argi + 1], "a");
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!out || fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("notify_listen");
		return 1;
	}
	for (;;) {
		struct iovec iov = { buf, sizeof(buf) - 1 };
		struct msghdr mh;
		struct cmsghdr *c;
		pid_t pid = 0;
		ssize_t n;
		char *p;

		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.space;
		mh.msg_controllen = sizeof(ctl.space);
		n = recvmsg(fd, &mh, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("notify_listen: recvmsg");
			return 1;
		}
		buf[n] = '\0';
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_CREDENTIALS) {
				struct ucred uc;

				memcpy(&uc, CMSG_DATA(c), sizeof(uc));
				pid = uc.pid;
			}
		}
		if (stop_on_ready && pid > 0 && has_ready(buf))
			kill(pid, SIGSTOP);
		for (p = buf; *p; p++)
			if (*p == '\n')
				*p = ' ';
		fprintf(out, "pid=%ld %s\n", (long)pid, buf);
		fflush(out);
	}
}
