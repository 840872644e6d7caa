/*
 * cpgtest: scenarios that drive a running cpgd through the public libcpg
 * API and check what comes back.  Built twice from this one source: against
 * Debian's libcpg (tests/interop, the "unchanged library" check) and against
 * this project's lib/libcpg.la once it exists.
 *
 *   cpgtest basic | errors | zcb | dispatch | threads | model | procdown
 *   cpgtest member GROUP N_MEMBERS N_SENDERS N_MSGS MSG_SIZE
 *   cpgtest hold GROUP   (join, then dispatch until the daemon goes away)
 *
 * Exit 0 when every check passed; a failed check prints what and where.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cpg.h>

#include "cpg_test_model.h"

#define FAIL(...) fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond) do { if (!(cond)) FAIL("check failed: %s", #cond); } while (0)
#define CHECK_CS(call, want) do { cs_error_t e_ = (call); \
	if (e_ != (want)) FAIL("%s = %d, expected %d", #call, (int)e_, (int)(want)); } while (0)

static void fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cpgtest[%d] %s:%d: ", (int)getpid(), file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- what one handle has seen */

struct ev_conf {
	struct cpg_address m[64], l[64], j[64];
	size_t nm, nl, nj;
};

struct ev_msg {
	uint32_t nodeid, pid;
	size_t len;
	uint64_t sum;
	uint32_t sender_idx, seq;
};

struct tc {
	cpg_handle_t h;
	struct cpg_name group;
	pthread_mutex_t lock;
	struct ev_conf conf[256];
	size_t n_conf;
	struct ev_msg *msg;
	size_t n_msg, cap_msg;
	size_t n_totem;
	struct cpg_ring_id last_ring;
	uint32_t last_totem_members[64];
	size_t last_totem_n;
	int bad_payload;
	int finalize_on_quit;
	int seen_quit;
	int dispatcher_thread;	/* another thread dispatches: senders wait */
};

static uint64_t sum_bytes(const uint8_t *p, size_t n)
{
	uint64_t s = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++)
		s = (s ^ p[i]) * 1099511628211ull;
	return s;
}

/* Payload: u32 sender index, u32 seq, then bytes derived from both. */
static void fill_payload(uint8_t *p, size_t len, uint32_t idx, uint32_t seq)
{
	size_t i;

	if (len >= 8) {
		memcpy(p, &idx, 4);
		memcpy(p + 4, &seq, 4);
	}
	for (i = 8; i < len; i++)
		p[i] = (uint8_t)(i * 31 + idx * 7 + seq);
}

static int payload_ok(const uint8_t *p, size_t len, uint32_t *idx,
		      uint32_t *seq)
{
	size_t i;

	*idx = *seq = 0;
	if (len < 8)
		return 1;
	memcpy(idx, p, 4);
	memcpy(seq, p + 4, 4);
	for (i = 8; i < len; i++)
		if (p[i] != (uint8_t)(i * 31 + *idx * 7 + *seq))
			return 0;
	return 1;
}

static struct tc *tc_of(cpg_handle_t h)
{
	struct tc *t = test_ctx(h);

	if (!t)
		FAIL("no context on handle");
	return t;
}

