/*
 * Internals shared by the CPG layer's files (cpg.c: clients and requests;
 * grp_deliver.c: acting on delivered messages and configurations;
 * grp_group.c: groups and members; grp_iter.c: membership and iteration).
 * Not for use outside daemon/grp/.
 */
#ifndef CPGD_CPG_INT_H
#define CPGD_CPG_INT_H

#include "grp/grp.h"

/* A local client's standing in its group, as corosync names them. */
enum grp_cl_state {
	CL_UNJOINED,
	CL_JOIN_STARTED,	/* join sent, its confchg not delivered yet */
	CL_JOINED,
	CL_LEAVE_STARTED,	/* leave sent, its confchg not delivered yet */
};

struct grp_member {
	uint32_t nodeid;
	uint32_t pid;
};

struct grp_group {
	struct grp_group *next, *prev;
	struct grp_gname name;
	struct grp_member *m;		/* sorted by (nodeid, pid) */
	size_t n, cap;
	struct grp_client *clients;	/* local clients attached to it */
};

struct grp_iter_ent {
	struct grp_gname name;
	uint32_t nodeid, pid;
};

struct grp_iter {
	struct grp_iter *next;
	uint64_t handle;
	struct grp_iter_ent *ents;
	size_t n, pos;
};

struct grp_client {
	struct grp *cpg;
	void *conn;
	uid_t uid;
	struct grp_client *next, *prev;		/* every client */
	struct grp_client *g_next, *g_prev;	/* on grp->clients */
	struct grp_group *grp;			/* set unless UNJOINED */
	enum grp_cl_state state;
	int finalized;
	uint32_t pid, flags;
	int totem_conf_sent;
	uint64_t confchgs;		/* confchg events sent to it */
	/* the fragmented message being sent, if any; collected in `whole`
	 * when it fits the ordering layer, else passed on fragment by
	 * fragment */
	int frag_active;
	uint32_t frag_msglen, frag_sent;
	uint64_t frag_mark;
	uint32_t frag_guarantee;
	uint8_t *whole;
	struct grp_iter *iters;
	unsigned int n_iters;
	uint64_t next_handle;
};

/* A control message waiting for room in the ordering layer. */
struct grp_pending {
	struct grp_pending *next;
	size_t len;
	uint8_t data[];
};

struct grp {
	struct order *order;
	struct grp_sink sink;
	size_t max_payload;
	uint32_t nodeid;
	struct grp_group *groups;
	struct grp_client *clients;
	/* the current ring, from the last REGULAR configuration */
	uint32_t ring_rep;
	uint64_t ring_seq;
	uint32_t *ring;
	size_t n_ring;
	uint32_t *joined;		/* nodes new to us in that configuration */
	size_t n_joined;
	/* members of joined nodes that left in this configuration: a SYNC
	 * may be older than their leave, so it must not bring them back */
	struct grp_iter_ent *departed;
	size_t n_departed, cap_departed;
	/* the nodes that moved with us into the coming configuration: the
	 * last TRANSITIONAL one since the last REGULAR one, if any */
	uint32_t *carried;
	size_t n_carried;
	int have_carried;
	struct grp_pending *pend_head, *pend_tail;
};

#define GRP_MAX_ITERS 64
/* Largest fragmented message collected and ordered whole. */
#define GRP_WHOLE_MAX ((size_t)16 << 20)

/* grp_group.c */
int grp_gname_eq(const struct grp_gname *a, const struct grp_gname *b);
struct grp_group *grp_group_find(const struct grp *c,
				 const struct grp_gname *g);
struct grp_group *grp_group_get(struct grp *c, const struct grp_gname *g);
/* Free the group if it has neither members nor attached clients. */
void grp_group_put(struct grp *c, struct grp_group *grp);
void grp_group_free_all(struct grp *c);
long grp_group_member_find(const struct grp_group *grp, uint32_t nodeid,
			   uint32_t pid);
int grp_group_member_add(struct grp_group *grp, uint32_t nodeid,
			 uint32_t pid);
void grp_group_member_del(struct grp_group *grp, size_t idx);
void grp_group_attach(struct grp_group *grp, struct grp_client *cl);
void grp_group_detach(struct grp_client *cl);
/* Send a confchg with the group's current members to its local clients
 * that are joined or leaving. */
void grp_group_notify(struct grp *c, struct grp_group *grp,
		      const struct grp_addr *left, size_t n_left,
		      const struct grp_addr *joined, size_t n_joined);

/* cpg.c */
/* Multicast a control message; queued for later if the layer is full. */
int grp_send_ctl(struct grp *c, const void *msg, size_t len);
void grp_pending_flush(struct grp *c);
void grp_send_totem_conf(struct grp *c, struct grp_client *cl);

/* grp_deliver.c */
void grp_on_deliver(void *arg, uint32_t sender, const void *msg,
		    size_t len);
void grp_on_membership(void *arg, const struct order_membership *m);
void grp_on_flow(void *arg, int blocked);

/* grp_iter.c */
void grp_iter_free_all(struct grp_client *cl);

#endif
