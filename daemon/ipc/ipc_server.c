/* libqb service, connections and per-connection event queues; see
 * ipc_server.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <qb/qbipcs.h>
#include <qb/qbloop.h>

#include "ipc/ipc_codec.h"
#include "ipc/ipc_int.h"
#include "ipc/ipc_ring.h"
#include "util/err.h"
#include "util/log.h"
#include "util/qb_glue.h"

#define OUTQ_MAX_DEFAULT ((size_t)64 << 20)
/* A connection's queued events are tried again every OUTQ_RETRY_MS, and
 * every OUTQ_STALLED_RETRY_MS once it is stalled (took no event for
 * IPC_STALL_MS): a stuck client must not wake the daemon a thousand times
 * a second.  Every time here is in milliseconds. */
#define OUTQ_RETRY_MS 1
#define OUTQ_STALLED_RETRY_MS 50
/* The marks, as fractions of outq_max: 8 MiB and 2 MiB by default. */
#define OUTQ_HIGH_DIV 8
#define OUTQ_LOW_DIV 32
/* A connection over its high mark that makes room for no event for this
 * long no longer holds the senders back (ipc_server.h). */
#define IPC_STALL_MS 500
/* Fast path: the largest batch, well under the connection's buffer so that
 * the client's ring holds several and the daemon never waits for it to
 * empty; room kept besides, as for a single event; a batch buffer this
 * big or bigger is given back once sent. */
#define BATCH_MAX ((size_t)128 << 10)
#define BATCH_HEADROOM 1024
#define BATCH_KEEP ((size_t)64 << 10)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* --- back-pressure: requests are read only while the CPG layer (the
 * ordering layer's flow control, holds of every node included) says so */

static void rate_update(struct ipc_server *s)
{
	int off;

	if (!s->svc || !s->cpg)
		return;
	off = grp_flow_blocked(s->cpg);
	if (off && !s->rate_off) {
		qb_ipcs_request_rate_limit(s->svc, QB_IPCS_RATE_OFF);
		s->rate_off = 1;
	} else if (!off && s->rate_off) {
		qb_ipcs_request_rate_limit(s->svc, QB_IPCS_RATE_FAST);
		s->rate_off = 0;
		ipc_rings_resume(s);
	}
}

static void hold_update(struct ipc_server *s)
{
	int want = s->n_holding > 0;

	if (want == s->holding || !s->cpg)
		return;
	s->holding = want;
	grp_hold(s->cpg, want);
	rate_update(s);
}

/* Compare the connection's queue with its marks; hold the senders while it
 * is over the high mark and still taking events. */
static void conn_marks(struct ipc_conn *ic)
{
	struct ipc_server *s = ic->srv;
	int hold;

	if (!ic->over && ic->q_bytes >= s->outq_high) {
		ic->over = 1;
		/* at info once per connection: a busy one crosses often */
		if (ic->times_over++)
			log_debug(LOG_T_IPC, "pid %d is %zu bytes behind on its "
				  "events: holding the senders back",
				  (int)ic->pid, ic->q_bytes);
		else
			log_info(LOG_T_IPC, "pid %d is %zu bytes behind on its "
				 "events: holding the senders back",
				 (int)ic->pid, ic->q_bytes);
	} else if (ic->over && ic->q_bytes <= s->outq_low) {
		ic->over = 0;
		ic->stalled = 0;
		log_debug(LOG_T_IPC, "pid %d caught up on its events",
			  (int)ic->pid);
	}
	hold = ic->over && !ic->stalled && !ic->closing;
	if (hold == ic->holding)
		return;
	ic->holding = hold;
	if (hold)
		s->n_holding++;
	else
		s->n_holding--;
	hold_update(s);
}

/* --- closing a connection, always from the loop: libqb is in the middle
 * of dispatching it when we decide.  The pending closes are signalled
 * through an eventfd (a libqb job added from inside a dispatch can wait
 * for an unrelated wakeup). */