static void on_deliver(cpg_handle_t h, const struct cpg_name *g,
		       uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct tc *t = tc_of(h);
	struct ev_msg *m;

	(void)g;
	pthread_mutex_lock(&t->lock);
	if (t->n_msg == t->cap_msg) {
		t->cap_msg = t->cap_msg ? t->cap_msg * 2 : 256;
		t->msg = realloc(t->msg, t->cap_msg * sizeof(*t->msg));
		if (!t->msg)
			FAIL("out of memory");
	}
	m = &t->msg[t->n_msg++];
	m->nodeid = nodeid;
	m->pid = pid;
	m->len = len;
	m->sum = sum_bytes(msg, len);
	if (!payload_ok(msg, len, &m->sender_idx, &m->seq))
		t->bad_payload++;
	if (len == 4 && memcmp(msg, "quit", 4) == 0) {
		t->seen_quit = 1;
		if (t->finalize_on_quit)
			cpg_finalize(h);
	}
	pthread_mutex_unlock(&t->lock);
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
		       const struct cpg_address *m, size_t nm,
		       const struct cpg_address *l, size_t nl,
		       const struct cpg_address *j, size_t nj)
{
	struct tc *t = tc_of(h);
	struct ev_conf *c;

	(void)g;
	pthread_mutex_lock(&t->lock);
	if (t->n_conf == sizeof(t->conf) / sizeof(t->conf[0]))
		FAIL("too many confchgs");
	if (nm > 64 || nl > 64 || nj > 64)
		FAIL("confchg too large");
	c = &t->conf[t->n_conf++];
	memcpy(c->m, m, nm * sizeof(*m));
	memcpy(c->l, l, nl * sizeof(*l));
	memcpy(c->j, j, nj * sizeof(*j));
	c->nm = nm;
	c->nl = nl;
	c->nj = nj;
	pthread_mutex_unlock(&t->lock);
}

static void on_totem(cpg_handle_t h, struct cpg_ring_id ring, uint32_t n,
		     const uint32_t *members)
{
	struct tc *t = tc_of(h);

	pthread_mutex_lock(&t->lock);
	t->n_totem++;
	t->last_ring = ring;
	t->last_totem_n = n < 64 ? n : 64;
	memcpy(t->last_totem_members, members, t->last_totem_n * 4);
	pthread_mutex_unlock(&t->lock);
}

static void tc_open(struct tc *t, unsigned int flags)
{
	cpg_model_v1_data_t md;
	int tries = 0;
	cs_error_t rc;

	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
	memset(&md, 0, sizeof(md));
	md.model = CPG_MODEL_V1;
	md.cpg_deliver_fn = on_deliver;
	md.cpg_confchg_fn = on_confchg;
	md.cpg_totem_confchg_fn = on_totem;
	md.flags = flags;
	while ((rc = cpg_model_initialize(&t->h, CPG_MODEL_V1,
					  (cpg_model_data_t *)&md, t)) ==
	       CS_ERR_TRY_AGAIN && tries++ < 100)
		usleep(10000);
	if (rc != CS_OK)
		FAIL("cpg_model_initialize = %d", (int)rc);
}

/* What tc_open allocated (the handle is finalized by the scenario). */
static void tc_free(struct tc *t)
{
	free(t->msg);
	t->msg = NULL;
	t->n_msg = t->cap_msg = 0;
	pthread_mutex_destroy(&t->lock);
}

static void set_name(struct cpg_name *n, const char *s)
{
	memset(n, 0, sizeof(*n));
	n->length = (uint32_t)strlen(s);
	memcpy(n->value, s, n->length);
}

/* Join; t->group names the group only once a join was accepted. */
static cs_error_t tc_join(struct tc *t, const char *group)
{
	struct cpg_name n;
	cs_error_t rc;

	set_name(&n, group);
	rc = cpg_join(t->h, &n);
	if (rc == CS_OK)
		t->group = n;
	return rc;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Dispatch until pred(t, arg) holds; fail after `secs`. */
static void tc_wait(struct tc *t, int (*pred)(struct tc *, long), long arg,
		    double secs, const char *what)
{
	double end = now_s() + secs;
	struct pollfd pfd;
	int fd, ok;

	CHECK_CS(cpg_fd_get(t->h, &fd), CS_OK);
	for (;;) {
		pthread_mutex_lock(&t->lock);
		ok = pred(t, arg);
		pthread_mutex_unlock(&t->lock);
		if (ok)
			return;
		if (now_s() > end)
			FAIL("timed out waiting for %s", what);
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 100) > 0) {
			cs_error_t rc = cpg_dispatch(t->h, CS_DISPATCH_ALL);

			if (rc != CS_OK)
				FAIL("cpg_dispatch = %d", (int)rc);
		}
	}
}

static int have_confs(struct tc *t, long n) { return t->n_conf >= (size_t)n; }
static int have_msgs(struct tc *t, long n) { return t->n_msg >= (size_t)n; }
static int have_totems(struct tc *t, long n) { return t->n_totem >= (size_t)n; }
static int have_members(struct tc *t, long n)
{
	return t->n_conf && t->conf[t->n_conf - 1].nm == (size_t)n;
}

