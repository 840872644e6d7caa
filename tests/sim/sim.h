/*
 * The deterministic Totem simulator: N engine instances over a simulated
 * network with virtual time and one seeded random source.  Nothing sleeps
 * and nothing reads a clock, so a seed replays bit for bit.
 *
 *   sim_world.c   event queue, network, nodes, faults, history
 *   sim_verify.c  the simulator's own assertions on what was delivered
 *   totemsim.c    command line, batch mode
 */
#ifndef CPGD_SIM_H
#define CPGD_SIM_H

#include <stdint.h>
#include <stdio.h>

#include "totem/totem.h"

/* Node ids are 1..nodes; the largest run is the engine's largest ring. */
#define SIM_MAX_NODES TOTEM_MAX_NODES

/* A set of node ids 0..SIM_MAX_NODES (bit i: node i). */
struct sim_mask {
	uint64_t w[SIM_MAX_NODES / 64 + 1];
};

static inline void sim_mask_set(struct sim_mask *m, uint32_t i)
{
	if (i <= SIM_MAX_NODES)
		m->w[i / 64] |= 1ull << (i % 64);
}

static inline void sim_mask_clr(struct sim_mask *m, uint32_t i)
{
	if (i <= SIM_MAX_NODES)
		m->w[i / 64] &= ~(1ull << (i % 64));
}

static inline int sim_mask_has(const struct sim_mask *m, uint32_t i)
{
	return i <= SIM_MAX_NODES && (m->w[i / 64] >> (i % 64)) & 1;
}

static inline int sim_mask_eq(const struct sim_mask *a,
			      const struct sim_mask *b)
{
	size_t i;

	for (i = 0; i < sizeof(a->w) / sizeof(a->w[0]); i++)
		if (a->w[i] != b->w[i])
			return 0;
	return 1;
}

/* The lowest id in m, 0 when empty. */
static inline uint32_t sim_mask_lowest(const struct sim_mask *m)
{
	size_t i;

	for (i = 0; i < sizeof(m->w) / sizeof(m->w[0]); i++)
		if (m->w[i])
			return (uint32_t)(i * 64 + (size_t)__builtin_ctzll(m->w[i]));
	return 0;
}

enum sim_faults {
	SIM_F_NONE = 0,
	SIM_F_LOSS = 1,		/* loss, duplication, reordering, delay */
	SIM_F_CRASH = 2,	/* crashes and restarts */
	SIM_F_PART = 4,		/* partitions and heals */
	SIM_F_TIMER = 8,	/* timers fire early or late */
	SIM_F_ONEWAY = 16,	/* a link drops one direction only */
	SIM_F_BURST = 32,	/* bursts of heavy loss */
	SIM_F_MIXED = 63,
	/* not in mixed: they change the membership for good or test one
	 * exit path */
	SIM_F_KILL = 64,	/* one node crashes and never comes back */
	SIM_F_LEAVE = 128,	/* nodes leave (totem_leave) and restart */
	SIM_F_PAUSE = 256,	/* a node freezes (SIGSTOP) 0.2-5 s, then
				 * takes its queued packets and timers */
	/* the transport's link evidence (totem_input_reachable): */
	SIM_F_LINK = 512,	/* true, after a seeded detection delay */
	SIM_F_LINKLIE = 1024,	/* also wrong for a while: down while the
				 * node is alive, up while it is dead */
};

struct sim_params {
	uint64_t seed;
	int nodes;
	int faults;		/* SIM_F_* bits */
	uint32_t duration_ms;	/* of the faulty phase */
	uint32_t token_ms;
	uint32_t token_coef_ms;
	uint32_t send_interval_ms;	/* mean gap between app sends */
	uint32_t mtu;
	uint32_t max_msg;	/* largest app message */
	int safe_pct;		/* share of safe messages */
	FILE *history;		/* NULL: no history */
	FILE *log;		/* NULL: no engine log */
	int verbose;
	const char *dump_dir;	/* write packets there as a fuzz corpus */
	int old_before_trans;	/* engine option of that name */
	uint32_t backlog;	/* engine backlog_bytes, 0 default */
};

struct sim_result {
	int violations;
	char first[512];	/* first violation */
	uint64_t sent, delivered, confs, events, eagain;
	uint64_t faults_end_us, end_us;
};

/* splitmix64: small, fast, good enough for fault injection */
static inline uint64_t sim_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t sim_range(uint64_t *s, uint64_t lo, uint64_t hi)
{
	return lo + (hi > lo ? sim_rand(s) % (hi - lo + 1) : 0);
}

static inline int sim_chance(uint64_t *s, double p)
{
	return (double)(sim_rand(s) >> 11) / 9007199254740992.0 < p;
}

void sim_params_default(struct sim_params *p);
int sim_run(const struct sim_params *p, struct sim_result *r);

/* ---- verification (sim_verify.c) ---- */

struct sim_verify;

/* survivors: check safe delivery in its weaker survivors form */
struct sim_verify *sim_verify_new(int nodes, int survivors);
void sim_verify_free(struct sim_verify *v);
/* msg key: sender (16 bits), incarnation (16 bits), counter (32 bits) */
uint64_t sim_key(uint32_t node, uint32_t inc, uint32_t counter);
void sim_verify_start(struct sim_verify *v, uint32_t node, uint32_t inc);
void sim_verify_crash(struct sim_verify *v, uint32_t node);
/* The node crashed and stays down: the end state is judged without it. */
void sim_verify_kill(struct sim_verify *v, uint32_t node);
void sim_verify_send(struct sim_verify *v, uint32_t node, uint64_t key,
		     int safe);
void sim_verify_deliver(struct sim_verify *v, uint32_t node, uint64_t key,
			int safe, uint32_t from);
void sim_verify_conf(struct sim_verify *v, uint32_t node, int regular,
		     const struct totem_ring_id *ring,
		     const struct sim_mask *members);
void sim_verify_fail(struct sim_verify *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* After the run: order, virtual synchrony, liveness.  Violations. */
int sim_verify_end(struct sim_verify *v, struct sim_result *r);
int sim_verify_count(const struct sim_verify *v, char *first, size_t len);

#endif
