/*
 * The one table of the CPG client requests, in id order: for each, its
 * exact size (0: MCAST and PARTIAL_MCAST, a header then a payload), the id
 * and size of its plain answer, whether it gets an answer, and its handler
 * in ipc_dispatch.c.  IPC_REQS(X) calls
 *     X(name, size, res_id, res_size, replies, handler)
 * once a request.  ipc_codec.c expands it into the table that validation
 * reads (ipc_req_kind()), ipc_dispatch.c into its handlers.  A new request:
 * its id in cpgd/cpg_proto.h, a line here, its fields in ipc_req_decode()
 * and its handler.  FAST_HELLO (doc/fastpath.md), far outside the ids,
 * has its own entry in ipc_codec.c.
 */
#ifndef CPGD_IPC_REQS_H
#define CPGD_IPC_REQS_H

#include "ipc/ipc_proto.h"

#define IPC_REQS(X) \
	X(JOIN, CPG_WIRE_JOIN_SIZE, CPG_RES_JOIN, CPG_WIRE_RES_HDR, 1, \
	  h_join) \
	X(LEAVE, CPG_WIRE_LEAVE_SIZE, CPG_RES_LEAVE, CPG_WIRE_RES_HDR, 1, \
	  h_leave) \
	X(MCAST, 0, CPG_RES_MCAST, CPG_WIRE_RES_HDR, 0, h_mcast) \
	X(MEMBERSHIP, CPG_WIRE_MEMBERSHIP_SIZE, CPG_RES_MEMBERSHIP, \
	  CPG_WIRE_MEMBERSHIP_RES_SIZE, 1, h_membership) \
	X(LOCAL_GET, CPG_WIRE_LOCAL_GET_SIZE, CPG_RES_LOCAL_GET, \
	  CPG_WIRE_LOCAL_GET_RES_SIZE, 1, h_local_get) \
	X(ITER_INIT, CPG_WIRE_ITER_INIT_SIZE, CPG_RES_ITER_INIT, \
	  CPG_WIRE_ITER_INIT_RES_SIZE, 1, h_iter_init) \
	X(ITER_NEXT, CPG_WIRE_ITER_HANDLE_SIZE, CPG_RES_ITER_NEXT, \
	  CPG_WIRE_ITER_NEXT_RES_SIZE, 1, h_iter_next) \
	X(ITER_FINALIZE, CPG_WIRE_ITER_HANDLE_SIZE, CPG_RES_ITER_FINALIZE, \
	  CPG_WIRE_RES_HDR, 1, h_iter_finalize) \
	X(FINALIZE, CPG_WIRE_FINALIZE_SIZE, CPG_RES_FINALIZE, \
	  CPG_WIRE_RES_HDR, 1, h_finalize) \
	X(ZC_ALLOC, CPG_WIRE_ZC_ALLOC_SIZE, CPG_RES_ZC_ALLOC, \
	  CPG_WIRE_RES_HDR, 1, h_zc_alloc) \
	X(ZC_FREE, CPG_WIRE_ZC_FREE_SIZE, CPG_RES_ZC_FREE, \
	  CPG_WIRE_RES_HDR, 1, h_zc_free) \
	/* answered as an MCAST */ \
	X(ZC_EXECUTE, CPG_WIRE_ZC_EXECUTE_SIZE, CPG_RES_MCAST, \
	  CPG_WIRE_RES_HDR, 1, h_zc_execute) \
	X(PARTIAL_MCAST, 0, CPG_RES_PARTIAL_SEND, CPG_WIRE_RES_HDR, 1, \
	  h_partial)

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
