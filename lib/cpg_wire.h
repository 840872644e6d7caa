/*
 * The CPG client protocol (shared/spec/cpg-ipc.md): building requests and
 * decoding responses and events.  Pure functions on byte buffers, no I/O.
 *
 * Byte order is the host's: the protocol only ever crosses a local IPC
 * channel between processes of the same machine.  Every field sits at an
 * explicit offset (include/cpgd/cpg_proto.h, shared with the daemon) and
 * is read and written through the bounds-checked cursor of wire/wire.h:
 * nothing is read by casting a buffer to a struct, and every read, counts
 * before the arrays they size included, is checked against the length
 * actually received.
 */
#ifndef CPG_WIRE_H
#define CPG_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <corosync/cpg.h>
#include <cpgd/cpg_proto.h>

/* Requests: each writes exactly its fixed size into out. */
void cpg_wire_join(uint8_t out[CPG_WIRE_JOIN_SIZE],
	const struct cpg_name *group, uint32_t pid, uint32_t flags);
void cpg_wire_leave(uint8_t out[CPG_WIRE_LEAVE_SIZE],
	const struct cpg_name *group, uint32_t pid);
void cpg_wire_membership(uint8_t out[CPG_WIRE_MEMBERSHIP_SIZE],
	const struct cpg_name *group);
/* A request that is nothing but its header (LOCAL_GET, FINALIZE). */
void cpg_wire_bare(uint8_t out[CPG_WIRE_REQ_HDR], enum cpg_req_id id);
/* RING_OPEN: the client's ring file, by its fd number in the client, and
 * the size of its data area (doc/fastpath.md). */
void cpg_wire_ring_open(uint8_t out[CPG_WIRE_RING_OPEN_SIZE], uint32_t fd,
	uint32_t size);
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
void cpg_wire_zc_hdr_set(uint8_t map[CPG_WIRE_ZC_HDR], uint32_t map_size);
uint64_t cpg_wire_zc_server_address(const uint8_t map[CPG_WIRE_ZC_HDR]);

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

/*
 * Fields of responses of len bytes, after cpg_wire_res_check() == 0: 0, or
 * -EBADMSG when the response is too short for them.
 */
int cpg_wire_res_local_nodeid(const uint8_t *buf, size_t len,
	uint32_t *nodeid);
int cpg_wire_res_iter_handle(const uint8_t *buf, size_t len,
	uint64_t *handle);
/* The group's name length is clamped to CPG_MAX_NAME_LENGTH. */
int cpg_wire_res_iter_desc(const uint8_t *buf, size_t len,
	struct cpg_iteration_description_t *desc);
/*
 * Members from a MEMBERSHIP response of len bytes: up to room entries into
 * list; *count gets the number copied.  -EBADMSG if the response is
 * shorter than its count, or the count beyond the bytes that follow or
 * the protocol's CPG_WIRE_MEMBERS_MAX.
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

#endif
