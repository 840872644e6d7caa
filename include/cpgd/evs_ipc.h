/*
 * The EVS client protocol between libevs and cpgd's libqb IPC service
 * "evs".  corosync 1.x spoke its own IPC to its EVS clients, so there is
 * no protocol to match: this one is cpgd's, shared by the library (lib/)
 * and the daemon (daemon/ipc/) through this header.  It is not installed.
 *
 * Host byte order (the channel never leaves the machine).  Every message
 * starts with libqb's headers: a request {u32 id @0, u32 size @8}, 16
 * bytes; a response or event {u32 id @0, u32 size @8, u32 error @16}, 24
 * bytes, where error is a cs_error_t (CS_OK in events).  size is the
 * whole message.  A group is 32 bytes, copied as they are.  The offsets
 * below are named at the end of this header; both sides read and write
 * them through the bounds-checked cursor of wire/wire.h.
 *
 * Requests (every one gets a response of the same id, a bare header
 * unless said otherwise):
 *
 *   JOIN, LEAVE  u32 n @16, groups[n] @24              size 24 + 32 n
 *   MCAST        u32 guarantee @16 (evs_guarantee_t), u32 joined @20 (1:
 *                to the client's joined groups, n must be 0), u32 n @24,
 *                u32 frag @28 (EVS_FRAG_*), u32 msglen @32 (the whole
 *                message), u32 fraglen @36 (payload here), groups[n] @40,
 *                payload[fraglen] @40 + 32 n         size 40 + 32 n + fraglen
 *                A whole message has frag EVS_FRAG_NONE and fraglen ==
 *                msglen; a fragmented one FIRST, CONT..., LAST, each with
 *                the same groups, guarantee and msglen.
 *   MEMBERSHIP   nothing; the response carries u32 local nodeid @24,
 *                u32 count @28, u32 nodeids[count] @32
 *   FINALIZE     nothing
 *
 * Events:
 *
 *   DELIVER      u32 nodeid @24, u32 pid @28, u32 msglen @32, u32 frag
 *                @36, u32 fraglen @40, payload @48.  Fragments of one
 *                message come in order, those of different senders
 *                (nodeid, pid) may interleave; the message counts as
 *                delivered at its last fragment.
 *   CONFCHG      u32 ring nodeid @24, u64 ring seq @32, u32 n_members
 *                @40, u32 n_left @44, u32 n_joined @48, then the three
 *                lists of u32 node ids @56, one after the other.
 */
#ifndef CPGD_EVS_IPC_H
#define CPGD_EVS_IPC_H

#define EVS_IPC_SERVICE "evs"

enum evs_ipc_req {
	EVS_IPC_JOIN = 0,
	EVS_IPC_LEAVE = 1,
	EVS_IPC_MCAST = 2,
	EVS_IPC_MEMBERSHIP = 3,
	EVS_IPC_FINALIZE = 4,
	EVS_IPC_REQ_COUNT_
};

enum evs_ipc_event {
	EVS_IPC_EV_DELIVER = 16,
	EVS_IPC_EV_CONFCHG = 17,
};

enum evs_ipc_frag {
	EVS_FRAG_NONE = 0,
	EVS_FRAG_FIRST = 1,
	EVS_FRAG_CONT = 2,
	EVS_FRAG_LAST = 3,
};

#define EVS_IPC_REQ_HDR 16
#define EVS_IPC_RES_HDR 24
#define EVS_IPC_GROUP_SIZE 32
#define EVS_IPC_GROUPS_REQ_HDR 24	/* JOIN, LEAVE */
#define EVS_IPC_MCAST_HDR 40
#define EVS_IPC_MEMBERSHIP_RES_HDR 32
#define EVS_IPC_DELIVER_HDR 48
#define EVS_IPC_CONFCHG_HDR 56

/* Field offsets, as listed above. */
#define EVS_IPC_HDR_ID 0
#define EVS_IPC_HDR_SIZE 8
#define EVS_IPC_RES_ERROR 16
#define EVS_IPC_GROUPS_N 16		/* JOIN, LEAVE */
#define EVS_IPC_MCAST_GUARANTEE 16
#define EVS_IPC_MCAST_JOINED 20
#define EVS_IPC_MCAST_N 24
#define EVS_IPC_MCAST_FRAG 28
#define EVS_IPC_MCAST_MSGLEN 32
#define EVS_IPC_MCAST_FRAGLEN 36
#define EVS_IPC_MEMBERSHIP_RES_NODEID 24
#define EVS_IPC_MEMBERSHIP_RES_COUNT 28
#define EVS_IPC_DELIVER_NODEID 24
#define EVS_IPC_DELIVER_PID 28
#define EVS_IPC_DELIVER_MSGLEN 32
#define EVS_IPC_DELIVER_FRAG 36
#define EVS_IPC_DELIVER_FRAGLEN 40
#define EVS_IPC_CONFCHG_RING_NODEID 24
#define EVS_IPC_CONFCHG_RING_SEQ 32
#define EVS_IPC_CONFCHG_N_MEMBERS 40
#define EVS_IPC_CONFCHG_N_LEFT 44
#define EVS_IPC_CONFCHG_N_JOINED 48

/* Groups in one request, and joined by one client at most. */
#define EVS_IPC_GROUPS_MAX 1024
/* Node ids in a MEMBERSHIP response or a CONFCHG list at most. */
#define EVS_IPC_MEMBERS_MAX 1024
/* Largest message, whole or fragmented (what the library reassembles). */
#define EVS_IPC_MSG_MAX (256u * 1024 * 1024)
/* The buffer size the library asks for, as libcpg's. */
#define EVS_IPC_BUFFER_SIZE (8192 * 128)

#endif
