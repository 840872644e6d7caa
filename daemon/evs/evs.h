/*
 * The EVS layer: extended virtual synchrony groups on top of the ordering
 * seam (order.h), beside the CPG layer and unaware of it.
 *
 * An EVS group is 32 bytes.  A client joins and leaves groups locally
 * (no message goes out: membership of a group is known only on the
 * client's own node).  A multicast names its groups (or the sender's
 * joined ones, taken when it is sent) and is ordered whole through
 * order.h; on delivery, every local client that has joined at least one
 * of the message's groups receives it once.  A message larger than one
 * request comes as fragments, each ordered on its own and handed to the
 * receivers as consecutive `deliver` calls with its fragment type, for
 * the library to reassemble.
 *
 * Configuration changes are about nodes: every REGULAR configuration goes
 * to every client with its members, who left and who joined, and its ring
 * id, in order with the messages; a new client gets the current one at
 * once.  Transitional configurations are not shown (EVS's callback cannot
 * tell them apart).
 *
 * Flow control: while the ordering layer is over its high mark, a new
 * message is refused with -EAGAIN (the client's CS_ERR_TRY_AGAIN); the
 * rest of a fragmented message already under way is still taken.
 *
 * It knows nothing of sockets: each client is an opaque `conn` of the IPC
 * layer, and events go out through the evs_sink calls.
 *
 * Errors are 0 / -errno:  -EINVAL bad argument or fragment order, -E2BIG
 * more than EVS_GROUPS_MAX groups in one request, -ENOSPC a client's
 * joined groups would exceed EVS_GROUPS_MAX, -ENOENT leaving a group not
 * joined, -EMSGSIZE too big, -EAGAIN flow control, -ENOMEM.
 */
#ifndef CPGD_EVS_H
#define CPGD_EVS_H

#include <stddef.h>
#include <stdint.h>

#include "order/order.h"

#define EVS_GROUP_LEN 32
#define EVS_GROUPS_MAX 1024
/* Largest whole message, fragmented or not. */
#define EVS_MSG_MAX (256u << 20)

/* evs_guarantee_t */
#define EVS_GUARANTEE_SAFE 3

/* Fragment types, as in the client protocol (0: a whole message). */
enum evs_frag {
	EVS_FRAG_WHOLE = 0,
	EVS_FRAG_BEGIN = 1,
	EVS_FRAG_MORE = 2,
	EVS_FRAG_END = 3,
};

/* A configuration as clients are told it. */
struct evs_conf {
	uint32_t ring_rep;
	uint64_t ring_seq;
	const uint32_t *members;
	size_t n_members;
	const uint32_t *left;
	size_t n_left;
	const uint32_t *joined;
	size_t n_joined;
};

/* Every callback gets the sink's `arg` first; those for one client get
 * its `conn` (given to evs_client_new()) next, as in cpg.h. */
struct evs_sink {
	void (*deliver)(void *arg, void *conn, uint32_t nodeid, uint32_t pid,
			uint32_t msglen, uint32_t frag, const void *data,
			size_t len);
	void (*confchg)(void *arg, void *conn, const struct evs_conf *c);
	/* The ordering layer's backlog crossed its high (1) / low (0) mark. */
	void (*flow)(void *arg, int blocked);
	void *arg;
};

/* One multicast request. */
struct evs_send {
	uint32_t guarantee;		/* evs_guarantee_t, 0..3 */
	int joined;			/* to the client's joined groups */
	const uint8_t *groups;		/* n_groups * EVS_GROUP_LEN, !joined */
	size_t n_groups;
	uint32_t frag;			/* enum evs_frag */
	uint32_t msglen;		/* the whole message */
	const void *data;		/* this request's bytes */
	size_t len;
};

struct evs;
struct evs_client;

/* Takes over o->user.  0, or -errno with a reason in e (util/err.h). */
struct err;
int evs_new(struct order *o, const struct evs_sink *sink, struct evs **out,
	    struct err *e);
/* Frees every client; the sink is not called any more. */
void evs_destroy(struct evs *e);
uint32_t evs_local_nodeid(const struct evs *e);
int evs_flow_blocked(const struct evs *e);

/* A new client; it is sent the current configuration, if one is known.
 * 0, or -ENOMEM with a reason in err. */
int evs_client_new(struct evs *e, void *conn, uint32_t pid,
		   struct evs_client **out, struct err *err);
void evs_client_close(struct evs_client *cl);
/* No more events for this client. */
void evs_client_finalize(struct evs_client *cl);

int evs_client_join(struct evs_client *cl, const uint8_t *groups, size_t n);
int evs_client_leave(struct evs_client *cl, const uint8_t *groups, size_t n);
int evs_client_mcast(struct evs_client *cl, const struct evs_send *s);

/* The current configuration's node ids, at most max; *n the number. */
int evs_members(const struct evs *e, uint32_t *out, size_t max,
		   size_t *n);

/* For the status: calls fn for every client (its pid and joined groups)
 * until fn returns non-zero, which is returned. */
typedef int (*evs_client_fn)(void *arg, uint32_t pid, const uint8_t *groups,
			     size_t n_groups);
int evs_clients_walk(const struct evs *e, evs_client_fn fn, void *arg);

#endif
