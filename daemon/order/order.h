/*
 * The ordering seam.
 *
 * The CPG layer (daemon/grp/) sees only this interface: "multicast these
 * bytes", "here is a delivered message", "here is a new configuration".
 * Behind it stands either the one-node local sequencer (order_local.h) or
 * the Totem engine driven over kronosnet.  Either implementation must keep
 * these promises:
 *
 *  - Every message given to order_mcast() is delivered exactly once, through
 *    user.deliver, to every node of the configuration in which it was sent
 *    that stays with the sender, in one order agreed by all of them, the
 *    sender included.  Messages are delivered whole; the implementation
 *    packs and fragments underneath.
 *  - Upcalls run from the daemon's main loop, never from inside a call into
 *    the ordering layer (order_mcast() returns before its own message is
 *    delivered).
 *  - A membership change is reported as a TRANSITIONAL configuration (the
 *    survivors of the old ring) followed by a REGULAR one (the new ring),
 *    each in agreed order with the messages: messages of the old ring are
 *    delivered before the transitional configuration.  The first report after
 *    start-up is a REGULAR configuration.
 *  - ORDER_SAFE messages are delivered only once every member of the ring is
 *    known to hold them; at a ring change, the old ring's last safe messages
 *    once every member that survives into the transitional configuration
 *    holds them (the price of delivering them before it, as above).
 *  - Flow control is cluster-wide: user.flow(1) while this node's backlog
 *    is above its high mark, this node's own messages in flight (sent, not
 *    yet delivered back here) are above theirs, or any node of the ring
 *    holds (order_hold()); user.flow(0) once none of that is true.  The
 *    user stops feeding order_mcast() on flow(1), so what reaches a node
 *    after it asked for a hold is bounded (see each implementation).
 *  - Readiness: the ready upcall (order_set_ready()) is called once, at
 *    the first REGULAR configuration, just before the user hears of it:
 *    from then on this node delivers.  It is apart from the user, so it
 *    holds whatever takes the user over (order_mux.h, a status tap) and
 *    in whatever order those are set up.  The implementations behind the
 *    seam report it; the multiplexer's service orders do not.
 *
 * Constructors follow util/err.h: int x_new(..., struct x **out,
 * struct err *e).  Other errors are 0 / -errno.
 */
#ifndef CPGD_ORDER_H
#define CPGD_ORDER_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

enum order_guarantee {
	ORDER_AGREED = 0,
	ORDER_SAFE = 1,
};

enum order_conf_type {
	ORDER_CONF_TRANSITIONAL = 0,
	ORDER_CONF_REGULAR = 1,
};

struct order_ring_id {
	uint32_t rep;		/* representative node id */
	uint64_t seq;		/* never goes backwards, even across restarts */
};

struct order_membership {
	enum order_conf_type type;
	struct order_ring_id ring;
	const uint32_t *members;	/* node ids, ascending */
	size_t n_members;
	const uint32_t *left;		/* relative to the previous REGULAR one */
	size_t n_left;
	const uint32_t *joined;
	size_t n_joined;
};

/* What the ordering layer tells its user. */
struct order_user {
	void (*deliver)(void *arg, uint32_t sender_nodeid,
			const void *msg, size_t len);
	void (*membership)(void *arg, const struct order_membership *m);
	/* Backlog crossed its high (blocked = 1) or low (0) mark. */
	void (*flow)(void *arg, int blocked);
	void *arg;
};

/* Counters of an implementation, for status tools; what it does not keep
 * stays 0 (deliveries, configurations and flow changes are counted above
 * the seam, by the status tap). */
struct order_stats {
	uint64_t mcast_msgs, mcast_bytes;	/* taken by order_mcast() */
	uint64_t packets_in, packets_out;
	uint64_t mtu;			/* packet size in force */
	/* Time between two tokens taken in by this node in one ring (the
	 * last one, the longest since start), and the token timeout of the
	 * current ring, as the Totem engine reports them; 0 until
	 * measured. */
	uint64_t token_rotation_us, token_rotation_max_us;
	uint64_t token_timeout_us;
	/* Messages queued for the ring, not yet sent, and their bytes (the
	 * engine's send backlog, bounded in bytes). */
	uint64_t backlog_msgs, backlog_bytes;
};

