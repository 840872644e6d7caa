/*
 * confchg_probe: a CPG client that stamps membership events, for timing
 * failover, partition healing and rejoin from the outside.
 *
 * Modes:
 *   (default)  join the group and print one line per callback until the
 *              daemon goes away or the process is signalled:
 *                ready  t_ns=T nodeid=N
 *                cpg    t_ns=T members=M joined=J left=L ids=n1,n2,..
 *                totem  t_ns=T members=M ring=NODEID.SEQ
 *                lost   t_ns=T
 *   -x         exit 0 as soon as cpg_initialize succeeds (daemon serves IPC)
 *   -w N       join, exit 0 once the group has N members
 *   -R S       keep retrying cpg_initialize for up to S seconds first
 *              (for a daemon that has just been started)
 *
 * Times are CLOCK_REALTIME nanoseconds: the shell that causes the events
 * stamps them with `date +%s%N`, which reads the same clock.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cpg.h>

#include "cpg_test_model.h"

struct probe {
	cpg_handle_t handle;
	struct cpg_name group;
	double timeout;
	int log;
};

static uint64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void deliver_cb(cpg_handle_t handle, const struct cpg_name *group,
		       uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	(void)handle; (void)group; (void)nodeid; (void)pid; (void)msg; (void)len;
}

static void confchg_cb(cpg_handle_t handle, const struct cpg_name *group,
		       const struct cpg_address *members, size_t n_members,
		       const struct cpg_address *left, size_t n_left,
		       const struct cpg_address *joined, size_t n_joined)
{
	struct probe *p;
	uint64_t t = real_ns();
	size_t i;

	(void)group; (void)left; (void)joined;
	if (cpg_context_get(handle, (void **)&p) != CS_OK || !p->log)
		return;
	printf("cpg t_ns=%" PRIu64 " members=%zu joined=%zu left=%zu ids=",
	       t, n_members, n_joined, n_left);
	for (i = 0; i < n_members; i++)
		printf("%s%" PRIu32, i ? "," : "", members[i].nodeid);
	printf("\n");
}

static void totem_cb(cpg_handle_t handle, struct cpg_ring_id ring_id,
		     uint32_t n_members, const uint32_t *members)
{
	struct probe *p;
	uint64_t t = real_ns();

	(void)members;
	if (cpg_context_get(handle, (void **)&p) != CS_OK || !p->log)
		return;
	printf("totem t_ns=%" PRIu64 " members=%" PRIu32 " ring=%" PRIu32 ".%" PRIu64 "\n",
	       t, n_members, ring_id.nodeid, ring_id.seq);
}

/* Waits up to wait_ms for an event and dispatches it; -1 once the daemon is
 * gone. */
static int dispatch_some(struct probe *p, int wait_ms)
{
	struct pollfd pfd = { .events = POLLIN };
	int fd, r;

	if (cpg_fd_get(p->handle, &fd) != CS_OK)
		return -1;
	pfd.fd = fd;
	r = poll(&pfd, 1, wait_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	if (r > 0 && cpg_dispatch(p->handle, CS_DISPATCH_ALL) != CS_OK)
		return -1;
	if (pfd.revents & (POLLHUP | POLLERR))
		return -1;
	return 0;
}

static int connect_daemon(struct probe *p, double retry_s)
{
	uint64_t deadline = real_ns() + (uint64_t)(retry_s * 1e9);
	cs_error_t err;

	for (;;) {
		err = test_model_v1(&p->handle, deliver_cb, confchg_cb,
				    totem_cb, p);
		if (err == CS_OK)
			return 0;
		if (real_ns() >= deadline)
			return -1;
		usleep(10000);
	}
}

static int join_group(struct probe *p)
{
	uint64_t deadline = real_ns() + (uint64_t)(p->timeout * 1e9);
	cs_error_t err;

	while ((err = cpg_join(p->handle, &p->group)) == CS_ERR_TRY_AGAIN &&
	       real_ns() < deadline)
		usleep(1000);
	if (err != CS_OK) {
		fprintf(stderr, "confchg_probe: cpg_join: error %d\n", err);
		return -1;
	}
	return 0;
}

static int wait_members(struct probe *p, int want)
{
	struct cpg_address members[CPG_MEMBERS_MAX];
	uint64_t deadline = real_ns() + (uint64_t)(p->timeout * 1e9);
	int n;

	for (;;) {
		n = CPG_MEMBERS_MAX;
		if (cpg_membership_get(p->handle, &p->group, members, &n) == CS_OK &&
		    n >= want)
			return 0;
		if (real_ns() > deadline || dispatch_some(p, 10) < 0)
			return -1;
	}
}

static int log_events(struct probe *p)
{
	uint64_t deadline = real_ns() + (uint64_t)(p->timeout * 1e9);
	unsigned int nodeid = 0;

	if (cpg_local_get(p->handle, &nodeid) != CS_OK)
		nodeid = 0;
	printf("ready t_ns=%" PRIu64 " nodeid=%u\n", real_ns(), nodeid);
	while (real_ns() < deadline) {
		if (dispatch_some(p, 200) < 0) {
			printf("lost t_ns=%" PRIu64 "\n", real_ns());
			return 0;
		}
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: confchg_probe [-g group] [-x | -w members] [-R retry-s] [-t timeout-s]\n"
		"  (default) join and print every configuration change, stamped\n"
		"  -x    exit 0 once the daemon serves IPC\n"
		"  -w N  exit 0 once the group has N members\n");
}

int main(int argc, char **argv)
{
	static struct probe p;
	const char *gname = "confchg_probe";
	double retry_s = 0;
	int opt, check_only = 0, want = 0, rc;

	p.timeout = 3600;
	while ((opt = getopt(argc, argv, "g:xw:R:t:h")) != -1) {
		switch (opt) {
		case 'g': gname = optarg; break;
		case 'x': check_only = 1; break;
		case 'w': want = atoi(optarg); break;
		case 'R': retry_s = atof(optarg); break;
		case 't': p.timeout = atof(optarg); break;
		default: usage(); return 2;
		}
	}
	if (strlen(gname) >= CPG_MAX_NAME_LENGTH || want < 0 || p.timeout <= 0) {
		usage();
		return 2;
	}
	/* One line per event, visible to the shell as soon as it happens. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	p.group.length = (uint32_t)strlen(gname);
	memcpy(p.group.value, gname, p.group.length);
	p.log = !check_only && !want;
	if (connect_daemon(&p, retry_s) < 0)
		return 1;
	if (check_only) {
		cpg_finalize(p.handle);
		return 0;
	}
	rc = join_group(&p);
	if (rc == 0)
		rc = want ? wait_members(&p, want) : log_events(&p);
	cpg_finalize(p.handle);
	return rc < 0 ? 1 : 0;
}
