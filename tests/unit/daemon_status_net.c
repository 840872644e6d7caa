/*
 * The knet sources (status_src_net.c) linked alone against stand-ins for
 * the net layer's functions: which nodes and links are asked for, how a
 * link's state lands in the reply, and the transport's counters.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "status/status_sources.h"
#include "unit/check_main.h"

/* --- stand-ins for daemon/net --- */

struct net {
	uint32_t self;
	unsigned asked;		/* net_link_status calls */
};

uint32_t net_local_nodeid(const struct net *n)
{
	return n->self;
}

int net_link_status(const struct net *n, uint32_t nodeid, unsigned link,
		    struct net_link_info *info)
{
	((struct net *)n)->asked++;
	ck_assert_uint_ne(nodeid, n->self);
	ck_assert_uint_lt(link, CONFIG_MAX_LINKS);
	if (nodeid == 9)
		return -EHOSTUNREACH;
	memset(info, 0, sizeof(*info));
	/* node 2 has links 0 and 1, node 3 link 0 only */
	if (link > 1 || (nodeid == 3 && link == 1))
		return 0;
	info->configured = true;
	info->enabled = true;
	info->connected = !(nodeid == 2 && link == 1);
	snprintf(info->src, sizeof(info->src), "10.0.%u.1:5405", link);
	snprintf(info->dst, sizeof(info->dst), "10.0.%u.%u:5405", link,
		 (unsigned)nodeid);
	info->latency_us = 100 * nodeid + link;
	return 0;
}

unsigned net_payload_mtu(const struct net *n)
{
	(void)n;
	return 9;
}

void net_get_counters(const struct net *n, struct net_counters *out)
{
	(void)n;
	out->tx_packets = 1;
	out->tx_bytes = 2;
	out->tx_dropped = 3;
	out->rx_packets = 4;
	out->rx_bytes = 5;
	out->rx_dropped = 6;
	out->rx_auth_failed = 7;
	out->rx_unknown_host = 8;
}

START_TEST(links_and_counters)
{
	struct config_node nodes[4];
	struct status_sources src;
	struct status_net_src ns;
	char *t;
	size_t len;
	struct config cfg;
	struct net n = { 1, 0 };

	memset(nodes, 0, sizeof(nodes));
	nodes[0].nodeid = 1;	/* this node: not asked about */
	nodes[1].nodeid = 2;
	nodes[2].nodeid = 3;
	nodes[3].nodeid = 9;	/* unknown to the transport: left out */
	memset(&cfg, 0, sizeof(cfg));
	cfg.n_nodes = 4;
	cfg.nodes = nodes;
	ns.net = &n;
	ns.cfg = &cfg;
	memset(&src, 0, sizeof(src));
	src.links = status_src_net_links;
	src.links_arg = &ns;
	src.counters[0].fn = status_src_net_counters;
	src.counters[0].arg = &ns;

	ck_assert_int_eq(status_build(&src, STATUS_SECT_LINKS |
				      STATUS_SECT_COUNTERS, 4096, &t, &len), 0);
	ck_assert_str_eq(t, "{\"version\":1,\"links\":["
		"{\"nodeid\":2,\"links\":["
		"{\"link\":0,\"enabled\":true,\"connected\":true,"
		"\"src\":\"10.0.0.1:5405\",\"dst\":\"10.0.0.2:5405\",\"latency_us\":200},"
		"{\"link\":1,\"enabled\":true,\"connected\":false,"
		"\"src\":\"10.0.1.1:5405\",\"dst\":\"10.0.1.2:5405\",\"latency_us\":201}]},"
		"{\"nodeid\":3,\"links\":["
		"{\"link\":0,\"enabled\":true,\"connected\":true,"
		"\"src\":\"10.0.0.1:5405\",\"dst\":\"10.0.0.3:5405\",\"latency_us\":300}]}],"
		"\"counters\":{\"net_tx_packets\":1,\"net_tx_bytes\":2,"
		"\"net_tx_dropped\":3,\"net_rx_packets\":4,\"net_rx_bytes\":5,"
		"\"net_rx_dropped\":6,\"net_rx_auth_failed\":7," "\"net_rx_unknown_host\":8,"
		"\"net_payload_mtu\":9}}");
	/* every link of the three other nodes was asked about */
	ck_assert_uint_eq(n.asked, 3 * CONFIG_MAX_LINKS);
	free(t);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { links_and_counters, NULL };

	return unit_suite_of("status_net", "net", 10, tests);
}
