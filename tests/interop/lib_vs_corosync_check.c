/*
 * cpg_api_check: exercises the whole CPG client API against a running
 * daemon (corosync or cpgd) and prints one line per check:
 *   PASS: <name>   or   FAIL: <name> (<detail>)
 * Exits 0 only if every check passed.
 *
 *   cpg_api_check [-R] [-n NODEID] [-g GROUP]
 *                                          run every check; the local node
 *                                          must be NODEID (default 1); -R
 *                                          skips the NULL/bad argument and
 *                                          thread checks (for corosync's own
 *                                          libcpg, which does not survive
 *                                          them)
 *   cpg_api_check --probe                  exit 0 once cpg_initialize works
 *   cpg_api_check --which                  print the path of the libcpg used
 *   cpg_api_check [-g GROUP] --until-gone  join, print "ready", and check
 *                                          that the calls fail cleanly once
 *                                          the daemon is stopped
 *   cpg_api_check --no-daemon              check that cpg_initialize fails
 *                                          at once with CS_ERR_LIBRARY
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cpg.h>

#include "cpg_test_model.h"

#define WAIT_MS 10000
#define MAX_CC 64
#define MAX_ADDR 64

struct msg {
	uint32_t nodeid, pid;
	size_t len;
	uint8_t *data;
};

struct confchg {
	struct cpg_name group;
	struct cpg_address members[MAX_ADDR], left[MAX_ADDR], joined[MAX_ADDR];
	size_t n_members, n_left, n_joined;
};

/* What one handle's callbacks have seen; found through cpg_context_get. */
struct seen {
	pthread_mutex_t lock;
	struct msg *msgs;
	size_t n_msgs;
	struct confchg cc[MAX_CC];
	size_t n_cc;
	int n_totem;
	struct cpg_ring_id ring;
	uint32_t totem_nodes[MAX_ADDR];
	uint32_t n_totem_nodes;
	int context_ok;		/* the callback found this struct by context */
};

static int failures;
static int checks;
/* Skip the checks that corosync's own libcpg would crash or hang on. */
static int skip_robustness;

static void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok) {
		printf("PASS: %s\n", name);
	} else {
		failures++;
		printf("FAIL: %s (", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf(")\n");
	}
	fflush(stdout);
}

