/*
 * checker_int.h -- the history model shared by the checker's modules.
 *
 * Events are stored in input order; hc_build() sorts them per node by time and
 * derives incarnations (processes), configuration installations and
 * deliveries.  Every cross reference is a 32-bit index, HC_NONE when absent,
 * so the model stays compact for histories with hundreds of thousands of
 * lines.
 */
#ifndef CPGD_TESTS_SIM_CHECKER_INT_H
#define CPGD_TESTS_SIM_CHECKER_INT_H

#include "checker.h"

#define HC_NONE UINT32_MAX

enum hc_kind {
	HC_EV_START,
	HC_EV_CRASH,
	HC_EV_SEND,
	HC_EV_DELIVER,
	HC_EV_CONF,
	HC_EV_FAULTS_END,
	HC_EV_END,
};

struct hc_event {
	uint64_t t;
	uint32_t node;		/* HC_NONE for the global lines */
	uint32_t arg;		/* start: incarnation; send/deliver: msg; conf: conf */
	uint32_t file;
	uint32_t line;
	uint8_t kind;
	uint8_t safe;		/* send/deliver: 1 = safe, 0 = agreed */
};

/* One conf line: an installation of a configuration by one process. */
struct hc_conf {
	uint32_t ev;
	uint32_t ring;		/* ring id (rep:seq) as printed */
	uint32_t mem_off;	/* members in hc_history.mem */
	uint32_t mem_cnt;
	uint8_t reg;
	/* set by hc_build */
	uint32_t proc;
	uint32_t prev_reg;	/* conf of this proc's preceding regular conf */
	uint32_t home;		/* ring of the epoch: own ring if regular, else
				 * ring of prev_reg (HC_NONE if there is none) */
	uint32_t next;		/* next conf of the same process */
	uint32_t dlv_begin;	/* deliveries while this conf is current */
	uint32_t dlv_end;
};

struct hc_ring {
	uint32_t rep;
	uint64_t seq;
};

struct hc_msg {
	uint32_t sender;
	uint32_t inc;
	uint32_t counter;
	uint32_t send_ev;	/* HC_NONE if never sent */
	uint32_t send_proc;	/* HC_NONE if never sent */
	uint32_t dlv_off;	/* deliveries, grouped by process, in msg_dlv */
	uint32_t dlv_cnt;
	uint32_t home;		/* home ring of its first delivery in a conf */
	uint8_t safe;
};

/* A node incarnation: the "process" of extended virtual synchrony. */
struct hc_proc {
	uint32_t node;
	uint32_t inc;
	uint32_t start_ev;
	uint32_t crash_ev;	/* HC_NONE if it never crashes */
	uint32_t last_ev;
	uint32_t dlv_begin;	/* its deliveries, in order, in hc_history.dlv */
	uint32_t dlv_end;
	uint32_t send_off;	/* its messages by counter, in proc_sends */
	uint32_t send_cnt;
	uint32_t conf_first;	/* chain through hc_conf.next */
	uint32_t conf_last;
};

struct hc_dlv {
	uint32_t msg;
	uint32_t proc;
	uint32_t conf;		/* conf current at delivery, HC_NONE if none */
	uint32_t ev;
	uint32_t pos;		/* index among the process's deliveries */
	uint8_t dup;		/* a repeated delivery by the same process */
};

struct hc_node {
	uint32_t id;
	uint32_t proc_first;	/* its incarnations are consecutive procs */
	uint32_t proc_cnt;
};

struct hc_map {
	uint32_t *slot;		/* HC_NONE = empty */
	size_t cap;		/* power of two */
	size_t used;
};

struct hc_history {
	char **files;
	size_t nfiles;

	struct hc_event *ev;
	size_t nev, capev;

	struct hc_conf *conf;
	size_t nconf, capconf;
	uint32_t *mem;
	size_t nmem, capmem;

