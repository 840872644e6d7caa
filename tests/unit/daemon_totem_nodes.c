/* Unit tests of the engine's node limit: sets hold TOTEM_MAX_NODES ids and
 * say when full, totem_new() takes a node list of that many and refuses
 * one more, packets of another wire version are dropped with a warning,
 * and an engine without a node list drops (with a warning) a join that
 * would make its sets overflow instead of losing a node silently. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "totem/totem_int.h"
#include "unit/check_main.h"

/* Inputs a second apart: the engine answers a join that changes its sets
 * at once only when its last join is a quarter join interval old. */
#define SEC 1000000ull

struct obs {
	int warnings;
	char last_warning[256];
	int joins_sent;
};

static void o_send(void *a, uint32_t to, const void *p, size_t len)
{
	struct obs *o = a;

	if (len > 1 && ((const uint8_t *)p)[1] == TW_JOIN)
		o->joins_sent++;
}

static void o_arm(void *a, enum totem_timer t, uint64_t us) {}
static void o_cancel(void *a, enum totem_timer t) {}
static void o_deliver(void *a, uint32_t s, const void *m, size_t l,
		      enum totem_guarantee g) {}
static void o_conf(void *a, const struct totem_conf *c) {}
static void o_persist(void *a, uint64_t s) {}

static void o_log(void *a, enum totem_log_level lvl, const char *msg)
{
	struct obs *o = a;

	if (lvl < TOTEM_LOG_WARNING)
		return;
	o->warnings++;
	snprintf(o->last_warning, sizeof(o->last_warning), "%s", msg);
}

static const struct totem_ops ops = {
	.send = o_send, .timer_arm = o_arm, .timer_cancel = o_cancel,
	.deliver = o_deliver, .conf = o_conf, .persist_seq = o_persist,
	.log = o_log,
};

static uint32_t ids[TOTEM_MAX_NODES + 2];

static void ids_init(void)
{
	size_t i;

	for (i = 0; i < TOTEM_MAX_NODES + 2; i++)
		ids[i] = (uint32_t)(i + 1);
}

START_TEST(test_set_ops)
{
	static struct tm_set s, a, b, d;
	uint32_t i;

	memset(&s, 0, sizeof(s));
	/* added out of order, kept ascending */
	for (i = TOTEM_MAX_NODES; i >= 1; i--)
		ck_assert_int_eq(tm_set_add(&s, i * 2), 0);
	ck_assert_uint_eq(s.n, TOTEM_MAX_NODES);
	for (i = 1; i < s.n; i++)
		ck_assert_uint_lt(s.id[i - 1], s.id[i]);
	ck_assert_int_eq(tm_set_add(&s, 10), 0);	/* present: no change */
	ck_assert_uint_eq(s.n, TOTEM_MAX_NODES);
	/* full: one more is an error, not a silent drop */
	ck_assert_int_eq(tm_set_add(&s, 7), -ENOSPC);
	ck_assert_uint_eq(s.n, TOTEM_MAX_NODES);
	ck_assert(!tm_set_has(&s, 7));
	ck_assert(tm_set_has(&s, 2));
	ck_assert(tm_set_has(&s, 2 * TOTEM_MAX_NODES));
	ck_assert(!tm_set_has(&s, 2 * TOTEM_MAX_NODES + 2));
	ck_assert_uint_eq(tm_set_next(&s, 2), 4);
	ck_assert_uint_eq(tm_set_next(&s, 3), 4);
	ck_assert_uint_eq(tm_set_next(&s, 2 * TOTEM_MAX_NODES), 2);
	tm_set_del(&s, 2 * TOTEM_MAX_NODES);
	tm_set_del(&s, 5);				/* absent */
	ck_assert_uint_eq(s.n, TOTEM_MAX_NODES - 1);
	ck_assert_int_eq(tm_set_add(&s, 7), 0);
	ck_assert_uint_eq(s.id[3], 7);

	/* a - b over full-size sets */
	ids_init();
	tm_set_from(&a, ids, TOTEM_MAX_NODES);
	ck_assert_uint_eq(a.n, TOTEM_MAX_NODES);
	memset(&b, 0, sizeof(b));
	for (i = 1; i <= TOTEM_MAX_NODES; i += 3)
		tm_set_add(&b, i);
	tm_set_add(&b, 100000);
	tm_set_minus(&d, &a, &b);
	ck_assert_uint_eq(d.n, TOTEM_MAX_NODES - (TOTEM_MAX_NODES + 2) / 3);
	for (i = 0; i < d.n; i++)
		ck_assert(!tm_set_has(&b, d.id[i]) && tm_set_has(&a, d.id[i]));
	ck_assert(!tm_set_eq(&a, &d));
	tm_set_minus(&d, &a, &s);
	tm_set_minus(&b, &a, &s);
	ck_assert(tm_set_eq(&b, &d));
}
END_TEST

