/*
 * The data path: our header, knet's destination filter, sending, and
 * draining the data fd into ops->recv.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net/net_int.h"
#include "wire/wire.h"

#define DISPATCH_BATCH 64 /* packets per net_dispatch(), to share the loop */

void net_header_put(uint8_t *buf, const struct net_header *h)
{
	struct wire_wr w;

	wire_wr_init(&w, buf, NET_HEADER_LEN);
	wire_wr_u8(&w, NET_VERSION);
	wire_wr_u8(&w, 0);
	wire_wr_be16(&w, 0);
	wire_wr_be32(&w, h->src);
	wire_wr_be32(&w, h->dst);
}

int net_header_get(const uint8_t *buf, size_t len, struct net_header *h)
{
	struct wire_rd r;
	uint8_t version = 0;
	uint32_t src = 0, dst = 0;

	wire_rd_init(&r, buf, len);
	wire_rd_u8(&r, &version);
	wire_rd_seek(&r, 4);
	wire_rd_be32(&r, &src);
	wire_rd_be32(&r, &dst);
	if (r.err || version != NET_VERSION)
		return -EBADMSG;
	h->src = src;
	h->dst = dst;
	return 0;
}

/* Runs in knet's threads: reads only the packet and immutable fields. */
int net_filter_cb(void *priv, const unsigned char *data, ssize_t len,
		  uint8_t tx_rx, knet_node_id_t this_host, knet_node_id_t src_host,
		  int8_t *channel, knet_node_id_t *dst, size_t *dst_entries)
{
	const struct net *n = priv;
	struct net_header h;

	(void)channel;
	if (len < 0 || net_header_get(data, (size_t)len, &h) < 0)
		return -1;
	if (tx_rx == KNET_NOTIFY_RX) {
		/* the sender must be who knet says it is */
		if (h.src != src_host || !net_is_peer(n, h.src))
			return -1;
		if (h.dst == 0)
			return 1;
		if (h.dst != this_host)
			return -1;
		dst[0] = this_host;
		*dst_entries = 1;
		return 0;
	}
	if (h.dst == 0)
		return 1;
	if (!net_is_peer(n, h.dst))
		return -1;
	dst[0] = (knet_node_id_t)h.dst;
	*dst_entries = 1;
	return 0;
}

static int send_one(struct net *n, uint32_t dst, const void *buf, size_t len)
{
	struct net_header h = { .src = n->local, .dst = dst };
	ssize_t rc;

	if (len > NET_MAX_PAYLOAD)
		return -EMSGSIZE;
	net_header_put(n->txbuf, &h);
	if (len > 0)
		memcpy(n->txbuf + NET_HEADER_LEN, buf, len);
	do {
		rc = knet_send(n->kh, (const char *)n->txbuf, len + NET_HEADER_LEN,
			       n->channel);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		int e = errno;

		n->counters.tx_dropped++;
		return e == EAGAIN || e == EWOULDBLOCK ? -EAGAIN : -e;
	}
	if ((size_t)rc != len + NET_HEADER_LEN) {
		n->counters.tx_dropped++;
		return -EIO;
	}
	n->counters.tx_packets++;
	n->counters.tx_bytes += len;
	return 0;
}

int net_send_all(struct net *n, const void *buf, size_t len)
{
	return send_one(n, 0, buf, len);
}

int net_send_to(struct net *n, uint32_t nodeid, const void *buf, size_t len)
{
	if (!net_is_peer(n, nodeid))
		return -EHOSTUNREACH;
	return send_one(n, nodeid, buf, len);
}

static void check_mtu(struct net *n)
{
	unsigned mtu = net_payload_mtu(n);

	if (mtu != n->mtu_reported) {
		n->mtu_reported = mtu;
		if (n->ops.mtu_changed != NULL)
			n->ops.mtu_changed(n->opaque, mtu);
	}
}

int net_dispatch(struct net *n)
{
	struct net_header h;
	int delivered = 0, i;

	check_mtu(n);
	if (atomic_load(&n->sock_error))
		return -EPIPE;
	for (i = 0; i < DISPATCH_BATCH; i++) {
		ssize_t len = read(n->datafd, n->rxbuf, sizeof(n->rxbuf));

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			break; /* EAGAIN: drained */
		if (len == 0)
			return -EPIPE;
		/* knet's filter checked it already; check again, cheaply,
		 * since this is the boundary our callers trust */
		if (net_header_get(n->rxbuf, (size_t)len, &h) < 0 ||
		    !net_is_peer(n, h.src) || (h.dst != 0 && h.dst != n->local)) {
			n->counters.rx_dropped++;
			continue;
		}
		n->counters.rx_packets++;
		n->counters.rx_bytes += (size_t)len - NET_HEADER_LEN;
		delivered++;
		if (n->ops.recv != NULL)
			n->ops.recv(n->opaque, h.src, n->rxbuf + NET_HEADER_LEN,
				    (size_t)len - NET_HEADER_LEN);
	}
	return delivered;
}

static int power_of_two(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* knet keeps no counter of the packets its receive thread drops; it says so
 * in one debug line each, which we asked for (net_knet.c) to count them. */
static void count_rx_drop(struct net *n, const char *msg)
{
	char line[160];
	uint64_t v;

	if (strstr(msg, "Unable to decrypt/auth packet") != NULL) {
		v = ++n->counters.rx_auth_failed;
		snprintf(line, sizeof(line), "%llu packet(s) failed authentication "
			 "and were dropped: a node with another key, or forged",
			 (unsigned long long)v);
	} else if (strstr(msg, "Unable to find source host") != NULL) {
		v = ++n->counters.rx_unknown_host;
		snprintf(line, sizeof(line), "%llu packet(s) from a node outside "
			 "the nodelist were dropped", (unsigned long long)v);
	} else {
		return;
	}
	if (power_of_two(v) && n->ops.log != NULL)
		n->ops.log(n->opaque, KNET_LOG_WARN, "rx", line);
}

int net_dispatch_log(struct net *n)
{
	struct knet_log_msg m;
	int lines = 0;

	for (;;) {
		ssize_t len = read(n->logpipe[0], &m, sizeof(m));

		if (len < 0 && errno == EINTR)
			continue;
		/* knet writes whole records to a pipe (atomic below PIPE_BUF) */
		if (len != (ssize_t)sizeof(m))
			break;
		m.msg[sizeof(m.msg) - 1] = '\0';
		lines++;
		if (m.subsystem == KNET_SUB_RX && m.msglevel == KNET_LOG_DEBUG) {
			count_rx_drop(n, m.msg);
			continue;
		}
		if (n->ops.log != NULL)
			n->ops.log(n->opaque, m.msglevel,
				   knet_log_get_subsystem_name(m.subsystem), m.msg);
	}
	return lines;
}
