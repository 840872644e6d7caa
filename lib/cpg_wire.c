/* The CPG client protocol, library side; see cpg_wire.h.  Every field goes
 * through the bounds-checked cursor of wire/wire.h at the named offsets of
 * cpgd/cpg_proto.h. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpg_err.h"
#include "cpg_wire.h"
#include "wire/wire.h"

static void put_name(struct wire_wr *w, size_t off, const struct cpg_name *name)
{
	/* The length goes as given: the daemon judges names over 128. */
	wire_wr_ne32_at(w, off, name->length);
	wire_wr_seek(w, off + CPG_WIRE_NAME_VALUE);
	wire_wr_bytes(w, name->value, CPG_MAX_NAME_LENGTH);
}

static int get_name(struct wire_rd *r, size_t off, struct cpg_name *name)
{
	uint32_t length = 0;

	if (wire_rd_ne32_at(r, off, &length) || length > CPG_MAX_NAME_LENGTH)
		return -EBADMSG;
	name->length = length;
	wire_rd_seek(r, off + CPG_WIRE_NAME_VALUE);
	return wire_rd_bytes(r, name->value, CPG_MAX_NAME_LENGTH);
}

/* A request of size bytes, zeroed, with its header. */
static void put_req_hdr(struct wire_wr *w, uint8_t *buf, uint32_t id,
	uint32_t size)
{
	memset(buf, 0, size);
	wire_wr_init(w, buf, size);
	wire_wr_ne32_at(w, CPG_WIRE_HDR_ID, id);
	wire_wr_ne32_at(w, CPG_WIRE_HDR_SIZE, size);
}

/* A response-sized header over hdr_len zeroed bytes (MCAST's quirk). */
static void put_res_hdr(struct wire_wr *w, uint8_t *buf, size_t hdr_len,
	uint32_t id, uint32_t size)
{
	memset(buf, 0, hdr_len);
	wire_wr_init(w, buf, hdr_len);
	wire_wr_ne32_at(w, CPG_WIRE_HDR_ID, id);
	wire_wr_ne32_at(w, CPG_WIRE_HDR_SIZE, size);
}

/* JOIN and LEAVE: the group, then the pid (at the same offset in both). */
_Static_assert(CPG_WIRE_JOIN_PID == CPG_WIRE_LEAVE_PID, "pid offsets");
static void put_group_pid(struct wire_wr *w, uint8_t *out, uint32_t id,
	uint32_t size, const struct cpg_name *group, uint32_t pid)
{
	put_req_hdr(w, out, id, size);
	put_name(w, CPG_WIRE_REQ_NAME, group);
	wire_wr_ne32_at(w, CPG_WIRE_LEAVE_PID, pid);
}

void cpg_wire_join(uint8_t out[CPG_WIRE_JOIN_SIZE],
	const struct cpg_name *group, uint32_t pid, uint32_t flags)
{
	struct wire_wr w;

	put_group_pid(&w, out, CPG_REQ_JOIN, CPG_WIRE_JOIN_SIZE, group, pid);
	wire_wr_ne32_at(&w, CPG_WIRE_JOIN_FLAGS, flags);
}

void cpg_wire_leave(uint8_t out[CPG_WIRE_LEAVE_SIZE],
	const struct cpg_name *group, uint32_t pid)
{
	struct wire_wr w;

	put_group_pid(&w, out, CPG_REQ_LEAVE, CPG_WIRE_LEAVE_SIZE, group, pid);
}

void cpg_wire_membership(uint8_t out[CPG_WIRE_MEMBERSHIP_SIZE],
	const struct cpg_name *group)
{
	struct wire_wr w;

	put_req_hdr(&w, out, CPG_REQ_MEMBERSHIP, CPG_WIRE_MEMBERSHIP_SIZE);
	put_name(&w, CPG_WIRE_REQ_NAME, group);
}