	struct hc_ring *ring;
	size_t nring, capring;
	struct hc_map ringmap;

	struct hc_msg *msg;
	size_t nmsg, capmsg;
	struct hc_map msgmap;

	/* built */
	int built;
	struct hc_node *node;
	size_t nnode;
	struct hc_proc *proc;
	size_t nproc;
	struct hc_dlv *dlv;
	size_t ndlv;
	uint32_t *msg_dlv;
	uint32_t *proc_sends;
	size_t nsends;
	uint64_t end_t;
	uint32_t end_ev;
	uint64_t faults_end_t;
	uint32_t faults_end_ev;	/* HC_NONE if absent */
	int live_checked;	/* set by the liveness check */
};

/* State of one hc_check() run. */
struct hc_chk {
	struct hc_history *h;
	const struct hc_opts *opts;
	hc_report_fn report;
	void *ctx;
	size_t violations;
	char buf[16][96];	/* rotating buffers for hc_fmt_* */
	unsigned nbuf;
	/* Configurations grouped by identity (see HISTORY.md): byid lists conf
	 * indices sorted by identity, gfirst[conf] is the position in byid
	 * where conf's group starts, ring_reg[ring] a regular conf of the ring. */
	uint32_t *byid;
	uint32_t *gfirst;
	uint32_t *ring_reg;
};

/* Group conf indices by identity; 0 or -ENOMEM. */
int hc_conf_index(struct hc_chk *c);
void hc_conf_index_free(struct hc_chk *c);
/* 1 if confs a and b have the same identity. */
int hc_conf_same(const struct hc_history *h, uint32_t a, uint32_t b);

void hc_violation(struct hc_chk *c, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *hc_fmt_ref(struct hc_chk *c, uint32_t ev);		/* file:line */
const char *hc_fmt_msg(struct hc_chk *c, uint32_t msg);		/* s.i.k */
const char *hc_fmt_proc(struct hc_chk *c, uint32_t proc);	/* node N[/inc] */
const char *hc_fmt_ring(struct hc_chk *c, uint32_t ring);	/* rep:seq */
const char *hc_fmt_members(struct hc_chk *c, const struct hc_conf *cf);

/* A 64-bit mixer (murmur3's finalizer): the hash of the maps, and of the
 * delivered sets failure atomicity compares. */
uint64_t hc_mix64(uint64_t x);
/* 1 if node is among cf's members. */
int hc_conf_has(const struct hc_history *h, const struct hc_conf *cf, uint32_t node);
/* Delivery of msg by proc (first one), or HC_NONE. */
uint32_t hc_find_dlv(const struct hc_history *h, uint32_t msg, uint32_t proc);

/* Property groups (checker_order.c, checker_conf.c, checker_vs.c,
 * checker_live.c). */
void hc_check_duplicates(struct hc_chk *c);
void hc_check_agreed(struct hc_chk *c);
void hc_check_invented(struct hc_chk *c);
void hc_check_self(struct hc_chk *c);
void hc_check_fifo(struct hc_chk *c);
void hc_check_vs(struct hc_chk *c);
void hc_check_safe(struct hc_chk *c);
void hc_check_config(struct hc_chk *c);
void hc_check_liveness(struct hc_chk *c);
/* checker_holes.c */
void hc_check_agreed_holes(struct hc_chk *c);
void hc_check_fifo_holes(struct hc_chk *c);
void hc_check_safe_after_crash(struct hc_chk *c);
/* 1 if delivery d happened in a regular configuration during normal
 * operation for sure (HISTORY.md, agreed-holes). */
int hc_normal_op(const struct hc_chk *c, uint32_t d);
/* 1 if witness delivery wa, of a message of ring `ring`, comes before
 * restarted process p joined the group in that ring (HISTORY.md,
 * "Joining"): not p's to deliver. */
int hc_before_join(const struct hc_history *h, uint32_t p, uint32_t ring, uint32_t wa);

#endif
