/*
 * evs_histclient: an EVS client that writes its history for the checker
 * (tests/sim/HISTORY.md), so that EVS over real daemons is judged by the
 * same checker as CPG and the simulator.
 *
 *   evs_histclient -n NODEID -i INC -o FILE [-j GROUPS] [-c COUNT]
 *                  [-s SIZE] [-S] [-G GOFILE] [-q QUIET_MS] [-p]
 *   evs_histclient -T
 *
 * It joins GROUPS (comma separated names; default "a,b,c"), waits until
 * GOFILE exists (if given), then sends COUNT messages of SIZE bytes, each
 * carrying its msgid "<node>.<inc>.<counter>", message k to the k-th of
 * the sets {a} {a,b} {b,c} {c} in turn (so groups overlap), as fast as
 * flow control allows; it keeps receiving until no delivery came for
 * QUIET_MS, or until SIGTERM.  Every EVS configuration change becomes a
 * `conf trans` (the old members less the left ones) and a `conf reg`, and
 * a comment "# evsconf ring=R:S members=... left=... joined=...".
 * With -p it only receives (no start, send or conf lines): it writes
 * "# deliver MSGID" lines, for a member of some of the groups.
 * If the daemon goes away it writes `crash` and exits 3.  At the end it
 * writes "# try_again N": how often flow control refused a message.
 * -T prints the CLOCK_MONOTONIC time in microseconds (the history clock).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <corosync/evs.h>

#define MAX_NODES 64

struct hc {
	evs_handle_t h;
	FILE *out;
	unsigned nodeid, inc;
	int passive;
	const char *guarantee;
	uint64_t last_delivery_us;
	unsigned members[MAX_NODES];
	size_t n_members;
	int have_conf;
	char *buf;			/* the message being sent */
};

