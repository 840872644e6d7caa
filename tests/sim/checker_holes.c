/*
 * checker_holes.c -- what a process may not skip: holes in a ring's agreed
 * order (agreed-holes), a sender's messages lost to everyone before one
 * that is delivered (fifo-holes), and, with one clock, safe messages
 * delivered in a regular configuration a member had left by crashing
 * before they were sent (safe-after-crash).  HISTORY.md states the rules.
 */
#include <stdlib.h>
#include <string.h>

#include "checker_int.h"

/* Node events are ordered by (time, input position): see checker_build.c. */
static int before(const struct hc_history *h, uint32_t a, uint32_t b)
{
	return h->ev[a].t < h->ev[b].t || (h->ev[a].t == h->ev[b].t && a < b);
}

/*
 * 1 if delivery d happened in a regular configuration during normal
 * operation for sure.  When the old ring's messages may be delivered before
 * the transitional configuration (--safe-survivors / --old-before-trans)
 * or transitional configurations are not logged (--regular-only), a
 * delivery in a regular configuration the process later leaves, or in
 * which it crashes, may belong to the end of a recovery; one in the last
 * configuration of a process that never crashes cannot.  With one clock
 * a recovery's deliveries carry the time of the line that ends it (the
 * next configuration, or the crash that cuts it short), so a delivery
 * before that time is a normal one.
 */
int hc_normal_op(const struct hc_chk *c, uint32_t d)
{
	const struct hc_history *h = c->h;
	const struct hc_dlv *dl = &h->dlv[d];
	const struct hc_conf *cf;
	uint32_t ends;

	if (dl->conf == HC_NONE)
		return 0;
	cf = &h->conf[dl->conf];
	if (!cf->reg)
		return 0;
	if (!c->opts->safe_survivors && !c->opts->regular_only)
		return 1;
	ends = cf->next != HC_NONE ? h->conf[cf->next].ev : h->proc[dl->proc].crash_ev;
	if (ends == HC_NONE)
		return 1;
	return c->opts->one_clock && h->ev[dl->ev].t < h->ev[ends].t;
}

/*
 * A restarted incarnation's client joins the group while the ring carries
 * traffic: what the ring ordered before its join is not its to deliver.
 * The history does not log the join, so its first delivery stands for it:
 * wa precedes the join if `ring` is the home ring of p's first delivery
 * and wa's process delivered wa before that message.  A first incarnation
 * gets no such allowance: the histories' clients wait for every member
 * to join before they send.
 */
int hc_before_join(const struct hc_history *h, uint32_t p, uint32_t ring, uint32_t wa)
{
	const struct hc_proc *pp = &h->proc[p];
	uint32_t i, fw;

	if (pp->inc <= 1)
		return 0;
	for (i = pp->dlv_begin; i < pp->dlv_end; i++)
		if (!h->dlv[i].dup && h->dlv[i].conf != HC_NONE)
			break;
	if (i >= pp->dlv_end || h->conf[h->dlv[i].conf].home != ring)
		return 0;
	fw = hc_find_dlv(h, h->dlv[i].msg, h->dlv[wa].proc);
	return fw != HC_NONE && wa < fw;
}

/* The transitional configuration that closes the epoch of delivery d, or HC_NONE. */
static uint32_t epoch_trans(const struct hc_history *h, uint32_t d)
{
	uint32_t x = h->dlv[d].conf, reg;

	if (x == HC_NONE)
		return HC_NONE;
	if (!h->conf[x].reg)
		return x;
	reg = x;
	x = h->conf[reg].next;
	return x != HC_NONE && !h->conf[x].reg ? x : HC_NONE;
}

/* A process other than p that installed transitional configuration t's
 * identity and delivered msg in the epoch t closes, or HC_NONE. */
static uint32_t trans_peer_with(const struct hc_history *h, uint32_t t, uint32_t msg, uint32_t p)
{
	const struct hc_msg *m = &h->msg[msg];
	uint32_t j;

	for (j = 0; j < m->dlv_cnt; j++) {
		uint32_t e = h->msg_dlv[m->dlv_off + j], tq;

		if (h->dlv[e].dup || h->dlv[e].proc == p)
			continue;
		tq = epoch_trans(h, e);
		if (tq != HC_NONE && hc_conf_same(h, tq, t))
			return e;
	}
	return HC_NONE;
}

