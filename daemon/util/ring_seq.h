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

#endif
