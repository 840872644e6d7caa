#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpg_err.h"
#include "cpg_wire.h"

void cpg_wire_put_u32(uint8_t *buf, size_t off, uint32_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

void cpg_wire_put_u64(uint8_t *buf, size_t off, uint64_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

uint32_t cpg_wire_get_u32(const uint8_t *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

uint64_t cpg_wire_get_u64(const uint8_t *buf, size_t off)
{
	uint64_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

void cpg_wire_put_name(uint8_t *buf, size_t off, const struct cpg_name *name)
{
	/* The length goes as given: the daemon judges names over 128. */
	cpg_wire_put_u32(buf, off, name->length);
	memcpy(buf + off + CPG_WIRE_NAME_VALUE, name->value,
	       CPG_MAX_NAME_LENGTH);
}

static int get_name(const uint8_t *buf, size_t off, struct cpg_name *name)
{
	uint32_t length = cpg_wire_get_u32(buf, off);

	if (length > CPG_MAX_NAME_LENGTH)
		return -EBADMSG;
	name->length = length;
	memcpy(name->value, buf + off + CPG_WIRE_NAME_VALUE,
	       CPG_MAX_NAME_LENGTH);
	return 0;
}

static void put_req_hdr(uint8_t *buf, uint32_t id, uint32_t size)
{
	memset(buf, 0, size);
	cpg_wire_put_u32(buf, CPG_WIRE_HDR_ID, id);
	cpg_wire_put_u32(buf, CPG_WIRE_HDR_SIZE, size);
}

void cpg_wire_put_res_hdr(uint8_t *buf, uint32_t id, uint32_t size, uint32_t error)
{
	memset(buf, 0, CPG_WIRE_RES_HDR);
	cpg_wire_put_u32(buf, CPG_WIRE_HDR_ID, id);
	cpg_wire_put_u32(buf, CPG_WIRE_HDR_SIZE, size);
	cpg_wire_put_u32(buf, CPG_WIRE_RES_ERROR, error);
}

void cpg_wire_join(uint8_t out[CPG_WIRE_JOIN_SIZE],
	const struct cpg_name *group, uint32_t pid, uint32_t flags)
{
	put_req_hdr(out, CPG_REQ_JOIN, CPG_WIRE_JOIN_SIZE);
	cpg_wire_put_name(out, CPG_WIRE_REQ_NAME, group);
	cpg_wire_put_u32(out, CPG_WIRE_JOIN_PID, pid);
	cpg_wire_put_u32(out, CPG_WIRE_JOIN_FLAGS, flags);
}

void cpg_wire_leave(uint8_t out[CPG_WIRE_LEAVE_SIZE],
	const struct cpg_name *group, uint32_t pid)
{
	put_req_hdr(out, CPG_REQ_LEAVE, CPG_WIRE_LEAVE_SIZE);
	cpg_wire_put_name(out, CPG_WIRE_REQ_NAME, group);
	cpg_wire_put_u32(out, CPG_WIRE_LEAVE_PID, pid);
}

void cpg_wire_membership(uint8_t out[CPG_WIRE_MEMBERSHIP_SIZE],
	const struct cpg_name *group)
{
	put_req_hdr(out, CPG_REQ_MEMBERSHIP, CPG_WIRE_MEMBERSHIP_SIZE);
	cpg_wire_put_name(out, CPG_WIRE_REQ_NAME, group);
}

void cpg_wire_bare(uint8_t out[CPG_WIRE_REQ_HDR], enum cpg_req_id id)
{
	put_req_hdr(out, id, CPG_WIRE_REQ_HDR);
}

void cpg_wire_iter_init(uint8_t out[CPG_WIRE_ITER_INIT_SIZE],
	const struct cpg_name *group, uint32_t type)
{
	put_req_hdr(out, CPG_REQ_ITER_INIT, CPG_WIRE_ITER_INIT_SIZE);
	if (group)
		cpg_wire_put_name(out, CPG_WIRE_REQ_NAME, group);
	cpg_wire_put_u32(out, CPG_WIRE_ITER_INIT_TYPE, type);
}

void cpg_wire_iter_handle(uint8_t out[CPG_WIRE_ITER_HANDLE_SIZE],
	enum cpg_req_id id, uint64_t server_handle)
{
	put_req_hdr(out, id, CPG_WIRE_ITER_HANDLE_SIZE);
	cpg_wire_put_u64(out, CPG_WIRE_ITER_HANDLE, server_handle);
}

void cpg_wire_mcast_hdr(uint8_t out[CPG_WIRE_MCAST_HDR],
	uint32_t guarantee, uint32_t msglen)
{
	/* MCAST starts with a response-sized header (a quirk of the protocol) */
	memset(out, 0, CPG_WIRE_MCAST_HDR);
	cpg_wire_put_res_hdr(out, CPG_REQ_MCAST, CPG_WIRE_MCAST_HDR + msglen, 0);
	cpg_wire_put_u32(out, CPG_WIRE_MCAST_GUARANTEE, guarantee);
	cpg_wire_put_u32(out, CPG_WIRE_MCAST_MSGLEN, msglen);
}

void cpg_wire_partial_hdr(uint8_t out[CPG_WIRE_PARTIAL_HDR],
	uint32_t guarantee, uint32_t msglen, uint32_t fraglen, uint32_t type)
{
	memset(out, 0, CPG_WIRE_PARTIAL_HDR);
	cpg_wire_put_res_hdr(out, CPG_REQ_PARTIAL_MCAST,
		CPG_WIRE_PARTIAL_HDR + fraglen, 0);
	cpg_wire_put_u32(out, CPG_WIRE_PARTIAL_GUARANTEE, guarantee);
	cpg_wire_put_u32(out, CPG_WIRE_PARTIAL_MSGLEN, msglen);
	cpg_wire_put_u32(out, CPG_WIRE_PARTIAL_FRAGLEN, fraglen);
	cpg_wire_put_u32(out, CPG_WIRE_PARTIAL_TYPE, type);
}

int cpg_wire_zc_alloc(uint8_t out[CPG_WIRE_ZC_ALLOC_SIZE],
	uint64_t map_size, const char *path)
{
	size_t n = strlen(path);

	if (n >= CPG_WIRE_ZC_PATH_LEN)
		return -ENAMETOOLONG;
	put_req_hdr(out, CPG_REQ_ZC_ALLOC, CPG_WIRE_ZC_ALLOC_SIZE);
	cpg_wire_put_u64(out, CPG_WIRE_ZC_ALLOC_MAP_SIZE, map_size);
	memcpy(out + CPG_WIRE_ZC_ALLOC_PATH, path, n);
	return 0;
}

void cpg_wire_zc_free(uint8_t out[CPG_WIRE_ZC_FREE_SIZE],
	uint64_t map_size, uint64_t server_address)
{
	put_req_hdr(out, CPG_REQ_ZC_FREE, CPG_WIRE_ZC_FREE_SIZE);
	cpg_wire_put_u64(out, CPG_WIRE_ZC_FREE_MAP_SIZE, map_size);
	cpg_wire_put_u64(out, CPG_WIRE_ZC_FREE_ADDR, server_address);
}

void cpg_wire_zc_execute(uint8_t out[CPG_WIRE_ZC_EXECUTE_SIZE],
	uint64_t server_address)
{
	put_req_hdr(out, CPG_REQ_ZC_EXECUTE, CPG_WIRE_ZC_EXECUTE_SIZE);
	cpg_wire_put_u64(out, CPG_WIRE_ZC_EXECUTE_ADDR, server_address);
}

void cpg_wire_zc_hdr_set(uint8_t *map, uint32_t map_size)
{
	cpg_wire_put_u32(map, CPG_WIRE_ZC_HDR_MAP_SIZE, map_size);
}

uint64_t cpg_wire_zc_server_address(const uint8_t *map)
{
	return cpg_wire_get_u64(map, CPG_WIRE_ZC_HDR_ADDR);
}

int cpg_wire_res_check(const uint8_t *buf, size_t len,
	enum cpg_res_id id, size_t min_len)
{
	int rc;

	if (len < CPG_WIRE_RES_HDR ||
	    cpg_wire_get_u32(buf, CPG_WIRE_HDR_ID) != (uint32_t)id ||
	    cpg_wire_get_u32(buf, CPG_WIRE_HDR_SIZE) != len)
		return -EBADMSG;
	rc = cpg_err_from_cs((int)cpg_wire_get_u32(buf, CPG_WIRE_RES_ERROR));
	/* a refusal may come as a bare header; an answer must be complete */
	if (rc == 0 && len < min_len)
		return -EBADMSG;
	return rc;
}

int cpg_wire_res_zc(const uint8_t *buf, size_t len, enum cpg_res_id id)
{
	if (len < CPG_WIRE_RES_HDR)
		return -EBADMSG;
	if (cpg_wire_get_u32(buf, CPG_WIRE_HDR_ID) != (uint32_t)id ||
	    cpg_wire_get_u32(buf, CPG_WIRE_HDR_SIZE) != len)
		return 0;
	return cpg_err_from_cs((int)cpg_wire_get_u32(buf, CPG_WIRE_RES_ERROR));
}

uint32_t cpg_wire_res_local_nodeid(const uint8_t *buf)
{
	return cpg_wire_get_u32(buf, CPG_WIRE_LOCAL_GET_RES_NODEID);
}

uint64_t cpg_wire_res_iter_handle(const uint8_t *buf)
{
	return cpg_wire_get_u64(buf, CPG_WIRE_ITER_INIT_RES_HANDLE);
}

void cpg_wire_res_iter_desc(const uint8_t *buf,
	struct cpg_iteration_description_t *desc)
{
	memset(desc, 0, sizeof(*desc));
	desc->group.length = cpg_wire_get_u32(buf, CPG_WIRE_RES_HDR);
	if (desc->group.length > CPG_MAX_NAME_LENGTH)
		desc->group.length = CPG_MAX_NAME_LENGTH;
	memcpy(desc->group.value, buf + CPG_WIRE_RES_HDR + CPG_WIRE_NAME_VALUE,
		CPG_MAX_NAME_LENGTH);
	desc->nodeid = cpg_wire_get_u32(buf,
		CPG_WIRE_RES_HDR + CPG_WIRE_ITER_DESC_NODEID);
	desc->pid = cpg_wire_get_u32(buf,
		CPG_WIRE_RES_HDR + CPG_WIRE_ITER_DESC_PID);
}

static void get_addr(const uint8_t *buf, size_t off, struct cpg_address *a)
{
	a->nodeid = cpg_wire_get_u32(buf, off + CPG_WIRE_ADDR_NODEID);
	a->pid = cpg_wire_get_u32(buf, off + CPG_WIRE_ADDR_PID);
	a->reason = cpg_wire_get_u32(buf, off + CPG_WIRE_ADDR_REASON);
}

int cpg_wire_res_members(const uint8_t *buf, size_t len,
	struct cpg_address *list, size_t room, size_t *count)
{
	uint32_t n;
	size_t i;

	if (len < CPG_WIRE_MEMBERSHIP_RES_LIST)
		return -EBADMSG;
	n = cpg_wire_get_u32(buf, CPG_WIRE_MEMBERSHIP_RES_COUNT);
	if (n > CPG_WIRE_MEMBERS_MAX ||
	    n > (len - CPG_WIRE_MEMBERSHIP_RES_LIST) / CPG_WIRE_ADDR_SIZE)
		return -EBADMSG;
	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		get_addr(buf,
			 CPG_WIRE_MEMBERSHIP_RES_LIST + i * CPG_WIRE_ADDR_SIZE,
			 &list[i]);
	*count = n;
	return 0;
}

static int decode_confchg(uint8_t *buf, size_t len, struct cpg_event *ev)
{
	uint32_t m, j, l;
	size_t room, i, total;
	struct cpg_address *addrs;

	if (len < CPG_WIRE_CONFCHG_HDR)
		return -EBADMSG;
	m = cpg_wire_get_u32(buf, CPG_WIRE_CONFCHG_N_MEMBERS);
	j = cpg_wire_get_u32(buf, CPG_WIRE_CONFCHG_N_JOINED);
	l = cpg_wire_get_u32(buf, CPG_WIRE_CONFCHG_N_LEFT);
	room = (len - CPG_WIRE_CONFCHG_HDR) / CPG_WIRE_ADDR_SIZE;
	/* each count alone first, so that the sum cannot overflow */
	if (m > room || j > room || l > room || (size_t)m + j + l > room)
		return -EBADMSG;
	total = (size_t)m + j + l;
	addrs = calloc(total ? total : 1, sizeof(*addrs));
	if (!addrs)
		return -ENOMEM;
	for (i = 0; i < total; i++)
		get_addr(buf, CPG_WIRE_CONFCHG_HDR + i * CPG_WIRE_ADDR_SIZE,
			&addrs[i]);
	/* on the wire: members, then left, then joined */
	ev->alloc = addrs;
	ev->members = addrs;
	ev->n_members = m;
	ev->left = addrs + m;
	ev->n_left = l;
	ev->joined = addrs + m + l;
	ev->n_joined = j;
	return 0;
}

static int decode_deliver(uint8_t *buf, size_t len, struct cpg_event *ev)
{
	if (len < CPG_WIRE_DELIVER_HDR)
		return -EBADMSG;
	ev->msglen = cpg_wire_get_u32(buf, CPG_WIRE_DELIVER_MSGLEN);
	ev->nodeid = cpg_wire_get_u32(buf, CPG_WIRE_DELIVER_NODEID);
	ev->pid = cpg_wire_get_u32(buf, CPG_WIRE_DELIVER_PID);
	if (ev->msglen != len - CPG_WIRE_DELIVER_HDR)
		return -EBADMSG;
	ev->data = buf + CPG_WIRE_DELIVER_HDR;
	ev->data_len = ev->msglen;
	return 0;
}

static int decode_partial(uint8_t *buf, size_t len, struct cpg_event *ev)
{
	uint32_t fraglen;

	if (len < CPG_WIRE_PARTIAL_DELIVER_HDR)
		return -EBADMSG;
	ev->msglen = cpg_wire_get_u32(buf, CPG_WIRE_PDELIVER_MSGLEN);
	fraglen = cpg_wire_get_u32(buf, CPG_WIRE_PDELIVER_FRAGLEN);
	ev->nodeid = cpg_wire_get_u32(buf, CPG_WIRE_PDELIVER_NODEID);
	ev->pid = cpg_wire_get_u32(buf, CPG_WIRE_PDELIVER_PID);
	ev->frag_type = cpg_wire_get_u32(buf, CPG_WIRE_PDELIVER_TYPE);
	if (fraglen != len - CPG_WIRE_PARTIAL_DELIVER_HDR ||
	    fraglen > ev->msglen ||
	    ev->frag_type < CPG_FRAG_FIRST || ev->frag_type > CPG_FRAG_LAST)
		return -EBADMSG;
	ev->data = buf + CPG_WIRE_PARTIAL_DELIVER_HDR;
	ev->data_len = fraglen;
	return 0;
}

static int decode_totem(const uint8_t *buf, size_t len, struct cpg_event *ev)
{
	uint32_t n, i;
	uint32_t *nodes;

	if (len < CPG_WIRE_TOTEM_MEMBERS)
		return -EBADMSG;
	ev->ring.nodeid = cpg_wire_get_u32(buf, CPG_WIRE_TOTEM_RING_NODEID);
	ev->ring.seq = cpg_wire_get_u64(buf, CPG_WIRE_TOTEM_RING_SEQ);
	n = cpg_wire_get_u32(buf, CPG_WIRE_TOTEM_COUNT);
	if (n > (len - CPG_WIRE_TOTEM_MEMBERS) / 4)
		return -EBADMSG;
	nodes = calloc(n ? n : 1, sizeof(*nodes));
	if (!nodes)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		nodes[i] = cpg_wire_get_u32(buf,
			CPG_WIRE_TOTEM_MEMBERS + (size_t)i * 4);
	ev->alloc = nodes;
	ev->nodes = nodes;
	ev->n_nodes = n;
	return 0;
}

int cpg_wire_event_decode(uint8_t *buf, size_t len, struct cpg_event *ev)
{
	int rc;

	memset(ev, 0, sizeof(*ev));
	if (len < CPG_WIRE_RES_HDR ||
	    cpg_wire_get_u32(buf, CPG_WIRE_HDR_SIZE) != len)
		return -EBADMSG;
	ev->id = (enum cpg_res_id)cpg_wire_get_u32(buf, CPG_WIRE_HDR_ID);

	switch (ev->id) {
	case CPG_EV_CONFCHG:
	case CPG_EV_DELIVER:
	case CPG_EV_PARTIAL_DELIVER:
		if (len < CPG_WIRE_EV_NAME + CPG_WIRE_NAME_SIZE)
			return -EBADMSG;
		rc = get_name(buf, CPG_WIRE_EV_NAME, &ev->group);
		if (rc < 0)
			return rc;
		if (ev->id == CPG_EV_CONFCHG)
			return decode_confchg(buf, len, ev);
		if (ev->id == CPG_EV_DELIVER)
			return decode_deliver(buf, len, ev);
		return decode_partial(buf, len, ev);
	case CPG_EV_TOTEM_CONFCHG:
		return decode_totem(buf, len, ev);
	case CPG_EV_FLOWCONTROL:
		if (len < CPG_WIRE_FLOW_STATE + 4)
			return -EBADMSG;
		ev->flow_control = cpg_wire_get_u32(buf, CPG_WIRE_FLOW_STATE);
		return 0;
	default:
		return -ENOTSUP;
	}
}

void cpg_wire_event_release(struct cpg_event *ev)
{
	free(ev->alloc);
	ev->alloc = NULL;
}

void cpg_wire_fast_hello(uint8_t out[CPG_WIRE_FAST_HELLO_SIZE],
	uint32_t version)
{
	put_req_hdr(out, CPG_REQ_FAST_HELLO, CPG_WIRE_FAST_HELLO_SIZE);
	cpg_wire_put_u32(out, CPG_WIRE_FAST_HELLO_VERSION, version);
}

int cpg_wire_res_fast_hello(const uint8_t *buf, size_t len,
	uint32_t *version)
{
	if (len < CPG_WIRE_RES_HDR)
		return -EBADMSG;
	if (len != CPG_WIRE_FAST_HELLO_RES_SIZE ||
	    cpg_wire_get_u32(buf, CPG_WIRE_HDR_ID) != CPG_RES_FAST_HELLO ||
	    cpg_wire_get_u32(buf, CPG_WIRE_HDR_SIZE) != len ||
	    cpg_wire_get_u32(buf, CPG_WIRE_RES_ERROR) != CS_OK)
		return 0;
	*version = cpg_wire_get_u32(buf, CPG_WIRE_FAST_HELLO_RES_VERSION);
	return *version >= 1 && *version <= CPG_FAST_VERSION;
}

int cpg_wire_is_batch(const uint8_t *buf, size_t len)
{
	return len >= CPG_WIRE_RES_HDR &&
		cpg_wire_get_u32(buf, CPG_WIRE_HDR_ID) == CPG_EV_BATCH;
}

int cpg_wire_batch_open(struct cpg_batch *b, uint8_t *buf, size_t len)
{
	uint32_t count;

	memset(b, 0, sizeof(*b));
	if (len < CPG_WIRE_BATCH_HDR ||
	    cpg_wire_get_u32(buf, CPG_WIRE_HDR_ID) != CPG_EV_BATCH ||
	    cpg_wire_get_u32(buf, CPG_WIRE_HDR_SIZE) != len ||
	    cpg_wire_get_u32(buf, CPG_WIRE_BATCH_ZERO) != 0)
		return -EBADMSG;
	count = cpg_wire_get_u32(buf, CPG_WIRE_BATCH_COUNT);
	/* each item is at least a response header */
	if (count == 0 || count > (len - CPG_WIRE_BATCH_HDR) / CPG_WIRE_RES_HDR)
		return -EBADMSG;
	b->buf = buf;
	b->len = len;
	b->off = CPG_WIRE_BATCH_HDR;
	b->left = count;
	return 0;
}

int cpg_wire_batch_next(struct cpg_batch *b, uint8_t **item, size_t *len)
{
	size_t room, size, padded;

	if (!b->left)
		return 0;
	room = b->len - b->off;
	size = room >= CPG_WIRE_RES_HDR ?
		cpg_wire_get_u32(b->buf, b->off + CPG_WIRE_HDR_SIZE) : 0;
	padded = (size + CPG_WIRE_BATCH_ALIGN - 1) &
		~(size_t)(CPG_WIRE_BATCH_ALIGN - 1);
	/* a header, inside the batch, not a batch itself; the last item
	 * ends the batch exactly */
	if (size < CPG_WIRE_RES_HDR || padded > room ||
	    cpg_wire_get_u32(b->buf, b->off + CPG_WIRE_HDR_ID) ==
		CPG_EV_BATCH ||
	    (b->left == 1 && padded != room)) {
		b->left = 0;
		return -EBADMSG;
	}
	*item = b->buf + b->off;
	*len = size;
	b->off += padded;
	b->left--;
	return 1;
}
