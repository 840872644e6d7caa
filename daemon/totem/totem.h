/*
 * The Totem single-ring ordering and membership engine.
 *
 * A pure state machine: it owns no socket, clock or timer and keeps no
 * file-scope state, so many instances can live in one process (the
 * simulator runs one per node).  A driver feeds it three kinds of input --
 * a packet arrived, a timer fired, the user wants to send -- each with the
 * current time, and carries out what the engine asks through the ops table
 * given at creation: send a packet, arm or cancel a timer, deliver a
 * message, report a configuration, persist the ring sequence number, log.
 *
 * Guarantees (extended virtual synchrony, as in the ordering seam
 * daemon/order/order.h):
 *  - messages are delivered once, whole, in one agreed order on every node
 *    of the configuration they were sent in;
 *  - a membership change is reported as a TRANSITIONAL configuration (the
 *    survivors of the old ring) and then a REGULAR one; the old ring's
 *    messages are all delivered before the transitional one; the first
 *    report after creation is a REGULAR configuration;
 *  - SAFE messages are delivered only once every ring member holds them
 *    (or, for the old ring's last messages, once every survivor does).
 *
 * Upcalls are made only from inside totem_input_*() calls, never from
 * totem_mcast().  Errors are 0 / -errno.
 */
#ifndef CPGD_TOTEM_H
#define CPGD_TOTEM_H

#include <stddef.h>
#include <stdint.h>

enum totem_guarantee {
	TOTEM_AGREED = 0,
	TOTEM_SAFE = 1,
};

enum totem_conf_type {
	TOTEM_CONF_TRANSITIONAL = 0,
	TOTEM_CONF_REGULAR = 1,
};

/* Timers the engine may ask for; each id is armed at most once at a time. */
enum totem_timer {
	TOTEM_TIMER_TOKEN_LOSS = 0,	/* token (or commit token) lost */
	TOTEM_TIMER_TOKEN_RETRANS,	/* resend the token we forwarded */
	TOTEM_TIMER_TOKEN_HOLD,		/* pass an idle token on (or to self) */
	TOTEM_TIMER_JOIN,		/* resend our join while gathering */
	TOTEM_TIMER_CONSENSUS,		/* give up on silent nodes */
	TOTEM_TIMER_MERGE,		/* announce our ring to other rings */
	TOTEM_TIMER_TICK,		/* periodic: notice our own stalls */
	TOTEM_TIMER_COUNT
};

enum totem_log_level {
	TOTEM_LOG_DEBUG = 0,
	TOTEM_LOG_INFO,
	TOTEM_LOG_WARNING,
	TOTEM_LOG_ERROR,
};

struct totem_ring_id {
	uint32_t rep;		/* representative: lowest node id of the ring */
	uint64_t seq;		/* grows with every ring, also across restarts */
};

struct totem_conf {
	enum totem_conf_type type;
	struct totem_ring_id ring;
	const uint32_t *members;	/* ascending */
	size_t n_members;
	const uint32_t *left;		/* relative to the previous REGULAR */
	size_t n_left;
	const uint32_t *joined;
	size_t n_joined;
};

#define TOTEM_TO_ALL 0u		/* destination of a broadcast */

/*
 * The largest ring: a node list, a membership and every node set on the
 * wire hold at most this many node ids (corosync's nodelist limit; knet
 * allows more hosts).  totem_new() refuses a longer node list; an
 * engine without one takes part with at most this many distinct node ids
 * and drops, with a warning, packets that would add more.
 */
#define TOTEM_MAX_NODES 384

struct totem_ops {
	/* Send a packet to every other node (to == TOTEM_TO_ALL) or to one. */
	void (*send)(void *arg, uint32_t to, const void *pkt, size_t len);
	void (*timer_arm)(void *arg, enum totem_timer t, uint64_t after_us);
	void (*timer_cancel)(void *arg, enum totem_timer t);
	void (*deliver)(void *arg, uint32_t sender, const void *msg,
			size_t len, enum totem_guarantee g);
	void (*conf)(void *arg, const struct totem_conf *c);
	/* Store seq durably; it is handed back as totem_config.ring_seq. */
	void (*persist_seq)(void *arg, uint64_t seq);
	/* Send backlog crossed its high (blocked = 1) or low (0) mark; may be
	 * NULL.  Reported from the next input after totem_mcast() filled it. */
	void (*flow)(void *arg, int blocked);
	/* May be NULL. */
	void (*log)(void *arg, enum totem_log_level lvl, const char *msg);
	/*
	 * May be NULL.  This node took in a token of its ring (operational
	 * or recovering): rotation_us is the time since it took in the
	 * previous token of the same ring (0 for the first one of a ring:
	 * a rotation never spans a membership change), timeout_us the token
	 * timeout in force for the ring.  For status and the warning of a
	 * rotation close to the timeout; the times are those given with
	 * the inputs.
	 */
	void (*token_rotation)(void *arg, uint64_t rotation_us,
			       uint64_t timeout_us);
};

