/*
 * The ordering seam (order.h) over the Totem engine (totem/totem.h).
 *
 * This is the engine's driver in the daemon: it feeds the engine the time
 * from CLOCK_MONOTONIC, turns the engine's timer requests into libqb main
 * loop timers, hands its packets to a transport (in cpgd the kronosnet
 * layer, net/net.h), persists the ring sequence in <state_dir>/ring-seq and
 * maps deliveries and configurations onto the order_user upcalls.
 *
 * Flow control (order.h): flow(1) while the engine's backlog is full, while
 * this node's own messages in flight (handed to the engine, not yet
 * delivered back here) pass 4 MiB (until they fall to 2 MiB), or while
 * this node or any other node of the ring holds.  A hold travels as a
 * small message of this driver in agreed order (each message given to the
 * engine starts with a tag byte telling a user's message from a hold), is
 * announced again at every new ring, and ends with its node's departure
 * from the ring.  Once every node has delivered a hold, what still reaches
 * the holding node is at most each node's own messages then in flight:
 * 4 MiB plus one message per sending node.
 *
 * Packets that arrive from the transport are given to
 * order_totem_input(); the transport says which node sent them (knet
 * authenticates hosts, so this is not taken from the packet).
 */
#ifndef CPGD_ORDER_TOTEM_H
#define CPGD_ORDER_TOTEM_H

#include <qb/qbloop.h>

#include "order/order.h"
#include "totem/totem.h"

struct order_totem_transport {
	/* Send to every other node (to == TOTEM_TO_ALL) or to one node. */
	void (*send)(void *arg, uint32_t to, const void *pkt, size_t len);
	/* The node leaves (order_leave()): called with after = 0 just
	 * before the engine hands its announcement to send(), and with
	 * after = 1 once it has; by the return of the second call the
	 * announcement should be on the wire (within a short bound).  May
	 * be NULL. */
	void (*leaving)(void *arg, int after);
	/* Called when the order is destroyed, after the engine; may be NULL. */
	void (*destroy)(void *arg);
	void *arg;
};

struct order_totem;

/* cfg->ring_seq is ignored: the last sequence is read from state_dir
 * (NULL: not persisted).  0, or -errno with a reason in e (util/err.h).
 * The driver's seam is order_totem_base(*out); order_destroy() on it
 * frees the driver. */
struct err;
int order_totem_new(qb_loop_t *loop, const struct totem_config *cfg,
		    const struct order_totem_transport *tp,
		    const char *state_dir, struct order_totem **out,
		    struct err *e);

/* The ordering seam (order.h) of the driver.  Its order_stats() are the
 * engine's (order.h's struct order_stats, every field); its
 * order_leave() announces the node's departure (totem_leave()), so the
 * peers form a ring without it at once, with the transport's leaving()
 * around it; nothing is delivered after it. */
struct order *order_totem_base(struct order_totem *ot);

/* A packet received from node `from`. */
void order_totem_input(struct order_totem *ot, uint32_t from, const void *pkt,
		       size_t len);

/* The transport's evidence about node: reachable 0 when every link to it
 * is down, 1 when one is up again (totem_input_reachable()). */
void order_totem_reachable(struct order_totem *ot, uint32_t node,
			   int reachable);

/* The engine's packet size from now on (totem_set_mtu()), for a path MTU
 * the transport found; 0, or -EINVAL outside the engine's range. */
int order_totem_set_mtu(struct order_totem *ot, uint32_t mtu);

#endif
