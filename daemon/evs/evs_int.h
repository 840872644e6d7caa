/* Internals shared by the EVS layer's files (evs.c: instance, clients and
 * requests; evs_deliver.c: the ordering layer's upcalls).  Not for use
 * outside daemon/evs/. */
#ifndef CPGD_EVS_INT_H
#define CPGD_EVS_INT_H

#include "evs/evs.h"
#include "evs/evs_group.h"

struct evs_client {
	struct evs *evs;
	void *conn;
	uint32_t pid;
	int finalized;
	struct evs_client *next, *prev;
	struct evs_gset groups;
	/* the fragmented message being sent: its groups (as at its first
	 * fragment), guarantee and length, and how much went out */
	int frag_active;
	uint8_t *frag_groups;
	size_t frag_n_groups;
	uint32_t frag_guarantee, frag_msglen, frag_sent;
};

struct evs {
	struct order *order;
	struct evs_sink sink;
	uint32_t nodeid;
	struct evs_client *clients;
	/* the last REGULAR configuration (cur.members owned, in members;
	 * cur.left and cur.joined unset) */
	int have_conf;
	struct evs_conf cur;
	uint32_t *members;
};

/* evs_deliver.c */
void evs_on_deliver(void *arg, uint32_t sender, const void *msg, size_t len);
void evs_on_membership(void *arg, const struct order_membership *m);
void evs_on_flow(void *arg, int blocked);
/* Send the current configuration to one client (no left, no joined). */
void evs_send_current(struct evs *e, struct evs_client *cl);

#endif
