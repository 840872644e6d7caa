/*
 * checker_build.c -- from loaded events to the history model.
 *
 * Events of each node are merged by time (input order breaks ties), then
 * walked once to form incarnations, configuration chains and deliveries.
 * Everything that makes a history unreadable as a history (see HISTORY.md,
 * "Well-formedness") is an error here, not a property violation.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "checker_int.h"

struct key {
	uint64_t t;
	uint32_t node;
	uint32_t ev;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->ev < y->ev ? -1 : x->ev > y->ev;
}

static int everr(const struct hc_history *h, char *err, size_t len, uint32_t ev, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int everr(const struct hc_history *h, char *err, size_t len, uint32_t ev, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, len, "%s:%u: ", h->files[h->ev[ev].file], h->ev[ev].line);
	if (n >= 0 && (size_t)n < len) {
		va_start(ap, fmt);
		vsnprintf(err + n, len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Global lines: end and faults-end times; nothing may happen after end. */
static int build_global(struct hc_history *h, char *err, size_t errlen)
{
	size_t i;

	h->end_ev = HC_NONE;
	h->faults_end_ev = HC_NONE;
	for (i = 0; i < h->nev; i++) {
		const struct hc_event *e = &h->ev[i];

		if (e->kind == HC_EV_END && (h->end_ev == HC_NONE || e->t >= h->end_t)) {
			h->end_ev = (uint32_t)i;
			h->end_t = e->t;
		}
		if (e->kind == HC_EV_FAULTS_END &&
		    (h->faults_end_ev == HC_NONE || e->t >= h->faults_end_t)) {
			h->faults_end_ev = (uint32_t)i;
			h->faults_end_t = e->t;
		}
	}
	if (h->end_ev == HC_NONE) {
		snprintf(err, errlen, "%s: no 'end' line",
			 h->nfiles ? h->files[h->nfiles - 1] : "input");
		return -EINVAL;
	}
	for (i = 0; i < h->nev; i++)
		if (h->ev[i].t > h->end_t)
			return everr(h, err, errlen, (uint32_t)i, "event after end (t=%llu)",
				     (unsigned long long)h->end_t);
	if (h->faults_end_ev != HC_NONE && h->faults_end_t > h->end_t)
		return everr(h, err, errlen, h->faults_end_ev, "faults-end after end");
	return 0;
}

static struct key *sort_node_events(struct hc_history *h, size_t *nkeys)
{
	struct key *k;
	size_t i, n = 0;

	k = malloc((h->nev ? h->nev : 1) * sizeof(*k));
	if (!k)
		return NULL;
	for (i = 0; i < h->nev; i++) {
		if (h->ev[i].node == HC_NONE)
			continue;
		k[n].t = h->ev[i].t;
		k[n].node = h->ev[i].node;
		k[n].ev = (uint32_t)i;
		n++;
	}
	qsort(k, n, sizeof(*k), key_cmp);
	*nkeys = n;
	return k;
}

/*
 * Within one file a node's times must not decrease: after the stable merge a
 * later line of the same file sorted before an earlier one shows it.
 */
static int check_file_order(struct hc_history *h, const struct key *k, size_t n,
			    char *err, size_t errlen)
{
	uint32_t *last;
	size_t i, f;
	int rc = 0;

	last = malloc((h->nfiles ? h->nfiles : 1) * sizeof(*last));
	if (!last)
		return -ENOMEM;
	for (i = 0; i < n && !rc; i++) {
		const struct hc_event *e = &h->ev[k[i].ev];

		if (i == 0 || k[i].node != k[i - 1].node)
			for (f = 0; f < h->nfiles; f++)
				last[f] = HC_NONE;
		if (last[e->file] != HC_NONE && last[e->file] > k[i].ev)
			rc = everr(h, err, errlen, last[e->file],
				   "time of node %u goes backwards: t=%llu after t=%llu at line %u",
				   e->node, (unsigned long long)h->ev[last[e->file]].t,
				   (unsigned long long)e->t, e->line);
		else
			last[e->file] = k[i].ev;
	}
	free(last);
	return rc;
}

struct walk {
	struct hc_proc *p;	/* current incarnation, NULL before the first start */
	int alive;
	uint32_t last_inc;
	uint32_t cur_conf;	/* HC_NONE before the first conf */
	uint32_t cur_reg;
};

