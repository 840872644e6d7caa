/* The EVS client protocol, library side; see evs_wire.h. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpg_wire.h"
#include "evs_wire.h"

static void put_req_hdr(uint8_t *buf, uint32_t id, size_t hdr_len,
	size_t size)
{
	memset(buf, 0, hdr_len);
	cpg_wire_put_u32(buf, 0, id);
	cpg_wire_put_u32(buf, 8, (uint32_t)size);
}

void evs_wire_bare(uint8_t out[EVS_IPC_REQ_HDR], uint32_t id)
{
	put_req_hdr(out, id, EVS_IPC_REQ_HDR, EVS_IPC_REQ_HDR);
}

void evs_wire_groups_hdr(uint8_t out[EVS_IPC_GROUPS_REQ_HDR], uint32_t id,
	uint32_t n)
{
	put_req_hdr(out, id, EVS_IPC_GROUPS_REQ_HDR,
		EVS_IPC_GROUPS_REQ_HDR + (size_t)n * EVS_IPC_GROUP_SIZE);
	cpg_wire_put_u32(out, 16, n);
}

void evs_wire_mcast_hdr(uint8_t out[EVS_IPC_MCAST_HDR], uint32_t guarantee,
	int joined, uint32_t n_groups, uint32_t frag, uint32_t msglen,
	uint32_t fraglen)
{
	put_req_hdr(out, EVS_IPC_MCAST, EVS_IPC_MCAST_HDR, EVS_IPC_MCAST_HDR +
		(size_t)n_groups * EVS_IPC_GROUP_SIZE + fraglen);
	cpg_wire_put_u32(out, 16, guarantee);
	cpg_wire_put_u32(out, 20, joined ? 1 : 0);
	cpg_wire_put_u32(out, 24, n_groups);
	cpg_wire_put_u32(out, 28, frag);
	cpg_wire_put_u32(out, 32, msglen);
	cpg_wire_put_u32(out, 36, fraglen);
}

int evs_wire_res_membership(const uint8_t *buf, size_t len,
	uint32_t *nodeid, unsigned int *list, size_t room, size_t *count)
{
	uint32_t n;
	size_t i;

	if (len < EVS_IPC_MEMBERSHIP_RES_HDR)
		return -EBADMSG;
	n = cpg_wire_get_u32(buf, 28);
	if (n > (len - EVS_IPC_MEMBERSHIP_RES_HDR) / 4)
		return -EBADMSG;
	*nodeid = cpg_wire_get_u32(buf, 24);
	for (i = 0; i < n && i < room; i++)
		list[i] = cpg_wire_get_u32(buf,
			EVS_IPC_MEMBERSHIP_RES_HDR + 4 * i);
	*count = i;
	return 0;
}

static int decode_deliver(const uint8_t *buf, size_t len,
	struct evs_event *ev)
{
	uint32_t fraglen;

	if (len < EVS_IPC_DELIVER_HDR)
		return -EBADMSG;
	ev->nodeid = cpg_wire_get_u32(buf, 24);
	ev->pid = cpg_wire_get_u32(buf, 28);
	ev->msglen = cpg_wire_get_u32(buf, 32);
	ev->frag = cpg_wire_get_u32(buf, 36);
	fraglen = cpg_wire_get_u32(buf, 40);
	if (fraglen != len - EVS_IPC_DELIVER_HDR || ev->frag > EVS_FRAG_LAST)
		return -EBADMSG;
	if (ev->frag == EVS_FRAG_NONE && fraglen != ev->msglen)
		return -EBADMSG;
	ev->data = buf + EVS_IPC_DELIVER_HDR;
	ev->data_len = fraglen;
	return 0;
}

static int decode_confchg(const uint8_t *buf, size_t len,
	struct evs_event *ev)
{
	uint32_t nm, nl, nj;
	size_t total, i;
	unsigned int *all;

	if (len < EVS_IPC_CONFCHG_HDR)
		return -EBADMSG;
	ev->ring.nodeid = cpg_wire_get_u32(buf, 24);
	ev->ring.seq = cpg_wire_get_u64(buf, 32);
	nm = cpg_wire_get_u32(buf, 40);
	nl = cpg_wire_get_u32(buf, 44);
	nj = cpg_wire_get_u32(buf, 48);
	if (nm > EVS_IPC_MEMBERS_MAX || nl > EVS_IPC_MEMBERS_MAX ||
	    nj > EVS_IPC_MEMBERS_MAX)
		return -EBADMSG;
	total = (size_t)nm + nl + nj;
	if (len != EVS_IPC_CONFCHG_HDR + 4 * total)
		return -EBADMSG;
	all = malloc((total ? total : 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (i = 0; i < total; i++)
		all[i] = cpg_wire_get_u32(buf, EVS_IPC_CONFCHG_HDR + 4 * i);
	ev->alloc = all;
	ev->members = all;
	ev->n_members = nm;
	ev->left = all + nm;
	ev->n_left = nl;
	ev->joined = all + nm + nl;
	ev->n_joined = nj;
	return 0;
}

int evs_wire_event_decode(const uint8_t *buf, size_t len,
	struct evs_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (len < EVS_IPC_RES_HDR || cpg_wire_get_u32(buf, 8) != len)
		return -EBADMSG;
	ev->id = cpg_wire_get_u32(buf, 0);
	switch (ev->id) {
	case EVS_IPC_EV_DELIVER:
		return decode_deliver(buf, len, ev);
	case EVS_IPC_EV_CONFCHG:
		return decode_confchg(buf, len, ev);
	default:
		return -ENOTSUP;
	}
}

void evs_wire_event_release(struct evs_event *ev)
{
	free(ev->alloc);
	ev->alloc = NULL;
}
