/*
 * The engine instance: creation with defaults, dispatch of the three kinds
 * of input, timer bookkeeping, and small helpers (node sets, timeouts).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "totem/totem_int.h"
#include "util/err.h"

/* ---- helpers ---- */

void tm_log(struct totem *t, enum totem_log_level lvl, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (!t->ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	t->ops->log(t->arg, lvl, buf);
}

void tm_timer_arm_us(struct totem *t, enum totem_timer id, uint64_t us)
{
	t->timer_armed |= 1u << id;
	t->timer_due[id] = t->now + us;
	t->ops->timer_arm(t->arg, id, us);
}

void tm_timer_arm(struct totem *t, enum totem_timer id, uint64_t ms)
{
	tm_timer_arm_us(t, id, ms * 1000);
}

/* The stall tick (totem.h, TOTEM_TIMER_TICK). */
#define TM_TICK_MS 100
#define TM_STALL_MIN_US 300000u

static void tick_arm(struct totem *t)
{
	tm_timer_arm(t, TOTEM_TIMER_TICK, TM_TICK_MS);
}

/* The token timeout of the ring we are in, forming or waiting for. */
static uint64_t stall_token_ms(const struct totem *t)
{
	size_t n = t->state == TM_COMMIT ? t->commit.n
		 : t->state == TM_RECOVERY ? t->nr.memb.n : t->inst.memb.n;

	if (t->state == TM_GATHER && t->proc.n > n)
		n = t->proc.n;
	return tm_token_timeout_ms(t, n);
}

/* rearm: bits of expiries being handled that count as still armed. */
static int stall_check(struct totem *t, uint32_t rearm)
{
	uint64_t late, bound = stall_token_ms(t) * 1000 / 4;
	uint32_t armed = t->timer_armed | rearm;
	/* when the tick was due (0: never armed) */
	uint64_t due = t->timer_due[TOTEM_TIMER_TICK];

	if (bound < TM_STALL_MIN_US)
		bound = TM_STALL_MIN_US;
	if (!due || t->now < due + bound)
		return 0;
	late = t->now - due;
	tm_log(t, TOTEM_LOG_INFO, "this node did not run for %llu ms "
	       "(stopped or starved): token and consensus timeouts start again",
	       (unsigned long long)(late / 1000 + TM_TICK_MS));
	if (armed & (1u << TOTEM_TIMER_TOKEN_LOSS))
		tm_timer_arm(t, TOTEM_TIMER_TOKEN_LOSS, stall_token_ms(t));
	if (armed & (1u << TOTEM_TIMER_CONSENSUS))
		tm_memb_consensus_restart(t);
	t->stall_quiet_until = t->now + stall_token_ms(t) * 1000;
	tick_arm(t);
	return 1;
}

int tm_stall_check(struct totem *t)
{
	return stall_check(t, 0);
}

void tm_timer_cancel(struct totem *t, enum totem_timer id)
{
	if (!(t->timer_armed & (1u << id)))
		return;
	t->timer_armed &= ~(1u << id);
	t->ops->timer_cancel(t->arg, id);
}

void tm_send(struct totem *t, uint32_t to, const void *p, size_t len)
{
	t->ops->send(t->arg, to, p, len);
}

uint64_t tm_token_timeout_ms(const struct totem *t, size_t n)
{
	/* as corosync: scaled by the configured node count when there is a
	 * node list, else by the ring's size */
	if (t->lim.nodes)
		n = t->lim.n_nodes;
	return t->token_ms + (uint64_t)t->token_coef_ms * (n > 2 ? n - 2 : 0);
}

uint64_t tm_retrans_timeout_us(const struct totem *t, size_t n)
{
	/* token / (retransmits + 0.2) */
	return tm_token_timeout_ms(t, n) * 1000 * 10 /
	       (t->token_retransmits * 10 + 2);
}

int tm_ring_eq(const struct totem_ring_id *a, const struct totem_ring_id *b)
{
	return a->rep == b->rep && a->seq == b->seq;
}

/* Index of the first id >= id. */
static uint16_t set_lower(const struct tm_set *s, uint32_t id)
{
	uint16_t lo = 0, hi = s->n;

	while (lo < hi) {
		uint16_t mid = (uint16_t)(lo + (hi - lo) / 2);

		if (s->id[mid] < id)
			lo = (uint16_t)(mid + 1);
		else
			hi = mid;
	}
	return lo;
}

int tm_set_has(const struct tm_set *s, uint32_t id)
{
	uint16_t i = set_lower(s, id);

	return i < s->n && s->id[i] == id;
}

int tm_set_add(struct tm_set *s, uint32_t id)
{
	uint16_t i = set_lower(s, id);

	if (i < s->n && s->id[i] == id)
		return 0;
	if (s->n >= TOTEM_MAX_NODES)
		return -ENOSPC;
	memmove(&s->id[i + 1], &s->id[i], (size_t)(s->n - i) * sizeof(s->id[0]));
	s->id[i] = id;
	s->n++;
	return 0;
}

void tm_set_del(struct tm_set *s, uint32_t id)
{
	uint16_t i = set_lower(s, id);

	if (i == s->n || s->id[i] != id)
		return;
	memmove(&s->id[i], &s->id[i + 1], (size_t)(s->n - i - 1) * sizeof(s->id[0]));
	s->n--;
}

int tm_set_eq(const struct tm_set *a, const struct tm_set *b)
{
	return a->n == b->n && !memcmp(a->id, b->id, a->n * sizeof(a->id[0]));
}

void tm_set_from(struct tm_set *s, const uint32_t *ids, size_t n)
{
	size_t i;

	/* the decoder hands over ascending sets: a copy */
	for (i = 1; i < n && ids[i - 1] < ids[i]; i++)
		;
	if (n <= TOTEM_MAX_NODES && i >= n) {
		memcpy(s->id, ids, n * sizeof(ids[0]));
		s->n = (uint16_t)n;
		return;
	}
	s->n = 0;
	for (i = 0; i < n; i++)
		(void)tm_set_add(s, ids[i]);
}

int tm_set_union(struct tm_set *dst, const struct tm_set *src)
{
	uint32_t out[TOTEM_MAX_NODES];
	uint16_t i = 0, j = 0, n = 0;

	while (j < src->n && i < dst->n && dst->id[i] <= src->id[j]) {
		j += dst->id[i] == src->id[j];
		i++;
	}
	if (j == src->n)
		return 0;	/* nothing new: the common case */
	i = j = 0;
	while ((i < dst->n || j < src->n) && n < TOTEM_MAX_NODES) {
		if (j == src->n || (i < dst->n && dst->id[i] < src->id[j]))
			out[n++] = dst->id[i++];
		else if (i == dst->n || src->id[j] < dst->id[i])
			out[n++] = src->id[j++];
		else {
			out[n++] = dst->id[i++];
			j++;
		}
	}
	if (n == dst->n)
		return 0;
	memcpy(dst->id, out, n * sizeof(out[0]));
	dst->n = n;
	return 1;
}

/* Both ascending: one merge walk. */
void tm_set_minus(struct tm_set *out, const struct tm_set *a,
		  const struct tm_set *b)
{
	uint16_t i, j = 0;

	out->n = 0;
	for (i = 0; i < a->n; i++) {
		while (j < b->n && b->id[j] < a->id[i])
			j++;
		if (j == b->n || b->id[j] != a->id[i])
			out->id[out->n++] = a->id[i];
	}
}

uint32_t tm_set_next(const struct tm_set *s, uint32_t id)
{
	uint16_t i = set_lower(s, id);

	if (i < s->n && s->id[i] == id)
		i++;
	if (i < s->n)
		return s->id[i];
	return s->n ? s->id[0] : id;
}

/* ---- creation ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

#define DEF(v, d) ((v) ? (v) : (d))

int totem_new(const struct totem_config *cfg, const struct totem_ops *ops,
	      void *arg, uint64_t now_us, struct totem **out, struct err *e)
{
	struct totem *t;
	int rc = -ENOMEM;

	*out = NULL;
	if (!cfg || !ops || !cfg->nodeid || !ops->send || !ops->timer_arm ||
	    !ops->timer_cancel || !ops->deliver || !ops->conf ||
	    !ops->persist_seq)
		return err_set(e, -EINVAL, "totem: no node id or a required "
			       "operation missing");
	if (cfg->nodes && cfg->n_nodes > TOTEM_MAX_NODES)
		return err_set(e, -EINVAL, "totem: %zu nodes, at most %d",
			       cfg->n_nodes, TOTEM_MAX_NODES);
	t = calloc(1, sizeof(*t));
	if (!t)
		return err_set(e, -ENOMEM, "totem: out of memory");
	t->ops = ops;
	t->arg = arg;
	t->now = now_us;
	t->me = cfg->nodeid;
	t->token_ms = DEF(cfg->token_ms, 3000);
	t->token_coef_ms = cfg->token_coefficient_set
				   ? cfg->token_coefficient_ms
				   : DEF(cfg->token_coefficient_ms, 650);
	t->token_retransmits = DEF(cfg->token_retransmits, 4);
	t->join_ms = DEF(cfg->join_ms, 50);
	t->consensus_ms = cfg->consensus_ms;	/* 0: 1.2 x token */
	t->merge_ms = DEF(cfg->merge_ms, 200);
	t->hold_ms = DEF(cfg->hold_ms, 180);
	t->window = DEF(cfg->window_size, 50);
	t->max_messages = DEF(cfg->max_messages, 17);
	t->mtu = DEF(cfg->mtu, 1400);
	t->max_msg_size = DEF(cfg->max_msg_size, 1024 * 1024);
	t->backlog_bytes = DEF(cfg->backlog_bytes, TM_BACKLOG_BYTES);
	t->old_before_trans = cfg->old_before_trans;
	if (t->mtu < TW_MIN_MTU || t->mtu > TW_MAX_PKT ||
	    t->window > TM_STORE_CAP / 4) {
		rc = err_set(e, -EINVAL, "totem: mtu %u or window %u out of "
			     "range", t->mtu, t->window);
		goto fail;
	}
	if (cfg->nodes) {
		size_t i;

		t->nodes = malloc((cfg->n_nodes ? cfg->n_nodes : 1) *
				  sizeof(uint32_t));
		if (!t->nodes)
			goto fail;
		memcpy(t->nodes, cfg->nodes, cfg->n_nodes * sizeof(uint32_t));
		qsort(t->nodes, cfg->n_nodes, sizeof(uint32_t), cmp_u32);
		for (i = 0; i < cfg->n_nodes; i++)
			if (!t->nodes[i] || (i && t->nodes[i] == t->nodes[i - 1])) {
				rc = err_set(e, -EINVAL, "totem: node id 0 or "
					     "twice in the node list");
				goto fail;
			}
		t->lim.nodes = t->nodes;
		t->lim.n_nodes = cfg->n_nodes;
		if (!bsearch(&t->me, t->nodes, cfg->n_nodes, sizeof(uint32_t),
			     cmp_u32)) {
			rc = err_set(e, -EINVAL, "totem: node %u not in the "
				     "node list", t->me);
			goto fail;
		}
	}
	(void)tm_set_add(&t->known, t->me);
	/* Peers may pack to another MTU (their path MTU): accept any
	 * packet the transport can carry, send our own at t->mtu. */
	t->lim.mtu = TW_MAX_PKT;
	t->pkt = malloc(2 * TW_MAX_PKT);
	t->last_token = malloc(TW_MAX_PKT);
	t->dec = malloc(sizeof(*t->dec));
	if (!t->pkt || !t->last_token || !t->dec ||
	    tm_store_init(&t->inst.store))
		goto fail;
	t->max_seq = cfg->ring_seq;
	t->persisted_seq = cfg->ring_seq;
	t->state = TM_GATHER;
	tm_set_add(&t->proc, t->me);
	t->busy = 1;
	tm_memb_gather(t, 0);
	tick_arm(t);
	t->busy = 0;
	*out = t;
	return 0;
fail:
	totem_destroy(t);
	return err_set(e, rc, "totem: out of memory");
}