struct later {
	uint32_t b1;		/* delivery (by p) of the earliest later message */
	uint32_t b2;		/* of the earliest later one from another sender than b1's */
	uint32_t stamp;		/* p delivered the message being looked at */
	uint8_t used;
};

static int same_sender(const struct hc_history *h, uint32_t ma, uint32_t mb)
{
	return h->msg[ma].sender == h->msg[mb].sender && h->msg[ma].inc == h->msg[mb].inc;
}

/* Is p's delivery b of a message after A (delivered by witness at wa), without A, a hole? */
static void judge_hole(struct hc_chk *c, uint32_t p, uint32_t wa, uint32_t b, uint8_t *reported,
		       uint32_t ring)
{
	struct hc_history *h = c->h;
	uint32_t a_msg = h->dlv[wa].msg, t, q;
	const struct hc_dlv *bd = &h->dlv[b];
	size_t bit = (size_t)p * h->nring + ring;

	if (reported[bit / 8] & (1u << (bit % 8)))
		return;
	if (hc_before_join(h, p, ring, wa))
		return;
	if (hc_normal_op(c, b)) {
		reported[bit / 8] |= (uint8_t)(1u << (bit % 8));
		hc_violation(c, HC_P_AGREED_HOLES,
			     "%s delivered %s (%s) in regular %s without %s, which %s delivered before it (%s)",
			     hc_fmt_proc(c, p), hc_fmt_msg(c, bd->msg), hc_fmt_ref(c, bd->ev),
			     hc_fmt_ring(c, ring), hc_fmt_msg(c, a_msg), hc_fmt_proc(c, h->dlv[wa].proc),
			     hc_fmt_ref(c, h->dlv[wa].ev));
		return;
	}
	t = epoch_trans(h, b);
	if (t == HC_NONE)
		return;
	q = trans_peer_with(h, t, a_msg, p);
	if (q == HC_NONE)
		return;
	reported[bit / 8] |= (uint8_t)(1u << (bit % 8));
	hc_violation(c, HC_P_AGREED_HOLES,
		     "%s delivered %s (%s) of ring %s without %s, which %s delivered before it (%s); "
		     "%s held it (delivered %s) and moved with %s to transitional %s (%s)",
		     hc_fmt_proc(c, p), hc_fmt_msg(c, bd->msg), hc_fmt_ref(c, bd->ev),
		     hc_fmt_ring(c, ring), hc_fmt_msg(c, a_msg), hc_fmt_proc(c, h->dlv[wa].proc),
		     hc_fmt_ref(c, h->dlv[wa].ev), hc_fmt_proc(c, h->dlv[q].proc),
		     hc_fmt_ref(c, h->dlv[q].ev), hc_fmt_proc(c, p), hc_fmt_ring(c, h->conf[t].ring),
		     hc_fmt_ref(c, h->conf[t].ev));
}

/*
 * For every epoch of every witness w (a regular configuration and the
 * transitional one after it), walk w's deliveries backwards remembering, per
 * process p, the earliest later message p delivered.  A message A that p
 * did not deliver but that w delivered before one p did is a candidate.
 * Messages of A's own sender are fifo's business, so the later message
 * must come from another sender.  Cost: deliveries times processes.
 * Each process is reported at most once per ring.
 */
