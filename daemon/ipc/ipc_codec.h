/*
 * Decoding client requests and encoding responses and events of the CPG
 * client protocol.  Pure functions over byte buffers, so the validation of
 * every request can be tested without a daemon.
 *
 * Requests are read through the bounds-checked reader (host byte order:
 * the client is a process on this machine).
 */
#ifndef CPGD_IPC_CODEC_H
#define CPGD_IPC_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "grp/grp.h"
#include "ipc/ipc_proto.h"

struct ipc_req {
	uint32_t id;
	struct grp_gname name;		/* JOIN LEAVE MEMBERSHIP ITER_INIT */
	uint32_t pid;			/* JOIN LEAVE */
	uint32_t flags;			/* JOIN */
	uint32_t iter_type;		/* ITER_INIT */
	uint64_t handle;		/* ITER_*, ZC_FREE, ZC_EXECUTE */
	uint64_t map_size;		/* ZC_ALLOC ZC_FREE */
	char path[CPG_WIRE_ZC_PATH_LEN];	/* ZC_ALLOC, NUL-terminated */
	uint32_t guarantee;		/* MCAST PARTIAL */
	uint32_t msglen;		/* MCAST PARTIAL (whole message) */
	uint32_t frag_type;		/* PARTIAL */
	const void *payload;		/* MCAST PARTIAL: into the request */
	size_t payload_len;
	uint32_t version;		/* FAST_HELLO */
};

/*
 * Decode and check one request of len bytes (FAST_HELLO included: size
 * 24, version at least 1, flags 0).  0, or:
 *   -EPROTO   too short for a header, or the header's size is not len
 *   -ENOSYS   unknown request id (r->id is set)
 *   -EBADMSG  a known id with a wrong size or inconsistent lengths
 */
int ipc_req_decode(const void *buf, size_t len, struct ipc_req *r);

/* Decode the MCAST request header a client wrote into a zero-copy file,
 * given the 40 bytes at CPG_WIRE_ZC_HDR; the payload follows it. */
int ipc_req_decode_zc_mcast(const void *hdr, size_t len, uint32_t *guarantee,
			    uint32_t *msglen);

/* cs_error_t for a 0 / -errno result of the CPG layer. */
uint32_t ipc_cs_error(int rc);

/*
 * Responses, written into buf (cap bytes; zeroed first).  Each returns the
 * length or -EMSGSIZE.  ipc_res_encode() writes the plain response to
 * req_id (a bare header, or a zero body of that request's response size,
 * as ipc_req_kind() says; id 0 and a bare header for an unknown id).
 */
int ipc_res_encode(void *buf, size_t cap, uint32_t req_id, uint32_t err);
int ipc_res_membership(void *buf, size_t cap, uint32_t err,
		       const struct grp_addr *m, size_t n);
int ipc_res_local_get(void *buf, size_t cap, uint32_t err, uint32_t nodeid);
int ipc_res_iter_init(void *buf, size_t cap, uint32_t err, uint64_t handle);
int ipc_res_iter_next(void *buf, size_t cap, uint32_t err,
		      const struct grp_gname *g, uint32_t nodeid,
		      uint32_t pid);

/* Events.  deliver and partial write only the header; the payload follows
 * as a second iovec, and the header's size counts it. */
size_t ipc_ev_confchg_size(size_t n_members, size_t n_left, size_t n_joined);
int ipc_ev_confchg(void *buf, size_t cap, const struct grp_gname *g,
		   const struct grp_addr *members, size_t n_members,
		   const struct grp_addr *left, size_t n_left,
		   const struct grp_addr *joined, size_t n_joined);
int ipc_ev_deliver_hdr(void *buf, size_t cap, const struct grp_gname *g,
		       uint32_t nodeid, uint32_t pid, size_t msglen);
int ipc_ev_partial_hdr(void *buf, size_t cap, const struct grp_gname *g,
		       uint32_t nodeid, uint32_t pid, uint32_t msglen,
		       uint32_t type, size_t fraglen);
size_t ipc_ev_totem_size(size_t n_members);
int ipc_ev_totem(void *buf, size_t cap, uint32_t ring_rep, uint64_t ring_seq,
		 const uint32_t *members, size_t n_members);
int ipc_ev_flow(void *buf, size_t cap, uint32_t state);

/* The fast path's answer to FAST_HELLO (CS_OK, the version to speak). */
int ipc_res_fast_hello(void *buf, size_t cap, uint32_t version);
/* The header of a batch of count items, size bytes in all (header,
 * items and their padding included). */
int ipc_ev_batch_hdr(void *buf, size_t cap, uint32_t count, size_t size);

#endif
