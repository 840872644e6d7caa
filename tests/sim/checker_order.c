/*
 * checker_order.c -- properties of the delivery sequences themselves:
 * no duplicates, no invented messages, agreed order, FIFO, self-delivery.
 */
#include <stdlib.h>
#include <string.h>

#include "checker_int.h"

void hc_check_duplicates(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	size_t i;

	for (i = 0; i < h->nmsg; i++) {
		const struct hc_msg *m = &h->msg[i];
		uint32_t j;

		for (j = 1; j < m->dlv_cnt; j++) {
			const struct hc_dlv *d = &h->dlv[h->msg_dlv[m->dlv_off + j]];
			uint32_t first = hc_find_dlv(h, (uint32_t)i, d->proc);

			if (!d->dup)
				continue;
			hc_violation(c, HC_P_DUP, "%s delivered %s again (%s, first at %s)",
				     hc_fmt_proc(c, d->proc), hc_fmt_msg(c, (uint32_t)i),
				     hc_fmt_ref(c, d->ev), hc_fmt_ref(c, h->dlv[first].ev));
		}
	}
}

/* Node events are ordered by (time, input position): see checker_build.c. */
static int before(const struct hc_history *h, uint32_t a, uint32_t b)
{
	return h->ev[a].t < h->ev[b].t || (h->ev[a].t == h->ev[b].t && a < b);
}

void hc_check_invented(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	size_t i;

	for (i = 0; i < h->nmsg; i++) {
		const struct hc_msg *m = &h->msg[i];
		uint32_t j;

		for (j = 0; j < m->dlv_cnt; j++) {
			const struct hc_dlv *d = &h->dlv[h->msg_dlv[m->dlv_off + j]];
			const struct hc_event *e = &h->ev[d->ev];

			if (m->send_ev == HC_NONE) {
				hc_violation(c, HC_P_INVENTED, "%s delivered %s (%s) which was never sent",
					     hc_fmt_proc(c, d->proc), hc_fmt_msg(c, (uint32_t)i),
					     hc_fmt_ref(c, d->ev));
				break;
			}
			if (e->safe != m->safe)
				hc_violation(c, HC_P_INVENTED, "%s delivered %s as %s (%s) but it was sent %s (%s)",
					     hc_fmt_proc(c, d->proc), hc_fmt_msg(c, (uint32_t)i),
					     e->safe ? "safe" : "agreed", hc_fmt_ref(c, d->ev),
					     m->safe ? "safe" : "agreed", hc_fmt_ref(c, m->send_ev));
			else if (d->proc == m->send_proc && before(h, d->ev, m->send_ev))
				hc_violation(c, HC_P_INVENTED, "%s delivered %s (%s) before sending it (%s)",
					     hc_fmt_proc(c, d->proc), hc_fmt_msg(c, (uint32_t)i),
					     hc_fmt_ref(c, d->ev), hc_fmt_ref(c, m->send_ev));
		}
	}
}

/*
 * For process p walk its deliveries; for every other process q remember the
 * position (in q's sequence) of the last common message.  The pair agrees iff
 * these positions increase.  Cost: sum over messages of (deliverers)^2.
 */
void hc_check_agreed(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	uint32_t *last_pos, *last_dlv;
	uint8_t *reported;
	size_t p, np = h->nproc ? h->nproc : 1;

	last_pos = malloc(np * sizeof(*last_pos));
	last_dlv = malloc(np * sizeof(*last_dlv));
	reported = malloc(np);
	if (!last_pos || !last_dlv || !reported)
		goto out;
	for (p = 0; p < h->nproc; p++) {
		uint32_t i;

		memset(last_pos, 0xff, np * sizeof(*last_pos));
		memset(reported, 0, np);
		for (i = h->proc[p].dlv_begin; i < h->proc[p].dlv_end; i++) {
			const struct hc_dlv *d = &h->dlv[i];
			const struct hc_msg *m = &h->msg[d->msg];
			uint32_t j;

			if (d->dup)
				continue;
			for (j = 0; j < m->dlv_cnt; j++) {
				const struct hc_dlv *e = &h->dlv[h->msg_dlv[m->dlv_off + j]];
				uint32_t q = e->proc, qprev;

				if (q == p || e->dup)
					continue;
				if (last_pos[q] == HC_NONE || e->pos > last_pos[q]) {
					last_pos[q] = e->pos;
					last_dlv[q] = i;
					continue;
				}
				if (q < p || reported[q])
					continue;
				reported[q] = 1;
				qprev = hc_find_dlv(h, h->dlv[last_dlv[q]].msg, (uint32_t)q);
				hc_violation(c, HC_P_AGREED,
					     "%s delivered %s (%s) before %s (%s) but %s delivered %s (%s) before %s (%s)",
					     hc_fmt_proc(c, (uint32_t)p), hc_fmt_msg(c, h->dlv[last_dlv[q]].msg),
					     hc_fmt_ref(c, h->dlv[last_dlv[q]].ev), hc_fmt_msg(c, d->msg),
					     hc_fmt_ref(c, d->ev), hc_fmt_proc(c, q), hc_fmt_msg(c, d->msg),
					     hc_fmt_ref(c, e->ev), hc_fmt_msg(c, h->dlv[last_dlv[q]].msg),
					     hc_fmt_ref(c, h->dlv[qprev].ev));
			}
		}
	}
out:
	free(last_pos);
	free(last_dlv);
	free(reported);
}