void cpg_wire_bare(uint8_t out[CPG_WIRE_REQ_HDR], enum cpg_req_id id)
{
	struct wire_wr w;

	put_req_hdr(&w, out, id, CPG_WIRE_REQ_HDR);
}

void cpg_wire_ring_open(uint8_t out[CPG_WIRE_RING_OPEN_SIZE], uint32_t fd,
	uint32_t size)
{
	struct wire_wr w;

	put_req_hdr(&w, out, CPG_REQ_RING_OPEN, CPG_WIRE_RING_OPEN_SIZE);
	wire_wr_ne32_at(&w, CPG_WIRE_RING_OPEN_FD, fd);
	wire_wr_ne32_at(&w, CPG_WIRE_RING_OPEN_DATA, size);
}

void cpg_wire_iter_init(uint8_t out[CPG_WIRE_ITER_INIT_SIZE],
	const struct cpg_name *group, uint32_t type)
{
	struct wire_wr w;

	put_req_hdr(&w, out, CPG_REQ_ITER_INIT, CPG_WIRE_ITER_INIT_SIZE);
	if (group)
		put_name(&w, CPG_WIRE_REQ_NAME, group);
	wire_wr_ne32_at(&w, CPG_WIRE_ITER_INIT_TYPE, type);
}

void cpg_wire_iter_handle(uint8_t out[CPG_WIRE_ITER_HANDLE_SIZE],
	enum cpg_req_id id, uint64_t server_handle)
{
	struct wire_wr w;

	put_req_hdr(&w, out, id, CPG_WIRE_ITER_HANDLE_SIZE);
	wire_wr_ne64_at(&w, CPG_WIRE_ITER_HANDLE, server_handle);
}

void cpg_wire_mcast_hdr(uint8_t out[CPG_WIRE_MCAST_HDR],
	uint32_t guarantee, uint32_t msglen)
{
	struct wire_wr w;

	/* MCAST starts with a response-sized header (a quirk of the protocol) */
	put_res_hdr(&w, out, CPG_WIRE_MCAST_HDR, CPG_REQ_MCAST,
		CPG_WIRE_MCAST_HDR + msglen);
	wire_wr_ne32_at(&w, CPG_WIRE_MCAST_GUARANTEE, guarantee);
	wire_wr_ne32_at(&w, CPG_WIRE_MCAST_MSGLEN, msglen);
}

void cpg_wire_partial_hdr(uint8_t out[CPG_WIRE_PARTIAL_HDR],
	uint32_t guarantee, uint32_t msglen, uint32_t fraglen, uint32_t type)
{
	struct wire_wr w;

	put_res_hdr(&w, out, CPG_WIRE_PARTIAL_HDR, CPG_REQ_PARTIAL_MCAST,
		CPG_WIRE_PARTIAL_HDR + fraglen);
	wire_wr_ne32_at(&w, CPG_WIRE_PARTIAL_GUARANTEE, guarantee);
	wire_wr_ne32_at(&w, CPG_WIRE_PARTIAL_MSGLEN, msglen);
	wire_wr_ne32_at(&w, CPG_WIRE_PARTIAL_FRAGLEN, fraglen);
	wire_wr_ne32_at(&w, CPG_WIRE_PARTIAL_TYPE, type);
}

int cpg_wire_zc_alloc(uint8_t out[CPG_WIRE_ZC_ALLOC_SIZE],
	uint64_t map_size, const char *path)
{
	struct wire_wr w;
	size_t n = strlen(path);

	if (n >= CPG_WIRE_ZC_PATH_LEN)
		return -ENAMETOOLONG;
	put_req_hdr(&w, out, CPG_REQ_ZC_ALLOC, CPG_WIRE_ZC_ALLOC_SIZE);
	wire_wr_ne64_at(&w, CPG_WIRE_ZC_ALLOC_MAP_SIZE, map_size);
	wire_wr_seek(&w, CPG_WIRE_ZC_ALLOC_PATH);
	wire_wr_bytes(&w, path, n);
	return 0;
}

