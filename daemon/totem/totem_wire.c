/* Totem wire format: see totem_wire.h for the layout. */
#include <errno.h>
#include <string.h>

#include "totem/totem_wire.h"
#include "wire/wire.h"

/* ---- chunks ---- */

void tw_chunks_begin(struct tw_chunk_iter *it, const uint8_t *body,
		     size_t len)
{
	wire_rd_init(&it->r, body, len);
	wire_rd_be16(&it->r, &it->left);
}

int tw_chunks_next(struct tw_chunk_iter *it, struct tw_chunk *c)
{
	if (!it->left || it->r.err)
		return 0;
	it->left--;
	wire_rd_u8(&it->r, &c->flags);
	wire_rd_be16(&it->r, &c->frag);
	wire_rd_be32(&it->r, &c->msgno);
	wire_rd_be32(&it->r, &c->len);
	c->data = wire_rd_take(&it->r, c->len);
	return it->r.err ? 0 : 1;
}

int tw_body_check(const uint8_t *body, size_t len, uint8_t *safe)
{
	struct tw_chunk_iter it;
	struct tw_chunk c;
	unsigned int n = 0;
	uint8_t s = 0;

	tw_chunks_begin(&it, body, len);
	if (it.r.err || it.left == 0 ||
	    wire_rd_count(&it.r, it.left, TW_CHUNK_HDR + 1))
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

static void put_hdr(struct wire_wr *w, uint8_t type, const struct tw_hdr *h)
{
	wire_wr_u8(w, TW_VERSION);
	wire_wr_u8(w, type);
	wire_wr_be16(w, 0);
	wire_wr_be32(w, h->sender);
	wire_wr_be32(w, h->ring.rep);
	wire_wr_be64(w, h->ring.seq);
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
static int get_set(struct wire_rd *r, const struct tw_limits *lim,
		   uint16_t n, uint32_t *out)
{
	size_t k = 0;
	uint16_t i;

	if (n > TW_MAX_NODES || wire_rd_count(r, n, 4))
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		wire_rd_be32(r, &out[i]);
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
	struct wire_wr w;

	wire_wr_init(&w, buf, cap);
	put_hdr(&w, TW_MCAST, &m->h);
	wire_wr_be32(&w, m->seq);
	wire_wr_u8(&w, m->flags);
	wire_wr_be32(&w, m->origin);
	if (m->flags & TW_MF_ENCAP) {
		wire_wr_be32(&w, m->old_ring.rep);
		wire_wr_be64(&w, m->old_ring.seq);
		wire_wr_be32(&w, m->old_seq);
		wire_wr_u8(&w, m->old_flags);
	}
	wire_wr_bytes(&w, m->body, m->body_len);
	return w.err ? -ENOSPC : (int)w.off;
}

int tw_encode_token(void *buf, size_t cap, const struct tw_token *t)
{
	struct wire_wr w;
	uint16_t i;

	if (t->n_rtr > TW_MAX_RTR)
		return -EINVAL;
	wire_wr_init(&w, buf, cap);
	put_hdr(&w, TW_TOKEN, &t->h);
	wire_wr_be32(&w, t->token_seq);
	wire_wr_be32(&w, t->seq);
	wire_wr_be32(&w, t->aru);
	wire_wr_be32(&w, t->aru_id);
	wire_wr_be32(&w, t->rot_min);
	wire_wr_be32(&w, t->safe_aru);
	wire_wr_be32(&w, t->rot_start);
	wire_wr_be32(&w, t->backlog);
	wire_wr_u8(&w, t->flags);
	wire_wr_be16(&w, t->n_rtr);
	for (i = 0; i < t->n_rtr; i++)
		wire_wr_be32(&w, t->rtr[i]);
	return w.err ? -ENOSPC : (int)w.off;
}

int tw_encode_join(void *buf, size_t cap, const struct tw_join *j)
{
	struct wire_wr w;
	uint16_t i;

	if (j->n_proc > TW_MAX_NODES || j->n_fail > TW_MAX_NODES)
		return -EINVAL;
	wire_wr_init(&w, buf, cap);
	put_hdr(&w, TW_JOIN, &j->h);
	wire_wr_be64(&w, j->max_seq);
	wire_wr_be16(&w, j->n_proc);
	for (i = 0; i < j->n_proc; i++)
		wire_wr_be32(&w, j->proc[i]);
	wire_wr_be16(&w, j->n_fail);
	for (i = 0; i < j->n_fail; i++)
		wire_wr_be32(&w, j->fail[i]);
	return w.err ? -ENOSPC : (int)w.off;
}

int tw_encode_commit(void *buf, size_t cap, const struct tw_commit *c)
{
	struct wire_wr w;
	uint16_t i;

	if (c->n > TW_MAX_NODES)
		return -EINVAL;
	wire_wr_init(&w, buf, cap);
	put_hdr(&w, TW_COMMIT, &c->h);
	wire_wr_u8(&w, c->rotation);
	wire_wr_be16(&w, c->n);
	for (i = 0; i < c->n; i++) {
		const struct tw_memb_entry *e = &c->m[i];

		wire_wr_be32(&w, e->node);
		wire_wr_be32(&w, e->old_ring.rep);
		wire_wr_be64(&w, e->old_ring.seq);
		wire_wr_be32(&w, e->old_aru);
		wire_wr_be32(&w, e->old_high);
		wire_wr_be32(&w, e->old_safe);
		wire_wr_u8(&w, e->filled);
	}
	return w.err ? -ENOSPC : (int)w.off;
}

int tw_encode_short(void *buf, size_t cap, const struct tw_hdr *h)
{
	struct wire_wr w;

	if (h->type != TW_MERGE && h->type != TW_HOLD_CANCEL)
		return -EINVAL;
	wire_wr_init(&w, buf, cap);
	put_hdr(&w, h->type, h);
	return w.err ? -ENOSPC : (int)w.off;
}

/* ---- decoder ---- */

/* Bytes of one commit token entry: node, old ring, aru, high, safe, filled. */
#define TW_MEMB_ENTRY	(4 + 12 + 4 + 4 + 4 + 1)

static int decode_mcast(struct wire_rd *r, const struct tw_limits *lim,
			struct tw_mcast *m, size_t pkt_len)
{
	uint8_t safe;

	wire_rd_be32(r, &m->seq);
	wire_rd_u8(r, &m->flags);
	wire_rd_be32(r, &m->origin);
	if (r->err || m->seq == 0)
		return -EBADMSG;
	if (m->flags & ~(TW_MF_SAFE | TW_MF_ENCAP))
		return -EBADMSG;
	if (!node_ok(lim, m->origin))
		return -EBADMSG;
	if (m->flags & TW_MF_ENCAP) {
		wire_rd_be32(r, &m->old_ring.rep);
		wire_rd_be64(r, &m->old_ring.seq);
		wire_rd_be32(r, &m->old_seq);
		wire_rd_u8(r, &m->old_flags);
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
	m->body = wire_rd_take(r, m->body_len);
	if (r->err || tw_body_check(m->body, m->body_len, &safe))
		return -EBADMSG;
	/* The packet flag must agree with its chunks. */
	if (((m->flags & TW_MF_ENCAP) ? (m->old_flags & TW_MF_SAFE)
				      : (m->flags & TW_MF_SAFE)) != (safe ? TW_MF_SAFE : 0))
		return -EBADMSG;
	return 0;
}

static int decode_token(struct wire_rd *r, const struct tw_limits *lim,
			struct tw_token *t)
{
	uint16_t i;

	wire_rd_be32(r, &t->token_seq);
	wire_rd_be32(r, &t->seq);
	wire_rd_be32(r, &t->aru);
	wire_rd_be32(r, &t->aru_id);
	wire_rd_be32(r, &t->rot_min);
	wire_rd_be32(r, &t->safe_aru);
	wire_rd_be32(r, &t->rot_start);
	wire_rd_be32(r, &t->backlog);
	wire_rd_u8(r, &t->flags);
	wire_rd_be16(r, &t->n_rtr);
	if (r->err || t->n_rtr > TW_MAX_RTR || wire_rd_count(r, t->n_rtr, 4))
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
		wire_rd_be32(r, &t->rtr[i]);
		if (r->err || t->rtr[i] == 0 || t->rtr[i] > t->seq)
			return -EBADMSG;
		if (i && t->rtr[i] <= t->rtr[i - 1])
			return -EBADMSG;
	}
	return 0;
}

static int decode_join(struct wire_rd *r, const struct tw_limits *lim,
		       struct tw_join *j)
{
	wire_rd_be64(r, &j->max_seq);
	wire_rd_be16(r, &j->n_proc);
	if (r->err || j->n_proc == 0)
		return -EBADMSG;
	if (get_set(r, lim, j->n_proc, j->proc))
		return -EBADMSG;
	wire_rd_be16(r, &j->n_fail);
	if (r->err || get_set(r, lim, j->n_fail, j->fail))
		return -EBADMSG;
	if (j->max_seq < j->h.ring.seq || j->max_seq > TW_MAX_RING_SEQ)
		return -EBADMSG;
	return 0;
}

static int decode_commit(struct wire_rd *r, const struct tw_limits *lim,
			 struct tw_commit *c)
{
	uint16_t i;

	wire_rd_u8(r, &c->rotation);
	wire_rd_be16(r, &c->n);
	if (r->err || c->rotation > 1 || c->n == 0 || c->n > TW_MAX_NODES ||
	    wire_rd_count(r, c->n, TW_MEMB_ENTRY))
		return -EBADMSG;
	if (c->h.ring.rep == 0 || c->h.ring.seq == 0)
		return -EBADMSG;
	for (i = 0; i < c->n; i++) {
		struct tw_memb_entry *e = &c->m[i];

		wire_rd_be32(r, &e->node);
		wire_rd_be32(r, &e->old_ring.rep);
		wire_rd_be64(r, &e->old_ring.seq);
		wire_rd_be32(r, &e->old_aru);
		wire_rd_be32(r, &e->old_high);
		wire_rd_be32(r, &e->old_safe);
		wire_rd_u8(r, &e->filled);
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
	struct wire_rd r;
	struct tw_hdr h;
	uint8_t version = 0;
	uint16_t zero = 0;
	int rc;

	if (!buf || len < TW_HDR_LEN || len > TW_MAX_PKT)
		return -EBADMSG;
	wire_rd_init(&r, buf, len);
	wire_rd_u8(&r, &version);
	if (version != TW_VERSION)
		return -EPROTO;
	wire_rd_u8(&r, &h.type);
	wire_rd_be16(&r, &zero);
	if (zero != 0)
		return -EBADMSG;
	wire_rd_be32(&r, &h.sender);
	wire_rd_be32(&r, &h.ring.rep);
	wire_rd_be64(&r, &h.ring.seq);
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
