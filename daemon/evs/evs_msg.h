/*
 * The EVS layer's message, as it travels through the ordering layer (and
 * so, in a cluster, between nodes).  Big-endian, packed, read back
 * through the bounds-checked reader:
 *
 *   u8 version (1), u8 type (DATA), u8 guarantee, u8 frag (enum evs_frag)
 *   u32 pid of the sender, u32 msglen (the whole message),
 *   u32 n_groups (1..EVS_GROUPS_MAX), n_groups * 32 bytes,
 *   u32 len, payload[len]
 *
 * A whole message has frag WHOLE and len == msglen; a fragment has
 * len <= msglen.  Nothing may follow the payload.
 */
#ifndef CPGD_EVS_MSG_H
#define CPGD_EVS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "evs/evs.h"

#define EVS_MSG_VERSION 1
#define EVS_MSG_DATA 1
/* Bytes of header besides the groups. */
#define EVS_MSG_FIXED 20

struct evs_msg {
	uint8_t guarantee;
	uint8_t frag;
	uint32_t pid;
	uint32_t msglen;
	const uint8_t *groups;		/* into the buffer when decoded */
	size_t n_groups;
	const void *payload;
	size_t len;
};

/* Everything before the payload (the caller sends the payload after it,
 * m->len bytes).  Returns the header length, or -EMSGSIZE / -EINVAL. */
int evs_msg_encode_hdr(const struct evs_msg *m, uint8_t *buf, size_t cap);
/* Bytes of header for n groups. */
size_t evs_msg_hdr_size(size_t n_groups);
/* Decode and validate; 0 or -EBADMSG. */
int evs_msg_decode(const void *buf, size_t len, struct evs_msg *m);

#endif