void cpg_wire_zc_free(uint8_t out[CPG_WIRE_ZC_FREE_SIZE],
	uint64_t map_size, uint64_t server_address)
{
	struct wire_wr w;

	put_req_hdr(&w, out, CPG_REQ_ZC_FREE, CPG_WIRE_ZC_FREE_SIZE);
	wire_wr_ne64_at(&w, CPG_WIRE_ZC_FREE_MAP_SIZE, map_size);
	wire_wr_ne64_at(&w, CPG_WIRE_ZC_FREE_ADDR, server_address);
}

void cpg_wire_zc_execute(uint8_t out[CPG_WIRE_ZC_EXECUTE_SIZE],
	uint64_t server_address)
{
	struct wire_wr w;

	put_req_hdr(&w, out, CPG_REQ_ZC_EXECUTE, CPG_WIRE_ZC_EXECUTE_SIZE);
	wire_wr_ne64_at(&w, CPG_WIRE_ZC_EXECUTE_ADDR, server_address);
}

void cpg_wire_zc_hdr_set(uint8_t map[CPG_WIRE_ZC_HDR], uint32_t map_size)
{
	struct wire_wr w;

	wire_wr_init(&w, map, CPG_WIRE_ZC_HDR);
	wire_wr_ne32_at(&w, CPG_WIRE_ZC_HDR_MAP_SIZE, map_size);
}

uint64_t cpg_wire_zc_server_address(const uint8_t map[CPG_WIRE_ZC_HDR])
{
	struct wire_rd r;
	uint64_t addr = 0;

	wire_rd_init(&r, map, CPG_WIRE_ZC_HDR);
	wire_rd_ne64_at(&r, CPG_WIRE_ZC_HDR_ADDR, &addr);
	return addr;
}

/* The id, size and error of a response or event header: 0, or -EBADMSG
 * when shorter than a header. */
static int get_res_hdr(struct wire_rd *r, uint32_t *id, uint32_t *size,
	uint32_t *error)
{
	wire_rd_count(r, 1, CPG_WIRE_RES_HDR);
	wire_rd_ne32_at(r, CPG_WIRE_HDR_ID, id);
	wire_rd_ne32_at(r, CPG_WIRE_HDR_SIZE, size);
	wire_rd_ne32_at(r, CPG_WIRE_RES_ERROR, error);
	return r->err;
}

int cpg_wire_res_check(const uint8_t *buf, size_t len,
	enum cpg_res_id id, size_t min_len)
{
	struct wire_rd r;
	uint32_t got_id = 0, size = 0, error = 0;
	int rc;

	wire_rd_init(&r, buf, len);
	if (get_res_hdr(&r, &got_id, &size, &error) ||
	    got_id != (uint32_t)id || size != len)
		return -EBADMSG;
	rc = cpg_err_from_cs((int)error);
	/* a refusal may come as a bare header; an answer must be complete */
	if (rc == 0 && len < min_len)
		return -EBADMSG;
	return rc;
}

int cpg_wire_res_zc(const uint8_t *buf, size_t len, enum cpg_res_id id)
{
	struct wire_rd r;
	uint32_t got_id = 0, size = 0, error = 0;

	wire_rd_init(&r, buf, len);
	if (get_res_hdr(&r, &got_id, &size, &error))
		return -EBADMSG;
	if (got_id != (uint32_t)id || size != len)
		return 0;
	return cpg_err_from_cs((int)error);
}

int cpg_wire_res_local_nodeid(const uint8_t *buf, size_t len,
	uint32_t *nodeid)
{
	struct wire_rd r;

	wire_rd_init(&r, buf, len);
	return wire_rd_ne32_at(&r, CPG_WIRE_LOCAL_GET_RES_NODEID, nodeid);
}

int cpg_wire_res_iter_handle(const uint8_t *buf, size_t len,
	uint64_t *handle)
{
	struct wire_rd r;

	wire_rd_init(&r, buf, len);
	return wire_rd_ne64_at(&r, CPG_WIRE_ITER_INIT_RES_HANDLE, handle);
}

