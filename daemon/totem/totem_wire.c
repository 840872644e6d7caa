/* Totem wire format: see totem_wire.h for the layout. */
#include <errno.h>
#include <string.h>

#include "totem/totem_wire.h"

void tw_reader_init(struct tw_reader *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p ? len : 0;
	r->off = 0;
	r->err = 0;
}

const uint8_t *tw_get_bytes(struct tw_reader *r, size_t n)
{
	const uint8_t *q;

	if (r->err || n > r->len - r->off) {
		r->err = -EBADMSG;
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

uint8_t tw_get_u8(struct tw_reader *r)
{
	const uint8_t *q = tw_get_bytes(r, 1);

	return q ? q[0] : 0;
}

uint16_t tw_get_u16(struct tw_reader *r)
{
	const uint8_t *q = tw_get_bytes(r, 2);

	return q ? (uint16_t)((q[0] << 8) | q[1]) : 0;
}

uint32_t tw_get_u32(struct tw_reader *r)
{
	const uint8_t *q = tw_get_bytes(r, 4);

	if (!q)
		return 0;
	return ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) |
	       ((uint32_t)q[2] << 8) | q[3];
}

uint64_t tw_get_u64(struct tw_reader *r)
{
	uint64_t hi = tw_get_u32(r);

	return (hi << 32) | tw_get_u32(r);
}

void tw_writer_init(struct tw_writer *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
	w->err = 0;
}

void tw_put_bytes(struct tw_writer *w, const void *p, size_t n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = -ENOSPC;
		return;
	}
	if (n)
		memcpy(w->p + w->len, p, n);
	w->len += n;
}

void tw_put_u8(struct tw_writer *w, uint8_t v)
{
	tw_put_bytes(w, &v, 1);
}

void tw_put_u16(struct tw_writer *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	tw_put_bytes(w, b, 2);
}

void tw_put_u32(struct tw_writer *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	tw_put_bytes(w, b, 4);
}

void tw_put_u64(struct tw_writer *w, uint64_t v)
{
	tw_put_u32(w, (uint32_t)(v >> 32));
	tw_put_u32(w, (uint32_t)v);
}

/* ---- chunks ---- */

void tw_chunks_begin(struct tw_chunk_iter *it, const uint8_t *body,
		     size_t len)
{
	tw_reader_init(&it->r, body, len);
	it->left = tw_get_u16(&it->r);
}

int tw_chunks_next(struct tw_chunk_iter *it, struct tw_chunk *c)
{
	if (!it->left || it->r.err)
		return 0;
	it->left--;
	c->flags = tw_get_u8(&it->r);
	c->frag = tw_get_u16(&it->r);
	c->msgno = tw_get_u32(&it->r);
	c->len = tw_get_u32(&it->r);
	c->data = tw_get_bytes(&it->r, c->len);
	return it->r.err ? 0 : 1;
}

int tw_body_check(const uint8_t *body, size_t len, uint8_t *safe)
{
	struct tw_chunk_iter it;
	struct tw_chunk c;
	unsigned int n = 0;
	uint8_t s = 0;

	tw_chunks_begin(&it, body, len);
	if (it.r.err || it.left == 0)
		return -EBADMSG;
	n = it.left;
	while (n--) {
		if (!tw_chunks_next(&it, &c))
			return -EBADMSG;
		if (c.flags & ~(TW_CF_FIRST | TW_CF_LAST | TW_CF_SAFE))
			return -EBADMSG;
		/* A whole message is FIRST|LAST with index 0; a first
		 * fragment always has index 0, later ones never do. */
		if (((c.flags & TW_CF_FIRST) != 0) != (c.frag == 0))
			return -EBADMSG;
		if (c.len == 0)
			return -EBADMSG;
		if (c.flags & TW_CF_SAFE)
			s = 1;
	}
	if (it.r.off != len)
		return -EBADMSG;
	if (safe)
		*safe = s;
	return 0;
}

/* ---- header ---- */

static void put_hdr(struct tw_writer *w, uint8_t type, const struct tw_hdr *h)
{
	tw_put_u8(w, TW_VERSION);
	tw_put_u8(w, type);
	tw_put_u16(w, 0);
	tw_put_u32(w, h->sender);
	tw_put_u32(w, h->ring.rep);
	tw_put_u64(w, h->ring.seq);
}

