/*
 * Numbers of the CPG client protocol (shared/spec/cpg-ipc.md): request,
 * response and event ids, message sizes and field offsets (x86-64, every
 * field 8-aligned), and the cs_error_t values the daemon answers with.
 */
#ifndef CPGD_IPC_PROTO_H
#define CPGD_IPC_PROTO_H

enum ipc_req_id {
	IPC_REQ_JOIN = 0,
	IPC_REQ_LEAVE = 1,
	IPC_REQ_MCAST = 2,
	IPC_REQ_MEMBERSHIP = 3,
	IPC_REQ_LOCAL_GET = 4,
	IPC_REQ_ITER_INIT = 5,
	IPC_REQ_ITER_NEXT = 6,
	IPC_REQ_ITER_FINALIZE = 7,
	IPC_REQ_FINALIZE = 8,
	IPC_REQ_ZC_ALLOC = 9,
	IPC_REQ_ZC_FREE = 10,
	IPC_REQ_ZC_EXECUTE = 11,
	IPC_REQ_PARTIAL_MCAST = 12,
	IPC_REQ_COUNT_
};

/*
 * The fast path between this project's libcpg and cpgd (doc/fastpath.md).
 * Ids far outside corosync's ranges: corosync answers the request as any
 * unknown one (CS_ERR_INVALID_PARAM, connection kept), and its clients
 * never see the event, which is only sent on a negotiated connection.
 */
#define IPC_REQ_FAST_HELLO 0x43504700u	/* version @16, flags @20 */
#define IPC_RES_FAST_HELLO 0x43504700u	/* version @24, flags @28 */
#define IPC_EV_BATCH 0x43504701u	/* count @24, zero @28, items @32 */
#define IPC_FAST_VERSION 1u
#define IPC_FAST_HELLO_SIZE 24
#define IPC_RES_FAST_HELLO_SIZE 32
#define IPC_EV_BATCH_HDR 32
/* Items of a batch start 8-aligned. */
#define IPC_BATCH_ALIGN 8

enum ipc_res_id {
	IPC_RES_JOIN = 0,
	IPC_RES_LEAVE = 1,
	IPC_RES_MCAST = 2,
	IPC_RES_MEMBERSHIP = 3,
	IPC_EV_CONFCHG = 4,
	IPC_EV_DELIVER = 5,
	IPC_RES_FLOW_CONTROL_STATE_SET = 6,
	IPC_RES_LOCAL_GET = 7,
	IPC_EV_FLOWCONTROL = 8,
	IPC_RES_ITER_INIT = 9,
	IPC_RES_ITER_NEXT = 10,
	IPC_RES_ITER_FINALIZE = 11,
	IPC_RES_FINALIZE = 12,
	IPC_EV_TOTEM_CONFCHG = 13,
	IPC_RES_ZC_ALLOC = 14,
	IPC_RES_ZC_FREE = 15,
	IPC_RES_ZC_EXECUTE = 16,
	IPC_EV_PARTIAL_DELIVER = 17,
	IPC_RES_PARTIAL_SEND = 18,
};

/* cs_error_t (corotypes.h) */
enum ipc_cs_error {
	IPC_CS_OK = 1,
	IPC_CS_ERR_LIBRARY = 2,
	IPC_CS_ERR_TRY_AGAIN = 6,
	IPC_CS_ERR_INVALID_PARAM = 7,
	IPC_CS_ERR_NO_MEMORY = 8,
	IPC_CS_ERR_BAD_HANDLE = 9,
	IPC_CS_ERR_BUSY = 10,
	IPC_CS_ERR_ACCESS = 11,
	IPC_CS_ERR_NOT_EXIST = 12,
	IPC_CS_ERR_NAME_TOO_LONG = 13,
	IPC_CS_ERR_EXIST = 14,
	IPC_CS_ERR_INTERRUPT = 16,
	IPC_CS_ERR_NO_RESOURCES = 18,
	IPC_CS_ERR_MESSAGE_ERROR = 22,
	IPC_CS_ERR_TOO_BIG = 26,
	IPC_CS_ERR_NO_SECTIONS = 27,
};

