/*
 * The CPG layer: closed process groups on top of the ordering seam.
 *
 * It keeps the groups and their members, turns client requests into
 * messages multicast through order.h, and acts on them only when they are
 * delivered, so that joins, leaves and process deaths reach every member in
 * the same agreed order as the data.  It knows nothing of sockets: each
 * client is an opaque `conn` pointer handed in by the IPC layer, and
 * everything destined for a client goes out through the grp_sink calls;
 * it opens no files either.
 *
 * A fragmented message (grp_partial) that fits the ordering layer is
 * collected and ordered whole, then handed to each member as consecutive
 * `partial` events; a larger one is passed on fragment by fragment.
 *
 * Errors are 0 / -errno; the IPC layer turns them into cs_error_t:
 *   -EEXIST already joined, -EBUSY join/leave in progress, -EAGAIN try
 *   again, -ENAMETOOLONG, -ENOENT not joined, -EINTR membership changed
 *   during a fragmented message, -EINVAL bad argument or fragment order,
 *   -EMSGSIZE too big, -ENODATA end of an iteration, -EBADF unknown
 *   iteration handle, -ENOSPC too many iterations, -ENOMEM.
 *
 * A zero-copy multicast reaches it as bytes through grp_mcast(): the
 * buffer files are the IPC layer's (ipc/ipc_zc.h).
 */
#ifndef CPGD_CPG_H
#define CPGD_CPG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <corosync/cpg.h>
#include <cpgd/cpg_proto.h>

#include "order/order.h"

/* A group name as received: len is kept as sent (it may exceed
 * CPG_MAX_NAME_LENGTH, which the layer refuses); value holds the first bytes. */
struct grp_gname {
	uint32_t len;
	uint8_t value[CPG_MAX_NAME_LENGTH];
};

struct grp_addr {
	uint32_t nodeid;
	uint32_t pid;
	uint32_t reason;
};

/* Reasons (cpg_reason_t) and iteration types (cpg_iteration_type_t) are
 * those of the public header. */

/* Join flag: send a totem confchg right after the joiner's own confchg. */
#define GRP_JOIN_INITIAL_TOTEM_CONF 0x01u

/* Where events go.  Every callback gets the sink's `arg` first (as every
 * upcall in the daemon does); those for one client get its `conn`, what
 * was given to grp_client_new(), next. */
struct grp_sink {
	void (*confchg)(void *arg, void *conn, const struct grp_gname *g,
			const struct grp_addr *members, size_t n_members,
			const struct grp_addr *left, size_t n_left,
			const struct grp_addr *joined, size_t n_joined);
	void (*deliver)(void *arg, void *conn, const struct grp_gname *g,
			uint32_t nodeid, uint32_t pid,
			const void *msg, size_t len);
	void (*partial)(void *arg, void *conn, const struct grp_gname *g,
			uint32_t nodeid, uint32_t pid, uint32_t msglen,
			uint32_t type, const void *frag, size_t fraglen);
	void (*totem_confchg)(void *arg, void *conn, uint32_t ring_rep,
			      uint64_t ring_seq, const uint32_t *members,
			      size_t n_members);
	/* The ordering layer's backlog crossed its high (1) / low (0) mark. */
	void (*flow)(void *arg, int blocked);
	void *arg;
};

struct grp_options {
	/* Largest payload of one message or fragment accepted. */
	size_t max_payload;
};

struct grp;
struct grp_client;

/* Takes over o->user.  0, or -errno with a reason in e (util/err.h):
 * -EMSGSIZE when the ordering layer's max_msg_size cannot carry
 * max_payload plus the CPG layer's header (GRP_MSG_HDR_MAX bytes). */
struct err;
int grp_new(struct order *o, const struct grp_sink *sink,
	    const struct grp_options *opts, struct grp **out, struct err *e);
/* Frees every client and group; the sink is not called any more. */
void grp_destroy(struct grp *c);
uint32_t grp_local_nodeid(const struct grp *c);
int grp_flow_blocked(const struct grp *c);
/* Some local client is (1) or no longer (0) behind on its events: hold
 * every node's senders through the ordering layer (order_hold()); the
 * sink's flow() reports the effect, here as on every node. */
void grp_hold(struct grp *c, int on);

/* A new client: 0, or -ENOMEM with a reason in e. */
int grp_client_new(struct grp *c, void *conn, uid_t uid,
		   struct grp_client **out, struct err *e);
/* The connection is gone: a joined client leaves with PROCDOWN. */
void grp_client_close(struct grp_client *cl);
/* FINALIZE: no more events for this client (it stays a member until its
 * connection closes). */
void grp_client_finalize(struct grp_client *cl);

int grp_join(struct grp_client *cl, const struct grp_gname *g, uint32_t pid,
	     uint32_t flags);
int grp_leave(struct grp_client *cl, const struct grp_gname *g, uint32_t pid);
int grp_mcast(struct grp_client *cl, uint32_t guarantee, const void *msg,
	      size_t len);
int grp_partial(struct grp_client *cl, uint32_t guarantee, uint32_t msglen,
		uint32_t type, const void *frag, size_t fraglen);

/* Members of a group, at most max of them; *n gets the number written. */
int grp_membership(const struct grp *c, const struct grp_gname *g,
		   struct grp_addr *out, size_t max, size_t *n);

/* Iteration over a snapshot taken at init.  g is used by ONE_GROUP only. */
int grp_iter_init(struct grp_client *cl, uint32_t type,
		  const struct grp_gname *g, uint64_t *handle);
int grp_iter_next(struct grp_client *cl, uint64_t handle,
		  struct grp_gname *g, uint32_t *nodeid, uint32_t *pid);
int grp_iter_finalize(struct grp_client *cl, uint64_t handle);

#endif
