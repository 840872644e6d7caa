/*
 * The rotating token of one ring: serving retransmission requests, window
 * flow control and fair sharing of it through the backlog count, the aru
 * (all received up to) rule, the rotation minimum that makes messages safe,
 * and the end-of-recovery test.  Forwarding, resending a token the next
 * node may not have received, and holding an idle token live here too.
 */
#include <string.h>

#include "totem/totem_int.h"

struct tm_ring *tm_token_ring(struct totem *t)
{
	return t->state == TM_RECOVERY ? &t->nr : &t->inst;
}

void tm_token_stop(struct totem *t)
{
	tm_timer_cancel(t, TOTEM_TIMER_TOKEN_RETRANS);
	tm_timer_cancel(t, TOTEM_TIMER_TOKEN_HOLD);
	t->holding = 0;
	t->last_token_len = 0;
	t->retrans_left = 0;
	t->token_link_resends = 0;
}

static void send_last(struct totem *t)
{
	struct tm_ring *ring = tm_token_ring(t);

	tm_send(t, t->last_token_to, t->last_token, t->last_token_len);
	t->retrans_left = t->token_retransmits;
	t->token_link_resends = 0;
	tm_timer_arm_us(t, TOTEM_TIMER_TOKEN_RETRANS,
			tm_retrans_timeout_us(t, ring->memb.n));
}

static void forward(struct totem *t, struct tw_token *tk, int idle)
{
	struct tm_ring *ring = tm_token_ring(t);
	uint32_t next = tm_set_next(&ring->memb, t->me);
	int len;

	tk->token_seq++;
	tk->h.type = TW_TOKEN;
	tk->h.sender = t->me;
	tk->h.ring = ring->id;
	t->last_fwd_seq = tk->seq;
	if (next == t->me) {
		/* A ring of one passes the token to itself through a timer,
		 * so no upcall runs inside a call into the engine's user. */
		t->held = *tk;
		t->holding = 1;
		t->last_token_len = 0;
		tm_timer_arm(t, TOTEM_TIMER_TOKEN_HOLD, idle ? t->hold_ms : 0);
		return;
	}
	len = tw_encode_token(t->last_token, TW_MAX_PKT, tk);
	if (len < 0) {
		tm_log(t, TOTEM_LOG_ERROR, "token encode failed: %d", len);
		return;
	}
	t->last_token_len = (size_t)len;
	t->last_token_to = next;
	if (idle && t->hold_ms) {
		/* Nothing to do anywhere: hold the token a while instead of
		 * spinning it around an idle ring; kept decoded, so that a
		 * message of ours can use it at once (tm_token_hold_fire). */
		t->held = *tk;
		t->holding = 1;
		tm_timer_arm(t, TOTEM_TIMER_TOKEN_HOLD, t->hold_ms);
		return;
	}
	send_last(t);
}

static void process(struct totem *t, struct tw_token *tk);

/*
 * The representative holds an idle token (forward) and has messages of
 * its own queued: it takes the token in again and sends them now, instead
 * of passing the token on and waiting a whole rotation for it.  The held
 * token is idle: every member held everything up to its seq and safe_aru
 * says so, so a visit with no other member in between moves nothing but
 * our messages.  The copy encoded for the next node was never sent.
 */
static void use_held(struct totem *t)
{
	struct tw_token tk = t->held;

	t->last_token_len = 0;
	process(t, &tk);
}

void tm_token_hold_fire(struct totem *t)
{
	if (!t->holding)
		return;
	t->holding = 0;
	tm_timer_cancel(t, TOTEM_TIMER_TOKEN_HOLD);
	if (t->last_token_len && t->q_len && t->state == TM_OPERATIONAL) {
		use_held(t);
		return;
	}
	if (t->last_token_len) {
		send_last(t);
		return;
	}
	/* ring of one */
	{
		struct tw_token tk = t->held;

		tm_token_recv(t, &tk);
	}
}

void tm_token_hold_use_soon(struct totem *t)
{
	if (t->holding && t->state == TM_OPERATIONAL)
		tm_timer_arm(t, TOTEM_TIMER_TOKEN_HOLD, 0);
}

/*
 * Something to send while the representative may be holding an idle token:
 * ask it to let the token go (once per rotation), so a message on an idle
 * ring waits one rotation, not the hold time.
 */