void totem_destroy(struct totem *t)
{
	size_t i;

	if (!t)
		return;
	tm_store_free(&t->inst.store);
	tm_store_free(&t->nr.store);
	tm_order_queue_free(t);
	for (i = 0; i < t->n_reasm; i++)
		free(t->reasm[i].buf);
	free(t->reasm);
	free(t->nodes);
	free(t->pkt);
	free(t->last_token);
	free(t->dec);
	free(t);
}

/* ---- inputs ---- */

/* A packet of another wire version (totem_wire.h: never decoded): warn
 * once per sender, it is a node that cannot join our ring. */
static void version_warn(struct totem *t, uint32_t from, uint8_t version)
{
	if (tm_set_has(&t->version_warned, from) ||
	    tm_set_add(&t->version_warned, from) < 0)
		return;
	tm_log(t, TOTEM_LOG_WARNING, "node %u speaks Totem wire version %u, "
	       "this node version %u: its packets are dropped and it cannot "
	       "join the ring (upgrade every node together)", from, version,
	       TW_VERSION);
}

static int admit_ids(struct tm_set *k, const uint32_t *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tm_set_add(k, ids[i]) < 0)
			return -ENOSPC;
	return 0;
}

/*
 * Without a node list the engine's sets fill from what peers send: the
 * senders and every id of their join sets and commit tokens.  Admit a
 * packet only when all of them fit in TOTEM_MAX_NODES distinct ids, so no
 * set ever drops an id; a packet that would go beyond is dropped whole,
 * with a warning the first time.
 */
