/* The Totem engine's driver behind the ordering seam.  See order_totem.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "order/order_totem.h"
#include "util/err.h"
#include "util/log.h"
#include "util/ring_seq.h"

/* room for the member list of a configuration's log line, within libqb's
 * line length */
#define ORDER_LOG_LIST_MAX 320

struct ot_timer {
	struct order_totem *ot;
	enum totem_timer id;
	int armed;
	qb_loop_timer_handle handle;
};

/*
 * Every message given to the engine starts with a tag byte: a user's
 * message, or this driver's hold announcement ({OT_TAG_HOLD, 0 or 1}).
 */
enum { OT_TAG_USER = 0, OT_TAG_HOLD = 1 };
#define OT_HOLD_LEN 2
/* This node's own messages in flight (handed to the engine, not yet
 * delivered back here), in bytes: flow(1) above the high mark, flow(0)
 * again at the low one.  The bound on what one node can still add to the
 * ring's traffic once the others asked it to hold. */
#define OT_OWN_HIGH ((size_t)4 << 20)
#define OT_OWN_LOW ((size_t)2 << 20)
#define OT_HOLDS_LOGGED 10

struct order_totem {
	struct order base;		/* first: order.h's promise */
	qb_loop_t *loop;
	struct totem *engine;
	struct order_totem_transport tp;
	char *state_dir;
	struct ot_timer timers[TOTEM_TIMER_COUNT];
	uint8_t *scratch;		/* flattened iovecs */
	size_t scratch_len;
	struct order_stats stats;
	/* flow control: the engine's backlog, our own bytes in flight, our
	 * hold and the other nodes' holds (node ids, unordered) */
	int engine_blocked;
	size_t own_bytes;
	int own_over;
	int hold;
	int hold_unsent;		/* `hold` not yet handed to the engine */
	uint32_t *holders;
	size_t n_holders, cap_holders;
	int reported;			/* flow state last given to the user */
	unsigned int holds_logged, holds_heard;	/* at info, the first few */
	int flow_timer_on;
	qb_loop_timer_handle flow_timer;
};

static void ot_hold_push(struct order_totem *ot);
static void ot_flow_report(struct order_totem *ot);

static uint64_t ot_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static struct order_totem *ot_of(struct order *o)
{
	return (struct order_totem *)o;
}

static const struct order_totem *ot_of_c(const struct order *o)
{
	return (const struct order_totem *)o;
}

/* ---- engine outputs ---- */

static void ot_send(void *arg, uint32_t to, const void *pkt, size_t len)
{
	struct order_totem *ot = arg;

	ot->stats.packets_out++;
	ot->tp.send(ot->tp.arg, to, pkt, len);
}

static void ot_timer_fired(void *data)
{
	struct ot_timer *tm = data;

	tm->armed = 0;
	totem_input_timer(tm->ot->engine, tm->id, ot_now_us());
	ot_hold_push(tm->ot);
	ot_flow_report(tm->ot);
}

static void ot_timer_cancel(void *arg, enum totem_timer t)
{
	struct order_totem *ot = arg;
	struct ot_timer *tm = &ot->timers[t];

	if (tm->armed) {
		qb_loop_timer_del(ot->loop, tm->handle);
		tm->armed = 0;
	}
}

static void ot_timer_arm(void *arg, enum totem_timer t, uint64_t after_us)
{
	struct order_totem *ot = arg;
	struct ot_timer *tm = &ot->timers[t];
	int rc;

	ot_timer_cancel(arg, t);
	rc = qb_loop_timer_add(ot->loop, QB_LOOP_HIGH, after_us * 1000u, tm,
			       ot_timer_fired, &tm->handle);
	if (rc < 0) {
		/* Without its timers the engine cannot detect loss: a broken
		 * invariant of the main loop, not something to limp on with. */
		log_error_errno(LOG_T_ORDER, rc, "cannot arm totem timer %d", t);
		abort();
	}
	tm->armed = 1;
}

