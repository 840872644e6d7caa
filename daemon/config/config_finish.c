/*
 * After the last line: values derived from others (as corosync 3.1 derives
 * them), then the checks that involve more than one key.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config/config_int.h"

static int finish_crypto(struct cfg_ctx *x)
{
	struct config_totem *t = &x->cfg->totem;

	/* secauth: on means aes256 + sha256 unless those are set */
	if (x->secauth) {
		if (cfg_totem_line(x, "crypto_cipher") == 0)
			t->crypto_cipher = CONFIG_CIPHER_AES256;
		if (cfg_totem_line(x, "crypto_hash") == 0)
			t->crypto_hash = CONFIG_HASH_SHA256;
	}
	if (t->crypto_cipher != CONFIG_CIPHER_NONE && t->crypto_hash == CONFIG_HASH_NONE) {
		x->line = cfg_totem_line(x, "crypto_cipher");
		if (x->line == 0)
			x->line = cfg_totem_line(x, "secauth");
		return cfg_error(x, "crypto_cipher %s needs a crypto_hash other than none",
				 config_cipher_name(t->crypto_cipher));
	}
	return 0;
}

static int finish_compression(struct cfg_ctx *x)
{
	struct config_totem *t = &x->cfg->totem;
	const char *p;

	for (p = t->knet_compression_model; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
			x->line = cfg_totem_line(x, "knet_compression_model");
			return cfg_error(x, "knet_compression_model: '%s' is not a model name",
					 t->knet_compression_model);
		}
	}
	if (t->knet_compression_model[0] == '\0')
		strcpy(t->knet_compression_model, "none");
	/* corosync: 0 means "the default" */
	if (t->knet_compression_threshold == 0)
		t->knet_compression_threshold = 100;
	return 0;
}

static int finish_timeouts(struct cfg_ctx *x)
{
	struct config_totem *t = &x->cfg->totem;
	unsigned n = x->cfg->n_nodes;
	uint64_t token = t->token_configured;

	if (n > 2)
		token += (uint64_t)(n - 2) * t->token_coefficient;
	if (token > 100000000u) {
		x->line = cfg_totem_line(x, "token_coefficient");
		return cfg_error(x, "token + (nodes - 2) * token_coefficient = %llu ms is too large",
				 (unsigned long long)token);
	}
	t->token = (uint32_t)token;

	if (cfg_totem_line(x, "token_retransmit") == 0) {
		t->token_retransmit = (uint32_t)(t->token /
			(t->token_retransmits_before_loss_const + 0.2));
		if (t->token_retransmit < 30) {
			x->line = cfg_totem_line(x, "token_retransmits_before_loss_const");
			if (x->line == 0)
				x->line = cfg_totem_line(x, "token");
			return cfg_error(x, "token / (token_retransmits_before_loss_const + 0.2) = "
					 "%u ms is below the 30 ms minimum; raise token or lower "
					 "token_retransmits_before_loss_const", t->token_retransmit);
		}
	}
	/* token_retransmit >= 30 keeps this at or above corosync's 14 ms */
	if (cfg_totem_line(x, "hold") == 0)
		t->hold = (uint32_t)(t->token_retransmit * 0.8 - 10);
	if (cfg_totem_line(x, "consensus") == 0) {
		t->consensus = (uint32_t)(1.2 * t->token);
	} else if ((double)t->consensus < 1.2 * t->token) {
		x->line = cfg_totem_line(x, "consensus");
		cfg_notice(x, CONFIG_NOTICE_WARNING,
			   "consensus %u ms is less than 1.2 * token (%u ms)",
			   t->consensus, t->token);
	}
	if (t->consensus < t->join) {
		x->line = cfg_totem_line(x, "consensus");
		if (x->line == 0)
			x->line = cfg_totem_line(x, "join");
		return cfg_error(x, "consensus (%u ms) may not be less than join (%u ms)",
				 t->consensus, t->join);
	}
	if (t->max_messages > t->window_size) {
		x->line = cfg_totem_line(x, "max_messages");
		cfg_notice(x, CONFIG_NOTICE_WARNING,
			   "max_messages %u is larger than window_size %u; window_size limits it",
			   t->max_messages, t->window_size);
	}
	return 0;
}