/* Headers: request {id @0, size @8}; response {id @0, size @8, error @16}. */
#define IPC_REQ_HDR 16
#define IPC_RES_HDR 24

/* Shared sub-structures */
#define IPC_NAME_SIZE 136	/* u32 length @0, char value[128] @8 */
#define IPC_NAME_VALUE 8
#define IPC_ADDR_SIZE 24	/* nodeid @0, pid @8, reason @16 */
#define IPC_ITER_DESC_SIZE 144	/* name @0, nodeid @136, pid @140 */

/* Requests: exact sizes of the fixed ones, and field offsets */
#define IPC_JOIN_SIZE 168	/* name @16, pid @152, flags @160 */
#define IPC_LEAVE_SIZE 160	/* name @16, pid @152 */
#define IPC_MCAST_HDR 40	/* guarantee @24, msglen @32, payload @40 */
#define IPC_MEMBERSHIP_SIZE 152	/* name @16 */
#define IPC_LOCAL_GET_SIZE 16
#define IPC_ITER_INIT_SIZE 160	/* name @16, iteration type @152 */
#define IPC_ITER_NEXT_SIZE 24	/* handle @16 */
#define IPC_ITER_FINALIZE_SIZE 24
#define IPC_FINALIZE_SIZE 16
#define IPC_ZC_ALLOC_SIZE 152	/* map_size @16, path[128] @24 */
#define IPC_ZC_PATH_LEN 128
#define IPC_ZC_FREE_SIZE 32	/* map_size @16, server_address @24 */
#define IPC_ZC_EXECUTE_SIZE 24	/* server_address @16 */
#define IPC_PARTIAL_HDR 56	/* guarantee @24, msglen @32, fraglen @40,
				   type @48, fragment @56 */
/* A zero-copy file: zc header (16) then an MCAST request header. */
#define IPC_ZC_HDR 16

/* Responses */
#define IPC_MEMBERS_MAX 384
#define IPC_RES_MEMBERSHIP_SIZE (32 + IPC_MEMBERS_MAX * IPC_ADDR_SIZE)
#define IPC_RES_LOCAL_GET_SIZE 32
#define IPC_RES_ITER_INIT_SIZE 32
#define IPC_RES_ITER_NEXT_SIZE (IPC_RES_HDR + IPC_ITER_DESC_SIZE)

/* Events */
#define IPC_EV_CONFCHG_HDR 184	/* name @24, counts @160/168/176 */
#define IPC_EV_DELIVER_HDR 184	/* name @24, msglen @160, nodeid @168,
				   pid @176, payload @184 */
#define IPC_EV_PARTIAL_HDR 200	/* name @24, msglen @160, fraglen @168,
				   nodeid @176, pid @184, type @192 */
#define IPC_EV_TOTEM_HDR 48	/* ring id @24 (nodeid, seq @32),
				   count @40, members @44 */
#define IPC_EV_TOTEM_MEMBERS 44
#define IPC_EV_FLOW_SIZE 32	/* state @24 */

/* The buffer size libcpg asks for; requests, responses and events alike. */
#define IPC_BUFFER_SIZE (8192 * 128)
/* libcpg's largest payload in one MCAST; larger ones come as fragments. */
#define IPC_MAX_PAYLOAD (IPC_BUFFER_SIZE - 1024)

/* Limits (man cpgd.8, LIMITS).  A fragmented message may be as long as
 * libcpg reassembles; a group as big as one MEMBERSHIP answer carries. */
#define IPC_MSG_MAX ((uint32_t)256 << 20)
#define IPC_CONNS_MAX 4096
/* descriptors kept for the daemon itself when the open-file limit is low:
 * each connection holds one */
#define IPC_FD_RESERVE 64

#endif
