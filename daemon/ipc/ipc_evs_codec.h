/*
 * Decoding requests and encoding responses and events of the EVS client
 * protocol (include/cpgd/evs_ipc.h).  Pure functions over byte buffers,
 * so that the validation of every request is tested (and fuzzed) without
 * a daemon.  Requests are read through the bounds-checked reader.
 */
#ifndef CPGD_IPC_EVS_CODEC_H
#define CPGD_IPC_EVS_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include <cpgd/evs_ipc.h>

#include "evs/evs.h"

struct ipc_evs_req {
	uint32_t id;
	uint32_t n_groups;		/* JOIN LEAVE MCAST */
	const uint8_t *groups;		/* into the request */
	uint32_t guarantee;		/* MCAST */
	uint32_t joined;		/* MCAST */
	uint32_t frag;			/* MCAST */
	uint32_t msglen;		/* MCAST */
	const void *payload;		/* MCAST: into the request */
	size_t payload_len;
};

/*
 * Decode and check one request of len bytes.  0, or:
 *   -EPROTO   too short for a header, or the header's size is not len
 *   -ENOSYS   unknown request id (r->id is set)
 *   -EBADMSG  a known id with a wrong size or inconsistent fields
 *   -E2BIG    more than EVS_IPC_GROUPS_MAX groups
 * Semantic checks (no groups, a bad guarantee, fragment order) are the
 * EVS layer's.
 */
int ipc_evs_req_decode(const void *buf, size_t len, struct ipc_evs_req *r);

/* cs_error_t for a 0 / -errno result of the EVS layer. */
uint32_t ipc_evs_cs_error(int rc);

/* A bare response header; returns its length. */
size_t ipc_evs_res(void *buf, uint32_t id, uint32_t err);
/* The MEMBERSHIP response for n node ids into buf (cap bytes): its
 * length or -EMSGSIZE. */
int ipc_evs_res_membership(void *buf, size_t cap, uint32_t err,
			   uint32_t nodeid, const uint32_t *m, size_t n);
/* The header of a DELIVER event whose payload (len bytes) follows. */
void ipc_evs_ev_deliver_hdr(uint8_t buf[EVS_IPC_DELIVER_HDR],
			    uint32_t nodeid, uint32_t pid, uint32_t msglen,
			    uint32_t frag, size_t len);
/* A CONFCHG event: its size, and the event into buf (that size). */
size_t ipc_evs_ev_confchg_size(const struct evs_conf *c);
void ipc_evs_ev_confchg(void *buf, const struct evs_conf *c);

#endif
