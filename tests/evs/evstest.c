/*
 * evstest: the EVS API through the real libevs against a real cpgd.
 *
 *   evstest api       every call and every error code a library sees
 *   evstest overlap   processes with overlapping groups, a sender that is
 *                     in none of them, CPG messages interleaved
 *   evstest large     fragmented messages up to 64 MiB, to self and others
 *
 * Exit 0 on success, 1 with a message on the first failure.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <corosync/corotypes.h>
#include <corosync/cpg.h>
#include <corosync/evs.h>

#define FAIL(...) do { fprintf(stderr, "evstest: " __VA_ARGS__); \
	fprintf(stderr, "\n"); exit(1); } while (0)
#define EXPECT(call, want) do { cs_error_t r_ = (call); \
	if (r_ != (want)) FAIL("%s:%d: %s = %d, want %d", __FILE__, __LINE__, \
		#call, (int)r_, (int)(want)); } while (0)

#define MAX_SEEN 4096

struct rx {
	unsigned nodeid;
	int confchgs;
	unsigned members[64];
	size_t n_members;
	struct evs_ring_id ring;
	char seen[MAX_SEEN][32];	/* ids of delivered messages */
	size_t n_seen;
	size_t big_len;			/* a large message: its length */
	int big_ok;			/* and whether its bytes were right */
};

static struct rx rx;

static struct evs_group group(const char *name)
{
	struct evs_group g;
	size_t len = strlen(name);

	memset(&g, 0, sizeof(g));
	memcpy(g.key, name, len < sizeof(g.key) ? len : sizeof(g.key));
	return g;
}

/* The payload byte at offset i of a large message of length len. */
static unsigned char pattern(size_t i, size_t len)
{
	return (unsigned char)((i * 31 + len) & 0xff);
}

static void on_deliver(hdb_handle_t h, unsigned int nodeid, const void *msg,
		       size_t len)
{
	const unsigned char *p = msg;

	(void)h;
	rx.nodeid = nodeid;
	if (len > 1000) {
		rx.big_len = len;
		rx.big_ok = 1;
		for (size_t i = 0; i < len; i++)
			if (p[i] != pattern(i, len)) {
				rx.big_ok = 0;
				break;
			}
		snprintf(rx.seen[rx.n_seen++ % MAX_SEEN], 32, "big%zu", len);
		return;
	}
	if (rx.n_seen < MAX_SEEN)
		snprintf(rx.seen[rx.n_seen], 32, "%.*s", (int)(len < 31 ? len : 31),
			 (const char *)msg);
	rx.n_seen++;
}

static void on_confchg(hdb_handle_t h, const unsigned int *m, size_t nm,
		       const unsigned int *l, size_t nl,
		       const unsigned int *j, size_t nj,
		       const struct evs_ring_id *ring)
{
	(void)h; (void)l; (void)nl; (void)j; (void)nj;
	rx.confchgs++;
	rx.n_members = nm < 64 ? nm : 64;
	memcpy(rx.members, m, rx.n_members * sizeof(*m));
	rx.ring = *ring;
}

static evs_callbacks_t callbacks = { on_deliver, on_confchg };

/* Dispatch until n messages were seen (or 20 s pass). */
static void wait_seen(evs_handle_t h, size_t n)
{
	int fd;

	EXPECT(evs_fd_get(h, &fd), CS_OK);
	for (int i = 0; i < 2000 && rx.n_seen < n; i++) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, 10) > 0)
			EXPECT(evs_dispatch(h, CS_DISPATCH_ALL), CS_OK);
	}
	if (rx.n_seen < n)
		FAIL("saw %zu messages, want %zu", rx.n_seen, n);
}