/*
 * Debian's libcpg hands concurrent cpg_mcast_joined() calls on one handle
 * to libqb's qb_ipcc_sendv() unserialized, which then fails now and then
 * with CS_ERR_LIBRARY (against corosync as well): the build against it
 * (CPGTEST_SERIAL_SENDS) takes a lock around sends; dispatching still runs
 * concurrently.
 */
#ifdef CPGTEST_SERIAL_SENDS
static pthread_mutex_t send_lock = PTHREAD_MUTEX_INITIALIZER;
#define SEND_LOCK() pthread_mutex_lock(&send_lock)
#define SEND_UNLOCK() pthread_mutex_unlock(&send_lock)
#else
#define SEND_LOCK() do { } while (0)
#define SEND_UNLOCK() do { } while (0)
#endif

static void tc_send(struct tc *t, size_t len, uint32_t idx, uint32_t seq)
{
	uint8_t *p = malloc(len ? len : 1);
	struct iovec iov = { .iov_base = p, .iov_len = len };
	cs_error_t rc;

	if (!p)
		FAIL("out of memory");
	fill_payload(p, len, idx, seq);
	for (;;) {
		SEND_LOCK();
		rc = cpg_mcast_joined(t->h, CPG_TYPE_AGREED, &iov, 1);
		SEND_UNLOCK();
		if (rc != CS_ERR_TRY_AGAIN)
			break;
		/* back-pressure: let events drain, then retry */
		if (!t->dispatcher_thread)
			cpg_dispatch(t->h, CS_DISPATCH_ALL);
		usleep(1000);
	}
	if (rc != CS_OK)
		FAIL("cpg_mcast_joined(%zu bytes) = %d", len, (int)rc);
	free(p);
}

static void check_addr(const struct cpg_address *a, uint32_t nodeid,
		       uint32_t pid, uint32_t reason)
{
	if (a->nodeid != nodeid || a->pid != pid ||
	    (reason && a->reason != reason))
		FAIL("address %u/%u reason %u, expected %u/%u reason %u",
		     a->nodeid, a->pid, a->reason, nodeid, pid, reason);
}

/* ---- scenarios */

/* Iteration of every type finds this process in its group. */
static void check_iteration(struct tc *t, uint32_t me)
{
	struct cpg_iteration_description_t d;
	cpg_iteration_handle_t it;
	int found;
	cs_error_t rc;

	CHECK_CS(cpg_iteration_initialize(t->h, CPG_ITERATION_NAME_ONLY, NULL, &it), CS_OK);
	for (found = 0; (rc = cpg_iteration_next(it, &d)) == CS_OK;)
		if (d.group.length == t->group.length &&
		    !memcmp(d.group.value, t->group.value, d.group.length))
			found++;
	CHECK(rc == CS_ERR_NO_SECTIONS && found == 1);
	CHECK_CS(cpg_iteration_finalize(it), CS_OK);

	CHECK_CS(cpg_iteration_initialize(t->h, CPG_ITERATION_ONE_GROUP, &t->group, &it), CS_OK);
	CHECK_CS(cpg_iteration_next(it, &d), CS_OK);
	CHECK(d.nodeid == 1 && d.pid == me);
	CHECK_CS(cpg_iteration_next(it, &d), CS_ERR_NO_SECTIONS);
	CHECK_CS(cpg_iteration_finalize(it), CS_OK);

	CHECK_CS(cpg_iteration_initialize(t->h, CPG_ITERATION_ALL, NULL, &it), CS_OK);
	for (found = 0; (rc = cpg_iteration_next(it, &d)) == CS_OK;)
		if (d.pid == me && d.nodeid == 1)
			found++;
	CHECK(rc == CS_ERR_NO_SECTIONS && found == 1);
	CHECK_CS(cpg_iteration_finalize(it), CS_OK);
	/* a finalized iteration is gone */
	CHECK(cpg_iteration_next(it, &d) != CS_OK);
}

