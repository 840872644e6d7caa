/*
 * Reading one entry out of a client's request ring (doc/fastpath.md, "The
 * request ring"), with nothing trusted: the client may write anything at
 * any time, so the entry is first copied out, then checked on the copy.
 * Pure: no I/O, no state but the arguments (unit test and fuzz target).
 */
#ifndef CPGD_IPC_RING_PARSE_H
#define CPGD_IPC_RING_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The entry at head of the ring data (size bytes, a power of two), where
 * the client says it has written up to tail.  On 0 the entry (a whole
 * MCAST request, its size field equal to *len, at most max bytes) is in
 * out (room max) and the next one starts at head + ipc_ring_step(*len).
 * -EAGAIN: nothing to take (head == tail).  -ERANGE: tail is not a place
 * the client can have written to (behind head, more than size ahead, not
 * aligned).  -EBADMSG: the entry is garbage (shorter than a request
 * header, longer than max or than what was written, not an MCAST).
 * *why (may be NULL) gets a reason for the log on an error.
 */
int ipc_ring_next(const uint8_t *data, uint64_t size, uint64_t head,
		  uint64_t tail, uint8_t *out, size_t max, size_t *len,
		  const char **why);

/* The room an entry of len bytes takes (8-aligned). */
uint64_t ipc_ring_step(size_t len);

#endif
