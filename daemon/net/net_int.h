/*
 * Private to daemon/net: the instance and the header codec.
 */
#ifndef CPGD_NET_INT_H
#define CPGD_NET_INT_H

#include <libknet.h>
#include <stdatomic.h>

#include "net/net.h"

#define NET_VERSION 1

struct net {
	knet_handle_t kh;
	const struct config *cfg;
	uint32_t local;
	int datafd;
	int8_t channel;
	int logpipe[2];
	struct net_ops ops;
	void *opaque;
	atomic_uint data_mtu;       /* written by knet's PMTUd thread */
	atomic_int sock_error;      /* set by knet's sock_notify */
	atomic_uint_fast64_t rx_sock_full; /* dropped by knet: our socket full */
	unsigned mtu_reported;
	struct net_counters counters;
	uint8_t known[(CONFIG_MAX_NODEID + 1) / 8]; /* configured peer ids */
	uint8_t txbuf[KNET_MAX_PACKET_SIZE];
	uint8_t rxbuf[KNET_MAX_PACKET_SIZE];
};

struct net_header {
	uint32_t src;
	uint32_t dst;
};

/* Encode into buf (at least NET_HEADER_LEN bytes). */
void net_header_put(uint8_t *buf, const struct net_header *h);
/* Decode from len bytes; -EBADMSG if short or of another version. */
int net_header_get(const uint8_t *buf, size_t len, struct net_header *h);

static inline bool net_is_peer(const struct net *n, uint32_t id)
{
	return id <= CONFIG_MAX_NODEID && (n->known[id / 8] & (1u << (id % 8))) != 0;
}

/* net_knet.c: knet's callbacks, used by net_new(). */
int net_filter_cb(void *priv, const unsigned char *data, ssize_t len,
		  uint8_t tx_rx, knet_node_id_t this_host, knet_node_id_t src_host,
		  int8_t *channel, knet_node_id_t *dst, size_t *dst_entries);

#endif
