/*
 * Public API: connection life cycle, dispatch and local state.
 * Each function converts its internal result to cs_error_t exactly once.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "cpg_err.h"
#include "cpg_inst.h"

static int match_iter_of(void *obj, void *arg)
{
	const struct cpg_iter *iter = obj;

	return iter->owner == *(const cpg_handle_t *)arg;
}

/* Iterations die with their connection. */
static void finalize_iterations(cpg_handle_t handle)
{
	uint64_t found[64];
	size_t n;

	while ((n = cpg_htab_find(&cpg_iter_table, match_iter_of, &handle,
			found, 64)) > 0)
		for (size_t i = 0; i < n; i++)
			cpg_htab_destroy(&cpg_iter_table, found[i]);
}

/* The model v1 flags this library knows. */
#define MODEL_V1_FLAGS CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF

/*
 * Connect and register; the model was checked by the caller.  Unknown
 * flags are refused only once connected, as corosync's library does, so
 * that without a daemon the answer is the connection's error.
 */
static int model_initialize(cpg_handle_t *handle,
	const cpg_model_v1_data_t *model, void *context)
{
	struct cpg_inst *inst;
	int rc;

	if (!handle)
		return -EINVAL;
	rc = cpg_inst_new(model, context, &inst);
	if (rc < 0)
		return rc;
	if (model->flags & ~MODEL_V1_FLAGS) {
		cpg_inst_free(inst);
		return -EINVAL;
	}
	rc = cpg_htab_create(&cpg_inst_table, inst, cpg_inst_free, handle);
	if (rc < 0)
		cpg_inst_free(inst);
	return rc;
}

/*
 * The model argument decides; the model field of the data is not looked
 * at (programs written for corosync leave it at 0), only overwritten.
 */
static int model_v1_of(cpg_model_t model, const cpg_model_data_t *data,
	cpg_model_v1_data_t *v1)
{
	if (model != CPG_MODEL_V1)
		return -EINVAL;
	if (data)
		*v1 = *(const cpg_model_v1_data_t *)data;
	v1->model = CPG_MODEL_V1;
	return 0;
}

CPG_EXPORT cs_error_t cpg_model_initialize(cpg_handle_t *handle,
	cpg_model_t model, cpg_model_data_t *model_data, void *context)
{
	cpg_model_v1_data_t v1 = { .model = CPG_MODEL_V1 };
	int rc = model_v1_of(model, model_data, &v1);

	if (rc == 0)
		rc = model_initialize(handle, &v1, context);
	return cpg_err_to_cs(rc);
}

CPG_EXPORT cs_error_t cpg_initialize(cpg_handle_t *handle,
	cpg_callbacks_t *callbacks)
{
	cpg_model_v1_data_t v1 = { .model = CPG_MODEL_V1 };

	if (callbacks) {
		v1.cpg_deliver_fn = callbacks->cpg_deliver_fn;
		v1.cpg_confchg_fn = callbacks->cpg_confchg_fn;
	}
	return cpg_err_to_cs(model_initialize(handle, &v1, NULL));
}

#define FINALIZE_TRIES 2000 /* of FINALIZE_PAUSE_NS: 2 s in all */
#define FINALIZE_PAUSE_NS 1000000L

