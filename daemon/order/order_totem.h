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
	/* Called when the order is destroyed, after the engine; may be NULL. */
	void (*destroy)(void *arg);
	void *arg;
};

/* cfg->ring_seq is ignored: the last sequence is read from state_dir
 * (NULL: not persisted).  NULL with errno set on failure. */
struct order *order_totem_new(qb_loop_t *loop, const struct totem_config *cfg,
			      const struct order_totem_transport *tp,
			      const char *state_dir);

/* A packet received from node `from`. */
void order_totem_input(struct order *o, uint32_t from, const void *pkt,
		       size_t len);

/* The transport's evidence about node: reachable 0 when every link to it
 * is down, 1 when one is up again (totem_input_reachable()). */
void order_totem_reachable(struct order *o, uint32_t node, int reachable);

/* The node stops (SIGTERM): the engine announces that it leaves
 * (totem_leave()) so the peers form a ring without it at once.  Nothing is
 * delivered after this; destroy the order next. */
void order_totem_leave(struct order *o);

/* The engine's packet size from now on (totem_set_mtu()), for a path MTU
 * the transport found; 0, or -EINVAL outside the engine's range. */
int order_totem_set_mtu(struct order *o, uint32_t mtu);

/* The transport's arg given at creation. */
void *order_totem_transport_arg(const struct order *o);

/* Counters for status tools (deliveries, configurations and flow
 * changes are counted above the ordering layer, by the status tap). */
struct order_totem_stats {
	uint64_t mcast_msgs, mcast_bytes;
	uint64_t packets_in, packets_out;
	uint64_t mtu;			/* the engine's packet size in force */
	/* Time between two tokens taken in by this node in one ring (the
	 * last one, the longest since start), and the token timeout of the
	 * current ring; 0 until measured. */
	uint64_t token_rotation_us, token_rotation_max_us;
	uint64_t token_timeout_us;
};
void order_totem_stats(const struct order *o, struct order_totem_stats *st);

#endif
