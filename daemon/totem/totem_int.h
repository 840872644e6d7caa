/*
 * Totem engine internals shared by its files: the instance struct and the
 * functions one part offers the others.  Not for use outside daemon/totem.
 *
 *   totem_store.c   messages of one ring, indexed by sequence number
 *   totem_order.c   send queue, packing, fragmentation, delivery, reassembly
 *   totem_token.c   the rotating token: retransmission, flow control, aru
 *   totem_memb.c    gather, commit, recovery, install
 *   totem_engine.c  creation, input dispatch, timers, helpers
 */
#ifndef CPGD_TOTEM_INT_H
#define CPGD_TOTEM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "totem/totem.h"
#include "totem/totem_wire.h"

/* ---- message store ---- */

struct tm_msg {
	uint32_t seq;
	uint32_t origin;
	uint8_t flags;			/* TW_MF_* */
	struct totem_ring_id old_ring;	/* TW_MF_ENCAP */
	uint32_t old_seq;
	uint8_t old_flags;
	size_t body_len;
	uint8_t body[];
};

/* Holds the sequence numbers (base, base + TM_STORE_CAP]. */
#define TM_STORE_CAP 4096u

struct tm_store {
	struct tm_msg **slot;
	uint32_t base;		/* everything at or below is gone */
	uint32_t aru;		/* held without a gap up to here */
	uint32_t high;		/* highest held */
	uint32_t delivered;	/* delivered (or skipped) up to here */
};

int tm_store_init(struct tm_store *s);
void tm_store_free(struct tm_store *s);
struct tm_msg *tm_store_get(const struct tm_store *s, uint32_t seq);
/* 1 stored, 0 duplicate or out of range, -ENOMEM. */
int tm_store_put(struct tm_store *s, const struct tw_mcast *m);
/* Forget messages at or below upto. */
void tm_store_gc(struct tm_store *s, uint32_t upto);

/* ---- engine ---- */

enum tm_state {
	TM_GATHER = 0,
	TM_COMMIT,
	TM_RECOVERY,
	TM_OPERATIONAL,
};

/* A node set: up to TOTEM_MAX_NODES ids, ascending. */
struct tm_set {
	uint16_t n;
	uint32_t id[TOTEM_MAX_NODES];
};

struct tm_ring {
	struct totem_ring_id id;
	struct tm_set memb;
	struct tm_store store;
	uint32_t safe_aru;	/* every member held up to this */
};

enum tm_dlv {
	TM_DLV_NORMAL,		/* operational: in order, safe when safe */
	TM_DLV_REG_END,		/* ring over: what still belongs to it */
	TM_DLV_TRANS,		/* ring over: the rest, in the transitional */
};

struct tm_qmsg {
	struct tm_qmsg *next;
	size_t len;
	size_t off;		/* bytes already put in packets */
	uint16_t next_frag;
	uint8_t safe;
	uint32_t msgno;
	uint8_t data[];
};

struct tm_reasm {
	uint32_t node;
	int active;
	uint8_t safe;
	uint16_t next_frag;
	uint32_t msgno;
	size_t len;
	size_t cap;
	uint8_t *buf;
};

struct totem {
	const struct totem_ops *ops;
	void *arg;
	uint64_t now;
	uint32_t me;

	/* configuration, defaults applied */
	uint32_t token_ms, token_coef_ms, token_retransmits, join_ms;
	uint32_t consensus_ms, merge_ms, hold_ms, window, max_messages;
	uint32_t mtu, max_msg_size, backlog_bytes;
	int old_before_trans;
	uint32_t *nodes;
	struct tw_limits lim;
	/* no node list: every node id seen on the wire, so that no set can
	 * overflow (tm_wire_admit in totem_engine.c) */
	struct tm_set known;
	int known_full_warned;
	/* senders of another wire version already warned about */
	struct tm_set version_warned;

