/*
 * net_probe: one node of the knet transport test.
 *
 * Loads a configuration, finds its own node from the local addresses,
 * brings up daemon/net, waits until every peer is reachable, writes a
 * ready file, waits for a go file, then sends numbered packets of varied
 * sizes to all.  Every received packet is checked (sender, sequence number,
 * contents).  When a node has sent everything and received everything it
 * says so ('F'); it exits 0 once every peer has said so too, 1 on a
 * timeout with what is missing, 2 on a set-up error.
 *
 *   net_probe -c CONF -r READY -g GO [-p PACKETS] [-i USEC] [-t SECONDS]
 *             [-D NODEID:LINK]...   after the exchange, wait until knet
 *                                   reports that link down (a cut link)
 *             [-A]                  before ready, wait until every configured
 *                                   link is connected, not just one per peer
 *             [-m FILE]             write FILE once a third of the packets
 *                                   are sent (a test cuts a link then)
 *   net_probe -c CONF -x SECONDS    succeed only if no peer becomes
 *                                   reachable in that time (wrong key)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "net/net.h"
#include "util/err.h"

#define MAX_PEERS 16
#define MAX_SIZE 9000 /* above the MTU, so knet fragments some packets */

struct peer {
	uint32_t nodeid;
	uint8_t *seen;      /* one byte per sequence number */
	unsigned got, dups, bad;
	bool finished;
};

struct probe {
	struct net *net;
	bool all_links;
	const char *mid;    /* -m: written once a third is sent, or NULL */
	unsigned n_down;
	uint32_t down_node[8];
	unsigned down_link[8];
	unsigned packets;
	unsigned n_peers;
	struct peer peers[MAX_PEERS];
	uint32_t self;
	unsigned mtu_changes;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t size_of(uint32_t seq)
{
	/* small, medium, and every 50th larger than the MTU */
	if (seq % 50 == 7)
		return MAX_SIZE;
	return 16 + (seq * 37) % 1400;
}

static uint8_t fill(uint32_t sender, uint32_t seq, size_t i)
{
	return (uint8_t)(sender * 31 + seq * 7 + i);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static struct peer *find_peer(struct probe *p, uint32_t id)
{
	unsigned i;

	for (i = 0; i < p->n_peers; i++)
		if (p->peers[i].nodeid == id)
			return &p->peers[i];
	return NULL;
}

static void on_recv(void *opaque, uint32_t src, const uint8_t *data, size_t len)
{
	struct probe *p = opaque;
	struct peer *peer = find_peer(p, src);
	uint32_t seq;
	size_t i;

	if (peer == NULL) {
		fprintf(stderr, "probe %u: packet from unknown node %u\n", p->self, src);
		exit(1);
	}
	if (len == 1 && data[0] == 'F') {
		peer->finished = true;
		return;
	}
	if (len < 5 || data[0] != 'D') {
		peer->bad++;
		return;
	}
	seq = get32(data + 1);
	if (seq >= p->packets || len != size_of(seq)) {
		peer->bad++;
		return;
	}
	for (i = 5; i < len; i++) {
		if (data[i] != fill(src, seq, i)) {
			peer->bad++;
			return;
		}
	}
	if (peer->seen[seq]) {
		peer->dups++;
		return;
	}
	peer->seen[seq] = 1;
	peer->got++;
}

static void on_mtu(void *opaque, unsigned mtu)
{
	struct probe *p = opaque;

	p->mtu_changes++;
	fprintf(stderr, "probe %u: payload mtu %u\n", p->self, mtu);
}

static void on_log(void *opaque, int level, const char *subsys, const char *msg)
{
	struct probe *p = opaque;

	if (level <= 1)
		fprintf(stderr, "probe %u: knet %s: %s\n", p->self, subsys, msg);
}

/* Serve the network for up to `ms` milliseconds. */
static int pump(struct probe *p, int ms)
{
	struct pollfd fds[2] = {
		{ .fd = net_fd(p->net), .events = POLLIN },
		{ .fd = net_log_fd(p->net), .events = POLLIN },
	};
	int rc = poll(fds, 2, ms);

	if (rc < 0 && errno != EINTR)
		return -errno;
	if (fds[1].revents & POLLIN)
		net_dispatch_log(p->net);
	rc = net_dispatch(p->net);
	return rc < 0 ? rc : 0;
}

static bool all_received(const struct probe *p)
{
	unsigned i;

	for (i = 0; i < p->n_peers; i++)
		if (p->peers[i].got < p->packets)
			return false;
	return true;
}

static bool all_finished(const struct probe *p)
{
	unsigned i;

	for (i = 0; i < p->n_peers; i++)
		if (!p->peers[i].finished)
			return false;
	return true;
}

static void report(struct probe *p)
{
	struct net_counters c;
	unsigned i, l;

	net_get_counters(p->net, &c);
	fprintf(stderr, "probe %u: tx %llu pkts %llu bytes (%llu dropped), rx %llu pkts "
		"%llu bytes (%llu dropped), payload mtu %u\n", p->self,
		(unsigned long long)c.tx_packets, (unsigned long long)c.tx_bytes,
		(unsigned long long)c.tx_dropped, (unsigned long long)c.rx_packets,
		(unsigned long long)c.rx_bytes, (unsigned long long)c.rx_dropped,
		net_payload_mtu(p->net));
	printf("node %u knet: compressed tx %llu rx %llu, encrypted tx %llu rx %llu\n", p->self,
	       (unsigned long long)c.tx_compressed, (unsigned long long)c.rx_compressed,
	       (unsigned long long)c.tx_encrypted, (unsigned long long)c.rx_decrypted);
	for (i = 0; i < p->n_peers; i++) {
		struct peer *peer = &p->peers[i];

		printf("node %u from %u: got %u/%u dups %u bad %u finished %d\n", p->self,
		       peer->nodeid, peer->got, p->packets, peer->dups, peer->bad,
		       peer->finished);
		for (l = 0; l < CONFIG_MAX_LINKS; l++) {
			struct net_link_info li;

			if (net_link_status(p->net, peer->nodeid, l, &li) < 0 || !li.configured)
				continue;
			printf("node %u link %u to %u: enabled %d connected %d %s -> %s "
			       "tx %llu rx %llu down %u\n", p->self, l, peer->nodeid,
			       li.enabled, li.connected, li.src, li.dst,
			       (unsigned long long)li.tx_data_packets,
			       (unsigned long long)li.rx_data_packets, li.down_count);
		}
	}
	fflush(stdout);
}

static int wait_reachable(struct probe *p, double deadline)
{
	unsigned i, l;

	while (now() < deadline) {
		bool all = true;

		for (i = 0; i < p->n_peers; i++) {
			bool r = false;

			if (net_node_reachable(p->net, p->peers[i].nodeid, &r) < 0 || !r)
				all = false;
			for (l = 0; p->all_links && l < CONFIG_MAX_LINKS; l++) {
				struct net_link_info li;

				if (net_link_status(p->net, p->peers[i].nodeid, l, &li) < 0 ||
				    (li.configured && !li.connected))
					all = false;
			}
		}
		if (all)
			return 0;
		if (pump(p, 20) < 0)
			return -1;
	}
	fprintf(stderr, "probe %u: peers not reachable in time\n", p->self);
	return -1;
}

static int wait_file(struct probe *p, const char *path, double deadline)
{
	while (now() < deadline) {
		if (access(path, F_OK) == 0)
			return 0;
		if (pump(p, 10) < 0)
			return -1;
	}
	fprintf(stderr, "probe %u: %s did not appear\n", p->self, path);
	return -1;
}

/* non-empty: the harness waits for a file with contents */
static int write_ready(const char *path, uint32_t self)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "%u\n", self);
	return fclose(f);
}