static int finish_links(struct cfg_ctx *x)
{
	struct config *cfg = x->cfg;
	unsigned i, l, n_links = 1;

	for (i = 0; i < cfg->n_nodes; i++)
		for (l = 0; l < CONFIG_MAX_LINKS; l++)
			if (cfg->nodes[i].addr[l].set && l + 1 > n_links)
				n_links = l + 1;
	cfg->n_links = n_links;

	for (l = 0; l < CONFIG_MAX_LINKS; l++) {
		struct config_link *k = &cfg->links[l];

		if (k->configured && l >= n_links) {
			x->line = x->link_line[l];
			cfg_notice(x, CONFIG_NOTICE_WARNING,
				   "interface for link %u, but no node has ring%u_addr", l, l);
		}
		/* corosync derives the ping timers from the effective token;
		 * we ping at most every 200 ms (knet's heartbeat tick), so a
		 * link that comes back is up in about half a second instead
		 * of 3 intervals (knet wants pong_count + 1 answers); the
		 * timeout, which finds a link down, is corosync's */
		if (cfg_link_line(x, l, "knet_ping_interval") == 0) {
			k->knet_ping_interval = cfg->totem.token / (k->knet_pong_count * 2u);
			if (k->knet_ping_interval > 200)
				k->knet_ping_interval = 200;
		}
		if (cfg_link_line(x, l, "knet_ping_timeout") == 0)
			k->knet_ping_timeout = cfg->totem.token / k->knet_pong_count;
		if (k->knet_ping_interval == 0)
			k->knet_ping_interval = 1;
		if (k->knet_ping_timeout == 0)
			k->knet_ping_timeout = 1;
		if (k->knet_ping_timeout <= k->knet_ping_interval) {
			x->line = x->link_line[l];
			cfg_notice(x, CONFIG_NOTICE_WARNING,
				   "link %u: knet_ping_timeout %u ms is not above knet_ping_interval "
				   "%u ms; the link will flap", l, k->knet_ping_timeout,
				   k->knet_ping_interval);
		}
	}
	for (i = 0; i < cfg->n_nodes; i++) {
		for (l = 1; l < n_links; l++) {
			if (!cfg->nodes[i].addr[l].set) {
				x->line = cfg->nodes[i].line;
				cfg_notice(x, CONFIG_NOTICE_WARNING,
					   "node %u has no ring%u_addr while other nodes do",
					   cfg->nodes[i].nodeid, l);
			}
		}
	}
	return 0;
}

static bool family_ok(enum config_ip_version v, int family)
{
	if (v == CONFIG_IP_IPV4)
		return family == AF_INET;
	if (v == CONFIG_IP_IPV6)
		return family == AF_INET6;
	return true;
}

/* Duplicate ids, names, addresses; one address family per link.  Works on
 * resolved addresses; unresolved names are compared as text. */
int cfg_check_addresses(const struct config *cfg, struct err *e)
{
	unsigned i, j, l, m;

	for (i = 0; i < cfg->n_nodes; i++) {
		const struct config_node *a = &cfg->nodes[i];

		for (l = 0; l < CONFIG_MAX_LINKS; l++) {
			const struct config_addr *x = &a->addr[l];

			if (!x->set || !x->resolved)
				continue;
			if (!family_ok(cfg->totem.ip_version, x->sa.ss_family))
				return err_set(e, -EINVAL, "%s:%u: ring%u_addr %s does not "
					       "match ip_version", cfg->source, a->line, l,
					       x->text);
		}
		for (j = 0; j <= i; j++) {
			const struct config_node *b = &cfg->nodes[j];

			if (j < i && a->nodeid == b->nodeid)
				return err_set(e, -EINVAL, "%s:%u: nodeid %u is already used "
					       "by the node at line %u", cfg->source, a->line,
					       a->nodeid, b->line);
			for (l = 0; l < CONFIG_MAX_LINKS; l++) {
				const struct config_addr *x = &a->addr[l];

				if (!x->set)
					continue;
				for (m = 0; m < CONFIG_MAX_LINKS; m++) {
					const struct config_addr *y = &b->addr[m];
					bool same;

					if (!y->set || (j == i && m >= l))
						continue;
					if (x->resolved && y->resolved)
						same = cfg_addr_equal(&x->sa, &y->sa);
					else
						same = strcmp(x->text, y->text) == 0;
					if (same)
						return err_set(e, -EINVAL, "%s:%u: ring%u_addr %s is "
							       "already used (ring%u_addr of the node "
							       "at line %u)", cfg->source, a->line, l,
							       x->text, m, b->line);
					if (m == l && j < i && x->resolved && y->resolved &&
					    x->sa.ss_family != y->sa.ss_family)
						return err_set(e, -EINVAL, "%s:%u: link %u mixes IPv4 "
							       "and IPv6 (ring%u_addr %s; the node at "
							       "line %u has %s)", cfg->source, a->line,
							       l, l, x->text, b->line, y->text);
				}
			}
		}
	}
	return 0;
}

int cfg_finish(struct cfg_ctx *x)
{
	struct config *cfg = x->cfg;
	unsigned i, j;
	int rc;

	if (cfg->n_nodes == 0) {
		x->line = 0;
		return cfg_error(x, x->have_nodelist ?
				 "nodelist has no node: knet needs every node listed" :
				 "no nodelist section: knet needs nodelist { node { ... } }");
	}
	rc = finish_crypto(x);
	if (rc == 0)
		rc = finish_compression(x);
	if (rc == 0)
		rc = finish_timeouts(x);
	if (rc == 0)
		rc = finish_links(x);
	if (rc == 0)
		rc = cfg_check_addresses(cfg, x->e);
	if (rc < 0)
		return rc;
	for (i = 0; i < cfg->n_nodes; i++) {
		for (j = 0; j < i; j++) {
			if (cfg->nodes[i].name[0] != '\0' &&
			    strcmp(cfg->nodes[i].name, cfg->nodes[j].name) == 0) {
				x->line = cfg->nodes[i].line;
				cfg_notice(x, CONFIG_NOTICE_WARNING,
					   "node name '%s' is also used by the node at line %u",
					   cfg->nodes[i].name, cfg->nodes[j].line);
			}
		}
	}
	return 0;
}
