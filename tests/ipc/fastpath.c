/*
 * Proves the fast path (doc/fastpath.md) delivers what the standard path
 * delivers: a scripted run whose transcript must be the same with the fast
 * path on and with CPG_FASTPATH=off (tests/ipc/fastpath.sh).
 *
 *   cpg_fastpath script GROUP   run the script; the transcript on stdout,
 *                               one "stats ..." line on stderr
 *   cpg_fastpath raw            send announcements, good and malformed,
 *                               over raw libqb IPC; one line per answer
 *
 * The script: R joins; a child process S joins, sends messages of many
 * sizes (fragmented ones too) in one burst and waits for its own last one;
 * only then R takes everything with poll() and CS_DISPATCH_ONE, so that a
 * batch's remainder is kept between calls and, for the last batch, only
 * the kept-items signal can make the fd readable.  Then S leaves, and
 * error codes of a few calls.
 * The transcript names handles, not pids, and carries a checksum of every
 * payload.
 *
 * This file also wraps libqb's qb_ipcc_event_recv() (the library calls it
 * through the PLT) to count the events and batches that really came.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <qb/qbipcc.h>
#include <corosync/cpg.h>

#include "cpg_test_model.h"

#define EV_BATCH 0x43504701u
#define REQ_HELLO 0x43504700u
#define N_MSGS 3000
#define POLL_MS 10000

static unsigned long n_events, n_batches, n_items;

ssize_t qb_ipcc_event_recv(qb_ipcc_connection_t *c, void *buf, size_t len,
	int32_t ms)
{
	static ssize_t (*real)(qb_ipcc_connection_t *, void *, size_t,
		int32_t);
	ssize_t n;
	uint32_t id, count;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "qb_ipcc_event_recv");
	n = real(c, buf, len, ms);
	if (n >= 32) {
		n_events++;
		memcpy(&id, buf, 4);
		if (id == EV_BATCH) {
			memcpy(&count, (char *)buf + 24, 4);
			n_batches++;
			n_items += count;
		}
	} else if (n > 0) {
		n_events++;
	}
	return n;
}

static cpg_handle_t h_r, h_s;
static unsigned long r_deliveries, s_own;
static uint32_t my_pid;
static int r_saw_leave, s_left;

static const char *who(cpg_handle_t h)
{
	return h == h_r && (uint32_t)getpid() == my_pid ? "R" : "S";
}

/* R's pid and the sender's, by role: they differ between runs */
static const char *pid_name(uint32_t pid)
{
	return pid == my_pid ? "R" : "S";
}

static uint32_t sum(const uint8_t *p, size_t n)
{
	uint32_t s = 2166136261u;	/* FNV-1a */

	while (n--)
		s = (s ^ *p++) * 16777619u;
	return s;
}

static void on_deliver(cpg_handle_t h, const struct cpg_name *g,
	uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	printf("%s deliver %.*s node %u %s len %zu sum %08x\n", who(h),
		(int)g->length, g->value, nodeid, pid_name(pid), len,
		sum(msg, len));
	if (h == h_r)
		r_deliveries++;
	else
		s_own++;
}

static void print_list(const char *what, const struct cpg_address *a,
	size_t n)
{
	size_t i;

	printf(" %s", what);
	for (i = 0; i < n; i++)
		printf(" %u/%s/%u", a[i].nodeid, pid_name(a[i].pid),
			a[i].reason);
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
	const struct cpg_address *m, size_t nm, const struct cpg_address *l,
	size_t nl, const struct cpg_address *j, size_t nj)
{
	printf("%s confchg %.*s", who(h), (int)g->length, g->value);
	print_list("members", m, nm);
	print_list("left", l, nl);
	print_list("joined", j, nj);
	printf("\n");
	if (nl == 1 && l[0].reason == CPG_REASON_LEAVE) {
		if (h == h_r)
			r_saw_leave = 1;
		else
			s_left = 1;
	}
}

static void on_totem(cpg_handle_t h, struct cpg_ring_id ring,
	uint32_t n, const uint32_t *nodes)
{
	uint32_t i;

	printf("%s totem ring %u members", who(h), ring.nodeid);
	for (i = 0; i < n; i++)
		printf(" %u", nodes[i]);
	printf("\n");
}

static size_t msg_size(int i)
{
	/* mostly small, some medium, one beyond one IPC buffer
	 * (fragmented); about 5 MB in all, under the daemon's high mark of
	 * undelivered events, as R reads nothing until the end */
	if (i == 1999)
		return (3u << 20) / 2;
	if (i % 200 == 57)
		return 100000 + (size_t)i;
	if (i % 20 == 3)
		return 5000 + (size_t)i;
	return (size_t)(i % 300);
}