void tm_token_hold_cancel(struct totem *t)
{
	struct tw_hdr h;
	int len;

	if (t->state != TM_OPERATIONAL || t->cancel_sent ||
	    t->inst.memb.n < 2 || t->inst.memb.id[0] == t->me)
		return;
	t->cancel_sent = 1;
	h.type = TW_HOLD_CANCEL;
	h.sender = t->me;
	h.ring = t->inst.id;
	len = tw_encode_short(t->pkt, TW_MAX_PKT, &h);
	if (len > 0)
		tm_send(t, t->inst.memb.id[0], t->pkt, (size_t)len);
}

/* After a resend at link-up: more, this far apart, for one resend
 * interval (the grace tm_token_member_back gives a member that is back). */
#define TOKEN_LINK_RESEND_MS 150

static uint32_t link_resends(struct totem *t)
{
	uint64_t n = tm_retrans_timeout_us(t, tm_token_ring(t)->memb.n) /
		     1000 / TOKEN_LINK_RESEND_MS;

	return n ? (uint32_t)n : 1;
}

void tm_token_retrans_fire(struct totem *t)
{
	if (t->token_link_resends && t->last_token_len && !t->holding) {
		t->token_link_resends--;
		tm_send(t, t->last_token_to, t->last_token, t->last_token_len);
		tm_timer_arm(t, TOTEM_TIMER_TOKEN_RETRANS,
			     t->token_link_resends ? TOKEN_LINK_RESEND_MS
			     : tm_retrans_timeout_us(t, tm_token_ring(t)->memb.n) / 1000);
		return;
	}
	if (!t->last_token_len || !t->retrans_left || t->holding)
		return;
	t->retrans_left--;
	tm_send(t, t->last_token_to, t->last_token, t->last_token_len);
	if (t->retrans_left)
		tm_timer_arm_us(t, TOTEM_TIMER_TOKEN_RETRANS,
				tm_retrans_timeout_us(t,
						      tm_token_ring(t)->memb.n));
}

void tm_token_link_up(struct totem *t, uint32_t node)
{
	/* what the transport dropped while the link was down would wait for
	 * the next resend, a good part of the token timeout away */
	if (!t->last_token_len || t->holding || t->last_token_to != node)
		return;
	tm_send(t, t->last_token_to, t->last_token, t->last_token_len);
	/* The receiver's transport may take our links as up a while after
	 * ours took its (a node back from a stop marks its links down at
	 * once and drops what comes until its probes are answered): a few
	 * more, until a multicast shows the token went on. */
	t->token_link_resends = link_resends(t);
	tm_timer_arm(t, TOTEM_TIMER_TOKEN_RETRANS, TOKEN_LINK_RESEND_MS);
}

/*
 * A member of the token's ring that was unreachable on every link is back:
 * it may have been stopped with the token (a pause shorter than the token
 * timeout), and its transport, which took every link as down meanwhile,
 * passes nothing on until its links are up again (knet: a few heartbeats
 * after the resume).  So the token timeout leaves it at least one resend
 * interval from now, once per token taken in: a stop of 0.9 x the token
 * timeout is then no loss.  A dead member never comes back, so a crash is
 * found as soon as before, and a lost token at most one resend interval
 * later when a member's links flap.
 */
void tm_token_member_back(struct totem *t, uint32_t node)
{
	struct tm_ring *ring = tm_token_ring(t);
	uint64_t grace;

	if ((t->state != TM_OPERATIONAL && t->state != TM_RECOVERY) ||
	    t->loss_grace_given || !tm_set_has(&ring->memb, node) ||
	    !(t->timer_armed & (1u << TOTEM_TIMER_TOKEN_LOSS)))
		return;
	grace = tm_retrans_timeout_us(t, ring->memb.n);
	if (t->timer_due[TOTEM_TIMER_TOKEN_LOSS] >= t->now + grace)
		return;
	t->loss_grace_given = 1;
	tm_log(t, TOTEM_LOG_DEBUG, "node %u back: token timeout in %llu ms",
	       node, (unsigned long long)(grace / 1000));
	tm_timer_arm_us(t, TOTEM_TIMER_TOKEN_LOSS, grace);
}

/* A multicast numbered beyond the token we forwarded proves the token went
 * on: stop resending it. */
void tm_token_evidence(struct totem *t, const struct tw_mcast *m)
{
	if (m->h.sender != t->me && m->seq > t->last_fwd_seq &&
	    t->last_token_len && !t->holding) {
		tm_timer_cancel(t, TOTEM_TIMER_TOKEN_RETRANS);
		t->retrans_left = 0;
		t->token_link_resends = 0;
	}
}

