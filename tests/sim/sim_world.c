/*
 * The simulated world: virtual time, an event heap, a lossy network with
 * partitions, nodes that crash and restart, the application on each node,
 * and the history every node's events are written to.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define SIM_HEAD 64

enum ev_kind {
	EV_PACKET,
	EV_TIMER,
	EV_APP,
	EV_CRASH,
	EV_RESTART,
	EV_PARTITION,
	EV_HEAL,
	EV_ONEWAY,
	EV_UNBLOCK,
	EV_BURST,
	EV_KILL,
	EV_LEAVE,
	EV_LEAVE_CHECK,
	EV_PAUSE,
	EV_REACH,
	EV_LINKLIE,
	EV_FAULTS_END,
	EV_END,
};

/* One packet as sent: every copy in flight (a broadcast reaches up to
 * SIM_MAX_NODES - 1 nodes) shares it. */
struct sim_pkt {
	unsigned int refs;
	uint8_t data[];
};

static void pkt_unref(struct sim_pkt *p)
{
	if (p && !--p->refs)
		free(p);
}

struct ev {
	uint64_t t;
	uint64_t order;		/* ties break in scheduling order */
	enum ev_kind kind;
	int node;
	int from;
	int aux;
	uint32_t gen;
	struct sim_pkt *pkt;	/* EV_PACKET */
	size_t len;
};

struct sim;

/* One node's view of one other node's links, as knet would report it. */
struct reach {
	uint8_t view;		/* last given to the engine (1 at start) */
	uint8_t target;		/* what the transport is about to report */
	uint64_t due;		/* when it reports it */
	uint64_t lie_until;	/* reports the opposite of the truth */
};

struct node {
	struct sim *sim;
	uint32_t id;
	struct totem *t;
	int up;
	uint32_t inc;
	uint32_t counter;
	uint64_t persisted;
	uint32_t gen[TOTEM_TIMER_COUNT];
	int part;
	int blocked;	/* last flow report */
	int dead;	/* killed for good: no restart */
	uint64_t paused_until;	/* frozen: its events wait until then */
	struct sim_mask reg_mask;	/* members of the last regular conf */
	/* leave-only runs: by when a ring without node i must be installed
	 * here (0: not waiting) */
	uint64_t leave_by[SIM_MAX_NODES + 1];
};

struct sim {
	const struct sim_params *p;
	uint64_t rng;
	uint64_t now;
	uint64_t order;
	struct ev *heap;
	size_t n_ev, cap_ev;
	struct node node[SIM_MAX_NODES + 1];
	int n;
	int faulty;		/* faults still injected */
	int app_on;
	double loss, dup, reorder;
	struct sim_mask blocked[SIM_MAX_NODES + 1];	/* from -> set of to */
	uint64_t burst_until;
	uint64_t faults_end, app_stop, end;
	uint64_t killed_at;	/* a kill fault happened (0: none yet) */
	struct reach reach[SIM_MAX_NODES + 1][SIM_MAX_NODES + 1];
	struct sim_verify *v;
	struct sim_result *r;
	uint8_t *msgbuf;
	unsigned int dumped;
	uint8_t frame[4096];	/* packets node 2 received, framed */
	size_t frame_len;
};

/* Corpus for the fuzz target: raw packets, and framed runs of the packets
 * node 2 received (u8 source, u16 length, bytes). */
static void dump_file(struct sim *s, const char *kind, const void *p,
		      size_t len)
{
	char path[4096];
	FILE *f;

	if (s->dumped >= 400)
		return;
	snprintf(path, sizeof(path), "%s/%s-%" PRIu64 "-%u", s->p->dump_dir,
		 kind, s->p->seed, s->dumped++);
	f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(p, 1, len, f);
	fclose(f);
}

static void dump_rx(struct sim *s, int from, const void *p, size_t len)
{
	if (len + 3 > sizeof(s->frame) - s->frame_len || s->frame_len > 2048) {
		dump_file(s, "rx", s->frame, s->frame_len);
		s->frame_len = 0;
	}
	if (len + 3 > sizeof(s->frame) || from > 255)
		return;		/* the frame has one byte for the source */
	s->frame[s->frame_len++] = (uint8_t)from;
	s->frame[s->frame_len++] = (uint8_t)(len >> 8);
	s->frame[s->frame_len++] = (uint8_t)len;
	memcpy(s->frame + s->frame_len, p, len);
	s->frame_len += len;
}

