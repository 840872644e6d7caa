/*
 * checker_live.c -- liveness after the last fault: convergence of the live
 * nodes to one regular configuration of exactly themselves, and delivery of
 * everything they send afterwards.
 */
#include <stdlib.h>

#include "checker_int.h"

/* Last incarnation of node n if it is live at end, else HC_NONE. */
static uint32_t live_proc(const struct hc_history *h, const struct hc_node *n)
{
	uint32_t p = n->proc_first + n->proc_cnt - 1;

	return h->proc[p].crash_ev == HC_NONE ? p : HC_NONE;
}

static void check_final_conf(struct hc_chk *c, const uint32_t *live, size_t nlive, uint64_t deadline)
{
	struct hc_history *h = c->h;
	uint32_t ref = HC_NONE;
	size_t i, j;

	for (i = 0; i < nlive; i++) {
		const struct hc_proc *p = &h->proc[live[i]];
		const struct hc_conf *cf;
		int exact;

		if (p->conf_last == HC_NONE) {
			hc_violation(c, HC_P_LIVE, "%s (started %s) is live at end but never installed a configuration",
				     hc_fmt_proc(c, live[i]), hc_fmt_ref(c, p->start_ev));
			continue;
		}
		cf = &h->conf[p->conf_last];
		if (!cf->reg) {
			hc_violation(c, HC_P_LIVE, "%s ends in transitional %s (%s)",
				     hc_fmt_proc(c, live[i]), hc_fmt_ring(c, cf->ring), hc_fmt_ref(c, cf->ev));
			continue;
		}
		if (h->ev[cf->ev].t > deadline)
			hc_violation(c, HC_P_LIVE, "%s installed its last configuration %s (%s) after faults-end + bound (t=%llu)",
				     hc_fmt_proc(c, live[i]), hc_fmt_ring(c, cf->ring), hc_fmt_ref(c, cf->ev),
				     (unsigned long long)deadline);
		exact = cf->mem_cnt == nlive;
		for (j = 0; exact && j < nlive; j++)
			exact = h->mem[cf->mem_off + j] == h->proc[live[j]].node;
		if (!exact)
			hc_violation(c, HC_P_LIVE, "%s ends in %s with members %s (%s), not exactly the %zu live nodes",
				     hc_fmt_proc(c, live[i]), hc_fmt_ring(c, cf->ring), hc_fmt_members(c, cf),
				     hc_fmt_ref(c, cf->ev), nlive);
		if (ref == HC_NONE)
			ref = p->conf_last;
		else if (h->conf[ref].ring != cf->ring)
			hc_violation(c, HC_P_LIVE, "%s ends in %s (%s) but %s ends in %s (%s)",
				     hc_fmt_proc(c, live[i]), hc_fmt_ring(c, cf->ring), hc_fmt_ref(c, cf->ev),
				     hc_fmt_proc(c, h->conf[ref].proc), hc_fmt_ring(c, h->conf[ref].ring),
				     hc_fmt_ref(c, h->conf[ref].ev));
	}
}

static void check_late_sends(struct hc_chk *c, const uint32_t *live, size_t nlive, uint64_t deadline)
{
	struct hc_history *h = c->h;
	uint64_t cutoff = h->end_t > c->opts->settle_us ? h->end_t - c->opts->settle_us : 0;
	size_t i, j;
	uint32_t k;

	for (i = 0; i < nlive; i++) {
		const struct hc_proc *s = &h->proc[live[i]];

		for (k = 0; k < s->send_cnt; k++) {
			uint32_t msg = h->proc_sends[s->send_off + k];
			uint64_t t = h->ev[h->msg[msg].send_ev].t;

			if (t < deadline || (c->opts->settle_us && t > cutoff))
				continue;
			for (j = 0; j < nlive; j++)
				if (hc_find_dlv(h, msg, live[j]) == HC_NONE)
					break;
			if (j < nlive)
				hc_violation(c, HC_P_LIVE, "%s sent %s (%s) after faults-end + bound; live %s never delivered it",
					     hc_fmt_proc(c, live[i]), hc_fmt_msg(c, msg),
					     hc_fmt_ref(c, h->msg[msg].send_ev), hc_fmt_proc(c, live[j]));
		}
	}
}

void hc_check_liveness(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	uint32_t *live;
	size_t i, nlive = 0;
	uint64_t deadline;

	h->live_checked = 0;
	if (h->faults_end_ev == HC_NONE || h->end_t - h->faults_end_t < c->opts->bound_us)
		return;
	h->live_checked = 1;
	deadline = h->faults_end_t + c->opts->bound_us;
	live = malloc((h->nnode ? h->nnode : 1) * sizeof(*live));
	if (!live)
		return;
	/* Nodes are sorted by id, so live[] is ascending like member lists. */
	for (i = 0; i < h->nnode; i++) {
		uint32_t p = live_proc(h, &h->node[i]);

		if (p != HC_NONE)
			live[nlive++] = p;
	}
	check_final_conf(c, live, nlive, deadline);
	check_late_sends(c, live, nlive, deadline);
	free(live);
}
