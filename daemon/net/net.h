/*
 * daemon/net: the kronosnet transport.
 *
 * One knet handle per daemon; one knet host per other nodelist node; one
 * knet link per ringX_addr the local node and the peer both have (up to 8),
 * UDP, with the link priorities, ping timers and link_mode (passive,
 * active, rr) from the configuration.  Crypto goes through knet's nss
 * plugin with the shared key; compression is optional.
 *
 * Every packet carries a 12-byte header of ours, big endian:
 *   u8 version (1), u8[3] zero, u32 source nodeid, u32 destination (0 = all)
 * knet's destination filter reads the destination; the receiver checks the
 * source against the one knet saw, so the callback always gets the real
 * sender.  The header is invisible to users of this interface.
 *
 * Threads: knet runs its own threads, but every callback below is called
 * from net_dispatch()/net_dispatch_log(), i.e. from the caller's main loop.
 *
 *   struct net *n;
 *   struct err e = { "" };
 *   net_new(&cfg, local_index, &n, &e);
 *   net_bind(n, &ops, opaque);        who receives (order/order_cluster.h)
 *   add net_fd(n) and net_log_fd(n) to the main loop (POLLIN):
 *     net_fd readable     -> net_dispatch(n)
 *     net_log_fd readable -> net_dispatch_log(n)
 *   net_send_all(n, buf, len); net_send_to(n, nodeid, buf, len);
 *   net_link_status(n, ...), net_get_counters(n, ...)   for status tools
 *   net_destroy(n);
 */
#ifndef CPGD_NET_H
#define CPGD_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

#define NET_HEADER_LEN 12
#define NET_MAX_PAYLOAD (65536 - NET_HEADER_LEN) /* KNET_MAX_PACKET_SIZE - header */

struct net;

struct net_ops {
	/* A packet from node `src` (never the local node). */
	void (*recv)(void *opaque, uint32_t src, const uint8_t *data, size_t len);
	/* The payload MTU changed (PMTU discovery); optional. */
	void (*mtu_changed)(void *opaque, unsigned payload_mtu);
	/* A knet log line; optional (lines are dropped without it).
	 * level: 0 error, 1 warning, 2 info, 3 debug (knet's levels). */
	void (*log)(void *opaque, int level, const char *subsystem, const char *msg);
};

struct net_counters {
	uint64_t tx_packets;    /* accepted by knet for sending */
	uint64_t tx_bytes;      /* payload bytes of those */
	uint64_t tx_dropped;    /* knet's queue was full (-EAGAIN) or it failed */
	uint64_t rx_packets;    /* delivered to ops->recv */
	uint64_t rx_bytes;
	uint64_t rx_dropped;    /* bad header, unknown sender, not for us, or
				 * dropped by knet because our socket was full */
	/* from knet's handle statistics */
	uint64_t tx_compressed, rx_compressed; /* packets */
	uint64_t tx_encrypted, rx_decrypted;   /* packets */
	/* dropped by knet, counted from its receive log (knet keeps no
	 * counter of them; a flood that overruns the log pipe is undercounted) */
	uint64_t rx_auth_failed;   /* failed authentication / decryption */
	uint64_t rx_unknown_host;  /* from a node id outside the nodelist */
};

struct net_link_info {
	bool configured;        /* both ends have this ringX_addr */
	bool enabled;
	bool connected;         /* knet sees pongs on it */
	char src[96];           /* "addr:port" */
	char dst[96];
	unsigned long long latency_us;
	uint64_t tx_data_packets, rx_data_packets;
	uint64_t tx_data_bytes, rx_data_bytes;
	uint32_t up_count, down_count;
};

/* Create the transport for node cfg->nodes[local_index].  The config must
 * outlive the net instance.  Reads the key file when crypto is on.
 * Returns 0, or -errno with a reason in e (util/err.h).  Received packets
 * and log lines are dropped until net_bind(). */
struct err;
int net_new(const struct config *cfg, unsigned local_index, struct net **out,
	    struct err *e);

/* Who gets the callbacks from now on (ops NULL: nobody).  Callbacks run
 * only inside net_dispatch()/net_dispatch_log(); set this before the fds
 * are polled, or between two dispatches. */
void net_bind(struct net *n, const struct net_ops *ops, void *opaque);

/* Stop forwarding, remove hosts and links, free the handle. */
void net_destroy(struct net *n);

/* The fd to poll for received packets, and the one for knet's log. */
int net_fd(const struct net *n);
int net_log_fd(const struct net *n);

/* Read up to a batch of received packets and hand each to ops->recv.
 * Returns the number delivered, or -EPIPE if knet dropped the data fd. */
int net_dispatch(struct net *n);

/* Read pending knet log lines and hand them to ops->log.  The receive
 * thread's per-packet debug lines about dropped packets are counted
 * (rx_auth_failed, rx_unknown_host) instead, with a warning of our own at
 * the 1st, 2nd, 4th, 8th... of each kind. */
int net_dispatch_log(struct net *n);

/* Send to every other node / to one node.  Asynchronous: 0 once knet has
 * the packet; -EAGAIN when its queue is full (the packet is dropped and
 * counted); -EMSGSIZE over NET_MAX_PAYLOAD; -EHOSTUNREACH for an unknown
 * or the local node id. */
int net_send_all(struct net *n, const void *buf, size_t len);
int net_send_to(struct net *n, uint32_t nodeid, const void *buf, size_t len);

/* Largest payload that goes out in one frame on every link (PMTU minus
 * knet's and our headers); 0 until knet has measured it. */
unsigned net_payload_mtu(const struct net *n);

uint32_t net_local_nodeid(const struct net *n);

/* Is the node reachable over at least one link? */
int net_node_reachable(const struct net *n, uint32_t nodeid, bool *reachable);

/* Status of one link to one node; -EHOSTUNREACH for an unknown node. */
int net_link_status(const struct net *n, uint32_t nodeid, unsigned link,
		    struct net_link_info *info);

/* Our counters plus knet's compression and crypto packet counts. */
void net_get_counters(const struct net *n, struct net_counters *out);

#endif
