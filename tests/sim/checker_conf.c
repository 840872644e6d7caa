/*
 * checker_conf.c -- configuration identities and config-consistency.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checker_int.h"

struct idkey {
	uint32_t kind;		/* 0 regular, 1 transitional */
	uint32_t a;		/* regular: ring; transitional: previous regular ring */
	uint32_t b;		/* transitional: own ring */
	uint32_t conf;
};

static void conf_key(const struct hc_history *h, uint32_t i, struct idkey *k)
{
	const struct hc_conf *cf = &h->conf[i];

	k->conf = i;
	if (cf->reg) {
		k->kind = 0;
		k->a = cf->ring;
		k->b = 0;
	} else {
		k->kind = 1;
		k->a = cf->prev_reg == HC_NONE ? HC_NONE : h->conf[cf->prev_reg].ring;
		k->b = cf->ring;
	}
}

static int idkey_cmp(const void *x, const void *y)
{
	const struct idkey *a = x, *b = y;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return a->conf < b->conf ? -1 : a->conf > b->conf;
}

int hc_conf_same(const struct hc_history *h, uint32_t a, uint32_t b)
{
	struct idkey x, y;

	conf_key(h, a, &x);
	conf_key(h, b, &y);
	return x.kind == y.kind && x.a == y.a && x.b == y.b;
}

int hc_conf_index(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	struct idkey *k;
	size_t i, n = h->nconf ? h->nconf : 1;

	k = malloc(n * sizeof(*k));
	c->byid = malloc(n * sizeof(*c->byid));
	c->gfirst = malloc(n * sizeof(*c->gfirst));
	c->ring_reg = malloc((h->nring ? h->nring : 1) * sizeof(*c->ring_reg));
	if (!k || !c->byid || !c->gfirst || !c->ring_reg) {
		free(k);
		hc_conf_index_free(c);
		return -ENOMEM;
	}
	for (i = 0; i < h->nconf; i++)
		conf_key(h, (uint32_t)i, &k[i]);
	qsort(k, h->nconf, sizeof(*k), idkey_cmp);
	for (i = 0; i < h->nring; i++)
		c->ring_reg[i] = HC_NONE;
	for (i = 0; i < h->nconf; i++) {
		int same = i > 0 && k[i].kind == k[i - 1].kind && k[i].a == k[i - 1].a &&
			   k[i].b == k[i - 1].b;

		c->byid[i] = k[i].conf;
		c->gfirst[k[i].conf] = same ? c->gfirst[k[i - 1].conf] : (uint32_t)i;
		if (k[i].kind == 0 && c->ring_reg[k[i].a] == HC_NONE)
			c->ring_reg[k[i].a] = k[i].conf;
	}
	free(k);
	return 0;
}

void hc_conf_index_free(struct hc_chk *c)
{
	free(c->byid);
	free(c->gfirst);
	free(c->ring_reg);
	c->byid = c->gfirst = c->ring_reg = NULL;
}

/* 1 if every member of a is a member of b. */
static int subset(const struct hc_history *h, const struct hc_conf *a, const struct hc_conf *b)
{
	uint32_t i;

	for (i = 0; i < a->mem_cnt; i++)
		if (!hc_conf_has(h, b, h->mem[a->mem_off + i]))
			return 0;
	return 1;
}

static int same_members(const struct hc_history *h, const struct hc_conf *a, const struct hc_conf *b)
{
	return a->mem_cnt == b->mem_cnt &&
	       memcmp(&h->mem[a->mem_off], &h->mem[b->mem_off], a->mem_cnt * sizeof(uint32_t)) == 0;
}

static const char *kind(const struct hc_conf *cf)
{
	return cf->reg ? "regular" : "transitional";
}