static void rtr_add(struct tw_token *tk, uint32_t seq)
{
	uint16_t i;

	for (i = 0; i < tk->n_rtr; i++)
		if (tk->rtr[i] == seq)
			return;
	if (tk->n_rtr >= TW_MAX_RTR)
		return;
	for (i = tk->n_rtr; i > 0 && tk->rtr[i - 1] > seq; i--)
		tk->rtr[i] = tk->rtr[i - 1];
	tk->rtr[i] = seq;
	tk->n_rtr++;
}

static uint32_t serve_rtr(struct totem *t, struct tm_ring *ring,
			  struct tw_token *tk)
{
	uint32_t sent = 0;
	uint16_t i, keep = 0;

	for (i = 0; i < tk->n_rtr; i++) {
		uint32_t seq = tk->rtr[i];
		struct tm_msg *m = tm_store_get(&ring->store, seq);

		if (m && sent < t->max_messages) {
			tm_order_resend(t, &ring->id, m);
			sent++;
			continue;
		}
		/* Below our base everyone had it: a stale request. */
		if (seq > ring->store.base)
			tk->rtr[keep++] = seq;
	}
	tk->n_rtr = keep;
	return sent;
}

static uint32_t window_room(const struct totem *t, const struct tw_token *tk)
{
	uint32_t in_flight = tk->seq - tk->aru;
	uint32_t room = t->window > in_flight ? t->window - in_flight : 0;
	uint32_t held = tk->seq - tk->safe_aru;

	/* Never number beyond what every member's store can hold. */
	if (held >= TM_STORE_CAP / 2)
		return 0;
	if (room > TM_STORE_CAP / 2 - held)
		room = TM_STORE_CAP / 2 - held;
	return room;
}

/*
 * What the token made deliverable goes to the user only once the token is
 * on its way: the next node orders and sends while our user takes the
 * batch (corosync does the same).
 */
static void deliver_after_forward(struct totem *t)
{
	if (t->state != TM_OPERATIONAL)
		return;
	tm_order_deliver(t, TM_DLV_NORMAL);
	tm_store_gc(&t->inst.store, t->inst.safe_aru);
}

/*
 * The representative just found everything safe (safe_aru reached seq
 * after a rotation in which every member held every message) and none of
 * the messages that became safe is a SAFE one: the token may be held now,
 * without one more rotation that would only tell the others.  They need
 * safe_aru for SAFE messages (none) and to free their stores, which can
 * wait for the next rotation.  An agreed message on an idle ring then
 * costs one rotation of the token less.
 */
static int only_agreed_newly_safe(const struct tm_ring *ring, uint32_t from,
				  uint32_t to)
{
	uint32_t s;

	for (s = from + 1; s <= to && s > from; s++) {
		const struct tm_msg *m = tm_store_get(&ring->store, s);

		if (!m || (m->flags & TW_MF_SAFE))
			return 0;
	}
	return 1;
}

