/* Groups and members of the CPG layer; see status_sources.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "grp/grp.h"
#include "status/status_sources.h"

int status_src_cpg_groups(void *arg, struct status_out *out)
{
	struct grp *c = arg;
	struct grp_client *cl;
	struct grp_gname g;
	uint32_t nodeid, pid;
	uint64_t h;
	int rc;

	memset(&g, 0, sizeof(g));
	/* The iteration API lives on clients; a client that never joins
	 * leaves no trace in the groups when it is closed. */
	rc = grp_client_new(c, NULL, 0, &cl, NULL);
	if (rc < 0)
		return rc;
	rc = grp_iter_init(cl, CPG_ITERATION_ALL, &g, &h);
	if (rc < 0)
		goto out;
	while ((rc = grp_iter_next(cl, h, &g, &nodeid, &pid)) == 0) {
		size_t len = g.len < CPG_MAX_NAME_LENGTH ? g.len : CPG_MAX_NAME_LENGTH;

		status_group_member(out, g.value, len, nodeid, pid);
	}
	if (rc == -ENODATA)
		rc = 0;
	grp_iter_finalize(cl, h);
out:
	grp_client_close(cl);
	return rc;
}