/* The links named with -D must go down (knet backs its timeout off under
 * load, so this can take a few timeouts). */
static int wait_links_down(struct probe *p, double deadline)
{
	unsigned i;

	while (now() < deadline) {
		bool all = true;

		for (i = 0; i < p->n_down; i++) {
			struct net_link_info li;

			if (net_link_status(p->net, p->down_node[i], p->down_link[i], &li) < 0 ||
			    !li.configured)
				return -1;
			if (li.connected)
				all = false;
		}
		if (all)
			return 0;
		if (pump(p, 50) < 0)
			return -1;
	}
	fprintf(stderr, "probe %u: cut links still up\n", p->self);
	return -1;
}

/* -x: with a foreign key nobody may become reachable. */
static int expect_isolated(struct probe *p, double seconds)
{
	double deadline = now() + seconds;
	unsigned i;

	while (now() < deadline) {
		for (i = 0; i < p->n_peers; i++) {
			bool r = false;

			if (net_node_reachable(p->net, p->peers[i].nodeid, &r) == 0 && r) {
				fprintf(stderr, "probe %u: node %u reachable despite the key\n",
					p->self, p->peers[i].nodeid);
				return 1;
			}
		}
		if (pump(p, 50) < 0)
			return 1;
	}
	for (i = 0; i < p->n_peers; i++)
		if (p->peers[i].got > 0)
			return 1;
	printf("node %u: isolated\n", p->self);
	return 0;
}

