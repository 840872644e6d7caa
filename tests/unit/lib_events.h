/*
 * Builders of daemon-to-client events for the library's tests, written
 * with the library's own field writers at the offsets of the protocol.
 * Each writes into b (room enough) and returns the event's length.
 */
#ifndef LIB_EVENTS_H
#define LIB_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include <corosync/cpg.h>

struct cpg_name ev_name(const char *s);
size_t ev_deliver(uint8_t *b, const char *group, uint32_t nodeid,
	uint32_t pid, const void *msg, uint32_t len);
/* m members (pid 1000+i), l left (2000+i, LEAVE), j joined (3000+i, JOIN),
 * i counting over all entries; group "cc". */
size_t ev_confchg(uint8_t *b, uint32_t m, uint32_t l, uint32_t j);
/* A fragment of fraglen bytes 'f' from node 2 pid 55, group "pp". */
size_t ev_partial(uint8_t *b, uint32_t msglen, uint32_t fraglen,
	uint32_t type);
/* Ring 1.0x1234; n nodes 1..n in an array with room entries. */
size_t ev_totem(uint8_t *b, uint32_t n, size_t room);
size_t ev_flow(uint8_t *b, uint32_t state);

#endif