/* The engine took in a token (totem.h): its rotation, for status and the
 * daemon's token warning. */
static void ot_token_rotation(void *arg, uint64_t rotation_us,
			      uint64_t timeout_us)
{
	struct order_totem *ot = arg;

	ot->stats.token_timeout_us = timeout_us;
	if (!rotation_us)
		return;
	ot->stats.token_rotation_us = rotation_us;
	if (rotation_us > ot->stats.token_rotation_max_us)
		ot->stats.token_rotation_max_us = rotation_us;
}

/* ---- flow control ---- */

static int ot_want_blocked(const struct order_totem *ot)
{
	return ot->engine_blocked || ot->own_over || ot->hold ||
	       ot->n_holders > 0;
}

/* Tell the user of a change; only from the loop (order.h). */
static void ot_flow_report(struct order_totem *ot)
{
	int now = ot_want_blocked(ot);

	if (now == ot->reported)
		return;
	ot->reported = now;
	log_debug(LOG_T_ORDER, "flow control %s (engine %d, own %zu bytes in "
		  "flight, hold %d, %zu other node(s) holding)", now ? "on" : "off",
		  ot->engine_blocked, ot->own_bytes, ot->hold, ot->n_holders);
	if (ot->base.user.flow)
		ot->base.user.flow(ot->base.user.arg, now);
}

static void ot_flow_timer_fired(void *data)
{
	struct order_totem *ot = data;

	ot->flow_timer_on = 0;
	ot_hold_push(ot);
	ot_flow_report(ot);
}

/* A change made from inside a call by the user is carried out from the
 * loop: the user may be inside one of our upcalls, inside the engine. */
static void ot_flow_schedule(struct order_totem *ot)
{
	if (ot->flow_timer_on ||
	    (!ot->hold_unsent && ot_want_blocked(ot) == ot->reported))
		return;
	if (qb_loop_timer_add(ot->loop, QB_LOOP_HIGH, 0, ot,
			      ot_flow_timer_fired, &ot->flow_timer) == 0)
		ot->flow_timer_on = 1;
	/* else the next packet or timer reports it */
}

static void ot_own_add(struct order_totem *ot, size_t len)
{
	ot->own_bytes += len;
	if (ot->own_bytes >= OT_OWN_HIGH)
		ot->own_over = 1;
}

static void ot_own_done(struct order_totem *ot, size_t len)
{
	ot->own_bytes -= len < ot->own_bytes ? len : ot->own_bytes;
	if (ot->own_bytes <= OT_OWN_LOW)
		ot->own_over = 0;
}

/* Hand our hold state to the engine, if it changed since; a full engine
 * queue leaves it for the next packet or timer. */
static void ot_hold_push(struct order_totem *ot)
{
	uint8_t m[OT_HOLD_LEN] = { OT_TAG_HOLD, (uint8_t)ot->hold };

	if (!ot->hold_unsent)
		return;
	if (totem_mcast(ot->engine, m, sizeof(m), TOTEM_AGREED,
			ot_now_us()) == 0) {
		ot->hold_unsent = 0;
		ot_own_add(ot, sizeof(m));
	}
}

static long ot_holder_find(const struct order_totem *ot, uint32_t node)
{
	size_t i;

	for (i = 0; i < ot->n_holders; i++)
		if (ot->holders[i] == node)
			return (long)i;
	return -1;
}

static void ot_holder_set(struct order_totem *ot, uint32_t node, int on)
{
	long i = ot_holder_find(ot, node);

	if (!on) {
		if (i >= 0) {
			ot->holders[i] = ot->holders[--ot->n_holders];
			log_debug(LOG_T_ORDER, "node %u releases the senders",
				  node);
		}
		return;
	}
	if (i >= 0)
		return;
	if (ot->holds_heard < OT_HOLDS_LOGGED) {
		ot->holds_heard++;
		log_info(LOG_T_ORDER, "node %u holds the senders: a client "
			 "there is behind", node);
	} else {
		log_debug(LOG_T_ORDER, "node %u holds the senders", node);
	}
	if (ot->n_holders == ot->cap_holders) {
		size_t cap = ot->cap_holders ? 2 * ot->cap_holders : 8;
		uint32_t *p = realloc(ot->holders, cap * sizeof(*p));

		if (!p) {
			log_error(LOG_T_ORDER, "no memory to record the hold of "
				  "node %u", node);
			return;
		}
		ot->holders = p;
		ot->cap_holders = cap;
	}
	ot->holders[ot->n_holders++] = node;
}

