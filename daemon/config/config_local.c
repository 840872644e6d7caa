/*
 * Name resolution for ringX_addr and "which node am I".
 */
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_int.h"

static int resolve_one(const struct config *cfg, struct config_addr *a,
		       unsigned line, unsigned link, struct err *e)
{
	struct addrinfo hints, *res = NULL, *ai, *pick = NULL;
	enum config_ip_version v = cfg->totem.ip_version;
	int first, second, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_family = v == CONFIG_IP_IPV4 ? AF_INET :
			  v == CONFIG_IP_IPV6 ? AF_INET6 : AF_UNSPEC;
	rc = getaddrinfo(a->text, NULL, &hints, &res);
	if (rc != 0)
		return err_set(e, -EHOSTUNREACH, "%s:%u: cannot resolve ring%u_addr "
			       "'%s': %s", cfg->source, line, link, a->text,
			       gai_strerror(rc));
	first = v == CONFIG_IP_IPV4_6 || v == CONFIG_IP_IPV4 ? AF_INET : AF_INET6;
	second = first == AF_INET ? AF_INET6 : AF_INET;
	for (ai = res; ai != NULL && pick == NULL; ai = ai->ai_next)
		if (ai->ai_family == first)
			pick = ai;
	for (ai = res; ai != NULL && pick == NULL; ai = ai->ai_next)
		if (ai->ai_family == second)
			pick = ai;
	if (pick == NULL || pick->ai_addrlen > sizeof(a->sa)) {
		freeaddrinfo(res);
		return err_set(e, -EHOSTUNREACH, "%s:%u: ring%u_addr '%s' has no "
			       "usable address", cfg->source, line, link, a->text);
	}
	memset(&a->sa, 0, sizeof(a->sa));
	memcpy(&a->sa, pick->ai_addr, pick->ai_addrlen);
	a->salen = pick->ai_addrlen;
	/* the port is the net layer's business */
	if (a->sa.ss_family == AF_INET)
		((struct sockaddr_in *)&a->sa)->sin_port = 0;
	else
		((struct sockaddr_in6 *)&a->sa)->sin6_port = 0;
	a->resolved = true;
	freeaddrinfo(res);
	return 0;
}

int config_resolve_addresses(struct config *cfg, struct err *e)
{
	unsigned i, l;
	int rc;

	for (i = 0; i < cfg->n_nodes; i++) {
		for (l = 0; l < CONFIG_MAX_LINKS; l++) {
			struct config_addr *a = &cfg->nodes[i].addr[l];

			if (!a->set || a->resolved)
				continue;
			rc = resolve_one(cfg, a, cfg->nodes[i].line, l, e);
			if (rc < 0)
				return rc;
		}
	}
	return cfg_check_addresses(cfg, e);
}

static bool node_has_local(const struct config_node *n,
			   const struct sockaddr_storage *local, size_t n_local)
{
	unsigned l;
	size_t i;

	for (l = 0; l < CONFIG_MAX_LINKS; l++) {
		if (!n->addr[l].set || !n->addr[l].resolved)
			continue;
		for (i = 0; i < n_local; i++)
			if (cfg_addr_equal(&n->addr[l].sa, &local[i]))
				return true;
	}
	return false;
}

static size_t short_len(const char *s)
{
	const char *dot = strchr(s, '.');

	return dot ? (size_t)(dot - s) : strlen(s);
}

static bool name_matches(const char *node, const char *host)
{
	size_t a, b;

	if (node[0] == '\0' || host == NULL || host[0] == '\0')
		return false;
	if (strcmp(node, host) == 0)
		return true;
	a = short_len(node);
	b = short_len(host);
	return a == b && strncmp(node, host, a) == 0;
}

int config_find_local_node_in(const struct config *cfg, uint32_t explicit_nodeid,
			      const struct sockaddr_storage *local, size_t n_local,
			      const char *hostname, unsigned *index,
			      struct err *e)
{
	uint32_t want = explicit_nodeid ? explicit_nodeid : cfg->totem.nodeid;
	unsigned i, found = 0, first = 0;

	if (want != 0) {
		for (i = 0; i < cfg->n_nodes; i++) {
			if (cfg->nodes[i].nodeid == want) {
				*index = i;
				return 0;
			}
		}
		return err_set(e, -ENOENT, "%s: nodeid %u is not in the nodelist",
			       cfg->source, want);
	}
	for (i = 0; i < cfg->n_nodes; i++) {
		if (node_has_local(&cfg->nodes[i], local, n_local)) {
			if (found++ == 0)
				first = i;
		}
	}
	if (found > 1)
		return err_set(e, -EEXIST, "%s: several nodes have addresses of this "
			       "host (nodeid %u and others); set totem.nodeid",
			       cfg->source, cfg->nodes[first].nodeid);
	if (found == 0) {
		for (i = 0; i < cfg->n_nodes; i++) {
			if (name_matches(cfg->nodes[i].name, hostname)) {
				if (found++ == 0)
					first = i;
			}
		}
		if (found > 1)
			return err_set(e, -EEXIST, "%s: several nodes are named like "
				       "this host '%s'; set totem.nodeid", cfg->source,
				       hostname);
	}
	if (found == 0)
		return err_set(e, -ENOENT, "%s: no node has an address of this host "
			       "or its name '%s'; set totem.nodeid", cfg->source,
			       hostname ? hostname : "");
	*index = first;
	return 0;
}

int config_find_local_node(const struct config *cfg, uint32_t explicit_nodeid,
			   unsigned *index, struct err *e)
{
	struct ifaddrs *ifs = NULL, *p;
	struct sockaddr_storage *local = NULL;
	size_t n = 0, cap = 0;
	char host[256];
	int rc;

	if (getifaddrs(&ifs) < 0) {
		rc = -errno;
		return err_set(e, rc, "getifaddrs: %s", strerror(-rc));
	}
	for (p = ifs; p != NULL; p = p->ifa_next) {
		size_t len;

		if (p->ifa_addr == NULL)
			continue;
		if (p->ifa_addr->sa_family == AF_INET)
			len = sizeof(struct sockaddr_in);
		else if (p->ifa_addr->sa_family == AF_INET6)
			len = sizeof(struct sockaddr_in6);
		else
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct sockaddr_storage *g = realloc(local, ncap * sizeof(*g));

			if (g == NULL) {
				free(local);
				freeifaddrs(ifs);
				return err_set(e, -ENOMEM, "out of memory");
			}
			local = g;
			cap = ncap;
		}
		memset(&local[n], 0, sizeof(local[n]));
		memcpy(&local[n], p->ifa_addr, len);
		n++;
	}
	freeifaddrs(ifs);
	if (gethostname(host, sizeof(host)) < 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	rc = config_find_local_node_in(cfg, explicit_nodeid, local, n, host,
				       index, e);
	free(local);
	return rc;
}
