/* The service multiplexer (daemon/order/order_mux.c) over a fake ordering
 * layer: CPG and EVS messages sent interleaved come back in that one order,
 * each to its own service without the tag; configurations and flow go to
 * both; a message without a known service is dropped and counted; the
 * base is held while any service asks for a hold. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "order/order_mux.h"
#include "unit/check_main.h"

struct base {
	struct order o;
	uint8_t q[32][16];
	size_t len[32];
	int n;
	int hold;		/* last order_hold() the base was given */
	int holds;		/* how many it was given */
};

static int b_mcast(struct order *o, const struct iovec *iov, unsigned n,
		   enum order_guarantee g)
{
	struct base *b = (struct base *)o;
	size_t off = 0;

	(void)g;
	for (unsigned i = 0; i < n; i++) {
		memcpy(b->q[b->n] + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	b->len[b->n++] = off;
	return 0;
}
static uint32_t b_nodeid(const struct order *o) { (void)o; return 4; }
static size_t b_max(const struct order *o) { (void)o; return 1000; }
static int b_blocked(const struct order *o) { (void)o; return 1; }
static void b_hold(struct order *o, int on)
{
	struct base *b = (struct base *)o;

	b->hold = on;
	b->holds++;
}
static void b_destroy(struct order *o) { (void)o; }
static const struct order_ops b_ops = {
	.mcast = b_mcast, .nodeid = b_nodeid, .max_msg_size = b_max,
	.flow_blocked = b_blocked, .hold = b_hold, .destroy = b_destroy,
};

/* One log of everything both services see, in the order they see it. */
static char seen[256];

static void u_deliver(void *arg, uint32_t sender, const void *msg,
		      size_t len)
{
	ck_assert_uint_eq(sender, 9);
	strcat(seen, arg);
	strncat(seen, msg, len);
	strcat(seen, " ");
}

static void u_membership(void *arg, const struct order_membership *m)
{
	(void)m;
	strcat(seen, arg);
	strcat(seen, "conf ");
}

static void u_flow(void *arg, int blocked)
{
	strcat(seen, arg);
	strcat(seen, blocked ? "flow1 " : "flow0 ");
}

START_TEST(one_order)
{
	struct base b = { .o = { .ops = &b_ops } };
	struct order_mux *m;
	struct order *cpg, *evs;
	static const char *const sends[] = { "c1", "e1", "e2", "c2", "e3" };
	struct order_membership mb = { .type = ORDER_CONF_REGULAR };

	ck_assert_int_eq(order_mux_new(&b.o, &m, NULL), 0);
	cpg = order_mux_service(m, ORDER_MUX_CPG);
	evs = order_mux_service(m, ORDER_MUX_EVS);

	ck_assert_ptr_null(order_mux_service(m, 0));
	ck_assert_ptr_null(order_mux_service(m, 3));
	cpg->user = (struct order_user){ u_deliver, u_membership, u_flow,
					 "C:" };
	evs->user = (struct order_user){ u_deliver, u_membership, u_flow,
					 "E:" };
	ck_assert_uint_eq(order_max_msg_size(cpg), 1000 - ORDER_MUX_TAG_LEN);
	ck_assert_uint_eq(order_nodeid(evs), 4);
	ck_assert_int_eq(order_flow_blocked(evs), 1);
	for (int i = 0; i < 5; i++) {
		struct iovec iov = { (void *)sends[i], 2 };

		ck_assert_int_eq(order_mcast(sends[i][0] == 'c' ? cpg : evs,
					     &iov, 1, ORDER_AGREED), 0);
	}
	seen[0] = 0;
	for (int i = 0; i < 5; i++) {
		if (i == 2)
			b.o.user.membership(b.o.user.arg, &mb);
		b.o.user.deliver(b.o.user.arg, 9, b.q[i], b.len[i]);
	}
	b.o.user.flow(b.o.user.arg, 1);
	ck_assert_str_eq(seen, "C:c1 E:e1 C:conf E:conf E:e2 C:c2 E:e3 "
			 "C:flow1 E:flow1 ");
	/* no service byte, or an unknown one */
	b.o.user.deliver(b.o.user.arg, 9, "", 0);
	b.o.user.deliver(b.o.user.arg, 9, "\x07x", 2);
	ck_assert_uint_eq(order_mux_dropped(m), 2);
	order_destroy(cpg);	/* owned by the multiplexer: no effect */
	order_mux_destroy(m);
	ck_assert_ptr_null(b.o.user.deliver);
}
END_TEST

START_TEST(hold_while_any)
{
	struct base b = { .o = { .ops = &b_ops } };
	struct order_mux *m;
	struct order *cpg, *evs;

	ck_assert_int_eq(order_mux_new(&b.o, &m, NULL), 0);
	cpg = order_mux_service(m, ORDER_MUX_CPG);
	evs = order_mux_service(m, ORDER_MUX_EVS);

	order_hold(cpg, 1);
	ck_assert_int_eq(b.holds, 1);
	ck_assert_int_eq(b.hold, 1);
	order_hold(evs, 1);
	order_hold(cpg, 0);
	ck_assert_int_eq(b.hold, 1);	/* EVS still holds */
	order_hold(evs, 0);
	ck_assert_int_eq(b.hold, 0);
	order_hold(evs, 0);		/* idempotent */
	ck_assert_int_eq(b.hold, 0);
	order_mux_destroy(m);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { one_order, hold_while_any, NULL };

	return unit_suite_of("daemon_order_mux", "mux", 30, tests);
}
