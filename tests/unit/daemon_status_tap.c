/*
 * The ring tap (status_sources.h) over a fake ordering layer: it forwards
 * every upcall unchanged to the user it displaced, remembers the last
 * REGULAR configuration for the "ring" section and counts what passed;
 * the ordering layer's ready upcall beside it.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "status/status_sources.h"
#include "unit/check_main.h"

struct fake {
	struct order o;
	uint32_t nodeid;
};

static uint32_t fake_nodeid(const struct order *o)
{
	return ((const struct fake *)o)->nodeid;
}

static const struct order_ops fake_ops = {
	.nodeid = fake_nodeid,
};

/* What the displaced user saw. */
struct seen {
	unsigned delivers, memberships, flows;
	uint32_t last_sender;
	size_t last_len;
	enum order_conf_type last_type;
	int last_blocked;
};

static void user_deliver(void *arg, uint32_t sender, const void *msg,
			 size_t len)
{
	struct seen *s = arg;

	(void)msg;
	s->delivers++;
	s->last_sender = sender;
	s->last_len = len;
}

static void user_membership(void *arg, const struct order_membership *m)
{
	struct seen *s = arg;

	s->memberships++;
	s->last_type = m->type;
}

static void user_flow(void *arg, int blocked)
{
	struct seen *s = arg;

	s->flows++;
	s->last_blocked = blocked;
}

static void setup(struct fake *f, struct seen *s)
{
	memset(f, 0, sizeof(*f));
	memset(s, 0, sizeof(*s));
	f->o.ops = &fake_ops;
	f->nodeid = 2;
	f->o.user.deliver = user_deliver;
	f->o.user.membership = user_membership;
	f->o.user.flow = user_flow;
	f->o.user.arg = s;
}

static char *build(const struct status_sources *src, uint32_t mask)
{
	char *out;
	size_t len;

	ck_assert_int_eq(status_build(src, mask, 4096, &out, &len), 0);
	return out;
}

static void conf(struct order *o, enum order_conf_type type, uint32_t rep,
		 uint64_t seq, const uint32_t *members, size_t n)
{
	struct order_membership m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.ring.rep = rep;
	m.ring.seq = seq;
	m.members = members;
	m.n_members = n;
	/* as every implementation reports it (order.h) */
	order_report_membership(o, &m);
}

START_TEST(forwards_and_records)
{
	static const uint32_t three[] = { 1, 2, 3 };
	static const uint32_t two[] = { 2, 3 };
	struct status_sources src;
	struct status_tap tap;
	struct fake f;
	struct seen s;
	char *j;

	setup(&f, &s);
	status_tap_install(&tap, &f.o);
	memset(&src, 0, sizeof(src));
	src.ring = status_src_ring;
	src.ring_arg = &tap;
	src.counters[0].fn = status_src_tap_counters;
	src.counters[0].arg = &tap;

	/* no configuration yet: no ring */
	j = build(&src, STATUS_SECT_RING);
	ck_assert_str_eq(j, "{\"version\":1,\"ring\":null}");
	free(j);

	conf(&f.o, ORDER_CONF_REGULAR, 1, 7, three, 3);
	f.o.user.deliver(f.o.user.arg, 3, "hello", 5);
	f.o.user.deliver(f.o.user.arg, 1, "hi", 2);
	f.o.user.flow(f.o.user.arg, 1);
	f.o.user.flow(f.o.user.arg, 0);
	ck_assert_uint_eq(s.memberships, 1);
	ck_assert_uint_eq(s.delivers, 2);
	ck_assert_uint_eq(s.last_sender, 1);
	ck_assert_uint_eq(s.last_len, 2);
	ck_assert_uint_eq(s.flows, 2);
	ck_assert_int_eq(s.last_blocked, 0);

	j = build(&src, STATUS_SECT_RING | STATUS_SECT_COUNTERS);
	ck_assert_str_eq(j, "{\"version\":1,\"ring\":{\"rep\":1,\"seq\":7,"
			 "\"members\":[1,2,3],\"this_nodeid\":2},"
			 "\"counters\":{\"delivered_msgs\":2,\"delivered_bytes\":7,"
			 "\"configurations\":1,\"flow_blocked_events\":1}}");
	free(j);

	/* a transitional configuration is forwarded but is not the ring */
	conf(&f.o, ORDER_CONF_TRANSITIONAL, 1, 7, two, 2);
	ck_assert_uint_eq(s.memberships, 2);
	ck_assert_int_eq(s.last_type, ORDER_CONF_TRANSITIONAL);
	j = build(&src, STATUS_SECT_RING);
	ck_assert_ptr_nonnull(strstr(j, "\"members\":[1,2,3]"));
	free(j);
	conf(&f.o, ORDER_CONF_REGULAR, 2, 8, two, 2);
	j = build(&src, STATUS_SECT_RING);
	ck_assert_str_eq(j, "{\"version\":1,\"ring\":{\"rep\":2,\"seq\":8,"
			 "\"members\":[2,3],\"this_nodeid\":2}}");
	free(j);

	/* removal gives the user back */
	status_tap_remove(&tap);
	ck_assert_ptr_eq(f.o.user.arg, &s);
	ck_assert_ptr_eq((void *)f.o.user.deliver, (void *)user_deliver);
	f.o.user.deliver(f.o.user.arg, 2, "x", 1);
	ck_assert_uint_eq(s.delivers, 3);
}
END_TEST

