/* The EVS layer's message; see evs_msg.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "evs/evs_msg.h"
#include "wire/wire.h"

size_t evs_msg_hdr_size(size_t n_groups)
{
	return EVS_MSG_FIXED + n_groups * EVS_GROUP_LEN;
}

int evs_msg_encode_hdr(const struct evs_msg *m, uint8_t *buf, size_t cap)
{
	struct wire_wr w;

	if (m->n_groups == 0 || m->n_groups > EVS_GROUPS_MAX ||
	    m->frag > EVS_FRAG_END || m->len > m->msglen ||
	    (m->frag == EVS_FRAG_WHOLE && m->len != m->msglen))
		return -EINVAL;
	wire_wr_init(&w, buf, cap);
	wire_wr_u8(&w, EVS_MSG_VERSION);
	wire_wr_u8(&w, EVS_MSG_DATA);
	wire_wr_u8(&w, m->guarantee);
	wire_wr_u8(&w, m->frag);
	wire_wr_be32(&w, m->pid);
	wire_wr_be32(&w, m->msglen);
	wire_wr_be32(&w, (uint32_t)m->n_groups);
	wire_wr_bytes(&w, m->groups, m->n_groups * EVS_GROUP_LEN);
	wire_wr_be32(&w, (uint32_t)m->len);
	return w.err ? w.err : (int)w.off;
}

int evs_msg_decode(const void *buf, size_t len, struct evs_msg *m)
{
	struct wire_rd r;
	uint8_t version, type;
	uint32_t n, plen;
	const void *p;

	memset(m, 0, sizeof(*m));
	wire_rd_init(&r, buf, len);
	wire_rd_u8(&r, &version);
	wire_rd_u8(&r, &type);
	wire_rd_u8(&r, &m->guarantee);
	wire_rd_u8(&r, &m->frag);
	wire_rd_be32(&r, &m->pid);
	wire_rd_be32(&r, &m->msglen);
	if (wire_rd_be32(&r, &n))
		return -EBADMSG;
	if (version != EVS_MSG_VERSION || type != EVS_MSG_DATA ||
	    m->frag > EVS_FRAG_END || n == 0 || n > EVS_GROUPS_MAX ||
	    m->msglen > EVS_MSG_MAX)
		return -EBADMSG;
	if (wire_rd_ptr(&r, &p, (size_t)n * EVS_GROUP_LEN))
		return -EBADMSG;
	m->groups = p;
	m->n_groups = n;
	if (wire_rd_be32(&r, &plen) || plen != wire_rd_left(&r) ||
	    plen > m->msglen ||
	    (m->frag == EVS_FRAG_WHOLE && plen != m->msglen))
		return -EBADMSG;
	wire_rd_ptr(&r, &m->payload, plen);
	m->len = plen;
	return r.err ? -EBADMSG : 0;
}