static int wire_admit(struct totem *t, const union tw_packet *p)
{
	struct tm_set k = t->known;
	int rc = tm_set_add(&k, p->h.sender);
	uint16_t i;

	if (rc == 0 && p->h.type == TW_JOIN)
		rc = admit_ids(&k, p->join.proc, p->join.n_proc) ? -ENOSPC
			: admit_ids(&k, p->join.fail, p->join.n_fail);
	for (i = 0; rc == 0 && p->h.type == TW_COMMIT && i < p->commit.n; i++)
		rc = tm_set_add(&k, p->commit.m[i].node);
	if (rc < 0) {
		if (!t->known_full_warned)
			tm_log(t, TOTEM_LOG_WARNING, "packet from node %u names "
			       "more than %u nodes in all: dropped (a ring has "
			       "at most %u)", p->h.sender, TOTEM_MAX_NODES,
			       TOTEM_MAX_NODES);
		t->known_full_warned = 1;
		return rc;
	}
	if (k.n != t->known.n)
		t->known = k;
	return 0;
}

static void on_mcast(struct totem *t, const struct tw_mcast *m)
{
	struct tm_ring *ring = tm_token_ring(t);

	if ((t->state != TM_OPERATIONAL && t->state != TM_RECOVERY) ||
	    !tm_ring_eq(&m->h.ring, &ring->id)) {
		tm_memb_foreign(t, &m->h);
		return;
	}
	if (m->seq - ring->store.base > TM_STORE_CAP && m->seq > ring->store.base) {
		tm_log(t, TOTEM_LOG_WARNING, "seq %u from %u beyond window",
		       m->seq, m->h.sender);
		return;
	}
	tm_token_evidence(t, m);
	if (tm_store_put(&ring->store, m) == 1 && (m->flags & TW_MF_ENCAP) &&
	    t->state == TM_RECOVERY)
		tm_memb_recovery_mcast(t, m);
	if (t->state == TM_OPERATIONAL)
		tm_order_deliver(t, TM_DLV_NORMAL);
}

