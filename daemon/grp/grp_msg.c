/* Encoding and decoding of the CPG layer's messages; see grp_msg.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "grp/grp_msg.h"

static int put_name(struct wire_wr *w, const struct grp_gname *g)
{
	if (g->len > CPG_MAX_NAME_LENGTH)
		return -EINVAL;
	wire_wr_be32(w, g->len);
	return wire_wr_bytes(w, g->value, g->len);
}

static int get_name(struct wire_rd *r, struct grp_gname *g)
{
	memset(g, 0, sizeof(*g));
	if (wire_rd_be32(r, &g->len))
		return r->err;
	if (g->len > CPG_MAX_NAME_LENGTH)
		return r->err = -EBADMSG;
	return wire_rd_bytes(r, g->value, g->len);
}

int grp_msg_encode_hdr(const struct grp_msg *m, uint8_t *buf, size_t cap)
{
	struct wire_wr w;

	if (m->type < GRP_MSG_JOIN || m->type > GRP_MSG_FRAG)
		return -EINVAL;
	if (m->payload_len > UINT32_MAX)
		return -EMSGSIZE;
	wire_wr_init(&w, buf, cap);
	wire_wr_u8(&w, GRP_MSG_VERSION);
	wire_wr_u8(&w, m->type);
	wire_wr_be16(&w, 0);
	wire_wr_be32(&w, m->pid);
	if (put_name(&w, &m->group) == -EINVAL)
		return -EINVAL;
	switch (m->type) {
	case GRP_MSG_LEAVE:
		wire_wr_be32(&w, m->reason);
		break;
	case GRP_MSG_DATA:
		wire_wr_be32(&w, (uint32_t)m->payload_len);
		break;
	case GRP_MSG_FRAG:
		wire_wr_be32(&w, m->msglen);
		wire_wr_be32(&w, m->frag_type);
		wire_wr_be32(&w, (uint32_t)m->payload_len);
		break;
	default:
		break;
	}
	return w.err ? w.err : (int)w.off;
}

size_t grp_msg_sync_size(size_t n)
{
	return 8 + n * (12 + CPG_MAX_NAME_LENGTH);
}

int grp_msg_sync_begin(struct wire_wr *w, uint32_t n)
{
	wire_wr_u8(w, GRP_MSG_VERSION);
	wire_wr_u8(w, GRP_MSG_SYNC);
	wire_wr_be16(w, 0);
	return wire_wr_be32(w, n);
}

int grp_msg_sync_add(struct wire_wr *w, uint32_t nodeid, uint32_t pid,
		     const struct grp_gname *g)
{
	wire_wr_be32(w, nodeid);
	wire_wr_be32(w, pid);
	return put_name(w, g);
}

int grp_msg_decode(const void *buf, size_t len, struct grp_msg *m)
{
	struct wire_rd r;
	uint8_t version;
	uint16_t zero;
	uint32_t n;

	memset(m, 0, sizeof(*m));
	wire_rd_init(&r, buf, len);
	wire_rd_u8(&r, &version);
	wire_rd_u8(&r, &m->type);
	if (wire_rd_be16(&r, &zero) || version != GRP_MSG_VERSION)
		return -EBADMSG;
	if (m->type == GRP_MSG_SYNC) {
		if (wire_rd_be32(&r, &m->n_sync))
			return -EBADMSG;
		/* Each entry takes at least 12 bytes: refuse absurd counts. */
		if (m->n_sync > wire_rd_left(&r) / 12)
			return -EBADMSG;
		wire_rd_init(&m->sync, r.buf + r.off, wire_rd_left(&r));
		return 0;
	}
	if (m->type < GRP_MSG_JOIN || m->type > GRP_MSG_FRAG)
		return -EBADMSG;
	wire_rd_be32(&r, &m->pid);
	if (get_name(&r, &m->group))
		return -EBADMSG;
	switch (m->type) {
	case GRP_MSG_LEAVE:
		if (wire_rd_be32(&r, &m->reason))
			return -EBADMSG;
		if (m->reason != CPG_REASON_LEAVE &&
		    m->reason != CPG_REASON_PROCDOWN)
			return -EBADMSG;
		break;
	case GRP_MSG_DATA:
		if (wire_rd_be32(&r, &n) || wire_rd_ptr(&r, &m->payload, n))
			return -EBADMSG;
		m->payload_len = n;
		break;
	case GRP_MSG_FRAG:
		wire_rd_be32(&r, &m->msglen);
		wire_rd_be32(&r, &m->frag_type);
		if (wire_rd_be32(&r, &n) || wire_rd_ptr(&r, &m->payload, n))
			return -EBADMSG;
		if (m->frag_type < CPG_FRAG_FIRST ||
		    m->frag_type > CPG_FRAG_LAST || n > m->msglen)
			return -EBADMSG;
		m->payload_len = n;
		break;
	default:
		break;
	}
	if (r.err || wire_rd_left(&r) != 0)
		return -EBADMSG;
	return 0;
}

int grp_msg_sync_next(struct grp_msg *m, uint32_t *nodeid, uint32_t *pid,
		      struct grp_gname *g)
{
	if (m->type != GRP_MSG_SYNC)
		return -EINVAL;
	if (m->n_sync == 0)
		return wire_rd_left(&m->sync) ? -EBADMSG : -ENODATA;
	if (wire_rd_be32(&m->sync, nodeid) || wire_rd_be32(&m->sync, pid) ||
	    get_name(&m->sync, g))
		return -EBADMSG;
	m->n_sync--;
	return 0;
}