int cpg_wire_res_iter_desc(const uint8_t *buf, size_t len,
	struct cpg_iteration_description_t *desc)
{
	struct wire_rd r;
	uint32_t length = 0;

	memset(desc, 0, sizeof(*desc));
	if (wire_rd_init_min(&r, buf, len, CPG_WIRE_ITER_NEXT_RES_SIZE))
		return -EBADMSG;
	wire_rd_ne32_at(&r, CPG_WIRE_RES_HDR, &length);
	desc->group.length = length > CPG_MAX_NAME_LENGTH ?
		CPG_MAX_NAME_LENGTH : length;
	wire_rd_seek(&r, CPG_WIRE_RES_HDR + CPG_WIRE_NAME_VALUE);
	wire_rd_bytes(&r, desc->group.value, CPG_MAX_NAME_LENGTH);
	wire_rd_ne32_at(&r, CPG_WIRE_RES_HDR + CPG_WIRE_ITER_DESC_NODEID,
		&desc->nodeid);
	wire_rd_ne32_at(&r, CPG_WIRE_RES_HDR + CPG_WIRE_ITER_DESC_PID,
		&desc->pid);
	return r.err;
}

/* The addresses of a list: the caller has checked that n of them follow. */
static void get_addrs(struct wire_rd *r, size_t n, struct cpg_address *a)
{
	size_t i, off = r->off;
	uint32_t v = 0;

	for (i = 0; i < n; i++, off += CPG_WIRE_ADDR_SIZE) {
		wire_rd_ne32_at(r, off + CPG_WIRE_ADDR_NODEID, &v);
		a[i].nodeid = v;
		wire_rd_ne32_at(r, off + CPG_WIRE_ADDR_PID, &v);
		a[i].pid = v;
		wire_rd_ne32_at(r, off + CPG_WIRE_ADDR_REASON, &v);
		a[i].reason = v;
	}
}

int cpg_wire_res_members(const uint8_t *buf, size_t len,
	struct cpg_address *list, size_t room, size_t *count)
{
	struct wire_rd r;
	uint32_t n = 0;

	wire_rd_init(&r, buf, len);
	wire_rd_ne32_at(&r, CPG_WIRE_MEMBERSHIP_RES_COUNT, &n);
	wire_rd_seek(&r, CPG_WIRE_MEMBERSHIP_RES_LIST);
	if (r.err || n > CPG_WIRE_MEMBERS_MAX ||
	    wire_rd_count(&r, n, CPG_WIRE_ADDR_SIZE))
		return -EBADMSG;
	if (n > room)
		n = (uint32_t)room;
	get_addrs(&r, n, list);
	if (r.err)
		return -EBADMSG;
	*count = n;
	return 0;
}

