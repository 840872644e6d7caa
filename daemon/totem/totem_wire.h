/*
 * Totem wire format: encoder and validating decoder.
 *
 * Every packet starts with a fixed header, all integers big-endian:
 *   u8 version (TW_VERSION), u8 type, u16 zero, u32 sender node id,
 *   u32 ring rep, u64 ring seq
 * followed by a type-specific body (see totem_wire.c).  The encoders and
 * the decoder go through the tree's bounds-checked cursor (wire/wire.h).
 * The decoder checks every count against the bytes that follow before it
 * reads the array, and rejects truncated, oversized and inconsistent
 * packets (bad counts, unsorted or duplicate node sets, zero or unknown
 * node ids, trailing bytes) with -EBADMSG, and a packet of another
 * version with -EPROTO; it never writes outside the caller's struct.
 *
 * Versions.  A node set is a u16 count and that many ascending u32 ids.
 * Version 1 allowed at most 64 ids per set; version 2 (this one) allows
 * TOTEM_MAX_NODES (384), so a join of 384 nodes takes 3,104 bytes and a
 * commit token 11,159, within TW_MAX_PKT.  The layout is otherwise the
 * same, but a version 1 node cannot decode the larger sets, so the rule is
 * strict: a node takes only packets of its own version and drops the rest
 * (the engine logs a warning naming the sender).  Nodes of two versions
 * never form one ring: upgrade every node of a cluster together.
 */
#ifndef CPGD_TOTEM_WIRE_H
#define CPGD_TOTEM_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include "totem/totem.h"
#include "wire/wire.h"

#define TW_VERSION	2
#define TW_HDR_LEN	20
#define TW_MAX_NODES	TOTEM_MAX_NODES	/* ring members, join sets */
#define TW_MAX_RTR	128	/* retransmission requests on one token */
#define TW_MAX_PKT	65536	/* no packet is larger */
#define TW_MIN_MTU	256
/* Ring seqs grow by a few per ring change: anything near the top of the
 * range is a corrupt or hostile packet that would make ids wrap. */
#define TW_MAX_RING_SEQ	(1ull << 62)

enum tw_type {
	TW_MCAST = 1,
	TW_TOKEN = 2,
	TW_JOIN = 3,
	TW_COMMIT = 4,
	TW_MERGE = 5,		/* merge-detect probe: header only */
	TW_HOLD_CANCEL = 6,	/* "release the idle token": header only */
};

struct tw_hdr {
	uint8_t type;
	uint32_t sender;
	struct totem_ring_id ring;
};

/*
 * An ordered multicast.  body holds the packed chunks of one or more user
 * messages: u16 count, then per chunk u8 flags (TW_CF_*), u16 fragment
 * index, u32 message number (per sender, so fragments of different
 * messages never join), u32 length, bytes.  A recovery packet (TW_MF_ENCAP) carries a
 * message of the sender's old ring again in the new ring.
 */
#define TW_MF_SAFE	0x01	/* some chunk needs safe delivery */
#define TW_MF_ENCAP	0x02	/* old-ring message replayed in recovery */

#define TW_CF_FIRST	0x01
#define TW_CF_LAST	0x02
#define TW_CF_SAFE	0x04

struct tw_mcast {
	struct tw_hdr h;
	uint32_t seq;
	uint8_t flags;
	uint32_t origin;		/* node that first sent the body */
	struct totem_ring_id old_ring;	/* TW_MF_ENCAP only */
	uint32_t old_seq;		/* TW_MF_ENCAP only */
	uint8_t old_flags;		/* TW_MF_ENCAP: flags in the old ring */
	const uint8_t *body;		/* points into the packet */
	size_t body_len;
};

struct tw_chunk {
	uint8_t flags;
	uint16_t frag;
	uint32_t msgno;
	const uint8_t *data;
	uint32_t len;
};

/* Iterate the chunks of an already validated body: 1 per chunk, 0 at end. */
struct tw_chunk_iter {
	struct wire_rd r;
	uint16_t left;
};
void tw_chunks_begin(struct tw_chunk_iter *it, const uint8_t *body,
		     size_t len);
int tw_chunks_next(struct tw_chunk_iter *it, struct tw_chunk *c);
/* 0 when body is a well-formed chunk list, else -EBADMSG. */
int tw_body_check(const uint8_t *body, size_t len, uint8_t *safe);

#define TW_TF_INSTALL	0x01	/* recovery is over: install the ring */
#define TW_TF_BUSY	0x02	/* recovery: someone still lacks or sends */

struct tw_token {
	struct tw_hdr h;
	uint32_t token_seq;	/* one more at every hop: drops duplicates */
	uint32_t seq;		/* highest sequence number assigned */
	uint32_t aru;		/* all received up to, per the aru rule */
	uint32_t aru_id;	/* node that set aru, 0 none */
	uint32_t rot_min;	/* min of members' aru this rotation */
	uint32_t safe_aru;	/* every member held up to this */
	uint32_t rot_start;	/* seq when this rotation began */
	uint32_t backlog;	/* sum of members' queued packets */
	uint8_t flags;
	uint16_t n_rtr;
	uint32_t rtr[TW_MAX_RTR];	/* ascending */
};

struct tw_join {
	struct tw_hdr h;	/* ring: the sender's current ring */
	uint64_t max_seq;	/* highest ring seq the sender has seen */
	uint16_t n_proc;
	uint16_t n_fail;
	uint32_t proc[TW_MAX_NODES];	/* ascending */
	uint32_t fail[TW_MAX_NODES];	/* ascending */
};

struct tw_memb_entry {
	uint32_t node;
	struct totem_ring_id old_ring;
	uint32_t old_aru;
	uint32_t old_high;
	uint32_t old_safe;	/* safe point the member knew in the old ring */
	uint8_t filled;
};

struct tw_commit {
	struct tw_hdr h;	/* ring: the ring being formed */
	uint8_t rotation;	/* 0: collecting entries, 1: entering recovery */
	uint16_t n;
	struct tw_memb_entry m[TW_MAX_NODES];	/* ascending by node */
};

union tw_packet {
	struct tw_hdr h;
	struct tw_mcast mcast;
	struct tw_token token;
	struct tw_join join;
	struct tw_commit commit;
};

/* Node ids the decoder accepts (NULL nodes: any non-zero id). */
struct tw_limits {
	const uint32_t *nodes;	/* ascending */
	size_t n_nodes;
	uint32_t mtu;		/* mcast packets above this are rejected */
};

/* The packet's type; -EPROTO for a header of another TW_VERSION (the
 * version is the first byte), -EBADMSG for anything else wrong. */
int tw_decode(const void *buf, size_t len, const struct tw_limits *lim,
	      union tw_packet *out);

/* Encoders: bytes written, or -ENOSPC. */
int tw_encode_mcast(void *buf, size_t cap, const struct tw_mcast *m);
int tw_encode_token(void *buf, size_t cap, const struct tw_token *t);
int tw_encode_join(void *buf, size_t cap, const struct tw_join *j);
int tw_encode_commit(void *buf, size_t cap, const struct tw_commit *c);
/* A header-only packet (TW_MERGE, TW_HOLD_CANCEL) of type h->type. */
int tw_encode_short(void *buf, size_t cap, const struct tw_hdr *h);

/* Bytes taken by an mcast header (before the body). */
size_t tw_mcast_overhead(int encap);
/* Bytes taken by a chunk header. */
#define TW_CHUNK_HDR	11
#define TW_BODY_HDR	2

#endif