static struct hc c;
static volatile sig_atomic_t stop_requested;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void on_deliver(hdb_handle_t h, unsigned int nodeid, const void *msg,
		       size_t len)
{
	size_t idlen = strnlen(msg, len < 64 ? len : 64);

	(void)h; (void)nodeid;
	c.last_delivery_us = now_us();
	if (c.passive)
		fprintf(c.out, "# deliver %.*s\n", (int)idlen,
			(const char *)msg);
	else
		fprintf(c.out, "%" PRIu64 " %u deliver %.*s %s\n",
			c.last_delivery_us, c.nodeid, (int)idlen,
			(const char *)msg, c.guarantee);
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

static int in(const unsigned *l, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (l[i] == v)
			return 1;
	return 0;
}

static void print_list(const char *label, const unsigned *l, size_t n)
{
	fprintf(c.out, " %s=", label);
	for (size_t i = 0; i < n; i++)
		fprintf(c.out, "%s%u", i ? "," : "", l[i]);
}

static void on_confchg(hdb_handle_t h, const unsigned int *m, size_t nm,
		       const unsigned int *l, size_t nl,
		       const unsigned int *j, size_t nj,
		       const struct evs_ring_id *ring)
{
	unsigned sorted[MAX_NODES];
	int first = 1;

	(void)h;
	if (nm > MAX_NODES)
		nm = MAX_NODES;
	memcpy(sorted, m, nm * sizeof(*m));
	qsort(sorted, nm, sizeof(*sorted), cmp_uint);
	fprintf(c.out, "# evsconf ring=%u:%llu", ring->nodeid, ring->seq);
	print_list("members", sorted, nm);
	print_list("left", l, nl);
	print_list("joined", j, nj);
	fputc('\n', c.out);
	if (c.passive)
		return;
	/* the transitional configuration: who came along from the old one
	 * (no message is delivered between the two) */
	if (c.have_conf) {
		fprintf(c.out, "%" PRIu64 " %u conf trans %u:%llu ", now_us(),
			c.nodeid, ring->nodeid, ring->seq);
		for (size_t i = 0; i < nm; i++)
			if (in(c.members, c.n_members, sorted[i]) &&
			    !in(l, nl, sorted[i])) {
				fprintf(c.out, "%s%u", first ? "" : ",",
					sorted[i]);
				first = 0;
			}
		fputc('\n', c.out);
	}
	fprintf(c.out, "%" PRIu64 " %u conf reg %u:%llu ", now_us(), c.nodeid,
		ring->nodeid, ring->seq);
	for (size_t i = 0; i < nm; i++)
		fprintf(c.out, "%s%u", i ? "," : "", sorted[i]);
	fputc('\n', c.out);
	memcpy(c.members, sorted, nm * sizeof(*sorted));
	c.n_members = nm;
	c.have_conf = 1;
}

static void on_term(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int pump(int wait_ms)
{
	struct pollfd p = { .events = POLLIN };
	int fd;

	if (evs_fd_get(c.h, &fd) != CS_OK)
		return -1;
	p.fd = fd;
	if (poll(&p, 1, wait_ms) < 0)
		return errno == EINTR ? 0 : -1;
	if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
		return -1;
	if ((p.revents & POLLIN) &&
	    evs_dispatch(c.h, CS_DISPATCH_ALL) != CS_OK)
		return -1;
	return 0;
}

static int lost(void)
{
	if (!c.passive)
		fprintf(c.out, "%" PRIu64 " %u crash\n", now_us(), c.nodeid);
	fclose(c.out);
	free(c.buf);
	/* the handle still holds the dead daemon's shared memory: libqb
	 * removes those files when the connection is closed */
	evs_finalize(c.h);
	return 3;
}

static struct evs_group group(const char *name, size_t len)
{
	struct evs_group g;

	memset(&g, 0, sizeof(g));
	memcpy(g.key, name, len < sizeof(g.key) ? len : sizeof(g.key));
	return g;
}

int main(int argc, char **argv)
{
	static const char *const sets[4][2] = {
		{ "a", NULL }, { "a", "b" }, { "b", "c" }, { "c", NULL } };
	evs_callbacks_t cb = { on_deliver, on_confchg };
	evs_guarantee_t gt = EVS_TYPE_AGREED;
	const char *path = NULL, *joins = "a,b,c", *gofile = NULL, *p;
	unsigned long count = 0, size = 64, quiet_ms = 3000, sent = 0;
	unsigned long try_again = 0;
	struct evs_group gs[32];
	size_t n = 0;
	char *buf;
	int opt;

	c.guarantee = "agreed";
	while ((opt = getopt(argc, argv, "n:i:o:j:c:s:SG:q:pT")) != -1) {
		switch (opt) {
		case 'n': c.nodeid = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'i': c.inc = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'o': path = optarg; break;
		case 'j': joins = optarg; break;
		case 'c': count = strtoul(optarg, NULL, 0); break;
		case 's': size = strtoul(optarg, NULL, 0); break;
		case 'S': gt = EVS_TYPE_SAFE; c.guarantee = "safe"; break;
		case 'G': gofile = optarg; break;
		case 'q': quiet_ms = strtoul(optarg, NULL, 0); break;
		case 'p': c.passive = 1; break;
		case 'T': printf("%" PRIu64 "\n", now_us()); return 0;
		default: return 1;
		}
	}
	if (!c.nodeid || !c.inc || !path || size < 32) {
		fprintf(stderr, "usage: evs_histclient -n NODEID -i INC -o FILE [...]\n");
		return 1;
	}
	c.out = fopen(path, "a");
	buf = c.buf = calloc(1, size);
	if (!c.out || !buf)
		return 1;
	setvbuf(c.out, NULL, _IOLBF, 0);
	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	if (!c.passive)
		fprintf(c.out, "%" PRIu64 " %u start %u\n", now_us(), c.nodeid,
			c.inc);
	if (evs_initialize(&c.h, &cb) != CS_OK)
		return lost();
	for (p = joins; *p && n < 32; ) {
		size_t len = strcspn(p, ",");

		gs[n++] = group(p, len);
		p += len + (p[len] == ',');
	}
	if (evs_join(c.h, gs, n) != CS_OK)
		return lost();
	fprintf(c.out, "# joined %s\n", joins);
	while (gofile && access(gofile, F_OK) != 0 && !stop_requested)
		if (pump(20) < 0)
			return lost();
	c.last_delivery_us = now_us();
	while (!stop_requested) {
		uint64_t t = now_us();

		if (sent < count) {
			const char *const *set = sets[sent % 4];
			struct evs_group tg[2];
			size_t tn = set[1] ? 2 : 1;
			struct iovec iov = { buf, size };
			cs_error_t e;

			tg[0] = group(set[0], 1);
			if (set[1])
				tg[1] = group(set[1], 1);
			snprintf(buf, size, "%u.%u.%lu", c.nodeid, c.inc,
				 sent + 1);
			e = evs_mcast_groups(c.h, gt, tg, tn, &iov, 1);
			if (e == CS_OK) {
				sent++;
				fprintf(c.out, "%" PRIu64 " %u send %s %s\n", t,
					c.nodeid, buf, c.guarantee);
			} else if (e == CS_ERR_TRY_AGAIN) {
				try_again++;
			} else {
				return lost();
			}
		}
		if (sent >= count && t - c.last_delivery_us > quiet_ms * 1000u)
			break;
		if (pump(sent < count ? 0 : 50) < 0)
			return lost();
	}
	fprintf(c.out, "# try_again %lu\n", try_again);
	evs_finalize(c.h);
	fclose(c.out);
	free(buf);
	return 0;
}
