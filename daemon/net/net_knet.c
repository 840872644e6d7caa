/*
 * Setting knet up from the configuration, and tearing it down.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_int.h"
#include "util/err.h"

#define LOG_PIPE_BYTES (1 << 20) /* the default pipe-max-size */

static const uint8_t policy_of[] = {
	[CONFIG_LINK_PASSIVE] = KNET_LINK_POLICY_PASSIVE,
	[CONFIG_LINK_ACTIVE] = KNET_LINK_POLICY_ACTIVE,
	[CONFIG_LINK_RR] = KNET_LINK_POLICY_RR,
};

/* knet threads: only atomics here */
static void pmtud_cb(void *priv, unsigned int data_mtu)
{
	struct net *n = priv;

	atomic_store(&n->data_mtu, data_mtu);
}

static void sock_cb(void *priv, int datafd, int8_t channel, uint8_t tx_rx,
		    int error, int errorno)
{
	struct net *n = priv;

	(void)datafd; (void)channel;
	/* Called from knet's threads.  Its receive thread calls it when our
	 * socket is full (we fell behind by its whole buffer) while holding
	 * the handle's lock: the datagram is dropped, and Totem asks for it
	 * again.  Nothing here may take knet's lock (knet_handle_remove_datafd
	 * would wait for it forever); the socket itself is sound. */
	if (tx_rx == KNET_NOTIFY_RX && error < 0 &&
	    (errorno == EAGAIN || errorno == EWOULDBLOCK || errorno == ENOBUFS)) {
		atomic_fetch_add(&n->rx_sock_full, 1);
		return;
	}
	/* anything else (an error or end of file on our socket pair) is the
	 * end of the transport: net_dispatch() says so to the daemon, which
	 * frees the handle; knet has stopped reading a socket that failed */
	atomic_store(&n->sock_error, 1);
}

static int fail(struct err *e, int no, const char *what)
{
	return err_set(e, -no, "knet: %s: %s", what, strerror(no));
}

static void with_port(struct sockaddr_storage *out, const struct config_addr *a,
		      uint16_t port)
{
	memset(out, 0, sizeof(*out));
	memcpy(out, &a->sa, a->salen <= sizeof(*out) ? a->salen : sizeof(*out));
	if (out->ss_family == AF_INET)
		((struct sockaddr_in *)out)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)out)->sin6_port = htons(port);
}

static int setup_crypto(struct net *n, struct err *e)
{
	const struct config_totem *t = &n->cfg->totem;
	struct knet_handle_crypto_cfg *c;
	size_t keylen = 0;
	int rc;

	if (t->crypto_cipher == CONFIG_CIPHER_NONE && t->crypto_hash == CONFIG_HASH_NONE)
		return 0;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return fail(e, ENOMEM, "crypto");
	rc = config_read_key(n->cfg, c->private_key, sizeof(c->private_key),
			     &keylen, e);
	if (rc < 0)
		goto out;
	snprintf(c->crypto_model, sizeof(c->crypto_model), "nss");
	snprintf(c->crypto_cipher_type, sizeof(c->crypto_cipher_type), "%s",
		 config_cipher_name(t->crypto_cipher));
	snprintf(c->crypto_hash_type, sizeof(c->crypto_hash_type), "%s",
		 config_hash_name(t->crypto_hash));
	c->private_key_len = (unsigned)keylen;
	rc = knet_handle_crypto_set_config(n->kh, c, 1);
	if (rc != 0) {
		rc = rc == -1 ? fail(e, errno, "crypto_set_config") :
		     err_set(e, -EINVAL, "knet: nss crypto %s/%s could not be "
			     "initialised", c->crypto_cipher_type,
			     c->crypto_hash_type);
		goto out;
	}
	if (knet_handle_crypto_use_config(n->kh, 1) < 0) {
		rc = fail(e, errno, "crypto_use_config");
		goto out;
	}
	/* a node without the key must not be heard */
	if (knet_handle_crypto_rx_clear_traffic(n->kh, KNET_CRYPTO_RX_DISALLOW_CLEAR_TRAFFIC) < 0)
		rc = fail(e, errno, "crypto_rx_clear_traffic");
out:
	memset(c, 0, sizeof(*c)); /* the key does not linger in freed memory */
	free(c);
	return rc;
}

