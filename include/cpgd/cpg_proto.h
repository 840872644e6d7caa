/*
 * The CPG client protocol (shared/spec/cpg-ipc.md, doc/fastpath.md), shared
 * by the library (lib/cpg_wire.c) and the daemon (daemon/ipc/): request,
 * response and event ids, message sizes, field offsets and enums.  Not
 * installed.
 *
 * Byte order is the host's; every field is 8-aligned (x86-64 layout of
 * corosync's structs).  Offsets count from the start of the message.  Both
 * sides read and write these fields only through the bounds-checked
 * cursor of wire/wire.h (wire_rd_ne32_at() and the like), never through a
 * struct laid over the buffer.
 */
#ifndef CPGD_CPG_PROTO_H
#define CPGD_CPG_PROTO_H

/* Request ids (client to daemon). */
enum cpg_req_id {
	CPG_REQ_JOIN = 0,
	CPG_REQ_LEAVE = 1,
	CPG_REQ_MCAST = 2,
	CPG_REQ_MEMBERSHIP = 3,
	CPG_REQ_LOCAL_GET = 4,
	CPG_REQ_ITER_INIT = 5,
	CPG_REQ_ITER_NEXT = 6,
	CPG_REQ_ITER_FINALIZE = 7,
	CPG_REQ_FINALIZE = 8,
	CPG_REQ_ZC_ALLOC = 9,
	CPG_REQ_ZC_FREE = 10,
	CPG_REQ_ZC_EXECUTE = 11,
	CPG_REQ_PARTIAL_MCAST = 12,
	CPG_REQ_COUNT_
};

/* Response and event ids (daemon to client). */
enum cpg_res_id {
	CPG_RES_JOIN = 0,
	CPG_RES_LEAVE = 1,
	CPG_RES_MCAST = 2,
	CPG_RES_MEMBERSHIP = 3,
	CPG_EV_CONFCHG = 4,
	CPG_EV_DELIVER = 5,
	CPG_RES_FLOW_CONTROL_STATE_SET = 6,
	CPG_RES_LOCAL_GET = 7,
	CPG_EV_FLOWCONTROL = 8,
	CPG_RES_ITER_INIT = 9,
	CPG_RES_ITER_NEXT = 10,
	CPG_RES_ITER_FINALIZE = 11,
	CPG_RES_FINALIZE = 12,
	CPG_EV_TOTEM_CONFCHG = 13,
	CPG_RES_ZC_ALLOC = 14,
	CPG_RES_ZC_FREE = 15,
	CPG_RES_ZC_EXECUTE = 16,
	CPG_EV_PARTIAL_DELIVER = 17,
	CPG_RES_PARTIAL_SEND = 18,
};

/*
 * The fast path between this project's libcpg and cpgd (doc/fastpath.md).
 * Ids far outside corosync's ranges: corosync answers the request as any
 * unknown one (CS_ERR_INVALID_PARAM, connection kept), and its clients
 * never see the event, which is only sent on a negotiated connection.
 */
#define CPG_REQ_FAST_HELLO	0x43504700u
#define CPG_RES_FAST_HELLO	0x43504700u
#define CPG_EV_BATCH		0x43504701u
#define CPG_FAST_VERSION	2u
#define CPG_WIRE_FAST_HELLO_SIZE 24
#define CPG_WIRE_FAST_HELLO_VERSION 16
#define CPG_WIRE_FAST_HELLO_FLAGS 20
#define CPG_WIRE_FAST_HELLO_RES_SIZE 32
#define CPG_WIRE_FAST_HELLO_RES_VERSION 24
#define CPG_WIRE_FAST_HELLO_RES_FLAGS 28
#define CPG_WIRE_BATCH_HDR	32	/* items start here */
#define CPG_WIRE_BATCH_COUNT	24
#define CPG_WIRE_BATCH_ZERO	28
#define CPG_WIRE_BATCH_ALIGN	8	/* items of a batch start 8-aligned */