/* The first API: cpg_initialize with plain callbacks, cpg_context_set. */
static void check_initialize(void)
{
	cpg_callbacks_t cb = { .cpg_deliver_fn = on_deliver,
			       .cpg_confchg_fn = on_confchg };
	struct tc t;
	void *ctx = NULL;
	int n = 0;

	memset(&t, 0, sizeof(t));
	pthread_mutex_init(&t.lock, NULL);
	while (cpg_initialize(&t.h, &cb) == CS_ERR_TRY_AGAIN && n++ < 100)
		usleep(10000);
	CHECK_CS(cpg_context_get(t.h, &ctx), CS_OK);
	CHECK(ctx == NULL);
	CHECK_CS(cpg_context_set(t.h, &t), CS_OK);
	CHECK_CS(cpg_context_get(t.h, &ctx), CS_OK);
	CHECK(ctx == &t);
	CHECK_CS(tc_join(&t, "initialize"), CS_OK);
	tc_wait(&t, have_confs, 1, 5, "join confchg (cpg_initialize)");
	tc_send(&t, 32, 0, 0);
	tc_wait(&t, have_msgs, 1, 5, "own message (cpg_initialize)");
	CHECK_CS(cpg_finalize(t.h), CS_OK);
	tc_free(&t);
}

static int do_basic(void)
{
	struct tc t;
	unsigned int nodeid = 0;
	uint32_t max = 0;
	struct cpg_address ml[8];
	int nml = 8, i;
	uint32_t me = (uint32_t)getpid();
	cpg_flow_control_state_t fc;
	void *ctx;

	tc_open(&t, 0);
	CHECK_CS(cpg_local_get(t.h, &nodeid), CS_OK);
	CHECK(nodeid == 1);
	CHECK_CS(cpg_max_atomic_msgsize_get(t.h, &max), CS_OK);
	CHECK(max > 60000);
	CHECK_CS(cpg_context_get(t.h, &ctx), CS_OK);
	CHECK(ctx == &t);
	CHECK_CS(cpg_flow_control_state_get(t.h, &fc), CS_OK);
	CHECK(fc == CPG_FLOW_CONTROL_DISABLED);

	CHECK_CS(tc_join(&t, "basic"), CS_OK);
	tc_wait(&t, have_confs, 1, 5, "join confchg");
	CHECK(t.conf[0].nm == 1 && t.conf[0].nj == 1 && t.conf[0].nl == 0);
	check_addr(&t.conf[0].m[0], 1, me, 0);
	check_addr(&t.conf[0].j[0], 1, me, CPG_REASON_JOIN);
	CHECK(t.n_totem == 0);	/* not asked for */

	CHECK_CS(cpg_membership_get(t.h, &t.group, ml, &nml), CS_OK);
	CHECK(nml == 1);
	check_addr(&ml[0], 1, me, 0);

	/* sizes around the edges, including empty and the largest atomic */
	{
		size_t sizes[] = { 0, 1, 8, 100, 4096, 65536, 1000000, max };
		size_t n = sizeof(sizes) / sizeof(sizes[0]);

		for (i = 0; i < (int)n; i++)
			tc_send(&t, sizes[i], 0, (uint32_t)i);
		for (i = 0; i < 200; i++)
			tc_send(&t, 64, 0, (uint32_t)(n + i));
		tc_wait(&t, have_msgs, (long)(n + 200), 10, "own messages");
		for (i = 0; i < (int)(n + 200); i++) {
			CHECK(t.msg[i].nodeid == 1 && t.msg[i].pid == me);
			if (t.msg[i].len >= 8)
				CHECK(t.msg[i].seq == (uint32_t)i);
		}
		CHECK(t.msg[0].len == 0 && t.msg[n - 1].len == max);
		CHECK(t.bad_payload == 0);
	}

	check_iteration(&t, me);
	CHECK_CS(cpg_leave(t.h, &t.group), CS_OK);
	tc_wait(&t, have_confs, 2, 5, "leave confchg");
	CHECK(t.conf[1].nm == 0 && t.conf[1].nl == 1 && t.conf[1].nj == 0);
	check_addr(&t.conf[1].l[0], 1, me, CPG_REASON_LEAVE);
	nml = 8;
	CHECK_CS(cpg_membership_get(t.h, &t.group, ml, &nml), CS_OK);
	CHECK(nml == 0);
	/* join again after a leave */
	CHECK_CS(tc_join(&t, "basic2"), CS_OK);
	tc_wait(&t, have_confs, 3, 5, "rejoin confchg");
	CHECK_CS(cpg_finalize(t.h), CS_OK);
	tc_free(&t);
	check_initialize();
	return 0;
}

