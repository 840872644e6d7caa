/*
 * cpg_histclient: a CPG client that writes its history for the checker
 * (tests/sim/HISTORY.md) while it sends and receives, so that real daemons
 * are judged by the same checker as the simulator.
 *
 *   cpg_histclient -n NODEID -i INCARNATION -o FILE [-g GROUP] [-c COUNT]
 *                  [-r RATE] [-s SIZE] [-S] [-w MEMBERS] [-q QUIET_MS] [-L]
 *                  [-l DAEMON_LOG]
 *   cpg_histclient -T
 *
 * It joins GROUP as a model-v1 client with the initial totem configuration,
 * waits (with -w) until the group has MEMBERS members, sends COUNT messages
 * at RATE a second (0: as fast as flow control allows), each carrying its
 * msgid "<node>.<incarnation>.<counter>" padded to SIZE bytes, then keeps
 * receiving until it has seen no delivery for QUIET_MS, or until SIGTERM.
 * SIGUSR1 ends the sending early: it then exits once it has seen no
 * delivery for 2 s (so that a test can end every client after all it was
 * sent, as the checker's safe-delivery rule demands of clients that do not
 * crash).
 * Every totem configuration becomes a `conf reg` line and every CPG
 * configuration change a `# confchg` comment line (read by the cluster tests:
 * "# confchg <group> members=n:p,... left=n:p:reason,... joined=..."). If the
 * daemon goes away the client writes `crash` and exits 3.  Every change of
 * cpg_flow_control_state_get() seen after a dispatch becomes a comment
 * line "# flow <t_us> enabled|disabled" (the state starts disabled).
 * It ends with cpg_finalize; with -L it first leaves the group and waits
 * (up to 5 s) for the confchg of its own leave.
 * With -l, a ring change is logged as a `conf trans` followed by the
 * `conf reg`: the transitional configuration is the one the daemon
 * installed, read from its log line "transitional configuration REP.SEQ
 * with N members: LIST" (daemon/order/order_totem.c), which the daemon
 * writes before it tells its clients of the new ring.  When that line
 * cannot be found within 5 s the client writes a `#` comment instead and
 * no `conf trans`, so the checker fails the history (a regular
 * configuration right after another).  Without -l no `conf trans` is
 * written (check with --regular-only).  -T prints the CLOCK_MONOTONIC time
 * in microseconds, the clock of the history, for a test's `end` line.
 *
 * Exit: 0 after a clean run; 1 on a usage or API error; 3 daemon lost.
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

#include <corosync/cpg.h>

#include "cpg_test_model.h"

struct hc {
	cpg_handle_t h;
	FILE *out;
	unsigned nodeid;
	unsigned inc;
	const char *guarantee;
	uint64_t delivered;
	uint64_t last_delivery_us;
	struct cpg_ring_id last_ring;	/* the last one logged */
	uint32_t ring_members[CPG_MEMBERS_MAX];	/* of last_ring, ascending */
	uint32_t n_ring_members;	/* 0: no ring logged yet */
	int left;		/* the confchg of our own leave was seen */
	int flow;		/* the flow-control state last logged */
	const char *log_path;	/* the daemon's log (-l), or NULL */
	long log_off;		/* how far it has been read */
	char *buf;		/* the send buffer, freed on every way out */
};

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t stop_sending;	/* SIGUSR1 */

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void on_deliver(cpg_handle_t h, const struct cpg_name *g, uint32_t nodeid,
		       uint32_t pid, void *msg, size_t len)
{
	struct hc *c = test_ctx(h);
	const char *m = msg;
	size_t n = strnlen(m, len);

	c->delivered++;
	c->last_delivery_us = now_us();
	fprintf(c->out, "%" PRIu64 " %u deliver %.*s %s\n", c->last_delivery_us,
		c->nodeid, (int)n, m, c->guarantee);
}

/* Parse "LIST" of a configuration log line (ascending node ids, comma
 * separated, N of them); 0 when it is exactly that. */
