/*
 * checker_vs.c -- virtual synchrony (failure atomicity, deliveries inside
 * configurations, one home ring per message) and safe delivery.
 */
#include <stdlib.h>
#include <string.h>

#include "checker_int.h"

/* A transition X -> Y of one process, keyed by the identities of X and Y. */
struct trans {
	uint32_t gx;		/* group (identity) of X */
	uint32_t gy;		/* group of Y */
	uint32_t x;		/* conf X of this process */
	uint32_t cnt;		/* messages delivered in X */
	uint64_t sum;		/* order-independent hash of that set */
	uint8_t rejoined;	/* a restarted incarnation: may have joined in X */
};

static int trans_cmp(const void *a, const void *b)
{
	const struct trans *x = a, *y = b;

	if (x->gx != y->gx)
		return x->gx < y->gx ? -1 : 1;
	if (x->gy != y->gy)
		return x->gy < y->gy ? -1 : 1;
	/* first incarnations first: a group is compared with its first */
	if (x->rejoined != y->rejoined)
		return x->rejoined < y->rejoined ? -1 : 1;
	return x->x < y->x ? -1 : x->x > y->x;
}

/* A message p delivered in its conf x that q did not deliver in its conf y
 * (one that came before q joined is not q's to deliver). */
static uint32_t missing(const struct hc_history *h, uint32_t x, uint32_t y)
{
	uint32_t i, qproc = h->conf[y].proc;

	for (i = h->conf[x].dlv_begin; i < h->conf[x].dlv_end; i++) {
		uint32_t e;

		if (h->dlv[i].dup)
			continue;
		e = hc_find_dlv(h, h->dlv[i].msg, qproc);
		if ((e == HC_NONE || h->dlv[e].conf != y) &&
		    !hc_before_join(h, qproc, h->conf[x].home, i))
			return i;
	}
	return HC_NONE;
}

static void report_atomicity(struct hc_chk *c, uint32_t x1, uint32_t x2)
{
	struct hc_history *h = c->h;
	const struct hc_conf *a = &h->conf[x1], *b = &h->conf[x2];
	uint32_t d = missing(h, x1, x2), p = x1;

	if (d == HC_NONE) {
		d = missing(h, x2, x1);
		p = x2;
	}
	if (d == HC_NONE)
		return;		/* equal but for what came before a join (or a
				 * hash collision) */
	hc_violation(c, HC_P_VS,
		     "%s (%s) and %s (%s) both install %s %s directly after %s %s, "
		     "but in %s %s delivered %s (%s) and %s did not",
		     hc_fmt_proc(c, a->proc), hc_fmt_ref(c, h->conf[a->next].ev),
		     hc_fmt_proc(c, b->proc), hc_fmt_ref(c, h->conf[b->next].ev),
		     h->conf[a->next].reg ? "regular" : "transitional", hc_fmt_ring(c, h->conf[a->next].ring),
		     a->reg ? "regular" : "transitional", hc_fmt_ring(c, a->ring), hc_fmt_ring(c, a->ring),
		     hc_fmt_proc(c, h->conf[p].proc), hc_fmt_msg(c, h->dlv[d].msg), hc_fmt_ref(c, h->dlv[d].ev),
		     hc_fmt_proc(c, p == x1 ? b->proc : a->proc));
}

/* Failure atomicity: same X -> Y, same set delivered in X. */
static void check_atomicity(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	struct trans *t;
	size_t i, g, n = 0;

	t = malloc((h->nconf ? h->nconf : 1) * sizeof(*t));
	if (!t)
		return;
	for (i = 0; i < h->nconf; i++) {
		const struct hc_conf *cf = &h->conf[i];
		uint32_t j;

		if (cf->next == HC_NONE)
			continue;
		t[n].gx = c->gfirst[i];
		t[n].gy = c->gfirst[cf->next];
		t[n].x = (uint32_t)i;
		t[n].cnt = 0;
		t[n].sum = 0;
		t[n].rejoined = h->proc[cf->proc].inc > 1;
		for (j = cf->dlv_begin; j < cf->dlv_end; j++) {
			if (h->dlv[j].dup)
				continue;
			t[n].cnt++;
			t[n].sum += hc_mix64(h->dlv[j].msg + 1);
		}
		n++;
	}
	qsort(t, n, sizeof(*t), trans_cmp);
	for (g = 0; g < n; g = i)
		for (i = g + 1; i < n && t[i].gx == t[g].gx && t[i].gy == t[g].gy; i++)
			if (t[i].cnt != t[g].cnt || t[i].sum != t[g].sum)
				report_atomicity(c, t[g].x, t[i].x);
	free(t);
}

