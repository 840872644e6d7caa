/*
 * Builders of daemon-to-client events for the library's tests, written
 * at the offsets of the protocol with the raw field writers below.  Each
 * writes into b (room enough) and returns the event's length.
 */
#ifndef LIB_EVENTS_H
#define LIB_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <corosync/cpg.h>

/*
 * Raw fields in host order at an offset, unchecked on purpose: the tests
 * build truncated and lying messages and read what the library wrote,
 * independently of the library's own (checked) codec.
 */
static inline void cpg_wire_put_u32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

static inline void cpg_wire_put_u64(uint8_t *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

static inline uint32_t cpg_wire_get_u32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static inline uint64_t cpg_wire_get_u64(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

/* A name {u32 length @0, value[128] @8}. */
static inline void cpg_wire_put_name(uint8_t *b, size_t off,
	const struct cpg_name *name)
{
	cpg_wire_put_u32(b, off, name->length);
	memcpy(b + off + 8, name->value, CPG_MAX_NAME_LENGTH);
}

/* A response header {id @0, size @8, error @16}, its padding zeroed. */
static inline void cpg_wire_put_res_hdr(uint8_t *b, uint32_t id,
	uint32_t size, uint32_t error)
{
	memset(b, 0, 24);
	cpg_wire_put_u32(b, 0, id);
	cpg_wire_put_u32(b, 8, size);
	cpg_wire_put_u32(b, 16, error);
}

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
