/* The EVS layer (daemon/evs) over a fake ordering layer: group sets, the
 * message codec, routing (a message for {a,b} reaches a client of {b,c}
 * once), configurations, flow control as -EAGAIN, fragment order. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "evs/evs.h"
#include "evs/evs_group.h"
#include "evs/evs_msg.h"
#include "unit/check_main.h"

static uint8_t G[8][EVS_GROUP_LEN];

static void groups_init(void)
{
	memset(G, 0, sizeof(G));
	for (int i = 0; i < 8; i++)
		G[i][0] = (uint8_t)('a' + i);
	G[7][31] = 'a';		/* differs from "a" only in its last byte */
}

/* --- a fake ordering layer: records what is multicast */

struct fake {
	struct order o;
	int blocked;
	int refuse;
	uint8_t msgs[16][4096];
	size_t lens[16];
	enum order_guarantee g[16];
	int n;
};

static int f_mcast(struct order *o, const struct iovec *iov,
		   unsigned int n, enum order_guarantee g)
{
	struct fake *f = (struct fake *)o;
	size_t off = 0;

	if (f->refuse)
		return -EAGAIN;
	ck_assert_int_lt(f->n, 16);
	for (unsigned i = 0; i < n; i++) {
		ck_assert_uint_le(off + iov[i].iov_len, 4096);
		memcpy(f->msgs[f->n] + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	f->lens[f->n] = off;
	f->g[f->n++] = g;
	return 0;
}

static uint32_t f_nodeid(const struct order *o) { (void)o; return 7; }
static size_t f_max(const struct order *o) { (void)o; return 4096; }
static int f_blocked(const struct order *o)
{
	return ((const struct fake *)o)->blocked;
}
static void f_destroy(struct order *o) { (void)o; }

static const struct order_ops fake_ops = {
	.mcast = f_mcast, .nodeid = f_nodeid, .max_msg_size = f_max,
	.flow_blocked = f_blocked, .destroy = f_destroy,
};

/* --- a sink that records events per connection */

struct conn {
	int delivered;
	uint32_t pid;
	char last[64];
	uint32_t frag;
	int confchgs;
	size_t n_members, n_left, n_joined;
	uint64_t seq;
};

static void s_deliver(void *arg, void *c, uint32_t nodeid, uint32_t pid,
		      uint32_t msglen, uint32_t frag, const void *data,
		      size_t len)
{
	struct conn *k = c;

	ck_assert_uint_eq(nodeid, 3);
	ck_assert_uint_ge(msglen, len);
	k->delivered++;
	k->pid = pid;
	k->frag = frag;
	memset(k->last, 0, sizeof(k->last));
	memcpy(k->last, data, len < 63 ? len : 63);
}

static void s_confchg(void *arg, void *c, const struct evs_conf *cf)
{
	struct conn *k = c;

	k->confchgs++;
	k->n_members = cf->n_members;
	k->n_left = cf->n_left;
	k->n_joined = cf->n_joined;
	k->seq = cf->ring_seq;
}

static const struct evs_sink sink = { s_deliver, s_confchg, NULL, NULL };

static struct fake fake;

static struct evs *new_evs(void)
{
	struct evs *e;

	memset(&fake, 0, sizeof(fake));
	fake.o.ops = &fake_ops;
	groups_init();
	ck_assert_int_eq(evs_new(&fake.o, &sink, &e, NULL), 0);
	ck_assert_ptr_nonnull(e);
	return e;
}

static struct evs_client *new_client(struct evs *e, void *conn, uint32_t pid)
{
	struct evs_client *cl;

	ck_assert_int_eq(evs_client_new(e, conn, pid, &cl, NULL), 0);
	ck_assert_ptr_nonnull(cl);
	return cl;
}

/* Deliver what the fake recorded, as node 3 sent it. */
static void deliver_all(void)
{
	for (int i = 0; i < fake.n; i++)
		fake.o.user.deliver(fake.o.user.arg, 3, fake.msgs[i],
				    fake.lens[i]);
	fake.n = 0;
}

static void regular(uint64_t seq, size_t n)
{
	static const uint32_t m[3] = { 3, 5, 7 };
	struct order_membership mb = {
		.type = ORDER_CONF_REGULAR, .ring = { 3, seq },
		.members = m, .n_members = n,
		.joined = m, .n_joined = 1,
	};

	fake.o.user.membership(fake.o.user.arg, &mb);
}

static struct evs_send to(const uint8_t *groups, size_t n, const char *text)
{
	struct evs_send s = {
		.guarantee = 2, .groups = groups, .n_groups = n,
		.frag = EVS_FRAG_WHOLE, .msglen = (uint32_t)strlen(text),
		.data = text, .len = strlen(text),
	};

	return s;
}

START_TEST(gset_add_remove)
{
	struct evs_gset s = { 0 };
	uint8_t two[2][EVS_GROUP_LEN];

	groups_init();
	ck_assert_int_eq(evs_gset_add(&s, G[1], 1, 4), 0);
	ck_assert_int_eq(evs_gset_add(&s, G[0], 2, 4), 0);	/* a, b */
	ck_assert_uint_eq(s.n, 2);
	memcpy(two[0], G[2], EVS_GROUP_LEN);
	memcpy(two[1], G[2], EVS_GROUP_LEN);
	ck_assert_int_eq(evs_gset_add(&s, two[0], 2, 4), 0);	/* c twice */
	ck_assert_uint_eq(s.n, 3);
	ck_assert_int_eq(evs_gset_add(&s, G[3], 2, 4), -ENOSPC);
	ck_assert_uint_eq(s.n, 3);	/* all or nothing */
	ck_assert_int_eq(evs_gset_add(&s, G[3], 1, 4), 0);
	ck_assert_int_eq(evs_gset_remove(&s, G[4], 1), -ENOENT);
	ck_assert_int_eq(evs_gset_remove(&s, G[3], 2), -ENOENT);
	ck_assert_uint_eq(s.n, 4);	/* all or nothing */
	ck_assert_int_eq(evs_gset_remove(&s, G[0], 2), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_int_eq(evs_gset_matches(&s, G[0], 1), 0);
	ck_assert_int_eq(evs_gset_matches(&s, G[2], 1), 1);
	evs_gset_free(&s);
}
END_TEST

START_TEST(gset_matches_bytes)
{
	struct evs_gset s = { 0 };

	groups_init();
	ck_assert_int_eq(evs_gset_add(&s, G[7], 1, 4), 0);
	/* "a" and "a...\0a" differ in byte 31 only: not the same group */
	ck_assert_int_eq(evs_gset_matches(&s, G[0], 1), 0);
	ck_assert_int_eq(evs_gset_matches(&s, G[6], 2), 1);
	/* any one of the message's groups is enough, wherever it stands */
	ck_assert_int_eq(evs_gset_add(&s, G[2], 1, 4), 0);		/* c */
	ck_assert_int_eq(evs_gset_matches(&s, G[2], 3), 1);		/* c,d,e */
	ck_assert_int_eq(evs_gset_matches(&s, G[3], 3), 0);		/* d,e,f */
	evs_gset_free(&s);
}
END_TEST

START_TEST(msg_roundtrip)
{
	uint8_t buf[256];
	struct evs_msg m = {
		.guarantee = 3, .frag = EVS_FRAG_BEGIN, .pid = 99,
		.msglen = 100, .groups = G[0], .n_groups = 2, .len = 5,
	}, d;
	int n;

	groups_init();
	n = evs_msg_encode_hdr(&m, buf, sizeof(buf));
	ck_assert_int_eq(n, (int)evs_msg_hdr_size(2));
	memcpy(buf + n, "hello", 5);
	ck_assert_int_eq(evs_msg_decode(buf, (size_t)n + 5, &d), 0);
	ck_assert_uint_eq(d.pid, 99);
	ck_assert_uint_eq(d.msglen, 100);
	ck_assert_uint_eq(d.frag, EVS_FRAG_BEGIN);
	ck_assert_uint_eq(d.n_groups, 2);
	ck_assert_int_eq(memcmp(d.groups, G[0], 2 * EVS_GROUP_LEN), 0);
	ck_assert_uint_eq(d.len, 5);
	ck_assert_int_eq(memcmp(d.payload, "hello", 5), 0);
	/* truncated, trailing bytes, bad version, bad frag, no groups */
	ck_assert_int_eq(evs_msg_decode(buf, (size_t)n + 4, &d), -EBADMSG);
	ck_assert_int_eq(evs_msg_decode(buf, (size_t)n + 6, &d), -EBADMSG);
	for (size_t cut = 0; cut < (size_t)n; cut++)
		ck_assert_int_eq(evs_msg_decode(buf, cut, &d), -EBADMSG);
	buf[0] = 9;
	ck_assert_int_eq(evs_msg_decode(buf, (size_t)n + 5, &d), -EBADMSG);
	buf[0] = EVS_MSG_VERSION;
	buf[3] = 4;
	ck_assert_int_eq(evs_msg_decode(buf, (size_t)n + 5, &d), -EBADMSG);
	m.n_groups = 0;
	ck_assert_int_eq(evs_msg_encode_hdr(&m, buf, sizeof(buf)), -EINVAL);
	m.n_groups = EVS_GROUPS_MAX + 1;
	ck_assert_int_eq(evs_msg_encode_hdr(&m, buf, sizeof(buf)), -EINVAL);
	/* a whole message must be whole */
	m.n_groups = 1;
	m.frag = EVS_FRAG_WHOLE;
	ck_assert_int_eq(evs_msg_encode_hdr(&m, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(route_once)
{
	struct evs *e = new_evs();
	struct conn ab = { 0 }, bc = { 0 }, c = { 0 }, none = { 0 };
	struct evs_client *cab = new_client(e, &ab, 1);
	struct evs_client *cbc = new_client(e, &bc, 2);
	struct evs_client *cc = new_client(e, &c, 3);
	struct evs_client *sender = new_client(e, &none, 42);
	struct evs_send s;

	ck_assert_int_eq(evs_client_join(cab, G[0], 2), 0);		/* a, b */
	ck_assert_int_eq(evs_client_join(cbc, G[1], 2), 0);		/* b, c */
	ck_assert_int_eq(evs_client_join(cc, G[2], 1), 0);		/* c */
	s = to(G[0], 2, "for a,b");
	ck_assert_int_eq(evs_client_mcast(sender, &s), 0);	/* not a member */
	ck_assert_int_eq(fake.n, 1);
	ck_assert_int_eq(fake.g[0], ORDER_AGREED);
	deliver_all();
	ck_assert_int_eq(ab.delivered, 1);
	ck_assert_int_eq(bc.delivered, 1);		/* once, not twice */
	ck_assert_int_eq(c.delivered, 0);
	ck_assert_int_eq(none.delivered, 0);
	ck_assert_str_eq(bc.last, "for a,b");
	ck_assert_uint_eq(bc.pid, 42);		/* the sender's */
	/* joined: the sender's own groups; SAFE asked for */
	s = to(NULL, 0, "joined");
	s.joined = 1;
	s.guarantee = EVS_GUARANTEE_SAFE;
	ck_assert_int_eq(evs_client_mcast(cc, &s), 0);
	ck_assert_int_eq(fake.g[0], ORDER_SAFE);
	deliver_all();
	ck_assert_int_eq(ab.delivered, 1);
	ck_assert_int_eq(bc.delivered, 2);
	ck_assert_int_eq(c.delivered, 1);
	/* joined to nothing: reaches nobody, nothing is sent */
	ck_assert_int_eq(evs_client_mcast(sender, &s), 0);
	ck_assert_int_eq(fake.n, 0);
	/* a finalized client gets nothing more */
	evs_client_finalize(cab);
	s = to(G[0], 1, "a");
	ck_assert_int_eq(evs_client_mcast(sender, &s), 0);
	deliver_all();
	ck_assert_int_eq(ab.delivered, 1);
	evs_client_close(cbc);
	evs_destroy(e);
}
END_TEST

START_TEST(bad_requests)
{
	struct evs *e = new_evs();
	struct conn k = { 0 };
	struct evs_client *cl = new_client(e, &k, 42);
	struct evs_send s;

	ck_assert_int_eq(evs_client_join(cl, G[0], 0), -EINVAL);
	ck_assert_int_eq(evs_client_join(cl, G[0], EVS_GROUPS_MAX + 1), -E2BIG);
	ck_assert_int_eq(evs_client_leave(cl, G[0], 1), -ENOENT);
	s = to(G[0], 1, "x");
	s.guarantee = 4;
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EINVAL);
	s = to(G[0], 0, "x");
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EINVAL);
	s = to(G[0], 1, "");
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EINVAL);		/* empty */
	s = to(G[0], 1, "x");
	s.joined = 1;
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EINVAL);	/* joined + groups */
	s = to(G[0], 1, "x");
	s.msglen = 2;
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EINVAL);	/* not whole */
	s.frag = EVS_FRAG_MORE;
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EINVAL);	/* no first */
	s = to(G[0], 1, "x");
	s.msglen = EVS_MSG_MAX + 1;
	s.frag = EVS_FRAG_BEGIN;
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EMSGSIZE);
	ck_assert_int_eq(fake.n, 0);
	evs_destroy(e);
}
END_TEST

