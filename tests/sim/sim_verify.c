/*
 * The simulator's own assertions, so the engine can be developed before
 * and besides the history checker: no duplicates, only sent messages, one
 * agreed order, ring ids that name one membership, virtual synchrony
 * (nodes moving together from one regular configuration to the next
 * delivered the same messages in it), safe messages held by every member
 * that goes on, self-delivery, and at the end one ring of every node that
 * delivered the same tail.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* ---- u64 -> u32 hash map, key 0 unused ---- */

struct map {
	uint64_t *k;
	uint32_t *v;
	size_t cap, n;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static int map_grow(struct map *m)
{
	struct map n;
	size_t i;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.n = 0;
	n.k = calloc(n.cap, sizeof(*n.k));
	n.v = calloc(n.cap, sizeof(*n.v));
	if (!n.k || !n.v) {
		free(n.k);
		free(n.v);
		return -1;
	}
	for (i = 0; i < m->cap; i++)
		if (m->k[i]) {
			size_t j = mix(m->k[i]) & (n.cap - 1);

			while (n.k[j])
				j = (j + 1) & (n.cap - 1);
			n.k[j] = m->k[i];
			n.v[j] = m->v[i];
			n.n++;
		}
	free(m->k);
	free(m->v);
	*m = n;
	return 0;
}

static uint32_t *map_find(const struct map *m, uint64_t k)
{
	size_t j;

	if (!m->cap)
		return NULL;
	j = mix(k) & (m->cap - 1);
	while (m->k[j]) {
		if (m->k[j] == k)
			return &m->v[j];
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}

/* 1 inserted, 0 present */
static int map_put(struct map *m, uint64_t k, uint32_t v)
{
	size_t j;

	if (map_find(m, k))
		return 0;
	if ((m->n + 1) * 2 > m->cap && map_grow(m))
		return 0;
	j = mix(k) & (m->cap - 1);
	while (m->k[j])
		j = (j + 1) & (m->cap - 1);
	m->k[j] = k;
	m->v[j] = v;
	m->n++;
	return 1;
}

static void map_free(struct map *m)
{
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ---- lives ---- */

enum item_kind { IT_DELIVER, IT_TRANS, IT_REG };

struct item {
	uint64_t key;		/* message, or conf index */
	uint64_t t;
	enum item_kind kind;
	int safe;
};

struct conf {
	struct totem_ring_id ring;
	struct sim_mask mask;
};

struct life {
	uint32_t node, inc;
	int alive;
	struct item *it;
	size_t n, cap;
	struct map pos;		/* key -> index in it */
	uint64_t *sent;
	size_t n_sent, cap_sent;
};

struct sim_verify {
	int nodes;
	int survivors;		/* safe rule in its survivors form */
	struct life *lives;
	size_t n_lives;
	int cur[SIM_MAX_NODES + 1];
	struct sim_mask gone;	/* nodes killed for good */
	struct conf *confs;
	size_t n_confs;
	struct map sent;	/* key -> 1 agreed, 2 safe */
	struct map rings;	/* hash(ring) -> 1 + index of its first regular conf */
	uint64_t now;
	int violations;
	char first[512];
};

uint64_t sim_key(uint32_t node, uint32_t inc, uint32_t counter)
{
	return ((uint64_t)node << 48) | ((uint64_t)(inc & 0xffff) << 32) |
	       counter;
}

static void key_str(uint64_t k, char *b, size_t len)
{
	snprintf(b, len, "%u.%u.%u", (unsigned int)(k >> 48),
		 (unsigned int)((k >> 32) & 0xffff), (unsigned int)k);
}

void sim_verify_fail(struct sim_verify *v, const char *fmt, ...)
{
	va_list ap;

	if (!v->violations++) {
		va_start(ap, fmt);
		vsnprintf(v->first, sizeof(v->first), fmt, ap);
		va_end(ap);
	}
}

struct sim_verify *sim_verify_new(int nodes, int survivors)
{
	struct sim_verify *v = calloc(1, sizeof(*v));
	int i;

	if (!v)
		return NULL;
	v->nodes = nodes;
	v->survivors = survivors;
	for (i = 0; i <= SIM_MAX_NODES; i++)
		v->cur[i] = -1;
	return v;
}

void sim_verify_free(struct sim_verify *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n_lives; i++) {
		free(v->lives[i].it);
		free(v->lives[i].sent);
		map_free(&v->lives[i].pos);
	}
	free(v->lives);
	free(v->confs);
	map_free(&v->sent);
	map_free(&v->rings);
	free(v);
}

static struct life *cur(struct sim_verify *v, uint32_t node)
{
	if (node > SIM_MAX_NODES || v->cur[node] < 0)
		return NULL;
	return &v->lives[v->cur[node]];
}

static void push(struct sim_verify *v, struct life *l, enum item_kind k,
		 uint64_t key, int safe)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct item *it = realloc(l->it, cap * sizeof(*it));

		if (!it)
			return;
		l->it = it;
		l->cap = cap;
	}
	l->it[l->n].key = key;
	l->it[l->n].kind = k;
	l->it[l->n].safe = safe;
	l->it[l->n].t = v->now;
	l->n++;
}

