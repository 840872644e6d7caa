/* Totem over kronosnet on the main loop.  See order_cluster.h. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "net/net.h"
#include "order/order_cluster.h"
#include "order/order_totem.h"
#include "util/err.h"
#include "util/log.h"

/* How often knet's view of each node is read and changes handed to the
 * engine: a small part of knet's own detection time (ping timeout). */
#define CLUSTER_REACH_POLL_MS 50

/* A node list the configuration accepts is one the engine takes. */
_Static_assert(CONFIG_MAX_NODES == TOTEM_MAX_NODES,
	       "configuration and Totem engine disagree on the largest cluster");

struct cluster_glue {
	qb_loop_t *loop;
	struct net *net;		/* the caller's */
	struct order_totem *ot;
	const struct config *cfg;
	uint32_t *nodeids;
	uint8_t *reachable;		/* per nodeids[i], as last told */
	uint32_t me;
	qb_loop_timer_handle reach_timer;
	int reach_armed;
	int polled;			/* the transport's fds are watched */
	uint64_t *before;		/* per nodeids[i]: sent before leaving */
};

static void cg_recv(void *opaque, uint32_t src, const uint8_t *data, size_t len)
{
	struct cluster_glue *g = opaque;

	if (g->ot)
		order_totem_input(g->ot, src, data, len);
}

uint32_t order_cluster_frame_size(unsigned payload_mtu, uint32_t netmtu)
{
	uint32_t cap = netmtu < NET_MAX_PAYLOAD ? netmtu : NET_MAX_PAYLOAD;

	if (payload_mtu == 0 || payload_mtu >= cap)
		return cap;
	return payload_mtu * (cap / payload_mtu);
}

static void cg_mtu_changed(void *opaque, unsigned payload_mtu)
{
	struct cluster_glue *g = opaque;
	uint32_t mtu = order_cluster_frame_size(payload_mtu,
						g->cfg->totem.netmtu);

	log_info(LOG_T_NET, "path MTU allows %u payload bytes per frame: Totem "
		 "packets of up to %u bytes", payload_mtu, mtu);
	if (g->ot && order_totem_set_mtu(g->ot, mtu) < 0)
		log_warning(LOG_T_NET, "the Totem engine refused packets of %u "
			    "bytes", mtu);
}

static void cg_log(void *opaque, int level, const char *subsystem, const char *msg)
{
	switch (level) {
	case 0: log_error(LOG_T_NET, "knet %s: %s", subsystem, msg); break;
	case 1: log_warning(LOG_T_NET, "knet %s: %s", subsystem, msg); break;
	case 2: log_info(LOG_T_NET, "knet %s: %s", subsystem, msg); break;
	default: log_debug(LOG_T_NET, "knet %s: %s", subsystem, msg); break;
	}
}

static const struct net_ops cg_net_ops = {
	.recv = cg_recv,
	.mtu_changed = cg_mtu_changed,
	.log = cg_log,
};

static int32_t cg_data_ready(int32_t fd, int32_t revents, void *data)
{
	struct cluster_glue *g = data;

	if (net_dispatch(g->net) == -EPIPE)
		log_error(LOG_T_NET, "knet closed its data socket");
	return 0;
}

static int32_t cg_log_ready(int32_t fd, int32_t revents, void *data)
{
	struct cluster_glue *g = data;

	net_dispatch_log(g->net);
	return 0;
}

static void cg_send(void *arg, uint32_t to, const void *pkt, size_t len)
{
	struct cluster_glue *g = arg;

	/* A packet knet cannot take now is lost like one on the wire: the
	 * engine retransmits it.  knet counts it. */
	if (to == TOTEM_TO_ALL)
		(void)net_send_all(g->net, pkt, len);
	else
		(void)net_send_to(g->net, to, pkt, len);
}

/*
 * knet's link state, read on the main loop: a node whose links all went
 * down, or one that came back, is reported to the engine, which uses it
 * only while gathering after a token loss (totem_input_reachable()).
 */
static void cg_reach_poll(void *data)
{
	struct cluster_glue *g = data;
	unsigned i;

	g->reach_armed = 0;
	for (i = 0; g->ot && i < g->cfg->n_nodes; i++) {
		bool up = true;

		if (g->nodeids[i] == g->me ||
		    net_node_reachable(g->net, g->nodeids[i], &up) < 0 ||
		    (uint8_t)up == g->reachable[i])
			continue;
		g->reachable[i] = (uint8_t)up;
		order_totem_reachable(g->ot, g->nodeids[i], up);
	}
	if (qb_loop_timer_add(g->loop, QB_LOOP_MED,
			      CLUSTER_REACH_POLL_MS * 1000000ull, g,
			      cg_reach_poll, &g->reach_timer) == 0)
		g->reach_armed = 1;
	else
		log_warning(LOG_T_ORDER, "cannot arm the link state timer: "
			    "node failures wait for the consensus timeout");
}

static void cg_destroy(void *arg)
{
	struct cluster_glue *g = arg;

	if (g->reach_armed)
		qb_loop_timer_del(g->loop, g->reach_timer);
	if (g->polled) {
		qb_loop_poll_del(g->loop, net_fd(g->net));
		qb_loop_poll_del(g->loop, net_log_fd(g->net));
	}
	/* the transport goes on receiving into nothing until its owner
	 * destroys it */
	net_bind(g->net, NULL, NULL);
	free(g->nodeids);
	free(g->reachable);
	free(g->before);
	free(g);
}

