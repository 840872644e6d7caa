/*
 * Ready-made status sources (status.h) over the other layers' public
 * headers.  Each lives in a file of its own, so the daemon links only the
 * ones whose layer it uses.
 *
 *   status_src_cpg_groups   arg: struct grp *            (grp/grp.h)
 *   status_src_ring         arg: struct status_tap *     (order/order.h)
 *   status_src_tap_counters arg: struct status_tap *
 *   status_src_order_counters arg: struct order *        (order/order.h)
 *   status_src_net_links    arg: struct status_net_src * (net/net.h)
 *   status_src_net_counters arg: struct status_net_src *
 */
#ifndef CPGD_STATUS_SOURCES_H
#define CPGD_STATUS_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "order/order.h"
#include "status/status.h"

/*
 * The ring tap sits between an ordering layer and its user (the CPG layer)
 * and remembers the last REGULAR configuration for the "ring" section,
 * counting deliveries and configurations on the way.  Install it after
 * order_mux_new() (which sets o->user); it forwards every upcall
 * unchanged.  Readiness does not pass through here: it is the ordering
 * layer's own upcall (order_set_ready()).
 */
struct status_tap {
	struct order *order;
	struct order_user inner;	/* where upcalls go on to */
	bool have_ring;
	struct order_ring_id ring;
	uint32_t *members;
	size_t n_members, cap;
	uint64_t delivered_msgs, delivered_bytes;
	uint64_t configurations, flow_blocked_events;
};

void status_tap_install(struct status_tap *t, struct order *o);
/* Puts the inner user back and frees the member list. */
void status_tap_remove(struct status_tap *t);

int status_src_ring(void *tap, struct status_out *out);
/* delivered_msgs, delivered_bytes, configurations, flow_blocked_events */
int status_src_tap_counters(void *tap, struct status_out *out);

/* sent_msgs, sent_bytes, packets_in, packets_out, token_rotation_us,
 * token_rotation_max_us, token_timeout_us, totem_mtu, totem_backlog_msgs,
 * totem_backlog_bytes (order_stats()); none
 * for an ordering layer that keeps no counters. */
int status_src_order_counters(void *order, struct status_out *out);

/* The local EVS clients and their groups.  arg: struct evs * (evs/evs.h) */
int status_src_evs_clients(void *evs, struct status_out *out);

/* Groups and members, through a short-lived client's CPG_ITERATION_ALL. */
int status_src_cpg_groups(void *cpg, struct status_out *out);

/* The transport, as the daemon made it (net_new()); not through the
 * ordering layer, which only uses it. */
struct net;
struct config;
struct status_net_src {
	const struct net *net;
	const struct config *cfg;	/* the node list to ask about */
};
/* Every configured link to every other node of cfg's node list. */
int status_src_net_links(void *net_src, struct status_out *out);
/* net_tx_packets, net_tx_bytes, net_tx_dropped, net_rx_*, net_payload_mtu */
int status_src_net_counters(void *net_src, struct status_out *out);

#endif