static int fail(const char *what, cs_error_t rc)
{
	fprintf(stderr, "cpg_fastpath: %s: error %d\n", what, (int)rc);
	return 1;
}

/* Send, retrying CS_ERR_TRY_AGAIN while taking S's own deliveries. */
static cs_error_t send_one(uint8_t *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	cs_error_t rc;

	while ((rc = cpg_mcast_joined(h_s, CPG_TYPE_AGREED, &iov, 1)) ==
	    CS_ERR_TRY_AGAIN) {
		cpg_dispatch(h_s, CS_DISPATCH_ALL);
		usleep(1000);
	}
	return rc;
}

/* Poll the handle's fd; 1 when readable within ms. */
static int readable(cpg_handle_t h, int ms)
{
	struct pollfd p = { .events = POLLIN };

	if (cpg_fd_get(h, &p.fd) != CS_OK)
		return -1;
	return poll(&p, 1, ms) > 0 && (p.revents & POLLIN);
}

static const char *fd_kind(cpg_handle_t h)
{
	static char link[128];
	char path[64];
	int fd;
	ssize_t n;

	if (cpg_fd_get(h, &fd) != CS_OK)
		return "none";
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return "unknown";
	link[n] = '\0';
	return strstr(link, "eventpoll") ? "epoll" : "socket";
}

static int init(cpg_handle_t *h, const char *what)
{
	cs_error_t rc = test_model_v1(h, on_deliver, on_confchg, on_totem,
		NULL);

	return rc == CS_OK ? 0 : fail(what, rc);
}

/* The sender, a process of its own (one pid joins a group once). */
static int to_r = -1, from_r = -1;

static int sender(const struct cpg_name *g)
{
	static uint8_t buf[3u << 20];
	char go;
	cs_error_t rc = CS_ERR_TIMEOUT;
	int i;

	if (init(&h_s, "initialize S"))
		return 1;
	if ((rc = cpg_join(h_s, g)) != CS_OK)
		return fail("join S", rc);
	printf("join again: %d\n", (int)cpg_join(h_s, g));
	for (i = 0; i < N_MSGS; i++) {
		size_t len = msg_size(i);
		size_t k;

		for (k = 0; k < len; k++)
			buf[k] = (uint8_t)(i * 7 + k * 13);
		if ((rc = send_one(buf, len)) != CS_OK)
			return fail("mcast", rc);
	}
	memcpy(buf, "end", 3);
	if ((rc = send_one(buf, 3)) != CS_OK)
		return fail("mcast end", rc);
	/* S waits for its own last message, then leaves */
	while (s_own < N_MSGS + 1)
		if (readable(h_s, POLL_MS) != 1 ||
		    (rc = cpg_dispatch(h_s, CS_DISPATCH_ALL)) != CS_OK)
			return fail("dispatch S", rc);
	/* stay joined until R has taken everything: R's last event is
	 * then the batch with the last messages, not a later confchg */
	fflush(stdout);
	if (write(to_r, "s", 1) != 1 || read(from_r, &go, 1) != 1)
		return fail("sync", CS_ERR_LIBRARY);
	printf("leave S: %d\n", (int)cpg_leave(h_s, g));
	while (!s_left)
		if (readable(h_s, POLL_MS) != 1 ||
		    (rc = cpg_dispatch(h_s, CS_DISPATCH_ALL)) != CS_OK)
			return fail("dispatch S", rc);
	cpg_finalize(h_s);
	return 0;
}

