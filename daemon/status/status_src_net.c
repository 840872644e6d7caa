/* Links and counters of the kronosnet transport; see status_sources.h. */
#include "config.h"

#include <stddef.h>

#include "net/net.h"
#include "status/status_sources.h"

int status_src_net_links(void *arg, struct status_out *out)
{
	const struct status_net_src *ns = arg;
	uint32_t self = net_local_nodeid(ns->net);
	unsigned i, link;

	for (i = 0; i < ns->cfg->n_nodes; i++) {
		uint32_t id = ns->cfg->nodes[i].nodeid;

		if (id == self)
			continue;
		for (link = 0; link < CONFIG_MAX_LINKS; link++) {
			struct net_link_info li;
			struct status_link sl;

			if (net_link_status(ns->net, id, link, &li) < 0 ||
			    !li.configured)
				continue;
			sl.link = link;
			sl.enabled = li.enabled;
			sl.connected = li.connected;
			sl.src = li.src;
			sl.dst = li.dst;
			sl.latency_us = li.latency_us;
			status_link(out, id, &sl);
		}
	}
	return 0;
}

#define NC(f) { "net_" #f, offsetof(struct net_counters, f) }

static const struct status_field net_fields[] = {
	NC(tx_packets), NC(tx_bytes), NC(tx_dropped),
	NC(rx_packets), NC(rx_bytes), NC(rx_dropped),
	NC(rx_auth_failed), NC(rx_unknown_host),
};

int status_src_net_counters(void *arg, struct status_out *out)
{
	const struct status_net_src *ns = arg;
	struct net_counters c;

	net_get_counters(ns->net, &c);
	status_counter_fields(out, net_fields,
			      sizeof(net_fields) / sizeof(net_fields[0]), &c);
	status_counter(out, "net_payload_mtu", net_payload_mtu(ns->net));
	return 0;
}