/* This node can deliver: its first REGULAR configuration, m. */
typedef void (*order_ready_fn)(void *arg, const struct order_membership *m);

struct order;

struct order_ops {
	/* 0, -EAGAIN when the backlog is full, -EMSGSIZE above max_msg_size. */
	int (*mcast)(struct order *o, const struct iovec *iov,
		     unsigned int iovcnt, enum order_guarantee g);
	uint32_t (*nodeid)(const struct order *o);
	size_t (*max_msg_size)(const struct order *o);
	int (*flow_blocked)(const struct order *o);
	/* May be NULL: the implementation cannot hold the cluster. */
	void (*hold)(struct order *o, int on);
	void (*destroy)(struct order *o);
	/* May be NULL: the implementation keeps no counters. */
	void (*stats)(const struct order *o, struct order_stats *st);
	/* May be NULL: there are no peers to tell. */
	void (*leave)(struct order *o);
};

/* Every implementation embeds this as its first member. */
struct order {
	const struct order_ops *ops;
	struct order_user user;
	/* set by order_set_ready(), called by order_report_membership() */
	order_ready_fn ready;
	void *ready_arg;
	int ready_done;
};

static inline int order_mcast(struct order *o, const struct iovec *iov,
			      unsigned int iovcnt, enum order_guarantee g)
{
	return o->ops->mcast(o, iov, iovcnt, g);
}

static inline uint32_t order_nodeid(const struct order *o)
{
	return o->ops->nodeid(o);
}

static inline size_t order_max_msg_size(const struct order *o)
{
	return o->ops->max_msg_size(o);
}

static inline int order_flow_blocked(const struct order *o)
{
	return o->ops->flow_blocked(o);
}

/*
 * This node's deliveries are not being consumed (a local client is behind
 * on its events): on = 1 asks every node of the ring to report flow(1) to
 * its user, so that senders everywhere pause; on = 0 withdraws the request.
 * Idempotent; a node's hold ends when it leaves the ring.
 */
static inline void order_hold(struct order *o, int on)
{
	if (o->ops->hold)
		o->ops->hold(o, on);
}

/* 0 and the implementation's counters in *st, or -ENOTSUP when it keeps
 * none (*st is then zeroed). */
static inline int order_stats(const struct order *o, struct order_stats *st)
{
	*st = (struct order_stats){ 0 };
	if (!o->ops->stats)
		return -ENOTSUP;
	o->ops->stats(o, st);
	return 0;
}

/* Ask for the ready upcall (see the promises above); set it before the
 * main loop first runs.  fn NULL: none. */
static inline void order_set_ready(struct order *o, order_ready_fn fn,
				   void *arg)
{
	o->ready = fn;
	o->ready_arg = arg;
}

/* For implementations: every configuration goes to the user through this,
 * which makes the ready upcall first at the first REGULAR one. */
static inline void order_report_membership(struct order *o,
					   const struct order_membership *m)
{
	if (m->type == ORDER_CONF_REGULAR && !o->ready_done) {
		o->ready_done = 1;
		if (o->ready)
			o->ready(o->ready_arg, m);
	}
	if (o->user.membership)
		o->user.membership(o->user.arg, m);
}

/* The daemon stops: tell the peers that this node leaves, so that they
 * go on without it at once instead of after a timeout.  Nothing is
 * delivered afterwards; order_destroy() comes next.  NULL is ignored. */
static inline void order_leave(struct order *o)
{
	if (o && o->ops->leave)
		o->ops->leave(o);
}

static inline void order_destroy(struct order *o)
{
	if (o)
		o->ops->destroy(o);
}

#endif
