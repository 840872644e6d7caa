/* The EVS client protocol, daemon side; see ipc_evs_codec.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "ipc/ipc_evs_codec.h"
#include "ipc/ipc_proto.h"
#include "wire/wire.h"

static int decode_groups(struct wire_rd *r, size_t len, size_t hdr,
			 struct ipc_evs_req *q, size_t *rest)
{
	const void *p;
	size_t bytes;

	if (q->n_groups > EVS_IPC_GROUPS_MAX)
		return -E2BIG;
	bytes = (size_t)q->n_groups * EVS_IPC_GROUP_SIZE;
	if (len < hdr || len - hdr < bytes)
		return -EBADMSG;
	wire_rd_seek(r, hdr);
	if (wire_rd_ptr(r, &p, bytes))
		return -EBADMSG;
	q->groups = p;
	*rest = len - hdr - bytes;
	return 0;
}

int ipc_evs_req_decode(const void *buf, size_t len, struct ipc_evs_req *q)
{
	struct wire_rd r;
	uint32_t size, fraglen;
	size_t rest;
	const void *p;
	int rc;

	memset(q, 0, sizeof(*q));
	wire_rd_init(&r, buf, len);
	wire_rd_ne32(&r, &q->id);
	wire_rd_seek(&r, EVS_IPC_HDR_SIZE);
	if (wire_rd_ne32(&r, &size) || len < EVS_IPC_REQ_HDR || size != len)
		return -EPROTO;
	switch (q->id) {
	case EVS_IPC_JOIN:
	case EVS_IPC_LEAVE:
		if (len < EVS_IPC_GROUPS_REQ_HDR)
			return -EBADMSG;
		wire_rd_seek(&r, EVS_IPC_GROUPS_N);
		wire_rd_ne32(&r, &q->n_groups);
		rc = decode_groups(&r, len, EVS_IPC_GROUPS_REQ_HDR, q, &rest);
		if (rc == 0 && rest != 0)
			rc = -EBADMSG;
		return rc;
	case EVS_IPC_MCAST:
		if (len < EVS_IPC_MCAST_HDR)
			return -EBADMSG;
		wire_rd_seek(&r, EVS_IPC_MCAST_GUARANTEE);
		wire_rd_ne32(&r, &q->guarantee);
		wire_rd_ne32(&r, &q->joined);
		wire_rd_ne32(&r, &q->n_groups);
		wire_rd_ne32(&r, &q->frag);
		wire_rd_ne32(&r, &q->msglen);
		wire_rd_ne32(&r, &fraglen);
		rc = decode_groups(&r, len, EVS_IPC_MCAST_HDR, q, &rest);
		if (rc < 0)
			return rc;
		if (rest != fraglen || q->joined > 1)
			return -EBADMSG;
		if (wire_rd_ptr(&r, &p, rest))
			return -EBADMSG;
		q->payload = p;
		q->payload_len = rest;
		return 0;
	case EVS_IPC_MEMBERSHIP:
	case EVS_IPC_FINALIZE:
		return len == EVS_IPC_REQ_HDR ? 0 : -EBADMSG;
	default:
		return -ENOSYS;
	}
}

uint32_t ipc_evs_cs_error(int rc)
{
	switch (rc) {
	case 0:
		return CS_OK;
	case -EAGAIN:
		return CS_ERR_TRY_AGAIN;
	case -EINVAL:
	case -EBADMSG:
		return CS_ERR_INVALID_PARAM;
	case -ENOMEM:
		return CS_ERR_NO_MEMORY;
	case -ENOENT:
		return CS_ERR_NOT_EXIST;
	case -ENOSPC:
		return CS_ERR_NO_RESOURCES;
	case -E2BIG:
	case -EMSGSIZE:
		return CS_ERR_TOO_BIG;
	default:
		return CS_ERR_LIBRARY;
	}
}

static void put_res_hdr(uint8_t *b, uint32_t id, size_t size, uint32_t err)
{
	struct wire_wr w;

	wire_wr_init(&w, b, EVS_IPC_RES_HDR);
	wire_wr_ne32(&w, id);
	wire_wr_ne32(&w, 0);
	wire_wr_ne32(&w, (uint32_t)size);
	wire_wr_ne32(&w, 0);
	wire_wr_ne32(&w, err);
	wire_wr_ne32(&w, 0);
}

size_t ipc_evs_res(void *buf, uint32_t id, uint32_t err)
{
	put_res_hdr(buf, id, EVS_IPC_RES_HDR, err);
	return EVS_IPC_RES_HDR;
}

int ipc_evs_res_membership(void *buf, size_t cap, uint32_t err,
			   uint32_t nodeid, const uint32_t *m, size_t n)
{
	size_t size = EVS_IPC_MEMBERSHIP_RES_HDR + 4 * n;
	struct wire_wr w;

	if (size > cap)
		return -EMSGSIZE;
	put_res_hdr(buf, EVS_IPC_MEMBERSHIP, size, err);
	wire_wr_init(&w, buf, cap);
	wire_wr_seek(&w, EVS_IPC_RES_HDR);
	wire_wr_ne32(&w, nodeid);
	wire_wr_ne32(&w, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		wire_wr_ne32(&w, m[i]);
	return w.err ? w.err : (int)size;
}

void ipc_evs_ev_deliver_hdr(uint8_t buf[EVS_IPC_DELIVER_HDR],
			    uint32_t nodeid, uint32_t pid, uint32_t msglen,
			    uint32_t frag, size_t len)
{
	struct wire_wr w;

	put_res_hdr(buf, EVS_IPC_EV_DELIVER, EVS_IPC_DELIVER_HDR + len,
		    CS_OK);
	wire_wr_init(&w, buf, EVS_IPC_DELIVER_HDR);
	wire_wr_seek(&w, EVS_IPC_RES_HDR);
	wire_wr_ne32(&w, nodeid);
	wire_wr_ne32(&w, pid);
	wire_wr_ne32(&w, msglen);
	wire_wr_ne32(&w, frag);
	wire_wr_ne32(&w, (uint32_t)len);
	wire_wr_ne32(&w, 0);
}

static size_t clamp(size_t n)
{
	return n > EVS_IPC_MEMBERS_MAX ? EVS_IPC_MEMBERS_MAX : n;
}

size_t ipc_evs_ev_confchg_size(const struct evs_conf *c)
{
	return EVS_IPC_CONFCHG_HDR +
	       4 * (clamp(c->n_members) + clamp(c->n_left) +
		    clamp(c->n_joined));
}

static void put_list(struct wire_wr *w, const uint32_t *l, size_t n)
{
	for (size_t i = 0; i < clamp(n); i++)
		wire_wr_ne32(w, l[i]);
}

void ipc_evs_ev_confchg(void *buf, const struct evs_conf *c)
{
	size_t size = ipc_evs_ev_confchg_size(c);
	struct wire_wr w;

	put_res_hdr(buf, EVS_IPC_EV_CONFCHG, size, CS_OK);
	wire_wr_init(&w, buf, size);
	wire_wr_seek(&w, EVS_IPC_RES_HDR);
	wire_wr_ne32(&w, c->ring_rep);
	wire_wr_ne32(&w, 0);
	wire_wr_ne64(&w, c->ring_seq);
	wire_wr_ne32(&w, (uint32_t)clamp(c->n_members));
	wire_wr_ne32(&w, (uint32_t)clamp(c->n_left));
	wire_wr_ne32(&w, (uint32_t)clamp(c->n_joined));
	wire_wr_ne32(&w, 0);
	put_list(&w, c->members, c->n_members);
	put_list(&w, c->left, c->n_left);
	put_list(&w, c->joined, c->n_joined);
}