void totem_input_packet(struct totem *t, uint32_t from, const void *pkt,
			size_t len, uint64_t now_us)
{
	union tw_packet *p = t->dec;
	int type;

	if (t->left)
		return;
	t->now = now_us;
	t->busy = 1;
	tm_order_flow_report(t);
	t->busy = 0;
	type = tw_decode(pkt, len, &t->lim, p);
	if (type == -EPROTO) {
		version_warn(t, from, ((const uint8_t *)pkt)[0]);
		return;
	}
	if (type < 0) {
		tm_log(t, TOTEM_LOG_DEBUG, "bad packet from %u (%zu bytes)",
		       from, len);
		return;
	}
	/* The transport vouches for the source; the header must agree. */
	if (p->h.sender != from || from == t->me)
		return;
	if (!t->lim.nodes && wire_admit(t, p) < 0)
		return;
	t->busy = 1;
	switch (type) {
	case TW_MCAST:
		on_mcast(t, &p->mcast);
		break;
	case TW_TOKEN:
		if ((t->state == TM_OPERATIONAL || t->state == TM_RECOVERY) &&
		    tm_ring_eq(&p->h.ring, &tm_token_ring(t)->id))
			tm_token_recv(t, &p->token);
		else
			tm_memb_foreign(t, &p->h);
		break;
	case TW_JOIN:
		tm_memb_join_recv(t, &p->join);
		break;
	case TW_COMMIT:
		tm_memb_commit_recv(t, &p->commit);
		break;
	case TW_HOLD_CANCEL:
		if (t->state != TM_OPERATIONAL ||
		    !tm_ring_eq(&p->h.ring, &t->inst.id))
			break;
		if (t->holding && t->last_token_len)
			tm_token_hold_fire(t);
		else
			t->cancel_got = 1;	/* token still on its way */
		break;
	case TW_MERGE:
		if (t->state == TM_OPERATIONAL &&
		    !tm_ring_eq(&p->h.ring, &t->inst.id))
			tm_memb_foreign(t, &p->h);
		break;
	}
	tm_order_flow_report(t);
	t->busy = 0;
}

