/*
 * Ordering: the send queue (bounded in bytes), packing small messages into
 * one packet and fragmenting large ones to the MTU, delivery in sequence
 * order, and the per-sender reassembly of fragments.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "totem/totem_int.h"

/* ---- send queue ---- */

/* What a queued message counts against backlog_bytes: its bytes on the
 * wire when it goes whole. */
static size_t queue_cost(size_t len)
{
	return len + TW_CHUNK_HDR;
}

/* May a message of len bytes join the queue?  Flow control is on from
 * backlog_bytes; up to there any message fits, so the hard bound is one
 * largest message beyond it: a user that heeds flow control never sees
 * -EAGAIN. */
static int queue_room(const struct totem *t, size_t len)
{
	return t->q_bytes + queue_cost(len) <=
	       (size_t)t->backlog_bytes + queue_cost(t->max_msg_size);
}

size_t totem_backlog_bytes(const struct totem *t)
{
	return t->q_bytes;
}

uint32_t tm_order_backlog_packets(const struct totem *t)
{
	size_t room = t->mtu - tw_mcast_overhead(1) - TW_BODY_HDR;
	size_t n = (t->q_bytes + room - 1) / room;

	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

int totem_mcast(struct totem *t, const void *msg, size_t len,
		enum totem_guarantee g, uint64_t now_us)
{
	struct tm_qmsg *q;

	t->now = now_us;
	if (t->left)
		return -ESHUTDOWN;
	if (!msg || len == 0)
		return -EINVAL;
	if (len > t->max_msg_size)
		return -EMSGSIZE;
	if (!queue_room(t, len))
		return -EAGAIN;
	q = malloc(sizeof(*q) + len);
	if (!q)
		return -ENOMEM;
	q->next = NULL;
	q->len = len;
	q->off = 0;
	q->next_frag = 0;
	q->safe = g == TOTEM_SAFE;
	q->msgno = ++t->next_msgno;
	memcpy(q->data, msg, len);
	if (t->q_tail)
		t->q_tail->next = q;
	else
		t->q_head = q;
	t->q_tail = q;
	t->q_len++;
	t->q_bytes += queue_cost(len);
	tm_order_flow_check(t);
	if (t->q_len == 1)
		tm_token_hold_cancel(t);
	tm_token_hold_use_soon(t);
	return 0;
}

void tm_order_flow_check(struct totem *t)
{
	if (!t->flow_blocked && t->q_bytes >= t->backlog_bytes)
		t->flow_blocked = 1;
	else if (t->flow_blocked && t->q_bytes <= t->backlog_bytes / 2)
		t->flow_blocked = 0;
	/* From totem_mcast() the report waits for the next input: no
	 * upcall runs inside a call from the user. */
	if (t->busy)
		tm_order_flow_report(t);
}

void tm_order_flow_report(struct totem *t)
{
	if (t->flow_blocked == t->flow_reported)
		return;
	t->flow_reported = t->flow_blocked;
	if (t->ops->flow)
		t->ops->flow(t->arg, t->flow_blocked);
}

static void queue_pop(struct totem *t)
{
	struct tm_qmsg *q = t->q_head;

	t->q_head = q->next;
	if (!t->q_head)
		t->q_tail = NULL;
	t->q_len--;
	t->q_bytes -= queue_cost(q->len);
	free(q);
	tm_order_flow_check(t);
}

/* A message cut short by a ring change starts over in the next ring: the
 * fragments already sent are dropped by every receiver's reassembly. */
void tm_order_queue_rewind(struct totem *t)
{
	if (t->q_head) {
		t->q_head->off = 0;
		t->q_head->next_frag = 0;
	}
}

void tm_order_queue_free(struct totem *t)
{
	while (t->q_head) {
		struct tm_qmsg *q = t->q_head;

		t->q_head = q->next;
		free(q);
	}
	t->q_tail = NULL;
	t->q_len = 0;
	t->q_bytes = 0;
}

/* ---- packing ---- */

/*
 * Leave the rest of this packet empty rather than split a message that
 * would fit whole in the next one (fragments cost reassembly at every
 * receiver), unless a quarter of the packet or more would go empty: the
 * window and max_messages count packets, so a 40 kB message must not take
 * a 64 KiB packet to itself.
 */
static int keep_whole(const struct tm_qmsg *q, size_t left, size_t room,
		      size_t cap, uint16_t nchunks)
{
	return q->off == 0 && left > room && nchunks > 0 &&
	       left <= cap - TW_BODY_HDR - TW_CHUNK_HDR && room < cap / 4;
}

int tm_order_pack(struct totem *t, const struct totem_ring_id *ring,
		  uint32_t seq)
{
	uint8_t *body = t->pkt + TW_MAX_PKT;
	size_t cap = t->mtu - tw_mcast_overhead(1);	/* room to replay */
	struct wire_wr w;
	struct tw_mcast m;
	uint16_t nchunks = 0;
	size_t body_len;
	uint8_t safe = 0;
	int len;

	if (!t->q_head)
		return 0;
	wire_wr_init(&w, body, cap);
	wire_wr_be16(&w, 0);	/* count, patched below */
	while (t->q_head && nchunks < UINT16_MAX) {
		struct tm_qmsg *q = t->q_head;
		size_t room = cap - w.off;
		size_t left = q->len - q->off;
		size_t take;
		uint8_t flags = 0;

		if (room <= TW_CHUNK_HDR)
			break;
		room -= TW_CHUNK_HDR;
		if (keep_whole(q, left, room, cap, nchunks))
			break;
		take = left < room ? left : room;
		if (q->off == 0)
			flags |= TW_CF_FIRST;
		if (q->off + take == q->len)
			flags |= TW_CF_LAST;
		if (q->safe) {
			flags |= TW_CF_SAFE;
			safe = 1;
		}
		wire_wr_u8(&w, flags);
		wire_wr_be16(&w, q->next_frag);
		wire_wr_be32(&w, q->msgno);
		wire_wr_be32(&w, (uint32_t)take);
		wire_wr_bytes(&w, q->data + q->off, take);
		q->off += take;
		q->next_frag++;
		nchunks++;
		if (flags & TW_CF_LAST)
			queue_pop(t);
		else
			break;	/* the packet is full */
	}
	if (w.err || nchunks == 0)
		return w.err ? -ENOSPC : 0;
	body_len = w.off;
	wire_wr_seek(&w, 0);
	wire_wr_be16(&w, nchunks);

	memset(&m, 0, sizeof(m));
	m.h.type = TW_MCAST;
	m.h.sender = t->me;
	m.h.ring = *ring;
	m.seq = seq;
	m.flags = safe ? TW_MF_SAFE : 0;
	m.origin = t->me;
	m.body = body;
	m.body_len = body_len;
	len = tw_encode_mcast(t->pkt, TW_MAX_PKT, &m);
	if (len < 0)
		return len;
	if (tm_store_put(&tm_token_ring(t)->store, &m) < 0)
		return -ENOMEM;
	tm_send(t, TOTEM_TO_ALL, t->pkt, (size_t)len);
	return 1;
}

void tm_order_resend(struct totem *t, const struct totem_ring_id *ring,
		     const struct tm_msg *sm)
{
	struct tw_mcast m;
	int len;

	memset(&m, 0, sizeof(m));
	m.h.type = TW_MCAST;
	m.h.sender = t->me;
	m.h.ring = *ring;
	m.seq = sm->seq;
	m.flags = sm->flags;
	m.origin = sm->origin;
	m.old_ring = sm->old_ring;
	m.old_seq = sm->old_seq;
	m.old_flags = sm->old_flags;
	m.body = sm->body;
	m.body_len = sm->body_len;
	len = tw_encode_mcast(t->pkt, TW_MAX_PKT, &m);
	if (len > 0)
		tm_send(t, TOTEM_TO_ALL, t->pkt, (size_t)len);
}

/* ---- reassembly and delivery ---- */

static struct tm_reasm *reasm_get(struct totem *t, uint32_t node)
{
	struct tm_reasm *r;
	size_t i;

	for (i = 0; i < t->n_reasm; i++)
		if (t->reasm[i].node == node)
			return &t->reasm[i];
	r = realloc(t->reasm, (t->n_reasm + 1) * sizeof(*r));
	if (!r)
		return NULL;
	t->reasm = r;
	r = &t->reasm[t->n_reasm++];
	memset(r, 0, sizeof(*r));
	r->node = node;
	return r;
}

void tm_order_reasm_reset(struct totem *t)
{
	size_t i;

	for (i = 0; i < t->n_reasm; i++) {
		t->reasm[i].active = 0;
		t->reasm[i].len = 0;
	}
}

static void reasm_append(struct totem *t, struct tm_reasm *r,
			 const struct tw_chunk *c)
{
	if (r->len + c->len > t->max_msg_size) {
		r->active = 0;
		return;
	}
	if (r->len + c->len > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		uint8_t *b;

		while (cap < r->len + c->len)
			cap *= 2;
		b = realloc(r->buf, cap);
		if (!b) {
			r->active = 0;
			return;
		}
		r->buf = b;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, c->data, c->len);
	r->len += c->len;
}

static void deliver_chunks(struct totem *t, const struct tm_msg *m)
{
	struct tw_chunk_iter it;
	struct tw_chunk c;
	struct tm_reasm *r;

	memset(&c, 0, sizeof(c));
	tw_chunks_begin(&it, m->body, m->body_len);
	while (tw_chunks_next(&it, &c)) {
		enum totem_guarantee g = (c.flags & TW_CF_SAFE) ? TOTEM_SAFE
								: TOTEM_AGREED;

		r = reasm_get(t, m->origin);
		if ((c.flags & (TW_CF_FIRST | TW_CF_LAST)) ==
		    (TW_CF_FIRST | TW_CF_LAST)) {
			if (r)
				r->active = 0;
			t->ops->deliver(t->arg, m->origin, c.data, c.len, g);
			continue;
		}
		if (!r)
			continue;
		if (c.flags & TW_CF_FIRST) {
			r->active = 1;
			r->len = 0;
			r->next_frag = 1;
			r->msgno = c.msgno;
			r->safe = g == TOTEM_SAFE;
			reasm_append(t, r, &c);
			continue;
		}
		/* A missing fragment (lost with a failed node) drops the
		 * whole message, the same way on every survivor. */
		if (!r->active || c.frag != r->next_frag ||
		    c.msgno != r->msgno) {
			r->active = 0;
			continue;
		}
		r->next_frag++;
		reasm_append(t, r, &c);
		if (r->active && (c.flags & TW_CF_LAST)) {
			r->active = 0;
			t->ops->deliver(t->arg, m->origin, r->buf, r->len,
					r->safe ? TOTEM_SAFE : TOTEM_AGREED);
		}
	}
}

void tm_order_deliver(struct totem *t, enum tm_dlv mode)
{
	struct tm_store *s = &t->inst.store;
	int gap = 0;

	while (s->delivered < s->high) {
		uint32_t seq = s->delivered + 1;
		struct tm_msg *m = tm_store_get(s, seq);

		if (!m) {
			if (mode != TM_DLV_TRANS)
				break;
			/* held by nobody left: skip it */
			s->delivered = seq;
			gap = 1;
			continue;
		}
		if (m->flags & TW_MF_SAFE) {
			if (mode == TM_DLV_NORMAL && seq > t->inst.safe_aru)
				break;
			/* Some survivor saw it safe: every old member held
			 * it, so it still belongs to the old configuration. */
			if (mode == TM_DLV_REG_END && seq > t->inst.safe_aru &&
			    seq > t->trans_safe)
				break;
		}
		s->delivered = seq;
		if (m->flags & TW_MF_ENCAP)
			continue;	/* replayed old-ring message */
		/* After a hole, a sender that did not survive may have lost
		 * an earlier message there: keep its order by dropping the
		 * rest of its messages, as every survivor does. */
		if (gap && !tm_set_has(&t->trans, m->origin))
			continue;
		deliver_chunks(t, m);
	}
}