static int node_ok(const struct tw_limits *lim, uint32_t id)
{
	size_t lo = 0, hi;

	if (id == 0)
		return 0;
	if (!lim || !lim->nodes)
		return 1;
	hi = lim->n_nodes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (lim->nodes[mid] == id)
			return 1;
		if (lim->nodes[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Ring rep may be 0 only for "no ring yet" (seq 0). */
static int ring_ok(const struct tw_limits *lim, const struct totem_ring_id *r)
{
	if (r->seq > TW_MAX_RING_SEQ)
		return 0;
	if (r->rep == 0)
		return r->seq == 0;
	return node_ok(lim, r->rep);
}

/* An ascending set, each id in the node list: one walk along both. */
static int get_set(struct tw_reader *r, const struct tw_limits *lim,
		   uint16_t n, uint32_t *out)
{
	size_t k = 0;
	uint16_t i;

	if (n > TW_MAX_NODES)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		out[i] = tw_get_u32(r);
		if (r->err || out[i] == 0 || (i && out[i] <= out[i - 1]))
			return -EBADMSG;
		if (!lim || !lim->nodes)
			continue;
		while (k < lim->n_nodes && lim->nodes[k] < out[i])
			k++;
		if (k == lim->n_nodes || lim->nodes[k] != out[i])
			return -EBADMSG;
	}
	return 0;
}

/* ---- encoders ---- */

size_t tw_mcast_overhead(int encap)
{
	return TW_HDR_LEN + 4 + 1 + 4 + (encap ? 12 + 4 + 1 : 0);
}

int tw_encode_mcast(void *buf, size_t cap, const struct tw_mcast *m)
{
	struct tw_writer w;

	tw_writer_init(&w, buf, cap);
	put_hdr(&w, TW_MCAST, &m->h);
	tw_put_u32(&w, m->seq);
	tw_put_u8(&w, m->flags);
	tw_put_u32(&w, m->origin);
	if (m->flags & TW_MF_ENCAP) {
		tw_put_u32(&w, m->old_ring.rep);
		tw_put_u64(&w, m->old_ring.seq);
		tw_put_u32(&w, m->old_seq);
		tw_put_u8(&w, m->old_flags);
	}
	tw_put_bytes(&w, m->body, m->body_len);
	return w.err ? w.err : (int)w.len;
}

int tw_encode_token(void *buf, size_t cap, const struct tw_token *t)
{
	struct tw_writer w;
	uint16_t i;

	if (t->n_rtr > TW_MAX_RTR)
		return -EINVAL;
	tw_writer_init(&w, buf, cap);
	put_hdr(&w, TW_TOKEN, &t->h);
	tw_put_u32(&w, t->token_seq);
	tw_put_u32(&w, t->seq);
	tw_put_u32(&w, t->aru);
	tw_put_u32(&w, t->aru_id);
	tw_put_u32(&w, t->rot_min);
	tw_put_u32(&w, t->safe_aru);
	tw_put_u32(&w, t->rot_start);
	tw_put_u32(&w, t->backlog);
	tw_put_u8(&w, t->flags);
	tw_put_u16(&w, t->n_rtr);
	for (i = 0; i < t->n_rtr; i++)
		tw_put_u32(&w, t->rtr[i]);
	return w.err ? w.err : (int)w.len;
}

int tw_encode_join(void *buf, size_t cap, const struct tw_join *j)
{
	struct tw_writer w;
	uint16_t i;

	if (j->n_proc > TW_MAX_NODES || j->n_fail > TW_MAX_NODES)
		return -EINVAL;
	tw_writer_init(&w, buf, cap);
	put_hdr(&w, TW_JOIN, &j->h);
	tw_put_u64(&w, j->max_seq);
	tw_put_u16(&w, j->n_proc);
	for (i = 0; i < j->n_proc; i++)
		tw_put_u32(&w, j->proc[i]);
	tw_put_u16(&w, j->n_fail);
	for (i = 0; i < j->n_fail; i++)
		tw_put_u32(&w, j->fail[i]);
	return w.err ? w.err : (int)w.len;
}

int tw_encode_commit(void *buf, size_t cap, const struct tw_commit *c)
{
	struct tw_writer w;
	uint16_t i;

	if (c->n > TW_MAX_NODES)
		return -EINVAL;
	tw_writer_init(&w, buf, cap);
	put_hdr(&w, TW_COMMIT, &c->h);
	tw_put_u8(&w, c->rotation);
	tw_put_u16(&w, c->n);
	for (i = 0; i < c->n; i++) {
		const struct tw_memb_entry *e = &c->m[i];

		tw_put_u32(&w, e->node);
		tw_put_u32(&w, e->old_ring.rep);
		tw_put_u64(&w, e->old_ring.seq);
		tw_put_u32(&w, e->old_aru);
		tw_put_u32(&w, e->old_high);
		tw_put_u32(&w, e->old_safe);
		tw_put_u8(&w, e->filled);
	}
	return w.err ? w.err : (int)w.len;
}

int tw_encode_short(void *buf, size_t cap, const struct tw_hdr *h)
{
	struct tw_writer w;

	if (h->type != TW_MERGE && h->type != TW_HOLD_CANCEL)
		return -EINVAL;
	tw_writer_init(&w, buf, cap);
	put_hdr(&w, h->type, h);
	return w.err ? w.err : (int)w.len;
}

/* ---- decoder ---- */

static int decode_mcast(struct tw_reader *r, const struct tw_limits *lim,
			struct tw_mcast *m, size_t pkt_len)
{
	uint8_t safe;

	m->seq = tw_get_u32(r);
	m->flags = tw_get_u8(r);
	m->origin = tw_get_u32(r);
	if (r->err || m->seq == 0)
		return -EBADMSG;
	if (m->flags & ~(TW_MF_SAFE | TW_MF_ENCAP))
		return -EBADMSG;
	if (!node_ok(lim, m->origin))
		return -EBADMSG;
	if (m->flags & TW_MF_ENCAP) {
		m->old_ring.rep = tw_get_u32(r);
		m->old_ring.seq = tw_get_u64(r);
		m->old_seq = tw_get_u32(r);
		m->old_flags = tw_get_u8(r);
		if (r->err || m->old_seq == 0 || m->old_ring.rep == 0 ||
		    !ring_ok(lim, &m->old_ring))
			return -EBADMSG;
		if (m->old_flags & ~TW_MF_SAFE)
			return -EBADMSG;
	} else {
		m->old_ring.rep = 0;
		m->old_ring.seq = 0;
		m->old_seq = 0;
		m->old_flags = 0;
	}
	if (lim && lim->mtu && pkt_len > lim->mtu)
		return -EBADMSG;
	m->body_len = r->len - r->off;
	m->body = tw_get_bytes(r, m->body_len);
	if (r->err || tw_body_check(m->body, m->body_len, &safe))
		return -EBADMSG;
	/* The packet flag must agree with its chunks. */
	if (((m->flags & TW_MF_ENCAP) ? (m->old_flags & TW_MF_SAFE)
				      : (m->flags & TW_MF_SAFE)) != (safe ? TW_MF_SAFE : 0))
		return -EBADMSG;
	return 0;
}

static int decode_token(struct tw_reader *r, const struct tw_limits *lim,
			struct tw_token *t)
{
	uint16_t i;

	t->token_seq = tw_get_u32(r);
	t->seq = tw_get_u32(r);
	t->aru = tw_get_u32(r);
	t->aru_id = tw_get_u32(r);
	t->rot_min = tw_get_u32(r);
	t->safe_aru = tw_get_u32(r);
	t->rot_start = tw_get_u32(r);
	t->backlog = tw_get_u32(r);
	t->flags = tw_get_u8(r);
	t->n_rtr = tw_get_u16(r);
	if (r->err || t->n_rtr > TW_MAX_RTR)
		return -EBADMSG;
	if (t->flags & ~(TW_TF_INSTALL | TW_TF_BUSY))
		return -EBADMSG;
	/* Every counter is a position at or below seq. */
	if (t->aru > t->seq || t->rot_min > t->seq || t->safe_aru > t->seq ||
	    t->rot_start > t->seq)
		return -EBADMSG;
	if (t->aru_id != 0 && !node_ok(lim, t->aru_id))
		return -EBADMSG;
	if (t->h.ring.rep == 0)
		return -EBADMSG;
	for (i = 0; i < t->n_rtr; i++) {
		t->rtr[i] = tw_get_u32(r);
		if (r->err || t->rtr[i] == 0 || t->rtr[i] > t->seq)
			return -EBADMSG;
		if (i && t->rtr[i] <= t->rtr[i - 1])
			return -EBADMSG;
	}
	return 0;
}

static int decode_join(struct tw_reader *r, const struct tw_limits *lim,
		       struct tw_join *j)
{
	j->max_seq = tw_get_u64(r);
	j->n_proc = tw_get_u16(r);
	if (r->err || j->n_proc == 0)
		return -EBADMSG;
	if (get_set(r, lim, j->n_proc, j->proc))
		return -EBADMSG;
	j->n_fail = tw_get_u16(r);
	if (r->err || get_set(r, lim, j->n_fail, j->fail))
		return -EBADMSG;
	if (j->max_seq < j->h.ring.seq || j->max_seq > TW_MAX_RING_SEQ)
		return -EBADMSG;
	return 0;
}

static int decode_commit(struct tw_reader *r, const struct tw_limits *lim,
			 struct tw_commit *c)
{
	uint16_t i;

	c->rotation = tw_get_u8(r);
	c->n = tw_get_u16(r);
	if (r->err || c->rotation > 1 || c->n == 0 || c->n > TW_MAX_NODES)
		return -EBADMSG;
	if (c->h.ring.rep == 0 || c->h.ring.seq == 0)
		return -EBADMSG;
	for (i = 0; i < c->n; i++) {
		struct tw_memb_entry *e = &c->m[i];

		e->node = tw_get_u32(r);
		e->old_ring.rep = tw_get_u32(r);
		e->old_ring.seq = tw_get_u64(r);
		e->old_aru = tw_get_u32(r);
		e->old_high = tw_get_u32(r);
		e->old_safe = tw_get_u32(r);
		e->filled = tw_get_u8(r);
		if (r->err || !node_ok(lim, e->node) || e->filled > 1)
			return -EBADMSG;
		if (i && e->node <= c->m[i - 1].node)
			return -EBADMSG;
		if (!ring_ok(lim, &e->old_ring) || e->old_aru > e->old_high ||
		    e->old_safe > e->old_aru)
			return -EBADMSG;
		if (e->old_ring.seq >= c->h.ring.seq)
			return -EBADMSG;
	}
	/* The representative is the lowest member. */
	if (c->m[0].node != c->h.ring.rep)
		return -EBADMSG;
	return 0;
}

int tw_decode(const void *buf, size_t len, const struct tw_limits *lim,
	      union tw_packet *out)
{
	struct tw_reader r;
	struct tw_hdr h;
	int rc;

	if (!buf || len < TW_HDR_LEN || len > TW_MAX_PKT)
		return -EBADMSG;
	tw_reader_init(&r, buf, len);
	if (tw_get_u8(&r) != TW_VERSION)
		return -EPROTO;
	h.type = tw_get_u8(&r);
	if (tw_get_u16(&r) != 0)
		return -EBADMSG;
	h.sender = tw_get_u32(&r);
	h.ring.rep = tw_get_u32(&r);
	h.ring.seq = tw_get_u64(&r);
	if (r.err || !node_ok(lim, h.sender) || !ring_ok(lim, &h.ring))
		return -EBADMSG;

	switch (h.type) {
	case TW_MCAST:
		out->mcast.h = h;
		if (h.ring.rep == 0)
			return -EBADMSG;
		rc = decode_mcast(&r, lim, &out->mcast, len);
		break;
	case TW_TOKEN:
		out->token.h = h;
		rc = decode_token(&r, lim, &out->token);
		break;
	case TW_JOIN:
		out->join.h = h;
		rc = decode_join(&r, lim, &out->join);
		break;
	case TW_COMMIT:
		out->commit.h = h;
		rc = decode_commit(&r, lim, &out->commit);
		break;
	case TW_MERGE:
	case TW_HOLD_CANCEL:
		out->h = h;
		rc = h.ring.rep == 0 ? -EBADMSG : 0;
		break;
	default:
		return -EBADMSG;
	}
	if (rc || r.err || r.off != len)
		return -EBADMSG;
	return h.type;
}
