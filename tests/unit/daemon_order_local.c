/* The one-node sequencer (daemon/order/order_local.c) on a real libqb
 * loop: asynchronous delivery in FIFO order after a first REGULAR
 * configuration, the ready upcall, backlog marks, limits, ring sequence
 * across restarts, no counters. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include <qb/qbloop.h>
#include <qb/qbutil.h>

#include "order/order_local.h"
#include "util/err.h"
#include "unit/check_main.h"

struct rec {
	qb_loop_t *loop;
	int n_conf;
	int conf_before_msgs;
	uint64_t ring_seq;
	int ready;			/* ready upcalls */
	int conf_at_ready;		/* n_conf when it came */
	uint32_t seen[5000];
	size_t n;
	int flow[16];
	int n_flow;
	int in_mcast;
	int upcall_in_mcast;
};

static void r_deliver(void *arg, uint32_t sender, const void *msg, size_t len)
{
	struct rec *r = arg;
	uint32_t v;

	ck_assert_uint_eq(sender, 1);
	ck_assert_uint_eq(len, 4);
	if (r->in_mcast)
		r->upcall_in_mcast = 1;
	memcpy(&v, msg, 4);
	if (r->n < 5000)
		r->seen[r->n++] = v;
}

static void r_membership(void *arg, const struct order_membership *m)
{
	struct rec *r = arg;

	ck_assert_int_eq(m->type, ORDER_CONF_REGULAR);
	ck_assert(m->n_members == 1 && m->members[0] == 1);
	ck_assert(m->n_joined == 1 && m->joined[0] == 1 && m->n_left == 0);
	r->conf_before_msgs = (r->n == 0);
	r->ring_seq = m->ring.seq;
	r->n_conf++;
}

static void r_ready(void *arg, const struct order_membership *m)
{
	struct rec *r = arg;

	ck_assert_int_eq(m->type, ORDER_CONF_REGULAR);
	r->ready++;
	r->conf_at_ready = r->n_conf;
}

static void r_flow(void *arg, int blocked)
{
	struct rec *r = arg;

	if (r->n_flow < 16)
		r->flow[r->n_flow++] = blocked;
}

static void stop_loop(void *data)
{
	qb_loop_stop(data);
}

/* Run the loop for about ms milliseconds. */
static void run_for(qb_loop_t *loop, unsigned int ms)
{
	qb_loop_timer_handle t;

	qb_loop_timer_add(loop, QB_LOOP_LOW, (uint64_t)ms * QB_TIME_NS_IN_MSEC,
			  loop, stop_loop, &t);
	qb_loop_run(loop);
}

/* Runs the loop in 10 ms slices until COND holds, for 10 s at most: a
 * loaded machine, or valgrind, may need many slices. */
#define RUN_UNTIL(r, cond) do { \
	int slice_; \
	for (slice_ = 0; slice_ < 1000 && !(cond); slice_++) \
		run_for((r)->loop, 10); \
} while (0)

static struct order *make(struct rec *r, const char *dir,
			  const struct order_local_limits *lim)
{
	struct order *o;

	ck_assert_int_eq(order_local_new(r->loop, 1, dir, lim, &o, NULL), 0);
	ck_assert_ptr_nonnull(o);
	o->user.deliver = r_deliver;
	o->user.membership = r_membership;
	o->user.flow = r_flow;
	o->user.arg = r;
	return o;
}

static int send_u32(struct rec *r, struct order *o, uint32_t v)
{
	struct iovec iov[2] = { { &v, 2 }, { (uint8_t *)&v + 2, 2 } };
	int rc;

	r->in_mcast = 1;
	rc = order_mcast(o, iov, 2, ORDER_AGREED);
	r->in_mcast = 0;
	return rc;
}

START_TEST(fifo_after_first_configuration)
{
	struct rec r;
	struct order *o;
	uint32_t i;

	memset(&r, 0, sizeof(r));
	r.loop = qb_loop_create();
	o = make(&r, NULL, NULL);
	ck_assert_uint_eq(order_nodeid(o), 1);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(send_u32(&r, o, i), 0);
	ck_assert_uint_eq(r.n, 0);		/* nothing inside mcast */
	RUN_UNTIL(&r, r.n >= 1000);
	ck_assert_int_eq(r.n_conf, 1);
	ck_assert(r.conf_before_msgs);
	ck_assert_uint_eq(r.ring_seq, 1);	/* no state dir */
	ck_assert_uint_eq(r.n, 1000);
	for (i = 0; i < 1000; i++)
		ck_assert_uint_eq(r.seen[i], i);
	ck_assert(!r.upcall_in_mcast);
	order_destroy(o);
	qb_loop_destroy(r.loop);
}
END_TEST