/* A ring change ends the holds of the nodes that are gone; ours is
 * announced again for the nodes that are new. */
static void ot_holders_keep(struct order_totem *ot, const uint32_t *members,
			    size_t n)
{
	size_t i = 0, j;

	while (i < ot->n_holders) {
		for (j = 0; j < n && members[j] != ot->holders[i]; j++)
			;
		if (j == n)
			ot->holders[i] = ot->holders[--ot->n_holders];
		else
			i++;
	}
}

static void ot_deliver(void *arg, uint32_t sender, const void *msg, size_t len,
		       enum totem_guarantee g)
{
	struct order_totem *ot = arg;
	const uint8_t *p = msg;

	(void)g;
	if (sender == totem_nodeid(ot->engine))
		ot_own_done(ot, len);
	if (len < 1)
		return;
	if (p[0] == OT_TAG_HOLD) {
		if (len == OT_HOLD_LEN && sender != totem_nodeid(ot->engine))
			ot_holder_set(ot, sender, p[1] != 0);
		return;
	}
	if (p[0] != OT_TAG_USER) {
		log_debug(LOG_T_ORDER, "message of unknown kind %u from node %u "
			  "ignored", p[0], sender);
		return;
	}
	ot->base.user.deliver(ot->base.user.arg, sender, p + 1, len - 1);
}

static void ot_conf(void *arg, const struct totem_conf *c)
{
	struct order_totem *ot = arg;
	struct order_membership m = {
		.type = c->type == TOTEM_CONF_REGULAR ? ORDER_CONF_REGULAR
						      : ORDER_CONF_TRANSITIONAL,
		.ring = { .rep = c->ring.rep, .seq = c->ring.seq },
		.members = c->members, .n_members = c->n_members,
		.left = c->left, .n_left = c->n_left,
		.joined = c->joined, .n_joined = c->n_joined,
	};

	char list[ORDER_LOG_LIST_MAX];
	size_t i, off = 0;
	int w;

	/* The member list in the log line lets tests (cpg_histclient) record
	 * the real transitional configuration; a list cut short here ends
	 * with "..." and does not match its count. */
	list[0] = '\0';
	for (i = 0; i < c->n_members && off < sizeof(list); i++) {
		w = snprintf(list + off, sizeof(list) - off, "%s%u", i ? "," : "",
			     c->members[i]);
		if (w < 0 || (size_t)w >= sizeof(list) - off) {
			strcpy(list + sizeof(list) - 4, "...");
			break;
		}
		off += (size_t)w;
	}
	if (c->type == TOTEM_CONF_REGULAR) {
		ot_holders_keep(ot, c->members, c->n_members);
		if (ot->hold)
			ot->hold_unsent = 1;
	}
	log_notice(LOG_T_ORDER, "%s configuration %u.%llu with %zu members: %s",
		   c->type == TOTEM_CONF_REGULAR ? "regular" : "transitional",
		   c->ring.rep, (unsigned long long)c->ring.seq, c->n_members,
		   list);
	order_report_membership(&ot->base, &m);
}

static void ot_persist_seq(void *arg, uint64_t seq)
{
	struct order_totem *ot = arg;
	int rc;

	if (!ot->state_dir)
		return;
	/* no fsync here: on a busy disk it stalls the main loop for
	 * seconds, the token and consensus timers with it (util/ring_seq.h) */
	rc = ring_seq_store_nosync(ot->state_dir, seq);
	if (rc < 0)
		log_warning_errno(LOG_T_ORDER, rc, "cannot record ring sequence in %s",
				  ot->state_dir);
}

