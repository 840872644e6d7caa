/*
 * The CPG layer's group logic with the ordering layer stubbed: joins,
 * leaves, process deaths, confchg contents and order, the answers of the
 * spec's Behaviour section, fragments, iteration, configuration changes.
 * The stub queues what is multicast; a test delivers it when it chooses.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "grp/grp.h"
#include "grp/grp_msg.h"
#include "util/err.h"
#include "unit/check_main.h"

/* ---- the stub ordering layer */

struct qmsg {
	struct qmsg *next;
	size_t len;
	uint8_t data[];
};

struct stub {
	struct order base;
	uint32_t nodeid;
	struct qmsg *head, *tail;
	int full;		/* answer -EAGAIN */
	int n_mcast;
	size_t max;		/* max_msg_size */
};

static int stub_mcast(struct order *o, const struct iovec *iov,
		      unsigned int n, enum order_guarantee g)
{
	struct stub *s = (struct stub *)o;
	struct qmsg *m;
	size_t len = 0, off = 0;
	unsigned int i;

	(void)g;
	if (s->full)
		return -EAGAIN;
	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	m = calloc(1, sizeof(*m) + len);
	for (i = 0; i < n; i++) {
		memcpy(m->data + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	m->len = len;
	if (s->tail)
		s->tail->next = m;
	else
		s->head = m;
	s->tail = m;
	s->n_mcast++;
	return 0;
}

static uint32_t stub_nodeid(const struct order *o)
{
	return ((const struct stub *)o)->nodeid;
}

static size_t stub_max(const struct order *o)
{
	return ((const struct stub *)o)->max;
}
static int stub_blocked(const struct order *o) { (void)o; return 0; }
static void stub_destroy(struct order *o) { (void)o; }

static const struct order_ops stub_ops = {
	stub_mcast, stub_nodeid, stub_max, stub_blocked, NULL, stub_destroy,
	NULL, NULL,
};

/* Deliver everything queued, including what delivering queues. */
static int pump(struct stub *s)
{
	int n = 0;

	while (s->head) {
		struct qmsg *m = s->head;

		s->head = m->next;
		if (!s->head)
			s->tail = NULL;
		s->base.user.deliver(s->base.user.arg, s->nodeid, m->data, m->len);
		free(m);
		n++;
	}
	return n;
}

static void drop_queue(struct stub *s)
{
	while (s->head) {
		struct qmsg *m = s->head;

		s->head = m->next;
		free(m);
	}
	s->tail = NULL;
}

/* ---- the recording sink */

enum ev_kind { EV_CONF, EV_DATA, EV_PART, EV_TOTEM };

struct ev {
	enum ev_kind kind;
	struct grp_gname g;
	struct grp_addr m[16], l[16], j[16];
	size_t nm, nl, nj;
	uint32_t nodeid, pid, msglen, type;
	size_t len;
	uint64_t ring_seq;
	uint32_t ring_rep;
};

struct conn {
	struct ev ev[64];
	size_t n;
};

static int flow_seen = -1;
/* the sink's arg: every callback gets it first (grp.h) */
static int sink_arg;

static struct ev *push(void *arg, void *c)
{
	struct conn *k = c;

	ck_assert_ptr_eq(arg, &sink_arg);

	ck_assert_uint_lt(k->n, 64);
	memset(&k->ev[k->n], 0, sizeof(k->ev[0]));
	return &k->ev[k->n++];
}

static void s_confchg(void *arg, void *c, const struct grp_gname *g,
		      const struct grp_addr *m, size_t nm,
		      const struct grp_addr *l, size_t nl,
		      const struct grp_addr *j, size_t nj)
{
	struct ev *e = push(arg, c);

	e->kind = EV_CONF;
	e->g = *g;
	/* an empty list may come as NULL, which memcpy must not see */
	if (nm)
		memcpy(e->m, m, nm * sizeof(*m));
	if (nl)
		memcpy(e->l, l, nl * sizeof(*l));
	if (nj)
		memcpy(e->j, j, nj * sizeof(*j));
	e->nm = nm;
	e->nl = nl;
	e->nj = nj;
}

static void s_deliver(void *arg, void *c, const struct grp_gname *g, uint32_t nodeid,
		      uint32_t pid, const void *msg, size_t len)
{
	struct ev *e = push(arg, c);

	(void)msg;
	e->kind = EV_DATA;
	e->g = *g;
	e->nodeid = nodeid;
	e->pid = pid;
	e->len = len;
}

static void s_partial(void *arg, void *c, const struct grp_gname *g, uint32_t nodeid,
		      uint32_t pid, uint32_t msglen, uint32_t type,
		      const void *frag, size_t len)
{
	struct ev *e = push(arg, c);

	(void)frag;
	e->kind = EV_PART;
	e->g = *g;
	e->nodeid = nodeid;
	e->pid = pid;
	e->msglen = msglen;
	e->type = type;
	e->len = len;
}

static void s_totem(void *arg, void *c, uint32_t rep, uint64_t seq,
		    const uint32_t *members, size_t n)
{
	struct ev *e = push(arg, c);

	(void)members;
	e->kind = EV_TOTEM;
	e->ring_rep = rep;
	e->ring_seq = seq;
	e->nm = n;
}

static void s_flow(void *arg, int blocked)
{
	ck_assert_ptr_eq(arg, &sink_arg);
	flow_seen = blocked;
}

static const struct grp_sink sink = {
	s_confchg, s_deliver, s_partial, s_totem, s_flow, &sink_arg,
};

/* ---- fixture */

static struct stub st;
static struct grp *cpg;
static struct conn ca, cb, cc;
static struct grp_client *A, *B, *C;

static struct grp_gname gn(const char *s)
{
	struct grp_gname g;

	memset(&g, 0, sizeof(g));
	g.len = (uint32_t)strlen(s);
	memcpy(g.value, s, g.len);
	return g;
}

static void regular(uint64_t seq, const uint32_t *m, size_t n,
		    const uint32_t *joined, size_t nj)
{
	struct order_membership mb = {
		.type = ORDER_CONF_REGULAR, .ring = { m[0], seq },
		.members = m, .n_members = n, .joined = joined, .n_joined = nj,
	};

	st.base.user.membership(st.base.user.arg, &mb);
}

static void setup(void)
{
	static const uint32_t me = 1;
	struct grp_options o = { .max_payload = 1000 };

	memset(&st, 0, sizeof(st));
	memset(&ca, 0, sizeof(ca));
	memset(&cb, 0, sizeof(cb));
	memset(&cc, 0, sizeof(cc));
	st.base.ops = &stub_ops;
	st.nodeid = 1;
	st.max = 1 << 22;
	ck_assert_int_eq(grp_new(&st.base, &sink, &o, &cpg, NULL), 0);
	ck_assert_ptr_nonnull(cpg);
	regular(1, &me, 1, &me, 1);
	ck_assert_int_eq(grp_client_new(cpg, &ca, 0, &A, NULL), 0);
	ck_assert_int_eq(grp_client_new(cpg, &cb, 0, &B, NULL), 0);
	ck_assert_int_eq(grp_client_new(cpg, &cc, 0, &C, NULL), 0);
	/* every connection hears of the first ring only if it existed then */
	ca.n = cb.n = cc.n = 0;
	flow_seen = -1;
}

static void teardown(void)
{
	grp_destroy(cpg);
	drop_queue(&st);
}

static struct ev *last(struct conn *c)
{
	ck_assert_uint_gt(c->n, 0);
	return &c->ev[c->n - 1];
}

static void join_ok(struct grp_client *cl, const char *g, uint32_t pid)
{
	struct grp_gname n = gn(g);

	ck_assert_int_eq(grp_join(cl, &n, pid, 0), 0);
	pump(&st);
}

/* ---- tests */

START_TEST(join_confchg_reaches_joiner_and_members)
{
	struct grp_gname g = gn("grp");
	struct ev *e;

	ck_assert_int_eq(grp_join(A, &g, 200, 0), 0);
	ck_assert_uint_eq(ca.n, 0);		/* nothing before delivery */
	pump(&st);
	ck_assert_uint_eq(ca.n, 1);
	e = last(&ca);
	ck_assert(e->kind == EV_CONF && e->nm == 1 && e->nj == 1 && e->nl == 0);
	ck_assert(e->m[0].nodeid == 1 && e->m[0].pid == 200);
	ck_assert(e->j[0].pid == 200 && e->j[0].reason == CPG_REASON_JOIN);

	join_ok(B, "grp", 100);
	ck_assert_uint_eq(ca.n, 2);
	ck_assert_uint_eq(cb.n, 1);
	/* members sorted by node id, then pid */
	e = last(&ca);
	ck_assert(e->nm == 2 && e->m[0].pid == 100 && e->m[1].pid == 200);
	ck_assert(e->nj == 1 && e->j[0].pid == 100);
	ck_assert(memcmp(last(&cb), e, sizeof(*e)) == 0);
	ck_assert_uint_eq(cc.n, 0);		/* not a member */
}
END_TEST

START_TEST(join_answers)
{
	struct grp_gname g = gn("grp"), h = gn("other"), longn;

	memset(&longn, 0, sizeof(longn));
	longn.len = 129;
	ck_assert_int_eq(grp_join(A, &longn, 1, 0), -ENAMETOOLONG);
	ck_assert_int_eq(grp_join(A, &g, 200, 0), 0);
	ck_assert_int_eq(grp_join(A, &g, 200, 0), -EEXIST);	/* joining */
	ck_assert_int_eq(grp_join(A, &h, 200, 0), -EEXIST);
	ck_assert_int_eq(grp_join(B, &g, 200, 0), -EEXIST);	/* same pid */
	pump(&st);
	ck_assert_int_eq(grp_join(A, &g, 200, 0), -EEXIST);	/* joined */
	ck_assert_int_eq(grp_leave(A, &g, 200), 0);
	ck_assert_int_eq(grp_join(A, &g, 200, 0), -EBUSY);	/* leaving */
	pump(&st);
	ck_assert_int_eq(grp_join(A, &g, 200, 0), 0);
}
END_TEST

START_TEST(leave_answers_and_confchg)
{
	struct grp_gname g = gn("grp"), h = gn("other");
	struct ev *e;

	ck_assert_int_eq(grp_leave(A, &g, 200), -ENOENT);	/* not joined */
	ck_assert_int_eq(grp_join(A, &g, 200, 0), 0);
	ck_assert_int_eq(grp_leave(A, &g, 200), -EBUSY);	/* joining */
	pump(&st);
	join_ok(B, "grp", 300);
	ck_assert_int_eq(grp_leave(A, &h, 200), -ENOENT);	/* other group */
	ck_assert_int_eq(grp_leave(A, &g, 200), 0);
	ck_assert_int_eq(grp_leave(A, &g, 200), -ENOENT);	/* leaving */
	ca.n = cb.n = 0;
	pump(&st);
	/* the leaver hears its own leave, as do the others */
	ck_assert_uint_eq(ca.n, 1);
	e = last(&ca);
	ck_assert(e->nm == 1 && e->m[0].pid == 300);
	ck_assert(e->nl == 1 && e->l[0].pid == 200 &&
		  e->l[0].reason == CPG_REASON_LEAVE);
	ck_assert(memcmp(last(&cb), e, sizeof(*e)) == 0);
	ck_assert_int_eq(grp_leave(A, &g, 200), -ENOENT);	/* left */
	/* nothing more reaches A */
	ck_assert_int_eq(grp_mcast(B, 2, "x", 1), 0);
	pump(&st);
	ck_assert_uint_eq(ca.n, 1);
	ck_assert_uint_eq(cb.n, 2);
}
END_TEST

START_TEST(mcast_rules)
{
	struct grp_gname g = gn("grp");
	char big[1001];

	ck_assert_int_eq(grp_mcast(A, 2, "x", 1), -ENOENT);	/* not joined */
	ck_assert_int_eq(grp_join(A, &g, 200, 0), 0);
	/* accepted while joining, delivered after the join's confchg */
	ck_assert_int_eq(grp_mcast(A, 2, "hello", 5), 0);
	ck_assert_int_eq(grp_mcast(A, 2, big, sizeof(big)), -EMSGSIZE);
	pump(&st);
	ck_assert_uint_eq(ca.n, 2);
	ck_assert(ca.ev[0].kind == EV_CONF);
	ck_assert(ca.ev[1].kind == EV_DATA && ca.ev[1].len == 5 &&
		  ca.ev[1].nodeid == 1 && ca.ev[1].pid == 200);
	ck_assert_int_eq(grp_leave(A, &g, 200), 0);
	ck_assert_int_eq(grp_mcast(A, 2, "x", 1), -ENOENT);	/* leaving */
}
END_TEST

START_TEST(agreed_order_of_joins_and_data)
{
	struct grp_gname g = gn("grp");
	size_t i;

	join_ok(A, "grp", 1);
	ck_assert_int_eq(grp_mcast(A, 2, "a1", 2), 0);
	ck_assert_int_eq(grp_join(B, &g, 2, 0), 0);
	ck_assert_int_eq(grp_mcast(A, 2, "a2", 2), 0);
	ck_assert_int_eq(grp_mcast(B, 2, "b1", 2), 0);
	pump(&st);
	/* A: a1, B's join, a2, b1; B: its join, a2, b1 */
	ck_assert_uint_eq(ca.n, 5);
	ck_assert(ca.ev[1].kind == EV_DATA && ca.ev[1].pid == 1);
	ck_assert(ca.ev[2].kind == EV_CONF && ca.ev[2].nj == 1);
	ck_assert_uint_eq(cb.n, 3);
	for (i = 0; i < 3; i++)
		ck_assert(memcmp(&cb.ev[i], &ca.ev[i + 2], sizeof(cb.ev[0])) == 0);
}
END_TEST

START_TEST(procdown_and_try_again)
{
	struct grp_gname g = gn("grp");
	struct grp_client *A2;
	struct conn ca2;
	struct ev *e;

	join_ok(A, "grp", 500);
	join_ok(B, "grp", 600);
	grp_client_close(A);		/* connection gone without leave */
	A = NULL;
	memset(&ca2, 0, sizeof(ca2));
	ck_assert_int_eq(grp_client_new(cpg, &ca2, 0, &A2, NULL), 0);
	/* its leave is not delivered yet: the same pid must try again */
	ck_assert_int_eq(grp_join(A2, &g, 500, 0), -EAGAIN);
	cb.n = 0;
	pump(&st);
	e = last(&cb);
	ck_assert(e->nl == 1 && e->l[0].pid == 500 &&
		  e->l[0].reason == CPG_REASON_PROCDOWN);
	ck_assert(e->nm == 1 && e->m[0].pid == 600);
	ck_assert_int_eq(grp_join(A2, &g, 500, 0), 0);
	/* a join whose connection dies before it is delivered */
	ck_assert_int_eq(grp_join(C, &g, 700, 0), 0);
	grp_client_close(C);
	C = NULL;
	cb.n = 0;
	pump(&st);
	/* B sees A2 join, 700 join, 700 go down */
	ck_assert_uint_eq(cb.n, 3);
	ck_assert(cb.ev[2].nl == 1 && cb.ev[2].l[0].pid == 700 &&
		  cb.ev[2].l[0].reason == CPG_REASON_PROCDOWN);
	grp_client_close(A2);
}
END_TEST

START_TEST(procdown_waits_for_room)
{
	join_ok(A, "grp", 500);
	join_ok(B, "grp", 600);
	st.full = 1;
	grp_client_close(A);
	A = NULL;
	ck_assert_ptr_null(st.head);
	st.full = 0;
	st.base.user.flow(st.base.user.arg, 0);	/* room again */
	ck_assert_int_eq(flow_seen, 0);
	cb.n = 0;
	pump(&st);
	ck_assert(last(&cb)->nl == 1 &&
		  last(&cb)->l[0].reason == CPG_REASON_PROCDOWN);
}
END_TEST

/* corosync takes a join or leave whatever its queue holds: with the
 * ordering layer full, both are answered 0 and go out once there is room */
START_TEST(join_leave_wait_for_room)
{
	struct grp_gname g = gn("grp");

	join_ok(B, "grp", 600);
	st.full = 1;
	ck_assert_int_eq(grp_join(A, &g, 500, 0), 0);
	ck_assert_ptr_null(st.head);
	st.full = 0;
	st.base.user.flow(st.base.user.arg, 0);	/* room again */
	cb.n = 0;
	pump(&st);
	ck_assert(last(&cb)->nj == 1 && last(&cb)->j[0].pid == 500);
	st.full = 1;
	ck_assert_int_eq(grp_leave(A, &g, 500), 0);
	ck_assert_ptr_null(st.head);
	/* a second leave while the first waits: not joined any more */
	ck_assert_int_eq(grp_leave(A, &g, 500), -ENOENT);
	st.full = 0;
	st.base.user.flow(st.base.user.arg, 0);
	cb.n = 0;
	pump(&st);
	ck_assert(last(&cb)->nl == 1 && last(&cb)->l[0].pid == 500 &&
		  last(&cb)->l[0].reason == CPG_REASON_LEAVE);
}
END_TEST

START_TEST(finalized_client_hears_nothing)
{
	join_ok(A, "grp", 1);
	join_ok(B, "grp", 2);
	grp_client_finalize(A);
	ca.n = 0;
	ck_assert_int_eq(grp_mcast(B, 2, "x", 1), 0);
	pump(&st);
	ck_assert_uint_eq(ca.n, 0);
	ck_assert_uint_eq(cb.n, 2);
}
END_TEST

START_TEST(fragments)
{
	struct grp_gname g = gn("grp");
	char f[1000];
	size_t i;

	memset(f, 'f', sizeof(f));
	join_ok(A, "grp", 1);
	join_ok(B, "grp", 2);
	ck_assert_int_eq(grp_partial(C, 2, 200, 1, f, 100), -ENOENT);
	ck_assert_int_eq(grp_partial(A, 2, 200, 2, f, 100), -EINVAL);
	ck_assert_int_eq(grp_partial(A, 2, 200, 1, f, 100), 0);
	ck_assert_int_eq(grp_partial(A, 2, 250, 3, f, 100), -EINVAL);
	ck_assert_int_eq(grp_partial(A, 2, 200, 1, f, 100), 0);
	ck_assert_int_eq(grp_partial(A, 2, 200, 3, f, 50), -EINVAL);
	/* abandoned messages reach nobody */
	ck_assert_ptr_null(st.head);
	/* a message that fits one event arrives as one */
	ck_assert_int_eq(grp_partial(A, 2, 200, 1, f, 100), 0);
	ck_assert_ptr_null(st.head);		/* collected, not sent yet */
	ck_assert_int_eq(grp_partial(A, 2, 200, 3, f, 100), 0);
	ca.n = cb.n = 0;
	pump(&st);
	ck_assert_uint_eq(cb.n, 1);
	ck_assert(cb.ev[0].kind == EV_DATA && cb.ev[0].len == 200 &&
		  cb.ev[0].pid == 1);
	/* a longer one arrives as consecutive fragments of at most
	 * max_payload, though sent in other sizes */
	ck_assert_int_eq(grp_partial(A, 2, 2500, 1, f, 700), 0);
	ck_assert_int_eq(grp_partial(A, 2, 2500, 2, f, 900), 0);
	ck_assert_int_eq(grp_partial(B, 2, 300, 1, f, 300), -EINVAL);
	ck_assert_int_eq(grp_partial(A, 2, 2500, 3, f, 900), 0);
	cb.n = 0;
	pump(&st);
	ck_assert_uint_eq(cb.n, 3);
	for (i = 0; i < 3; i++) {
		ck_assert(cb.ev[i].kind == EV_PART && cb.ev[i].msglen == 2500 &&
			  cb.ev[i].type == i + 1 && cb.ev[i].pid == 1);
		ck_assert_uint_eq(cb.ev[i].len, i < 2 ? 1000 : 500);
	}
	/* a confchg between first and last interrupts the message */
	ck_assert_int_eq(grp_partial(A, 2, 200, 1, f, 100), 0);
	ck_assert_int_eq(grp_join(C, &g, 3, 0), 0);
	pump(&st);
	cb.n = 0;
	ck_assert_int_eq(grp_partial(A, 2, 200, 3, f, 100), -EINTR);
	ck_assert_int_eq(grp_partial(A, 2, 200, 3, f, 100), -EINVAL);
	pump(&st);
	ck_assert_uint_eq(cb.n, 0);
	/* too big a fragment */
	{
		char big[1001] = { 0 };

		ck_assert_int_eq(grp_partial(A, 2, 2000, 1, big, sizeof(big)),
				 -EMSGSIZE);
	}
}
END_TEST

/* Too long for the ordering layer: passed on fragment by fragment. */
START_TEST(fragments_one_by_one)
{
	char f[1000];

	memset(f, 'f', sizeof(f));
	st.max = 2000;
	join_ok(A, "grp", 1);
	join_ok(B, "grp", 2);
	ck_assert_int_eq(grp_partial(A, 2, 2500, 1, f, 1000), 0);
	ck_assert_ptr_nonnull(st.head);		/* on its way at once */
	ck_assert_int_eq(grp_partial(A, 2, 2500, 2, f, 1000), 0);
	ck_assert_int_eq(grp_partial(A, 2, 2500, 3, f, 500), 0);
	cb.n = 0;
	pump(&st);
	ck_assert_uint_eq(cb.n, 3);
	ck_assert(cb.ev[0].kind == EV_PART && cb.ev[0].type == 1 &&
		  cb.ev[0].len == 1000 && cb.ev[2].type == 3 &&
		  cb.ev[2].len == 500 && cb.ev[2].msglen == 2500);
}
END_TEST

START_TEST(membership_and_iteration)
{
	struct grp_gname g = gn("g1"), n, empty = gn("none");
	struct grp_addr m[8];
	size_t cnt;
	uint64_t h, h2;
	uint32_t nodeid, pid;

	join_ok(A, "g1", 10);
	join_ok(B, "g1", 11);
	join_ok(C, "g2", 12);
	ck_assert_int_eq(grp_membership(cpg, &g, m, 8, &cnt), 0);
	ck_assert(cnt == 2 && m[0].pid == 10 && m[1].pid == 11);
	ck_assert_int_eq(grp_membership(cpg, &g, m, 1, &cnt), 0);
	ck_assert_uint_eq(cnt, 1);
	ck_assert_int_eq(grp_membership(cpg, &empty, m, 8, &cnt), 0);
	ck_assert_uint_eq(cnt, 0);

	ck_assert_int_eq(grp_iter_init(A, CPG_ITERATION_NAME_ONLY, NULL, &h), 0);
	ck_assert_int_eq(grp_iter_next(A, h, &n, &nodeid, &pid), 0);
	ck_assert(n.len == 2 && memcmp(n.value, "g1", 2) == 0 && pid == 0);
	ck_assert_int_eq(grp_iter_next(A, h, &n, &nodeid, &pid), 0);
	ck_assert(memcmp(n.value, "g2", 2) == 0);
	ck_assert_int_eq(grp_iter_next(A, h, &n, &nodeid, &pid), -ENODATA);

	ck_assert_int_eq(grp_iter_init(A, CPG_ITERATION_ONE_GROUP, &g, &h2), 0);
	ck_assert_int_eq(grp_iter_next(A, h2, &n, &nodeid, &pid), 0);
	ck_assert(pid == 10 && nodeid == 1);
	ck_assert_int_eq(grp_iter_next(A, h2, &n, &nodeid, &pid), 0);
	ck_assert_uint_eq(pid, 11);
	ck_assert_int_eq(grp_iter_next(A, h2, &n, &nodeid, &pid), -ENODATA);
	/* a snapshot: later changes do not show */
	ck_assert_int_eq(grp_iter_init(A, CPG_ITERATION_ALL, NULL, &h), 0);
	ck_assert_int_eq(grp_leave(C, &(struct grp_gname){ 2, "g2" }, 12), 0);
	pump(&st);
	for (cnt = 0; grp_iter_next(A, h, &n, &nodeid, &pid) == 0; cnt++)
		;
	ck_assert_uint_eq(cnt, 3);
	/* handles belong to their client, and die at finalize */
	ck_assert_int_eq(grp_iter_next(B, h, &n, &nodeid, &pid), -EBADF);
	ck_assert_int_eq(grp_iter_finalize(A, h), 0);
	ck_assert_int_eq(grp_iter_finalize(A, h), -EBADF);
	ck_assert_int_eq(grp_iter_next(A, h, &n, &nodeid, &pid), -EBADF);
	ck_assert_int_eq(grp_iter_init(A, 0, NULL, &h), -EINVAL);
	ck_assert_int_eq(grp_iter_init(A, 4, NULL, &h), -EINVAL);
}
END_TEST

START_TEST(initial_totem_conf)
{
	struct grp_gname g = gn("grp");

	ck_assert_int_eq(grp_join(A, &g, 1, GRP_JOIN_INITIAL_TOTEM_CONF), 0);
	pump(&st);
	ck_assert_uint_eq(ca.n, 2);
	ck_assert(ca.ev[0].kind == EV_CONF);
	ck_assert(ca.ev[1].kind == EV_TOTEM && ca.ev[1].ring_rep == 1 &&
		  ca.ev[1].ring_seq == 1 && ca.ev[1].nm == 1);
	join_ok(B, "grp", 2);		/* only once */
	ck_assert_uint_eq(ca.n, 3);
	ck_assert(ca.ev[2].kind == EV_CONF);
}
END_TEST

START_TEST(ring_changes)
{
	static const uint32_t two[] = { 1, 2 }, one[] = { 1 }, j2[] = { 2 };
	struct order_membership tr = {
		.type = ORDER_CONF_TRANSITIONAL, .ring = { 1, 2 },
		.members = one, .n_members = 1,
	};
	struct grp_gname g = gn("grp");
	uint8_t buf[512];
	struct wire_wr w;
	struct ev *e;

	join_ok(A, "grp", 10);
	/* node 2 arrives: every connection hears of the ring */
	regular(2, two, 2, j2, 1);
	ck_assert(last(&ca)->kind == EV_TOTEM && last(&ca)->nm == 2);
	ck_assert(last(&cc)->kind == EV_TOTEM && last(&cc)->ring_seq == 2);
	/* we told node 2 about our member */
	ck_assert_int_gt(pump(&st), 0);
	/* node 2's member list arrives: NODEUP */
	wire_wr_init(&w, buf, sizeof(buf));
	grp_msg_sync_begin(&w, 1);
	grp_msg_sync_add(&w, 2, 77, &g);
	st.base.user.deliver(st.base.user.arg, 2, buf, w.off);
	e = last(&ca);
	ck_assert(e->kind == EV_CONF && e->nm == 2 && e->m[1].nodeid == 2);
	ck_assert(e->nj == 1 && e->j[0].reason == CPG_REASON_NODEUP);
	/* data from node 2's member reaches A; from a stranger it does not */
	{
		struct grp_msg m = { .type = GRP_MSG_DATA, .pid = 77 };
		int n;

		m.group = g;
		m.payload_len = 3;
		n = grp_msg_encode_hdr(&m, buf, sizeof(buf));
		memcpy(buf + n, "abc", 3);
		ca.n = 0;
		st.base.user.deliver(st.base.user.arg, 2, buf, (size_t)n + 3);
		ck_assert(ca.n == 1 && ca.ev[0].nodeid == 2 && ca.ev[0].pid == 77);
		st.base.user.deliver(st.base.user.arg, 3, buf, (size_t)n + 3);
		ck_assert_uint_eq(ca.n, 1);
		/* garbage is dropped */
		st.base.user.deliver(st.base.user.arg, 2, buf, 5);
		ck_assert_uint_eq(ca.n, 1);
	}
	/* a list from a node that was no news is ignored */
	regular(3, two, 2, NULL, 0);
	ca.n = 0;
	wire_wr_init(&w, buf, sizeof(buf));
	grp_msg_sync_begin(&w, 1);
	grp_msg_sync_add(&w, 2, 78, &g);
	st.base.user.deliver(st.base.user.arg, 2, buf, w.off);
	ck_assert(ca.n == 0);
	/* node 2 goes: its members leave with NODEDOWN */
	st.base.user.membership(st.base.user.arg, &tr);
	e = last(&ca);
	ck_assert(e->kind == EV_CONF && e->nm == 1 && e->nl == 1);
	ck_assert(e->l[0].nodeid == 2 && e->l[0].reason == CPG_REASON_NODEDOWN);
	drop_queue(&st);
}
END_TEST

/*
 * A node new to the ring ordered a member's LEAVE (queued before the ring
 * changed) ahead of its SYNC, which lists its members as they were at the
 * change: the SYNC must not bring the member back.  Another member of that
 * SYNC is learnt as usual.
 */
START_TEST(leave_before_sync)
{
	static const uint32_t two[] = { 1, 2 }, j2[] = { 2 };
	struct grp_gname g = gn("grp");
	struct grp_msg lv = { .type = GRP_MSG_LEAVE, .pid = 77,
			      .reason = CPG_REASON_LEAVE };
	uint8_t buf[512];
	struct wire_wr w;
	struct ev *e;
	int n;

	join_ok(A, "grp", 10);
	regular(2, two, 2, j2, 1);
	drop_queue(&st);
	lv.group = g;
	n = grp_msg_encode_hdr(&lv, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ca.n = 0;
	st.base.user.deliver(st.base.user.arg, 2, buf, (size_t)n);
	ck_assert_uint_eq(ca.n, 0);	/* not a member we knew */
	wire_wr_init(&w, buf, sizeof(buf));
	grp_msg_sync_begin(&w, 2);
	grp_msg_sync_add(&w, 2, 77, &g);
	grp_msg_sync_add(&w, 2, 78, &g);
	st.base.user.deliver(st.base.user.arg, 2, buf, w.off);
	ck_assert_uint_eq(ca.n, 1);
	e = last(&ca);
	ck_assert(e->kind == EV_CONF && e->nm == 2);
	ck_assert(e->m[0].nodeid == 1 && e->m[0].pid == 10);
	ck_assert(e->m[1].nodeid == 2 && e->m[1].pid == 78);
	ck_assert(e->nj == 1 && e->j[0].pid == 78 &&
		  e->j[0].reason == CPG_REASON_NODEUP);
	/* at the next ring the record is gone: a new SYNC of node 2 (new
	 * again after a ring of its own) naming 77 is believed */
	{
		static const uint32_t one[] = { 1 };
		struct order_membership tr = {
			.type = ORDER_CONF_TRANSITIONAL, .ring = { 1, 3 },
			.members = one, .n_members = 1,
		};

		st.base.user.membership(st.base.user.arg, &tr);
		regular(3, one, 1, NULL, 0);
		regular(4, two, 2, j2, 1);
		drop_queue(&st);
		st.base.user.deliver(st.base.user.arg, 2, buf, w.off);
		e = last(&ca);
		ck_assert(e->kind == EV_CONF && e->nm == 3);
	}
}
END_TEST

/*
 * Nodes 2 and 5 come from one partition; node 5 is listed in the new ring
 * but fails before installing it, so it never sends its member list.  Node
 * 2's list speaks for node 5's members too, so every node that did not know
 * them learns them at the same point of the agreed order, and a node that
 * carried them keeps them: the views agree.  When the next ring drops node
 * 5, its member leaves with NODEDOWN here as on the nodes that carried it.
 * Our own list, at the next merge, names the members of the nodes that
 * moved with us as well as ours.
 */
START_TEST(partition_speaks_for_silent_node)
{
	static const uint32_t three[] = { 1, 2, 5 }, j25[] = { 2, 5 };
	static const uint32_t two[] = { 1, 2 }, all[] = { 1, 2, 3 };
	static const uint32_t j3[] = { 3 };
	struct order_membership tr = {
		.type = ORDER_CONF_TRANSITIONAL, .ring = { 1, 3 },
		.members = two, .n_members = 2,
	};
	struct grp_gname g = gn("grp"), got;
	uint8_t buf[512];
	struct wire_wr w;
	struct grp_msg d;
	struct ev *e;
	uint32_t nodeid, pid, seen = 0;

	join_ok(A, "grp", 10);
	regular(2, three, 3, j25, 2);
	drop_queue(&st);
	ca.n = 0;
	wire_wr_init(&w, buf, sizeof(buf));
	grp_msg_sync_begin(&w, 3);
	grp_msg_sync_add(&w, 2, 77, &g);
	grp_msg_sync_add(&w, 5, 90, &g);
	grp_msg_sync_add(&w, 1, 10, &g);	/* ours: no news */
	st.base.user.deliver(st.base.user.arg, 2, buf, w.off);
	ck_assert_uint_eq(ca.n, 2);
	e = last(&ca);
	ck_assert(e->kind == EV_CONF && e->nm == 3);
	ck_assert(e->nj == 1 && e->j[0].nodeid == 5 && e->j[0].pid == 90 &&
		  e->j[0].reason == CPG_REASON_NODEUP);
	/* the same list again (another node of that partition): no news */
	st.base.user.deliver(st.base.user.arg, 2, buf, w.off);
	ck_assert_uint_eq(ca.n, 2);
	/* node 5 never spoke; the next ring drops it */
	st.base.user.membership(st.base.user.arg, &tr);
	e = last(&ca);
	ck_assert(e->kind == EV_CONF && e->nm == 2 && e->nl == 1);
	ck_assert(e->l[0].nodeid == 5 && e->l[0].reason == CPG_REASON_NODEDOWN);
	/* node 3 arrives: our list names node 2's member too */
	regular(4, all, 3, j3, 1);
	ck_assert_ptr_nonnull(st.head);
	ck_assert_int_eq(grp_msg_decode(st.head->data, st.head->len, &d), 0);
	ck_assert_uint_eq(d.type, GRP_MSG_SYNC);
	while (grp_msg_sync_next(&d, &nodeid, &pid, &got) == 0) {
		ck_assert(got.len == g.len && memcmp(got.value, g.value, g.len) == 0);
		seen |= nodeid == 1 && pid == 10 ? 1u :
			nodeid == 2 && pid == 77 ? 2u : 4u;
	}
	ck_assert_uint_eq(seen, 3);
	drop_queue(&st);
}
END_TEST

START_TEST(ordering_layer_too_small)
{
	struct grp_options o = { .max_payload = (1u << 22) };
	struct grp *c2 = cpg;
	struct err e = { "" };

	/* the stub carries 4 MiB: not 4 MiB plus a header */
	ck_assert_int_eq(grp_new(&st.base, &sink, &o, &c2, &e), -EMSGSIZE);
	ck_assert_ptr_null(c2);
	ck_assert(strstr(e.msg, "ordering layer") != NULL);
	/* grp_new left the first instance's hooks alone */
	ck_assert_ptr_eq(st.base.user.arg, cpg);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("daemon_grp");
	TCase *tc = tcase_create("groups");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, join_confchg_reaches_joiner_and_members);
	tcase_add_test(tc, join_answers);
	tcase_add_test(tc, leave_answers_and_confchg);
	tcase_add_test(tc, mcast_rules);
	tcase_add_test(tc, agreed_order_of_joins_and_data);
	tcase_add_test(tc, procdown_and_try_again);
	tcase_add_test(tc, procdown_waits_for_room);
	tcase_add_test(tc, join_leave_wait_for_room);
	tcase_add_test(tc, finalized_client_hears_nothing);
	tcase_add_test(tc, fragments);
	tcase_add_test(tc, fragments_one_by_one);
	tcase_add_test(tc, membership_and_iteration);
	tcase_add_test(tc, initial_totem_conf);
	tcase_add_test(tc, ring_changes);
	tcase_add_test(tc, leave_before_sync);
	tcase_add_test(tc, partition_speaks_for_silent_node);
	tcase_add_test(tc, ordering_layer_too_small);
	suite_add_tcase(s, tc);
	return s;
}