void sim_verify_start(struct sim_verify *v, uint32_t node, uint32_t inc)
{
	struct life *ls = realloc(v->lives, (v->n_lives + 1) * sizeof(*ls));

	if (!ls || node > SIM_MAX_NODES)
		return;
	v->lives = ls;
	memset(&ls[v->n_lives], 0, sizeof(*ls));
	ls[v->n_lives].node = node;
	ls[v->n_lives].inc = inc;
	ls[v->n_lives].alive = 1;
	v->cur[node] = (int)v->n_lives++;
}

void sim_verify_crash(struct sim_verify *v, uint32_t node)
{
	struct life *l = cur(v, node);

	if (l)
		l->alive = 0;
	v->cur[node] = -1;
}

void sim_verify_kill(struct sim_verify *v, uint32_t node)
{
	if (node > SIM_MAX_NODES)
		return;
	sim_verify_crash(v, node);
	sim_mask_set(&v->gone, node);
}

void sim_verify_send(struct sim_verify *v, uint32_t node, uint64_t key,
		     int safe)
{
	struct life *l = cur(v, node);

	if (!l)
		return;
	map_put(&v->sent, key, safe ? 2 : 1);
	if (l->n_sent == l->cap_sent) {
		size_t cap = l->cap_sent ? l->cap_sent * 2 : 256;
		uint64_t *s = realloc(l->sent, cap * sizeof(*s));

		if (!s)
			return;
		l->sent = s;
		l->cap_sent = cap;
	}
	l->sent[l->n_sent++] = key;
}

void sim_verify_deliver(struct sim_verify *v, uint32_t node, uint64_t key,
			int safe, uint32_t from)
{
	struct life *l = cur(v, node);
	uint32_t *g = map_find(&v->sent, key);
	char b[48];

	key_str(key, b, sizeof(b));
	if (!l)
		return;
	if (!g)
		sim_verify_fail(v, "node %u delivered %s, never sent", node, b);
	else if ((*g == 2) != !!safe)
		sim_verify_fail(v, "node %u delivered %s with the wrong guarantee",
				node, b);
	if (!map_put(&l->pos, key, (uint32_t)l->n))
		sim_verify_fail(v, "node %u delivered %s twice", node, b);
	push(v, l, IT_DELIVER, key, safe);
}

void sim_verify_conf(struct sim_verify *v, uint32_t node, int regular,
		     const struct totem_ring_id *ring,
		     const struct sim_mask *mask)
{
	struct life *l = cur(v, node);
	struct conf *c;
	uint64_t rk = mix(ring->seq * 131 + ring->rep) | 1;
	uint32_t *m;

	if (!l)
		return;
	if (!sim_mask_has(mask, node))
		sim_verify_fail(v, "node %u: conf without itself", node);
	if (regular) {
		m = map_find(&v->rings, rk);
		if (m && !sim_mask_eq(&v->confs[*m - 1].mask, mask))
			sim_verify_fail(v, "ring %u:%llu has two memberships",
					ring->rep,
					(unsigned long long)ring->seq);
		else if (!m)
			map_put(&v->rings, rk, (uint32_t)v->n_confs + 1);
		if (ring->rep != sim_mask_lowest(mask))
			sim_verify_fail(v, "ring %u:%llu: rep not lowest member",
					ring->rep,
					(unsigned long long)ring->seq);
	}
	c = realloc(v->confs, (v->n_confs + 1) * sizeof(*c));
	if (!c)
		return;
	v->confs = c;
	c[v->n_confs].ring = *ring;
	c[v->n_confs].mask = *mask;
	push(v, l, regular ? IT_REG : IT_TRANS, v->n_confs, 0);
	v->n_confs++;
}

