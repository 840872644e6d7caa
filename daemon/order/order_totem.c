/* The Totem engine's driver behind the ordering seam.  See order_totem.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "order/order_totem.h"
#include "util/log.h"
#include "util/ring_seq.h"

struct ot_timer {
	struct order_totem *ot;
	enum totem_timer id;
	int armed;
	qb_loop_timer_handle handle;
};

struct order_totem {
	struct order base;		/* first: order.h's promise */
	qb_loop_t *loop;
	struct totem *engine;
	struct order_totem_transport tp;
	char *state_dir;
	struct ot_timer timers[TOTEM_TIMER_COUNT];
	uint8_t *scratch;		/* flattened iovecs */
	size_t scratch_len;
	struct order_totem_stats stats;
	uint64_t token_at_us;		/* last token of this ring; 0: none */
};

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
	if (tm->id == TOTEM_TIMER_TOKEN_LOSS)
		tm->ot->token_at_us = 0;
	totem_input_timer(tm->ot->engine, tm->id, ot_now_us());
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
	/* The engine arms the token-loss timer at every token it takes in
	 * (and at commit and recovery), so the time between two arms is a
	 * rotation; gathering (join, consensus) ends the series. */
	if (t == TOTEM_TIMER_TOKEN_LOSS) {
		uint64_t now = ot_now_us();

		if (ot->token_at_us) {
			ot->stats.token_rotation_us = now - ot->token_at_us;
			if (ot->stats.token_rotation_us > ot->stats.token_rotation_max_us)
				ot->stats.token_rotation_max_us = ot->stats.token_rotation_us;
		}
		ot->token_at_us = now;
		ot->stats.token_timeout_us = after_us;
	} else if (t == TOTEM_TIMER_JOIN || t == TOTEM_TIMER_CONSENSUS) {
		ot->token_at_us = 0;
	}
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

static void ot_deliver(void *arg, uint32_t sender, const void *msg, size_t len,
		       enum totem_guarantee g)
{
	struct order_totem *ot = arg;

	(void)g;
	ot->stats.delivered_msgs++;
	ot->stats.delivered_bytes += len;
	ot->base.user.deliver(ot->base.user.arg, sender, msg, len);
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

	ot->stats.confs++;
	log_notice(LOG_T_ORDER, "%s configuration %u.%llu with %zu members",
		   c->type == TOTEM_CONF_REGULAR ? "regular" : "transitional",
		   c->ring.rep, (unsigned long long)c->ring.seq, c->n_members);
	ot->base.user.membership(ot->base.user.arg, &m);
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

	if (blocked)
		ot->stats.flow_blocked_events++;
	if (ot->base.user.flow)
		ot->base.user.flow(ot->base.user.arg, blocked);
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
};

/* ---- order.h ---- */

static int ot_mcast(struct order *o, const struct iovec *iov,
		    unsigned int iovcnt, enum order_guarantee g)
{
	struct order_totem *ot = ot_of(o);
	enum totem_guarantee tg = g == ORDER_SAFE ? TOTEM_SAFE : TOTEM_AGREED;
	const void *msg;
	size_t len = 0, off = 0;
	unsigned int i;
	int rc;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	if (iovcnt == 1) {
		msg = iov[0].iov_base;
	} else {
		if (len > ot->scratch_len) {
			uint8_t *p = realloc(ot->scratch, len);

			if (!p)
				return -ENOMEM;
			ot->scratch = p;
			ot->scratch_len = len;
		}
		for (i = 0; i < iovcnt; i++) {
			memcpy(ot->scratch + off, iov[i].iov_base, iov[i].iov_len);
			off += iov[i].iov_len;
		}
		msg = ot->scratch;
	}
	rc = totem_mcast(ot->engine, msg, len, tg, ot_now_us());
	if (rc == 0) {
		ot->stats.mcast_msgs++;
		ot->stats.mcast_bytes += len;
	}
	return rc;
}

static uint32_t ot_nodeid(const struct order *o)
{
	return totem_nodeid(ot_of_c(o)->engine);
}

static size_t ot_max_msg_size(const struct order *o)
{
	return totem_max_msg_size(ot_of_c(o)->engine);
}

static int ot_flow_blocked(const struct order *o)
{
	return totem_flow_blocked(ot_of_c(o)->engine);
}

static void ot_destroy(struct order *o)
{
	struct order_totem *ot = ot_of(o);
	int i;

	for (i = 0; i < TOTEM_TIMER_COUNT; i++)
		ot_timer_cancel(ot, (enum totem_timer)i);
	totem_destroy(ot->engine);
	if (ot->tp.destroy)
		ot->tp.destroy(ot->tp.arg);
	free(ot->scratch);
	free(ot->state_dir);
	free(ot);
}

static const struct order_ops ot_order_ops = {
	.mcast = ot_mcast,
	.nodeid = ot_nodeid,
	.max_msg_size = ot_max_msg_size,
	.flow_blocked = ot_flow_blocked,
	.destroy = ot_destroy,
};

struct order *order_totem_new(qb_loop_t *loop, const struct totem_config *cfg,
			      const struct order_totem_transport *tp,
			      const char *state_dir)
{
	struct order_totem *ot = calloc(1, sizeof(*ot));
	struct totem_config c = *cfg;
	int i, rc;

	if (!ot)
		return NULL;
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
		if (!ot->state_dir)
			goto fail;
		rc = ring_seq_load(state_dir, &c.ring_seq);
		if (rc < 0)
			log_warning_errno(LOG_T_ORDER, rc,
					  "cannot read ring sequence in %s", state_dir);
	}
	ot->engine = totem_create(&c, &ot_engine_ops, ot, ot_now_us());
	if (!ot->engine) {
		errno = EINVAL;
		goto fail;
	}
	return &ot->base;
fail:
	rc = errno;
	free(ot->state_dir);
	free(ot);
	errno = rc;
	return NULL;
}

void order_totem_input(struct order *o, uint32_t from, const void *pkt,
		       size_t len)
{
	struct order_totem *ot = ot_of(o);

	ot->stats.packets_in++;
	totem_input_packet(ot->engine, from, pkt, len, ot_now_us());
}

void order_totem_reachable(struct order *o, uint32_t node, int reachable)
{
	struct order_totem *ot = ot_of(o);

	log_info(LOG_T_ORDER, "node %u %s", node,
		 reachable ? "reachable" : "unreachable on every link");
	totem_input_reachable(ot->engine, node, reachable, ot_now_us());
}

void order_totem_leave(struct order *o)
{
	struct order_totem *ot = ot_of(o);
	int i;

	log_notice(LOG_T_ORDER, "leaving the cluster");
	totem_leave(ot->engine, ot_now_us());
	/* the engine cancelled its timers; these are already gone then */
	for (i = 0; i < TOTEM_TIMER_COUNT; i++)
		ot_timer_cancel(ot, (enum totem_timer)i);
}

void order_totem_stats(const struct order *o, struct order_totem_stats *st)
{
	*st = ot_of_c(o)->stats;
}

void *order_totem_transport_arg(const struct order *o)
{
	return ot_of_c(o)->tp.arg;
}