	enum tm_state state;
	uint64_t max_seq;		/* highest ring seq seen */
	uint64_t persisted_seq;
	int have_ring;			/* a regular configuration was given */
	struct tm_ring inst;		/* the installed ring */
	struct tm_ring nr;		/* the ring being recovered */
	uint64_t installed_at;
	struct tm_set last_reg;		/* members of the last REGULAR report */

	/* token */
	uint32_t last_token_seq;	/* in the current token ring */
	uint8_t *last_token;		/* as last forwarded, for resending */
	size_t last_token_len;
	uint32_t last_token_to;
	uint32_t last_fwd_seq;		/* seq in the token we forwarded */
	uint32_t retrans_left;
	uint32_t backlog_contrib;	/* our share of token.backlog */
	/* when this node last took in a token, and of which ring (zero:
	 * none yet), for ops->token_rotation */
	uint64_t token_in_us;
	struct totem_ring_id token_in_ring;
	int holding;
	int cancel_sent;		/* hold cancel sent this rotation */
	int cancel_got;			/* a hold cancel came: do not hold */
	struct tw_token held;
	uint32_t timer_armed;		/* bit per enum totem_timer */
	/* when each timer runs out, or ran out, as last armed (0: never) */
	uint64_t timer_due[TOTEM_TIMER_COUNT];
	int loss_grace_given;		/* since we last took in a token */
	uint32_t token_link_resends;	/* left after a link-up resend */
	uint64_t stall_quiet_until;	/* no link evidence before this */

	/* gather */
	struct tm_set proc, fail, consensus;
	struct tm_set heard;		/* sent us a join in this gather */
	struct tm_set unreach;		/* the transport: every link down */
	uint64_t join_sent_at;		/* time of our last join */
	int gather_waited;
	int consensus_reached;
	int commit_sent;
	int commit_resends;		/* left after a link-up resend */

	/* commit and recovery */
	struct tw_commit commit;
	/* ring seq of the commit whose gather's fail set a member's join
	 * ended (end_formation in totem_memb.c): once per formation */
	uint64_t formation_ended;
	struct tm_set trans;		/* survivors of our old ring */
	uint32_t trans_safe;		/* old ring: safe for every member */
	uint32_t rec_next, rec_high;	/* old-ring seqs still to replay */
	int rec_token_made;

	/* send queue */
	struct tm_qmsg *q_head, *q_tail;
	uint32_t next_msgno;
	size_t q_len;
	size_t q_bytes;			/* as backlog_bytes counts them */
	int flow_blocked;
	int flow_reported;		/* last state given to ops->flow */

	struct tm_reasm *reasm;
	size_t n_reasm;

	int busy;			/* inside an input call */
	int left;			/* totem_leave() was called */
	uint8_t *pkt;			/* scratch: packet, then body */
	size_t pkt_cap;
	union tw_packet *dec;		/* scratch decode buffer */
};