#define CHECK_CS(name, expr, want) do { \
	cs_error_t got_ = (expr); \
	check(got_ == (want), name, "got %d, want %d", got_, want); \
} while (0)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_deliver(cpg_handle_t h, const struct cpg_name *group,
	uint32_t nodeid, uint32_t pid, void *data, size_t len)
{
	struct seen *s = test_ctx(h);
	struct msg *m;

	(void)group;
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->context_ok = 1;
	m = realloc(s->msgs, (s->n_msgs + 1) * sizeof(*m));
	if (m) {
		s->msgs = m;
		m = &s->msgs[s->n_msgs];
		m->nodeid = nodeid;
		m->pid = pid;
		m->len = len;
		m->data = malloc(len ? len : 1);
		if (m->data) {
			memcpy(m->data, data, len);
			s->n_msgs++;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

static void copy_addrs(struct cpg_address *to, size_t *n,
	const struct cpg_address *from, size_t count)
{
	*n = count;
	if (count > MAX_ADDR)
		count = MAX_ADDR;
	memcpy(to, from, count * sizeof(*to));
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *group,
	const struct cpg_address *members, size_t n_members,
	const struct cpg_address *left, size_t n_left,
	const struct cpg_address *joined, size_t n_joined)
{
	struct seen *s = test_ctx(h);
	struct confchg *c;

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->context_ok = 1;
	if (s->n_cc < MAX_CC) {
		c = &s->cc[s->n_cc++];
		c->group = *group;
		copy_addrs(c->members, &c->n_members, members, n_members);
		copy_addrs(c->left, &c->n_left, left, n_left);
		copy_addrs(c->joined, &c->n_joined, joined, n_joined);
	}
	pthread_mutex_unlock(&s->lock);
}

static void on_totem(cpg_handle_t h, struct cpg_ring_id ring,
	uint32_t n, const uint32_t *nodes)
{
	struct seen *s = test_ctx(h);

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->n_totem++;
	s->ring = ring;
	s->n_totem_nodes = n < MAX_ADDR ? n : MAX_ADDR;
	memcpy(s->totem_nodes, nodes, s->n_totem_nodes * sizeof(*nodes));
	pthread_mutex_unlock(&s->lock);
}

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
}

static void seen_clear(struct seen *s)
{
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->n_msgs; i++)
		free(s->msgs[i].data);
	free(s->msgs);
	s->msgs = NULL;
	s->n_msgs = 0;
	s->n_cc = 0;
	s->n_totem = 0;
	pthread_mutex_unlock(&s->lock);
}

/* Dispatch from a poll loop until pred(s, arg) holds or WAIT_MS pass. */
static int wait_for(cpg_handle_t h, struct seen *s,
	int (*pred)(struct seen *, const void *), const void *arg)
{
	uint64_t end = now_ms() + WAIT_MS;
	struct pollfd pfd = { .events = POLLIN };
	int ok;

	if (cpg_fd_get(h, &pfd.fd) != CS_OK)
		return 0;
	for (;;) {
		pthread_mutex_lock(&s->lock);
		ok = pred(s, arg);
		pthread_mutex_unlock(&s->lock);
		if (ok)
			return 1;
		if (now_ms() >= end)
			return 0;
		if (poll(&pfd, 1, 100) > 0 &&
		    cpg_dispatch(h, CS_DISPATCH_ALL) != CS_OK)
			return 0;
	}
}

struct want_cc {
	const struct cpg_name *group;
	uint32_t nodeid, pid, reason;
	int in_joined;		/* else in left */
};

static int has_addr(const struct cpg_address *a, size_t n, uint32_t nodeid,
	uint32_t pid, uint32_t reason)
{
	for (size_t i = 0; i < n && i < MAX_ADDR; i++)
		if (a[i].nodeid == nodeid && a[i].pid == pid &&
		    (reason == 0 || a[i].reason == reason))
			return 1;
	return 0;
}

static const struct confchg *find_cc(struct seen *s, const struct want_cc *w)
{
	for (size_t i = 0; i < s->n_cc; i++) {
		const struct confchg *c = &s->cc[i];

		if (c->group.length != w->group->length ||
		    memcmp(c->group.value, w->group->value, c->group.length))
			continue;
		if (w->in_joined
		    ? has_addr(c->joined, c->n_joined, w->nodeid, w->pid, w->reason)
		    : has_addr(c->left, c->n_left, w->nodeid, w->pid, w->reason))
			return c;
	}
	return NULL;
}

static int pred_cc(struct seen *s, const void *arg)
{
	return find_cc(s, arg) != NULL;
}

static int pred_msgs(struct seen *s, const void *arg)
{
	return s->n_msgs >= *(const size_t *)arg;
}

static int pred_totem(struct seen *s, const void *arg)
{
	(void)arg;
	return s->n_totem > 0;
}

static void set_name(struct cpg_name *n, const char *s)
{
	memset(n, 0, sizeof(*n));
	n->length = (uint32_t)strlen(s);
	memcpy(n->value, s, n->length);
}

/* Byte i of test message number k. */
static uint8_t pattern(size_t k, size_t i)
{
	return (uint8_t)(k * 31 + i * 7 + (i >> 8));
}

static int pattern_ok(const struct msg *m, size_t k, size_t len)
{
	if (m->len != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (m->data[i] != pattern(k, i))
			return 0;
	return 1;
}

static uint8_t *pattern_buf(size_t k, size_t len)
{
	uint8_t *b = malloc(len ? len : 1);

	for (size_t i = 0; b && i < len; i++)
		b[i] = pattern(k, i);
	return b;
}

/* Send len bytes of message k as three iovecs. */
static cs_error_t send_pattern(cpg_handle_t h, size_t k, size_t len)
{
	uint8_t *b = pattern_buf(k, len);
	struct iovec iov[3];
	size_t a = len / 3, c = len / 2;
	cs_error_t rc;

	if (!b)
		return CS_ERR_NO_MEMORY;
	iov[0] = (struct iovec){ b, a };
	iov[1] = (struct iovec){ b + a, c - a };
	iov[2] = (struct iovec){ b + c, len - c };
	do {
		rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, iov, 3);
		if (rc == CS_ERR_TRY_AGAIN)
			cpg_dispatch(h, CS_DISPATCH_ALL);
	} while (rc == CS_ERR_TRY_AGAIN);
	free(b);
	return rc;
}

static cpg_callbacks_t callbacks = { on_deliver, on_confchg };

/*
 * A peer process: joins, then on each byte from the parent either leaves
 * ('l') or exits without leaving ('x').  It reports each step done.
 */
static int peer_main(const struct cpg_name *group, int to_parent,
	int from_parent)
{
	cpg_handle_t h;
	char c;

	if (cpg_initialize(&h, &callbacks) != CS_OK ||
	    cpg_join(h, group) != CS_OK)
		return 1;
	if (write(to_parent, "j", 1) != 1)
		return 1;
	while (read(from_parent, &c, 1) == 1) {
		if (c == 'x')
			_exit(0);
		if (cpg_leave(h, group) != CS_OK)
			return 2;
		if (write(to_parent, "l", 1) != 1)
			return 1;
	}
	return 3;
}

struct peer {
	pid_t pid;
	int up, down;
};

static int peer_start(struct peer *p, const struct cpg_name *group)
{
	int up[2], down[2];
	char c;

	if (pipe(up) < 0 || pipe(down) < 0)
		return 0;
	p->pid = fork();
	if (p->pid == 0) {
		close(up[0]);
		close(down[1]);
		_exit(peer_main(group, up[1], down[0]));
	}
	close(up[1]);
	close(down[0]);
	p->up = up[0];
	p->down = down[1];
	return p->pid > 0 && read(p->up, &c, 1) == 1 && c == 'j';
}

/* Tell the peer to leave ('l', waits for it) or to exit ('x'). */
static int peer_cmd(struct peer *p, char cmd)
{
	int status;
	char c;

	if (write(p->down, &cmd, 1) != 1)
		return 0;
	if (cmd == 'l')
		return read(p->up, &c, 1) == 1 && c == 'l';
	waitpid(p->pid, &status, 0);
	close(p->up);
	close(p->down);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Another process's JOIN, LEAVE and PROCDOWN as seen from here. */
static void check_second_process(cpg_handle_t h, struct seen *s,
	const struct cpg_name *group, uint32_t nodeid)
{
	struct peer a, b;
	struct want_cc w = { group, nodeid, 0, CPG_REASON_JOIN, 1 };

	check(peer_start(&a, group), "peer joins", "peer failed");
	w.pid = (uint32_t)a.pid;
	check(wait_for(h, s, pred_cc, &w), "confchg JOIN of peer",
		"no confchg with pid %d joined", (int)a.pid);
	check(peer_cmd(&a, 'l'), "peer leaves", "peer failed");
	w.reason = CPG_REASON_LEAVE;
	w.in_joined = 0;
	check(wait_for(h, s, pred_cc, &w), "confchg LEAVE of peer",
		"no confchg with pid %d left (LEAVE)", (int)a.pid);
	check(peer_cmd(&a, 'x'), "peer exits after leave", "status");

	check(peer_start(&b, group), "second peer joins", "peer failed");
	w = (struct want_cc){ group, nodeid, (uint32_t)b.pid,
		CPG_REASON_JOIN, 1 };
	check(wait_for(h, s, pred_cc, &w), "confchg JOIN of second peer",
		"no confchg with pid %d joined", (int)b.pid);
	check(peer_cmd(&b, 'x'), "second peer exits without leave", "status");
	w.reason = CPG_REASON_PROCDOWN;
	w.in_joined = 0;
	check(wait_for(h, s, pred_cc, &w), "confchg PROCDOWN of second peer",
		"no confchg with pid %d left (PROCDOWN)", (int)b.pid);
}

static void check_errors(cpg_handle_t h, const struct cpg_name *group)
{
	struct cpg_address members[8];
	int n = 8;
	int fd;
	cpg_iteration_handle_t ih;
	cpg_flow_control_state_t fc;
	struct iovec iov = { "x", 1 };

	CHECK_CS("bad handle: fd_get", cpg_fd_get(0x1234567890ULL, &fd),
		CS_ERR_BAD_HANDLE);
	CHECK_CS("bad handle: join", cpg_join(0x1234567890ULL, group),
		CS_ERR_BAD_HANDLE);
	CHECK_CS("bad handle: dispatch",
		cpg_dispatch(0x1234567890ULL, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
	CHECK_CS("bad handle: finalize", cpg_finalize(0), CS_ERR_BAD_HANDLE);
	CHECK_CS("bad handle: iteration_next", cpg_iteration_next(42, NULL),
		CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: initialize", cpg_initialize(NULL, &callbacks),
		CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: fd_get", cpg_fd_get(h, NULL), CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: context_get", cpg_context_get(h, NULL),
		CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: max_atomic", cpg_max_atomic_msgsize_get(h, NULL),
		CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: join", cpg_join(h, NULL), CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: mcast iovec", cpg_mcast_joined(h, CPG_TYPE_AGREED,
		NULL, 1), CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: membership list", cpg_membership_get(h,
		(struct cpg_name *)group, NULL, &n), CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: membership count", cpg_membership_get(h,
		(struct cpg_name *)group, members, NULL), CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: local_get", cpg_local_get(h, NULL),
		CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: flow_control", cpg_flow_control_state_get(h, NULL),
		CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: zcb_alloc", cpg_zcb_alloc(h, 10, NULL),
		CS_ERR_INVALID_PARAM);
	CHECK_CS("bad pointer: zcb_free", cpg_zcb_free(h, &fc),
		CS_ERR_INVALID_PARAM);
	CHECK_CS("bad pointer: zcb_mcast", cpg_zcb_mcast_joined(h,
		CPG_TYPE_AGREED, &fc, 1), CS_ERR_INVALID_PARAM);
	CHECK_CS("NULL: iteration handle", cpg_iteration_initialize(h,
		CPG_ITERATION_ALL, NULL, NULL), CS_ERR_INVALID_PARAM);
	CHECK_CS("bad iteration type", cpg_iteration_initialize(h,
		(cpg_iteration_type_t)7, group, &ih), CS_ERR_INVALID_PARAM);
	/* an unknown dispatch type is taken as BLOCKING (argcheck.c) */
	CHECK_CS("bad model", cpg_model_initialize(&h, (cpg_model_t)2, NULL,
		NULL), CS_ERR_INVALID_PARAM);
	{
		/* corosync 3.1 answers no MCAST, so it cannot refuse it */
		cs_error_t rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1);

		check(rc == CS_ERR_NOT_EXIST || rc == CS_OK,
			"mcast before join", "got %d", rc);
	}
	CHECK_CS("leave before join", cpg_leave(h, group), CS_ERR_NOT_EXIST);
}

static void check_iteration(cpg_handle_t h, const struct cpg_name *group,
	uint32_t nodeid)
{
	static const cpg_iteration_type_t types[] = {
		CPG_ITERATION_NAME_ONLY, CPG_ITERATION_ONE_GROUP,
		CPG_ITERATION_ALL,
	};
	static const char *const names[] = {
		"iteration NAME_ONLY", "iteration ONE_GROUP", "iteration ALL",
	};

	cpg_iteration_handle_t ih0;

	CHECK_CS("iteration NAME_ONLY refuses a group",
		cpg_iteration_initialize(h, CPG_ITERATION_NAME_ONLY, group, &ih0),
		CS_ERR_INVALID_PARAM);
	CHECK_CS("iteration ONE_GROUP needs a group",
		cpg_iteration_initialize(h, CPG_ITERATION_ONE_GROUP, NULL, &ih0),
		CS_ERR_INVALID_PARAM);
	for (int t = 0; t < 3; t++) {
		cpg_iteration_handle_t ih;
		struct cpg_iteration_description_t d;
		int found = 0, entries = 0;
		cs_error_t rc;

		/* only ONE_GROUP takes a group; the others want NULL */
		rc = cpg_iteration_initialize(h, types[t],
			types[t] == CPG_ITERATION_ONE_GROUP ? group : NULL, &ih);
		if (rc != CS_OK) {
			check(0, names[t], "initialize: %d", rc);
			continue;
		}
		while ((rc = cpg_iteration_next(ih, &d)) == CS_OK) {
			int same = d.group.length == group->length &&
				!memcmp(d.group.value, group->value, group->length);

			entries++;
			if (types[t] == CPG_ITERATION_NAME_ONLY ? same
			    : (same && d.nodeid == nodeid &&
			       d.pid == (uint32_t)getpid()))
				found = 1;
		}
		check(rc == CS_ERR_NO_SECTIONS && found, names[t],
			"end %d, %d entries, ours %s", rc, entries,
			found ? "found" : "missing");
		CHECK_CS("iteration_finalize", cpg_iteration_finalize(ih), CS_OK);
		CHECK_CS("iteration handle dead after finalize",
			cpg_iteration_next(ih, &d), CS_ERR_BAD_HANDLE);
	}
}

static void check_zcb(cpg_handle_t h, struct seen *s)
{
	const size_t len = 5000;
	size_t want;
	void *buf = NULL;
	cs_error_t rc;

	CHECK_CS("zcb_alloc", cpg_zcb_alloc(h, len, &buf), CS_OK);
	if (!buf)
		return;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = pattern(99, i);
	seen_clear(s);
	do {
		rc = cpg_zcb_mcast_joined(h, CPG_TYPE_AGREED, buf, len);
	} while (rc == CS_ERR_TRY_AGAIN);
	CHECK_CS("zcb_mcast_joined", rc, CS_OK);
	want = 1;
	check(wait_for(h, s, pred_msgs, &want) && pattern_ok(&s->msgs[0], 99, len),
		"zcb message delivered intact", "%zu messages", s->n_msgs);
	if (!skip_robustness)
		CHECK_CS("zcb mcast longer than buffer", cpg_zcb_mcast_joined(h,
			CPG_TYPE_AGREED, buf, len + 1), CS_ERR_INVALID_PARAM);
	CHECK_CS("zcb_free", cpg_zcb_free(h, buf), CS_OK);
	if (!skip_robustness)
		CHECK_CS("zcb_free twice", cpg_zcb_free(h, buf),
			CS_ERR_INVALID_PARAM);
}

struct sender {
	cpg_handle_t h;
	size_t first, count;
	cs_error_t rc;
};

static void *sender_main(void *arg)
{
	struct sender *snd = arg;

	snd->rc = CS_OK;
	for (size_t k = snd->first; k < snd->first + snd->count; k++) {
		cs_error_t rc = send_pattern(snd->h, k, 100 + k);

		if (rc != CS_OK)
			snd->rc = rc;
	}
	return NULL;
}

struct dispatcher {
	cpg_handle_t h;
	cs_error_t rc;
};

static void *dispatcher_main(void *arg)
{
	struct dispatcher *d = arg;

	d->rc = cpg_dispatch(d->h, CS_DISPATCH_BLOCKING);
	return NULL;
}

/* Two senders and a blocking dispatcher on one handle, then finalize
 * while the dispatcher still blocks. */
static void check_threads(const char *group_name)
{
	struct cpg_name group_buf, *group = &group_buf;
	struct seen s;
	cpg_handle_t h;
	struct sender snd[2];
	struct dispatcher disp;
	pthread_t t[3];
	size_t want = 100;
	uint64_t end;
	int done = 0, a_in_order = 1;
	size_t next[2] = { 0, 50 };

	seen_init(&s);
	/* a pid may be in a group once: use a group of its own */
	set_name(group, group_name);
	if (cpg_model_initialize(&h, CPG_MODEL_V1, (cpg_model_data_t *)&(
			cpg_model_v1_data_t){ CPG_MODEL_V1, on_deliver,
			on_confchg, NULL, 0 }, &s) != CS_OK ||
	    cpg_join(h, group) != CS_OK) {
		check(0, "threads: setup", "initialize/join failed");
		return;
	}
	disp.h = h;
	pthread_create(&t[0], NULL, dispatcher_main, &disp);
	for (int i = 0; i < 2; i++) {
		snd[i] = (struct sender){ h, i * 50, 50, CS_OK };
		pthread_create(&t[1 + i], NULL, sender_main, &snd[i]);
	}
	pthread_join(t[1], NULL);
	pthread_join(t[2], NULL);
	check(snd[0].rc == CS_OK && snd[1].rc == CS_OK,
		"threads: two senders on one handle", "%d %d", snd[0].rc, snd[1].rc);
	end = now_ms() + WAIT_MS;
	while (!done && now_ms() < end) {
		pthread_mutex_lock(&s.lock);
		done = s.n_msgs >= want;
		pthread_mutex_unlock(&s.lock);
		usleep(10000);
	}
	/* each sender's own messages arrive in its order */
	pthread_mutex_lock(&s.lock);
	for (size_t i = 0; i < s.n_msgs; i++) {
		size_t k = s.msgs[i].len - 100;
		int which = k >= 50;

		if (k != next[which] || !pattern_ok(&s.msgs[i], k, 100 + k))
			a_in_order = 0;
		else
			next[which]++;
	}
	pthread_mutex_unlock(&s.lock);
	check(done && a_in_order,
		"threads: dispatch thread delivers all, per-sender order",
		"%zu of %zu, order %s", s.n_msgs, want, a_in_order ? "ok" : "bad");
	CHECK_CS("threads: finalize during blocking dispatch", cpg_finalize(h),
		CS_OK);
	pthread_join(t[0], NULL);
	check(disp.rc == CS_OK, "threads: blocking dispatch returns",
		"got %d", disp.rc);
	seen_clear(&s);
}

/* Callbacks that call back into the library on their own handle. */
static cs_error_t nested_rc;
static int finalized_in_callback;

static void on_deliver_nested(cpg_handle_t h, const struct cpg_name *group,
	uint32_t nodeid, uint32_t pid, void *data, size_t len)
{
	(void)group; (void)nodeid; (void)pid; (void)data; (void)len;
	nested_rc = cpg_dispatch(h, CS_DISPATCH_ALL);
}

static void on_deliver_finalize(cpg_handle_t h, const struct cpg_name *group,
	uint32_t nodeid, uint32_t pid, void *data, size_t len)
{
	(void)group; (void)nodeid; (void)pid; (void)data; (void)len;
	if (cpg_finalize(h) == CS_OK)
		finalized_in_callback = 1;
}

/* Dispatch with poll until flag is set or the time is up. */
static cs_error_t dispatch_until(cpg_handle_t h, int fd, const int *flag)
{
	uint64_t end = now_ms() + WAIT_MS;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	cs_error_t rc = CS_OK;

	while (!*flag && rc == CS_OK && now_ms() < end)
		if (poll(&pfd, 1, 100) > 0)
			rc = cpg_dispatch(h, CS_DISPATCH_ONE);
	return rc;
}

static void check_reentry(const char *group_name)
{
	cpg_callbacks_t cb = { on_deliver_nested, NULL };
	struct cpg_name group;
	struct iovec iov = { "re-entry", 8 };
	cpg_handle_t h;
	int fd = -1, delivered = 0;

	set_name(&group, group_name);
	nested_rc = CS_OK;
	if (cpg_initialize(&h, &cb) != CS_OK || cpg_join(h, &group) != CS_OK ||
	    cpg_fd_get(h, &fd) != CS_OK ||
	    cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1) != CS_OK) {
		check(0, "re-entry: setup", "initialize/join/mcast failed");
		return;
	}
	{
		uint64_t end = now_ms() + WAIT_MS;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		while (nested_rc == CS_OK && now_ms() < end)
			if (poll(&pfd, 1, 100) > 0)
				cpg_dispatch(h, CS_DISPATCH_ONE);
	}
	check(nested_rc == CS_ERR_BAD_OPERATION,
		"dispatch from a callback is refused", "got %d", nested_rc);
	CHECK_CS("re-entry: finalize", cpg_finalize(h), CS_OK);

	/* finalize from inside a callback: dispatch returns, handle dead */
	cb.cpg_deliver_fn = on_deliver_finalize;
	finalized_in_callback = 0;
	if (cpg_initialize(&h, &cb) != CS_OK || cpg_join(h, &group) != CS_OK ||
	    cpg_fd_get(h, &fd) != CS_OK ||
	    cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1) != CS_OK) {
		check(0, "finalize in callback: setup", "failed");
		return;
	}
	delivered = dispatch_until(h, fd, &finalized_in_callback) == CS_OK;
	check(delivered && finalized_in_callback, "finalize from a callback",
		"finalized %d", finalized_in_callback);
	CHECK_CS("handle dead after finalize in callback",
		cpg_dispatch(h, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
}

static void check_model_v1(const struct cpg_name *group, uint32_t nodeid)
{
	struct seen s;
	cpg_handle_t h;
	struct want_cc w = { group, nodeid, (uint32_t)getpid(),
		CPG_REASON_JOIN, 1 };
	int found = 0;

	seen_init(&s);
	CHECK_CS("model_initialize v1", test_model_v1(&h, on_deliver,
		on_confchg, on_totem, &s), CS_OK);
	CHECK_CS("model v1: join", cpg_join(h, group), CS_OK);
	check(wait_for(h, &s, pred_cc, &w), "model v1: confchg of own join",
		"none");
	check(wait_for(h, &s, pred_totem, NULL),
		"model v1: initial totem confchg", "none after join");
	for (uint32_t i = 0; i < s.n_totem_nodes; i++)
		if (s.totem_nodes[i] == nodeid)
			found = 1;
	check(found && s.ring.seq > 0, "model v1: totem members and ring id",
		"%u members, ring %" PRIx32 ".%" PRIx64, s.n_totem_nodes,
		s.ring.nodeid, s.ring.seq);
	CHECK_CS("model v1: finalize", cpg_finalize(h), CS_OK);
	seen_clear(&s);
}

static int run_all(uint32_t nodeid, const char *group_name)
{
	struct seen s;
	cpg_handle_t h, h2;
	struct cpg_name group, group2;
	uint32_t atomic = 0;
	unsigned int local = 0;
	void *ctx = NULL;
	int fd = -1, n;
	size_t want;
	struct cpg_address members[CPG_MEMBERS_MAX];
	cpg_flow_control_state_t fc = CPG_FLOW_CONTROL_ENABLED;
	struct want_cc w;
	char name2[CPG_MAX_NAME_LENGTH];
	int in_order = 1, found = 0;

	seen_init(&s);
	set_name(&group, group_name);
	snprintf(name2, sizeof(name2), "%s-v1", group_name);
	set_name(&group2, name2);

	CHECK_CS("initialize", cpg_initialize(&h, &callbacks), CS_OK);
	CHECK_CS("fd_get", cpg_fd_get(h, &fd), CS_OK);
	check(fd >= 0, "fd_get gives an fd", "fd %d", fd);
	CHECK_CS("context_get before set", cpg_context_get(h, &ctx), CS_OK);
	check(ctx == NULL, "context starts NULL", "%p", ctx);
	CHECK_CS("context_set", cpg_context_set(h, &s), CS_OK);
	CHECK_CS("context_get", cpg_context_get(h, &ctx), CS_OK);
	check(ctx == &s, "context round trip", "%p", ctx);
	CHECK_CS("max_atomic_msgsize_get", cpg_max_atomic_msgsize_get(h, &atomic),
		CS_OK);
	check(atomic >= 65536 && atomic < 8 * 1024 * 1024,
		"max atomic size plausible", "%u", atomic);
	CHECK_CS("local_get", cpg_local_get(h, &local), CS_OK);
	check(local == nodeid, "local node id", "got %u, want %u", local, nodeid);
	CHECK_CS("flow_control_state_get", cpg_flow_control_state_get(h, &fc),
		CS_OK);
	check(fc == CPG_FLOW_CONTROL_DISABLED, "flow control off", "%d", fc);
	CHECK_CS("dispatch ONE_NONBLOCKING with nothing pending",
		cpg_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING), CS_ERR_TRY_AGAIN);
	CHECK_CS("dispatch ALL with nothing pending",
		cpg_dispatch(h, CS_DISPATCH_ALL), CS_OK);

	if (!skip_robustness)
		check_errors(h, &group);

	{
		struct cpg_name too_long;

		memset(&too_long, 'n', sizeof(too_long));
		too_long.length = CPG_MAX_NAME_LENGTH + 1;
		CHECK_CS("join with a name over 128 bytes",
			cpg_join(h, &too_long), CS_ERR_NAME_TOO_LONG);
	}
	CHECK_CS("join", cpg_join(h, &group), CS_OK);
	CHECK_CS("join twice", cpg_join(h, &group), CS_ERR_EXIST);
	w = (struct want_cc){ &group, nodeid, (uint32_t)getpid(),
		CPG_REASON_JOIN, 1 };
	check(wait_for(h, &s, pred_cc, &w), "confchg JOIN of self", "none");
	{
		const struct confchg *c = find_cc(&s, &w);

		check(c && has_addr(c->members, c->n_members, nodeid,
			(uint32_t)getpid(), 0) && c->n_left == 0 &&
			c->n_joined == 1, "confchg JOIN contents",
			"members %zu left %zu joined %zu",
			c ? c->n_members : 0, c ? c->n_left : 0,
			c ? c->n_joined : 0);
	}
	check(s.context_ok, "callbacks find context", "no");

	n = CPG_MEMBERS_MAX;
	CHECK_CS("membership_get", cpg_membership_get(h, &group, members, &n),
		CS_OK);
	check(n == 1 && members[0].nodeid == nodeid &&
		members[0].pid == (uint32_t)getpid(), "membership is self",
		"%d members", n);

	check_iteration(h, &group, nodeid);

	/* small messages, several iovecs each, delivered in order */
	seen_clear(&s);
	for (size_t k = 0; k < 20; k++)
		if (send_pattern(h, k, 10 + k * 13) != CS_OK)
			in_order = 0;
	check(in_order, "mcast small messages", "a send failed");
	want = 20;
	check(wait_for(h, &s, pred_msgs, &want), "deliver small messages",
		"%zu of 20", s.n_msgs);
	for (size_t k = 0; k < s.n_msgs && k < 20; k++)
		if (!pattern_ok(&s.msgs[k], k, 10 + k * 13) ||
		    s.msgs[k].nodeid != nodeid ||
		    s.msgs[k].pid != (uint32_t)getpid())
			in_order = 0;
	check(in_order, "own messages in order, intact, with nodeid and pid",
		"mismatch");

	/* an empty message and one of exactly the atomic size */
	seen_clear(&s);
	CHECK_CS("mcast empty message", send_pattern(h, 1, 0), CS_OK);
	CHECK_CS("mcast atomic-size message", send_pattern(h, 2, atomic), CS_OK);
	want = 2;
	check(wait_for(h, &s, pred_msgs, &want) && s.msgs[0].len == 0 &&
		pattern_ok(&s.msgs[1], 2, atomic), "deliver empty and atomic-size",
		"%zu messages", s.n_msgs);

	/* fragmented: 3 MiB + 5 and just over the atomic size */
	seen_clear(&s);
	CHECK_CS("mcast 3 MiB (fragmented)", send_pattern(h, 3,
		3 * 1024 * 1024 + 5), CS_OK);
	CHECK_CS("mcast atomic+1 (fragmented)", send_pattern(h, 4,
		(size_t)atomic + 1), CS_OK);
	CHECK_CS("mcast small after large", send_pattern(h, 5, 33), CS_OK);
	want = 3;
	check(wait_for(h, &s, pred_msgs, &want) &&
		pattern_ok(&s.msgs[0], 3, 3 * 1024 * 1024 + 5) &&
		pattern_ok(&s.msgs[1], 4, (size_t)atomic + 1) &&
		pattern_ok(&s.msgs[2], 5, 33),
		"fragmented messages reassembled in order", "%zu messages",
		s.n_msgs);

	/* the largest size the library promises to carry */
	seen_clear(&s);
	CHECK_CS("mcast 64 MiB (fragmented)", send_pattern(h, 6,
		64u * 1024 * 1024), CS_OK);
	want = 1;
	check(wait_for(h, &s, pred_msgs, &want) &&
		pattern_ok(&s.msgs[0], 6, 64u * 1024 * 1024),
		"64 MiB message reassembled", "%zu messages", s.n_msgs);
	seen_clear(&s);

	check_zcb(h, &s);

	check_second_process(h, &s, &group, nodeid);

	check_model_v1(&group2, nodeid);
	if (!skip_robustness) {
		snprintf(name2, sizeof(name2), "%s-threads", group_name);
		check_threads(name2);
		snprintf(name2, sizeof(name2), "%s-reentry", group_name);
		check_reentry(name2);
	}

	/* leave is seen by the leaver too */
	seen_clear(&s);
	CHECK_CS("leave", cpg_leave(h, &group), CS_OK);
	w = (struct want_cc){ &group, nodeid, (uint32_t)getpid(),
		CPG_REASON_LEAVE, 0 };
	check(wait_for(h, &s, pred_cc, &w), "confchg LEAVE of self", "none");
	n = CPG_MEMBERS_MAX;
	CHECK_CS("membership_get after leave",
		cpg_membership_get(h, &group, members, &n), CS_OK);
	for (int i = 0; i < n; i++)
		if (members[i].pid == (uint32_t)getpid())
			found = 1;
	check(!found, "self gone from membership", "still listed");

	CHECK_CS("initialize second", cpg_initialize(&h2, &callbacks), CS_OK);
	CHECK_CS("finalize second", cpg_finalize(h2), CS_OK);
	CHECK_CS("finalize twice", cpg_finalize(h2), CS_ERR_BAD_HANDLE);

	CHECK_CS("finalize", cpg_finalize(h), CS_OK);
	CHECK_CS("join after finalize", cpg_join(h, &group), CS_ERR_BAD_HANDLE);
	CHECK_CS("dispatch after finalize", cpg_dispatch(h, CS_DISPATCH_ALL),
		CS_ERR_BAD_HANDLE);
	seen_clear(&s);

	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}

