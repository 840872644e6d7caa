/*
 * The request ring of fast path version 2 (doc/fastpath.md): a memfd this
 * library makes, seals against shrinking and shares with the daemon, into
 * which cpg_mcast_joined() appends whole MCAST requests without a system
 * call; the daemon takes them on every turn of its loop while it is busy
 * and is woken by a RING_KICK request only when it said it sleeps.
 *
 * Locking: the ring's own lock keeps producers (any thread) apart; it is a
 * leaf: nothing else is taken while it is held (the kick is sent after).
 */
#ifndef CPG_RING_H
#define CPG_RING_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct cpg_inst;
struct cpg_ring;

/* A ring of data_size bytes (a power of two): 0 or -errno. */
int cpg_ring_new(uint32_t data_size, struct cpg_ring **out);
void cpg_ring_free(struct cpg_ring *r);

/* Offer the ring to the daemon (RING_OPEN): 1 when it took it (the ring
 * is then the instance's), 0 when it refused (the ring is freed), -errno
 * when the connection failed. */
int cpg_ring_attach(struct cpg_inst *inst, struct cpg_ring *r);

/* Append one MCAST request (iov, total bytes) to the instance's ring and
 * wake the daemon if it sleeps: 0, -EAGAIN (no room now), -ENOTCONN (the
 * daemon is gone, seen when the ring is full) or -errno of the kick. */
int cpg_ring_mcast(struct cpg_inst *inst, const struct iovec *iov,
	unsigned int n, size_t total);

#endif
