/*
 * Shared by the fuzz targets of the daemon's request handlers
 * (fuzz_ipc.c, fuzz_evs.c): a one-node ordering layer that delivers after
 * each request, and the reading of the targets' input records.
 *
 *   struct fuzz_order fo;
 *   fuzz_order_init(&fo, max_msg, block_above);
 *   ... the layer under test made on &fo.base ...
 *   while (fuzz_next_req(data, size, &pos, hdr, &r)) {
 *       ... dispatch r.req, r.len on connection r.op & 3 ...
 *       free(r.req);
 *       fuzz_order_pump(&fo);
 *   }
 *   ... the layer destroyed ...
 *   fuzz_order_drop(&fo);
 */
#ifndef CPGD_FUZZ_ORDER_H
#define CPGD_FUZZ_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "order/order.h"

struct fuzz_qmsg;

struct fuzz_order {
	struct order base;
	struct fuzz_qmsg *head, *tail;
	size_t queued;
	size_t max_msg;		/* order_max_msg_size() */
	size_t block_above;	/* flow blocked above this many queued; 0: never */
};

/* order_mcast() queues a copy: a message longer than max_msg aborts (the
 * layer above must have refused it); -EAGAIN with more than 64 queued. */
void fuzz_order_init(struct fuzz_order *f, size_t max_msg, size_t block_above);

/* Delivers the queue (node 1) to base.user.deliver, in order, until it is
 * empty (a delivery may queue more). */
void fuzz_order_pump(struct fuzz_order *f);

/* Frees what is queued, undelivered. */
void fuzz_order_drop(struct fuzz_order *f);

/* The host-order u32 at off of b (any alignment). */
uint32_t fuzz_get32(const void *b, size_t off);

/* Reads every byte of p[0..len): a short buffer is caught by ASan. */
void fuzz_touch(const void *p, size_t len);

/*
 * One input record:
 *   u8 op   low 2 bits: the connection; other bits the target's own, but
 *           0x80: leave the request's size field as given (else it is set
 *           to the record's length when len >= hdr, so that most requests
 *           get past the header check and into the handlers)
 *   u16 len (little endian), then len bytes of request (cut at the end
 *           of the input).
 */
struct fuzz_req {
	uint8_t op;
	uint8_t *req;	/* an exact malloc'd copy, so that any read past it is caught */
	size_t len;
};

/* The record at *pos of data[0..size) into r, *pos moved past it: 1, or 0
 * at the end of the input.  The size field is the u32 at offset 8. */
int fuzz_next_req(const uint8_t *data, size_t size, size_t *pos, size_t hdr,
		  struct fuzz_req *r);

#endif