static void cg_leaving(void *arg, int after);

void order_cluster_totem_config(const struct config *cfg, uint32_t nodeid,
				struct totem_config *tc)
{
	const struct config_totem *t = &cfg->totem;

	*tc = (struct totem_config){
		.nodeid = nodeid,
		.token_ms = t->token_configured,
		/* the configuration holds the value in force (650 when
		 * not given): 0 means no per-node addition, as in corosync */
		.token_coefficient_ms = t->token_coefficient,
		.token_coefficient_set = 1,
		.token_retransmits = t->token_retransmits_before_loss_const,
		.join_ms = t->join,
		.consensus_ms = t->consensus,
		.merge_ms = t->merge,
		.window_size = t->window_size,
		.max_messages = t->max_messages,
		.mtu = order_cluster_frame_size(0, t->netmtu),
		/* order.h: the old ring's messages before the transitional
		 * configuration, as corosync's CPG users expect */
		.old_before_trans = 1,
	};
}

int order_cluster_new(qb_loop_t *loop, const struct config *cfg,
		      unsigned local_index, const char *state_dir,
		      struct net *net, struct order **out, struct err *e)
{
	struct cluster_glue *g = calloc(1, sizeof(*g));
	struct order_totem_transport tp = {
		.send = cg_send, .leaving = cg_leaving, .destroy = cg_destroy,
	};
	struct totem_config tc;
	unsigned i;
	int rc;

	*out = NULL;
	if (!g || !(g->nodeids = calloc(cfg->n_nodes, sizeof(*g->nodeids))) ||
	    !(g->reachable = calloc(cfg->n_nodes, 1))) {
		if (g)
			free(g->nodeids);
		free(g);
		return err_set(e, -ENOMEM, "out of memory");
	}
	g->loop = loop;
	g->net = net;
	g->cfg = cfg;
	g->me = cfg->nodes[local_index].nodeid;
	for (i = 0; i < cfg->n_nodes; i++) {
		g->nodeids[i] = cfg->nodes[i].nodeid;
		g->reachable[i] = 1;	/* the engine's assumption at start */
	}
	net_bind(net, &cg_net_ops, g);
	rc = qb_loop_poll_add(loop, QB_LOOP_HIGH, net_fd(net), POLLIN, g,
			      cg_data_ready);
	if (rc == 0) {
		rc = qb_loop_poll_add(loop, QB_LOOP_LOW, net_log_fd(net),
				      POLLIN, g, cg_log_ready);
		if (rc < 0)
			qb_loop_poll_del(loop, net_fd(net));
	}
	if (rc < 0) {
		rc = err_set(e, rc, "cannot watch the transport's sockets");
		cg_destroy(g);
		return rc;
	}
	g->polled = 1;
	order_cluster_totem_config(cfg, g->me, &tc);
	tc.nodes = g->nodeids;
	tc.n_nodes = cfg->n_nodes;
	tp.arg = g;
	/* on failure the driver is not made: its destroy hook is not run */
	rc = order_totem_new(loop, &tc, &tp, state_dir, &g->ot, e);
	if (rc < 0) {
		cg_destroy(g);
		return err_set(e, rc, "cannot start the totem engine");
	}
	if (net_payload_mtu(net))	/* measured before the engine was */
		(void)order_totem_set_mtu(g->ot, order_cluster_frame_size(
			net_payload_mtu(net), cfg->totem.netmtu));
	cg_reach_poll(g);
	*out = order_totem_base(g->ot);
	return 0;
}

/* Data packets knet has put on the wire towards node id, over all links;
 * 0 when it cannot say. */
static uint64_t cg_tx_to(const struct cluster_glue *g, uint32_t id)
{
	struct net_link_info li;
	uint64_t sum = 0;
	unsigned l;

	for (l = 0; l < CONFIG_MAX_LINKS; l++)
		if (net_link_status(g->net, id, l, &li) == 0 && li.connected)
			sum += li.tx_data_packets;
	return sum;
}

/*
 * The driver's leave (order_leave()) hands the announcement to
 * knet_send(), which passes it to knet's sending thread; stopping knet at
 * once could drop it.  knet has no flush: after the announcement, wait (up
 * to half a second, at shutdown only) until its link counters show a
 * packet sent to every peer a link is up to since before it.
 */
static void cg_leaving(void *arg, int after)
{
	struct cluster_glue *g = arg;
	struct timespec step = { .tv_sec = 0, .tv_nsec = 5 * 1000 * 1000 };
	unsigned i, waited, n = g->cfg->n_nodes;

	if (!after) {
		g->before = calloc(n, sizeof(*g->before));
		for (i = 0; g->before && i < n; i++)
			g->before[i] = g->nodeids[i] == g->me ? 0 :
				       cg_tx_to(g, g->nodeids[i]);
		return;
	}
	if (!g->before)
		return;		/* no memory to count: do not wait */
	for (waited = 0; waited < 100; waited++) {
		for (i = 0; i < n; i++)
			if (g->nodeids[i] != g->me && g->before[i] &&
			    cg_tx_to(g, g->nodeids[i]) == g->before[i])
				break;
		if (i == n)
			return;
		nanosleep(&step, NULL);
	}
	log_warning(LOG_T_ORDER, "knet did not confirm the leave announcement");
}