static cs_error_t send_to(evs_handle_t h, const char *const *groups,
			  size_t n, evs_guarantee_t g, const char *text)
{
	struct evs_group gs[8];
	struct iovec iov = { (void *)text, strlen(text) };
	cs_error_t rc;

	for (size_t i = 0; i < n; i++)
		gs[i] = group(groups[i]);
	while ((rc = evs_mcast_groups(h, g, gs, n, &iov, 1)) ==
	       CS_ERR_TRY_AGAIN)
		usleep(1000);
	return rc;
}

static void api(void)
{
	evs_handle_t h, h2, bad;
	cpg_handle_t ch;
	struct evs_group a = group("a"), b = group("b"), many[1025];
	struct iovec iov = { "x", 1 }, huge = { "x", 257u << 20 };
	unsigned nodeid = 0, list[8];
	size_t n;
	void *ctx;
	int fd;
	static const char *const ga[] = { "a" }, *const gb[] = { "b" },
		*const gab[] = { "a", "b" };

	EXPECT(evs_initialize(NULL, &callbacks), CS_ERR_INVALID_PARAM);
	EXPECT(evs_initialize(&h, NULL), CS_ERR_INVALID_PARAM);
	EXPECT(evs_initialize(&h, &callbacks), CS_OK);

	/* the current configuration comes first */
	EXPECT(evs_dispatch(h, CS_DISPATCH_ONE), CS_OK);
	if (rx.confchgs != 1 || rx.n_members < 1)
		FAIL("no configuration at start (%d)", rx.confchgs);
	EXPECT(evs_membership_get(h, &nodeid, list, &(size_t){ 8 }), CS_OK);
	n = 8;
	EXPECT(evs_membership_get(h, &nodeid, list, &n), CS_OK);
	if (n != rx.n_members || list[0] != rx.members[0] || nodeid == 0)
		FAIL("membership %zu/%u differs from the confchg", n, nodeid);
	n = 0;
	EXPECT(evs_membership_get(h, NULL, NULL, &n), CS_OK);
	if (n != 0)
		FAIL("membership wrote %zu entries into no room", n);
	EXPECT(evs_membership_get(h, &nodeid, list, NULL),
	       CS_ERR_INVALID_PARAM);
	n = 2;
	EXPECT(evs_membership_get(h, &nodeid, NULL, &n), CS_ERR_INVALID_PARAM);

	EXPECT(evs_fd_get(h, NULL), CS_ERR_INVALID_PARAM);
	EXPECT(evs_fd_get(h, &fd), CS_OK);
	EXPECT(evs_context_get(h, &ctx), CS_OK);
	if (ctx)
		FAIL("context not NULL at first");
	EXPECT(evs_context_set(h, &rx), CS_OK);
	EXPECT(evs_context_get(h, &ctx), CS_OK);
	if (ctx != &rx)
		FAIL("context not kept");
	EXPECT(evs_context_get(h, NULL), CS_ERR_INVALID_PARAM);
	EXPECT(evs_dispatch(h, 0), CS_ERR_INVALID_PARAM);
	EXPECT(evs_dispatch(h, 99), CS_ERR_INVALID_PARAM);
	EXPECT(evs_dispatch(h, CS_DISPATCH_ALL), CS_OK);
	EXPECT(evs_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING), CS_ERR_TRY_AGAIN);

	/* joins and leaves */
	EXPECT(evs_join(h, NULL, 1), CS_ERR_INVALID_PARAM);
	EXPECT(evs_join(h, &a, 0), CS_ERR_INVALID_PARAM);
	for (int i = 0; i < 1025; i++) {
		char name[16];

		snprintf(name, sizeof(name), "g%d", i);
		many[i] = group(name);
	}
	EXPECT(evs_join(h, many, 1025), CS_ERR_TOO_BIG);
	EXPECT(evs_join(h, many, 1024), CS_OK);
	EXPECT(evs_join(h, &a, 1), CS_ERR_NO_RESOURCES);
	EXPECT(evs_leave(h, many, 1024), CS_OK);
	EXPECT(evs_leave(h, &a, 1), CS_ERR_NOT_EXIST);
	EXPECT(evs_leave(h, NULL, 1), CS_ERR_INVALID_PARAM);
	EXPECT(evs_leave(h, &a, 0), CS_ERR_INVALID_PARAM);
	EXPECT(evs_join(h, &a, 1), CS_OK);
	EXPECT(evs_join(h, &a, 1), CS_OK);	/* joined once, still */

	/* multicasts: bad arguments */
	EXPECT(evs_mcast_groups(h, EVS_TYPE_AGREED, NULL, 1, &iov, 1),
	       CS_ERR_INVALID_PARAM);
	EXPECT(evs_mcast_groups(h, EVS_TYPE_AGREED, &a, 0, &iov, 1),
	       CS_ERR_INVALID_PARAM);
	EXPECT(evs_mcast_groups(h, EVS_TYPE_AGREED, many, 1025, &iov, 1),
	       CS_ERR_TOO_BIG);
	EXPECT(evs_mcast_groups(h, 4, &a, 1, &iov, 1), CS_ERR_INVALID_PARAM);
	EXPECT(evs_mcast_groups(h, EVS_TYPE_AGREED, &a, 1, NULL, 1),
	       CS_ERR_INVALID_PARAM);
	EXPECT(evs_mcast_groups(h, EVS_TYPE_AGREED, &a, 1, &iov, 0),
	       CS_ERR_INVALID_PARAM);
	EXPECT(evs_mcast_groups(h, EVS_TYPE_AGREED, &a, 1, &huge, 1),
	       CS_ERR_TOO_BIG);
	EXPECT(evs_mcast_joined(h, EVS_TYPE_AGREED, NULL, 1),
	       CS_ERR_INVALID_PARAM);
	EXPECT(evs_mcast_joined(h, -1, &iov, 1), CS_ERR_INVALID_PARAM);

	/* to its own group (once, though named twice), to a group it is
	 * not in (not to itself), to the joined ones; every guarantee */
	rx.n_seen = 0;
	EXPECT(send_to(h, gab, 2, EVS_TYPE_UNORDERED, "m1"), CS_OK);
	EXPECT(send_to(h, gb, 1, EVS_TYPE_FIFO, "m2"), CS_OK);
	EXPECT(send_to(h, ga, 1, EVS_TYPE_SAFE, "m3"), CS_OK);
	iov = (struct iovec){ "m4", 2 };
	EXPECT(evs_mcast_joined(h, EVS_TYPE_AGREED, &iov, 1), CS_OK);
	wait_seen(h, 3);
	usleep(200 * 1000);
	EXPECT(evs_dispatch(h, CS_DISPATCH_ALL), CS_OK);
	if (rx.n_seen != 3 || strcmp(rx.seen[0], "m1") ||
	    strcmp(rx.seen[1], "m3") || strcmp(rx.seen[2], "m4"))
		FAIL("own deliveries: %zu (%s %s %s)", rx.n_seen, rx.seen[0],
		     rx.seen[1], rx.seen[2]);
	if (rx.nodeid != nodeid)
		FAIL("delivered from node %u, want %u", rx.nodeid, nodeid);

	/* a second handle: its own groups; an EVS handle is not a CPG one */
	EXPECT(evs_initialize(&h2, &callbacks), CS_OK);
	EXPECT(evs_join(h2, &b, 1), CS_OK);
	EXPECT(cpg_finalize((cpg_handle_t)h2), CS_ERR_BAD_HANDLE);
	EXPECT(cpg_initialize(&ch, NULL), CS_OK);
	EXPECT(evs_finalize((evs_handle_t)ch), CS_ERR_BAD_HANDLE);
	EXPECT(cpg_finalize(ch), CS_OK);
	EXPECT(evs_finalize(h2), CS_OK);

	/* after finalize the handle is bad */
	bad = h;
	EXPECT(evs_finalize(h), CS_OK);
	EXPECT(evs_finalize(bad), CS_ERR_BAD_HANDLE);
	EXPECT(evs_fd_get(bad, &fd), CS_ERR_BAD_HANDLE);
	EXPECT(evs_context_get(bad, &ctx), CS_ERR_BAD_HANDLE);
	EXPECT(evs_context_set(bad, NULL), CS_ERR_BAD_HANDLE);
	EXPECT(evs_dispatch(bad, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
	EXPECT(evs_join(bad, &a, 1), CS_ERR_BAD_HANDLE);
	EXPECT(evs_leave(bad, &a, 1), CS_ERR_BAD_HANDLE);
	EXPECT(evs_mcast_joined(bad, EVS_TYPE_AGREED, &iov, 1),
	       CS_ERR_BAD_HANDLE);
	EXPECT(evs_mcast_groups(bad, EVS_TYPE_AGREED, &a, 1, &iov, 1),
	       CS_ERR_BAD_HANDLE);
	n = 8;
	EXPECT(evs_membership_get(bad, &nodeid, list, &n), CS_ERR_BAD_HANDLE);
	printf("api ok: node %u, ring %u.%llu\n", nodeid, rx.ring.nodeid,
	       rx.ring.seq);
}

/*
 * Four processes: P0 joins {a,b}, P1 {b,c}, P2 {c}, P3 none.  Each sends
 * ROUNDS messages to a set of groups of its own; every process must get
 * exactly the messages whose groups meet its own, once each, and any two
 * processes the messages they share in the same order.  Each also sends
 * CPG messages to one group, interleaved with its EVS ones, and all must
 * see the CPG messages in one order too.
 */
#define PROCS 4
#define ROUNDS 50

static const char *const joins[PROCS][2] = {
	{ "a", "b" }, { "b", "c" }, { "c", NULL }, { NULL, NULL } };
static const char *const targets[PROCS][2] = {
	{ "a", "b" }, { "c", NULL }, { "a", "c" }, { "b", NULL } };

static int meets(int receiver, int sender)
{
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			if (joins[receiver][i] && targets[sender][j] &&
			    !strcmp(joins[receiver][i], targets[sender][j]))
				return 1;
	return 0;
}

static size_t cpg_seen;
static char cpg_order[PROCS * ROUNDS * 8];

static void on_cpg(cpg_handle_t h, const struct cpg_name *g, uint32_t nodeid,
		   uint32_t pid, void *msg, size_t len)
{
	(void)h; (void)g; (void)nodeid; (void)pid;
	strncat(cpg_order, msg, len < 7 ? len : 7);
	cpg_seen++;
}

static void overlap_child(int me, int ready_w, int go_r, int out_w)
{
	cpg_callbacks_t ccb = { on_cpg, NULL };
	struct cpg_name cg = { 7, "evs-mix" };
	evs_handle_t h;
	cpg_handle_t ch;
	size_t want = 0;
	char c = 0;
	int fds[2];

	EXPECT(evs_initialize(&h, &callbacks), CS_OK);
	EXPECT(cpg_initialize(&ch, &ccb), CS_OK);
	EXPECT(cpg_join(ch, &cg), CS_OK);
	for (int i = 0; i < 2 && joins[me][i]; i++) {
		struct evs_group g = group(joins[me][i]);

		EXPECT(evs_join(h, &g, 1), CS_OK);
	}
	if (write(ready_w, "r", 1) != 1 || read(go_r, &c, 1) != 1)
		FAIL("barrier");
	rx.n_seen = 0;
	for (int r = 0; r < ROUNDS; r++) {
		char id[32];
		struct iovec iov;
		size_t n = targets[me][1] ? 2 : 1;

		snprintf(id, sizeof(id), "p%dm%d", me, r);
		EXPECT(send_to(h, targets[me], n, EVS_TYPE_AGREED, id), CS_OK);
		snprintf(id, sizeof(id), "c%d.%02d;", me, r);
		iov = (struct iovec){ id, strlen(id) };
		while (cpg_mcast_joined(ch, CPG_TYPE_AGREED, &iov, 1) ==
		       CS_ERR_TRY_AGAIN)
			usleep(1000);
		EXPECT(evs_dispatch(h, CS_DISPATCH_ALL), CS_OK);
		EXPECT(cpg_dispatch(ch, CS_DISPATCH_ALL), CS_OK);
	}
	for (int s = 0; s < PROCS; s++)
		if (meets(me, s))
			want += ROUNDS;
	EXPECT(evs_fd_get(h, &fds[0]), CS_OK);
	EXPECT(cpg_fd_get(ch, &fds[1]), CS_OK);
	for (int i = 0; i < 3000 && (rx.n_seen < want ||
				      cpg_seen < PROCS * ROUNDS); i++) {
		struct pollfd p[2] = { { fds[0], POLLIN, 0 },
				       { fds[1], POLLIN, 0 } };

		if (poll(p, 2, 10) > 0) {
			EXPECT(evs_dispatch(h, CS_DISPATCH_ALL), CS_OK);
			EXPECT(cpg_dispatch(ch, CS_DISPATCH_ALL), CS_OK);
		}
	}
	usleep(200 * 1000);	/* anything beyond what is due shows now */
	EXPECT(evs_dispatch(h, CS_DISPATCH_ALL), CS_OK);
	EXPECT(cpg_dispatch(ch, CS_DISPATCH_ALL), CS_OK);
	if (rx.n_seen != want)
		FAIL("process %d got %zu EVS messages, want %zu", me,
		     rx.n_seen, want);
	if (cpg_seen != PROCS * ROUNDS)
		FAIL("process %d got %zu CPG messages", me, cpg_seen);
	for (size_t i = 0; i < rx.n_seen; i++)
		dprintf(out_w, "%d %s\n", me, rx.seen[i]);
	dprintf(out_w, "%d cpg %s\n", me, cpg_order);
	EXPECT(cpg_finalize(ch), CS_OK);
	EXPECT(evs_finalize(h), CS_OK);
	exit(0);
}

/* Is `id` (of sender s) one that receiver r must get? */
static void overlap_check(char lines[PROCS][PROCS * ROUNDS][32],
			  size_t n[PROCS], char cpg[PROCS][sizeof(cpg_order)])
{
	for (int r = 0; r < PROCS; r++) {
		for (size_t i = 0; i < n[r]; i++) {
			int s, m;

			if (sscanf(lines[r][i], "p%dm%d", &s, &m) != 2 ||
			    s < 0 || s >= PROCS || !meets(r, s))
				FAIL("process %d got %s, not for it", r,
				     lines[r][i]);
			for (size_t j = 0; j < i; j++)
				if (!strcmp(lines[r][j], lines[r][i]))
					FAIL("process %d got %s twice", r,
					     lines[r][i]);
		}
		if (strcmp(cpg[r], cpg[0]))
			FAIL("CPG order of process %d differs from 0's", r);
	}
	/* shared messages in the same relative order */
	for (int r = 1; r < PROCS; r++)
		for (int q = 0; q < r; q++) {
			size_t j = 0;

			for (size_t i = 0; i < n[r]; i++) {
				size_t k;

				for (k = 0; k < n[q]; k++)
					if (!strcmp(lines[q][k], lines[r][i]))
						break;
				if (k == n[q])
					continue;
				if (k < j)
					FAIL("processes %d and %d disagree on "
					     "the order of %s", q, r,
					     lines[r][i]);
				j = k;
			}
		}
}

static void overlap(void)
{
	static char lines[PROCS][PROCS * ROUNDS][32];
	static char cpg[PROCS][sizeof(cpg_order)];
	size_t n[PROCS] = { 0 };
	int ready[2], go[2], out[2], status;
	pid_t pids[PROCS];
	char buf[sizeof(cpg_order) + 64];
	FILE *f;

	if (pipe(ready) || pipe(go) || pipe(out))
		FAIL("pipe");
	for (int i = 0; i < PROCS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			close(out[0]);
			overlap_child(i, ready[1], go[0], out[1]);
		}
	}
	close(ready[1]);
	close(go[0]);
	close(out[1]);
	for (int i = 0; i < PROCS; i++)
		if (read(ready[0], buf, 1) != 1)
			FAIL("a process did not get ready");
	if (write(go[1], "gggg", PROCS) != PROCS)
		FAIL("go");
	f = fdopen(out[0], "r");
	while (f && fgets(buf, sizeof(buf), f)) {
		int who;
		char what[sizeof(buf)];

		if (sscanf(buf, "%d %s", &who, what) != 2 || who < 0 ||
		    who >= PROCS)
			FAIL("bad line %s", buf);
		if (!strcmp(what, "cpg")) {
			const char *rest = strstr(buf, " cpg ") + 5;

			memcpy(cpg[who], rest, strcspn(rest, "\n") <
			       sizeof(cpg[who]) ? strcspn(rest, "\n")
			       : sizeof(cpg[who]) - 1);
		}
		else if (n[who] < PROCS * ROUNDS)
			memcpy(lines[who][n[who]++], what,
			       strnlen(what, 31));
	}
	for (int i = 0; i < PROCS; i++)
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			FAIL("process %d failed", i);
	overlap_check(lines, n, cpg);
	printf("overlap ok: %zu %zu %zu %zu EVS messages\n", n[0], n[1], n[2],
	       n[3]);
}