static int setup_compression(struct net *n, struct err *e)
{
	const struct config_totem *t = &n->cfg->totem;
	struct knet_handle_compress_cfg c;

	if (strcmp(t->knet_compression_model, "none") == 0)
		return 0;
	memset(&c, 0, sizeof(c));
	snprintf(c.compress_model, sizeof(c.compress_model), "%.15s", t->knet_compression_model);
	c.compress_threshold = t->knet_compression_threshold;
	c.compress_level = t->knet_compression_level;
	if (knet_handle_compress(n->kh, &c) < 0)
		return fail(e, errno, "compression (model, level)");
	return 0;
}

static int setup_links(struct net *n, const struct config_node *self,
		       const struct config_node *peer, struct err *e)
{
	knet_node_id_t id = (knet_node_id_t)peer->nodeid;
	unsigned l;
	char what[64];

	for (l = 0; l < CONFIG_MAX_LINKS; l++) {
		const struct config_link *k = &n->cfg->links[l];
		struct sockaddr_storage src, dst;

		if (!self->addr[l].set || !peer->addr[l].set)
			continue;
		if (!self->addr[l].resolved || !peer->addr[l].resolved) {
			return err_set(e, -EINVAL, "knet: ring%u_addr of node %u is "
				       "not resolved (call config_resolve_addresses "
				       "first)", l, peer->nodeid);
		}
		with_port(&src, &self->addr[l], k->port);
		with_port(&dst, &peer->addr[l], k->port);
		snprintf(what, sizeof(what), "link %u to node %u", l, peer->nodeid);
		if (knet_link_set_config(n->kh, id, (uint8_t)l, KNET_TRANSPORT_UDP,
					 &src, &dst, 0) < 0)
			return fail(e, errno, what);
		if (knet_link_set_ping_timers(n->kh, id, (uint8_t)l, k->knet_ping_interval,
					      k->knet_ping_timeout, k->knet_ping_precision) < 0 ||
		    knet_link_set_pong_count(n->kh, id, (uint8_t)l, k->knet_pong_count) < 0 ||
		    knet_link_set_priority(n->kh, id, (uint8_t)l, k->knet_link_priority) < 0 ||
		    knet_link_set_enable(n->kh, id, (uint8_t)l, 1) < 0)
			return fail(e, errno, what);
	}
	return 0;
}

static int setup_hosts(struct net *n, const struct config_node *self,
		       struct err *e)
{
	unsigned i;
	int rc;

