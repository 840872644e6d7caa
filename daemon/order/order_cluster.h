/*
 * The ordering layer of a cluster node: the Totem engine (order_totem.h)
 * over the kronosnet transport (net/net.h), both on the daemon's libqb main
 * loop.  The typed configuration gives the engine its timeouts and node
 * list and the transport its hosts, links and crypto.  The engine's packets
 * are up to 8 KiB (knet fragments them): as many whole frames of the path
 * MTU that knet's discovery reports as fit, updated when it changes.
 */
#ifndef CPGD_ORDER_CLUSTER_H
#define CPGD_ORDER_CLUSTER_H

#include <qb/qbloop.h>

#include "config/config.h"
#include "order/order.h"

/* The engine's timeouts and limits taken from the configuration. */
struct totem_config;
void order_cluster_totem_config(const struct config *cfg, uint32_t nodeid,
				struct totem_config *tc);

/* Start the transport and the engine for cfg->nodes[local_index].  The
 * config must outlive the returned order.  NULL with a reason in err. */
struct order *order_cluster_new(qb_loop_t *loop, const struct config *cfg,
				unsigned local_index, const char *state_dir,
				char *err, size_t errlen);

/* The daemon stops: announce that this node leaves (order_totem_leave())
 * and give the transport a moment to put that on the wire before the order
 * is destroyed.  NULL is ignored. */
void order_cluster_leave(struct order *o);

/* The transport under an order made by order_cluster_new(), for status
 * tools. */
struct net *order_cluster_net(struct order *o);

#endif