/* A message of len bytes, in pieces of several iovecs. */
static cs_error_t send_big(evs_handle_t h, const struct evs_group *g,
			   size_t len)
{
	unsigned char *buf = malloc(len);
	struct iovec iov[3];
	cs_error_t rc;

	if (!buf)
		FAIL("no memory");
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern(i, len);
	iov[0] = (struct iovec){ buf, len / 3 };
	iov[1] = (struct iovec){ buf + len / 3, len / 3 };
	iov[2] = (struct iovec){ buf + 2 * (len / 3), len - 2 * (len / 3) };
	while ((rc = evs_mcast_groups(h, EVS_TYPE_AGREED, g, 1, iov, 3)) ==
	       CS_ERR_TRY_AGAIN)
		usleep(1000);
	free(buf);
	return rc;
}

static void large(void)
{
	static const size_t sizes[] = { (1u << 20) + 7, 3u << 20,
		64u << 20 };
	struct evs_group g = group("big");
	evs_handle_t h, other;

	EXPECT(evs_initialize(&h, &callbacks), CS_OK);
	EXPECT(evs_initialize(&other, &callbacks), CS_OK);
	EXPECT(evs_join(h, &g, 1), CS_OK);
	/* a non-member sends; the member gets each whole and right */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		rx.n_seen = 0;
		rx.big_ok = 0;
		EXPECT(send_big(other, &g, sizes[i]), CS_OK);
		wait_seen(h, 1);
		if (rx.big_len != sizes[i] || !rx.big_ok)
			FAIL("message of %zu bytes came as %zu bytes (%s)",
			     sizes[i], rx.big_len,
			     rx.big_ok ? "right" : "wrong");
	}
	EXPECT(evs_dispatch(other, CS_DISPATCH_ALL), CS_OK);
	EXPECT(evs_finalize(other), CS_OK);
	EXPECT(evs_finalize(h), CS_OK);
	printf("large ok\n");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "api"))
		api();
	else if (argc == 2 && !strcmp(argv[1], "overlap"))
		overlap();
	else if (argc == 2 && !strcmp(argv[1], "large"))
		large();
	else
		FAIL("usage: evstest api|overlap|large");
	return 0;
}