static int parse_members(const char *p, uint32_t n, uint32_t *out)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		char *end;
		unsigned long v;

		if (*p < '0' || *p > '9')
			return -1;
		v = strtoul(p, &end, 10);
		if (v == 0 || v >= UINT32_MAX || (i && v <= out[i - 1]))
			return -1;
		out[i] = (uint32_t)v;
		p = end;
		if (i + 1 < n && *p++ != ',')
			return -1;
	}
	return *p == '\n' || *p == '\0' ? 0 : -1;
}

/* Read the daemon's log from where the last call stopped, up to the
 * transitional configuration of ring; its members in out.  The daemon logs
 * it before it tells its clients of the ring, so it is there already; a
 * few seconds of grace for a loaded machine, then -1. */
static int daemon_trans(struct hc *c, struct cpg_ring_id ring, uint32_t *out,
			uint32_t *n_out)
{
	uint64_t until = now_us() + 5000000u;
	char line[1024];

	for (;;) {
		FILE *f = fopen(c->log_path, "r");

		if (f) {
			fseek(f, 0, SEEK_END);
			if (ftell(f) < c->log_off)	/* a new log */
				c->log_off = 0;
			fseek(f, c->log_off, SEEK_SET);
			while (fgets(line, sizeof(line), f)) {
				const char *p = strstr(line, "transitional configuration ");
				unsigned rep, n;
				uint64_t seq;
				int used = 0;

				if (!strchr(line, '\n'))
					break;	/* not written whole yet */
				c->log_off = ftell(f);
				if (!p || sscanf(p, "transitional configuration %u.%" SCNu64
						 " with %u members: %n", &rep, &seq, &n,
						 &used) != 3 || !used)
					continue;
				if (rep != ring.nodeid || seq != ring.seq)
					continue;	/* a ring before we joined */
				fclose(f);
				if (n > CPG_MEMBERS_MAX || parse_members(p + used, n, out))
					return -1;
				*n_out = n;
				return 0;
			}
			fclose(f);
		}
		if (now_us() > until)
			return -1;
		usleep(10000);
	}
}

static void print_addrs(FILE *f, const char *label, const struct cpg_address *a,
			size_t n, int with_reason)
{
	size_t i;

	fprintf(f, " %s=", label);
	for (i = 0; i < n; i++) {
		if (with_reason)
			fprintf(f, "%s%u:%u:%u", i ? "," : "", a[i].nodeid, a[i].pid,
				a[i].reason);
		else
			fprintf(f, "%s%u:%u", i ? "," : "", a[i].nodeid, a[i].pid);
	}
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
		       const struct cpg_address *members, size_t n_members,
		       const struct cpg_address *left, size_t n_left,
		       const struct cpg_address *joined, size_t n_joined)
{
	struct hc *c = test_ctx(h);
	size_t i;

	for (i = 0; i < n_left; i++) {
		if (left[i].nodeid == c->nodeid && left[i].pid == (uint32_t)getpid())
			c->left = 1;
	}
	fprintf(c->out, "# confchg %.*s", (int)g->length, g->value);
	print_addrs(c->out, "members", members, n_members, 0);
	print_addrs(c->out, "left", left, n_left, 1);
	print_addrs(c->out, "joined", joined, n_joined, 1);
	fputc('\n', c->out);
}

