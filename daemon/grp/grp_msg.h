/*
 * The CPG layer's own messages, as they travel through the ordering layer
 * (and so, in a cluster, between nodes).  Big-endian, packed, read back
 * through the bounds-checked reader:
 *
 *   u8 version (2), u8 type, u16 0
 *   JOIN   u32 pid, name
 *   LEAVE  u32 pid, name, u32 reason (LEAVE or PROCDOWN)
 *   DATA   u32 pid, name, u32 len, payload[len]  (also a fragmented
 *          message collected whole by the sender's node)
 *   FRAG   u32 pid, name, u32 msglen, u32 frag type, u32 fraglen,
 *          payload[fraglen]
 *   SYNC   u32 count, count * (u32 nodeid, u32 pid, name)   the members
 *          the sender knows of, on itself and on the nodes that moved
 *          with it into the new ring
 *
 * where name is u32 length (<= 128) followed by that many bytes.  Nothing
 * may follow the last field.
 */
#ifndef CPGD_CPG_MSG_H
#define CPGD_CPG_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "grp/grp.h"
#include "util/wire.h"

#define GRP_MSG_VERSION 2
/* Room for the longest header (everything but payload and sync entries). */
#define GRP_MSG_HDR_MAX 160

enum grp_msg_type {
	GRP_MSG_JOIN = 1,
	GRP_MSG_LEAVE = 2,
	GRP_MSG_DATA = 3,
	GRP_MSG_FRAG = 4,
	GRP_MSG_SYNC = 5,
};

struct grp_msg {
	uint8_t type;
	uint32_t pid;
	struct grp_gname group;
	uint32_t reason;		/* LEAVE */
	uint32_t msglen;		/* FRAG: the whole message */
	uint32_t frag_type;		/* FRAG */
	const void *payload;		/* DATA, FRAG: into the decoded buffer */
	size_t payload_len;
	uint32_t n_sync;		/* SYNC: entries follow in `sync` */
	struct wire_rd sync;
};

/* Encode everything up to the payload (DATA/FRAG: payload_len is written
 * as the length; the caller sends the payload as a second iovec).  Returns
 * the header length or -EMSGSIZE / -EINVAL. */
int grp_msg_encode_hdr(const struct grp_msg *m, uint8_t *buf, size_t cap);

/* Bytes needed for a SYNC message with n entries, at most. */
size_t grp_msg_sync_size(size_t n);
/* Start a SYNC message in w; then add each entry. */
int grp_msg_sync_begin(struct wire_wr *w, uint32_t n);
int grp_msg_sync_add(struct wire_wr *w, uint32_t nodeid, uint32_t pid,
		     const struct grp_gname *g);

/* Decode and validate; 0 or -EBADMSG. */
int grp_msg_decode(const void *buf, size_t len, struct grp_msg *m);
/* Next SYNC entry of a decoded message; 0, or -ENODATA after the last,
 * -EBADMSG if malformed. */
int grp_msg_sync_next(struct grp_msg *m, uint32_t *nodeid, uint32_t *pid,
		      struct grp_gname *g);

#endif
