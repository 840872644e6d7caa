/*
 * The ring sequence number kept across restarts, so that ring ids never go
 * backwards: one decimal number in <state_dir>/ring-seq, replaced
 * atomically (write a temporary file, fsync, rename).
 */
#ifndef CPGD_UTIL_RING_SEQ_H
#define CPGD_UTIL_RING_SEQ_H

#include <stdint.h>

/* 0 with *seq set (0 when there is no file yet), or -errno. */
int ring_seq_load(const char *state_dir, uint64_t *seq);

/* 0 or -errno. */
int ring_seq_store(const char *state_dir, uint64_t seq);

/* The same without the fsync: for the Totem driver, which stores a new seq
 * at every membership change from the main loop, where an fsync can stall
 * for seconds on a busy disk (longer than the token timeout).  The rename
 * stays atomic; the number survives the daemon's crash at once and the
 * machine's once the kernel has written it back (a node restarted after a
 * power loss also learns the highest seq from its peers' joins). */
int ring_seq_store_nosync(const char *state_dir, uint64_t seq);

#endif