static int walk_event(struct hc_history *h, struct walk *w, uint32_t evi, char *err, size_t errlen)
{
	const struct hc_event *e = &h->ev[evi];
	struct hc_msg *m;
	struct hc_conf *cf;
	struct hc_dlv *d;

	if (e->kind == HC_EV_START) {
		if (w->alive)
			return everr(h, err, errlen, evi, "start of node %u without a crash", e->node);
		if (e->arg <= w->last_inc)
			return everr(h, err, errlen, evi, "incarnation %u of node %u not above %u",
				     e->arg, e->node, w->last_inc);
		w->p = &h->proc[h->nproc];
		memset(w->p, 0, sizeof(*w->p));
		w->p->node = e->node;
		w->p->inc = e->arg;
		w->p->start_ev = evi;
		w->p->crash_ev = HC_NONE;
		w->p->last_ev = evi;
		w->p->dlv_begin = w->p->dlv_end = (uint32_t)h->ndlv;
		w->p->send_off = (uint32_t)h->nsends;
		w->p->conf_first = w->p->conf_last = HC_NONE;
		h->nproc++;
		w->alive = 1;
		w->last_inc = e->arg;
		w->cur_conf = w->cur_reg = HC_NONE;
		return 0;
	}
	if (!w->alive)
		return everr(h, err, errlen, evi, w->p ? "node %u event after crash without start" :
			     "node %u event before its first start", e->node);
	w->p->last_ev = evi;
	switch (e->kind) {
	case HC_EV_CRASH:
		w->p->crash_ev = evi;
		w->alive = 0;
		break;
	case HC_EV_SEND:
		m = &h->msg[e->arg];
		if (m->sender != e->node || m->inc != w->p->inc)
			return everr(h, err, errlen, evi, "node %u incarnation %u sends %u.%u.%u",
				     e->node, w->p->inc, m->sender, m->inc, m->counter);
		if (m->counter != w->p->send_cnt + 1)
			return everr(h, err, errlen, evi, "send counter %u, expected %u",
				     m->counter, w->p->send_cnt + 1);
		m->send_ev = evi;
		m->send_proc = (uint32_t)(w->p - h->proc);
		m->safe = e->safe;
		h->proc_sends[h->nsends++] = e->arg;
		w->p->send_cnt++;
		break;
	case HC_EV_DELIVER:
		d = &h->dlv[h->ndlv];
		d->msg = e->arg;
		d->proc = (uint32_t)(w->p - h->proc);
		d->conf = w->cur_conf;
		d->ev = evi;
		d->pos = (uint32_t)h->ndlv - w->p->dlv_begin;
		d->dup = 0;
		h->ndlv++;
		w->p->dlv_end = (uint32_t)h->ndlv;
		if (w->cur_conf != HC_NONE)
			h->conf[w->cur_conf].dlv_end = (uint32_t)h->ndlv;
		break;
	case HC_EV_CONF:
		cf = &h->conf[e->arg];
		cf->proc = (uint32_t)(w->p - h->proc);
		cf->prev_reg = w->cur_reg;
		cf->home = cf->reg ? cf->ring : (w->cur_reg == HC_NONE ? HC_NONE : h->conf[w->cur_reg].ring);
		cf->next = HC_NONE;
		cf->dlv_begin = cf->dlv_end = (uint32_t)h->ndlv;
		if (w->p->conf_last != HC_NONE)
			h->conf[w->p->conf_last].next = e->arg;
		else
			w->p->conf_first = e->arg;
		w->p->conf_last = e->arg;
		w->cur_conf = e->arg;
		if (cf->reg)
			w->cur_reg = e->arg;
		break;
	default:
		break;
	}
	return 0;
}