START_TEST(user_without_callbacks)
{
	static const uint32_t one[] = { 2 };
	struct status_tap tap;
	struct fake f;
	struct seen s;

	setup(&f, &s);
	f.o.user.flow = NULL;
	status_tap_install(&tap, &f.o);
	f.o.user.flow(f.o.user.arg, 1);
	conf(&f.o, ORDER_CONF_REGULAR, 2, 1, one, 1);
	ck_assert_uint_eq(tap.flow_blocked_events, 1);
	ck_assert(tap.have_ring);
	status_tap_remove(&tap);
	ck_assert_ptr_null((void *)f.o.user.flow);
}
END_TEST

/* What the ordering layer's ready upcall saw, and what the tap and the
 * user had seen by then. */
struct ready_seen {
	unsigned calls;
	uint64_t last_seq;
	size_t last_n;
	int ring_known;		/* the tap already had the ring */
	unsigned user_memberships;
	struct status_tap *tap;
	struct seen *seen;
};

static void on_ready(void *arg, const struct order_membership *m)
{
	struct ready_seen *h = arg;

	h->calls++;
	h->last_seq = m->ring.seq;
	h->last_n = m->n_members;
	h->ring_known = h->tap->have_ring && h->tap->ring.seq == m->ring.seq;
	h->user_memberships = h->seen->memberships;
}

/* Readiness is the ordering layer's own upcall (order.h), not the tap's:
 * once, at the first REGULAR configuration, before the user (the tap and
 * the user behind it) hears of it, whether the tap was installed before
 * or after it was asked for. */
START_TEST(ready_beside_tap)
{
	static const uint32_t three[] = { 1, 2, 3 };
	static const uint32_t two[] = { 2, 3 };
	struct ready_seen h;
	struct status_tap tap;
	struct fake f;
	struct seen s;
	int tap_first;

	for (tap_first = 0; tap_first < 2; tap_first++) {
		setup(&f, &s);
		memset(&h, 0, sizeof(h));
		h.tap = &tap;
		h.seen = &s;
		if (tap_first)
			status_tap_install(&tap, &f.o);
		order_set_ready(&f.o, on_ready, &h);
		if (!tap_first)
			status_tap_install(&tap, &f.o);

		/* transitional configurations are not rings */
		conf(&f.o, ORDER_CONF_TRANSITIONAL, 1, 4, two, 2);
		ck_assert_uint_eq(h.calls, 0);
		conf(&f.o, ORDER_CONF_REGULAR, 1, 4, three, 3);
		ck_assert_uint_eq(h.calls, 1);
		ck_assert_uint_eq(h.last_seq, 4);
		ck_assert_uint_eq(h.last_n, 3);
		/* before the user hears of it */
		ck_assert(!h.ring_known);
		ck_assert_uint_eq(h.user_memberships, 1);
		ck_assert_uint_eq(s.memberships, 2);
		ck_assert(tap.have_ring);
		/* once */
		conf(&f.o, ORDER_CONF_REGULAR, 2, 8, two, 2);
		ck_assert_uint_eq(h.calls, 1);
		ck_assert_uint_eq(s.memberships, 3);
		status_tap_remove(&tap);
	}
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { forwards_and_records, user_without_callbacks,
		ready_beside_tap, NULL };

	return unit_suite_of("status_tap", "tap", 10, tests);
}
