/*
 * The daemon's start-up sequence in one call: file (or the built-in
 * single node when the default file does not exist), uidgid.d, name
 * resolution, and which node we are.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config/config_int.h"

int config_startup(struct config *cfg, const struct config_startup_opts *opts,
		   unsigned *local_index, struct err *e)
{
	const char *path = opts->path ? opts->path : CONFIG_DEFAULT_FILE;
	struct err why = { "" };
	int rc;

	/* a missing default file is no error: its reason is dropped then */
	rc = config_load_file(cfg, path, &why);
	if (rc < 0 && (rc != -ENOENT || opts->path != NULL))
		return err_set(e, rc, "%s", why.msg);
	if (rc == -ENOENT) {
		rc = config_default_single_node(cfg, e);
		if (rc == 0 && cfg->n_notices < CONFIG_MAX_NOTICES) {
			struct config_notice *n = &cfg->notices[cfg->n_notices++];

			n->level = CONFIG_NOTICE_INFO;
			snprintf(n->text, sizeof(n->text), "%s does not exist; using the "
				 "built-in single node configuration (node 1 on 127.0.0.1)",
				 path);
		}
	}
	if (rc < 0)
		return rc;
	if (opts->uidgid_dir != NULL)
		rc = config_add_uidgid_dir(cfg, opts->uidgid_dir, e);
	if (rc == 0)
		rc = config_resolve_addresses(cfg, e);
	if (rc == 0)
		rc = config_find_local_node(cfg, opts->nodeid, local_index, e);
	if (rc < 0)
		config_free(cfg);
	return rc;
}
