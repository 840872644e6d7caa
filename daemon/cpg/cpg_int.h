/*
 * Internals shared by the CPG layer's files (cpg.c: clients and requests;
 * cpg_deliver.c: acting on delivered messages and configurations;
 * cpg_group.c: groups and members; cpg_iter.c: membership and iteration).
 * Not for use outside daemon/cpg/.
 */
#ifndef CPGD_CPG_INT_H
#define CPGD_CPG_INT_H

#include "cpg/cpg.h"

/* A local client's standing in its group, as corosync names them. */
enum cpg_cl_state {
	CL_UNJOINED,
	CL_JOIN_STARTED,	/* join sent, its confchg not delivered yet */
	CL_JOINED,
	CL_LEAVE_STARTED,	/* leave sent, its confchg not delivered yet */
};

struct cpg_member {
	uint32_t nodeid;
	uint32_t pid;
};

struct cpg_group {
	struct cpg_group *next, *prev;
	struct cpg_gname name;
	struct cpg_member *m;		/* sorted by (nodeid, pid) */
	size_t n, cap;
	struct cpg_client *clients;	/* local clients attached to it */
};

struct cpg_iter_ent {
	struct cpg_gname name;
	uint32_t nodeid, pid;
};

struct cpg_iter {
	struct cpg_iter *next;
	uint64_t handle;
	struct cpg_iter_ent *ents;
	size_t n, pos;
};

struct cpg_client {
	struct cpg *cpg;
	void *conn;
	uid_t uid;
	struct cpg_client *next, *prev;		/* every client */
	struct cpg_client *g_next, *g_prev;	/* on grp->clients */
	struct cpg_group *grp;			/* set unless UNJOINED */
	enum cpg_cl_state state;
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
	struct cpg_iter *iters;
	unsigned int n_iters;
	uint64_t next_handle;
};

/* A control message waiting for room in the ordering layer. */
struct cpg_pending {
	struct cpg_pending *next;
	size_t len;
	uint8_t data[];
};

struct cpg {
	struct order *order;
	struct cpg_sink sink;
	size_t max_payload;
	uint32_t nodeid;
	struct cpg_group *groups;
	struct cpg_client *clients;
	/* the current ring, from the last REGULAR configuration */
	uint32_t ring_rep;
	uint64_t ring_seq;
	uint32_t *ring;
	size_t n_ring;
	uint32_t *joined;		/* nodes new to us in that configuration */
	size_t n_joined;
	/* members of joined nodes that left in this configuration: a SYNC
	 * may be older than their leave, so it must not bring them back */
	struct cpg_iter_ent *departed;
	size_t n_departed, cap_departed;
	/* the nodes that moved with us into the coming configuration: the
	 * last TRANSITIONAL one since the last REGULAR one, if any */
	uint32_t *carried;
	size_t n_carried;
	int have_carried;
	struct cpg_pending *pend_head, *pend_tail;
};

#define CPG_MAX_ITERS 64
/* Largest fragmented message collected and ordered whole. */
#define CPG_WHOLE_MAX ((size_t)16 << 20)

/* cpg_group.c */
int cpg_gname_eq(const struct cpg_gname *a, const struct cpg_gname *b);
struct cpg_group *cpg_group_find(const struct cpg *c,
				 const struct cpg_gname *g);
struct cpg_group *cpg_group_get(struct cpg *c, const struct cpg_gname *g);
/* Free the group if it has neither members nor attached clients. */
void cpg_group_put(struct cpg *c, struct cpg_group *grp);
void cpg_group_free_all(struct cpg *c);
long cpg_group_member_find(const struct cpg_group *grp, uint32_t nodeid,
			   uint32_t pid);
int cpg_group_member_add(struct cpg_group *grp, uint32_t nodeid,
			 uint32_t pid);
void cpg_group_member_del(struct cpg_group *grp, size_t idx);
void cpg_group_attach(struct cpg_group *grp, struct cpg_client *cl);
void cpg_group_detach(struct cpg_client *cl);
/* Send a confchg with the group's current members to its local clients
 * that are joined or leaving. */
void cpg_group_notify(struct cpg *c, struct cpg_group *grp,
		      const struct cpg_addr *left, size_t n_left,
		      const struct cpg_addr *joined, size_t n_joined);

/* cpg.c */
/* Multicast a control message; queued for later if the layer is full. */
int cpg_send_ctl(struct cpg *c, const void *msg, size_t len);
void cpg_pending_flush(struct cpg *c);
void cpg_send_totem_conf(struct cpg *c, struct cpg_client *cl);

/* cpg_deliver.c */
void cpg_on_deliver(void *arg, uint32_t sender, const void *msg,
		    size_t len);
void cpg_on_membership(void *arg, const struct order_membership *m);
void cpg_on_flow(void *arg, int blocked);

/* cpg_iter.c */
void cpg_iter_free_all(struct cpg_client *cl);

#endif