/* Shape of one incarnation's sequence of configurations. */
static void check_chain(struct hc_chk *c, uint32_t p)
{
	struct hc_history *h = c->h;
	uint32_t i, prev = HC_NONE;

	for (i = h->proc[p].conf_first; i != HC_NONE; prev = i, i = h->conf[i].next) {
		const struct hc_conf *cf = &h->conf[i];
		const struct hc_conf *pv = prev == HC_NONE ? NULL : &h->conf[prev];
		const struct hc_ring *r = &h->ring[cf->ring];

		if (!hc_conf_has(h, cf, h->proc[p].node))
			hc_violation(c, HC_P_CONF, "%s installed %s %s (%s) without being a member of it (%s)",
				     hc_fmt_proc(c, p), kind(cf), hc_fmt_ring(c, cf->ring),
				     hc_fmt_ref(c, cf->ev), hc_fmt_members(c, cf));
		if (cf->reg && !hc_conf_has(h, cf, r->rep))
			hc_violation(c, HC_P_CONF, "%s installed regular %s (%s) whose representative is not a member (%s)",
				     hc_fmt_proc(c, p), hc_fmt_ring(c, cf->ring), hc_fmt_ref(c, cf->ev),
				     hc_fmt_members(c, cf));
		if (!pv) {
			if (!cf->reg)
				hc_violation(c, HC_P_CONF, "%s installed transitional %s (%s) as its first configuration",
					     hc_fmt_proc(c, p), hc_fmt_ring(c, cf->ring), hc_fmt_ref(c, cf->ev));
			continue;
		}
		if (pv->reg && cf->reg && c->opts->regular_only)
			continue;
		if (pv->reg == cf->reg) {
			hc_violation(c, HC_P_CONF, "%s installed %s %s (%s) directly after %s %s (%s)",
				     hc_fmt_proc(c, p), kind(cf), hc_fmt_ring(c, cf->ring), hc_fmt_ref(c, cf->ev),
				     kind(pv), hc_fmt_ring(c, pv->ring), hc_fmt_ref(c, pv->ev));
			continue;
		}
		if (cf->reg) {
			/* pv is the transitional configuration leading here. */
			if (pv->ring != cf->ring)
				hc_violation(c, HC_P_CONF, "%s installed regular %s (%s) after transitional %s (%s)",
					     hc_fmt_proc(c, p), hc_fmt_ring(c, cf->ring), hc_fmt_ref(c, cf->ev),
					     hc_fmt_ring(c, pv->ring), hc_fmt_ref(c, pv->ev));
			else if (!subset(h, pv, cf))
				hc_violation(c, HC_P_CONF, "%s: transitional %s members %s (%s) not all in regular %s members %s (%s)",
					     hc_fmt_proc(c, p), hc_fmt_ring(c, pv->ring), hc_fmt_members(c, pv),
					     hc_fmt_ref(c, pv->ev), hc_fmt_ring(c, cf->ring), hc_fmt_members(c, cf),
					     hc_fmt_ref(c, cf->ev));
		} else {
			if (h->ring[cf->ring].seq <= h->ring[pv->ring].seq)
				hc_violation(c, HC_P_CONF, "%s installed transitional %s (%s) not above regular %s (%s)",
					     hc_fmt_proc(c, p), hc_fmt_ring(c, cf->ring), hc_fmt_ref(c, cf->ev),
					     hc_fmt_ring(c, pv->ring), hc_fmt_ref(c, pv->ev));
			if (!subset(h, cf, pv))
				hc_violation(c, HC_P_CONF, "%s: transitional %s members %s (%s) not all in regular %s members %s (%s)",
					     hc_fmt_proc(c, p), hc_fmt_ring(c, cf->ring), hc_fmt_members(c, cf),
					     hc_fmt_ref(c, cf->ev), hc_fmt_ring(c, pv->ring), hc_fmt_members(c, pv),
					     hc_fmt_ref(c, pv->ev));
		}
	}
}

/* Regular ring seqs of one node, over all its incarnations. */
static void check_node_seqs(struct hc_chk *c, const struct hc_node *n)
{
	struct hc_history *h = c->h;
	uint32_t p, i, last = HC_NONE;

	for (p = n->proc_first; p < n->proc_first + n->proc_cnt; p++)
		for (i = h->proc[p].conf_first; i != HC_NONE; i = h->conf[i].next) {
			if (!h->conf[i].reg)
				continue;
			if (last != HC_NONE &&
			    h->ring[h->conf[i].ring].seq <= h->ring[h->conf[last].ring].seq)
				hc_violation(c, HC_P_CONF, "node %u installed regular %s (%s) after regular %s (%s)",
					     n->id, hc_fmt_ring(c, h->conf[i].ring), hc_fmt_ref(c, h->conf[i].ev),
					     hc_fmt_ring(c, h->conf[last].ring), hc_fmt_ref(c, h->conf[last].ev));
			last = i;
		}
}

void hc_check_config(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	size_t i;

	for (i = 0; i < h->nproc; i++)
		check_chain(c, (uint32_t)i);
	for (i = 0; i < h->nnode; i++)
		check_node_seqs(c, &h->node[i]);
	/* Same identity, same members: compare each with its group's first. */
	for (i = 0; i < h->nconf; i++) {
		uint32_t first = c->byid[c->gfirst[i]];
		const struct hc_conf *a = &h->conf[first], *b = &h->conf[i];

		if (first == i || same_members(h, a, b))
			continue;
		hc_violation(c, HC_P_CONF, "%s %s: %s lists members %s (%s) but %s lists %s (%s)",
			     kind(b), hc_fmt_ring(c, b->ring), hc_fmt_proc(c, a->proc),
			     hc_fmt_members(c, a), hc_fmt_ref(c, a->ev), hc_fmt_proc(c, b->proc),
			     hc_fmt_members(c, b), hc_fmt_ref(c, b->ev));
	}
}
