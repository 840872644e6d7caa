/* Internals of the IPC layer (ipc_server.c: service, connections, event
 * queues; ipc_dispatch.c: one request; ipc_zc.c: zero-copy files).  Not for use outside daemon/ipc/. */
#ifndef CPGD_IPC_INT_H
#define CPGD_IPC_INT_H

#include <sys/types.h>
#include <sys/uio.h>
#include <qb/qbipcs.h>

#include "ipc/ipc_server.h"
#include "ipc/ipc_zc.h"

struct ipc_ev {
	struct ipc_ev *next;
	size_t len;
	int waited;		/* once found no room: its send means the
				 * client read something */
	uint8_t data[];
};

struct ipc_conn {
	struct ipc_server *srv;
	qb_ipcs_connection_t *qc;
	struct grp_client *cl;
	struct evs_client *ecl;	/* on the "evs" service */
	struct ipc_zc zc;	/* zero-copy buffer files ("cpg" service) */
	int open;		/* the service's client exists */
	struct ipc_conn *next, *prev;
	uid_t uid;
	gid_t gid;
	pid_t pid;
	size_t bufsize;
	int closing;		/* disconnect asked for: ignore requests */
	int closed;		/* libqb's closed callback ran */
	int kill_queued;	/* on srv->kills, holding a reference */
	struct ipc_conn *kill_next;
	struct ipc_ev *q_head, *q_tail;	/* events the client has no room for */
	size_t q_bytes;
	int waiting;		/* queued events wait for srv's retry timer */
	uint64_t tried_ms;	/* when they were last tried */
	/* back-pressure (ipc_server.h): the queue passed the high mark and
	 * has not fallen to the low one yet; the client took no event for
	 * IPC_STALL_MS since; this connection counts in srv->n_holding */
	int over;
	int stalled;
	int holding;
	uint64_t progress_ms;	/* last event the client made room for */
	unsigned long times_over;
	/* fast path (doc/fastpath.md): events of one loop turn are gathered
	 * in batch (a batch header, then the items) and sent as one event
	 * when the turn ends; on srv->flushes while batch_n > 0 */
	int fast;
	uint8_t *batch;
	size_t batch_len, batch_cap;
	uint32_t batch_n;
	size_t batch_last_len;	/* the last item's length, unpadded */
	int flush_queued;
	struct ipc_conn *flush_next;
	/* version 2: the request ring (ipc_ring.h); on srv->ring_busy
	 * while its entries are taken every loop turn */
	uint32_t fast_version;
	struct ipc_ring *ring;
	int ring_queued;
	struct ipc_conn *ring_next;
};

/* What differs between the services served by this machinery. */
struct ipc_service_ops {
	const char *name;
	/* Make the service's client for a new connection: 0 or -errno. */
	int (*open)(struct ipc_conn *ic);
	/* The connection is gone: free its client (once). */
	void (*close)(struct ipc_conn *ic);
	void (*dispatch)(struct ipc_conn *ic, const void *data, size_t size);
	/* Stop reading requests now (the ordering layer is full)?  NULL:
	 * never (see ipc_service_blocked()). */
	int (*flow_blocked)(struct ipc_server *s);
};

struct ipc_server {
	qb_loop_t *loop;
	qb_ipcs_service_t *svc;
	const struct ipc_service_ops *ops;
	struct grp *cpg;
	struct evs *evs;
	struct grp_sink sink;
	struct ipc_server_options opts;
	struct ipc_conn *conns;
	size_t n_conns;
	int rate_off;		/* requests paused: the backlog is full */
	int kill_efd;		/* readable while connections wait to close */
	struct ipc_conn *kills;
	int flow_blocked;	/* last flow() of the CPG layer */
	size_t n_holding;	/* connections holding the senders */
	int holding;		/* grp_hold() state */
	size_t outq_high, outq_low;
	int retry_tfd;		/* timerfd: queued events are tried again */
	int retry_armed;
	long retry_ns;		/* what it was armed for */
	int flush_efd;		/* readable while batches wait to be sent */
	int flush_signalled;
	struct ipc_conn *flushes;
	int ring_efd;		/* readable while rings are busy */
	int ring_signalled;
	struct ipc_conn *ring_busy;
	uint8_t *ring_buf;	/* one ring entry, copied out */
};

/* Does the service of s hold its requests back now? */
static inline int ipc_service_blocked(struct ipc_server *s)
{
	return s->ops->flow_blocked && s->ops->flow_blocked(s);
}

/* ipc_server.c */
int ipc_server_start_ops(struct ipc_server *s,
			 const struct ipc_service_ops *ops);
void ipc_conn_kill(struct ipc_conn *ic, const char *why);
void ipc_conn_event(struct ipc_conn *ic, const struct iovec *iov,
		    unsigned int n);
void ipc_conn_respond(struct ipc_conn *ic, const void *buf, size_t len);
/* Make the eventfd readable unless *signalled says it is already;
 * what names it in the log line of a failure. */
void ipc_efd_signal(int efd, int *signalled, const char *what);
/* Switch the connection to batched events (FAST_HELLO accepted). */
void ipc_conn_fast(struct ipc_conn *ic);

/* ipc_events.c: the CPG layer's upcalls that become events (confchg,
 * deliver, partial, totem_confchg); the caller sets flow and arg. */
void ipc_events_sink(struct grp_sink *sink);

/* ipc_dispatch.c */
void ipc_dispatch(struct ipc_conn *ic, const void *data, size_t size);

#endif
