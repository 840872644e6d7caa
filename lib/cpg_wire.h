/*
 * The CPG client protocol (shared/spec/cpg-ipc.md): building requests and
 * decoding responses and events.  Pure functions on byte buffers, no I/O.
 *
 * Byte order is the host's: the protocol only ever crosses a local IPC
 * channel between processes of the same machine.  Every field sits at an
 * explicit offset (the daemon's structs align every field to 8 bytes);
 * nothing is read by casting a buffer to a struct, and every read is
 * checked against the length actually received.
 */
#ifndef CPG_WIRE_H
#define CPG_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <corosync/cpg.h>

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
 * The fast path between this library and cpgd (doc/fastpath.md): ids far
 * outside corosync's, which answers the announcement as any unknown
 * request (CS_ERR_INVALID_PARAM) and never sends the event.
 */
#define CPG_REQ_FAST_HELLO	0x43504700u	/* version @16, flags @20 */
#define CPG_RES_FAST_HELLO	0x43504700u	/* version @24, flags @28 */
#define CPG_EV_BATCH		0x43504701u	/* count @24, items @32 */
#define CPG_FAST_VERSION	1u
#define CPG_WIRE_FAST_HELLO_SIZE 24
#define CPG_WIRE_FAST_HELLO_RES_SIZE 32
#define CPG_WIRE_BATCH_HDR	32
#define CPG_WIRE_BATCH_ALIGN	8

/* Fragment types of PARTIAL_MCAST and PARTIAL_DELIVER. */
enum cpg_frag_type {
	CPG_FRAG_FIRST = 1,
	CPG_FRAG_CONT = 2,
	CPG_FRAG_LAST = 3,
};

/* Sizes of the fixed parts. */
#define CPG_WIRE_REQ_HDR	16	/* qb_ipc_request_header */
#define CPG_WIRE_RES_HDR	24	/* qb_ipc_response_header */
#define CPG_WIRE_JOIN_SIZE	168
#define CPG_WIRE_LEAVE_SIZE	160
#define CPG_WIRE_MCAST_HDR	40
#define CPG_WIRE_MEMBERSHIP_SIZE 152
#define CPG_WIRE_ITER_INIT_SIZE	160
#define CPG_WIRE_ITER_HANDLE_SIZE 24	/* ITERATIONNEXT and ITERATIONFINALIZE */
#define CPG_WIRE_ZC_ALLOC_SIZE	152
#define CPG_WIRE_ZC_FREE_SIZE	32
#define CPG_WIRE_ZC_EXECUTE_SIZE 24
#define CPG_WIRE_PARTIAL_HDR	56
#define CPG_WIRE_ZC_PATH_LEN	128
#define CPG_WIRE_ZC_HDR		16	/* at the start of a zero-copy mapping */

#define CPG_WIRE_ADDR_SIZE	24
#define CPG_WIRE_MEMBERS_MAX	384	/* room in the MEMBERSHIP response */
#define CPG_WIRE_MEMBERSHIP_RES_SIZE (32 + CPG_WIRE_MEMBERS_MAX * CPG_WIRE_ADDR_SIZE)
#define CPG_WIRE_LOCAL_GET_RES_SIZE 32
#define CPG_WIRE_ITER_INIT_RES_SIZE 32
#define CPG_WIRE_ITER_NEXT_RES_SIZE (24 + 144)

/* Offsets of the payload in DELIVER and PARTIAL_DELIVER events. */
#define CPG_WIRE_DELIVER_HDR	184
#define CPG_WIRE_PARTIAL_DELIVER_HDR 200

/* Requests: each writes exactly its fixed size into out. */
void cpg_wire_join(uint8_t out[CPG_WIRE_JOIN_SIZE],
	const struct cpg_name *group, uint32_t pid, uint32_t flags);
void cpg_wire_leave(uint8_t out[CPG_WIRE_LEAVE_SIZE],
	const struct cpg_name *group, uint32_t pid);
void cpg_wire_membership(uint8_t out[CPG_WIRE_MEMBERSHIP_SIZE],
	const struct cpg_name *group);
/* A request that is nothing but its header (LOCAL_GET, FINALIZE). */
void cpg_wire_bare(uint8_t out[CPG_WIRE_REQ_HDR], enum cpg_req_id id);
void cpg_wire_iter_init(uint8_t out[CPG_WIRE_ITER_INIT_SIZE],
	const struct cpg_name *group, uint32_t type);
/* ITERATIONNEXT or ITERATIONFINALIZE. */
void cpg_wire_iter_handle(uint8_t out[CPG_WIRE_ITER_HANDLE_SIZE],
	enum cpg_req_id id, uint64_t server_handle);
/* Header in front of an MCAST payload of msglen bytes. */
void cpg_wire_mcast_hdr(uint8_t out[CPG_WIRE_MCAST_HDR],
	uint32_t guarantee, uint32_t msglen);
/* Header in front of one PARTIAL_MCAST fragment. */
void cpg_wire_partial_hdr(uint8_t out[CPG_WIRE_PARTIAL_HDR],
	uint32_t guarantee, uint32_t msglen, uint32_t fraglen, uint32_t type);
/* path must be shorter than CPG_WIRE_ZC_PATH_LEN: -ENAMETOOLONG if not. */
int cpg_wire_zc_alloc(uint8_t out[CPG_WIRE_ZC_ALLOC_SIZE],
	uint64_t map_size, const char *path);