static int do_errors(void)
{
	struct tc t, u;
	struct cpg_name n;
	cpg_iteration_handle_t it;
	struct cpg_iteration_description_t d;

	tc_open(&t, 0);
	/* leave while not joined */
	set_name(&n, "errs");
	CHECK_CS(cpg_leave(t.h, &n), CS_ERR_NOT_EXIST);
	CHECK_CS(tc_join(&t, "errs"), CS_OK);
	/* joining again: in progress, then done */
	CHECK_CS(tc_join(&t, "errs"), CS_ERR_EXIST);
	tc_wait(&t, have_confs, 1, 5, "join confchg");
	CHECK_CS(tc_join(&t, "errs"), CS_ERR_EXIST);
	CHECK_CS(tc_join(&t, "other"), CS_ERR_EXIST);
	/* the same pid may not join the same group through a second handle */
	tc_open(&u, 0);
	CHECK_CS(tc_join(&u, "errs"), CS_ERR_EXIST);
	CHECK_CS(tc_join(&u, "errs-b"), CS_OK);
	/* leaving a group this handle is not in */
	set_name(&n, "nope");
	CHECK_CS(cpg_leave(t.h, &n), CS_ERR_NOT_EXIST);
	/* too long a name (checked by the library too) */
	n.length = CPG_MAX_NAME_LENGTH + 1;
	CHECK_CS(cpg_join(u.h, &n), CS_ERR_NAME_TOO_LONG);
	/* iteration of an unknown group is empty */
	set_name(&n, "no-such-group");
	CHECK_CS(cpg_iteration_initialize(t.h, CPG_ITERATION_ONE_GROUP, &n, &it), CS_OK);
	CHECK_CS(cpg_iteration_next(it, &d), CS_ERR_NO_SECTIONS);
	CHECK_CS(cpg_iteration_finalize(it), CS_OK);
	/* leave, then the second leave finds nothing */
	CHECK_CS(cpg_leave(t.h, &t.group), CS_OK);
	CHECK_CS(cpg_leave(t.h, &t.group), CS_ERR_NOT_EXIST);
	/* join while the leave is in progress: the library retries on
	 * CS_ERR_BUSY until the leave is through */
	CHECK_CS(tc_join(&t, "errs"), CS_OK);
	tc_wait(&t, have_confs, 3, 5, "leave + rejoin confchgs");
	CHECK(t.conf[1].nl == 1 && t.conf[1].l[0].reason == CPG_REASON_LEAVE);
	CHECK(t.conf[2].nj == 1);
	CHECK_CS(cpg_finalize(u.h), CS_OK);
	CHECK_CS(cpg_finalize(t.h), CS_OK);
	CHECK_CS(cpg_finalize(t.h), CS_ERR_BAD_HANDLE);
	tc_free(&u);
	tc_free(&t);
	return 0;
}

static int do_model(void)
{
	struct tc t;

	tc_open(&t, CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF);
	CHECK_CS(tc_join(&t, "model"), CS_OK);
	tc_wait(&t, have_totems, 1, 5, "initial totem confchg");
	CHECK(t.n_conf == 1);	/* it follows the join's confchg */
	CHECK(t.last_ring.nodeid == 1 && t.last_ring.seq >= 1);
	CHECK(t.last_totem_n == 1 && t.last_totem_members[0] == 1);
	CHECK_CS(cpg_finalize(t.h), CS_OK);
	tc_free(&t);
	return 0;
}