void hc_check_agreed_holes(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	size_t np = h->nproc ? h->nproc : 1, w;
	struct later *lt = calloc(np, sizeof(*lt));
	uint32_t *touched = malloc(np * sizeof(*touched));
	uint8_t *reported = calloc(np * (h->nring ? h->nring : 1) / 8 + 1, 1);
	uint32_t stamp = 0;

	if (!lt || !touched || !reported)
		goto out;
	for (w = 0; w < h->nproc; w++) {
		uint32_t x;

		for (x = h->proc[w].conf_first; x != HC_NONE; x = h->conf[x].next) {
			const struct hc_conf *reg = &h->conf[x];
			uint32_t end, i, k, ntouched = 0, nx = reg->next;

			if (!reg->reg)
				continue;
			end = nx != HC_NONE && !h->conf[nx].reg ? h->conf[nx].dlv_end : reg->dlv_end;
			for (i = end; i-- > reg->dlv_begin;) {
				const struct hc_dlv *a = &h->dlv[i];
				const struct hc_msg *m = &h->msg[a->msg];
				uint32_t j;

				if (a->dup)
					continue;
				stamp++;
				for (j = 0; j < m->dlv_cnt; j++)
					lt[h->dlv[h->msg_dlv[m->dlv_off + j]].proc].stamp = stamp;
				for (k = 0; k < ntouched; k++) {
					uint32_t p = touched[k], b;

					if (lt[p].stamp == stamp)
						continue;
					b = same_sender(h, a->msg, h->dlv[lt[p].b1].msg) ? lt[p].b2 : lt[p].b1;
					if (b != HC_NONE)
						judge_hole(c, p, i, b, reported, reg->ring);
				}
				/* A becomes the earliest later message of its deliverers
				 * (those that delivered it in this ring's epoch). */
				for (j = 0; j < m->dlv_cnt; j++) {
					uint32_t e = h->msg_dlv[m->dlv_off + j], p = h->dlv[e].proc;

					if (h->dlv[e].dup || p == w || h->dlv[e].conf == HC_NONE ||
					    h->conf[h->dlv[e].conf].home != reg->ring)
						continue;
					if (!lt[p].used) {
						lt[p].used = 1;
						lt[p].b1 = lt[p].b2 = HC_NONE;
						touched[ntouched++] = p;
					}
					if (lt[p].b1 != HC_NONE && !same_sender(h, a->msg, h->dlv[lt[p].b1].msg))
						lt[p].b2 = lt[p].b1;
					lt[p].b1 = e;
				}
			}
			for (k = 0; k < ntouched; k++)
				lt[touched[k]].used = 0;
		}
	}
out:
	free(lt);
	free(touched);
	free(reported);
}

/*
 * Per sender incarnation: a message nobody delivered, followed by one that
 * somebody delivered, home ring R.  Only a crash of the sender before it
 * got past R (no regular configuration above R installed) explains it.
 */
void hc_check_fifo_holes(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	size_t s;

	for (s = 0; s < h->nproc; s++) {
		const struct hc_proc *sp = &h->proc[s];
		uint64_t last_seq = 0;
		int any_reg = 0;
		uint32_t k, j = 0, x;

		for (x = sp->conf_first; x != HC_NONE; x = h->conf[x].next)
			if (h->conf[x].reg) {
				last_seq = h->ring[h->conf[x].ring].seq;
				any_reg = 1;
			}
		for (k = 0; k < sp->send_cnt; k++) {
			uint32_t gap = h->proc_sends[sp->send_off + k], next;
			const struct hc_msg *nm;

			if (h->msg[gap].dlv_cnt)
				continue;
			if (j <= k)
				j = k + 1;
			while (j < sp->send_cnt && h->msg[h->proc_sends[sp->send_off + j]].home == HC_NONE)
				j++;
			if (j >= sp->send_cnt)
				break;
			next = h->proc_sends[sp->send_off + j];
			nm = &h->msg[next];
			if (sp->crash_ev != HC_NONE && (!any_reg || last_seq <= h->ring[nm->home].seq))
				continue;
			hc_violation(c, HC_P_FIFO_HOLES,
				     "%s sent %s (%s) that nobody delivered, then %s (%s) delivered in ring %s (%s); "
				     "%s",
				     hc_fmt_proc(c, (uint32_t)s), hc_fmt_msg(c, gap), hc_fmt_ref(c, h->msg[gap].send_ev),
				     hc_fmt_msg(c, next), hc_fmt_ref(c, nm->send_ev), hc_fmt_ring(c, nm->home),
				     hc_fmt_ref(c, h->dlv[h->msg_dlv[nm->dlv_off]].ev),
				     sp->crash_ev == HC_NONE ? "the sender never crashed" :
				     "the sender installed a later regular configuration before it crashed");
			break;
		}
	}
}

