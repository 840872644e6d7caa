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

static int model_initialize(cpg_handle_t *handle,
	const cpg_model_v1_data_t *model, void *context)
{
	struct cpg_inst *inst;
	int rc;

	rc = cpg_inst_new(model, context, &inst);
	if (rc < 0)
		return rc;
	rc = cpg_htab_create(&cpg_inst_table, inst, cpg_inst_free, handle);
	if (rc < 0)
		cpg_inst_free(inst);
	return rc;
}

CPG_EXPORT cs_error_t cpg_model_initialize(cpg_handle_t *handle,
	cpg_model_t model, cpg_model_data_t *model_data, void *context)
{
	cpg_model_v1_data_t v1 = { .model = CPG_MODEL_V1 };

	if (!handle || model != CPG_MODEL_V1)
		return CS_ERR_INVALID_PARAM;
	if (model_data) {
		if (model_data->model != CPG_MODEL_V1)
			return CS_ERR_INVALID_PARAM;
		v1 = *(cpg_model_v1_data_t *)model_data;
	}
	return cpg_err_to_cs(model_initialize(handle, &v1, context));
}

CPG_EXPORT cs_error_t cpg_initialize(cpg_handle_t *handle,
	cpg_callbacks_t *callbacks)
{
	cpg_model_v1_data_t v1 = { .model = CPG_MODEL_V1 };

	if (!handle)
		return CS_ERR_INVALID_PARAM;
	if (callbacks) {
		v1.cpg_deliver_fn = callbacks->cpg_deliver_fn;
		v1.cpg_confchg_fn = callbacks->cpg_confchg_fn;
	}
	return cpg_err_to_cs(model_initialize(handle, &v1, NULL));
}

static int finalize(cpg_handle_t handle)
{
	struct cpg_inst *inst;
	uint8_t req[CPG_WIRE_REQ_HDR];
	uint8_t res[CPG_WIRE_RES_HDR];
	struct iovec iov = { req, sizeof(req) };
	int rc;

	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	rc = cpg_inst_mark_finalized(inst);
	if (rc == 0) {
		/* tell the daemon; its answer changes nothing here */
		cpg_wire_bare(req, CPG_REQ_FINALIZE);
		(void)cpg_inst_call(inst, &iov, 1, CPG_RES_FINALIZE, res,
			sizeof(res), 0, NULL);
		finalize_iterations(handle);
		rc = cpg_htab_destroy(&cpg_inst_table, handle);
	}
	/* the last reference, perhaps a dispatch in another thread, frees */
	cpg_inst_put(handle);
	return rc;
}

CPG_EXPORT cs_error_t cpg_finalize(cpg_handle_t handle)
{
	return cpg_err_to_cs(finalize(handle));
}

CPG_EXPORT cs_error_t cpg_fd_get(cpg_handle_t handle, int *fd)
{
	struct cpg_inst *inst;
	int32_t qfd;
	int rc;

	if (!fd)
		return CS_ERR_INVALID_PARAM;
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return cpg_err_to_cs(rc);
	rc = qb_ipcc_fd_get(inst->c, &qfd);
	if (rc == 0)
		*fd = qfd;
	cpg_inst_put(handle);
	return cpg_err_to_cs(rc);
}

CPG_EXPORT cs_error_t cpg_max_atomic_msgsize_get(cpg_handle_t handle,
	uint32_t *size)
{
	struct cpg_inst *inst;
	int rc;

	if (!size)
		return CS_ERR_INVALID_PARAM;
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return cpg_err_to_cs(rc);
	*size = (uint32_t)inst->atomic_size;
	cpg_inst_put(handle);
	return CS_OK;
}

CPG_EXPORT cs_error_t cpg_context_get(cpg_handle_t handle, void **context)
{
	struct cpg_inst *inst;
	int rc;

	if (!context)
		return CS_ERR_INVALID_PARAM;
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return cpg_err_to_cs(rc);
	pthread_mutex_lock(&inst->state_lock);
	*context = inst->context;
	pthread_mutex_unlock(&inst->state_lock);
	cpg_inst_put(handle);
	return CS_OK;
}

CPG_EXPORT cs_error_t cpg_context_set(cpg_handle_t handle, void *context)
{
	struct cpg_inst *inst;
	int rc;

	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return cpg_err_to_cs(rc);
	pthread_mutex_lock(&inst->state_lock);
	inst->context = context;
	pthread_mutex_unlock(&inst->state_lock);
	cpg_inst_put(handle);
	return CS_OK;
}

CPG_EXPORT cs_error_t cpg_flow_control_state_get(cpg_handle_t handle,
	cpg_flow_control_state_t *flow_control_enabled)
{
	struct cpg_inst *inst;
	int rc;

	if (!flow_control_enabled)
		return CS_ERR_INVALID_PARAM;
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return cpg_err_to_cs(rc);
	pthread_mutex_lock(&inst->state_lock);
	*flow_control_enabled = inst->flow_control;
	pthread_mutex_unlock(&inst->state_lock);
	cpg_inst_put(handle);
	return CS_OK;
}

CPG_EXPORT cs_error_t cpg_dispatch(cpg_handle_t handle,
	cs_dispatch_flags_t dispatch_types)
{
	struct cpg_inst *inst;
	int rc;

	if (dispatch_types != CS_DISPATCH_ONE &&
	    dispatch_types != CS_DISPATCH_ALL &&
	    dispatch_types != CS_DISPATCH_BLOCKING &&
	    dispatch_types != CS_DISPATCH_ONE_NONBLOCKING)
		return CS_ERR_INVALID_PARAM;
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return cpg_err_to_cs(rc);
	rc = cpg_inst_dispatch(inst, handle, dispatch_types);
	cpg_inst_put(handle);
	return cpg_err_to_cs(rc);
}
