/*
 * The status service: what cpgd-tool shows (groups, ring, links, counters),
 * served over libqb IPC as "cpgd-status" (protocol: status_proto.h).
 *
 * This layer knows nothing of the CPG, ordering or network layers.  The
 * daemon hands it a table of sources at start-up; on every request each
 * source is called and reports what it knows through the status_* emitters
 * below, which own the JSON layout.  Any source may be NULL: its section
 * is then null in the reply (a single-node daemon has no links).
 *
 * What the daemon provides (daemon/main.c), with the ready-made adapters of
 * status_sources.h:
 *
 *   status_tap_install(&d->tap, d->order);   after order_mux_new()
 *   d->net_src.net = d->net; d->net_src.cfg = &d->config;   (knet only)
 *   struct status_sources src = {
 *       .groups = status_src_cpg_groups,  .groups_arg = d->cpg,
 *       .ring   = status_src_ring,        .ring_arg = &d->tap,
 *       .links  = status_src_net_links,   .links_arg = &d->net_src,  (knet only)
 *       .counters = {
 *           { status_src_tap_counters,   &d->tap },
 *           { status_src_order_counters, d->order },     (none for one node)
 *           { status_src_net_counters,   &d->net_src },  (knet only)
 *       },
 *   };
 *   status_new(&src, &d->status, &e);
 *   status_start(d->status);          after the main loop exists
 *   ...
 *   status_destroy(d->status);        before the sources go away
 *   status_tap_remove(&d->tap);       after grp_destroy(), before
 *                                     order_destroy()
 *
 * Counters that need a layer to tell more than its header offers today
 * come in as one more counter source each, e.g. for the IPC clients
 * (given an accessor such as ipc_server_n_clients() in ipc_server.h):
 *
 *   static int ipc_counters(void *arg, struct status_out *o)
 *   {
 *       status_counter(o, "ipc_clients", ipc_server_n_clients(arg));
 *       return 0;
 *   }
 *   ... .counters = { ..., { ipc_counters, d->ipc } }
 *
 * and likewise "retransmits" once order_stats() reports it
 * (status_src_order.c).
 *
 * Contract for sources: called from the main loop, synchronously, only
 * while a reply is being built; they must not keep the status_out pointer.
 * They return 0, or -errno to fail the whole request (the client gets the
 * error).  Emitters never fail visibly: errors (reply too large, an
 * emitter used in another source's section) are sticky in the status_out
 * and end the request with that error.
 *
 * Only uid 0 may connect; others are refused at connection time.
 *
 * The IPC glue runs on libqb's default main loop, i.e. the first loop the
 * process created (libqb's poll callbacks carry no context of their own).
 */
#ifndef CPGD_STATUS_H
#define CPGD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status/status_proto.h"

#define STATUS_MAX_COUNTER_SOURCES 8

struct status_out;

struct status_counter_source {
	int (*fn)(void *arg, struct status_out *o);
	void *arg;
};

struct status_sources {
	/* Calls status_group_member() for every member of every group; the
	 * members of one group must come one after the other. */
	int (*groups)(void *arg, struct status_out *o);
	void *groups_arg;
	/* Calls status_ring() once, or not at all when no ring is known. */
	int (*ring)(void *arg, struct status_out *o);
	void *ring_arg;
	/* Calls status_link() for every link of every other node; the links
	 * of one node must come one after the other. */
	int (*links)(void *arg, struct status_out *o);
	void *links_arg;
	/* Each calls status_counter(); entries with fn NULL are skipped.
	 * Counter names must be unique over all of them. */
	struct status_counter_source counters[STATUS_MAX_COUNTER_SOURCES];
	/* Calls status_evs_client() for every local EVS client. */
	int (*evs)(void *arg, struct status_out *o);
	void *evs_arg;
};

/* --- emitters, for sources --- */

void status_group_member(struct status_out *o, const void *name,
			 size_t name_len, uint32_t nodeid, uint32_t pid);

void status_ring(struct status_out *o, uint32_t rep, uint64_t seq,
		 const uint32_t *members, size_t n_members,
		 uint32_t this_nodeid);

struct status_link {
	unsigned link;		/* knet link number, 0..7 */
	bool enabled;
	bool connected;
	const char *src;	/* "addr:port"; NULL or "" when unknown */
	const char *dst;
	uint64_t latency_us;
};
void status_link(struct status_out *o, uint32_t nodeid,
		 const struct status_link *l);

/* One EVS client: its pid and its n_groups groups of 32 bytes each. */
void status_evs_client(struct status_out *o, uint32_t pid,
		       const void *groups, size_t n_groups);

/* name: 1..64 characters of [a-z0-9_]; units belong in the name
 * ("token_rotation_us"). */
void status_counter(struct status_out *o, const char *name, uint64_t v);

/* --- building a reply (used by the service; public for tests) --- */

/* Build the JSON text for the sections in `mask` (STATUS_SECT_*, 0 = all),
 * at most max bytes: 0 with *text (malloc'd, NUL-terminated, for free())
 * and *len (without the NUL), or -errno (-EMSGSIZE: longer than max;
 * -ENOMEM; a source's error) with *text NULL. */
int status_build(const struct status_sources *src, uint32_t mask,
		 size_t max, char **text, size_t *len);

/* --- the service --- */

struct status_service;

/* Copies *src.  0, or -errno with a reason in e (util/err.h). */
struct err;
int status_new(const struct status_sources *src, struct status_service **out,
	       struct err *e);
/* Publish "cpgd-status"; 0 or -errno (-EADDRINUSE: one already runs). */
int status_start(struct status_service *s);
/* Close every connection and free the service.  NULL is ignored. */
void status_destroy(struct status_service *s);

#endif