START_TEST(flow_try_again)
{
	struct evs *e = new_evs();
	struct conn k = { 0 };
	struct evs_client *cl = new_client(e, &k, 42);
	struct evs_send s = to(G[0], 1, "x");

	fake.blocked = 1;
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EAGAIN);
	ck_assert_int_eq(fake.n, 0);
	fake.blocked = 0;
	fake.refuse = 1;
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EAGAIN);
	fake.refuse = 0;
	ck_assert_int_eq(evs_client_mcast(cl, &s), 0);
	ck_assert_int_eq(fake.n, 1);
	evs_destroy(e);
}
END_TEST

START_TEST(fragments)
{
	struct evs *e = new_evs();
	struct conn k = { 0 }, r = { 0 };
	struct evs_client *cl = new_client(e, &k, 42);
	struct evs_client *rc = new_client(e, &r, 1);
	struct evs_send s = to(G[0], 1, "abc");

	ck_assert_int_eq(evs_client_join(rc, G[0], 1), 0);
	s.msglen = 7;
	s.frag = EVS_FRAG_BEGIN;
	ck_assert_int_eq(evs_client_mcast(cl, &s), 0);
	/* the rest is taken under flow control, its groups from the first */
	fake.blocked = 1;
	s.groups = G[5];
	s.frag = EVS_FRAG_MORE;
	s.data = "de";
	s.len = 2;
	ck_assert_int_eq(evs_client_mcast(cl, &s), 0);
	s.frag = EVS_FRAG_END;
	s.data = "fg";
	ck_assert_int_eq(evs_client_mcast(cl, &s), 0);
	ck_assert_int_eq(fake.n, 3);
	deliver_all();
	ck_assert_int_eq(r.delivered, 3);
	ck_assert_uint_eq(r.frag, EVS_FRAG_END);
	/* too long a last piece ends the message */
	fake.blocked = 0;
	s.frag = EVS_FRAG_BEGIN;
	s.data = "abc";
	s.len = 3;
	ck_assert_int_eq(evs_client_mcast(cl, &s), 0);
	s.frag = EVS_FRAG_END;
	s.data = "defgh";
	s.len = 5;
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EINVAL);
	s.frag = EVS_FRAG_END;
	s.len = 4;
	ck_assert_int_eq(evs_client_mcast(cl, &s), -EINVAL);	/* nothing under way */
	evs_destroy(e);
}
END_TEST