static int build_nodes(struct hc_history *h, const struct key *k, size_t n, char *err, size_t errlen)
{
	struct walk w;
	size_t i;
	int rc;

	h->proc = calloc(n ? n : 1, sizeof(*h->proc));
	h->node = calloc(n ? n : 1, sizeof(*h->node));
	h->dlv = calloc(n ? n : 1, sizeof(*h->dlv));
	h->proc_sends = calloc(n ? n : 1, sizeof(*h->proc_sends));
	if (!h->proc || !h->node || !h->dlv || !h->proc_sends)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (i == 0 || k[i].node != k[i - 1].node) {
			memset(&w, 0, sizeof(w));
			w.cur_conf = w.cur_reg = HC_NONE;
			h->node[h->nnode].id = k[i].node;
			h->node[h->nnode].proc_first = (uint32_t)h->nproc;
			h->nnode++;
		}
		rc = walk_event(h, &w, k[i].ev, err, errlen);
		if (rc)
			return rc;
		h->node[h->nnode - 1].proc_cnt = (uint32_t)h->nproc - h->node[h->nnode - 1].proc_first;
	}
	return 0;
}

/* Group deliveries by message (stable, so by process within a message). */
static int build_msg_index(struct hc_history *h)
{
	size_t i;
	uint32_t off = 0;

	h->msg_dlv = malloc((h->ndlv ? h->ndlv : 1) * sizeof(*h->msg_dlv));
	if (!h->msg_dlv)
		return -ENOMEM;
	for (i = 0; i < h->nmsg; i++)
		h->msg[i].dlv_cnt = 0;
	for (i = 0; i < h->ndlv; i++)
		h->msg[h->dlv[i].msg].dlv_cnt++;
	for (i = 0; i < h->nmsg; i++) {
		h->msg[i].dlv_off = off;
		off += h->msg[i].dlv_cnt;
		h->msg[i].dlv_cnt = 0;
	}
	for (i = 0; i < h->ndlv; i++) {
		struct hc_msg *m = &h->msg[h->dlv[i].msg];

		h->msg_dlv[m->dlv_off + m->dlv_cnt++] = (uint32_t)i;
	}
	/* Repeated deliveries by one process are flagged once here so every
	 * other property looks only at first deliveries. */
	for (i = 0; i < h->nmsg; i++) {
		struct hc_msg *m = &h->msg[i];
		uint32_t j;

		m->home = HC_NONE;
		for (j = 0; j < m->dlv_cnt; j++) {
			struct hc_dlv *d = &h->dlv[h->msg_dlv[m->dlv_off + j]];

			if (j > 0 && h->dlv[h->msg_dlv[m->dlv_off + j - 1]].proc == d->proc)
				d->dup = 1;
			if (m->home == HC_NONE && !d->dup && d->conf != HC_NONE)
				m->home = h->conf[d->conf].home;
		}
	}
	return 0;
}

int hc_build(struct hc_history *h, char *err, size_t errlen)
{
	struct key *k;
	size_t n;
	int rc;

	if (h->built) {
		snprintf(err, errlen, "history already built");
		return -EINVAL;
	}
	rc = build_global(h, err, errlen);
	if (rc)
		return rc;
	k = sort_node_events(h, &n);
	if (!k)
		return -ENOMEM;
	rc = check_file_order(h, k, n, err, errlen);
	if (!rc)
		rc = build_nodes(h, k, n, err, errlen);
	free(k);
	if (!rc)
		rc = build_msg_index(h);
	if (!rc)
		h->built = 1;
	else if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return rc;
}

void hc_stats(const struct hc_history *h, struct hc_stats *st)
{
	*st = (struct hc_stats){
		.nodes = h->nnode, .incarnations = h->nproc,
		.messages = h->nmsg, .sends = h->nsends, .deliveries = h->ndlv,
		.installs = h->nconf, .rings = h->nring,
		.liveness_checked = h->live_checked,
	};
}

int hc_conf_has(const struct hc_history *h, const struct hc_conf *cf, uint32_t node)
{
	const uint32_t *m = &h->mem[cf->mem_off];
	size_t lo = 0, hi = cf->mem_cnt;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (m[mid] == node)
			return 1;
		if (m[mid] < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

uint32_t hc_find_dlv(const struct hc_history *h, uint32_t msg, uint32_t proc)
{
	const struct hc_msg *m = &h->msg[msg];
	uint32_t j;

	for (j = 0; j < m->dlv_cnt; j++)
		if (h->dlv[h->msg_dlv[m->dlv_off + j]].proc == proc)
			return h->msg_dlv[m->dlv_off + j];
	return HC_NONE;
}