static int script(const char *group_name)
{
	struct cpg_name g;
	static uint8_t buf[16];
	struct iovec iov;
	unsigned long ones = 0, kept_seen = 0;
	cs_error_t rc;
	pid_t child;
	int status, up[2], down[2];
	char go;

	my_pid = (uint32_t)getpid();
	g.length = (uint32_t)strlen(group_name);
	memcpy(g.value, group_name, g.length);
	if (init(&h_r, "initialize R"))
		return 1;
	if ((rc = cpg_join(h_r, &g)) != CS_OK)
		return fail("join R", rc);
	if (pipe(up) < 0 || pipe(down) < 0)
		return fail("pipe", CS_ERR_LIBRARY);
	fflush(stdout);
	child = fork();
	if (child < 0)
		return fail("fork", CS_ERR_LIBRARY);
	if (child == 0) {
		close(up[0]);
		close(down[1]);
		to_r = up[1];
		from_r = down[0];
		status = sender(&g);
		fflush(stdout);
		_exit(status);
	}
	/* a sender that fails closes the pipe: EOF here */
	close(up[1]);
	close(down[0]);
	if (read(up[0], &go, 1) != 1) {
		fprintf(stderr, "cpg_fastpath: the sender failed\n");
		return 1;
	}

	/* R: everything waits; one callback per call, from poll, up to
	 * the last message */
	while (r_deliveries < N_MSGS + 1) {
		if (readable(h_r, POLL_MS) != 1) {
			fprintf(stderr, "cpg_fastpath: R's fd not readable "
				"after %lu deliveries\n", r_deliveries);
			return 1;
		}
		if ((rc = cpg_dispatch(h_r, CS_DISPATCH_ONE)) != CS_OK)
			return fail("dispatch R", rc);
		ones++;
		if (n_items > 0 && readable(h_r, 0) == 1)
			kept_seen++;
	}
	printf("R took %lu deliveries\n", r_deliveries);
	fflush(stdout);
	/* now the sender leaves */
	if (write(down[1], "r", 1) != 1 || waitpid(child, &status, 0) != child ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "cpg_fastpath: the sender failed\n");
		return 1;
	}
	while (!r_saw_leave) {
		if (readable(h_r, POLL_MS) != 1 ||
		    (rc = cpg_dispatch(h_r, CS_DISPATCH_ONE)) != CS_OK) {
			fprintf(stderr, "cpg_fastpath: no leave seen by R\n");
			return 1;
		}
	}
	/* nothing left: the fd must not stay readable */
	if (readable(h_r, 200) != 0) {
		rc = cpg_dispatch(h_r, CS_DISPATCH_ONE_NONBLOCKING);
		fprintf(stderr, "cpg_fastpath: R's fd readable with nothing "
			"left (dispatch says %d)\n", (int)rc);
		return 1;
	}
	printf("dispatch empty: %d\n",
		(int)cpg_dispatch(h_r, CS_DISPATCH_ONE_NONBLOCKING));

	/* error codes on the same connection */
	printf("leave R: %d\n", (int)cpg_leave(h_r, &g));
	printf("leave R again: %d\n", (int)cpg_leave(h_r, &g));
	while (readable(h_r, 500) == 1)
		cpg_dispatch(h_r, CS_DISPATCH_ONE);
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	printf("mcast unjoined: %d\n",
		(int)cpg_mcast_joined(h_r, CPG_TYPE_AGREED, &iov, 1));
	fprintf(stderr, "stats fd %s events %lu batches %lu items %lu "
		"ones %lu kept_readable %lu\n", fd_kind(h_r), n_events,
		n_batches, n_items, ones, kept_seen);
	cpg_finalize(h_r);
	return 0;
}

/* --- raw announcements */

static void raw_one(qb_ipcc_connection_t *c, const char *what, uint32_t id,
	uint32_t size, size_t len, uint32_t version, uint32_t flags)
{
	uint8_t req[64], res[64];
	struct iovec iov = { .iov_base = req, .iov_len = len };
	uint32_t rid, rsize, rerr, rver = 0;
	ssize_t n;

	memset(req, 0, sizeof(req));
	memcpy(req, &id, 4);
	memcpy(req + 8, &size, 4);
	if (len >= 24) {
		memcpy(req + 16, &version, 4);
		memcpy(req + 20, &flags, 4);
	}
	n = qb_ipcc_sendv_recv(c, &iov, 1, res, sizeof(res), 3000);
	if (n < 24) {
		printf("%s: %s\n", what, n < 0 ? "no answer" : "short answer");
		return;
	}
	memcpy(&rid, res, 4);
	memcpy(&rsize, res + 8, 4);
	memcpy(&rerr, res + 16, 4);
	if (n >= 28)
		memcpy(&rver, res + 24, 4);
	printf("%s: res %#x size %u error %u", what, rid, rsize, rerr);
	if (n >= 28)
		printf(" word24 %u", rver);
	printf("\n");
}

static int raw(void)
{
	qb_ipcc_connection_t *c = qb_ipcc_connect("cpg", 8192 * 128);

	if (!c) {
		perror("cpg_fastpath: connect");
		return 2;
	}
	raw_one(c, "short", REQ_HELLO, 16, 16, 0, 0);
	raw_one(c, "long", REQ_HELLO, 32, 32, 1, 0);
	raw_one(c, "version 0", REQ_HELLO, 24, 24, 0, 0);
	raw_one(c, "flags", REQ_HELLO, 24, 24, 1, 1);
	raw_one(c, "hello", REQ_HELLO, 24, 24, 7, 0);
	raw_one(c, "again", REQ_HELLO, 24, 24, 1, 0);
	/* the connection still serves: LOCAL_GET */
	raw_one(c, "local_get", 4, 16, 16, 0, 0);
	qb_ipcc_disconnect(c);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "script") == 0)
		return script(argv[2]);
	if (argc == 2 && strcmp(argv[1], "raw") == 0)
		return raw();
	fprintf(stderr, "usage: %s script GROUP | raw\n", argv[0]);
	return 64;
}