/* 1 if some process delivered g before p joined in ring home. */
static int ordered_before_join(const struct hc_history *h, uint32_t p, uint32_t home,
			       const struct hc_msg *g)
{
	uint32_t j;

	for (j = 0; j < g->dlv_cnt; j++) {
		uint32_t e = h->msg_dlv[g->dlv_off + j];

		if (!h->dlv[e].dup && h->dlv[e].proc != p && hc_before_join(h, p, home, e))
			return 1;
	}
	return 0;
}

/*
 * Per process and sender incarnation: counters increase, and no message of the
 * sender that belongs to the ring in which a later one is delivered is skipped.
 */
void hc_check_fifo(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	uint32_t *last;
	size_t p, np = h->nproc ? h->nproc : 1;

	last = malloc(np * sizeof(*last));
	if (!last)
		return;
	for (p = 0; p < h->nproc; p++) {
		uint32_t i;

		memset(last, 0xff, np * sizeof(*last));
		for (i = h->proc[p].dlv_begin; i < h->proc[p].dlv_end; i++) {
			const struct hc_dlv *d = &h->dlv[i];
			const struct hc_msg *m = &h->msg[d->msg];
			const struct hc_proc *s;
			uint32_t a, k, home;

			if (d->dup || m->send_proc == HC_NONE)
				continue;
			s = &h->proc[m->send_proc];
			a = last[m->send_proc] == HC_NONE ? 0 : h->msg[h->dlv[last[m->send_proc]].msg].counter;
			if (m->counter < a) {
				hc_violation(c, HC_P_FIFO, "%s delivered %s (%s) after %s (%s)",
					     hc_fmt_proc(c, (uint32_t)p), hc_fmt_msg(c, d->msg),
					     hc_fmt_ref(c, d->ev), hc_fmt_msg(c, h->dlv[last[m->send_proc]].msg),
					     hc_fmt_ref(c, h->dlv[last[m->send_proc]].ev));
				continue;
			}
			home = d->conf == HC_NONE ? HC_NONE : h->conf[d->conf].home;
			for (k = a + 1; home != HC_NONE && k < m->counter; k++) {
				uint32_t gap = h->proc_sends[s->send_off + k - 1];
				const struct hc_msg *g = &h->msg[gap];

				/* Delivered later instead: reported as a reordering. */
				if (g->home != home || hc_find_dlv(h, gap, (uint32_t)p) != HC_NONE ||
				    ordered_before_join(h, (uint32_t)p, home, g))
					continue;
				hc_violation(c, HC_P_FIFO,
					     "%s delivered %s (%s) in ring %s without %s, delivered in that ring at %s",
					     hc_fmt_proc(c, (uint32_t)p), hc_fmt_msg(c, d->msg),
					     hc_fmt_ref(c, d->ev), hc_fmt_ring(c, home), hc_fmt_msg(c, gap),
					     hc_fmt_ref(c, h->dlv[h->msg_dlv[g->dlv_off]].ev));
				break;
			}
			last[m->send_proc] = i;
		}
	}
	free(last);
}

void hc_check_self(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	size_t p;
	uint64_t cutoff = h->end_t > c->opts->settle_us ? h->end_t - c->opts->settle_us : 0;

	for (p = 0; p < h->nproc; p++) {
		const struct hc_proc *s = &h->proc[p];
		uint32_t k;

		if (s->crash_ev != HC_NONE)
			continue;
		for (k = 0; k < s->send_cnt; k++) {
			uint32_t msg = h->proc_sends[s->send_off + k];
			uint32_t sev = h->msg[msg].send_ev;

			if (c->opts->settle_us && h->ev[sev].t > cutoff)
				continue;
			if (hc_find_dlv(h, msg, (uint32_t)p) == HC_NONE)
				hc_violation(c, HC_P_SELF, "%s sent %s (%s), never crashed, never delivered it",
					     hc_fmt_proc(c, (uint32_t)p), hc_fmt_msg(c, msg), hc_fmt_ref(c, sev));
		}
	}
}