/*
 * Version 2: the request ring (doc/fastpath.md, "The request ring").
 * RING_OPEN {fd @16, data size @20, flags @24 = 0, zero @28} is answered
 * with a bare 24-byte header of id RES_RING_OPEN; RING_KICK (16 bytes, no
 * answer) wakes a daemon that said it sleeps.  The ring file: a header
 * page (the fields below, each on its own cache line), then the data, a
 * power of two of bytes, holding whole MCAST requests one after the
 * other (8-aligned, wrapping at the end).
 */
#define CPG_REQ_RING_OPEN	0x43504702u
#define CPG_RES_RING_OPEN	0x43504702u
#define CPG_REQ_RING_KICK	0x43504703u
#define CPG_WIRE_RING_OPEN_SIZE	32
#define CPG_WIRE_RING_OPEN_FD	16
#define CPG_WIRE_RING_OPEN_DATA	20
#define CPG_WIRE_RING_OPEN_FLAGS 24
#define CPG_WIRE_RING_OPEN_ZERO	28
#define CPG_WIRE_RING_KICK_SIZE	16
#define CPG_RING_MAGIC		0x43505231u	/* u32 @0, client */
#define CPG_RING_OFF_MAGIC	0
#define CPG_RING_OFF_TAIL	64	/* u64 bytes ever written: client */
#define CPG_RING_OFF_HEAD	128	/* u64 bytes ever taken: daemon */
#define CPG_RING_OFF_SLEEP	192	/* u32 1: the daemon sleeps */
#define CPG_RING_HDR		4096	/* the data start here */
#define CPG_RING_ALIGN		8
#define CPG_RING_DATA_MIN	4096u
#define CPG_RING_DATA_MAX	(4u << 20)
#define CPG_RING_DATA_SIZE	(1u << 20)	/* what libcpg makes */

/* Fragment types of PARTIAL_MCAST and PARTIAL_DELIVER. */
enum cpg_frag_type {
	CPG_FRAG_FIRST = 1,
	CPG_FRAG_CONTINUED = 2,
	CPG_FRAG_LAST = 3,
};

/* Headers: request {id @0, size @8}; response {id @0, size @8, error @16}. */
#define CPG_WIRE_REQ_HDR	16	/* qb_ipc_request_header */
#define CPG_WIRE_RES_HDR	24	/* qb_ipc_response_header */
#define CPG_WIRE_HDR_ID		0
#define CPG_WIRE_HDR_SIZE	8
#define CPG_WIRE_RES_ERROR	16

/* Shared sub-structures. */
#define CPG_WIRE_NAME_SIZE	136	/* u32 length @0, char value[128] @8 */
#define CPG_WIRE_NAME_VALUE	8
#define CPG_WIRE_NAME_MAX	128
#define CPG_WIRE_ADDR_SIZE	24	/* nodeid @0, pid @8, reason @16 */
#define CPG_WIRE_ADDR_NODEID	0
#define CPG_WIRE_ADDR_PID	8
#define CPG_WIRE_ADDR_REASON	16
#define CPG_WIRE_ITER_DESC_SIZE	144	/* name @0, nodeid @136, pid @140 */
#define CPG_WIRE_ITER_DESC_NODEID 136
#define CPG_WIRE_ITER_DESC_PID	140

/* Requests: sizes of the fixed ones and their fields. */
#define CPG_WIRE_REQ_NAME	16	/* the group name of JOIN, LEAVE,
					   MEMBERSHIP, ITER_INIT */
