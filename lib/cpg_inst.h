/*
 * One connection to the daemon (what a cpg_handle_t names) and the calls
 * that move bytes over it.
 *
 * Locking: req_lock pairs each request with its response (and keeps
 * concurrent sends whole); frag_lock keeps the fragments of one large
 * message together; disp_lock admits one dispatcher at a time and guards
 * the event buffer and the reassembly state; state_lock guards the small
 * mutable fields; the request ring's own lock (cpg_ring.h) is taken with
 * nothing held under it.  Callbacks run with only disp_lock held, so they may
 * call anything but cpg_dispatch() on the same handle.
 */
#ifndef CPG_INST_H
#define CPG_INST_H

#include <pthread.h>
#include <stdint.h>
#include <sys/uio.h>

#include <qb/qbipcc.h>

#include <corosync/cpg.h>

#include "cpg_htab.h"
#include "cpg_reasm.h"
#include "cpg_ring.h"
#include "cpg_wire.h"

/* Marks the public functions; everything else stays hidden. */
#define CPG_EXPORT __attribute__((visibility("default")))

/* One zero-copy mapping shared with the daemon. */
struct cpg_zcb {
	struct cpg_zcb *next;
	uint8_t *map;
	size_t map_size;
	uint64_t server_address;
};

/* What a cpg_iteration_handle_t names. */
struct cpg_iter {
	cpg_handle_t owner;
	uint64_t server_handle;
};

struct cpg_inst {
	pthread_mutex_t req_lock;
	pthread_mutex_t frag_lock;
	pthread_mutex_t disp_lock;
	pthread_mutex_t state_lock;

	qb_ipcc_connection_t *c;
	uint8_t *rbuf;			/* one event; under disp_lock */
	size_t rbuf_size;
	size_t atomic_size;		/* largest unfragmented payload */
	struct cpg_reasm reasm;		/* under disp_lock */

	/* The fast path (doc/fastpath.md), fixed after creation: events
	 * may come in batches.  The items of the last batch not yet
	 * dispatched are kept in batch (under disp_lock), and the fd that
	 * cpg_fd_get() gives is then poll_fd, an epoll fd watching libqb's
	 * event fd and kept_fd, an eventfd set while items are kept, so
	 * that it stays readable as long as anything is left to dispatch. */
	int fast;
	int poll_fd, kept_fd;
	int kept_set;			/* under disp_lock */
	struct cpg_batch batch;		/* under disp_lock */
	/* Version 2: the request ring (cpg_ring.h), fixed after creation;
	 * NULL on the standard path, against a version 1 daemon or when
	 * the daemon refused it.  Its lock is a leaf. */
	struct cpg_ring *ring;

	cpg_model_v1_data_t model;	/* fixed after creation */

	/* Another service's event handler and state (libevs); NULL for
	 * CPG.  svc is freed with the instance. */
	void (*on_event)(struct cpg_inst *inst, uint64_t handle, size_t len);
	void *svc;

	/* under state_lock */
	void *context;
	int finalized;
	cpg_flow_control_state_t flow_control;
	struct cpg_zcb *zcbs;
	int dispatching;
	pthread_t dispatcher;
};

/* The process-wide handle tables behind the public API. */
extern struct cpg_htab cpg_inst_table;
extern struct cpg_htab cpg_iter_table;

/* Connect to the libqb service `service` ("cpg", "evs"); no model or
 * context yet.  -errno when the daemon cannot be reached. */
int cpg_inst_open(const char *service, struct cpg_inst **out);
/* Connect to "cpg"; -errno when the daemon cannot be reached. */
int cpg_inst_new(const cpg_model_v1_data_t *model, void *context,
	struct cpg_inst **out);
/* Destructor for the handle table: disconnect and free. */
void cpg_inst_free(void *inst);

/* A reference to a live, not finalized instance: 0 or -EBADF. */
int cpg_inst_get(cpg_handle_t handle, struct cpg_inst **inst);
void cpg_inst_put(cpg_handle_t handle);
/* The same in another service's table. */
int cpg_inst_get_in(struct cpg_htab *t, uint64_t handle,
	struct cpg_inst **inst);