/* ---- end-of-run checks ---- */

static void check_order(struct sim_verify *v)
{
	size_t a, b, i;
	char k[48];

	for (a = 0; a < v->n_lives; a++)
		for (b = a + 1; b < v->n_lives; b++) {
			struct life *la = &v->lives[a], *lb = &v->lives[b];
			int64_t last = -1;

			for (i = 0; i < la->n; i++) {
				uint32_t *p;

				if (la->it[i].kind != IT_DELIVER)
					continue;
				p = map_find(&lb->pos, la->it[i].key);
				if (!p)
					continue;
				if ((int64_t)*p < last) {
					key_str(la->it[i].key, k, sizeof(k));
					sim_verify_fail(v,
						"order: %s before/after differs on nodes %u(inc %u) and %u(inc %u)",
						k, la->node, la->inc, lb->node,
						lb->inc);
					return;
				}
				last = *p;
			}
		}
}

/* One regular configuration of one life and what it delivered in it. */
struct epoch {
	size_t life;
	size_t reg, next;	/* conf indexes; next SIZE_MAX: none */
	size_t from, to;	/* items */
	uint64_t sig, n;
	size_t trans;		/* its transitional conf; SIZE_MAX: none */
};

static int same_ring(const struct sim_verify *v, size_t a, size_t b)
{
	return v->confs[a].ring.rep == v->confs[b].ring.rep &&
	       v->confs[a].ring.seq == v->confs[b].ring.seq;
}

static size_t epochs(struct sim_verify *v, struct epoch **out)
{
	struct epoch *e = NULL;
	size_t n = 0, l, i;

	for (l = 0; l < v->n_lives; l++) {
		struct life *lf = &v->lives[l];
		struct epoch *cur_e = NULL;

		for (i = 0; i < lf->n; i++) {
			struct item *it = &lf->it[i];

			if (it->kind == IT_REG) {
				if (cur_e) {
					cur_e->next = it->key;
					cur_e->to = i;
				}
				e = realloc(e, (n + 1) * sizeof(*e));
				if (!e)
					return 0;
				cur_e = &e[n++];
				memset(cur_e, 0, sizeof(*cur_e));
				cur_e->life = l;
				cur_e->reg = it->key;
				cur_e->next = SIZE_MAX;
				cur_e->trans = SIZE_MAX;
				cur_e->from = i + 1;
				cur_e->to = lf->n;
			} else if (it->kind == IT_TRANS && cur_e) {
				cur_e->trans = it->key;
			} else if (cur_e) {
				cur_e->sig += mix(it->key);
				cur_e->n++;
			}
		}
	}
	*out = e;
	return n;
}

static int same_trans(const struct sim_verify *v, const struct epoch *a,
		      const struct epoch *b)
{
	if (a->trans == SIZE_MAX || b->trans == SIZE_MAX)
		return a->trans == b->trans;
	return sim_mask_eq(&v->confs[a->trans].mask, &v->confs[b->trans].mask);
}

static int delivered_in(const struct life *l, const struct epoch *e,
			uint64_t key)
{
	uint32_t *p = map_find(&l->pos, key);

	return p && *p >= e->from && *p < e->to;
}