void cpg_wire_zc_free(uint8_t out[CPG_WIRE_ZC_FREE_SIZE],
	uint64_t map_size, uint64_t server_address);
void cpg_wire_zc_execute(uint8_t out[CPG_WIRE_ZC_EXECUTE_SIZE],
	uint64_t server_address);
/* The zc header at the start of a mapping. */
void cpg_wire_zc_hdr_set(uint8_t *map, uint32_t map_size);
uint64_t cpg_wire_zc_server_address(const uint8_t *map);

/*
 * Check a response: id as expected, size field equal to the received
 * length, and at least min_len when the answer is CS_OK.  Returns the
 * daemon's answer as an internal code (0 for CS_OK, see cpg_err.h), or
 * -EBADMSG for a malformed response.
 */
int cpg_wire_res_check(const uint8_t *buf, size_t len,
	enum cpg_res_id id, size_t min_len);

/*
 * The answer to ZC_ALLOC or ZC_FREE.  corosync 3.1 sends these headers
 * without filling them in, so only a header that carries the expected id
 * (CPG_RES_ZC_ALLOC or CPG_RES_ZC_FREE) and its own length is believed;
 * anything else of at least header size counts as no answer (0).
 */
int cpg_wire_res_zc(const uint8_t *buf, size_t len, enum cpg_res_id id);

/* Fields of checked responses (call only after cpg_wire_res_check() == 0). */
uint32_t cpg_wire_res_local_nodeid(const uint8_t *buf);
uint64_t cpg_wire_res_iter_handle(const uint8_t *buf);
void cpg_wire_res_iter_desc(const uint8_t *buf,
	struct cpg_iteration_description_t *desc);
/*
 * Members from a MEMBERSHIP response of len bytes: up to room entries into
 * list; *count gets the number copied.  -EBADMSG if the count is beyond the
 * response.
 */
int cpg_wire_res_members(const uint8_t *buf, size_t len,
	struct cpg_address *list, size_t room, size_t *count);

/* One decoded event.  Pointers refer into the event buffer or to addrs. */
struct cpg_event {
	enum cpg_res_id id;
	struct cpg_name group;			/* DELIVER, CONFCHG, PARTIAL */
	uint32_t nodeid, pid;			/* DELIVER, PARTIAL */
	uint32_t msglen;			/* DELIVER, PARTIAL: whole message */
	uint32_t frag_type;			/* PARTIAL */
	void *data;				/* payload or fragment */
	size_t data_len;
	struct cpg_address *members, *left, *joined;	/* CONFCHG */
	size_t n_members, n_left, n_joined;
	struct cpg_ring_id ring;		/* TOTEM_CONFCHG */
	uint32_t *nodes;			/* TOTEM_CONFCHG */
	uint32_t n_nodes;
	uint32_t flow_control;			/* FLOWCONTROL */
	void *alloc;				/* owned lists; see release */
};

/*
 * Decode the event of len bytes in buf (which must stay valid while ev is
 * used).  Returns 0, -EBADMSG for a malformed or truncated event,
 * -ENOTSUP for an unknown id, or -ENOMEM.  On success release with
 * cpg_wire_event_release().
 */
int cpg_wire_event_decode(uint8_t *buf, size_t len, struct cpg_event *ev);
void cpg_wire_event_release(struct cpg_event *ev);

/* The fast path's announcement, speaking up to version. */
void cpg_wire_fast_hello(uint8_t out[CPG_WIRE_FAST_HELLO_SIZE],
	uint32_t version);
/*
 * The answer to it: 1 when accepted (*version gets the version to speak,
 * at least 1), 0 when refused or not understood (speak the standard
 * protocol), -EBADMSG when shorter than a response header.
 */
int cpg_wire_res_fast_hello(const uint8_t *buf, size_t len,
	uint32_t *version);

/* Is this event of len bytes a batch (only on a fast connection)? */
int cpg_wire_is_batch(const uint8_t *buf, size_t len);

/* The items of a batch not dispatched yet. */
struct cpg_batch {
	uint8_t *buf;
	size_t len, off;
	uint32_t left;
};

/*
 * Start reading the batch of len bytes in buf (which must stay valid):
 * 0, or -EBADMSG when the header is malformed (nothing is kept then).
 */
int cpg_wire_batch_open(struct cpg_batch *b, uint8_t *buf, size_t len);
/*
 * The next item, a complete standard event: 1 with *item and *len set, 0
 * when the batch is done, -EBADMSG when the rest is malformed (the batch
 * is then done).  Items are checked only for their framing here; decode
 * them with cpg_wire_event_decode().
 */
int cpg_wire_batch_next(struct cpg_batch *b, uint8_t **item, size_t *len);
static inline int cpg_wire_batch_pending(const struct cpg_batch *b)
{
	return b->left > 0;
}

/* Helpers shared with the tests that build events. */
void cpg_wire_put_u32(uint8_t *buf, size_t off, uint32_t v);
void cpg_wire_put_u64(uint8_t *buf, size_t off, uint64_t v);
void cpg_wire_put_name(uint8_t *buf, size_t off, const struct cpg_name *name);
void cpg_wire_put_res_hdr(uint8_t *buf, uint32_t id, uint32_t size, uint32_t error);
uint32_t cpg_wire_get_u32(const uint8_t *buf, size_t off);
uint64_t cpg_wire_get_u64(const uint8_t *buf, size_t off);

#endif