/*
 * Join, say "ready", and block in dispatch until the daemon goes away:
 * then every call fails cleanly with CS_ERR_LIBRARY instead of crashing.
 */
static int until_gone(const char *group_name)
{
	struct cpg_name group;
	struct iovec iov = { "late", 4 };
	unsigned int nodeid;
	cpg_handle_t h;
	cs_error_t rc;

	set_name(&group, group_name);
	if (cpg_initialize(&h, &callbacks) != CS_OK ||
	    cpg_join(h, &group) != CS_OK)
		return 1;
	printf("ready\n");
	fflush(stdout);
	rc = cpg_dispatch(h, CS_DISPATCH_BLOCKING);
	check(rc == CS_ERR_LIBRARY, "blocking dispatch ends when the daemon "
		"goes", "got %d", rc);
	rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1);
	check(rc == CS_ERR_LIBRARY, "mcast without daemon", "got %d", rc);
	CHECK_CS("join without daemon", cpg_join(h, &group), CS_ERR_LIBRARY);
	CHECK_CS("local_get without daemon", cpg_local_get(h, &nodeid),
		CS_ERR_LIBRARY);
	CHECK_CS("dispatch without daemon", cpg_dispatch(h, CS_DISPATCH_ALL),
		CS_ERR_LIBRARY);
	/* the handle is gone all the same (as with corosync's library) */
	CHECK_CS("finalize without daemon", cpg_finalize(h), CS_ERR_LIBRARY);
	CHECK_CS("finalized without daemon", cpg_finalize(h),
		CS_ERR_BAD_HANDLE);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	uint32_t nodeid = 1;
	const char *group = "cpg-api-check";
	cpg_handle_t h;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--which")) {
			Dl_info info;

			/* which libcpg this process runs with */
			if (!dladdr((void *)cpg_initialize, &info) ||
			    !info.dli_fname)
				return 1;
			printf("%s\n", info.dli_fname);
			return 0;
		} else if (!strcmp(argv[i], "--probe")) {
			if (cpg_initialize(&h, NULL) != CS_OK)
				return 1;
			cpg_finalize(h);
			return 0;
		} else if (!strcmp(argv[i], "--no-daemon")) {
			uint64_t t0 = now_ms();
			cs_error_t rc = cpg_initialize(&h, &callbacks);

			check(rc == CS_ERR_LIBRARY, "initialize without daemon",
				"got %d", rc);
			check(now_ms() - t0 < 2000, "fails at once",
				"%" PRIu64 " ms", now_ms() - t0);
			return failures ? 1 : 0;
		} else if (!strcmp(argv[i], "--until-gone")) {
			return until_gone(group);
		} else if (!strcmp(argv[i], "-R")) {
			skip_robustness = 1;
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			nodeid = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "-g") && i + 1 < argc) {
			group = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [-R] [-n nodeid] [-g group] "
				"[--probe|--no-daemon|--which|--until-gone]\n",
				argv[0]);
			return 2;
		}
	}
	return run_all(nodeid, group);
}
