/*
 * Receiving events and running the application's callbacks.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "cpg_err.h"
#include "cpg_inst.h"

/*
 * Blocking dispatch waits in slices of this length, so that a
 * cpg_finalize() from another thread ends it promptly.
 */
#define DISPATCH_SLICE_MS 100

static void deliver(struct cpg_inst *inst, cpg_handle_t handle,
	const struct cpg_event *ev, void *msg, size_t len)
{
	if (inst->model.cpg_deliver_fn)
		inst->model.cpg_deliver_fn(handle, &ev->group, ev->nodeid,
			ev->pid, msg, len);
}

/* Decode one event and run its callback; a malformed event is dropped. */
static void handle_event(struct cpg_inst *inst, cpg_handle_t handle,
	uint8_t *buf, size_t len)
{
	struct cpg_event ev;
	void *msg;
	size_t msg_len;

	if (cpg_wire_event_decode(buf, len, &ev) < 0)
		return;

	switch (ev.id) {
	case CPG_EV_DELIVER:
		deliver(inst, handle, &ev, ev.data, ev.data_len);
		break;
	case CPG_EV_PARTIAL_DELIVER:
		if (cpg_reasm_add(&inst->reasm, ev.nodeid, ev.pid, ev.frag_type,
				ev.msglen, ev.data, ev.data_len,
				&msg, &msg_len) == 1) {
			deliver(inst, handle, &ev, msg, msg_len);
			free(msg);
		}
		break;
	case CPG_EV_CONFCHG:
		if (inst->model.cpg_confchg_fn)
			inst->model.cpg_confchg_fn(handle, &ev.group,
				ev.members, ev.n_members, ev.left, ev.n_left,
				ev.joined, ev.n_joined);
		break;
	case CPG_EV_TOTEM_CONFCHG:
		if (inst->model.cpg_totem_confchg_fn)
			inst->model.cpg_totem_confchg_fn(handle, ev.ring,
				ev.n_nodes, ev.nodes);
		break;
	case CPG_EV_FLOWCONTROL:
		pthread_mutex_lock(&inst->state_lock);
		inst->flow_control = ev.flow_control
			? CPG_FLOW_CONTROL_ENABLED : CPG_FLOW_CONTROL_DISABLED;
		pthread_mutex_unlock(&inst->state_lock);
		break;
	default:
		break;
	}
	cpg_wire_event_release(&ev);
}

/* Claim the dispatcher role; refuses a nested dispatch from a callback. */
static int enter(struct cpg_inst *inst)
{
	int nested;

	pthread_mutex_lock(&inst->state_lock);
	nested = inst->dispatching &&
		pthread_equal(inst->dispatcher, pthread_self());
	pthread_mutex_unlock(&inst->state_lock);
	if (nested)
		return cpg_err_from_cs(CS_ERR_BAD_OPERATION);

	pthread_mutex_lock(&inst->disp_lock);
	pthread_mutex_lock(&inst->state_lock);
	inst->dispatching = 1;
	inst->dispatcher = pthread_self();
	pthread_mutex_unlock(&inst->state_lock);
	return 0;
}

static void leave(struct cpg_inst *inst)
{
	pthread_mutex_lock(&inst->state_lock);
	inst->dispatching = 0;
	pthread_mutex_unlock(&inst->state_lock);
	pthread_mutex_unlock(&inst->disp_lock);
}

/*
 * Keep the fd readable exactly while batch items are kept: set or clear
 * the eventfd only when that changes (never while a batch is taken whole).
 */
static void kept_update(struct cpg_inst *inst)
{
	int pending = cpg_wire_batch_pending(&inst->batch);
	uint64_t v = 1;

	if (pending == inst->kept_set)
		return;
	if (pending) {
		if (write(inst->kept_fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
			inst->kept_set = 1;
	} else {
		if (read(inst->kept_fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ||
		    errno == EAGAIN)
			inst->kept_set = 0;
	}
}

/* The next kept item of a batch, run: 1 when one was run, 0 if none. */
static int run_kept(struct cpg_inst *inst, cpg_handle_t handle)
{
	uint8_t *item;
	size_t len;

	while (cpg_wire_batch_pending(&inst->batch)) {
		/* a malformed rest of a batch is dropped, as a malformed
		 * event is */
		if (cpg_wire_batch_next(&inst->batch, &item, &len) == 1) {
			handle_event(inst, handle, item, len);
			return 1;
		}
	}
	return 0;
}

int cpg_inst_dispatch(struct cpg_inst *inst, cpg_handle_t handle,
	cs_dispatch_flags_t how)
{
	/* only ALL and ONE_NONBLOCKING return when nothing is pending; an
	 * unknown type waits, as BLOCKING does (so does corosync's library) */
	int wait = how != CS_DISPATCH_ALL && how != CS_DISPATCH_ONE_NONBLOCKING;
	int rc;

	rc = enter(inst);
	if (rc < 0)
		return rc;

	while (!cpg_inst_is_finalized(inst)) {
		ssize_t n;

		if (run_kept(inst, handle)) {
			if (how == CS_DISPATCH_ONE ||
			    how == CS_DISPATCH_ONE_NONBLOCKING)
				break;
			continue;
		}
		n = qb_ipcc_event_recv(inst->c, inst->rbuf, inst->rbuf_size,
			wait ? DISPATCH_SLICE_MS : 0);

		if (n == -EAGAIN || n == -ETIMEDOUT) {
			if (wait)
				continue;
			if (how == CS_DISPATCH_ONE_NONBLOCKING)
				rc = -EAGAIN;
			break;
		}
		if (n < 0) {
			rc = (int)n;
			break;
		}
		if (inst->fast && cpg_wire_is_batch(inst->rbuf, (size_t)n)) {
			/* its items are run one by one above */
			(void)cpg_wire_batch_open(&inst->batch, inst->rbuf,
				(size_t)n);
			continue;
		}
		if (inst->on_event)
			inst->on_event(inst, handle, (size_t)n);
		else
			handle_event(inst, handle, inst->rbuf, (size_t)n);
		if (how == CS_DISPATCH_ONE || how == CS_DISPATCH_ONE_NONBLOCKING)
			break;
	}
	if (inst->fast)
		kept_update(inst);
	leave(inst);
	return rc;
}
