/*
 * The ordering layer of a cluster node: the Totem engine (order_totem.h)
 * over the kronosnet transport (net/net.h), both on the daemon's libqb main
 * loop.  The typed configuration gives the engine its timeouts and node
 * list and the transport its hosts, links and crypto.  The engine's
 * packets (Totem frames) are up to totem.netmtu bytes, at most the largest
 * datagram knet takes (knet fragments them to the path MTU and reassembles
 * them): see order_cluster_frame_size(), updated when the path MTU
 * changes.  The order is order_totem.h's: order_stats() reports the
 * engine's counters, order_leave() announces the departure and waits
 * (half a second at most) until knet has sent it.
 */
#ifndef CPGD_ORDER_CLUSTER_H
#define CPGD_ORDER_CLUSTER_H

#include <qb/qbloop.h>

#include "config/config.h"
#include "order/order.h"

/*
 * The engine's packet size for knet's payload MTU (0: not measured yet)
 * and the configured netmtu: as many whole path-MTU frames as fit in
 * netmtu, at most NET_MAX_PAYLOAD (knet's largest datagram less our
 * header), so that knet's last fragment of a packet is never a mostly
 * empty frame; netmtu itself (within NET_MAX_PAYLOAD) when a frame
 * holds more or the path MTU is not known.
 */
uint32_t order_cluster_frame_size(unsigned payload_mtu, uint32_t netmtu);

/* The engine's timeouts and limits taken from the configuration. */
struct totem_config;
void order_cluster_totem_config(const struct config *cfg, uint32_t nodeid,
				struct totem_config *tc);

/* Start the engine for cfg->nodes[local_index] over net, a transport the
 * caller made for the same node (net_new()) and destroys after the order.
 * The order takes net's receive side over (net_bind()) and watches its
 * fds on loop until it is destroyed.  The config must outlive the order.
 * 0, or -errno with a reason in e (util/err.h). */
struct net;
struct err;
int order_cluster_new(qb_loop_t *loop, const struct config *cfg,
		      unsigned local_index, const char *state_dir,
		      struct net *net, struct order **out, struct err *e);

#endif
