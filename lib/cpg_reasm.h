/*
 * Reassembly of messages that arrive as PARTIAL_DELIVER fragments.
 *
 * The daemon delivers a sender's fragments in order, but fragments of
 * different senders interleave, so one message is assembled per sender
 * (nodeid, pid).  A fragment that does not fit the message under way
 * (continuation without a start, wrong total, overflow, short last piece)
 * drops that sender's message: the sender abandoned it.
 */
#ifndef CPG_REASM_H
#define CPG_REASM_H

#include <stddef.h>
#include <stdint.h>

/* Largest message accepted for reassembly. */
#define CPG_REASM_MAX_MSG (256u * 1024 * 1024)

struct cpg_reasm_slot {
	uint32_t nodeid, pid;
	uint32_t msglen;
	uint32_t have;
	uint32_t room;		/* buf grows with what arrives, not msglen */
	uint8_t *buf;
};

struct cpg_reasm {
	struct cpg_reasm_slot *slots;
	size_t n_slots;
};

void cpg_reasm_init(struct cpg_reasm *r);
void cpg_reasm_fini(struct cpg_reasm *r);

/*
 * Add one fragment of type CPG_FRAG_*.  Returns 1 when it completed a
 * message: *msg (malloc'ed, the caller frees it) and *len are set.
 * Returns 0 when more fragments are needed, -EBADMSG when the fragment was
 * rejected, -ENOMEM.
 */
int cpg_reasm_add(struct cpg_reasm *r, uint32_t nodeid, uint32_t pid,
	uint32_t type, uint32_t msglen, const void *frag, size_t fraglen,
	void **msg, size_t *len);

/* Messages under way; for tests. */
size_t cpg_reasm_pending(const struct cpg_reasm *r);

#endif