START_TEST(confchg)
{
	struct evs *e = new_evs();
	struct conn early = { 0 }, late = { 0 };
	struct order_membership tr = { .type = ORDER_CONF_TRANSITIONAL };
	uint32_t m[4];
	size_t n;

	new_client(e, &early, 1);
	ck_assert_int_eq(early.confchgs, 0);	/* no configuration yet */
	regular(5, 2);
	ck_assert_int_eq(early.confchgs, 1);
	ck_assert_uint_eq(early.n_members, 2);
	ck_assert_uint_eq(early.n_joined, 1);
	ck_assert_uint_eq(early.seq, 5);
	fake.o.user.membership(fake.o.user.arg, &tr);	/* not shown */
	ck_assert_int_eq(early.confchgs, 1);
	regular(6, 3);
	ck_assert_int_eq(early.confchgs, 2);
	/* a new client gets the current one: no left, no joined */
	new_client(e, &late, 2);
	ck_assert_int_eq(late.confchgs, 1);
	ck_assert_uint_eq(late.n_members, 3);
	ck_assert_uint_eq(late.n_joined, 0);
	ck_assert_uint_eq(late.seq, 6);
	ck_assert_int_eq(evs_members(e, m, 2, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(evs_members(e, m, 4, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(m[2], 7);
	ck_assert_uint_eq(evs_local_nodeid(e), 7);
	evs_destroy(e);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("daemon_evs");
	TCase *tc = tcase_create("evs");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, gset_add_remove);
	tcase_add_test(tc, gset_matches_bytes);
	tcase_add_test(tc, msg_roundtrip);
	tcase_add_test(tc, route_once);
	tcase_add_test(tc, bad_requests);
	tcase_add_test(tc, flow_try_again);
	tcase_add_test(tc, fragments);
	tcase_add_test(tc, confchg);
	suite_add_tcase(s, tc);
	return s;
}