/*
 * The incarnation of node that belongs to regular ring ring: the one that
 * installed it, else the last one started no later than the first
 * installation of the ring.  HC_NONE if there is none.
 */
static uint32_t member_proc(const struct hc_chk *c, uint32_t ring, uint32_t node, uint64_t first_t)
{
	const struct hc_history *h = c->h;
	size_t lo = 0, hi = h->nnode;
	uint32_t p, x, cand = HC_NONE;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (h->node[mid].id < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= h->nnode || h->node[lo].id != node)
		return HC_NONE;
	for (p = h->node[lo].proc_first; p < h->node[lo].proc_first + h->node[lo].proc_cnt; p++) {
		for (x = h->proc[p].conf_first; x != HC_NONE; x = h->conf[x].next)
			if (h->conf[x].reg && h->conf[x].ring == ring)
				return p;
		if (h->ev[h->proc[p].start_ev].t <= first_t)
			cand = p;
	}
	return cand;
}

/*
 * With one clock: for each regular ring, the member incarnation that
 * crashed first; a safe message sent after that crash cannot be held by
 * every member, so it is never delivered in that regular configuration
 * during normal operation.
 */
void hc_check_safe_after_crash(struct hc_chk *c)
{
	struct hc_history *h = c->h;
	uint32_t *gone = NULL, r, i;
	size_t k;

	if (!c->opts->one_clock)
		return;
	gone = malloc((h->nring ? h->nring : 1) * sizeof(*gone));
	if (!gone)
		return;
	for (r = 0; r < h->nring; r++) {
		uint32_t reg = c->ring_reg[r], pos;
		uint64_t first_t = UINT64_MAX;
		const struct hc_conf *cf;

		gone[r] = HC_NONE;
		if (reg == HC_NONE)
			continue;
		for (pos = c->gfirst[reg]; pos < h->nconf && hc_conf_same(h, c->byid[pos], reg); pos++)
			if (h->ev[h->conf[c->byid[pos]].ev].t < first_t)
				first_t = h->ev[h->conf[c->byid[pos]].ev].t;
		cf = &h->conf[reg];
		for (i = 0; i < cf->mem_cnt; i++) {
			uint32_t p = member_proc(c, r, h->mem[cf->mem_off + i], first_t);

			if (p == HC_NONE || h->proc[p].crash_ev == HC_NONE)
				continue;
			if (gone[r] == HC_NONE || before(h, h->proc[p].crash_ev, h->proc[gone[r]].crash_ev))
				gone[r] = p;
		}
	}
	for (k = 0; k < h->nmsg; k++) {
		const struct hc_msg *m = &h->msg[k];
		uint32_t j;

		if (!m->safe || m->send_ev == HC_NONE)
			continue;
		for (j = 0; j < m->dlv_cnt; j++) {
			uint32_t d = h->msg_dlv[m->dlv_off + j], x;
			const struct hc_dlv *dl = &h->dlv[d];

			if (dl->dup || !hc_normal_op(c, d) || !h->ev[dl->ev].safe)
				continue;
			x = h->conf[dl->conf].ring;
			if (gone[x] == HC_NONE || h->ev[h->proc[gone[x]].crash_ev].t >= h->ev[m->send_ev].t)
				continue;
			hc_violation(c, HC_P_SAFE_CRASH,
				     "%s delivered safe %s (%s) in regular %s (members %s), but member %s had "
				     "crashed (%s) before it was sent (%s)",
				     hc_fmt_proc(c, dl->proc), hc_fmt_msg(c, (uint32_t)k), hc_fmt_ref(c, dl->ev),
				     hc_fmt_ring(c, x), hc_fmt_members(c, &h->conf[dl->conf]),
				     hc_fmt_proc(c, gone[x]), hc_fmt_ref(c, h->proc[gone[x]].crash_ev),
				     hc_fmt_ref(c, m->send_ev));
			break;
		}
	}
	free(gone);
}