static int do_zcb(void)
{
	struct tc t;
	void *buf;
	uint32_t idx, seq;
	int i;

	tc_open(&t, 0);
	CHECK_CS(cpg_zcb_alloc(t.h, 100000, &buf), CS_OK);
	fill_payload(buf, 100000, 0, 0);
	/* not joined yet */
	CHECK_CS(cpg_zcb_mcast_joined(t.h, CPG_TYPE_AGREED, buf, 100000),
		 CS_ERR_NOT_EXIST);
	CHECK_CS(tc_join(&t, "zcb"), CS_OK);
	tc_wait(&t, have_confs, 1, 5, "join confchg");
	for (i = 0; i < 5; i++) {
		fill_payload(buf, 100000, 0, (uint32_t)i);
		CHECK_CS(cpg_zcb_mcast_joined(t.h, CPG_TYPE_AGREED, buf, 100000),
			 CS_OK);
	}
	tc_wait(&t, have_msgs, 5, 5, "zero-copy messages");
	for (i = 0; i < 5; i++) {
		CHECK(t.msg[i].len == 100000 && t.msg[i].seq == (uint32_t)i);
	}
	CHECK(t.bad_payload == 0);
	(void)idx;
	(void)seq;
	CHECK_CS(cpg_zcb_free(t.h, buf), CS_OK);
	CHECK_CS(cpg_finalize(t.h), CS_OK);
	tc_free(&t);
	return 0;
}

static void *blocking_dispatch(void *arg)
{
	struct tc *t = arg;
	cs_error_t rc = cpg_dispatch(t->h, CS_DISPATCH_BLOCKING);

	return (void *)(intptr_t)rc;
}

static int do_dispatch(void)
{
	struct tc t;
	struct pollfd pfd;
	int fd, i;
	pthread_t th;
	void *ret;

	tc_open(&t, 0);
	CHECK_CS(tc_join(&t, "dispatch"), CS_OK);
	tc_wait(&t, have_confs, 1, 5, "join confchg");
	CHECK_CS(cpg_fd_get(t.h, &fd), CS_OK);
	/* nothing pending: the fd is quiet, a non-blocking dispatch says so */
	pfd.fd = fd;
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 50) == 0);
	CHECK_CS(cpg_dispatch(t.h, CS_DISPATCH_ONE_NONBLOCKING), CS_ERR_TRY_AGAIN);
	for (i = 0; i < 6; i++)
		tc_send(&t, 16, 0, (uint32_t)i);
	/* the fd turns readable once events wait */
	CHECK(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN));
	CHECK_CS(cpg_dispatch(t.h, CS_DISPATCH_ONE), CS_OK);
	CHECK(t.n_msg == 1);
	while (t.n_msg < 2) {
		cs_error_t rc = cpg_dispatch(t.h, CS_DISPATCH_ONE_NONBLOCKING);

		CHECK(rc == CS_OK || rc == CS_ERR_TRY_AGAIN);
		if (rc == CS_ERR_TRY_AGAIN)
			usleep(1000);
	}
	CHECK(t.n_msg == 2);
	tc_wait(&t, have_msgs, 6, 5, "the rest, by DISPATCH_ALL");
	CHECK(t.n_msg == 6);
	/* BLOCKING in a thread; a callback finalizing the handle ends it */
	t.finalize_on_quit = 1;
	CHECK(pthread_create(&th, NULL, blocking_dispatch, &t) == 0);
	{
		struct iovec iov = { .iov_base = "quit", .iov_len = 4 };

		CHECK_CS(cpg_mcast_joined(t.h, CPG_TYPE_AGREED, &iov, 1), CS_OK);
	}
	CHECK(pthread_join(th, &ret) == 0);
	CHECK(t.seen_quit);
	CHECK((cs_error_t)(intptr_t)ret == CS_ERR_BAD_HANDLE ||
	      (cs_error_t)(intptr_t)ret == CS_OK);
	tc_free(&t);
	return 0;
}

/* threads: several threads multicast through one handle while another
 * thread dispatches; each thread's messages arrive in its own order. */
#define TH_N 4
#define TH_MSGS 300

struct th_arg {
	struct tc *t;
	uint32_t idx;
};