static void ot_flow(void *arg, int blocked)
{
	struct order_totem *ot = arg;

	ot->engine_blocked = blocked;
	ot_flow_report(ot);
}

static void ot_log(void *arg, enum totem_log_level lvl, const char *msg)
{
	switch (lvl) {
	case TOTEM_LOG_ERROR: log_error(LOG_T_TOTEM, "%s", msg); break;
	case TOTEM_LOG_WARNING: log_warning(LOG_T_TOTEM, "%s", msg); break;
	case TOTEM_LOG_INFO: log_info(LOG_T_TOTEM, "%s", msg); break;
	default: log_debug(LOG_T_TOTEM, "%s", msg); break;
	}
}

static const struct totem_ops ot_engine_ops = {
	.send = ot_send,
	.timer_arm = ot_timer_arm,
	.timer_cancel = ot_timer_cancel,
	.deliver = ot_deliver,
	.conf = ot_conf,
	.persist_seq = ot_persist_seq,
	.flow = ot_flow,
	.log = ot_log,
	.token_rotation = ot_token_rotation,
};

/* ---- order.h ---- */

static int ot_mcast(struct order *o, const struct iovec *iov,
		    unsigned int iovcnt, enum order_guarantee g)
{
	struct order_totem *ot = ot_of(o);
	enum totem_guarantee tg = g == ORDER_SAFE ? TOTEM_SAFE : TOTEM_AGREED;
	size_t len = 1, off = 1;
	unsigned int i;
	int rc;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	if (len > ot->scratch_len) {
		uint8_t *p = realloc(ot->scratch, len);

		if (!p)
			return -ENOMEM;
		ot->scratch = p;
		ot->scratch_len = len;
	}
	ot->scratch[0] = OT_TAG_USER;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len)
			memcpy(ot->scratch + off, iov[i].iov_base,
			       iov[i].iov_len);
		off += iov[i].iov_len;
	}
	rc = totem_mcast(ot->engine, ot->scratch, len, tg, ot_now_us());
	if (rc == 0) {
		ot->stats.mcast_msgs++;
		ot->stats.mcast_bytes += len - 1;
		ot_own_add(ot, len);
		ot_flow_schedule(ot);
	}
	return rc;
}

static uint32_t ot_nodeid(const struct order *o)
{
	return totem_nodeid(ot_of_c(o)->engine);
}

static size_t ot_max_msg_size(const struct order *o)
{
	return totem_max_msg_size(ot_of_c(o)->engine) - 1;	/* the tag */
}

static int ot_flow_blocked(const struct order *o)
{
	const struct order_totem *ot = ot_of_c(o);

	return ot_want_blocked(ot) || ot->reported ||
	       totem_flow_blocked(ot->engine);
}

static void ot_hold(struct order *o, int on)
{
	struct order_totem *ot = ot_of(o);

	on = on ? 1 : 0;
	if (on == ot->hold)
		return;
	ot->hold = on;
	ot->hold_unsent = 1;
	/* at info for the first few: a busy node holds often */
	if (ot->holds_logged < OT_HOLDS_LOGGED) {
		ot->holds_logged++;
		log_info(LOG_T_ORDER, "%s the cluster's senders: a client here "
			 "is %s", on ? "holding" : "releasing",
			 on ? "behind on its events" : "no longer behind");
	} else {
		log_debug(LOG_T_ORDER, "%s the cluster's senders",
			  on ? "holding" : "releasing");
	}
	ot_flow_schedule(ot);
}

static void ot_stats(const struct order *o, struct order_stats *st)
{
	const struct order_totem *ot = ot_of_c(o);

	*st = ot->stats;
	st->backlog_msgs = totem_backlog(ot->engine);
	st->backlog_bytes = totem_backlog_bytes(ot->engine);
}