struct totem_config {
	uint32_t nodeid;		/* non-zero */
	uint64_t ring_seq;		/* highest seq persisted so far (0 first) */
	/* Optional list of every node id allowed on the wire (NULL: any);
	 * at most TOTEM_MAX_NODES ids. */
	const uint32_t *nodes;
	size_t n_nodes;
	/* Timeouts in milliseconds; 0 picks the default. */
	uint32_t token_ms;		/* 3000 */
	uint32_t token_coefficient_ms;	/* 650 per node beyond two (of the
					 * node list, else of the ring) */
	/* 1: token_coefficient_ms is used as given, 0 included (no
	 * per-node addition); 0: a 0 there picks the default. */
	int token_coefficient_set;
	uint32_t token_retransmits;	/* 4 before the token counts as lost */
	uint32_t join_ms;		/* 50 */
	uint32_t consensus_ms;		/* 1.2 x token */
	uint32_t merge_ms;		/* 200 */
	uint32_t hold_ms;		/* idle token hold: 180 */
	/* Both count packets (frames), whatever their size, as corosync's
	 * keys of these names do. */
	uint32_t window_size;		/* 50 */
	uint32_t max_messages;		/* 17 per token visit */
	uint32_t mtu;			/* packet size limit, bytes: 1400 */
	uint32_t max_msg_size;		/* 1 MiB */
	/*
	 * The send queue's high mark in bytes (each message counts its
	 * length plus its 11-byte chunk header): flow control goes on when
	 * the queue reaches it, off again at half.  totem_mcast() refuses
	 * with -EAGAIN only what would take the queue beyond it by more
	 * than one largest message (max_msg_size): while flow control is
	 * off, every message is taken.  Default 2 MiB, about two token
	 * visits of 64 KiB frames.
	 */
	uint32_t backlog_bytes;
	/*
	 * 0 (extended virtual synchrony): at a ring change, the old ring's
	 * messages every member is known to hold are delivered before the
	 * TRANSITIONAL report, the rest after it.  1: all of them before it
	 * (a safe message delivered then is held by every survivor only).
	 */
	int old_before_trans;
};

struct totem;

/* 0 and *out, or (util/err.h) -EINVAL on a bad config (node list longer
 * than TOTEM_MAX_NODES included), -ENOMEM without memory, with a reason
 * in e (may be NULL). */
struct err;
int totem_new(const struct totem_config *cfg, const struct totem_ops *ops,
	      void *arg, uint64_t now_us, struct totem **out, struct err *e);
void totem_destroy(struct totem *t);

/* A packet from node `from` (as the transport authenticated it). */
void totem_input_packet(struct totem *t, uint32_t from, const void *pkt,
			size_t len, uint64_t now_us);
void totem_input_timer(struct totem *t, enum totem_timer timer,
		       uint64_t now_us);
/*
 * TOTEM_TIMER_TICK runs every 100 ms.  When it comes much later than asked
 * (by a quarter of the token timeout, at least 300 ms), or another timer
 * finds it that late, this process did not run meanwhile (SIGSTOP, a
 * frozen VM, a starved CPU): the token and consensus timeouts that ran out
 * meanwhile measured that stall, not the ring, and start again from now;
 * and the transport's "unreachable" reports of the next token timeout are
 * not taken as evidence (our own link state went stale with us).  A token
 * we forwarded is sent again to a node that becomes reachable, then three
 * more times 150 ms apart unless the token is seen to go on: the receiver
 * may still take our links as down for a while and drop it.
 */
/*
 * The transport's evidence about a node: reachable = 0 when every link to
 * it is down (no answer to the transport's own probes), 1 when one is up
 * again.  Nodes are taken as reachable until told otherwise.  Evidence
 * never ends a ring (the token timeout alone does); while gathering after
 * a ring was lost, a member of that ring that is unreachable and has not
 * sent a join in this gather is failed at once instead of at the
 * consensus timeout.  A node that becomes reachable gets at once a token
 * or commit token we still owe it and, if it is not of our ring and we are
 * the ring's representative, a merge probe.  Unknown or own node ids are
 * ignored.
 */
void totem_input_reachable(struct totem *t, uint32_t node, int reachable,
			   uint64_t now_us);
/* Queue a message: 0, -EAGAIN when the backlog is full, -EMSGSIZE when too
 * large, -EINVAL for an empty one, -ENOMEM. */
int totem_mcast(struct totem *t, const void *msg, size_t len,
		enum totem_guarantee g, uint64_t now_us);

uint32_t totem_nodeid(const struct totem *t);
size_t totem_max_msg_size(const struct totem *t);
int totem_flow_blocked(const struct totem *t);
/* The transport's payload MTU changed: later packets use it.  0, -EINVAL
 * outside 256..65536.  Packets from peers are accepted up to 64 KiB. */
int totem_set_mtu(struct totem *t, uint32_t mtu);
/* The MTU packets are built to now. */
uint32_t totem_mtu(const struct totem *t);
/* Queued, not yet ordered messages, and their bytes as backlog_bytes
 * counts them. */
size_t totem_backlog(const struct totem *t);
size_t totem_backlog_bytes(const struct totem *t);

/*
 * The node stops: announce it so the others form a ring without it at
 * once instead of after a token timeout.  Sends a join that lists this
 * node as failed (twice: one loss must not cost the others a token
 * timeout), cancels every timer and makes the engine inert: later inputs
 * are ignored and totem_mcast() returns -ESHUTDOWN.  Messages still queued
 * are dropped, as at a crash.  Makes no upcall.  Then totem_destroy().
 */
void totem_leave(struct totem *t, uint64_t now_us);

#endif
