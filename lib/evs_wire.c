/* The EVS client protocol, library side; see evs_wire.h.  Every field goes
 * through the bounds-checked cursor of wire/wire.h at the named offsets of
 * cpgd/evs_ipc.h. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evs_wire.h"
#include "wire/wire.h"

/* The zeroed fixed part (hdr_len bytes) of a request of size bytes. */
static void put_req_hdr(struct wire_wr *w, uint8_t *buf, uint32_t id,
	size_t hdr_len, size_t size)
{
	memset(buf, 0, hdr_len);
	wire_wr_init(w, buf, hdr_len);
	wire_wr_ne32_at(w, EVS_IPC_HDR_ID, id);
	wire_wr_ne32_at(w, EVS_IPC_HDR_SIZE, (uint32_t)size);
}

void evs_wire_bare(uint8_t out[EVS_IPC_REQ_HDR], uint32_t id)
{
	struct wire_wr w;

	put_req_hdr(&w, out, id, EVS_IPC_REQ_HDR, EVS_IPC_REQ_HDR);
}

void evs_wire_groups_hdr(uint8_t out[EVS_IPC_GROUPS_REQ_HDR], uint32_t id,
	uint32_t n)
{
	struct wire_wr w;

	put_req_hdr(&w, out, id, EVS_IPC_GROUPS_REQ_HDR,
		EVS_IPC_GROUPS_REQ_HDR + (size_t)n * EVS_IPC_GROUP_SIZE);
	wire_wr_ne32_at(&w, EVS_IPC_GROUPS_N, n);
}

void evs_wire_mcast_hdr(uint8_t out[EVS_IPC_MCAST_HDR], uint32_t guarantee,
	int joined, uint32_t n_groups, uint32_t frag, uint32_t msglen,
	uint32_t fraglen)
{
	struct wire_wr w;

	put_req_hdr(&w, out, EVS_IPC_MCAST, EVS_IPC_MCAST_HDR,
		EVS_IPC_MCAST_HDR + (size_t)n_groups * EVS_IPC_GROUP_SIZE +
		fraglen);
	wire_wr_ne32_at(&w, EVS_IPC_MCAST_GUARANTEE, guarantee);
	wire_wr_ne32_at(&w, EVS_IPC_MCAST_JOINED, joined ? 1 : 0);
	wire_wr_ne32_at(&w, EVS_IPC_MCAST_N, n_groups);
	wire_wr_ne32_at(&w, EVS_IPC_MCAST_FRAG, frag);
	wire_wr_ne32_at(&w, EVS_IPC_MCAST_MSGLEN, msglen);
	wire_wr_ne32_at(&w, EVS_IPC_MCAST_FRAGLEN, fraglen);
}

int evs_wire_res_membership(const uint8_t *buf, size_t len,
	uint32_t *nodeid, unsigned int *list, size_t room, size_t *count)
{
	struct wire_rd r;
	uint32_t n = 0, id = 0, v = 0;
	size_t i;

	wire_rd_init(&r, buf, len);
	wire_rd_ne32_at(&r, EVS_IPC_MEMBERSHIP_RES_NODEID, &id);
	wire_rd_ne32_at(&r, EVS_IPC_MEMBERSHIP_RES_COUNT, &n);
	wire_rd_seek(&r, EVS_IPC_MEMBERSHIP_RES_HDR);
	if (r.err || wire_rd_count(&r, n, 4))
		return -EBADMSG;
	*nodeid = id;
	for (i = 0; i < n && i < room; i++) {
		wire_rd_ne32(&r, &v);
		list[i] = v;
	}
	*count = i;
	return 0;
}

static int decode_deliver(struct wire_rd *r, const uint8_t *buf,
	struct evs_event *ev)
{
	uint32_t fraglen = 0;

	wire_rd_ne32_at(r, EVS_IPC_DELIVER_NODEID, &ev->nodeid);
	wire_rd_ne32_at(r, EVS_IPC_DELIVER_PID, &ev->pid);
	wire_rd_ne32_at(r, EVS_IPC_DELIVER_MSGLEN, &ev->msglen);
	wire_rd_ne32_at(r, EVS_IPC_DELIVER_FRAG, &ev->frag);
	wire_rd_ne32_at(r, EVS_IPC_DELIVER_FRAGLEN, &fraglen);
	wire_rd_seek(r, EVS_IPC_DELIVER_HDR);
	if (r->err || fraglen != wire_rd_left(r) || ev->frag > EVS_FRAG_LAST)
		return -EBADMSG;
	if (ev->frag == EVS_FRAG_NONE && fraglen != ev->msglen)
		return -EBADMSG;
	ev->data = buf + EVS_IPC_DELIVER_HDR;
	ev->data_len = fraglen;
	return 0;
}

static int decode_confchg(struct wire_rd *r, struct evs_event *ev)
{
	uint32_t n[3] = { 0, 0, 0 };	/* members, left, joined */
	uint32_t v = 0;
	uint64_t seq = 0;
	size_t total, i;
	unsigned int *all;

	wire_rd_ne32_at(r, EVS_IPC_CONFCHG_RING_NODEID, &v);
	wire_rd_ne64_at(r, EVS_IPC_CONFCHG_RING_SEQ, &seq);
	wire_rd_ne32_at(r, EVS_IPC_CONFCHG_N_MEMBERS, &n[0]);
	wire_rd_ne32_at(r, EVS_IPC_CONFCHG_N_LEFT, &n[1]);
	wire_rd_ne32_at(r, EVS_IPC_CONFCHG_N_JOINED, &n[2]);
	wire_rd_seek(r, EVS_IPC_CONFCHG_HDR);
	for (i = 0; i < 3; i++)
		if (n[i] > EVS_IPC_MEMBERS_MAX)
			return -EBADMSG;
	total = (size_t)n[0] + n[1] + n[2];
	/* the lists fill the event exactly */
	if (r->err || wire_rd_left(r) != 4 * total)
		return -EBADMSG;
	ev->ring.nodeid = v;
	ev->ring.seq = seq;
	all = malloc((total ? total : 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (i = 0; i < total; i++) {
		wire_rd_ne32(r, &v);
		all[i] = v;
	}
	/* one allocation: members, then left, then joined */
	ev->alloc = ev->members = all;
	ev->left = all + n[0];
	ev->joined = ev->left + n[1];
	ev->n_members = n[0];
	ev->n_left = n[1];
	ev->n_joined = n[2];
	return 0;
}

int evs_wire_event_decode(const uint8_t *buf, size_t len,
	struct evs_event *ev)
{
	struct wire_rd r;
	uint32_t size = 0;

	memset(ev, 0, sizeof(*ev));
	if (wire_rd_init_min(&r, buf, len, EVS_IPC_RES_HDR) ||
	    wire_rd_ne32_at(&r, EVS_IPC_HDR_SIZE, &size) || size != len)
		return -EBADMSG;
	wire_rd_ne32_at(&r, EVS_IPC_HDR_ID, &ev->id);
	switch (ev->id) {
	case EVS_IPC_EV_DELIVER:
		return decode_deliver(&r, buf, ev);
	case EVS_IPC_EV_CONFCHG:
		return decode_confchg(&r, ev);
	default:
		return -ENOTSUP;
	}
}

void evs_wire_event_release(struct evs_event *ev)
{
	free(ev->alloc);
	ev->alloc = NULL;
}