#define CPG_WIRE_JOIN_SIZE	168
#define CPG_WIRE_JOIN_PID	152
#define CPG_WIRE_JOIN_FLAGS	160
#define CPG_WIRE_LEAVE_SIZE	160
#define CPG_WIRE_LEAVE_PID	152
#define CPG_WIRE_MCAST_HDR	40	/* payload starts here */
#define CPG_WIRE_MCAST_GUARANTEE 24
#define CPG_WIRE_MCAST_MSGLEN	32
#define CPG_WIRE_MEMBERSHIP_SIZE 152
#define CPG_WIRE_LOCAL_GET_SIZE	16
#define CPG_WIRE_ITER_INIT_SIZE	160
#define CPG_WIRE_ITER_INIT_TYPE	152
#define CPG_WIRE_ITER_HANDLE_SIZE 24	/* ITER_NEXT and ITER_FINALIZE */
#define CPG_WIRE_ITER_HANDLE	16
#define CPG_WIRE_FINALIZE_SIZE	16
#define CPG_WIRE_ZC_ALLOC_SIZE	152
#define CPG_WIRE_ZC_ALLOC_MAP_SIZE 16
#define CPG_WIRE_ZC_ALLOC_PATH	24
#define CPG_WIRE_ZC_PATH_LEN	128
#define CPG_WIRE_ZC_FREE_SIZE	32
#define CPG_WIRE_ZC_FREE_MAP_SIZE 16
#define CPG_WIRE_ZC_FREE_ADDR	24
#define CPG_WIRE_ZC_EXECUTE_SIZE 24
#define CPG_WIRE_ZC_EXECUTE_ADDR 16
#define CPG_WIRE_PARTIAL_HDR	56	/* fragment starts here */
#define CPG_WIRE_PARTIAL_GUARANTEE 24
#define CPG_WIRE_PARTIAL_MSGLEN	32
#define CPG_WIRE_PARTIAL_FRAGLEN 40
#define CPG_WIRE_PARTIAL_TYPE	48
/* A zero-copy mapping: this header (map size @0, server address @8), then
 * an MCAST request. */
#define CPG_WIRE_ZC_HDR		16
#define CPG_WIRE_ZC_HDR_MAP_SIZE 0
#define CPG_WIRE_ZC_HDR_ADDR	8

/* Responses. */
#define CPG_WIRE_MEMBERS_MAX	384	/* room in the MEMBERSHIP response */
#define CPG_WIRE_MEMBERSHIP_RES_COUNT 24
#define CPG_WIRE_MEMBERSHIP_RES_LIST 32
#define CPG_WIRE_MEMBERSHIP_RES_SIZE (CPG_WIRE_MEMBERSHIP_RES_LIST + \
	CPG_WIRE_MEMBERS_MAX * CPG_WIRE_ADDR_SIZE)
#define CPG_WIRE_LOCAL_GET_RES_SIZE 32
#define CPG_WIRE_LOCAL_GET_RES_NODEID 24
#define CPG_WIRE_ITER_INIT_RES_SIZE 32
#define CPG_WIRE_ITER_INIT_RES_HANDLE 24
#define CPG_WIRE_ITER_NEXT_RES_SIZE (CPG_WIRE_RES_HDR + CPG_WIRE_ITER_DESC_SIZE)

/* Events.  The group name of CONFCHG, DELIVER and PARTIAL_DELIVER. */
#define CPG_WIRE_EV_NAME	24
#define CPG_WIRE_CONFCHG_HDR	184	/* lists start here */
#define CPG_WIRE_CONFCHG_N_MEMBERS 160
#define CPG_WIRE_CONFCHG_N_JOINED 168
#define CPG_WIRE_CONFCHG_N_LEFT	176
#define CPG_WIRE_DELIVER_HDR	184	/* payload starts here */
#define CPG_WIRE_DELIVER_MSGLEN	160
#define CPG_WIRE_DELIVER_NODEID	168
#define CPG_WIRE_DELIVER_PID	176
#define CPG_WIRE_PARTIAL_DELIVER_HDR 200	/* fragment starts here */
#define CPG_WIRE_PDELIVER_MSGLEN 160
#define CPG_WIRE_PDELIVER_FRAGLEN 168
#define CPG_WIRE_PDELIVER_NODEID 176
#define CPG_WIRE_PDELIVER_PID	184
#define CPG_WIRE_PDELIVER_TYPE	192
#define CPG_WIRE_TOTEM_HDR	48
#define CPG_WIRE_TOTEM_RING_NODEID 24
#define CPG_WIRE_TOTEM_RING_SEQ	32
#define CPG_WIRE_TOTEM_COUNT	40
#define CPG_WIRE_TOTEM_MEMBERS	44
#define CPG_WIRE_FLOW_SIZE	32
#define CPG_WIRE_FLOW_STATE	24

#endif