static int decode_confchg(struct wire_rd *r, struct cpg_event *ev)
{
	uint32_t m = 0, j = 0, l = 0;
	size_t total;
	struct cpg_address *addrs;

	wire_rd_ne32_at(r, CPG_WIRE_CONFCHG_N_MEMBERS, &m);
	wire_rd_ne32_at(r, CPG_WIRE_CONFCHG_N_JOINED, &j);
	wire_rd_ne32_at(r, CPG_WIRE_CONFCHG_N_LEFT, &l);
	wire_rd_seek(r, CPG_WIRE_CONFCHG_HDR);
	/* the sum of three u32 cannot overflow 64 bits */
	total = (size_t)m + j + l;
	if (r->err || wire_rd_count(r, (uint64_t)m + j + l, CPG_WIRE_ADDR_SIZE))
		return -EBADMSG;
	addrs = calloc(total ? total : 1, sizeof(*addrs));
	if (!addrs)
		return -ENOMEM;
	get_addrs(r, total, addrs);
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

static int decode_deliver(struct wire_rd *r, uint8_t *buf,
	struct cpg_event *ev)
{
	wire_rd_ne32_at(r, CPG_WIRE_DELIVER_MSGLEN, &ev->msglen);
	wire_rd_ne32_at(r, CPG_WIRE_DELIVER_NODEID, &ev->nodeid);
	wire_rd_ne32_at(r, CPG_WIRE_DELIVER_PID, &ev->pid);
	wire_rd_seek(r, CPG_WIRE_DELIVER_HDR);
	if (r->err || ev->msglen != wire_rd_left(r))
		return -EBADMSG;
	ev->data = buf + CPG_WIRE_DELIVER_HDR;
	ev->data_len = ev->msglen;
	return 0;
}

static int decode_partial(struct wire_rd *r, uint8_t *buf,
	struct cpg_event *ev)
{
	uint32_t fraglen = 0;

	wire_rd_ne32_at(r, CPG_WIRE_PDELIVER_MSGLEN, &ev->msglen);
	wire_rd_ne32_at(r, CPG_WIRE_PDELIVER_FRAGLEN, &fraglen);
	wire_rd_ne32_at(r, CPG_WIRE_PDELIVER_NODEID, &ev->nodeid);
	wire_rd_ne32_at(r, CPG_WIRE_PDELIVER_PID, &ev->pid);
	wire_rd_ne32_at(r, CPG_WIRE_PDELIVER_TYPE, &ev->frag_type);
	wire_rd_seek(r, CPG_WIRE_PARTIAL_DELIVER_HDR);
	if (r->err || fraglen != wire_rd_left(r) || fraglen > ev->msglen ||
	    ev->frag_type < CPG_FRAG_FIRST || ev->frag_type > CPG_FRAG_LAST)
		return -EBADMSG;
	ev->data = buf + CPG_WIRE_PARTIAL_DELIVER_HDR;
	ev->data_len = fraglen;
	return 0;
}

static int decode_totem(struct wire_rd *r, struct cpg_event *ev)
{
	uint32_t n = 0, i, v = 0;
	uint64_t seq = 0;
	uint32_t *nodes;

	wire_rd_ne32_at(r, CPG_WIRE_TOTEM_RING_NODEID, &v);
	wire_rd_ne64_at(r, CPG_WIRE_TOTEM_RING_SEQ, &seq);
	wire_rd_ne32_at(r, CPG_WIRE_TOTEM_COUNT, &n);
	wire_rd_seek(r, CPG_WIRE_TOTEM_MEMBERS);
	if (r->err || wire_rd_count(r, n, 4))
		return -EBADMSG;
	ev->ring.nodeid = v;
	ev->ring.seq = seq;
	nodes = calloc(n ? n : 1, sizeof(*nodes));
	if (!nodes)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		wire_rd_ne32(r, &nodes[i]);
	ev->alloc = nodes;
	ev->nodes = nodes;
	ev->n_nodes = n;
	return 0;
}

int cpg_wire_event_decode(uint8_t *buf, size_t len, struct cpg_event *ev)
{
	struct wire_rd r;
	uint32_t id = 0, size = 0, error = 0;

	memset(ev, 0, sizeof(*ev));
	wire_rd_init(&r, buf, len);
	if (get_res_hdr(&r, &id, &size, &error) || size != len)
		return -EBADMSG;
	ev->id = (enum cpg_res_id)id;

	switch (ev->id) {
	case CPG_EV_CONFCHG:
	case CPG_EV_DELIVER:
	case CPG_EV_PARTIAL_DELIVER:
		if (get_name(&r, CPG_WIRE_EV_NAME, &ev->group))
			return -EBADMSG;
		if (ev->id == CPG_EV_CONFCHG)
			return decode_confchg(&r, ev);
		if (ev->id == CPG_EV_DELIVER)
			return decode_deliver(&r, buf, ev);
		return decode_partial(&r, buf, ev);
	case CPG_EV_TOTEM_CONFCHG:
		return decode_totem(&r, ev);
	case CPG_EV_FLOWCONTROL:
		return wire_rd_ne32_at(&r, CPG_WIRE_FLOW_STATE,
			&ev->flow_control) ? -EBADMSG : 0;
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
	struct wire_wr w;

	put_req_hdr(&w, out, CPG_REQ_FAST_HELLO, CPG_WIRE_FAST_HELLO_SIZE);
	wire_wr_ne32_at(&w, CPG_WIRE_FAST_HELLO_VERSION, version);
}

int cpg_wire_res_fast_hello(const uint8_t *buf, size_t len,
	uint32_t *version)
{
	struct wire_rd r;
	uint32_t id = 0, size = 0, error = 0;

	wire_rd_init(&r, buf, len);
	if (get_res_hdr(&r, &id, &size, &error))
		return -EBADMSG;
	if (len != CPG_WIRE_FAST_HELLO_RES_SIZE || id != CPG_RES_FAST_HELLO ||
	    size != len || error != CS_OK ||
	    wire_rd_ne32_at(&r, CPG_WIRE_FAST_HELLO_RES_VERSION, version))
		return 0;
	return *version >= 1 && *version <= CPG_FAST_VERSION;
}

int cpg_wire_is_batch(const uint8_t *buf, size_t len)
{
	struct wire_rd r;
	uint32_t id = 0;

	return wire_rd_init_min(&r, buf, len, CPG_WIRE_RES_HDR) == 0 &&
		wire_rd_ne32_at(&r, CPG_WIRE_HDR_ID, &id) == 0 &&
		id == CPG_EV_BATCH;
}

int cpg_wire_batch_open(struct cpg_batch *b, uint8_t *buf, size_t len)
{
	struct wire_rd r;
	uint32_t id = 0, size = 0, zero = 0, count = 0;

	memset(b, 0, sizeof(*b));
	wire_rd_init(&r, buf, len);
	wire_rd_ne32_at(&r, CPG_WIRE_HDR_ID, &id);
	wire_rd_ne32_at(&r, CPG_WIRE_HDR_SIZE, &size);
	wire_rd_ne32_at(&r, CPG_WIRE_BATCH_ZERO, &zero);
	wire_rd_ne32_at(&r, CPG_WIRE_BATCH_COUNT, &count);
	wire_rd_seek(&r, CPG_WIRE_BATCH_HDR);
	/* each item is at least a response header */
	if (r.err || id != CPG_EV_BATCH || size != len || zero != 0 ||
	    count == 0 || wire_rd_count(&r, count, CPG_WIRE_RES_HDR))
		return -EBADMSG;
	b->buf = buf;
	b->len = len;
	b->off = CPG_WIRE_BATCH_HDR;
	b->left = count;
	return 0;
}

int cpg_wire_batch_next(struct cpg_batch *b, uint8_t **item, size_t *len)
{
	struct wire_rd r;
	uint32_t id = 0, size = 0;
	size_t padded;

	if (!b->left)
		return 0;
	/* the item's header, inside the batch */
	wire_rd_init(&r, b->buf + b->off, b->len - b->off);
	wire_rd_ne32_at(&r, CPG_WIRE_HDR_ID, &id);
	wire_rd_ne32_at(&r, CPG_WIRE_HDR_SIZE, &size);
	padded = ((size_t)size + CPG_WIRE_BATCH_ALIGN - 1) &
		~(size_t)(CPG_WIRE_BATCH_ALIGN - 1);
	/* a whole header, inside the batch, not a batch itself; the last
	 * item ends the batch exactly */
	if (r.err || size < CPG_WIRE_RES_HDR || padded > r.len ||
	    id == CPG_EV_BATCH || (b->left == 1 && padded != r.len)) {
		b->left = 0;
		return -EBADMSG;
	}
	*item = b->buf + b->off;
	*len = size;
	b->off += padded;
	b->left--;
	return 1;
}