static void *th_send(void *p)
{
	struct th_arg *a = p;
	uint32_t i;

	for (i = 0; i < TH_MSGS; i++)
		tc_send(a->t, 200 + a->idx, a->idx, i);
	return NULL;
}

static int th_stop;	/* under the tc's lock */

static void *th_dispatch(void *p)
{
	struct tc *t = p;
	struct pollfd pfd;
	int fd, stop;

	CHECK_CS(cpg_fd_get(t->h, &fd), CS_OK);
	for (;;) {
		pthread_mutex_lock(&t->lock);
		stop = th_stop;
		pthread_mutex_unlock(&t->lock);
		if (stop)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 50) > 0)
			cpg_dispatch(t->h, CS_DISPATCH_ALL);
	}
	return NULL;
}

static int do_threads(void)
{
	struct tc t;
	pthread_t s[TH_N], d;
	struct th_arg a[TH_N];
	uint32_t next[TH_N] = { 0 };
	size_t i;
	double end;

	tc_open(&t, 0);
	CHECK_CS(tc_join(&t, "threads"), CS_OK);
	tc_wait(&t, have_confs, 1, 5, "join confchg");
	t.dispatcher_thread = 1;
	CHECK(pthread_create(&d, NULL, th_dispatch, &t) == 0);
	for (i = 0; i < TH_N; i++) {
		a[i].t = &t;
		a[i].idx = (uint32_t)i;
		CHECK(pthread_create(&s[i], NULL, th_send, &a[i]) == 0);
	}
	for (i = 0; i < TH_N; i++)
		pthread_join(s[i], NULL);
	end = now_s() + 10;
	for (;;) {
		pthread_mutex_lock(&t.lock);
		i = t.n_msg;
		pthread_mutex_unlock(&t.lock);
		if (i >= TH_N * TH_MSGS || now_s() > end)
			break;
		usleep(10000);
	}
	pthread_mutex_lock(&t.lock);
	th_stop = 1;
	pthread_mutex_unlock(&t.lock);
	pthread_join(d, NULL);
	CHECK(t.n_msg == TH_N * TH_MSGS);
	CHECK(t.bad_payload == 0);
	for (i = 0; i < t.n_msg; i++) {
		uint32_t x = t.msg[i].sender_idx;

		CHECK(x < TH_N && t.msg[i].len == 200 + x);
		CHECK(t.msg[i].seq == next[x]);
		next[x]++;
	}
	CHECK_CS(cpg_finalize(t.h), CS_OK);
	tc_free(&t);
	return 0;
}