static void process(struct totem *t, struct tw_token *tk)
{
	struct tm_ring *ring = tm_token_ring(t);
	uint32_t sent, room, n, s;
	uint32_t safe_in = tk->safe_aru;
	int is_rep = t->me == ring->memb.id[0];
	/* Hold only a token that already told everyone all was safe, or
	 * (only_agreed_newly_safe) that the representative made so. */
	int was_idle = tk->safe_aru == tk->seq && tk->aru == tk->seq;
	int idle;

	sent = serve_rtr(t, ring, tk);

	if (is_rep) {
		uint32_t completed = tk->rot_min;

		if (completed > tk->safe_aru)
			tk->safe_aru = completed;
		/* Recovery is over when a whole rotation saw nothing new,
		 * nothing missing and nothing left to replay. */
		if (t->state == TM_RECOVERY && !(tk->flags & TW_TF_BUSY) &&
		    tk->rot_start == tk->seq && completed == tk->seq)
			tk->flags |= TW_TF_INSTALL;
		tk->flags &= (uint8_t)~TW_TF_BUSY;
		tk->rot_start = tk->seq;
		if (!was_idle && t->state == TM_OPERATIONAL &&
		    tk->aru == tk->seq && tk->safe_aru == tk->seq &&
		    only_agreed_newly_safe(ring, safe_in, tk->seq))
			was_idle = 1;
	}
	if (tk->safe_aru > ring->safe_aru)
		ring->safe_aru = tk->safe_aru;
	if ((tk->flags & TW_TF_INSTALL) && t->state == TM_RECOVERY) {
		tm_memb_install(t);
		ring = tm_token_ring(t);
	}

	/* backlog: replace our old share with the current one */
	tk->backlog -= t->backlog_contrib < tk->backlog ? t->backlog_contrib
							: tk->backlog;
	t->backlog_contrib = tm_order_backlog_packets(t);
	tk->backlog += t->backlog_contrib;

	room = window_room(t, tk);
	n = t->max_messages > sent ? t->max_messages - sent : 0;
	if (n > room)
		n = room;
	if (t->state == TM_OPERATIONAL && t->q_len && n) {
		/* a fair share of the window when others wait too */
		if (tk->backlog > t->backlog_contrib) {
			uint64_t share = (uint64_t)room * t->backlog_contrib /
					 tk->backlog;

			if (share < 1)
				share = 1;
			if (n > share)
				n = (uint32_t)share;
		}
		while (n--) {
			if (tm_order_pack(t, &ring->id, tk->seq + 1) <= 0)
				break;
			tk->seq++;
			sent++;
		}
	} else if (t->state == TM_RECOVERY && n) {
		sent += tm_memb_replay(t, n, &tk->seq);
	}

	/* the aru rule */
	if (ring->store.aru < tk->aru || tk->aru_id == t->me ||
	    tk->aru_id == 0) {
		tk->aru = ring->store.aru < tk->seq ? ring->store.aru : tk->seq;
		tk->aru_id = tk->aru == tk->seq ? 0 : t->me;
	}
	if (is_rep || ring->store.aru < tk->rot_min)
		tk->rot_min = ring->store.aru < tk->seq ? ring->store.aru
							: tk->seq;
	if (t->state == TM_RECOVERY &&
	    (ring->store.aru < tk->seq || tm_memb_replay_pending(t)))
		tk->flags |= TW_TF_BUSY;

	for (s = ring->store.aru + 1; s <= tk->seq && tk->n_rtr < TW_MAX_RTR;
	     s++)
		if (!tm_store_get(&ring->store, s))
			rtr_add(tk, s);

	idle = t->state == TM_OPERATIONAL && is_rep && was_idle && sent == 0 &&
	       tk->n_rtr == 0 && tk->aru == tk->seq &&
	       tk->safe_aru == tk->seq && tk->backlog == 0 && !t->q_len &&
	       !t->cancel_got;
	t->cancel_got = 0;
	forward(t, tk, idle);
	deliver_after_forward(t);
}

void tm_token_recv(struct totem *t, const struct tw_token *tok)
{
	struct tm_ring *ring = tm_token_ring(t);
	struct tw_token tk;

	if (t->state != TM_OPERATIONAL && t->state != TM_RECOVERY)
		return;
	if (!tm_ring_eq(&tok->h.ring, &ring->id))
		return;
	if (tok->token_seq <= t->last_token_seq)
		return;		/* a copy we already had */
	t->last_token_seq = tok->token_seq;
	t->cancel_sent = 0;
	t->loss_grace_given = 0;
	tm_timer_cancel(t, TOTEM_TIMER_TOKEN_RETRANS);
	tm_timer_cancel(t, TOTEM_TIMER_TOKEN_HOLD);
	t->holding = 0;
	tm_timer_arm(t, TOTEM_TIMER_TOKEN_LOSS,
		     tm_token_timeout_ms(t, ring->memb.n));
	if (t->ops->token_rotation)
		t->ops->token_rotation(t->arg,
				       tm_ring_eq(&t->token_in_ring, &ring->id)
					       ? t->now - t->token_in_us : 0,
				       tm_token_timeout_ms(t, ring->memb.n) * 1000);
	t->token_in_us = t->now;
	t->token_in_ring = ring->id;
	tk = *tok;
	process(t, &tk);
}

/* The representative starts the new ring's token once every member has
 * entered recovery. */
void tm_token_first(struct totem *t)
{
	struct tw_token tk;

	memset(&tk, 0, sizeof(tk));
	tk.h.type = TW_TOKEN;
	tk.h.sender = t->me;
	tk.h.ring = t->nr.id;
	tk.token_seq = 1;
	tk.flags = TW_TF_BUSY;	/* the first rotation never counts */
	t->last_token_seq = 0;
	tm_token_recv(t, &tk);
}
