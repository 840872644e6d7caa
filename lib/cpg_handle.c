/*
 * What both APIs (libcpg, libevs) do with a handle alone: take a
 * reference, dispatch, read or set the small fields, finalize.  Each
 * service keeps its handles in its own table (cpg_inst.h).
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "cpg_inst.h"

int cpg_inst_dispatch_in(struct cpg_htab *t, uint64_t handle,
	cs_dispatch_flags_t how)
{
	struct cpg_inst *inst;
	int rc = cpg_inst_get_in(t, handle, &inst);

	if (rc < 0)
		return rc;
	rc = cpg_inst_dispatch(inst, handle, how);
	cpg_htab_put(t, handle);
	return rc;
}

int cpg_inst_request_in(struct cpg_htab *t, uint64_t handle,
	const void *req, size_t len, enum cpg_res_id res_id, size_t res_size,
	size_t min_len, uint8_t **res, size_t *res_len)
{
	struct cpg_inst *inst;
	int rc;

	*res_len = 0;
	*res = malloc(res_size);
	if (!*res)
		return -ENOMEM;
	rc = cpg_inst_get_in(t, handle, &inst);
	if (rc < 0)
		return rc;
	rc = cpg_inst_call_buf(inst, req, len, res_id, *res, res_size,
		min_len, res_len);
	cpg_htab_put(t, handle);
	return rc;
}

int cpg_inst_field(struct cpg_htab *t, uint64_t handle,
	enum cpg_inst_field field, void *arg)
{
	struct cpg_inst *inst;
	int fd;
	int rc = cpg_inst_get_in(t, handle, &inst);

	/* the handle first, as in corosync's library */
	if (rc < 0)
		return rc;
	if (!arg && field != CPG_FIELD_CONTEXT_SET) {
		cpg_htab_put(t, handle);
		return -EINVAL;
	}
	pthread_mutex_lock(&inst->state_lock);
	switch (field) {
	case CPG_FIELD_FD:
		rc = cpg_inst_fd(inst, &fd);
		if (rc == 0)
			*(int *)arg = fd;
		break;
	case CPG_FIELD_ATOMIC:
		*(uint32_t *)arg = (uint32_t)inst->atomic_size;
		break;
	case CPG_FIELD_CONTEXT_GET:
		*(void **)arg = inst->context;
		break;
	case CPG_FIELD_CONTEXT_SET:
		inst->context = arg;
		break;
	case CPG_FIELD_FLOW_CONTROL:
		*(cpg_flow_control_state_t *)arg = inst->flow_control;
		break;
	}
	pthread_mutex_unlock(&inst->state_lock);
	cpg_htab_put(t, handle);
	return rc;
}

#define FINALIZE_TRIES 2000 /* of FINALIZE_PAUSE_NS: 2 s in all */
#define FINALIZE_PAUSE_NS 1000000L

/*
 * Tell the daemon; a daemon still holding this connection back (a sender
 * that outran it) takes requests again once it has caught up, and the
 * caller cannot try again (the handle is gone after this).
 */
static ssize_t send_finalize(struct cpg_inst *inst, const void *req,
	size_t len)
{
	static const struct timespec pause = { 0, FINALIZE_PAUSE_NS };
	uint8_t res[CPG_WIRE_RES_HDR];
	ssize_t n = cpg_inst_exchange_buf(inst, req, len, res, sizeof(res));
	unsigned tries;

	for (tries = 0; n == -EAGAIN && tries < FINALIZE_TRIES; tries++) {
		nanosleep(&pause, NULL);
		n = cpg_inst_exchange_buf(inst, req, len, res, sizeof(res));
	}
	return n;
}

int cpg_inst_finalize_in(struct cpg_htab *t, uint64_t handle,
	const void *req, size_t len, void (*before)(uint64_t handle))
{
	struct cpg_inst *inst;
	int rc = cpg_inst_get_in(t, handle, &inst);
	ssize_t n;

	if (rc < 0)
		return rc;
	rc = cpg_inst_mark_finalized(inst);
	if (rc == 0) {
		/* the handle goes whatever happens, but a lost connection is
		 * reported, as corosync's library does (the answer's content
		 * changes nothing) */
		n = send_finalize(inst, req, len);
		if (before)
			before(handle);
		rc = cpg_htab_destroy(t, handle);
		if (rc == 0 && n < 0)
			rc = (int)n;
	}
	/* the last reference, perhaps a dispatch in another thread, frees */
	cpg_htab_put(t, handle);
	return rc;
}
