/*
 * The one table of the CPG client requests, in id order: for each, its
 * exact size, the id and size of its plain answer, whether it gets an
 * answer, and its handler in ipc_dispatch.c.  IPC_REQS(X, V) calls
 *     X(name, size, res_id, res_size, replies, handler)
 * once a request of a fixed size, and
 *     V(name, res_id, replies, handler)
 * once a request made of a header and a payload (MCAST, PARTIAL_MCAST),
 * whose plain answer is a bare header.  Sizes stand for CPG_WIRE_<size>,
 * answers for CPG_RES_<res_id>: the expansion adds the prefixes.
 * ipc_codec.c expands it into the table that validation reads
 * (ipc_req_kind()), ipc_dispatch.c into its handlers.  A new request: its
 * id in cpgd/cpg_proto.h, a line here, its fields in ipc_req_decode() and
 * its handler.  FAST_HELLO (doc/fastpath.md), far outside the ids, has its
 * own entry in ipc_codec.c.
 */
#ifndef CPGD_IPC_REQS_H
#define CPGD_IPC_REQS_H

#include "ipc/ipc_proto.h"

#define IPC_REQS(X, V) \
	/* name,          size,              res_id,         res_size,             replies, handler */ \
	X(JOIN,           JOIN_SIZE,         JOIN,           RES_HDR,              1, h_join) \
	X(LEAVE,          LEAVE_SIZE,        LEAVE,          RES_HDR,              1, h_leave) \
	V(MCAST,                             MCAST,                                0, h_mcast) \
	X(MEMBERSHIP,     MEMBERSHIP_SIZE,   MEMBERSHIP,     MEMBERSHIP_RES_SIZE,  1, h_membership) \
	X(LOCAL_GET,      LOCAL_GET_SIZE,    LOCAL_GET,      LOCAL_GET_RES_SIZE,   1, h_local_get) \
	X(ITER_INIT,      ITER_INIT_SIZE,    ITER_INIT,      ITER_INIT_RES_SIZE,   1, h_iter_init) \
	X(ITER_NEXT,      ITER_HANDLE_SIZE,  ITER_NEXT,      ITER_NEXT_RES_SIZE,   1, h_iter_next) \
	X(ITER_FINALIZE,  ITER_HANDLE_SIZE,  ITER_FINALIZE,  RES_HDR,              1, h_iter_finalize) \
	X(FINALIZE,       FINALIZE_SIZE,     FINALIZE,       RES_HDR,              1, h_finalize) \
	X(ZC_ALLOC,       ZC_ALLOC_SIZE,     ZC_ALLOC,       RES_HDR,              1, h_zc_alloc) \
	X(ZC_FREE,        ZC_FREE_SIZE,      ZC_FREE,        RES_HDR,              1, h_zc_free) \
	/* answered as an MCAST */ \
	X(ZC_EXECUTE,     ZC_EXECUTE_SIZE,   MCAST,          RES_HDR,              1, h_zc_execute) \
	V(PARTIAL_MCAST,                     PARTIAL_SEND,                         1, h_partial)

/* What the table says of one request id. */
struct ipc_req_kind {
	uint32_t size;		/* exact size; 0: header and payload */
	uint32_t res_id;	/* id of its answer */
	uint32_t res_size;	/* size of its plain answer */
	int replies;		/* does it get an answer (all but MCAST) */
};

/* The entry of id (FAST_HELLO included), or NULL for an id the protocol
 * does not define. */
const struct ipc_req_kind *ipc_req_kind(uint32_t id);

#endif