static void on_totem_confchg(cpg_handle_t h, struct cpg_ring_id ring,
			     uint32_t n, const uint32_t *members)
{
	struct hc *c = test_ctx(h);
	uint32_t sorted[CPG_MEMBERS_MAX];
	uint32_t i, j;

	/* A client that connects during a ring change hears of the new ring
	 * once for the change and once more, by request, after its join: the
	 * history records each ring once. */
	if (ring.nodeid == c->last_ring.nodeid && ring.seq == c->last_ring.seq)
		return;
	c->last_ring = ring;
	if (n > CPG_MEMBERS_MAX)
		n = CPG_MEMBERS_MAX;
	memcpy(sorted, members, n * sizeof(*members));
	for (i = 1; i < n; i++)	/* a handful of ids: insertion sort */
		for (j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
			uint32_t t = sorted[j];

			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	/* The daemon delivers every message of the old ring before it reports
	 * the new one (old_before_trans), so the transitional configuration is
	 * empty of deliveries: it is logged right before the regular one, with
	 * the members the daemon installed. */
	if (c->n_ring_members && c->log_path) {
		uint32_t trans[CPG_MEMBERS_MAX], n_trans = 0;

		if (daemon_trans(c, ring, trans, &n_trans) == 0) {
			fprintf(c->out, "%" PRIu64 " %u conf trans %u:%" PRIu64 " ",
				now_us(), c->nodeid, ring.nodeid, ring.seq);
			for (i = 0; i < n_trans; i++)
				fprintf(c->out, "%s%u", i ? "," : "", trans[i]);
			fputc('\n', c->out);
		} else {
			fprintf(c->out, "# no transitional configuration of ring "
				"%u:%" PRIu64 " in %s\n", ring.nodeid, ring.seq,
				c->log_path);
		}
	}
	memcpy(c->ring_members, sorted, n * sizeof(*sorted));
	c->n_ring_members = n;
	fprintf(c->out, "%" PRIu64 " %u conf reg %u:%" PRIu64 " ", now_us(),
		c->nodeid, ring.nodeid, ring.seq);
	for (i = 0; i < n; i++)
		fprintf(c->out, "%s%u", i ? "," : "", sorted[i]);
	fputc('\n', c->out);
}

static void on_term(int sig)
{
	stop_requested = 1;
}

static void on_usr1(int sig)
{
	stop_sending = 1;
}

/* Dispatch what is pending, waiting up to wait_ms; -1 when the daemon is gone. */
static int pump(struct hc *c, int wait_ms)
{
	struct pollfd p = { .events = POLLIN };
	int fd;

	if (cpg_fd_get(c->h, &fd) != CS_OK)
		return -1;
	p.fd = fd;
	if (poll(&p, 1, wait_ms) < 0)
		return errno == EINTR ? 0 : -1;
	if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
		return -1;
	if (p.revents & POLLIN) {
		cs_error_t e = cpg_dispatch(c->h, CS_DISPATCH_ALL);
		cpg_flow_control_state_t fc;

		if (e != CS_OK && e != CS_ERR_TRY_AGAIN)
			return -1;
		if (cpg_flow_control_state_get(c->h, &fc) != CS_OK)
			return -1;
		if ((fc == CPG_FLOW_CONTROL_ENABLED) != c->flow) {
			c->flow = fc == CPG_FLOW_CONTROL_ENABLED;
			fprintf(c->out, "# flow %" PRIu64 " %s\n", now_us(),
				c->flow ? "enabled" : "disabled");
		}
	}
	return 0;
}

static int lost(struct hc *c)
{
	fprintf(c->out, "%" PRIu64 " %u crash\n", now_us(), c->nodeid);
	fclose(c->out);
	free(c->buf);
	/* the handle still holds the dead daemon's shared memory: libqb
	 * removes those files when the connection is closed */
	cpg_finalize(c->h);
	return 3;
}

static int member_count(struct hc *c, struct cpg_name *g)
{
	struct cpg_address m[CPG_MEMBERS_MAX];
	int n = CPG_MEMBERS_MAX;

	if (cpg_membership_get(c->h, g, m, &n) != CS_OK)
		return -1;
	return n;
}

int main(int argc, char **argv)
{
	struct hc c = { .guarantee = "agreed" };
	struct cpg_name g;
	const char *group = "hist", *path = NULL;
	unsigned long count = 100, size = 64, want = 0, quiet_ms = 3000;
	double rate = 0;
	cpg_guarantee_t gt = CPG_TYPE_AGREED;
	uint64_t next = 0, gap;
	unsigned long sent = 0;
	char *buf;
	int opt, do_leave = 0;

	while ((opt = getopt(argc, argv, "n:i:o:g:c:r:s:Sw:q:TLl:")) != -1) {
		switch (opt) {
		case 'n': c.nodeid = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'i': c.inc = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'o': path = optarg; break;
		case 'g': group = optarg; break;
		case 'c': count = strtoul(optarg, NULL, 0); break;
		case 'r': rate = atof(optarg); break;
		case 's': size = strtoul(optarg, NULL, 0); break;
		case 'S': gt = CPG_TYPE_SAFE; c.guarantee = "safe"; break;
		case 'w': want = strtoul(optarg, NULL, 0); break;
		case 'q': quiet_ms = strtoul(optarg, NULL, 0); break;
		case 'L': do_leave = 1; break;
		case 'l': c.log_path = optarg; break;
		case 'T': printf("%" PRIu64 "\n", now_us()); return 0;
		default: return 1;
		}
	}
	if (!c.nodeid || !c.inc || !path || strlen(group) >= CPG_MAX_NAME_LENGTH ||
	    size < 32) {
		fprintf(stderr, "usage: cpg_histclient -n NODEID -i INC -o FILE [...]\n");
		return 1;
	}
	c.out = fopen(path, "a");
	if (!c.out || !(buf = calloc(1, size)))
		return 1;
	c.buf = buf;
	setvbuf(c.out, NULL, _IOLBF, 0);
	signal(SIGTERM, on_term);
	signal(SIGUSR1, on_usr1);
	signal(SIGPIPE, SIG_IGN);
	fprintf(c.out, "%" PRIu64 " %u start %u\n", now_us(), c.nodeid, c.inc);
	if (test_model_v1(&c.h, on_deliver, on_confchg, on_totem_confchg,
			  &c) != CS_OK)
		return lost(&c);
	g.length = (uint32_t)strlen(group);
	memcpy(g.value, group, g.length);
	for (;;) {
		cs_error_t e = cpg_join(c.h, &g);

		if (e == CS_OK)
			break;
		if (e != CS_ERR_TRY_AGAIN || stop_requested)
			return lost(&c);
		if (pump(&c, 10) < 0)
			return lost(&c);
	}
	while (want && !stop_requested) {
		int n = member_count(&c, &g);

		if (n < 0 || pump(&c, 10) < 0)
			return lost(&c);
		if ((unsigned long)n >= want)
			break;
	}
	gap = rate > 0 ? (uint64_t)(1e6 / rate) : 0;
	next = now_us();
	c.last_delivery_us = now_us();
	while (!stop_requested) {
		uint64_t t = now_us();

		if (stop_sending && sent < count)
			count = sent;	/* and the quiet time is 2 s */
		if (sent < count && t >= next) {
			struct iovec iov = { .iov_base = buf, .iov_len = size };
			cs_error_t e;

			snprintf(buf, size, "%u.%u.%lu", c.nodeid, c.inc, sent + 1);
			e = cpg_mcast_joined(c.h, gt, &iov, 1);
			if (e == CS_OK) {
				sent++;
				fprintf(c.out, "%" PRIu64 " %u send %s %s\n", t, c.nodeid,
					buf, c.guarantee);
				next = gap ? next + gap : t;
			} else if (e != CS_ERR_TRY_AGAIN) {
				return lost(&c);
			}
		}
		if (sent >= count && t - c.last_delivery_us >
		    (stop_sending ? 2000000u : quiet_ms * 1000u))
			break;
		if (pump(&c, sent < count ? (gap ? 1 : 0) : 50) < 0)
			return lost(&c);
	}
	if (do_leave) {
		uint64_t until = now_us() + 5000000u;

		if (cpg_leave(c.h, &g) != CS_OK)
			return lost(&c);
		while (!c.left && now_us() < until)
			if (pump(&c, 50) < 0)
				return lost(&c);
	}
	cpg_finalize(c.h);
	fclose(c.out);
	free(buf);
	return 0;
}