/* Deliveries inside configurations; one home ring; sender a member of it. */
static void check_homes(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	size_t i;

	for (i = 0; i < h->ndlv; i++)
		if (h->dlv[i].conf == HC_NONE)
			hc_violation(c, HC_P_VS, "%s delivered %s (%s) before installing any configuration",
				     hc_fmt_proc(c, h->dlv[i].proc), hc_fmt_msg(c, h->dlv[i].msg),
				     hc_fmt_ref(c, h->dlv[i].ev));
	for (i = 0; i < h->nmsg; i++) {
		const struct hc_msg *m = &h->msg[i];
		uint32_t j, first = HC_NONE, reg;

		if (m->home == HC_NONE)
			continue;
		for (j = 0; j < m->dlv_cnt; j++) {
			const struct hc_dlv *d = &h->dlv[h->msg_dlv[m->dlv_off + j]];

			if (d->dup || d->conf == HC_NONE)
				continue;
			if (first == HC_NONE) {
				first = h->msg_dlv[m->dlv_off + j];
				continue;
			}
			if (h->conf[d->conf].home != m->home) {
				hc_violation(c, HC_P_VS, "%s delivered %s in ring %s (%s) but %s delivered it in ring %s (%s)",
					     hc_fmt_proc(c, h->dlv[first].proc), hc_fmt_msg(c, (uint32_t)i),
					     hc_fmt_ring(c, m->home), hc_fmt_ref(c, h->dlv[first].ev),
					     hc_fmt_proc(c, d->proc), hc_fmt_ring(c, h->conf[d->conf].home),
					     hc_fmt_ref(c, d->ev));
				break;
			}
		}
		reg = c->ring_reg[m->home];
		if (reg != HC_NONE && !hc_conf_has(h, &h->conf[reg], m->sender))
			hc_violation(c, HC_P_VS, "%s delivered %s (%s) in ring %s whose members %s exclude its sender",
				     hc_fmt_proc(c, h->dlv[first].proc), hc_fmt_msg(c, (uint32_t)i),
				     hc_fmt_ref(c, h->dlv[first].ev), hc_fmt_ring(c, m->home),
				     hc_fmt_members(c, &h->conf[reg]));
	}
}

void hc_check_vs(struct hc_chk *c)
{
	check_homes(c);
	check_atomicity(c);
}

/* The next regular configuration q installs after conf x, or HC_NONE. */
static uint32_t next_reg(const struct hc_history *h, uint32_t x)
{
	for (x = h->conf[x].next; x != HC_NONE; x = h->conf[x].next)
		if (h->conf[x].reg)
			return x;
	return HC_NONE;
}

/*
 * Safe message msg was delivered in conf x (by its process): every installer
 * of x's identity delivers it in the same epoch unless it crashes first.
 */
static void check_safe_group(struct hc_chk *c, uint32_t msg, uint32_t x, uint32_t dlv)
{
	struct hc_history *h = c->h;
	uint32_t pos, home = h->conf[x].home;
	/* Survivors form: only the deliverer's next transitional
	 * configuration is bound, if it left x at all. */
	uint32_t surv = c->opts->safe_survivors && h->conf[x].reg ? h->conf[x].next : HC_NONE;

	for (pos = c->gfirst[x]; pos < h->nconf && hc_conf_same(h, c->byid[pos], x); pos++) {
		uint32_t y = c->byid[pos], q = h->conf[y].proc, e, nr;

		if (surv != HC_NONE && !hc_conf_has(h, &h->conf[surv], h->proc[q].node))
			continue;
		/* A survivor listed in T that missed T's installation (it went
		 * on from x to another configuration) took no part in the end
		 * of the recovery: bound only by a delivery of normal
		 * operation, which every member of x held in order. */
		if (surv != HC_NONE && h->conf[y].next != HC_NONE &&
		    !hc_conf_same(h, h->conf[y].next, surv) &&
		    !hc_normal_op(c, dlv))
			continue;
		e = hc_find_dlv(h, msg, q);
		if (e != HC_NONE && h->dlv[e].conf != HC_NONE && h->conf[h->dlv[e].conf].home == home)
			continue;
		nr = next_reg(h, y);
		if (nr == HC_NONE && h->proc[q].crash_ev != HC_NONE)
			continue;
		if (nr == HC_NONE)
			hc_violation(c, HC_P_SAFE,
				     "%s delivered safe %s in %s %s (%s); %s installed it (%s), did not crash, "
				     "never delivered the message",
				     hc_fmt_proc(c, h->dlv[dlv].proc), hc_fmt_msg(c, msg),
				     h->conf[x].reg ? "regular" : "transitional", hc_fmt_ring(c, h->conf[x].ring),
				     hc_fmt_ref(c, h->dlv[dlv].ev), hc_fmt_proc(c, q), hc_fmt_ref(c, h->conf[y].ev));
		else
			hc_violation(c, HC_P_SAFE,
				     "%s delivered safe %s in %s %s (%s); %s installed it (%s) and moved on to "
				     "regular %s (%s) without delivering the message",
				     hc_fmt_proc(c, h->dlv[dlv].proc), hc_fmt_msg(c, msg),
				     h->conf[x].reg ? "regular" : "transitional", hc_fmt_ring(c, h->conf[x].ring),
				     hc_fmt_ref(c, h->dlv[dlv].ev), hc_fmt_proc(c, q), hc_fmt_ref(c, h->conf[y].ev),
				     hc_fmt_ring(c, h->conf[nr].ring), hc_fmt_ref(c, h->conf[nr].ev));
	}
}

void hc_check_safe(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	size_t i;

	for (i = 0; i < h->nmsg; i++) {
		const struct hc_msg *m = &h->msg[i];
		uint32_t seen[16], nseen = 0, j, k;

		if (!m->safe || m->send_ev == HC_NONE)
			continue;
		for (j = 0; j < m->dlv_cnt; j++) {
			uint32_t di = h->msg_dlv[m->dlv_off + j];
			const struct hc_dlv *d = &h->dlv[di];

			if (d->dup || d->conf == HC_NONE || !h->ev[d->ev].safe)
				continue;
			/* Each configuration identity needs checking once. */
			for (k = 0; k < nseen && c->gfirst[seen[k]] != c->gfirst[d->conf]; k++)
				;
			if (k < nseen)
				continue;
			if (nseen < sizeof(seen) / sizeof(seen[0]))
				seen[nseen++] = d->conf;
			check_safe_group(c, (uint32_t)i, d->conf, di);
		}
	}
}