	for (i = 0; i < n->cfg->n_nodes; i++) {
		const struct config_node *peer = &n->cfg->nodes[i];
		knet_node_id_t id = (knet_node_id_t)peer->nodeid;
		char name[64];

		if (peer == self)
			continue;
		if (knet_host_add(n->kh, id) < 0)
			return fail(e, errno, "host_add");
		n->known[peer->nodeid / 8] |= (uint8_t)(1u << (peer->nodeid % 8));
		snprintf(name, sizeof(name), "%.40s%snode%u", peer->name,
			 peer->name[0] ? "/" : "", peer->nodeid);
		if (knet_host_set_name(n->kh, id, name) < 0 ||
		    knet_host_set_policy(n->kh, id, policy_of[n->cfg->totem.link_mode]) < 0)
			return fail(e, errno, "host setup");
		rc = setup_links(n, self, peer, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int setup_handle(struct net *n, struct err *e)
{
	const struct config_totem *t = &n->cfg->totem;
	socklen_t typelen = sizeof(int);
	int flags, type = 0;

	if (pipe2(n->logpipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return fail(e, errno, "log pipe");
	/* knet's threads log while holding its handle lock, and a full pipe
	 * makes them retry: room for bursts while the loop is busy (best
	 * effort: the default 64 KiB stays if the system refuses) */
	(void)fcntl(n->logpipe[1], F_SETPIPE_SZ, LOG_PIPE_BYTES);
	n->kh = knet_handle_new(n->local, n->logpipe[1], KNET_LOG_WARN);
	if (n->kh == NULL && errno == ENAMETOOLONG) /* unprivileged: small buffers */
		n->kh = knet_handle_new_ex(n->local, n->logpipe[1], KNET_LOG_WARN, 0);
	if (n->kh == NULL)
		return fail(e, errno, "handle_new");
	if (knet_handle_enable_sock_notify(n->kh, n, sock_cb) < 0)
		return fail(e, errno, "sock_notify");
	n->datafd = 0;
	n->channel = 0;
	if (knet_handle_add_datafd(n->kh, &n->datafd, &n->channel) < 0)
		return fail(e, errno, "add_datafd");
	/* one read() must be one packet: refuse a byte stream */
	if (getsockopt(n->datafd, SOL_SOCKET, SO_TYPE, &type, &typelen) < 0)
		return fail(e, errno, "datafd type");
	if (type == SOCK_STREAM)
		return fail(e, EPROTOTYPE, "datafd is a byte stream");
	flags = fcntl(n->datafd, F_GETFL);
	if (flags < 0 || fcntl(n->datafd, F_SETFL, flags | O_NONBLOCK) < 0)
		return fail(e, errno, "datafd O_NONBLOCK");
	if (knet_handle_enable_filter(n->kh, n, net_filter_cb) < 0)
		return fail(e, errno, "enable_filter");
	if (knet_handle_enable_pmtud_notify(n->kh, n, pmtud_cb) < 0)
		return fail(e, errno, "pmtud_notify");
	if (knet_handle_pmtud_setfreq(n->kh, t->knet_pmtud_interval) < 0)
		return fail(e, errno, "pmtud_setfreq");
	if (t->knet_mtu != 0 && knet_handle_pmtud_set(n->kh, t->knet_mtu) < 0)
		return fail(e, errno, "pmtud_set (knet_mtu)");
	return 0;
}

int net_new(const struct config *cfg, unsigned local_index, struct net **out,
	    struct err *e)
{
	const struct config_node *self;
	struct net *n;
	int rc;

	*out = NULL;
	if (local_index >= cfg->n_nodes)
		return err_set(e, -EINVAL, "net: local node index %u out of "
			       "range", local_index);
	self = &cfg->nodes[local_index];
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return fail(e, ENOMEM, "create");
	n->cfg = cfg;
	n->local = self->nodeid;
	n->logpipe[0] = n->logpipe[1] = -1;
	n->datafd = -1;
	atomic_init(&n->data_mtu, 0);
	atomic_init(&n->sock_error, 0);
	atomic_init(&n->rx_sock_full, 0);

	rc = setup_handle(n, e);
	if (rc == 0)
		rc = setup_crypto(n, e);
	if (rc == 0)
		rc = setup_compression(n, e);
	if (rc == 0)
		rc = setup_hosts(n, self, e);
	if (rc == 0 && knet_handle_setfwd(n->kh, 1) < 0)
		rc = fail(e, errno, "setfwd");
	/* The receive thread's drops are told only at debug level: count them
	 * (net_dispatch_log).  Only now: before forwarding is on, it logs
	 * every data packet a faster peer sends, nobody reads the pipe until
	 * the loop runs, and while it retries a full pipe under the handle's
	 * read lock, the set-up above waits for the write lock (32 daemons
	 * started at once: some never finished setting up). */
	if (rc == 0 && knet_log_set_loglevel(n->kh, KNET_SUB_RX, KNET_LOG_DEBUG) < 0)
		rc = fail(e, errno, "log level");
	if (rc < 0) {
		net_destroy(n);
		return rc;
	}
	*out = n;
	return 0;
}

void net_bind(struct net *n, const struct net_ops *ops, void *opaque)
{
	if (ops != NULL)
		n->ops = *ops;
	else
		memset(&n->ops, 0, sizeof(n->ops));
	n->opaque = opaque;
}

void net_destroy(struct net *n)
{
	unsigned i, l;

	if (n == NULL)
		return;
	if (n->kh != NULL) {
		knet_handle_setfwd(n->kh, 0);
		for (i = 0; i < n->cfg->n_nodes; i++) {
			uint32_t id = n->cfg->nodes[i].nodeid;

			if (!net_is_peer(n, id))
				continue;
			for (l = 0; l < CONFIG_MAX_LINKS; l++) {
				knet_link_set_enable(n->kh, (knet_node_id_t)id, (uint8_t)l, 0);
				knet_link_clear_config(n->kh, (knet_node_id_t)id, (uint8_t)l);
			}
			knet_host_remove(n->kh, (knet_node_id_t)id);
		}
		knet_handle_free(n->kh);
	}
	if (n->logpipe[0] >= 0)
		close(n->logpipe[0]);
	if (n->logpipe[1] >= 0)
		close(n->logpipe[1]);
	free(n);
}
