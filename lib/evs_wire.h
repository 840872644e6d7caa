/*
 * The EVS client protocol (include/cpgd/evs_ipc.h) on the library's side:
 * building requests and decoding responses and events.  Pure functions on
 * byte buffers, no I/O; every field goes through the bounds-checked
 * cursor of wire/wire.h, so every read, counts before the lists they size
 * included, is checked against the length received.
 */
#ifndef EVS_WIRE_H
#define EVS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <corosync/evs.h>
#include <cpgd/evs_ipc.h>

/* A request that is nothing but its header (MEMBERSHIP, FINALIZE). */
void evs_wire_bare(uint8_t out[EVS_IPC_REQ_HDR], uint32_t id);
/* The fixed part of JOIN or LEAVE for n groups (the groups follow). */
void evs_wire_groups_hdr(uint8_t out[EVS_IPC_GROUPS_REQ_HDR], uint32_t id,
	uint32_t n);
/* The fixed part of MCAST (the groups and then the payload follow). */
void evs_wire_mcast_hdr(uint8_t out[EVS_IPC_MCAST_HDR], uint32_t guarantee,
	int joined, uint32_t n_groups, uint32_t frag, uint32_t msglen,
	uint32_t fraglen);

/*
 * A MEMBERSHIP response of len bytes (already checked as a response):
 * the local node id, and up to room node ids into list with *count the
 * number copied.  -EBADMSG when the count does not fit the response.
 */
int evs_wire_res_membership(const uint8_t *buf, size_t len,
	uint32_t *nodeid, unsigned int *list, size_t room, size_t *count);

/* One decoded event; pointers refer into the event buffer or `alloc`. */
struct evs_event {
	uint32_t id;
	uint32_t nodeid, pid;			/* DELIVER */
	uint32_t msglen, frag;			/* DELIVER */
	const void *data;			/* DELIVER: payload or fragment */
	size_t data_len;
	struct evs_ring_id ring;		/* CONFCHG */
	unsigned int *members, *left, *joined;	/* CONFCHG */
	size_t n_members, n_left, n_joined;
	void *alloc;
};

/* 0, -EBADMSG (malformed or truncated), -ENOTSUP (unknown id), -ENOMEM.
 * Release a decoded event with evs_wire_event_release(). */
int evs_wire_event_decode(const uint8_t *buf, size_t len,
	struct evs_event *ev);
void evs_wire_event_release(struct evs_event *ev);

#endif
