/*
 * libFuzzer target for the configuration parser: any bytes must give
 * either a complete configuration or an error naming the input, never a
 * crash, a leak or a read out of bounds (AddressSanitizer watches).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_result(const struct config *cfg)
{
	struct sockaddr_storage none;
	struct err e = { "" };
	unsigned i, j, idx;

	if (cfg->n_nodes == 0 || cfg->nodes == NULL || cfg->n_links == 0 ||
	    cfg->n_links > CONFIG_MAX_LINKS || cfg->totem.token < 30 ||
	    cfg->totem.consensus < cfg->totem.join)
		abort();
	for (i = 0; i < cfg->n_nodes; i++) {
		if (cfg->nodes[i].nodeid == 0 || cfg->nodes[i].nodeid > CONFIG_MAX_NODEID ||
		    !cfg->nodes[i].addr[0].set)
			abort();
		for (j = 0; j < i; j++)
			if (cfg->nodes[i].nodeid == cfg->nodes[j].nodeid)
				abort();
	}
	memset(&none, 0, sizeof(none));
	(void)config_find_local_node_in(cfg, 0, &none, 1, "fuzz", &idx, &e);
	e.msg[0] = '\0';
	(void)config_find_local_node_in(cfg, cfg->nodes[0].nodeid, NULL, 0, NULL, &idx,
					&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	struct err e = { "" };
	int rc;

	rc = config_parse_buffer(&cfg, "fuzz", (const char *)data, size, &e);
	if (rc == 0) {
		check_result(&cfg);
		config_free(&cfg);
	} else if (rc != -EINVAL && rc != -ENOMEM) {
		abort();
	} else if (strncmp(e.msg, "fuzz", 4) != 0 || cfg.nodes != NULL) {
		abort();
	}
	return 0;
}
