/* The CPG client protocol's requests, responses and events; see
 * ipc_codec.h and cpgd/cpg_proto.h for the layouts. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "ipc/ipc_codec.h"
#include "ipc/ipc_reqs.h"
#include "wire/wire.h"

static void rd_name(struct wire_rd *r, size_t off, struct grp_gname *g)
{
	size_t n;

	memset(g, 0, sizeof(*g));
	wire_rd_seek(r, off);
	wire_rd_ne32(r, &g->len);
	wire_rd_seek(r, off + CPG_WIRE_NAME_VALUE);
	n = g->len < CPG_MAX_NAME_LENGTH ? g->len : CPG_MAX_NAME_LENGTH;
	wire_rd_bytes(r, g->value, n);
}

/* A field by value: 0 past the end (the reader's sticky error is checked
 * once, after all reads). */
static uint32_t rd32_at(struct wire_rd *r, size_t off)
{
	uint32_t v = 0;

	wire_rd_ne32_at(r, off, &v);
	return v;
}

static uint64_t rd64_at(struct wire_rd *r, size_t off)
{
	uint64_t v = 0;

	wire_rd_ne64_at(r, off, &v);
	return v;
}

static const struct ipc_req_kind kinds[CPG_REQ_COUNT_] = {
#define KIND(name, size, res_id, res_size, replies, handler) \
	[CPG_REQ_##name] = { CPG_WIRE_##size, CPG_RES_##res_id, \
			     CPG_WIRE_##res_size, replies },
#define KIND_ANY_SIZE(name, res_id, replies, handler) \
	[CPG_REQ_##name] = { 0, CPG_RES_##res_id, CPG_WIRE_RES_HDR, replies },
	IPC_REQS(KIND, KIND_ANY_SIZE)
#undef KIND
#undef KIND_ANY_SIZE
};

/* Refused or repeated, FAST_HELLO gets a bare header. */
static const struct ipc_req_kind fast_hello_kind = {
	CPG_WIRE_FAST_HELLO_SIZE, CPG_RES_FAST_HELLO, CPG_WIRE_RES_HDR, 1,
};

const struct ipc_req_kind *ipc_req_kind(uint32_t id)
{
	if (id == CPG_REQ_FAST_HELLO)
		return &fast_hello_kind;
	return id < CPG_REQ_COUNT_ ? &kinds[id] : NULL;
}

int ipc_req_decode(const void *buf, size_t len, struct ipc_req *req)
{
	struct wire_rd r;
	const struct ipc_req_kind *kind;
	uint32_t size, fraglen;

	memset(req, 0, sizeof(*req));
	wire_rd_init(&r, buf, len);
	if (len < CPG_WIRE_REQ_HDR)
		return -EPROTO;
	req->id = rd32_at(&r, CPG_WIRE_HDR_ID);
	size = rd32_at(&r, CPG_WIRE_HDR_SIZE);
	if (r.err || size != len)
		return -EPROTO;
	kind = ipc_req_kind(req->id);
	if (!kind)
		return -ENOSYS;
	if (kind->size && len != kind->size)
		return -EBADMSG;
	if (req->id == CPG_REQ_FAST_HELLO) {
		req->version = rd32_at(&r, CPG_WIRE_FAST_HELLO_VERSION);
		req->flags = rd32_at(&r, CPG_WIRE_FAST_HELLO_FLAGS);
		return r.err || req->version == 0 || req->flags ? -EBADMSG : 0;
	}

	switch (req->id) {
	case CPG_REQ_JOIN:
		rd_name(&r, CPG_WIRE_REQ_NAME, &req->name);
		req->pid = rd32_at(&r, CPG_WIRE_JOIN_PID);
		req->flags = rd32_at(&r, CPG_WIRE_JOIN_FLAGS);
		break;
	case CPG_REQ_LEAVE:
		rd_name(&r, CPG_WIRE_REQ_NAME, &req->name);
		req->pid = rd32_at(&r, CPG_WIRE_LEAVE_PID);
		break;
	case CPG_REQ_MEMBERSHIP:
		rd_name(&r, CPG_WIRE_REQ_NAME, &req->name);
		break;
	case CPG_REQ_ITER_INIT:
		rd_name(&r, CPG_WIRE_REQ_NAME, &req->name);
		req->iter_type = rd32_at(&r, CPG_WIRE_ITER_INIT_TYPE);
		break;
	case CPG_REQ_ITER_NEXT:
	case CPG_REQ_ITER_FINALIZE:
		req->handle = rd64_at(&r, CPG_WIRE_ITER_HANDLE);
		break;
	case CPG_REQ_ZC_EXECUTE:
		req->handle = rd64_at(&r, CPG_WIRE_ZC_EXECUTE_ADDR);
		break;
	case CPG_REQ_ZC_FREE:
		req->map_size = rd64_at(&r, CPG_WIRE_ZC_FREE_MAP_SIZE);
		req->handle = rd64_at(&r, CPG_WIRE_ZC_FREE_ADDR);
		break;
	case CPG_REQ_ZC_ALLOC:
		req->map_size = rd64_at(&r, CPG_WIRE_ZC_ALLOC_MAP_SIZE);
		wire_rd_seek(&r, CPG_WIRE_ZC_ALLOC_PATH);
		wire_rd_bytes(&r, req->path, CPG_WIRE_ZC_PATH_LEN);
		/* the path must end inside its field */
		if (!memchr(req->path, '\0', CPG_WIRE_ZC_PATH_LEN))
			return -EBADMSG;
		break;
	case CPG_REQ_MCAST:
		if (len < CPG_WIRE_MCAST_HDR)
			return -EBADMSG;
		req->guarantee = rd32_at(&r, CPG_WIRE_MCAST_GUARANTEE);
		req->msglen = rd32_at(&r, CPG_WIRE_MCAST_MSGLEN);
		if (r.err || req->msglen != len - CPG_WIRE_MCAST_HDR)
			return -EBADMSG;
		wire_rd_seek(&r, CPG_WIRE_MCAST_HDR);
		wire_rd_ptr(&r, &req->payload, req->msglen);
		req->payload_len = req->msglen;
		break;
	case CPG_REQ_PARTIAL_MCAST:
		if (len < CPG_WIRE_PARTIAL_HDR)
			return -EBADMSG;
		req->guarantee = rd32_at(&r, CPG_WIRE_PARTIAL_GUARANTEE);
		req->msglen = rd32_at(&r, CPG_WIRE_PARTIAL_MSGLEN);
		fraglen = rd32_at(&r, CPG_WIRE_PARTIAL_FRAGLEN);
		req->frag_type = rd32_at(&r, CPG_WIRE_PARTIAL_TYPE);
		if (r.err || fraglen != len - CPG_WIRE_PARTIAL_HDR ||
		    fraglen > req->msglen)
			return -EBADMSG;
		wire_rd_seek(&r, CPG_WIRE_PARTIAL_HDR);
		wire_rd_ptr(&r, &req->payload, fraglen);
		req->payload_len = fraglen;
		break;
	default:
		break;
	}
	return r.err ? -EBADMSG : 0;
}

int ipc_req_decode_zc_mcast(const void *hdr, size_t len, uint32_t *guarantee,
			    uint32_t *msglen)
{
	struct wire_rd r;
	uint32_t id, size;

	wire_rd_init(&r, hdr, len);
	id = rd32_at(&r, CPG_WIRE_HDR_ID);
	size = rd32_at(&r, CPG_WIRE_HDR_SIZE);
	*guarantee = rd32_at(&r, CPG_WIRE_MCAST_GUARANTEE);
	*msglen = rd32_at(&r, CPG_WIRE_MCAST_MSGLEN);
	if (r.err || id != CPG_REQ_MCAST ||
	    (uint64_t)size != (uint64_t)*msglen + CPG_WIRE_MCAST_HDR)
		return -EBADMSG;
	return 0;
}

uint32_t ipc_cs_error(int rc)
{
	switch (rc) {
	case 0:
		return CS_OK;
	case -EEXIST:
		return CS_ERR_EXIST;
	case -EBUSY:
		return CS_ERR_BUSY;
	case -EAGAIN:
		return CS_ERR_TRY_AGAIN;
	case -ENAMETOOLONG:
		return CS_ERR_NAME_TOO_LONG;
	case -ENOENT:
		return CS_ERR_NOT_EXIST;
	case -EINTR:
		return CS_ERR_INTERRUPT;
	case -EINVAL:
	case -EBADMSG:
		return CS_ERR_INVALID_PARAM;
	case -ENOMEM:
		return CS_ERR_NO_MEMORY;
	case -EMSGSIZE:
		return CS_ERR_TOO_BIG;
	case -ENODATA:
		return CS_ERR_NO_SECTIONS;
	case -EBADF:
		/* what corosync answers for an unknown iteration handle */
		return CS_ERR_LIBRARY;
	case -EACCES:
	case -EPERM:
	case -ELOOP:
		return CS_ERR_ACCESS;
	case -ENOSPC:
		return CS_ERR_NO_RESOURCES;
	default:
		return CS_ERR_LIBRARY;
	}
}

static void wr_hdr(struct wire_wr *w, uint32_t id, size_t size, uint32_t err)
{
	wire_wr_seek(w, CPG_WIRE_HDR_ID);
	wire_wr_ne32(w, id);
	wire_wr_seek(w, CPG_WIRE_HDR_SIZE);
	wire_wr_ne32(w, (uint32_t)size);
	wire_wr_seek(w, CPG_WIRE_RES_ERROR);
	wire_wr_ne32(w, err);
}

static void wr_name(struct wire_wr *w, size_t off, const struct grp_gname *g)
{
	uint32_t n = g->len <= CPG_MAX_NAME_LENGTH ? g->len
						   : CPG_MAX_NAME_LENGTH;

	wire_wr_ne32_at(w, off, n);
	wire_wr_seek(w, off + CPG_WIRE_NAME_VALUE);
	wire_wr_bytes(w, g->value, n);
}

static void wr_addrs(struct wire_wr *w, size_t off, const struct grp_addr *a,
		     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t at = off + i * CPG_WIRE_ADDR_SIZE;

		wire_wr_ne32_at(w, at + CPG_WIRE_ADDR_NODEID, a[i].nodeid);
		wire_wr_ne32_at(w, at + CPG_WIRE_ADDR_PID, a[i].pid);
		wire_wr_ne32_at(w, at + CPG_WIRE_ADDR_REASON, a[i].reason);
	}
}

/* Zero the whole message, write its header; the writer ends at size. */
static int start(struct wire_wr *w, void *buf, size_t cap, size_t size,
		 uint32_t id, size_t size_field, uint32_t err)
{
	if (size > cap)
		return -EMSGSIZE;
	memset(buf, 0, size);
	wire_wr_init(w, buf, size);
	wr_hdr(w, id, size_field, err);
	return 0;
}

static int finish(struct wire_wr *w, size_t size)
{
	return w->err ? w->err : (int)size;
}

int ipc_res_encode(void *buf, size_t cap, uint32_t req_id, uint32_t err)
{
	const struct ipc_req_kind *kind = ipc_req_kind(req_id);
	struct wire_wr w;
	/* an unknown request is answered as corosync does: id 0, a header */
	size_t size = kind ? kind->res_size : CPG_WIRE_RES_HDR;

	if (start(&w, buf, cap, size, kind ? kind->res_id : 0, size, err))
		return -EMSGSIZE;
	return finish(&w, size);
}

int ipc_res_membership(void *buf, size_t cap, uint32_t err,
		       const struct grp_addr *m, size_t n)
{
	struct wire_wr w;
	size_t size = CPG_WIRE_MEMBERSHIP_RES_SIZE;

	if (n > CPG_WIRE_MEMBERS_MAX)
		n = CPG_WIRE_MEMBERS_MAX;
	if (start(&w, buf, cap, size, CPG_RES_MEMBERSHIP, size, err))
		return -EMSGSIZE;
	wire_wr_ne32_at(&w, CPG_WIRE_MEMBERSHIP_RES_COUNT, (uint32_t)n);
	wr_addrs(&w, CPG_WIRE_MEMBERSHIP_RES_LIST, m, n);
	return finish(&w, size);
}

/* A message of a fixed size whose one field is a 32-bit value at off. */
static int one_field(void *buf, size_t cap, uint32_t id, size_t size,
		     uint32_t err, size_t off, uint32_t v)
{
	struct wire_wr w;

	if (start(&w, buf, cap, size, id, size, err))
		return -EMSGSIZE;
	wire_wr_ne32_at(&w, off, v);
	return finish(&w, size);
}

int ipc_res_local_get(void *buf, size_t cap, uint32_t err, uint32_t nodeid)
{
	return one_field(buf, cap, CPG_RES_LOCAL_GET,
			 CPG_WIRE_LOCAL_GET_RES_SIZE, err,
			 CPG_WIRE_LOCAL_GET_RES_NODEID, nodeid);
}

int ipc_res_iter_init(void *buf, size_t cap, uint32_t err, uint64_t handle)
{
	struct wire_wr w;
	size_t size = CPG_WIRE_ITER_INIT_RES_SIZE;

	if (start(&w, buf, cap, size, CPG_RES_ITER_INIT, size, err))
		return -EMSGSIZE;
	wire_wr_seek(&w, CPG_WIRE_ITER_INIT_RES_HANDLE);
	wire_wr_ne64(&w, handle);
	return finish(&w, size);
}

int ipc_res_iter_next(void *buf, size_t cap, uint32_t err,
		      const struct grp_gname *g, uint32_t nodeid,
		      uint32_t pid)
{
	struct wire_wr w;
	size_t size = CPG_WIRE_ITER_NEXT_RES_SIZE;

	if (start(&w, buf, cap, size, CPG_RES_ITER_NEXT, size, err))
		return -EMSGSIZE;
	if (g) {
		wr_name(&w, CPG_WIRE_RES_HDR, g);
		wire_wr_ne32_at(&w,
			CPG_WIRE_RES_HDR + CPG_WIRE_ITER_DESC_NODEID, nodeid);
		wire_wr_ne32_at(&w,
			CPG_WIRE_RES_HDR + CPG_WIRE_ITER_DESC_PID, pid);
	}
	return finish(&w, size);
}

size_t ipc_ev_confchg_size(size_t n_members, size_t n_left, size_t n_joined)
{
	return CPG_WIRE_CONFCHG_HDR +
	       (n_members + n_left + n_joined) * CPG_WIRE_ADDR_SIZE;
}

int ipc_ev_confchg(void *buf, size_t cap, const struct grp_gname *g,
		   const struct grp_addr *members, size_t n_members,
		   const struct grp_addr *left, size_t n_left,
		   const struct grp_addr *joined, size_t n_joined)
{
	struct wire_wr w;
	size_t size = ipc_ev_confchg_size(n_members, n_left, n_joined);
	size_t off = CPG_WIRE_CONFCHG_HDR;

	if (start(&w, buf, cap, size, CPG_EV_CONFCHG, size, CS_OK))
		return -EMSGSIZE;
	wr_name(&w, CPG_WIRE_EV_NAME, g);
	wire_wr_ne32_at(&w, CPG_WIRE_CONFCHG_N_MEMBERS, (uint32_t)n_members);
	wire_wr_ne32_at(&w, CPG_WIRE_CONFCHG_N_JOINED, (uint32_t)n_joined);
	wire_wr_ne32_at(&w, CPG_WIRE_CONFCHG_N_LEFT, (uint32_t)n_left);
	/* members, then left, then joined */
	wr_addrs(&w, off, members, n_members);
	off += n_members * CPG_WIRE_ADDR_SIZE;
	wr_addrs(&w, off, left, n_left);
	off += n_left * CPG_WIRE_ADDR_SIZE;
	wr_addrs(&w, off, joined, n_joined);
	return finish(&w, size);
}

int ipc_ev_deliver_hdr(void *buf, size_t cap, const struct grp_gname *g,
		       uint32_t nodeid, uint32_t pid, size_t msglen)
{
	struct wire_wr w;
	size_t size = CPG_WIRE_DELIVER_HDR;

	if (msglen > UINT32_MAX - size)
		return -EMSGSIZE;
	if (start(&w, buf, cap, size, CPG_EV_DELIVER, size + msglen, CS_OK))
		return -EMSGSIZE;
	wr_name(&w, CPG_WIRE_EV_NAME, g);
	wire_wr_ne32_at(&w, CPG_WIRE_DELIVER_MSGLEN, (uint32_t)msglen);
	wire_wr_ne32_at(&w, CPG_WIRE_DELIVER_NODEID, nodeid);
	wire_wr_ne32_at(&w, CPG_WIRE_DELIVER_PID, pid);
	return finish(&w, size);
}

int ipc_ev_partial_hdr(void *buf, size_t cap, const struct grp_gname *g,
		       uint32_t nodeid, uint32_t pid, uint32_t msglen,
		       uint32_t type, size_t fraglen)
{
	struct wire_wr w;
	size_t size = CPG_WIRE_PARTIAL_DELIVER_HDR;

	if (fraglen > UINT32_MAX - size)
		return -EMSGSIZE;
	if (start(&w, buf, cap, size, CPG_EV_PARTIAL_DELIVER, size + fraglen,
		  CS_OK))
		return -EMSGSIZE;
	wr_name(&w, CPG_WIRE_EV_NAME, g);
	wire_wr_ne32_at(&w, CPG_WIRE_PDELIVER_MSGLEN, msglen);
	wire_wr_ne32_at(&w, CPG_WIRE_PDELIVER_FRAGLEN, (uint32_t)fraglen);
	wire_wr_ne32_at(&w, CPG_WIRE_PDELIVER_NODEID, nodeid);
	wire_wr_ne32_at(&w, CPG_WIRE_PDELIVER_PID, pid);
	wire_wr_ne32_at(&w, CPG_WIRE_PDELIVER_TYPE, type);
	return finish(&w, size);
}

size_t ipc_ev_totem_size(size_t n_members)
{
	return CPG_WIRE_TOTEM_HDR + n_members * 4;
}

int ipc_ev_totem(void *buf, size_t cap, uint32_t ring_rep, uint64_t ring_seq,
		 const uint32_t *members, size_t n_members)
{
	struct wire_wr w;
	size_t size = ipc_ev_totem_size(n_members);
	size_t i;

	if (start(&w, buf, cap, size, CPG_EV_TOTEM_CONFCHG, size, CS_OK))
		return -EMSGSIZE;
	wire_wr_ne32_at(&w, CPG_WIRE_TOTEM_RING_NODEID, ring_rep);
	wire_wr_seek(&w, CPG_WIRE_TOTEM_RING_SEQ);
	wire_wr_ne64(&w, ring_seq);
	wire_wr_ne32_at(&w, CPG_WIRE_TOTEM_COUNT, (uint32_t)n_members);
	for (i = 0; i < n_members; i++)
		wire_wr_ne32_at(&w, CPG_WIRE_TOTEM_MEMBERS + 4 * i, members[i]);
	return finish(&w, size);
}

int ipc_ev_flow(void *buf, size_t cap, uint32_t state)
{
	return one_field(buf, cap, CPG_EV_FLOWCONTROL, CPG_WIRE_FLOW_SIZE,
			 CS_OK, CPG_WIRE_FLOW_STATE, state);
}

int ipc_res_fast_hello(void *buf, size_t cap, uint32_t version)
{
	return one_field(buf, cap, CPG_RES_FAST_HELLO,
			 CPG_WIRE_FAST_HELLO_RES_SIZE, CS_OK,
			 CPG_WIRE_FAST_HELLO_RES_VERSION, version);
}

int ipc_ev_batch_hdr(void *buf, size_t cap, uint32_t count, size_t size)
{
	struct wire_wr w;

	if (size > UINT32_MAX || size < CPG_WIRE_BATCH_HDR)
		return -EMSGSIZE;
	if (start(&w, buf, cap, CPG_WIRE_BATCH_HDR, CPG_EV_BATCH, size,
		  CS_OK))
		return -EMSGSIZE;
	wire_wr_ne32_at(&w, CPG_WIRE_BATCH_COUNT, count);
	return finish(&w, CPG_WIRE_BATCH_HDR);
}
