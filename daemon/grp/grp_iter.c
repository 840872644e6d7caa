/* Group membership queries and iteration snapshots; see grp.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grp/grp_int.h"

int grp_membership(const struct grp *c, const struct grp_gname *g,
		   struct grp_addr *out, size_t max, size_t *n)
{
	const struct grp_group *grp;
	size_t i;

	*n = 0;
	if (g->len > CPG_MAX_NAME_LENGTH)
		return -ENAMETOOLONG;
	grp = grp_group_find(c, g);
	if (!grp)
		return 0;
	for (i = 0; i < grp->n && i < max; i++) {
		out[i].nodeid = grp->m[i].nodeid;
		out[i].pid = grp->m[i].pid;
		out[i].reason = 0;
	}
	*n = i;
	return 0;
}

static struct grp_iter *iter_find(struct grp_client *cl, uint64_t handle,
				  struct grp_iter ***link)
{
	struct grp_iter **pp;

	for (pp = &cl->iters; *pp; pp = &(*pp)->next) {
		if ((*pp)->handle == handle) {
			if (link)
				*link = pp;
			return *pp;
		}
	}
	return NULL;
}

int grp_iter_init(struct grp_client *cl, uint32_t type,
		  const struct grp_gname *g, uint64_t *handle)
{
	const struct grp *c = cl->cpg;
	const struct grp_group *grp;
	struct grp_iter *it;
	size_t n = 0, i;

	if (type < CPG_ITERATION_NAME_ONLY || type > CPG_ITERATION_ALL)
		return -EINVAL;
	if (type == CPG_ITERATION_ONE_GROUP && g->len > CPG_MAX_NAME_LENGTH)
		return -ENAMETOOLONG;
	if (cl->n_iters >= GRP_MAX_ITERS)
		return -ENOSPC;
	for (grp = c->groups; grp; grp = grp->next) {
		if (grp->n == 0)
			continue;
		if (type == CPG_ITERATION_NAME_ONLY)
			n++;
		else if (type == CPG_ITERATION_ALL || grp_gname_eq(&grp->name, g))
			n += grp->n;
	}
	it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->ents = calloc(n ? n : 1, sizeof(*it->ents));
	if (!it->ents) {
		free(it);
		return -ENOMEM;
	}
	for (grp = c->groups; grp; grp = grp->next) {
		if (grp->n == 0)
			continue;
		if (type == CPG_ITERATION_NAME_ONLY) {
			it->ents[it->n++].name = grp->name;
			continue;
		}
		if (type == CPG_ITERATION_ONE_GROUP && !grp_gname_eq(&grp->name, g))
			continue;
		for (i = 0; i < grp->n; i++) {
			it->ents[it->n].name = grp->name;
			it->ents[it->n].nodeid = grp->m[i].nodeid;
			it->ents[it->n].pid = grp->m[i].pid;
			it->n++;
		}
	}
	it->handle = cl->next_handle++;
	it->next = cl->iters;
	cl->iters = it;
	cl->n_iters++;
	*handle = it->handle;
	return 0;
}

int grp_iter_next(struct grp_client *cl, uint64_t handle,
		  struct grp_gname *g, uint32_t *nodeid, uint32_t *pid)
{
	struct grp_iter *it = iter_find(cl, handle, NULL);

	if (!it)
		return -EBADF;
	if (it->pos >= it->n)
		return -ENODATA;
	*g = it->ents[it->pos].name;
	*nodeid = it->ents[it->pos].nodeid;
	*pid = it->ents[it->pos].pid;
	it->pos++;
	return 0;
}

int grp_iter_finalize(struct grp_client *cl, uint64_t handle)
{
	struct grp_iter **link;
	struct grp_iter *it = iter_find(cl, handle, &link);

	if (!it)
		return -EBADF;
	*link = it->next;
	cl->n_iters--;
	free(it->ents);
	free(it);
	return 0;
}

void grp_iter_free_all(struct grp_client *cl)
{
	while (cl->iters)
		grp_iter_finalize(cl, cl->iters->handle);
}