static void kill_now(struct ipc_conn *ic)
{
	qb_ipcs_connection_t *qc = ic->qc;

	ic->kill_queued = 0;
	if (!ic->closed)
		qb_ipcs_disconnect(qc);
	qb_ipcs_connection_unref(qc);	/* may free ic */
}

static void kills_run(struct ipc_server *s)
{
	uint64_t v;

	if (read(s->kill_efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_error_errno(LOG_T_IPC, errno, "cannot clear the close signal");
	while (s->kills) {
		struct ipc_conn *ic = s->kills;

		s->kills = ic->kill_next;
		kill_now(ic);
	}
}

static int32_t kills_dispatch(int32_t fd, int32_t revents, void *data)
{
	(void)fd;
	(void)revents;
	kills_run(data);
	return 0;
}

void ipc_conn_kill(struct ipc_conn *ic, const char *why)
{
	struct ipc_server *s = ic->srv;
	uint64_t one = 1;

	if (ic->closing)
		return;
	ic->closing = 1;
	log_notice(LOG_T_IPC, "closing connection of pid %d: %s", (int)ic->pid,
		   why);
	qb_ipcs_connection_ref(ic->qc);
	ic->kill_queued = 1;
	ic->kill_next = s->kills;
	s->kills = ic;
	if (write(s->kill_efd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		log_error_errno(LOG_T_IPC, errno, "cannot signal a close");
	conn_marks(ic);
}

/* --- event queue */

/* Drop the first queued event. */
static void outq_pop(struct ipc_conn *ic)
{
	struct ipc_ev *e = ic->q_head;

	ic->q_head = e->next;
	if (!ic->q_head)
		ic->q_tail = NULL;
	ic->q_bytes -= e->len;
	free(e);
}

static void outq_free(struct ipc_conn *ic)
{
	while (ic->q_head)
		outq_pop(ic);
	ic->waiting = 0;
	conn_marks(ic);
}

/* Queued events are tried again OUTQ_RETRY_MS later (libqb tells a server
 * nothing when a client makes room).  One timerfd serves every connection:
 * a libqb timer of 1 ms would make its loop poll with a zero timeout until
 * it expires (libqb rounds the time left down to whole milliseconds), a
 * busy loop for as long as any queue waits. */
static void outq_arm(struct ipc_conn *ic)
{
	struct ipc_server *s = ic->srv;
	long ns = (ic->stalled ? OUTQ_STALLED_RETRY_MS : OUTQ_RETRY_MS) *
		  QB_TIME_NS_IN_MSEC;
	struct itimerspec its = { .it_value = { .tv_sec = ns / 1000000000L,
						.tv_nsec = ns % 1000000000L } };

	ic->waiting = 1;
	if (s->retry_armed && s->retry_ns <= ns)
		return;
	if (timerfd_settime(s->retry_tfd, 0, &its, NULL) == 0) {
		s->retry_armed = 1;
		s->retry_ns = ns;
	} else {
		ipc_conn_kill(ic, "cannot arm the event queue timer");
	}
}

static void outq_flush(struct ipc_conn *ic)
{
	int taken = 0;

	ic->waiting = 0;
	ic->tried_ms = now_ms();
	while (ic->q_head && !ic->closing) {
		struct ipc_ev *e = ic->q_head;
		ssize_t rc = qb_ipcs_event_send(ic->qc, e->data, e->len);

		if (rc == -EAGAIN) {
			e->waited = 1;
			break;
		}
		if (rc < 0) {
			ipc_conn_kill(ic, "event send failed");
			return;
		}
		/* not an event that merely fit in what room was left */
		if (e->waited)
			taken = 1;
		outq_pop(ic);
	}
	if (ic->closing)
		return;
	if (taken) {
		ic->progress_ms = now_ms();
		if (ic->stalled) {
			ic->stalled = 0;
			log_info(LOG_T_IPC, "pid %d takes its events again",
				 (int)ic->pid);
		}
	} else if (ic->over && !ic->stalled &&
		   now_ms() - ic->progress_ms >= IPC_STALL_MS) {
		/* it reads nothing: its queue grows to outq_max, where it
		 * is closed, instead of holding everyone meanwhile */
		ic->stalled = 1;
		log_notice(LOG_T_IPC, "pid %d took no event for %d ms: no "
			   "longer holding the senders back", (int)ic->pid,
			   IPC_STALL_MS);
	}
	conn_marks(ic);
	if (ic->q_head)
		outq_arm(ic);
}

/* The retry timer expired: try every waiting connection again (closing
 * ones are only queued for the loop, never freed here). */
static int32_t retry_dispatch(int32_t fd, int32_t revents, void *data)
{
	struct ipc_server *s = data;
	struct ipc_conn *ic;
	uint64_t v, now;

	(void)revents;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_error_errno(LOG_T_IPC, errno, "cannot read the retry timer");
	s->retry_armed = 0;
	now = now_ms();
	for (ic = s->conns; ic; ic = ic->next) {
		if (!ic->waiting)
			continue;
		if (ic->stalled &&
		    now - ic->tried_ms < OUTQ_STALLED_RETRY_MS / 2)
			outq_arm(ic);	/* not its turn yet */
		else
			outq_flush(ic);
	}
	return 0;
}

/* Send an event, or queue it: at the tail, or (first) ahead of the events
 * already queued, for a state notice that must not wait behind them. */
static void conn_event(struct ipc_conn *ic, const struct iovec *iov,
		       unsigned int n, int first)
{
	struct ipc_ev *e;
	size_t total = 0, off = 0;
	unsigned int i;
	int waited = 0;

	if (ic->closing)
		return;
	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	if (total > ic->bufsize) {
		ipc_conn_kill(ic, "event larger than the connection's buffer");
		return;
	}
	if (!ic->q_head) {
		ssize_t rc = qb_ipcs_event_sendv(ic->qc, iov, n);

		if (rc >= 0)
			return;
		if (rc != -EAGAIN) {
			ipc_conn_kill(ic, "event send failed");
			return;
		}
		waited = 1;
	}
	if (total > ic->srv->opts.outq_max - ic->q_bytes) {
		ipc_conn_kill(ic, "client does not read its events");
		return;
	}
	if (!ic->q_head)
		ic->progress_ms = now_ms();	/* out of room from now */
	e = malloc(sizeof(*e) + total);
	if (!e) {
		ipc_conn_kill(ic, "no memory to queue an event");
		return;
	}
	for (i = 0; i < n; i++) {
		memcpy(e->data + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	e->len = total;
	e->waited = waited;
	e->next = NULL;
	if (first && ic->q_head) {
		e->next = ic->q_head;
		ic->q_head = e;
	} else if (ic->q_tail) {
		ic->q_tail->next = e;
		ic->q_tail = e;
	} else {
		ic->q_head = ic->q_tail = e;
	}
	ic->q_bytes += total;
	outq_arm(ic);
	conn_marks(ic);
}

/* --- batches of the fast path (doc/fastpath.md): the events of one loop
 * turn for a connection go out as one event, sent when the turn ends (the
 * flush eventfd is readable at once, so an idle daemon adds no wait).
 * Until then they count nowhere: the marks see them once sent or queued. */

static size_t batch_limit(const struct ipc_conn *ic)
{
	size_t lim = ic->bufsize > BATCH_HEADROOM
		? ic->bufsize - BATCH_HEADROOM : 0;

	return lim < BATCH_MAX ? lim : BATCH_MAX;
}

static void batch_flush(struct ipc_conn *ic)
{
	struct iovec iov;
	uint32_t n = ic->batch_n;

	if (!n)
		return;
	ic->batch_n = 0;
	if (n == 1) {
		/* a lone event goes as on the standard path */
		iov.iov_base = ic->batch + CPG_WIRE_BATCH_HDR;
		iov.iov_len = ic->batch_last_len;	/* without padding */
	} else {
		if (ipc_ev_batch_hdr(ic->batch, CPG_WIRE_BATCH_HDR, n,
				     ic->batch_len) < 0)
			return;
		iov.iov_base = ic->batch;
		iov.iov_len = ic->batch_len;
	}
	ic->batch_len = 0;
	conn_event(ic, &iov, 1, 0);
	if (ic->batch_cap >= BATCH_KEEP) {
		free(ic->batch);
		ic->batch = NULL;
		ic->batch_cap = 0;
	}
}

static void flush_queue(struct ipc_conn *ic)
{
	struct ipc_server *s = ic->srv;

	if (ic->flush_queued)
		return;
	ic->flush_queued = 1;
	ic->flush_next = s->flushes;
	s->flushes = ic;
	ipc_efd_signal(s->flush_efd, &s->flush_signalled, "a batch");
}

void ipc_efd_signal(int efd, int *signalled, const char *what)
{
	uint64_t one = 1;

	if (*signalled)
		return;
	if (write(efd, &one, sizeof(one)) != (ssize_t)sizeof(one)) {
		log_error_errno(LOG_T_IPC, errno, "cannot signal %s", what);
		return;
	}
	*signalled = 1;
}

static void flushes_run(struct ipc_server *s)
{
	uint64_t v;

	if (s->flush_signalled &&
	    read(s->flush_efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_error_errno(LOG_T_IPC, errno, "cannot clear the batch signal");
	s->flush_signalled = 0;
	while (s->flushes) {
		struct ipc_conn *ic = s->flushes;

		s->flushes = ic->flush_next;
		ic->flush_queued = 0;
		if (!ic->closing)
			batch_flush(ic);
	}
}

static int32_t flushes_dispatch(int32_t fd, int32_t revents, void *data)
{
	(void)fd;
	(void)revents;
	flushes_run(data);
	return 0;
}

static void flush_unlink(struct ipc_conn *ic)
{
	struct ipc_conn **p = &ic->srv->flushes;

	while (*p && *p != ic)
		p = &(*p)->flush_next;
	if (*p)
		*p = ic->flush_next;
	ic->flush_queued = 0;
}

static void batch_drop(struct ipc_conn *ic)
{
	free(ic->batch);
	ic->batch = NULL;
	ic->batch_cap = ic->batch_len = 0;
	ic->batch_n = 0;
}

static void batch_add(struct ipc_conn *ic, const struct iovec *iov,
		      unsigned int n)
{
	size_t total = 0, item, need, lim = batch_limit(ic), off;
	unsigned int i;

	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	item = (total + CPG_WIRE_BATCH_ALIGN - 1) &
	       ~(size_t)(CPG_WIRE_BATCH_ALIGN - 1);
	if (total > lim || CPG_WIRE_BATCH_HDR + item > lim) {
		/* too big to share a batch: alone, after what came before */
		batch_flush(ic);
		conn_event(ic, iov, n, 0);
		return;
	}
	if (ic->batch_n && ic->batch_len + item > lim)
		batch_flush(ic);
	if (!ic->batch_n)
		ic->batch_len = CPG_WIRE_BATCH_HDR;
	need = ic->batch_len + item;
	if (need > ic->batch_cap) {
		size_t cap = ic->batch_cap ? ic->batch_cap : 4096;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		if (cap > lim)
			cap = lim;
		p = realloc(ic->batch, cap);
		if (!p) {
			ipc_conn_kill(ic, "no memory to batch an event");
			return;
		}
		ic->batch = p;
		ic->batch_cap = cap;
	}
	off = ic->batch_len;
	ic->batch_last_len = total;
	for (i = 0; i < n; i++) {
		memcpy(ic->batch + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	memset(ic->batch + off, 0, need - off);
	ic->batch_len = need;
	ic->batch_n++;
	flush_queue(ic);
}

void ipc_conn_fast(struct ipc_conn *ic)
{
	ic->fast = 1;
}

void ipc_conn_event(struct ipc_conn *ic, const struct iovec *iov,
		    unsigned int n)
{
	if (ic->fast && !ic->closing)
		batch_add(ic, iov, n);
	else
		conn_event(ic, iov, n, 0);
}

void ipc_conn_respond(struct ipc_conn *ic, const void *buf, size_t len)
{
	ssize_t rc = qb_ipcs_response_send(ic->qc, buf, len);

	if (rc < 0 || (size_t)rc != len)
		ipc_conn_kill(ic, "response send failed");
}

/* --- the CPG layer's sink: flow control (ipc_events.c has the rest) */

static void send_flow_event(struct ipc_conn *ic, int blocked)
{
	uint8_t buf[CPG_WIRE_FLOW_SIZE];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };

	/* ahead of the deliveries queued: the client is told now (after
	 * those of this turn, as they would have been sent already) */
	batch_flush(ic);
	if (ipc_ev_flow(buf, sizeof(buf), blocked ? 1 : 0) > 0)
		conn_event(ic, &iov, 1, 1);
}

static void sink_flow(void *arg, int blocked)
{
	struct ipc_server *s = arg;
	struct ipc_conn *ic;

	s->flow_blocked = blocked;
	rate_update(s);
	log_debug(LOG_T_IPC, "flow control %s", blocked ? "on" : "off");
	if (!blocked)
		ipc_rings_resume(s);
	if (s->opts.flow_events)
		for (ic = s->conns; ic; ic = ic->next)
			send_flow_event(ic, blocked);
}

/* --- libqb connection callbacks */

static struct ipc_server *server_of(qb_ipcs_connection_t *qc)
{
	return qb_ipcs_connection_service_context_get(qc);
}

/* The connection's state is made here, where libqb tells the client's
 * credentials; on_created completes it. */
static int32_t on_accept(qb_ipcs_connection_t *qc, uid_t uid, gid_t gid)
{
	struct ipc_server *s = server_of(qc);
	struct ipc_conn *ic;

	if (!ipc_auth_allowed(s->opts.auth, uid, gid)) {
		log_notice(LOG_T_IPC, "connection from uid %u gid %u refused: "
			   "not root and not allowed by a uidgid section",
			   (unsigned int)uid, (unsigned int)gid);
		return -EACCES;
	}
	if (s->n_conns >= s->opts.max_conns) {
		log_warning(LOG_T_IPC, "connection from uid %u refused: already "
			    "%zu clients, the limit", (unsigned int)uid,
			    s->n_conns);
		return -EMFILE;
	}
	ic = calloc(1, sizeof(*ic));
	if (!ic)
		return -ENOMEM;
	ic->srv = s;
	ic->qc = qc;
	ic->uid = uid;
	ic->gid = gid;
	ic->bufsize = IPC_BUFFER_SIZE;
	ic->next = s->conns;
	if (s->conns)
		s->conns->prev = ic;
	s->conns = ic;
	s->n_conns++;
	qb_ipcs_context_set(qc, ic);
	qb_ipcs_connection_auth_set(qc, uid, gid, 0600);
	return 0;
}

static void on_created(qb_ipcs_connection_t *qc)
{
	struct ipc_conn *ic = qb_ipcs_context_get(qc);
	struct qb_ipcs_connection_stats st;
	struct ipc_server *s;
	int32_t bufsize;

	if (!ic)
		return;
	s = ic->srv;
	bufsize = qb_ipcs_connection_get_buffer_size(qc);
	if (bufsize > 0)
		ic->bufsize = (size_t)bufsize;
	if (qb_ipcs_connection_stats_get(qc, &st, 0) == 0)
		ic->pid = st.client_pid;
	if (s->ops->open(ic) < 0) {
		ipc_conn_kill(ic, "no memory for a client");
		return;
	}
	ic->open = 1;
	if (s->rate_off)
		qb_ipcs_request_rate_limit(s->svc, QB_IPCS_RATE_OFF);
	if (s->flow_blocked && s->opts.flow_events)
		send_flow_event(ic, 1);
	log_debug(LOG_T_IPC, "connection from pid %d uid %u", (int)ic->pid,
		  (unsigned int)ic->uid);
}

static int32_t on_msg(qb_ipcs_connection_t *qc, void *data, size_t size)
{
	struct ipc_conn *ic = qb_ipcs_context_get(qc);
	struct ipc_server *s;

	if (!ic || ic->closing || !ic->open)
		return 0;
	s = ic->srv;
	if (size > ic->bufsize) {
		ipc_conn_kill(ic, "request larger than the connection's buffer");
		return 0;
	}
	if (ipc_ring_on_request(ic, data, size))
		return 0;
	s->ops->dispatch(ic, data, size);
	if (!s->rate_off && ipc_service_blocked(s)) {
		/* do not wait for the upcall: stop reading requests now */
		qb_ipcs_request_rate_limit(s->svc, QB_IPCS_RATE_OFF);
		s->rate_off = 1;
	}
	return 0;
}

static int32_t on_closed(qb_ipcs_connection_t *qc)
{
	struct ipc_conn *ic = qb_ipcs_context_get(qc);

	if (!ic)
		return 0;
	ic->closed = 1;
	ic->closing = 1;
	if (ic->open) {
		ic->srv->ops->close(ic);
		ic->open = 0;
	}
	ipc_ring_close(ic);
	batch_drop(ic);
	outq_free(ic);
	log_debug(LOG_T_IPC, "connection of pid %d closed", (int)ic->pid);
	return 0;
}

static void on_destroyed(qb_ipcs_connection_t *qc)
{
	struct ipc_conn *ic = qb_ipcs_context_get(qc);
	struct ipc_server *s;

	if (!ic)
		return;
	s = ic->srv;
	if (ic->open)
		s->ops->close(ic);
	flush_unlink(ic);
	ipc_ring_close(ic);
	batch_drop(ic);
	outq_free(ic);
	if (ic->prev)
		ic->prev->next = ic->next;
	else
		s->conns = ic->next;
	if (ic->next)
		ic->next->prev = ic->prev;
	s->n_conns--;
	qb_ipcs_context_set(qc, NULL);
	free(ic);
}

/* --- the server */

/* IPC_CONNS_MAX, or what the open-file limit leaves room for. */
static size_t default_max_conns(void)
{
	struct rlimit rl;
	size_t n = IPC_CONNS_MAX;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)(IPC_CONNS_MAX + IPC_FD_RESERVE))
		n = rl.rlim_cur > (rlim_t)IPC_FD_RESERVE + 1
			? (size_t)rl.rlim_cur - IPC_FD_RESERVE : 1;
	return n;
}

/* Put a new event file of the server's in the loop; -errno. */
static int watch_fd(struct ipc_server *s, int *slot, int fd,
		    enum qb_loop_priority p, qb_loop_poll_dispatch_fn fn)
{
	int rc;

	if (fd < 0)
		return -errno;
	rc = qb_loop_poll_add(s->loop, p, fd, POLLIN, s, fn);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	*slot = fd;
	return 0;
}

/* Take the server's event files out of the loop and close them. */
static void unwatch_fds(struct ipc_server *s)
{
	int *fds[] = { &s->ring_efd, &s->retry_tfd, &s->flush_efd,
		       &s->kill_efd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] < 0)
			continue;
		qb_loop_poll_del(s->loop, *fds[i]);
		close(*fds[i]);
		*fds[i] = -1;
	}
}

int ipc_server_new(qb_loop_t *loop, const struct ipc_server_options *opts,
		   struct ipc_server **out, struct err *e)
{
	struct ipc_server *s;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return err_set(e, -ENOMEM, "no memory for the IPC server");
	s->loop = loop;
	s->kill_efd = s->flush_efd = s->retry_tfd = s->ring_efd = -1;
	rc = watch_fd(s, &s->kill_efd, eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC),
		      QB_LOOP_HIGH, kills_dispatch);
	if (rc == 0)
		rc = watch_fd(s, &s->flush_efd,
			      eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC),
			      QB_LOOP_HIGH, flushes_dispatch);
	if (rc == 0)
		rc = watch_fd(s, &s->retry_tfd,
			      timerfd_create(CLOCK_MONOTONIC,
					     TFD_NONBLOCK | TFD_CLOEXEC),
			      QB_LOOP_MED, retry_dispatch);
	if (rc == 0)
		rc = watch_fd(s, &s->ring_efd,
			      eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC),
			      QB_LOOP_HIGH, ipc_rings_dispatch);
	if (rc < 0) {
		unwatch_fds(s);
		free(s);
		return err_set(e, rc, "cannot watch the IPC server's event "
			       "files: %s", strerror(-rc));
	}
	if (opts)
		s->opts = *opts;
	if (!s->opts.outq_max)
		s->opts.outq_max = OUTQ_MAX_DEFAULT;
	s->outq_high = s->opts.outq_max / OUTQ_HIGH_DIV;
	s->outq_low = s->opts.outq_max / OUTQ_LOW_DIV;
	if (!s->opts.max_conns)
		s->opts.max_conns = default_max_conns();
	log_debug(LOG_T_IPC, "at most %zu client connections",
		  s->opts.max_conns);
	ipc_events_sink(&s->sink);
	s->sink.flow = sink_flow;
	s->sink.arg = s;
	*out = s;
	return 0;
}

const struct grp_sink *ipc_server_sink(struct ipc_server *s)
{
	return &s->sink;
}

/* The "cpg" service's side of the machinery. */
static int cpg_open(struct ipc_conn *ic)
{
	return grp_client_new(ic->srv->cpg, ic, ic->uid, &ic->cl, NULL);
}

static void cpg_close(struct ipc_conn *ic)
{
	grp_client_close(ic->cl);
	ic->cl = NULL;
	ipc_zc_free_all(&ic->zc);
}

static int cpg_blocked(struct ipc_server *s)
{
	return grp_flow_blocked(s->cpg);
}

static const struct ipc_service_ops cpg_ops = {
	.name = "cpg",
	.open = cpg_open,
	.close = cpg_close,
	.dispatch = ipc_dispatch,
	.flow_blocked = cpg_blocked,
};

int ipc_server_start(struct ipc_server *s, struct grp *cpg)
{
	s->cpg = cpg;
	return ipc_server_start_ops(s, &cpg_ops);
}

int ipc_server_start_ops(struct ipc_server *s,
			 const struct ipc_service_ops *ops)
{
	struct qb_ipcs_service_handlers h = {
		.connection_accept = on_accept,
		.connection_created = on_created,
		.msg_process = on_msg,
		.connection_closed = on_closed,
		.connection_destroyed = on_destroyed,
	};
	int rc;

	s->ops = ops;
	s->svc = qb_ipcs_create(ops->name, 0, QB_IPC_SHM, &h);
	if (!s->svc)
		return errno ? -errno : -ENOMEM;
	qb_ipcs_service_context_set(s->svc, s);
	qb_glue_attach(s->svc);
	qb_ipcs_enforce_buffer_size(s->svc, IPC_BUFFER_SIZE);
	rc = qb_ipcs_run(s->svc);
	if (rc < 0) {
		/* qb_ipcs_run drops the service itself on failure */
		s->svc = NULL;
		return rc;
	}
	/* Requests at the network's priority, up to 50 per wake-up instead
	 * of 5: fewer loop turns and notification reads per request, and
	 * more messages queued for each token visit. */
	qb_ipcs_request_rate_limit(s->svc, QB_IPCS_RATE_FAST);
	return 0;
}

void ipc_server_destroy(struct ipc_server *s)
{
	if (!s)
		return;
	/* run the pending closes now: the loop will not run again */
	kills_run(s);
	if (s->svc)
		qb_ipcs_destroy(s->svc);
	unwatch_fds(s);
	free(s->ring_buf);
	free(s);
}