static void ot_leave(struct order *o)
{
	struct order_totem *ot = ot_of(o);
	int i;

	log_notice(LOG_T_ORDER, "leaving the cluster");
	if (ot->tp.leaving)
		ot->tp.leaving(ot->tp.arg, 0);
	totem_leave(ot->engine, ot_now_us());
	/* the engine cancelled its timers; these are already gone then */
	for (i = 0; i < TOTEM_TIMER_COUNT; i++)
		ot_timer_cancel(ot, (enum totem_timer)i);
	if (ot->tp.leaving)
		ot->tp.leaving(ot->tp.arg, 1);
}

static void ot_destroy(struct order *o)
{
	struct order_totem *ot = ot_of(o);
	int i;

	for (i = 0; i < TOTEM_TIMER_COUNT; i++)
		ot_timer_cancel(ot, (enum totem_timer)i);
	if (ot->flow_timer_on)
		qb_loop_timer_del(ot->loop, ot->flow_timer);
	totem_destroy(ot->engine);
	if (ot->tp.destroy)
		ot->tp.destroy(ot->tp.arg);
	free(ot->scratch);
	free(ot->holders);
	free(ot->state_dir);
	free(ot);
}

static const struct order_ops ot_order_ops = {
	.mcast = ot_mcast,
	.nodeid = ot_nodeid,
	.max_msg_size = ot_max_msg_size,
	.flow_blocked = ot_flow_blocked,
	.hold = ot_hold,
	.stats = ot_stats,
	.leave = ot_leave,
	.destroy = ot_destroy,
};

int order_totem_new(qb_loop_t *loop, const struct totem_config *cfg,
		    const struct order_totem_transport *tp,
		    const char *state_dir, struct order_totem **out,
		    struct err *e)
{
	struct order_totem *ot = calloc(1, sizeof(*ot));
	struct totem_config c = *cfg;
	int i, rc;

	*out = NULL;
	if (!ot)
		return err_set(e, -ENOMEM, "out of memory");
	ot->base.ops = &ot_order_ops;
	ot->loop = loop;
	ot->tp = *tp;
	for (i = 0; i < TOTEM_TIMER_COUNT; i++) {
		ot->timers[i].ot = ot;
		ot->timers[i].id = (enum totem_timer)i;
	}
	c.ring_seq = 0;
	if (state_dir) {
		ot->state_dir = strdup(state_dir);
		if (!ot->state_dir) {
			rc = err_set(e, -ENOMEM, "out of memory");
			goto fail;
		}
		rc = ring_seq_load(state_dir, &c.ring_seq);
		if (rc < 0)
			log_warning_errno(LOG_T_ORDER, rc,
					  "cannot read ring sequence in %s", state_dir);
	}
	rc = totem_new(&c, &ot_engine_ops, ot, ot_now_us(), &ot->engine, e);
	if (rc < 0)
		goto fail;
	ot->stats.mtu = c.mtu ? c.mtu : 1400;	/* totem.h's default */
	*out = ot;
	return 0;
fail:
	free(ot->state_dir);
	free(ot);
	return rc;
}

struct order *order_totem_base(struct order_totem *ot)
{
	return &ot->base;
}

void order_totem_input(struct order_totem *ot, uint32_t from, const void *pkt,
		       size_t len)
{
	ot->stats.packets_in++;
	totem_input_packet(ot->engine, from, pkt, len, ot_now_us());
	ot_hold_push(ot);
	ot_flow_report(ot);
}

void order_totem_reachable(struct order_totem *ot, uint32_t node,
			   int reachable)
{
	log_info(LOG_T_ORDER, "node %u %s", node,
		 reachable ? "reachable" : "unreachable on every link");
	totem_input_reachable(ot->engine, node, reachable, ot_now_us());
}

int order_totem_set_mtu(struct order_totem *ot, uint32_t mtu)
{
	int rc = totem_set_mtu(ot->engine, mtu);

	if (rc == 0)
		ot->stats.mtu = mtu;
	return rc;
}
