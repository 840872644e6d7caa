/*
 * The daemon's half of the request ring of fast path version 2
 * (doc/fastpath.md, "The request ring"): a connection that negotiated
 * version 2 offers a sealed memfd (RING_OPEN); its multicasts then come
 * through it.  The daemon takes every entry on every turn of its loop
 * while the ring is busy, sleeps (a flag in the ring) when a turn finds it
 * empty, and is woken by the client's RING_KICK request.  Before any other
 * request of the connection the ring is emptied, so that requests keep
 * the order the client made them in; while flow control holds the ring
 * back, that request waits (one at most) until it is empty.
 *
 * Nothing in the ring is trusted: a bad index, a garbage entry or a
 * malformed multicast closes the connection with a log line, as a
 * malformed multicast request does.  The file is mapped only once it is
 * known to be a memfd sealed against shrinking, of the client's uid and
 * of exactly the size announced, so a client cannot raise SIGBUS here.
 */
#ifndef CPGD_IPC_RING_H
#define CPGD_IPC_RING_H

#include <stddef.h>
#include <stdint.h>

struct ipc_conn;
struct ipc_server;

/* The server's ring_efd became readable: a turn of every busy ring. */
int32_t ipc_rings_dispatch(int32_t fd, int32_t revents, void *data);
/* Requests are taken again (flow control lifted): drain every ring. */
void ipc_rings_resume(struct ipc_server *s);

/* Called for every request of a connection before it is dispatched:
 * 1 when it was taken here (RING_OPEN, RING_KICK, or a request that waits
 * behind a ring held back by flow control), 0 when it is to be dispatched
 * now (its ring, if any, is empty). */
int ipc_ring_on_request(struct ipc_conn *ic, const void *data, size_t size);

/* The connection is gone: what its ring holds is dropped. */
void ipc_ring_close(struct ipc_conn *ic);

#endif