START_TEST(test_create_at_the_limit)
{
	struct totem_config c;
	struct obs o;
	struct totem *t;

	ids_init();
	memset(&o, 0, sizeof(o));
	memset(&c, 0, sizeof(c));
	c.nodeid = TOTEM_MAX_NODES;
	c.nodes = ids;
	c.n_nodes = TOTEM_MAX_NODES;
	totem_new(&c, &ops, &o, 0, &t, NULL);
	ck_assert_ptr_nonnull(t);
	totem_destroy(t);
	c.n_nodes = TOTEM_MAX_NODES + 1;
	ck_assert_int_eq(totem_new(&c, &ops, &o, 0, &t, NULL), -EINVAL);
	ck_assert_ptr_null(t);
}
END_TEST

static size_t join_of(uint8_t *buf, uint32_t sender, const uint32_t *proc,
		      uint16_t n)
{
	static struct tw_join j;
	int len;

	memset(&j, 0, sizeof(j));
	j.h.type = TW_JOIN;
	j.h.sender = sender;
	j.max_seq = 4;
	j.n_proc = n;
	memcpy(j.proc, proc, n * sizeof(*proc));
	len = tw_encode_join(buf, TW_MAX_PKT, &j);
	ck_assert_int_gt(len, 0);
	return (size_t)len;
}

/* A node of wire version 1 is named once in a warning; its packets never
 * reach the membership (no join is sent in answer). */
START_TEST(test_other_version_warned)
{
	static uint8_t buf[TW_MAX_PKT];
	const uint32_t nodes[] = { 1, 2 };
	struct totem_config c;
	struct obs o;
	struct totem *t;
	size_t len;
	int joins;

	memset(&o, 0, sizeof(o));
	memset(&c, 0, sizeof(c));
	c.nodeid = 1;
	c.nodes = nodes;
	c.n_nodes = 2;
	totem_new(&c, &ops, &o, 0, &t, NULL);
	ck_assert_ptr_nonnull(t);
	joins = o.joins_sent;
	len = join_of(buf, 2, nodes, 2);
	buf[0] = 1;
	totem_input_packet(t, 2, buf, len, SEC);
	ck_assert_int_eq(o.warnings, 1);
	ck_assert_msg(strstr(o.last_warning, "node 2 speaks Totem wire version 1") &&
		      strstr(o.last_warning, "this node version 2"), "%s", o.last_warning);
	totem_input_packet(t, 2, buf, len, 2 * SEC);
	ck_assert_int_eq(o.warnings, 1);	/* once per sender */
	ck_assert_int_eq(o.joins_sent, joins);	/* not merged */
	/* the same join in this version is taken */
	buf[0] = TW_VERSION;
	totem_input_packet(t, 2, buf, len, 3 * SEC);
	ck_assert_int_gt(o.joins_sent, joins);
	ck_assert_int_eq(o.warnings, 1);
	totem_destroy(t);
}
END_TEST

/* No node list: joins naming TOTEM_MAX_NODES ids in all are merged; a
 * join that would add one more is dropped with a warning. */
START_TEST(test_no_nodelist_overflow)
{
	static uint8_t buf[TW_MAX_PKT];
	struct totem_config c;
	struct obs o;
	struct totem *t;
	size_t len;
	int joins;

	ids_init();
	memset(&o, 0, sizeof(o));
	memset(&c, 0, sizeof(c));
	c.nodeid = 1;
	totem_new(&c, &ops, &o, 0, &t, NULL);
	ck_assert_ptr_nonnull(t);
	/* ids 1..384: us and 383 others */
	len = join_of(buf, 2, ids, TOTEM_MAX_NODES);
	joins = o.joins_sent;
	totem_input_packet(t, 2, buf, len, SEC);
	ck_assert_int_eq(o.warnings, 0);
	ck_assert_int_gt(o.joins_sent, joins);	/* merged: answered */
	/* a join from node 385 itself is one id too many */
	len = join_of(buf, TOTEM_MAX_NODES + 1, &ids[TOTEM_MAX_NODES], 1);
	joins = o.joins_sent;
	totem_input_packet(t, TOTEM_MAX_NODES + 1, buf, len, 2 * SEC);
	ck_assert_int_eq(o.warnings, 1);
	ck_assert_msg(strstr(o.last_warning, "more than 384 nodes"), "%s",
		      o.last_warning);
	ck_assert_int_eq(o.joins_sent, joins);
	/* so is a join of a known sender that names node 386 */
	len = join_of(buf, 3, &ids[TOTEM_MAX_NODES], 2);
	totem_input_packet(t, 3, buf, len, 3 * SEC);
	ck_assert_int_eq(o.joins_sent, joins);
	ck_assert_int_eq(o.warnings, 1);	/* warned once */
	totem_destroy(t);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { test_set_ops, test_create_at_the_limit,
		test_other_version_warned, test_no_nodelist_overflow, NULL };

	return unit_suite_of("totem_nodes", "nodes", 30, tests);
}