static void check_vs(struct sim_verify *v)
{
	struct epoch *e = NULL;
	size_t n = epochs(v, &e), a, b, i;
	char k[48];

	for (a = 0; a < n; a++) {
		for (b = a + 1; b < n; b++) {
			if (!same_ring(v, e[a].reg, e[b].reg))
				continue;
			if (e[a].next == SIZE_MAX || e[b].next == SIZE_MAX ||
			    !same_ring(v, e[a].next, e[b].next))
				continue;
			if (e[a].sig != e[b].sig || e[a].n != e[b].n ||
			    !same_trans(v, &e[a], &e[b])) {
				sim_verify_fail(v,
					"virtual synchrony: nodes %u and %u went %u:%llu -> %u:%llu with %llu vs %llu messages",
					v->lives[e[a].life].node,
					v->lives[e[b].life].node,
					v->confs[e[a].reg].ring.rep,
					(unsigned long long)v->confs[e[a].reg].ring.seq,
					v->confs[e[a].next].ring.rep,
					(unsigned long long)v->confs[e[a].next].ring.seq,
					(unsigned long long)e[a].n,
					(unsigned long long)e[b].n);
				goto out;
			}
		}
	}
	/* A safe message delivered in a regular configuration (before its
	 * transitional one) was held by every member: each member that moved
	 * on delivered it there or in its transitional configuration. */
	for (a = 0; a < n; a++) {
		struct life *la = &v->lives[e[a].life];
		uint64_t tburst = UINT64_MAX;
		int in_trans = 0;

		/* Survivors form: the old ring's last messages, delivered
		 * right before the transitional configuration, bind only the
		 * survivors; they come at the same virtual time as it. */
		for (i = e[a].from; v->survivors && i < e[a].to; i++)
			if (la->it[i].kind == IT_TRANS)
				tburst = la->it[i].t;
		for (i = e[a].from; i < e[a].to; i++) {
			struct item *it = &la->it[i];

			if (it->kind == IT_TRANS)
				in_trans = 1;
			if (it->kind != IT_DELIVER || !it->safe || in_trans ||
			    it->t >= tburst)
				continue;
			for (b = 0; b < n; b++) {
				if (b == a || e[b].next == SIZE_MAX ||
				    !same_ring(v, e[a].reg, e[b].reg))
					continue;
				if (!delivered_in(&v->lives[e[b].life], &e[b],
						  it->key)) {
					key_str(it->key, k, sizeof(k));
					sim_verify_fail(v,
						"safe %s delivered by %u in %u:%llu but not by %u",
						k, la->node,
						v->confs[e[a].reg].ring.rep,
						(unsigned long long)v->confs[e[a].reg].ring.seq,
						v->lives[e[b].life].node);
					goto out;
				}
			}
		}
	}
out:
	free(e);
}

static void check_end(struct sim_verify *v)
{
	struct sim_mask all;
	struct life *first = NULL;
	size_t first_reg = 0, tail_from = 0;
	int node;
	size_t i;
	char k[48];

	/* every node but those killed for good ends in one ring */
	memset(&all, 0, sizeof(all));
	for (node = 1; node <= v->nodes; node++)
		if (!sim_mask_has(&v->gone, (uint32_t)node))
			sim_mask_set(&all, (uint32_t)node);
	for (node = 1; node <= v->nodes; node++) {
		struct life *l = cur(v, (uint32_t)node);
		size_t last = SIZE_MAX;

		if (sim_mask_has(&v->gone, (uint32_t)node))
			continue;
		if (!l) {
			sim_verify_fail(v, "node %d down at the end", node);
			return;
		}
		for (i = 0; i < l->n; i++)
			if (l->it[i].kind == IT_REG)
				last = i;
		if (last == SIZE_MAX) {
			sim_verify_fail(v, "node %d never got a configuration",
					node);
			return;
		}
		if (!sim_mask_eq(&v->confs[l->it[last].key].mask, &all)) {
			sim_verify_fail(v,
				"node %d ends in ring %u:%llu without every node",
				node, v->confs[l->it[last].key].ring.rep,
				(unsigned long long)v->confs[l->it[last].key].ring.seq);
			return;
		}
		/* self-delivery */
		for (i = 0; i < l->n_sent; i++)
			if (!map_find(&l->pos, l->sent[i])) {
				key_str(l->sent[i], k, sizeof(k));
				sim_verify_fail(v, "node %d never delivered its own %s",
						node, k);
				return;
			}
		if (!first) {
			first = l;
			first_reg = last;
			tail_from = last + 1;
			continue;
		}
		if (!same_ring(v, first->it[first_reg].key, l->it[last].key)) {
			sim_verify_fail(v, "nodes end in different rings");
			return;
		}
		if (first->n - tail_from != l->n - (last + 1)) {
			sim_verify_fail(v,
				"final ring: node %u delivered %zu, node %d %zu",
				first->node, first->n - tail_from, node,
				l->n - (last + 1));
			return;
		}
		for (i = 0; tail_from + i < first->n; i++)
			if (first->it[tail_from + i].key != l->it[last + 1 + i].key) {
				sim_verify_fail(v, "final ring: deliveries differ");
				return;
			}
	}
}

int sim_verify_end(struct sim_verify *v, struct sim_result *r)
{
	check_order(v);
	check_vs(v);
	check_end(v);
	return sim_verify_count(v, r->first, sizeof(r->first));
}

int sim_verify_count(const struct sim_verify *v, char *first, size_t len)
{
	if (first && len)
		snprintf(first, len, "%s", v->first);
	return v->violations;
}
