/*
 * Public API: connection life cycle, dispatch and local state.
 * Each function converts its internal result to cs_error_t exactly once.
 */
#include <config.h>

#include <errno.h>
#include <string.h>

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

static int finalize(cpg_handle_t handle)
{
	uint8_t req[CPG_WIRE_REQ_HDR];

	cpg_wire_bare(req, CPG_REQ_FINALIZE);
	return cpg_inst_finalize_in(&cpg_inst_table, handle, req, sizeof(req),
		finalize_iterations);
}

CPG_EXPORT cs_error_t cpg_finalize(cpg_handle_t handle)
{
	return cpg_err_to_cs(finalize(handle));
}

static int field(cpg_handle_t handle, enum cpg_inst_field f, void *arg)
{
	return cpg_inst_field(&cpg_inst_table, handle, f, arg);
}

CPG_EXPORT cs_error_t cpg_fd_get(cpg_handle_t handle, int *fd)
{
	return cpg_err_to_cs(field(handle, CPG_FIELD_FD, fd));
}

CPG_EXPORT cs_error_t cpg_max_atomic_msgsize_get(cpg_handle_t handle,
	uint32_t *size)
{
	return cpg_err_to_cs(field(handle, CPG_FIELD_ATOMIC, size));
}

CPG_EXPORT cs_error_t cpg_context_get(cpg_handle_t handle, void **context)
{
	return cpg_err_to_cs(field(handle, CPG_FIELD_CONTEXT_GET, context));
}

CPG_EXPORT cs_error_t cpg_context_set(cpg_handle_t handle, void *context)
{
	return cpg_err_to_cs(field(handle, CPG_FIELD_CONTEXT_SET, context));
}

CPG_EXPORT cs_error_t cpg_flow_control_state_get(cpg_handle_t handle,
	cpg_flow_control_state_t *flow_control_enabled)
{
	return cpg_err_to_cs(field(handle, CPG_FIELD_FLOW_CONTROL,
		flow_control_enabled));
}

CPG_EXPORT cs_error_t cpg_dispatch(cpg_handle_t handle,
	cs_dispatch_flags_t dispatch_types)
{
	/* any dispatch type is taken; an unknown one works as BLOCKING */
	return cpg_err_to_cs(cpg_inst_dispatch_in(&cpg_inst_table, handle,
		dispatch_types));
}