void totem_input_timer(struct totem *t, enum totem_timer timer,
		       uint64_t now_us)
{
	if ((unsigned int)timer >= TOTEM_TIMER_COUNT ||
	    !(t->timer_armed & (1u << timer)) || t->left)
		return;
	t->timer_armed &= ~(1u << timer);
	t->now = now_us;
	t->busy = 1;
	/* An expiry that only measured our own stall is not a loss. */
	if ((timer == TOTEM_TIMER_TOKEN_LOSS || timer == TOTEM_TIMER_CONSENSUS ||
	     timer == TOTEM_TIMER_TICK) && stall_check(t, 1u << timer))
		timer = TOTEM_TIMER_COUNT;
	switch (timer) {
	case TOTEM_TIMER_TICK:
		tick_arm(t);
		break;
	case TOTEM_TIMER_TOKEN_LOSS:
		tm_log(t, TOTEM_LOG_DEBUG, "token lost");
		if (t->state == TM_OPERATIONAL)
			tm_memb_gather(t, 1);
		else if (t->state != TM_GATHER)
			tm_memb_gather(t, 0);
		break;
	case TOTEM_TIMER_TOKEN_RETRANS:
		tm_token_retrans_fire(t);
		break;
	case TOTEM_TIMER_TOKEN_HOLD:
		tm_token_hold_fire(t);
		break;
	case TOTEM_TIMER_JOIN:
		tm_memb_join_fire(t);
		break;
	case TOTEM_TIMER_CONSENSUS:
		tm_memb_consensus_fire(t);
		break;
	case TOTEM_TIMER_MERGE:
		tm_memb_merge_fire(t);
		break;
	default:
		break;
	}
	tm_order_flow_report(t);
	t->busy = 0;
}

void totem_input_reachable(struct totem *t, uint32_t node, int reachable,
			   uint64_t now_us)
{
	if (t->left || node == t->me || !node ||
	    (t->lim.nodes && !bsearch(&node, t->nodes, t->lim.n_nodes,
				      sizeof(uint32_t), cmp_u32)))
		return;
	if (reachable ? !tm_set_has(&t->unreach, node)
		      : tm_set_has(&t->unreach, node))
		return;
	t->now = now_us;
	t->busy = 1;
	tm_log(t, TOTEM_LOG_DEBUG, "node %u %s", node,
	       reachable ? "reachable" : "unreachable on every link");
	if (reachable) {
		tm_set_del(&t->unreach, node);
		tm_token_member_back(t, node);
		tm_token_link_up(t, node);
		tm_memb_link_up(t, node);
	} else {
		tm_set_add(&t->unreach, node);
		tm_memb_evidence(t);
	}
	tm_order_flow_report(t);
	t->busy = 0;
}

void totem_leave(struct totem *t, uint64_t now_us)
{
	int i;

	if (t->left)
		return;
	t->now = now_us;
	t->busy = 1;
	tm_memb_leave(t);
	for (i = 0; i < TOTEM_TIMER_COUNT; i++)
		tm_timer_cancel(t, (enum totem_timer)i);
	tm_order_queue_free(t);
	t->left = 1;
	t->busy = 0;
}

uint32_t totem_nodeid(const struct totem *t)
{
	return t->me;
}

size_t totem_max_msg_size(const struct totem *t)
{
	return t->max_msg_size;
}

int totem_flow_blocked(const struct totem *t)
{
	return t->flow_blocked;
}

int totem_set_mtu(struct totem *t, uint32_t mtu)
{
	if (mtu < TW_MIN_MTU || mtu > TW_MAX_PKT)
		return -EINVAL;
	t->mtu = mtu;
	return 0;
}

uint32_t totem_mtu(const struct totem *t)
{
	return t->mtu;
}

size_t totem_backlog(const struct totem *t)
{
	return t->q_len;
}