static int run(struct probe *p, const char *ready, const char *go,
	       unsigned interval_us, double timeout)
{
	static uint8_t buf[MAX_SIZE];
	double deadline = now() + timeout, last_f = 0;
	uint32_t seq = 0;
	size_t i;
	int rc;

	if (wait_reachable(p, deadline) < 0 || write_ready(ready, p->self) < 0 ||
	    wait_file(p, go, deadline) < 0)
		return 1;
	while (now() < deadline) {
		if (seq < p->packets) {
			size_t len = size_of(seq);

			buf[0] = 'D';
			put32(buf + 1, seq);
			for (i = 5; i < len; i++)
				buf[i] = fill(p->self, seq, i);
			rc = net_send_all(p->net, buf, len);
			if (rc == 0) {
				seq++;
				if (p->mid && seq * 3 >= p->packets &&
				    (seq - 1) * 3 < p->packets &&
				    write_ready(p->mid, p->self) < 0)
					return 1;
			} else if (rc != -EAGAIN) {
				fprintf(stderr, "probe %u: send: %s\n", p->self, strerror(-rc));
				return 1;
			}
		}
		if (seq >= p->packets && all_received(p) && now() - last_f > 0.1) {
			rc = net_send_all(p->net, "F", 1);
			if (rc == 0)
				last_f = now();
			if (all_finished(p))
				break;
		}
		if (pump(p, seq < p->packets ? 0 : 20) < 0)
			return 1;
		if (seq < p->packets && interval_us > 0)
			usleep(interval_us);
	}
	if (!all_received(p) || !all_finished(p)) {
		fprintf(stderr, "probe %u: timed out (sent %u of %u)\n", p->self, seq, p->packets);
		return 1;
	}
	/* linger so that the last peers hear our 'F' too */
	for (i = 0; i < 5; i++) {
		net_send_all(p->net, "F", 1);
		pump(p, 100);
	}
	return wait_links_down(p, deadline) < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *conf = NULL, *ready = NULL, *go = NULL;
	unsigned interval_us = 1000, idx, i;
	double timeout = 30, isolated = 0;
	struct net_ops ops = { .recv = on_recv, .mtu_changed = on_mtu, .log = on_log };
	struct probe p;
	struct config cfg;
	struct err e = { "" };
	int opt, rc;

	memset(&p, 0, sizeof(p));
	p.packets = 500;
	while ((opt = getopt(argc, argv, "c:r:g:p:i:t:D:x:Am:")) != -1) {
		switch (opt) {
		case 'A': p.all_links = true; break;
		case 'm': p.mid = optarg; break;
		case 'D':
			if (p.n_down >= 8 || sscanf(optarg, "%u:%u", &p.down_node[p.n_down],
						     &p.down_link[p.n_down]) != 2)
				return 2;
			p.n_down++;
			break;
		case 'x': isolated = strtod(optarg, NULL); break;
		case 'c': conf = optarg; break;
		case 'r': ready = optarg; break;
		case 'g': go = optarg; break;
		case 'p': p.packets = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'i': interval_us = (unsigned)strtoul(optarg, NULL, 10); break;
		case 't': timeout = strtod(optarg, NULL); break;
		default: return 2;
		}
	}
	if (conf == NULL || ((ready == NULL || go == NULL) && isolated <= 0) || p.packets == 0) {
		fprintf(stderr, "usage: net_probe -c CONF -r READY -g GO [-p N] [-i USEC] [-t S]\n");
		return 2;
	}
	rc = config_load_file(&cfg, conf, &e);
	if (rc == 0)
		rc = config_resolve_addresses(&cfg, &e);
	if (rc == 0)
		rc = config_find_local_node(&cfg, 0, &idx, &e);
	if (rc < 0) {
		fprintf(stderr, "net_probe: %s\n", err_msg(&e, rc));
		config_free(&cfg);
		return 2;
	}
	p.self = cfg.nodes[idx].nodeid;
	for (i = 0; i < cfg.n_nodes && p.n_peers < MAX_PEERS; i++) {
		if (i == idx)
			continue;
		p.peers[p.n_peers].nodeid = cfg.nodes[i].nodeid;
		p.peers[p.n_peers].seen = calloc(p.packets, 1);
		if (p.peers[p.n_peers].seen == NULL)
			break;
		p.n_peers++;
	}
	rc = i < cfg.n_nodes && p.n_peers < MAX_PEERS ? -ENOMEM :
	     net_new(&cfg, idx, &p.net, &e);
	if (rc == 0)
		net_bind(p.net, &ops, &p);
	if (rc < 0) {
		fprintf(stderr, "net_probe %u: %s\n", p.self, err_msg(&e, rc));
		for (i = 0; i < p.n_peers; i++)
			free(p.peers[i].seen);
		config_free(&cfg);
		return 2;
	}
	if (isolated > 0)
		rc = expect_isolated(&p, isolated);
	else
		rc = run(&p, ready, go, interval_us, timeout);
	report(&p);
	for (i = 0; i < p.n_peers; i++) {
		if (p.peers[i].bad > 0) {
			fprintf(stderr, "probe %u: %u corrupt packets from %u\n", p.self,
				p.peers[i].bad, p.peers[i].nodeid);
			rc = 1;
		}
		free(p.peers[i].seen);
	}
	net_destroy(p.net);
	config_free(&cfg);
	return rc;
}
