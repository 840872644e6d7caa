/*
 * The one-node local sequencer behind order.h.
 *
 * Messages are copied into a FIFO at order_mcast() and delivered, in that
 * order, from the libqb main loop (in batches), never from inside
 * order_mcast().
 * The first upcall is a REGULAR configuration with this node alone, its
 * ring sequence one higher than the last one recorded in
 * <state_dir>/ring-seq (so ring ids never go backwards across restarts).
 *
 * The backlog (messages queued but not yet delivered) has a high and a low
 * mark: crossing the high mark reports flow(1), falling to the low mark
 * flow(0).  order_mcast() answers -EAGAIN only at a hard limit far above the
 * high mark, which a user that stops feeding on flow(1) never reaches.
 * order_hold(1) reports flow(1) as well, until order_hold(0); what is
 * delivered after a hold is then at most the backlog's high mark (32 MiB
 * by default) plus one message.
 *
 * The user (o->user) must be set before the loop first runs.
 */
#ifndef CPGD_ORDER_LOCAL_H
#define CPGD_ORDER_LOCAL_H

#include <qb/qbloop.h>

#include "order/order.h"

struct order_local_limits {
	size_t high_msgs, low_msgs, max_msgs;
	size_t high_bytes, low_bytes, max_bytes;
	size_t max_msg_size;
	unsigned int batch;	/* deliveries per turn of the loop */
};

/* state_dir may be NULL: the ring sequence then starts at 1.
 * limits may be NULL for the defaults.  0, or -errno with a reason in e
 * (util/err.h). */
struct err;
int order_local_new(qb_loop_t *loop, uint32_t nodeid, const char *state_dir,
		    const struct order_local_limits *limits,
		    struct order **out, struct err *e);

#endif