/* ---- event heap ---- */

static int ev_less(const struct ev *a, const struct ev *b)
{
	return a->t < b->t || (a->t == b->t && a->order < b->order);
}

static int ev_push(struct sim *s, struct ev *e)
{
	size_t i;

	if (s->n_ev == s->cap_ev) {
		size_t cap = s->cap_ev ? s->cap_ev * 2 : 1024;
		struct ev *h = realloc(s->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		s->heap = h;
		s->cap_ev = cap;
	}
	e->order = s->order++;
	i = s->n_ev++;
	while (i > 0 && ev_less(e, &s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = *e;
	return 0;
}

static void ev_pop(struct sim *s, struct ev *out)
{
	struct ev last;
	size_t i = 0;

	*out = s->heap[0];
	last = s->heap[--s->n_ev];
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= s->n_ev)
			break;
		if (c + 1 < s->n_ev && ev_less(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!ev_less(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->n_ev)
		s->heap[i] = last;
}

static void at(struct sim *s, uint64_t t, enum ev_kind k, int node, int aux)
{
	struct ev e;

	memset(&e, 0, sizeof(e));
	e.t = t;
	e.kind = k;
	e.node = node;
	e.aux = aux;
	ev_push(s, &e);
}

/* ---- history ---- */

static void hist(struct sim *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void hist(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->p->history)
		return;
	fprintf(s->p->history, "%" PRIu64 " ", s->now);
	va_start(ap, fmt);
	vfprintf(s->p->history, fmt, ap);
	va_end(ap);
	fputc('\n', s->p->history);
}

/* ---- engine ops ---- */

/* Schedule the copies of a packet that reach node to; *shared holds the
 * packet once one copy is in flight. */
static void net_one(struct sim *s, int from, int to, const void *pkt,
		    size_t len, struct sim_pkt **shared)
{
	struct ev e;
	uint64_t delay;
	int copies = 1, i;

	if (s->node[from].part != s->node[to].part)
		return;
	if (sim_mask_has(&s->blocked[from], (uint32_t)to))
		return;
	/* knet sends only over links it sees up */
	if ((s->p->faults & SIM_F_LINK) && !s->reach[from][to].view)
		return;
	if (s->now < s->burst_until && sim_chance(&s->rng, 0.4))
		return;
	if (s->faulty && (s->p->faults & SIM_F_LOSS)) {
		if (sim_chance(&s->rng, s->loss))
			return;
		if (sim_chance(&s->rng, s->dup))
			copies = 2;
	}
	for (i = 0; i < copies; i++) {
		delay = sim_range(&s->rng, 100, 400);
		if (s->faulty && (s->p->faults & SIM_F_LOSS) &&
		    sim_chance(&s->rng, s->reorder))
			delay += sim_range(&s->rng, 100, 5000);
		memset(&e, 0, sizeof(e));
		e.t = s->now + delay;
		e.kind = EV_PACKET;
		e.node = to;
		e.from = from;
		if (!*shared) {
			*shared = malloc(sizeof(**shared) + len);
			if (!*shared)
				return;
			(*shared)->refs = 0;
			memcpy((*shared)->data, pkt, len);
		}
		e.pkt = *shared;
		e.len = len;
		if (ev_push(s, &e) == 0)
			e.pkt->refs++;
	}
}

static void op_send(void *arg, uint32_t to, const void *pkt, size_t len)
{
	struct node *nd = arg;
	struct sim *s = nd->sim;
	struct sim_pkt *shared = NULL;
	int i;

	if (s->p->dump_dir && s->dumped < 200)
		dump_file(s, "pkt", pkt, len);
	if (to == TOTEM_TO_ALL) {
		for (i = 1; i <= s->n; i++)
			if (i != (int)nd->id)
				net_one(s, (int)nd->id, i, pkt, len, &shared);
	} else if (to >= 1 && (int)to <= s->n && to != nd->id) {
		net_one(s, (int)nd->id, (int)to, pkt, len, &shared);
	} else {
		sim_verify_fail(s->v, "node %u sent to bad node %u", nd->id,
				to);
	}
	if (shared && !shared->refs)
		free(shared);	/* no copy went out after all */
}

static void op_timer_arm(void *arg, enum totem_timer id, uint64_t us)
{
	struct node *nd = arg;
	struct sim *s = nd->sim;
	struct ev e;

	if ((unsigned int)id >= TOTEM_TIMER_COUNT) {
		sim_verify_fail(s->v, "bad timer id %d", (int)id);
		return;
	}
	nd->gen[id]++;
	if (s->faulty && (s->p->faults & SIM_F_TIMER) && us > 0) {
		/* early or late by up to a tenth, now and then by half */
		uint64_t pct = sim_chance(&s->rng, 0.02)
				       ? sim_range(&s->rng, 50, 150)
				       : sim_range(&s->rng, 90, 110);

		us = us * pct / 100;
	}
	memset(&e, 0, sizeof(e));
	e.t = s->now + us;
	e.kind = EV_TIMER;
	e.node = (int)nd->id;
	e.aux = id;
	e.gen = nd->gen[id];
	e.from = (int)nd->inc;
	ev_push(s, &e);
}

static void op_timer_cancel(void *arg, enum totem_timer id)
{
	struct node *nd = arg;

	if ((unsigned int)id < TOTEM_TIMER_COUNT)
		nd->gen[id]++;
}

static uint64_t payload_sum(const uint8_t *p, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

/* payload: "<sender>.<inc>.<counter> <a|s> <sum16hex> " then filler */
static void op_deliver(void *arg, uint32_t sender, const void *msg,
		       size_t len, enum totem_guarantee g)
{
	struct node *nd = arg;
	struct sim *s = nd->sim;
	char head[96];
	unsigned int a, b, c;
	char gc;
	unsigned long long sum;
	int off = 0;

	memcpy(head, msg, len < sizeof(head) - 1 ? len : sizeof(head) - 1);
	head[len < sizeof(head) - 1 ? len : sizeof(head) - 1] = 0;
	/* the header is always SIM_HEAD bytes, the filler follows */
	if (len < SIM_HEAD ||
	    sscanf(head, "%u.%u.%u %c %16llx", &a, &b, &c, &gc, &sum) != 5) {
		sim_verify_fail(s->v, "node %u: unparsable delivery", nd->id);
		return;
	}
	off = SIM_HEAD;
	if (payload_sum((const uint8_t *)msg + off, len - (size_t)off) != sum)
		sim_verify_fail(s->v, "node %u: corrupt payload %u.%u.%u",
				nd->id, a, b, c);
	if (a != sender)
		sim_verify_fail(s->v, "node %u: %u.%u.%u delivered as from %u",
				nd->id, a, b, c, sender);
	if ((gc == 's') != (g == TOTEM_SAFE))
		sim_verify_fail(s->v, "node %u: %u.%u.%u wrong guarantee",
				nd->id, a, b, c);
	hist(s, "%u deliver %u.%u.%u %s", nd->id, a, b, c,
	     g == TOTEM_SAFE ? "safe" : "agreed");
	s->r->delivered++;
	sim_verify_deliver(s->v, nd->id, sim_key(a, b, c), g == TOTEM_SAFE,
			   sender);
}

static void op_conf(void *arg, const struct totem_conf *c)
{
	struct node *nd = arg;
	struct sim *s = nd->sim;
	char list[SIM_MAX_NODES * 4 + 8];
	struct sim_mask mask;
	size_t i, off = 0;

	list[0] = 0;
	memset(&mask, 0, sizeof(mask));
	for (i = 0; i < c->n_members; i++) {
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%u",
					i ? "," : "", c->members[i]);
		if (c->members[i] >= 1 && c->members[i] <= SIM_MAX_NODES)
			sim_mask_set(&mask, c->members[i]);
		else
			sim_verify_fail(s->v, "conf with unknown node %u",
					c->members[i]);
		if (i && c->members[i] <= c->members[i - 1])
			sim_verify_fail(s->v, "conf members not ascending");
		if (off >= sizeof(list))
			break;
	}
	/* With kills alone (no loss, no timer skew) the survivors lose the
	 * token together and must agree on a ring of them all: a ring that
	 * leaves out a live node means one was failed while it answered. */
	if (c->type == TOTEM_CONF_REGULAR && s->killed_at &&
	    (s->p->faults & ~SIM_F_LINK) == SIM_F_KILL) {
		for (i = 1; i <= (size_t)s->n; i++)
			if (s->node[i].up && !sim_mask_has(&mask, (uint32_t)i))
				sim_verify_fail(s->v,
						"node %u: ring %u:%" PRIu64 " without live node %zu after the kill",
						nd->id, c->ring.rep, c->ring.seq, i);
	}
	if (c->type == TOTEM_CONF_REGULAR) {
		nd->reg_mask = mask;
		for (i = 1; i <= SIM_MAX_NODES; i++)
			if (!sim_mask_has(&mask, (uint32_t)i))
				nd->leave_by[i] = 0;
	}
	hist(s, "%u conf %s %u:%" PRIu64 " %s", nd->id,
	     c->type == TOTEM_CONF_REGULAR ? "reg" : "trans", c->ring.rep,
	     c->ring.seq, list);
	s->r->confs++;
	sim_verify_conf(s->v, nd->id, c->type == TOTEM_CONF_REGULAR, &c->ring,
			&mask);
}

static void op_persist(void *arg, uint64_t seq)
{
	struct node *nd = arg;

	if (seq < nd->persisted)
		sim_verify_fail(nd->sim->v, "node %u: ring seq went back",
				nd->id);
	nd->persisted = seq;
}

static void op_flow(void *arg, int blocked)
{
	struct node *nd = arg;

	if (blocked == nd->blocked)
		sim_verify_fail(nd->sim->v, "node %u: flow reported %d twice",
				nd->id, blocked);
	nd->blocked = blocked;
}

static void op_log(void *arg, enum totem_log_level lvl, const char *msg)
{
	struct node *nd = arg;

	if (nd->sim->p->log)
		fprintf(nd->sim->p->log, "%" PRIu64 " %u: %s\n", nd->sim->now,
			nd->id, msg);
}

static const struct totem_ops sim_ops = {
	.send = op_send,
	.timer_arm = op_timer_arm,
	.timer_cancel = op_timer_cancel,
	.deliver = op_deliver,
	.conf = op_conf,
	.persist_seq = op_persist,
	.flow = op_flow,
	.log = op_log,
};

/* ---- nodes ---- */

static void node_start(struct sim *s, struct node *nd)
{
	struct totem_config cfg;
	uint32_t ids[SIM_MAX_NODES];
	int i;

	for (i = 0; i < s->n; i++)
		ids[i] = (uint32_t)i + 1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.nodeid = nd->id;
	cfg.ring_seq = nd->persisted;
	cfg.nodes = ids;
	cfg.n_nodes = (size_t)s->n;
	cfg.token_ms = s->p->token_ms;
	cfg.token_coefficient_ms = s->p->token_coef_ms;
	/* nodes differ in path MTU, as over real links */
	cfg.mtu = s->p->mtu - (uint32_t)sim_range(&s->rng, 0, s->p->mtu / 4);
	if (cfg.mtu < 256)
		cfg.mtu = 256;
	cfg.old_before_trans = s->p->old_before_trans;
	cfg.backlog_bytes = s->p->backlog;
	nd->blocked = 0;
	/* a new engine takes every node as reachable until told */
	for (i = 1; i <= s->n; i++)
		s->reach[nd->id][i].view = 1;
	nd->inc++;
	nd->counter = 0;
	nd->up = 1;
	hist(s, "%u start %u", nd->id, nd->inc);
	sim_verify_start(s->v, nd->id, nd->inc);
	if (totem_new(&cfg, &sim_ops, nd, s->now, &nd->t, NULL) < 0) {
		sim_verify_fail(s->v, "node %u: totem_new failed", nd->id);
		nd->up = 0;
	}
}

static void node_crash(struct sim *s, struct node *nd)
{
	int i;

	if (!nd->up)
		return;
	totem_destroy(nd->t);
	nd->t = NULL;
	nd->up = 0;
	memset(&nd->reg_mask, 0, sizeof(nd->reg_mask));
	nd->paused_until = 0;
	memset(nd->leave_by, 0, sizeof(nd->leave_by));
	for (i = 0; i < TOTEM_TIMER_COUNT; i++)
		nd->gen[i]++;
	hist(s, "%u crash", nd->id);
	sim_verify_crash(s->v, nd->id);
}

static void app_send(struct sim *s, struct node *nd)
{
	uint8_t *m = s->msgbuf;
	size_t len, head, i;
	int safe = (int)sim_range(&s->rng, 0, 99) < s->p->safe_pct;
	uint64_t r = sim_range(&s->rng, 0, 99);
	uint64_t sum;
	int rc;

	if (r < 80)
		len = sim_range(&s->rng, SIM_HEAD + 1, 200);
	else if (r < 95)
		len = sim_range(&s->rng, 200, 1500);
	else
		len = sim_range(&s->rng, 1500, s->p->max_msg);
	/* filler first, so the header can carry its checksum */
	head = SIM_HEAD;
	for (i = head; i < len; i++)
		m[i] = (uint8_t)sim_rand(&s->rng);
	nd->counter++;
	sum = payload_sum(m + head, len - head);
	{
		char h[64];
		int n = snprintf(h, sizeof(h), "%u.%u.%u %c %016llx ", nd->id,
				 nd->inc, nd->counter, safe ? 's' : 'a',
				 (unsigned long long)sum);
		/* pad the header to exactly `head` bytes with spaces */
		memset(m, ' ', head);
		memcpy(m, h, (size_t)n);
	}
	/* now and then the path MTU changes */
	if (sim_chance(&s->rng, 0.005)) {
		uint32_t mtu = (uint32_t)sim_range(&s->rng, s->p->mtu / 2,
						   s->p->mtu);

		if (totem_set_mtu(nd->t, mtu < 256 ? 256 : mtu))
			sim_verify_fail(s->v, "node %u: set_mtu %u failed",
					nd->id, mtu);
	}
	rc = totem_mcast(nd->t, m, len, safe ? TOTEM_SAFE : TOTEM_AGREED,
			 s->now);
	if (rc == 0) {
		hist(s, "%u send %u.%u.%u %s", nd->id, nd->id, nd->inc,
		     nd->counter, safe ? "safe" : "agreed");
		s->r->sent++;
		sim_verify_send(s->v, nd->id,
				sim_key(nd->id, nd->inc, nd->counter), safe);
	} else {
		nd->counter--;	/* not sent: the id is not used */
		if (rc != -EAGAIN)
			sim_verify_fail(s->v, "node %u: mcast failed: %d",
					nd->id, rc);
		else if (!totem_flow_blocked(nd->t))
			sim_verify_fail(s->v, "node %u: -EAGAIN while not blocked",
					nd->id);
		s->r->eagain++;
	}
}

/* ---- link evidence ---- */

/* The token timeout of the run's ring, in microseconds. */
static uint64_t token_us(const struct sim *s)
{
	return ((uint64_t)s->p->token_ms + (uint64_t)s->p->token_coef_ms *
		(s->n > 2 ? (uint64_t)s->n - 2 : 0)) * 1000;
}

/* Would pings between nodes i and j be answered now? */
static int link_truth(const struct sim *s, int i, int j)
{
	const struct node *a = &s->node[i], *b = &s->node[j];

	return b->up && b->paused_until <= s->now && a->part == b->part &&
	       !sim_mask_has(&s->blocked[i], (uint32_t)j) &&
	       !sim_mask_has(&s->blocked[j], (uint32_t)i);
}

/*
 * Every 50 ms: each node's transport notices what changed, late as knet is
 * (a link is down after 0.3-0.8 of the token timeout without an answer, up
 * again 0.05-0.4 of it after answers resume), and tells its engine.  A lie
 * reports the opposite of the truth, with the same delays.  A frozen node
 * hears nothing until it resumes.
 */
static void reach_tick(struct sim *s)
{
	uint64_t tk = token_us(s);
	int i, j;

	for (i = 1; i <= s->n; i++) {
		struct node *nd = &s->node[i];

		if (!nd->up)
			continue;
		for (j = 1; j <= s->n; j++) {
			struct reach *r = &s->reach[i][j];
			int want;

			if (j == i)
				continue;
			want = link_truth(s, i, j);
			if (r->lie_until > s->now)
				want = !want;
			if (want != r->target) {
				r->target = (uint8_t)want;
				r->due = s->now + (want ? sim_range(&s->rng, tk / 20, tk * 4 / 10)
							: sim_range(&s->rng, tk * 3 / 10, tk * 8 / 10));
			}
			if (r->view == r->target || s->now < r->due ||
			    nd->paused_until > s->now)
				continue;
			r->view = r->target;
			totem_input_reachable(nd->t, (uint32_t)j, r->view, s->now);
			if (!nd->up)
				break;
		}
	}
	at(s, s->now + 50000, EV_REACH, 0, 0);
}

/* Runs of kills with true evidence: by when the survivors must have a ring
 * without the dead node.  Without evidence it takes a token timeout and a
 * consensus timeout (1.2 token); with it, the token timeout and a few join
 * rounds, once the transport has seen the links down (0.8 token at most). */
static uint64_t kill_bound_us(const struct sim *s)
{
	return token_us(s) * 16 / 10 + 100000;
}

/* ---- faults ---- */

/*
 * The node stops the way a daemon does on SIGTERM: totem_leave(), then the
 * engine is gone (a crash for the history: what it had queued is lost).
 * In a run of leaves only (no loss), every node whose ring held it must
 * install a ring without it within half a token timeout: the leave is
 * announced, not found by a timeout.
 */
static void node_leave(struct sim *s, struct node *nd)
{
	uint64_t bound = (uint64_t)s->p->token_ms * 1000 / 2;
	int i;

	totem_leave(nd->t, s->now);
	node_crash(s, nd);
	if (s->p->faults != SIM_F_LEAVE)
		return;
	for (i = 1; i <= s->n; i++) {
		struct node *o = &s->node[i];

		if (o == nd || !o->up || !sim_mask_has(&o->reg_mask, nd->id))
			continue;
		o->leave_by[nd->id] = s->now + bound;
		at(s, s->now + bound, EV_LEAVE_CHECK, i, (int)nd->id);
	}
}

static void schedule_fault(struct sim *s)
{
	uint64_t t = s->now + sim_range(&s->rng, 300000, 2500000);
	int kinds[8], nk = 0;

	if (s->p->faults & SIM_F_CRASH)
		kinds[nk++] = EV_CRASH;
	if (s->p->faults & SIM_F_PART)
		kinds[nk++] = EV_PARTITION;
	if ((s->p->faults & SIM_F_ONEWAY) && s->n > 1)
		kinds[nk++] = EV_ONEWAY;
	if (s->p->faults & SIM_F_BURST)
		kinds[nk++] = EV_BURST;
	if (s->p->faults & SIM_F_LEAVE)
		kinds[nk++] = EV_LEAVE;
	if (s->p->faults & SIM_F_PAUSE)
		kinds[nk++] = EV_PAUSE;
	if ((s->p->faults & SIM_F_LINKLIE) && s->n > 1)
		kinds[nk++] = EV_LINKLIE;
	if (!nk || t >= s->faults_end)
		return;
	at(s, t, (enum ev_kind)kinds[sim_range(&s->rng, 0, (uint64_t)nk - 1)],
	   (int)sim_range(&s->rng, 1, (uint64_t)s->n), 0);
}

static void heal(struct sim *s)
{
	int i;

	for (i = 1; i <= s->n; i++) {
		s->node[i].part = 0;
		memset(&s->blocked[i], 0, sizeof(s->blocked[i]));
	}
	s->burst_until = 0;
}

/* ---- the run ---- */

static const struct sim_params sim_defaults = {
	.seed = 1, .nodes = 3, .faults = SIM_F_MIXED, .duration_ms = 5000,
	.token_ms = 400, .token_coef_ms = 50, .send_interval_ms = 40,
	.mtu = 1400, .max_msg = 6000, .safe_pct = 30,
};

void sim_params_default(struct sim_params *p)
{
	*p = sim_defaults;
}

static uint64_t settle_us(const struct sim_params *p)
{
	uint64_t token = p->token_ms + (uint64_t)p->token_coef_ms *
				       (p->nodes > 2 ? (uint64_t)p->nodes - 2 : 0);

	/* ring re-forms after at most a few token losses and consensus
	 * rounds; then the traffic drains */
	return (6 * token + 6 * token * 12 / 10 + 6000) * 1000;
}

static void handle(struct sim *s, struct ev *e)
{
	struct node *nd = e->node >= 1 && e->node <= s->n ? &s->node[e->node]
							 : NULL;
	int i;

	/* A frozen node (SIGSTOP) handles nothing: its packets wait in the
	 * socket, its timers and its application wait too; at the resume
	 * everything runs at once, in the order it came. */
	if (nd && nd->paused_until > s->now &&
	    (e->kind == EV_PACKET || e->kind == EV_TIMER || e->kind == EV_APP)) {
		struct ev later = *e;

		later.t = nd->paused_until;
		ev_push(s, &later);
		return;
	}
	switch (e->kind) {
	case EV_PAUSE:
		if (!s->faulty)
			break;
		if (nd && nd->up && nd->paused_until <= s->now) {
			uint64_t until = s->now + sim_range(&s->rng, 200000, 5000000);

			nd->paused_until = until < s->faults_end ? until
								 : s->faults_end;
		}
		schedule_fault(s);
		break;
	case EV_PACKET:
		/* partitions cut packets in flight too */
		if (s->p->dump_dir && e->node == 2)
			dump_rx(s, e->from, e->pkt->data, e->len);
		if (nd && nd->up && nd->part == s->node[e->from].part)
			totem_input_packet(nd->t, (uint32_t)e->from, e->pkt->data,
					   e->len, s->now);
		pkt_unref(e->pkt);
		break;
	case EV_TIMER:
		if (nd && nd->up && (uint32_t)e->from == nd->inc &&
		    e->gen == nd->gen[e->aux])
			totem_input_timer(nd->t, (enum totem_timer)e->aux,
					  s->now);
		break;
	case EV_APP:
		if (nd && nd->up && s->app_on && s->now < s->app_stop)
			app_send(s, nd);
		if (nd && s->now < s->app_stop)
			at(s, s->now + sim_range(&s->rng, 1000,
						 2000ull * s->p->send_interval_ms),
			   EV_APP, e->node, 0);
		break;
	case EV_CRASH:
		if (!s->faulty)
			break;
		if (nd && nd->up) {
			node_crash(s, nd);
			at(s, s->now + sim_range(&s->rng, 100000, 3000000),
			   EV_RESTART, e->node, 0);
		}
		schedule_fault(s);
		break;
	case EV_LEAVE:
		if (!s->faulty)
			break;
		if (nd && nd->up) {
			node_leave(s, nd);
			at(s, s->now + sim_range(&s->rng, 100000, 3000000),
			   EV_RESTART, e->node, 0);
		}
		schedule_fault(s);
		break;
	case EV_LEAVE_CHECK:
		if (nd && nd->up && nd->leave_by[e->aux] &&
		    nd->leave_by[e->aux] <= s->now)
			sim_verify_fail(s->v,
					"node %d: no ring without node %d %" PRIu64 " ms after it %s",
					e->node, e->aux,
					(s->node[e->aux].dead ? kill_bound_us(s)
							      : (uint64_t)s->p->token_ms * 500) / 1000,
					s->node[e->aux].dead ? "died" : "left");
		break;
	case EV_KILL:
		if (nd && nd->up && s->faulty) {
			node_crash(s, nd);
			nd->dead = 1;
			s->killed_at = s->now;
			sim_verify_kill(s->v, nd->id);
			/* with true evidence and nothing else, failover is
			 * the token timeout plus a few join rounds */
			if (s->p->faults != (SIM_F_KILL | SIM_F_LINK))
				break;
			for (i = 1; i <= s->n; i++) {
				struct node *o = &s->node[i];

				if (!o->up || !sim_mask_has(&o->reg_mask, nd->id))
					continue;
				o->leave_by[nd->id] = s->now + kill_bound_us(s);
				at(s, o->leave_by[nd->id], EV_LEAVE_CHECK, i,
				   (int)nd->id);
			}
		}
		break;
	case EV_REACH:
		reach_tick(s);
		break;
	case EV_LINKLIE:
		if (!s->faulty)
			break;
		i = (int)sim_range(&s->rng, 1, (uint64_t)s->n);
		if (nd && i != e->node) {
			uint64_t until = s->now + sim_range(&s->rng, 200000, 3000000);

			s->reach[e->node][i].lie_until =
				until < s->faults_end ? until : s->faults_end;
		}
		schedule_fault(s);
		break;
	case EV_RESTART:
		if (nd && !nd->up && !nd->dead && s->faulty)
			node_start(s, nd);
		break;
	case EV_PARTITION:
		if (!s->faulty)
			break;
		for (i = 1; i <= s->n; i++)
			s->node[i].part = (int)sim_range(&s->rng, 0, 1);
		at(s, s->now + sim_range(&s->rng, 500000, 4000000), EV_HEAL,
		   0, 0);
		schedule_fault(s);
		break;
	case EV_HEAL:
		if (!s->faulty)
			break;
		for (i = 1; i <= s->n; i++)
			s->node[i].part = 0;
		break;
	case EV_ONEWAY:
		if (!s->faulty)
			break;
		i = (int)sim_range(&s->rng, 1, (uint64_t)s->n);
		if (i != e->node) {
			sim_mask_set(&s->blocked[e->node], (uint32_t)i);
			at(s, s->now + sim_range(&s->rng, 300000, 3000000),
			   EV_UNBLOCK, e->node, i);
		}
		schedule_fault(s);
		break;
	case EV_UNBLOCK:
		if (nd)
			sim_mask_clr(&s->blocked[e->node], (uint32_t)e->aux);
		break;
	case EV_BURST:
		if (!s->faulty)
			break;
		s->burst_until = s->now + sim_range(&s->rng, 200000, 1000000);
		schedule_fault(s);
		break;
	case EV_FAULTS_END:
		s->faulty = 0;
		heal(s);
		for (i = 1; i <= s->n; i++)
			if (!s->node[i].up && !s->node[i].dead) {
				int j;

				/* back at once, maybe right after a leave:
				 * the next ring may hold it again */
				for (j = 1; j <= s->n; j++)
					s->node[j].leave_by[i] = 0;
				node_start(s, &s->node[i]);
			}
		if (s->p->history)
			fprintf(s->p->history, "%" PRIu64 " - faults-end\n",
				s->now);
		break;
	case EV_END:
		break;
	}
}

int sim_run(const struct sim_params *p, struct sim_result *r)
{
	struct sim *s;
	struct ev e;
	int i, rc = 0;

	memset(r, 0, sizeof(*r));
	if (p->nodes < 1 || p->nodes > SIM_MAX_NODES)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->p = p;
	s->r = r;
	s->rng = p->seed * 0x2545f4914f6cdd1dull + 7;
	s->n = p->nodes;
	s->v = sim_verify_new(p->nodes, p->old_before_trans);
	s->msgbuf = malloc(p->max_msg + 64);
	if (!s->v || !s->msgbuf) {
		rc = -ENOMEM;
		goto out;
	}
	s->faulty = p->faults != SIM_F_NONE;
	s->app_on = 1;
	if (p->faults & SIM_F_LOSS) {
		s->loss = (double)sim_range(&s->rng, 0, 80) / 1000.0;
		s->dup = (double)sim_range(&s->rng, 0, 30) / 1000.0;
		s->reorder = (double)sim_range(&s->rng, 0, 100) / 1000.0;
	}
	s->faults_end = (uint64_t)p->duration_ms * 1000;
	s->end = s->faults_end + settle_us(p);
	/* The application sends until 2 s before the end: a checker bound of
	 * settle - 4 s leaves a 2 s window of sends that must reach all. */
	s->app_stop = s->end - 2000000;
	for (i = 1; i <= s->n; i++) {
		int j;

		s->node[i].sim = s;
		s->node[i].id = (uint32_t)i;
		for (j = 1; j <= s->n; j++)
			s->reach[i][j].target = 1;
	}
	for (i = 1; i <= s->n; i++) {
		node_start(s, &s->node[i]);
		at(s, sim_range(&s->rng, 1000, 1000ull * p->send_interval_ms),
		   EV_APP, i, 0);
	}
	if (s->faulty) {
		schedule_fault(s);
		schedule_fault(s);
	}
	/* one node of two or more dies for good, at a random time of the
	 * faulty phase; the others must go on without it */
	if ((p->faults & SIM_F_KILL) && s->n > 1)
		at(s, sim_range(&s->rng, 500000, s->faults_end > 600000
						   ? s->faults_end - 100000
						   : 500000),
		   EV_KILL, (int)sim_range(&s->rng, 1, (uint64_t)s->n), 0);
	if (p->faults & SIM_F_LINK)
		at(s, 50000, EV_REACH, 0, 0);
	at(s, s->faults_end, EV_FAULTS_END, 0, 0);
	at(s, s->end, EV_END, 0, 0);
	while (s->n_ev) {
		ev_pop(s, &e);
		s->now = e.t;
		r->events++;
		if (e.kind == EV_END) {
			pkt_unref(e.pkt);
			break;
		}
		handle(s, &e);
	}
	r->end_us = s->now;
	r->faults_end_us = s->faults_end;
	if (p->history)
		fprintf(p->history, "%" PRIu64 " - end\n", s->now);
	r->violations = sim_verify_end(s->v, r);
out:
	for (i = 1; i <= s->n; i++)
		totem_destroy(s->node[i].t);
	while (s->n_ev) {
		ev_pop(s, &e);
		pkt_unref(e.pkt);
	}
	free(s->heap);
	free(s->msgbuf);
	sim_verify_free(s->v);
	free(s);
	return rc;
}