START_TEST(marks_and_limits)
{
	struct order_local_limits lim = {
		.high_msgs = 100, .low_msgs = 10, .max_msgs = 200,
		.high_bytes = 1 << 20, .low_bytes = 1 << 19, .max_bytes = 1 << 21,
		.max_msg_size = 64, .batch = 20,
	};
	struct rec r;
	struct order *o;
	uint8_t big[65] = { 0 };
	struct iovec iov = { big, sizeof(big) };
	uint32_t i;

	memset(&r, 0, sizeof(r));
	r.loop = qb_loop_create();
	o = make(&r, NULL, &lim);
	ck_assert_int_eq(order_mcast(o, &iov, 1, ORDER_SAFE), -EMSGSIZE);
	for (i = 0; i < 200; i++)
		ck_assert_int_eq(send_u32(&r, o, i), 0);
	ck_assert(order_flow_blocked(o));
	ck_assert_int_eq(send_u32(&r, o, 200), -EAGAIN);	/* hard limit */
	ck_assert_int_eq(r.n_flow, 0);		/* reported from the loop */
	RUN_UNTIL(&r, r.n >= 200 && r.n_flow >= 2);
	ck_assert_uint_eq(r.n, 200);
	ck_assert_int_eq(r.n_flow, 2);
	ck_assert(r.flow[0] == 1 && r.flow[1] == 0);
	ck_assert(!order_flow_blocked(o));
	order_destroy(o);
	qb_loop_destroy(r.loop);
}
END_TEST

START_TEST(ring_sequence_survives_restarts)
{
	char dir[] = "/tmp/order-local-XXXXXX";
	char path[64];
	struct rec r;
	struct order *o;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&r, 0, sizeof(r));
	r.loop = qb_loop_create();
	o = make(&r, dir, NULL);
	RUN_UNTIL(&r, r.n_conf >= 1);
	ck_assert_uint_eq(r.ring_seq, 1);
	order_destroy(o);
	o = make(&r, dir, NULL);
	RUN_UNTIL(&r, r.n_conf >= 2);
	ck_assert_uint_eq(r.ring_seq, 2);
	/* messages still queued at destroy are freed, not delivered */
	ck_assert_int_eq(send_u32(&r, o, 1), 0);
	order_destroy(o);
	qb_loop_destroy(r.loop);
	snprintf(path, sizeof(path), "%s/ring-seq", dir);
	unlink(path);
	rmdir(dir);
	{
		struct err e = { "" };

		o = (struct order *)&r;
		ck_assert_int_eq(order_local_new(NULL, 0, NULL, NULL, &o, &e),
				 -EINVAL);
		ck_assert_ptr_null(o);
		ck_assert_str_eq(e.msg, "node id 0");
	}
}
END_TEST

/* The ready upcall (order.h): asked for before the user is set, it comes
 * once, from the loop, just before the first configuration; the
 * sequencer keeps no counters. */
START_TEST(ready_upcall)
{
	struct order_stats st;
	struct rec r;
	struct order *o;

	memset(&r, 0, sizeof(r));
	r.loop = qb_loop_create();
	ck_assert_int_eq(order_local_new(r.loop, 1, NULL, NULL, &o, NULL), 0);
	order_set_ready(o, r_ready, &r);
	o->user.membership = r_membership;
	o->user.arg = &r;
	ck_assert_int_eq(r.ready, 0);		/* not inside the constructor */
	run_for(r.loop, 20);
	ck_assert_int_eq(r.ready, 1);
	ck_assert_int_eq(r.conf_at_ready, 0);	/* before the user heard */
	ck_assert_int_eq(r.n_conf, 1);
	ck_assert_int_eq(order_stats(o, &st), -ENOTSUP);
	ck_assert_uint_eq(st.mcast_msgs, 0);
	order_leave(o);				/* nothing to tell */
	order_destroy(o);
	qb_loop_destroy(r.loop);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { fifo_after_first_configuration,
		marks_and_limits, ring_sequence_survives_restarts,
		ready_upcall, NULL };

	return unit_suite_of("daemon_order_local", "local", 30, tests);
}