/* procdown: a child joins and is killed with SIGKILL. */
static int do_procdown(void)
{
	struct tc t;
	int pfd[2];
	pid_t child;
	char c;
	struct ev_conf *last;

	tc_open(&t, 0);
	CHECK_CS(tc_join(&t, "procdown"), CS_OK);
	tc_wait(&t, have_confs, 1, 5, "own join");
	CHECK(pipe(pfd) == 0);
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		struct tc k;

		close(pfd[0]);
		tc_open(&k, 0);
		CHECK_CS(tc_join(&k, "procdown"), CS_OK);
		tc_wait(&k, have_confs, 1, 5, "child join");
		CHECK(write(pfd[1], "j", 1) == 1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	CHECK(read(pfd[0], &c, 1) == 1);
	tc_wait(&t, have_members, 2, 5, "child in the group");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	tc_wait(&t, have_members, 1, 5, "child gone");
	last = &t.conf[t.n_conf - 1];
	CHECK(last->nl == 1 && last->nj == 0);
	check_addr(&last->l[0], 1, (uint32_t)child, CPG_REASON_PROCDOWN);
	check_addr(&last->m[0], 1, (uint32_t)getpid(), 0);
	CHECK_CS(cpg_finalize(t.h), CS_OK);
	tc_free(&t);
	return 0;
}

/*
 * member: join GROUP, wait for N members, then the first S of them (in
 * member-list order) each send M messages of SIZE bytes; every member
 * receives all S*M messages, checks content and each sender's order, and
 * prints one line: a digest of the whole delivery order, which must be the
 * same in every member.
 */
static int do_member(const char *group, long n, long s, long m, long size)
{
	struct tc t;
	struct ev_conf *c;
	uint32_t me = (uint32_t)getpid();
	long idx = -1, i;
	uint64_t digest = 1469598103934665603ull;
	uint32_t *next;

	tc_open(&t, 0);
	CHECK_CS(tc_join(&t, group), CS_OK);
	tc_wait(&t, have_members, n, 60, "all members");
	c = &t.conf[t.n_conf - 1];
	for (i = 0; i < (long)c->nm; i++)
		if (c->m[i].pid == me)
			idx = i;
	CHECK(idx >= 0);
	if (idx < s)
		for (i = 0; i < m; i++)
			tc_send(&t, (size_t)size, (uint32_t)idx, (uint32_t)i);
	tc_wait(&t, have_msgs, s * m, 120, "all messages");
	CHECK(t.n_msg == (size_t)(s * m));
	CHECK(t.bad_payload == 0);
	next = calloc((size_t)s, sizeof(*next));
	for (i = 0; i < (long)t.n_msg; i++) {
		struct ev_msg *e = &t.msg[i];

		CHECK(e->len == (size_t)size);
		if (size >= 8) {
			CHECK(e->sender_idx < (uint32_t)s);
			CHECK(e->seq == next[e->sender_idx]);
			next[e->sender_idx]++;
		}
		digest = (digest ^ e->pid) * 1099511628211ull;
		digest = (digest ^ e->sum) * 1099511628211ull;
	}
	printf("%016" PRIx64 " %zu\n", digest, t.n_msg);
	fflush(stdout);
	/* stay until everybody is done, so that nobody's sends race our
	 * leaving: wait for the group to shrink as the others finish.  While
	 * the daemon holds its clients' requests (flow control: a slower
	 * member is behind on these large messages) the leave is refused
	 * CS_ERR_TRY_AGAIN, as corosync refuses it; ask again, as programs
	 * written for corosync do. */
	{
		cs_error_t rc;
		int tries = 0;

		while ((rc = cpg_leave(t.h, &t.group)) == CS_ERR_TRY_AGAIN &&
		       tries++ < 3000)
			usleep(10000);
		CHECK_CS(rc, CS_OK);
	}
	CHECK_CS(cpg_finalize(t.h), CS_OK);
	free(next);
	tc_free(&t);
	return 0;
}

/* hold: join GROUP, say "joined", dispatch until the daemon goes away. */
static int do_hold(const char *group)
{
	struct tc t;
	cs_error_t rc;

	tc_open(&t, 0);
	CHECK_CS(tc_join(&t, group), CS_OK);
	tc_wait(&t, have_confs, 1, 5, "join confchg");
	printf("joined %u\n", (unsigned int)getpid());
	fflush(stdout);
	/* returns once the connection is gone */
	rc = cpg_dispatch(t.h, CS_DISPATCH_BLOCKING);
	printf("closed %d\n", (int)rc);
	fflush(stdout);
	cpg_finalize(t.h);
	tc_free(&t);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stderr, NULL, _IONBF, 0);
	if (argc < 2)
		FAIL("usage: cpgtest SCENARIO [args]");
	if (!strcmp(argv[1], "basic"))
		return do_basic();
	if (!strcmp(argv[1], "errors"))
		return do_errors();
	if (!strcmp(argv[1], "model"))
		return do_model();
	if (!strcmp(argv[1], "zcb"))
		return do_zcb();
	if (!strcmp(argv[1], "dispatch"))
		return do_dispatch();
	if (!strcmp(argv[1], "threads"))
		return do_threads();
	if (!strcmp(argv[1], "procdown"))
		return do_procdown();
	if (!strcmp(argv[1], "hold") && argc == 3)
		return do_hold(argv[2]);
	if (!strcmp(argv[1], "member") && argc == 7)
		return do_member(argv[2], atol(argv[3]), atol(argv[4]),
				 atol(argv[5]), atol(argv[6]));
	FAIL("unknown scenario %s", argv[1]);
	return 2;
}
