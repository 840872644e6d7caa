/*
 * Read-only queries: MTU, reachability, per-link status, counters.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "net/net_int.h"

unsigned net_payload_mtu(const struct net *n)
{
	unsigned mtu = atomic_load(&((struct net *)n)->data_mtu);

	return mtu > NET_HEADER_LEN ? mtu - NET_HEADER_LEN : 0;
}

uint32_t net_local_nodeid(const struct net *n)
{
	return n->local;
}

int net_fd(const struct net *n)
{
	return n->datafd;
}

int net_log_fd(const struct net *n)
{
	return n->logpipe[0];
}

int net_node_reachable(const struct net *n, uint32_t nodeid, bool *reachable)
{
	struct knet_host_status st;

	if (!net_is_peer(n, nodeid))
		return -EHOSTUNREACH;
	memset(&st, 0, sizeof(st));
	if (knet_host_get_status(n->kh, (knet_node_id_t)nodeid, &st) < 0)
		return -errno;
	*reachable = st.reachable != 0;
	return 0;
}

int net_link_status(const struct net *n, uint32_t nodeid, unsigned link,
		    struct net_link_info *info)
{
	struct knet_link_status st;
	const struct config_node *peer = config_node_by_id(n->cfg, nodeid);
	const struct config_node *self = config_node_by_id(n->cfg, n->local);

	memset(info, 0, sizeof(*info));
	if (!net_is_peer(n, nodeid) || peer == NULL || self == NULL)
		return -EHOSTUNREACH;
	if (link >= CONFIG_MAX_LINKS)
		return -EINVAL;
	if (!peer->addr[link].set || !self->addr[link].set)
		return 0;
	info->configured = true;
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	if (knet_link_get_status(n->kh, (knet_node_id_t)nodeid, (uint8_t)link,
				 &st, sizeof(st)) < 0)
		return -errno;
	info->enabled = st.enabled != 0;
	info->connected = st.connected != 0;
	st.src_ipaddr[sizeof(st.src_ipaddr) - 1] = '\0';
	st.src_port[sizeof(st.src_port) - 1] = '\0';
	st.dst_ipaddr[sizeof(st.dst_ipaddr) - 1] = '\0';
	st.dst_port[sizeof(st.dst_port) - 1] = '\0';
	snprintf(info->src, sizeof(info->src), "%.64s:%.8s", st.src_ipaddr, st.src_port);
	snprintf(info->dst, sizeof(info->dst), "%.64s:%.8s", st.dst_ipaddr, st.dst_port);
	info->latency_us = st.latency;
	info->tx_data_packets = st.stats.tx_data_packets;
	info->rx_data_packets = st.stats.rx_data_packets;
	info->tx_data_bytes = st.stats.tx_data_bytes;
	info->rx_data_bytes = st.stats.rx_data_bytes;
	info->up_count = st.stats.up_count;
	info->down_count = st.stats.down_count;
	return 0;
}

void net_get_counters(const struct net *n, struct net_counters *out)
{
	struct knet_handle_stats st;

	*out = n->counters;
	out->rx_dropped += atomic_load(&n->rx_sock_full);
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	if (n->kh != NULL && knet_handle_get_stats(n->kh, &st, sizeof(st)) == 0) {
		out->tx_compressed = st.tx_compressed_packets;
		out->rx_compressed = st.rx_compressed_packets;
		out->tx_encrypted = st.tx_crypt_packets;
		out->rx_decrypted = st.rx_crypt_packets;
	}
}
