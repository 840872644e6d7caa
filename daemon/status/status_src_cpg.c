/* Groups and members of the CPG layer; see status_sources.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cpg/cpg.h"
#include "status/status_sources.h"

int status_src_cpg_groups(void *arg, struct status_out *out)
{
	struct cpg *c = arg;
	struct cpg_client *cl;
	struct cpg_gname g;
	uint32_t nodeid, pid;
	uint64_t h;
	int rc;

	memset(&g, 0, sizeof(g));
	/* The iteration API lives on clients; a client that never joins
	 * leaves no trace in the groups when it is closed. */
	cl = cpg_client_new(c, NULL, 0);
	if (!cl)
		return -ENOMEM;
	rc = cpg_iter_init(cl, CPG_ITER_ALL, &g, &h);
	if (rc < 0)
		goto out;
	while ((rc = cpg_iter_next(cl, h, &g, &nodeid, &pid)) == 0) {
		size_t len = g.len < CPG_NAME_MAX ? g.len : CPG_NAME_MAX;

		status_group_member(out, g.value, len, nodeid, pid);
	}
	if (rc == -ENODATA)
		rc = 0;
	cpg_iter_finalize(cl, h);
out:
	cpg_client_close(cl);
	return rc;
}
