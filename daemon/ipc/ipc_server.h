/*
 * The libqb IPC service "cpg": accepts client connections, validates every
 * request, hands it to the CPG layer (reading a zero-copy multicast out of
 * the client's buffer file first) and carries the CPG layer's events back, with a bounded queue per connection for clients that read slowly.
 *
 * Set-up order, because the two layers point at each other:
 *   ipc_server_new(loop, &opts, &ipc, &e);
 *   grp_new(order, ipc_server_sink(ipc), ..., &cpg, &e);
 *   ipc_server_start(ipc, cpg);
 * The libqb glue works on libqb's default loop, which is the first one the
 * process creates: `loop` must be that one.
 */
#ifndef CPGD_IPC_SERVER_H
#define CPGD_IPC_SERVER_H

#include <stddef.h>
#include <qb/qbloop.h>

#include "grp/grp.h"
#include "ipc/ipc_auth.h"

struct ipc_server_options {
	/* Bytes of events queued for one connection before it is closed. */
	size_t outq_max;
	/* Send FLOWCONTROL_CALLBACK events when the backlog crosses a mark. */
	int flow_events;
	/* Who may connect besides root and the daemon's user; NULL: nobody. */
	const struct ipc_auth *auth;
	/* Connections at once; 0: IPC_CONNS_MAX, fewer when the open-file
	 * limit leaves less room. */
	size_t max_conns;
	/* Zero-copy buffer files may sit directly in /dev/shm or in this
	 * directory (NULL: /dev/shm only); must outlive the server. */
	const char *zc_dir;
};

struct ipc_server;

/* 0, or -errno with a reason in e (util/err.h). */
struct err;
int ipc_server_new(qb_loop_t *loop, const struct ipc_server_options *opts,
		   struct ipc_server **out, struct err *e);
/* The sink to give grp_new(); valid as long as the server lives. */
const struct grp_sink *ipc_server_sink(struct ipc_server *s);
/* Publish the service; 0 or -errno (-EADDRINUSE: one already runs). */
int ipc_server_start(struct ipc_server *s, struct grp *cpg);
/* Close every connection (clients see it close) and free the server.
 * Call before grp_destroy(). */
void ipc_server_destroy(struct ipc_server *s);

#endif
