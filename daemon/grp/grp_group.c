/* Groups and their members; see grp_int.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grp/grp_int.h"
#include "util/log.h"

int grp_gname_eq(const struct grp_gname *a, const struct grp_gname *b)
{
	return a->len == b->len && a->len <= CPG_MAX_NAME_LENGTH &&
	       memcmp(a->value, b->value, a->len) == 0;
}

struct grp_group *grp_group_find(const struct grp *c,
				 const struct grp_gname *g)
{
	struct grp_group *grp;

	for (grp = c->groups; grp; grp = grp->next)
		if (grp_gname_eq(&grp->name, g))
			return grp;
	return NULL;
}

struct grp_group *grp_group_get(struct grp *c, const struct grp_gname *g)
{
	struct grp_group *grp = grp_group_find(c, g);

	if (grp)
		return grp;
	if (g->len > CPG_MAX_NAME_LENGTH)
		return NULL;
	grp = calloc(1, sizeof(*grp));
	if (!grp)
		return NULL;
	grp->name.len = g->len;
	memcpy(grp->name.value, g->value, g->len);
	/* appended, so iteration lists groups in the order they appeared */
	if (!c->groups) {
		c->groups = grp;
	} else {
		struct grp_group *last = c->groups;

		while (last->next)
			last = last->next;
		last->next = grp;
		grp->prev = last;
	}
	return grp;
}

static void group_free(struct grp *c, struct grp_group *grp)
{
	if (grp->prev)
		grp->prev->next = grp->next;
	else
		c->groups = grp->next;
	if (grp->next)
		grp->next->prev = grp->prev;
	free(grp->m);
	free(grp);
}

void grp_group_put(struct grp *c, struct grp_group *grp)
{
	if (grp && grp->n == 0 && !grp->clients)
		group_free(c, grp);
}

void grp_group_free_all(struct grp *c)
{
	while (c->groups)
		group_free(c, c->groups);
}

long grp_group_member_find(const struct grp_group *grp, uint32_t nodeid,
			   uint32_t pid)
{
	size_t i;

	for (i = 0; i < grp->n; i++)
		if (grp->m[i].nodeid == nodeid && grp->m[i].pid == pid)
			return (long)i;
	return -1;
}

int grp_group_member_add(struct grp_group *grp, uint32_t nodeid,
			 uint32_t pid)
{
	size_t i;

	if (grp->n == grp->cap) {
		size_t cap = grp->cap ? grp->cap * 2 : 4;
		struct grp_member *m = realloc(grp->m, cap * sizeof(*m));

		if (!m)
			return -ENOMEM;
		grp->m = m;
		grp->cap = cap;
	}
	for (i = 0; i < grp->n; i++) {
		if (grp->m[i].nodeid > nodeid ||
		    (grp->m[i].nodeid == nodeid && grp->m[i].pid > pid))
			break;
	}
	memmove(&grp->m[i + 1], &grp->m[i], (grp->n - i) * sizeof(grp->m[0]));
	grp->m[i].nodeid = nodeid;
	grp->m[i].pid = pid;
	grp->n++;
	return 0;
}

void grp_group_member_del(struct grp_group *grp, size_t idx)
{
	if (idx >= grp->n)
		return;
	memmove(&grp->m[idx], &grp->m[idx + 1],
		(grp->n - idx - 1) * sizeof(grp->m[0]));
	grp->n--;
}

void grp_group_attach(struct grp_group *grp, struct grp_client *cl)
{
	cl->grp = grp;
	cl->g_prev = NULL;
	cl->g_next = grp->clients;
	if (grp->clients)
		grp->clients->g_prev = cl;
	grp->clients = cl;
}

void grp_group_detach(struct grp_client *cl)
{
	struct grp_group *grp = cl->grp;

	if (!grp)
		return;
	if (cl->g_prev)
		cl->g_prev->g_next = cl->g_next;
	else
		grp->clients = cl->g_next;
	if (cl->g_next)
		cl->g_next->g_prev = cl->g_prev;
	cl->g_next = cl->g_prev = NULL;
	cl->grp = NULL;
	grp_group_put(cl->cpg, grp);
}

void grp_group_notify(struct grp *c, struct grp_group *grp,
		      const struct grp_addr *left, size_t n_left,
		      const struct grp_addr *joined, size_t n_joined)
{
	struct grp_addr *members;
	struct grp_client *cl;
	size_t i;

	members = calloc(grp->n ? grp->n : 1, sizeof(*members));
	if (!members) {
		log_error(LOG_T_CPG, "no memory for a confchg of %zu members",
			  grp->n);
		return;
	}
	for (i = 0; i < grp->n; i++) {
		members[i].nodeid = grp->m[i].nodeid;
		members[i].pid = grp->m[i].pid;
	}
	for (cl = grp->clients; cl; cl = cl->g_next) {
		if (cl->finalized ||
		    (cl->state != CL_JOINED && cl->state != CL_LEAVE_STARTED))
			continue;
		cl->confchgs++;
		if (c->sink.confchg)
			c->sink.confchg(c->sink.arg, cl->conn, &grp->name,
					members, grp->n, left, n_left,
					joined, n_joined);
	}
	free(members);
}