static int finalize(cpg_handle_t handle)
{
	static const struct timespec finalize_pause = { 0, FINALIZE_PAUSE_NS };
	struct cpg_inst *inst;
	uint8_t req[CPG_WIRE_REQ_HDR];
	uint8_t res[CPG_WIRE_RES_HDR];
	struct iovec iov = { req, sizeof(req) };
	unsigned tries;
	int rc;

	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	rc = cpg_inst_mark_finalized(inst);
	if (rc == 0) {
		ssize_t n;

		/* tell the daemon; the handle goes whatever happens, but a
		 * lost connection is reported, as corosync's library does
		 * (the answer's content changes nothing) */
		cpg_wire_bare(req, CPG_REQ_FINALIZE);
		n = cpg_inst_exchange(inst, &iov, 1, res, sizeof(res));
		/* a daemon still holding this connection back (a sender
		 * that outran it) takes requests again once it has caught up;
		 * the caller cannot try again (the handle is gone after this) */
		for (tries = 0; n == -EAGAIN && tries < FINALIZE_TRIES; tries++) {
			nanosleep(&finalize_pause, NULL);
			n = cpg_inst_exchange(inst, &iov, 1, res, sizeof(res));
		}
		finalize_iterations(handle);
		rc = cpg_htab_destroy(&cpg_inst_table, handle);
		if (rc == 0 && n < 0)
			rc = (int)n;
	}
	/* the last reference, perhaps a dispatch in another thread, frees */
	cpg_inst_put(handle);
	return rc;
}

CPG_EXPORT cs_error_t cpg_finalize(cpg_handle_t handle)
{
	return cpg_err_to_cs(finalize(handle));
}

/* The small getters and setters: one function, one switch. */
enum local_op {
	OP_FD_GET,
	OP_ATOMIC_GET,
	OP_CONTEXT_GET,
	OP_CONTEXT_SET,
	OP_FLOW_CONTROL_GET,
};

static int local_op(cpg_handle_t handle, enum local_op op, void *arg)
{
	struct cpg_inst *inst;
	int fd;
	int rc;

	/* the handle first, as in corosync's library */
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	if (!arg && op != OP_CONTEXT_SET) {
		cpg_inst_put(handle);
		return -EINVAL;
	}
	pthread_mutex_lock(&inst->state_lock);
	switch (op) {
	case OP_FD_GET:
		rc = cpg_inst_fd(inst, &fd);
		if (rc == 0)
			*(int *)arg = fd;
		break;
	case OP_ATOMIC_GET:
		*(uint32_t *)arg = (uint32_t)inst->atomic_size;
		break;
	case OP_CONTEXT_GET:
		*(void **)arg = inst->context;
		break;
	case OP_CONTEXT_SET:
		inst->context = arg;
		break;
	case OP_FLOW_CONTROL_GET:
		*(cpg_flow_control_state_t *)arg = inst->flow_control;
		break;
	}
	pthread_mutex_unlock(&inst->state_lock);
	cpg_inst_put(handle);
	return rc;
}

CPG_EXPORT cs_error_t cpg_fd_get(cpg_handle_t handle, int *fd)
{
	return cpg_err_to_cs(local_op(handle, OP_FD_GET, fd));
}

CPG_EXPORT cs_error_t cpg_max_atomic_msgsize_get(cpg_handle_t handle,
	uint32_t *size)
{
	return cpg_err_to_cs(local_op(handle, OP_ATOMIC_GET, size));
}

CPG_EXPORT cs_error_t cpg_context_get(cpg_handle_t handle, void **context)
{
	return cpg_err_to_cs(local_op(handle, OP_CONTEXT_GET, context));
}

CPG_EXPORT cs_error_t cpg_context_set(cpg_handle_t handle, void *context)
{
	return cpg_err_to_cs(local_op(handle, OP_CONTEXT_SET, context));
}

CPG_EXPORT cs_error_t cpg_flow_control_state_get(cpg_handle_t handle,
	cpg_flow_control_state_t *flow_control_enabled)
{
	return cpg_err_to_cs(local_op(handle, OP_FLOW_CONTROL_GET,
		flow_control_enabled));
}

/* Any dispatch type is taken; an unknown one works as BLOCKING. */
static int dispatch(cpg_handle_t handle, cs_dispatch_flags_t how)
{
	struct cpg_inst *inst;
	int rc;

	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	rc = cpg_inst_dispatch(inst, handle, how);
	cpg_inst_put(handle);
	return rc;
}

CPG_EXPORT cs_error_t cpg_dispatch(cpg_handle_t handle,
	cs_dispatch_flags_t dispatch_types)
{
	return cpg_err_to_cs(dispatch(handle, dispatch_types));
}