/* totem_engine.c */
void tm_log(struct totem *t, enum totem_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tm_timer_arm(struct totem *t, enum totem_timer id, uint64_t ms);
void tm_timer_arm_us(struct totem *t, enum totem_timer id, uint64_t us);
void tm_timer_cancel(struct totem *t, enum totem_timer id);
/* 1 if the tick shows a stall up to now (the timeouts were restarted, see
 * totem.h): the caller drops the expiry it was handling. */
int tm_stall_check(struct totem *t);
void tm_send(struct totem *t, uint32_t to, const void *p, size_t len);
uint64_t tm_token_timeout_ms(const struct totem *t, size_t n);
uint64_t tm_retrans_timeout_us(const struct totem *t, size_t n);

/* sets (ascending arrays); lookups are binary searches */
int tm_set_has(const struct tm_set *s, uint32_t id);
/* 0 (added or present), -ENOSPC when the set holds TOTEM_MAX_NODES ids
 * already (nothing changes).  With a node list no set can reach that, and
 * without one tm_wire_admit() keeps every id of a packet within it. */
int tm_set_add(struct tm_set *s, uint32_t id);
void tm_set_del(struct tm_set *s, uint32_t id);
int tm_set_eq(const struct tm_set *a, const struct tm_set *b);
void tm_set_from(struct tm_set *s, const uint32_t *ids, size_t n);
/* dst |= src; 1 when dst grew, else 0 (ids beyond TOTEM_MAX_NODES are
 * left out, as tm_set_add does) */
int tm_set_union(struct tm_set *dst, const struct tm_set *src);
/* a - b */
void tm_set_minus(struct tm_set *out, const struct tm_set *a,
		  const struct tm_set *b);
uint32_t tm_set_next(const struct tm_set *s, uint32_t id);
int tm_ring_eq(const struct totem_ring_id *a, const struct totem_ring_id *b);

/* totem_order.c */
/* totem_config.backlog_bytes by default: 2 MiB */
#define TM_BACKLOG_BYTES (2u << 20)
/* Our backlog in packets for the token's backlog count (the fair share
 * of the window is in packets): the queued bytes over a packet's room. */
uint32_t tm_order_backlog_packets(const struct totem *t);
/* Fill one packet from the send queue: its encoded length, 0 if empty. */
int tm_order_pack(struct totem *t, const struct totem_ring_id *ring,
		  uint32_t seq);
/* Deliver what is deliverable from the installed ring's store. */
void tm_order_deliver(struct totem *t, enum tm_dlv mode);
void tm_order_reasm_reset(struct totem *t);
void tm_order_queue_rewind(struct totem *t);
void tm_order_queue_free(struct totem *t);
void tm_order_flow_check(struct totem *t);
void tm_order_flow_report(struct totem *t);
/* Put a stored message back on the wire (same ring, same seq). */
void tm_order_resend(struct totem *t, const struct totem_ring_id *ring,
		     const struct tm_msg *m);

/* totem_token.c */
struct tm_ring *tm_token_ring(struct totem *t);
void tm_token_recv(struct totem *t, const struct tw_token *tok);
void tm_token_first(struct totem *t);
void tm_token_hold_fire(struct totem *t);
/* A message was queued: an idle token we hold goes from the next timer
 * input (no upcall runs inside totem_mcast()); the representative uses it
 * for its own messages first, a ring of one takes it in again. */
void tm_token_hold_use_soon(struct totem *t);
void tm_token_retrans_fire(struct totem *t);
void tm_token_evidence(struct totem *t, const struct tw_mcast *m);
void tm_token_stop(struct totem *t);
void tm_token_hold_cancel(struct totem *t);
/* The link to node is up again: resend the token we still resend to it. */
void tm_token_link_up(struct totem *t, uint32_t node);
/* A member was unreachable on every link and is back (totem_token.c). */
void tm_token_member_back(struct totem *t, uint32_t node);

/* totem_memb.c */
void tm_memb_gather(struct totem *t, int from_operational);
/* The consensus timeout starts again (after a stall of ours). */
void tm_memb_consensus_restart(struct totem *t);
void tm_memb_join_recv(struct totem *t, const struct tw_join *j);
void tm_memb_commit_recv(struct totem *t, const struct tw_commit *c);
void tm_memb_join_fire(struct totem *t);
void tm_memb_consensus_fire(struct totem *t);
void tm_memb_merge_fire(struct totem *t);
void tm_memb_foreign(struct totem *t, const struct tw_hdr *h);
void tm_memb_install(struct totem *t);
void tm_memb_leave(struct totem *t);
void tm_memb_recovery_mcast(struct totem *t, const struct tw_mcast *m);
/* Fail, while gathering, the lost ring's members the transport reports
 * unreachable and that sent no join in this gather. */
void tm_memb_evidence(struct totem *t);
/* The link to node is up again: a merge probe to it if it is of another
 * ring and we represent ours; else resend a commit token it may have lost. */
void tm_memb_link_up(struct totem *t, uint32_t node);
/* Old-ring messages to replay during recovery; sends up to budget. */
uint32_t tm_memb_replay(struct totem *t, uint32_t budget, uint32_t *seq);
int tm_memb_replay_pending(const struct totem *t);

#endif