/* Mark finalized; -EBADF if it already was. */
int cpg_inst_mark_finalized(struct cpg_inst *inst);
int cpg_inst_is_finalized(struct cpg_inst *inst);

/*
 * Send a request and wait for its response of id res_id into res (room
 * res_size), which must be at least min_len long when the answer is CS_OK;
 * *res_len (if not NULL) gets its length.  Returns 0, the daemon's
 * refusal (cpg_err.h) or -errno.
 */
int cpg_inst_call(struct cpg_inst *inst, const struct iovec *iov,
	size_t iov_len, enum cpg_res_id res_id, uint8_t *res, size_t res_size,
	size_t min_len, size_t *res_len);
/* The same without any check: the response length or -errno. */
ssize_t cpg_inst_exchange(struct cpg_inst *inst, const struct iovec *iov,
	size_t iov_len, uint8_t *res, size_t res_size);
/* cpg_inst_call() and cpg_inst_exchange() of a request in one buffer. */
int cpg_inst_call_buf(struct cpg_inst *inst, const void *req, size_t len,
	enum cpg_res_id res_id, uint8_t *res, size_t res_size, size_t min_len,
	size_t *res_len);
ssize_t cpg_inst_exchange_buf(struct cpg_inst *inst, const void *req,
	size_t len, uint8_t *res, size_t res_size);
/* cpg_inst_call_buf() of a request whose answer is a bare header. */
int cpg_inst_request(struct cpg_inst *inst, const void *req, size_t len,
	enum cpg_res_id res_id);
/* Send a request that has no response (MCAST). */
int cpg_inst_send(struct cpg_inst *inst, const struct iovec *iov,
	size_t iov_len);

/* The fd of cpg_fd_get(): 0 or -errno. */
int cpg_inst_fd(struct cpg_inst *inst, int *fd);

/* Receive events and run callbacks; see cpg_dispatch(). */
int cpg_inst_dispatch(struct cpg_inst *inst, cpg_handle_t handle,
	cs_dispatch_flags_t how);

/*
 * What both APIs do with a handle alone (cpg_handle.c), on the handles of
 * table t.  Each takes and drops its own reference and returns 0 or
 * -errno (-EBADF: not a live handle).
 */
/* cpg_dispatch() */
int cpg_inst_dispatch_in(struct cpg_htab *t, uint64_t handle,
	cs_dispatch_flags_t how);
/* cpg_inst_call() with an answer of up to res_size bytes in *res, a
 * buffer allocated here that the caller frees (also on failure). */
int cpg_inst_request_in(struct cpg_htab *t, uint64_t handle,
	const void *req, size_t len, enum cpg_res_id res_id, size_t res_size,
	size_t min_len, uint8_t **res, size_t *res_len);
/* The small getters and setters: arg is where a value goes (an int for
 * FD, a uint32_t for ATOMIC, a void * for CONTEXT_GET, a
 * cpg_flow_control_state_t for FLOW_CONTROL), or the context to set;
 * -EINVAL for a NULL arg, checked after the handle. */
enum cpg_inst_field {
	CPG_FIELD_FD,
	CPG_FIELD_ATOMIC,
	CPG_FIELD_CONTEXT_GET,
	CPG_FIELD_CONTEXT_SET,
	CPG_FIELD_FLOW_CONTROL,
};
int cpg_inst_field(struct cpg_htab *t, uint64_t handle,
	enum cpg_inst_field field, void *arg);
/* Finalize: mark the instance, send req (the service's FINALIZE, len
 * bytes), retrying for up to 2 s while the daemon says TRY_AGAIN, call
 * before(handle) if not NULL, destroy the handle.  A connection lost on
 * the way is reported (-errno) once the handle is gone. */
int cpg_inst_finalize_in(struct cpg_htab *t, uint64_t handle,
	const void *req, size_t len, void (*before)(uint64_t handle));

#endif
