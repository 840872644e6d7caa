/*
 * A CPG group member for cpgd-tool's tests: joins GROUP through the
 * system's libcpg, prints "joined PID" once its own join came back in a
 * configuration change, then stays a member until SIGTERM or until the
 * daemon goes away; then, unless it was told to stop, it prints "closed"
 * (the service tests look for it when cpgd stops).
 *
 *   tool_member GROUP
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <corosync/cpg.h>

static volatile sig_atomic_t stop;
static int joined;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
		       const struct cpg_address *members, size_t n_members,
		       const struct cpg_address *left, size_t n_left,
		       const struct cpg_address *joined_list, size_t n_joined)
{
	size_t i;

	(void)h; (void)g; (void)members; (void)n_members;
	(void)left; (void)n_left;
	for (i = 0; i < n_joined; i++)
		if (joined_list[i].pid == (uint32_t)getpid())
			joined = 1;
}

int main(int argc, char **argv)
{
	cpg_callbacks_t cb;
	struct cpg_name name;
	cpg_handle_t h;
	struct pollfd pfd;
	int fd, announced = 0;
	size_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: tool_member GROUP\n");
		return 2;
	}
	len = strlen(argv[1]);
	if (len > CPG_MAX_NAME_LENGTH) {
		fprintf(stderr, "tool_member: group name too long\n");
		return 2;
	}
	signal(SIGTERM, on_term);
	memset(&cb, 0, sizeof(cb));
	cb.cpg_confchg_fn = on_confchg;
	if (cpg_initialize(&h, &cb) != CS_OK) {
		fprintf(stderr, "tool_member: cpg_initialize failed\n");
		return 1;
	}
	memset(&name, 0, sizeof(name));
	memcpy(name.value, argv[1], len);
	name.length = (uint32_t)len;
	if (cpg_join(h, &name) != CS_OK || cpg_fd_get(h, &fd) != CS_OK) {
		fprintf(stderr, "tool_member: cannot join %s\n", argv[1]);
		return 1;
	}
	while (!stop) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 200) < 0)
			continue;
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
			break;
		if ((pfd.revents & POLLIN) &&
		    cpg_dispatch(h, CS_DISPATCH_ALL) != CS_OK)
			break;
		if (joined && !announced) {
			printf("joined %ld\n", (long)getpid());
			fflush(stdout);
			announced = 1;
		}
	}
	if (!stop) {
		printf("closed\n");
		fflush(stdout);
	}
	cpg_finalize(h);
	return 0;
}
