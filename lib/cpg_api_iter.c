/*
 * Public API: walking the groups and their members.  An iteration handle
 * names the connection and the daemon's own iteration handle.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "cpg_err.h"
#include "cpg_inst.h"

static int iteration_initialize(cpg_handle_t handle, cpg_iteration_type_t type,
	const struct cpg_name *group, cpg_iteration_handle_t *out)
{
	struct cpg_inst *inst;
	struct cpg_iter *iter;
	uint8_t req[CPG_WIRE_ITER_INIT_SIZE];
	uint8_t res[CPG_WIRE_ITER_INIT_RES_SIZE];
	size_t res_len = 0;
	int rc;

	/* as corosync's library: a group for ONE_GROUP and only for it */
	if (group && group->length > CPG_MAX_NAME_LENGTH)
		return -ENAMETOOLONG;
	if (!out || (type != CPG_ITERATION_NAME_ONLY &&
	    type != CPG_ITERATION_ONE_GROUP && type != CPG_ITERATION_ALL) ||
	    (type == CPG_ITERATION_ONE_GROUP) != (group != NULL))
		return -EINVAL;
	iter = calloc(1, sizeof(*iter));
	if (!iter)
		return -ENOMEM;
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		goto fail;
	cpg_wire_iter_init(req, group, (uint32_t)type);
	rc = cpg_inst_call_buf(inst, req, sizeof(req),
		CPG_RES_ITER_INIT, res, sizeof(res),
		CPG_WIRE_ITER_INIT_RES_SIZE, &res_len);
	cpg_inst_put(handle);
	if (rc == 0)
		rc = cpg_wire_res_iter_handle(res, res_len,
			&iter->server_handle);
	if (rc < 0)
		goto fail;
	iter->owner = handle;
	rc = cpg_htab_create(&cpg_iter_table, iter, free, out);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	free(iter);
	return rc;
}

CPG_EXPORT cs_error_t cpg_iteration_initialize(cpg_handle_t handle,
	cpg_iteration_type_t iteration_type, const struct cpg_name *group,
	cpg_iteration_handle_t *cpg_iteration_handle)
{
	return cpg_err_to_cs(iteration_initialize(handle, iteration_type, group,
		cpg_iteration_handle));
}

/* Both references (iteration, connection) or -EBADF. */
static int iter_get(cpg_iteration_handle_t handle, struct cpg_iter **iter,
	struct cpg_inst **inst)
{
	void *obj;

	if (cpg_htab_get(&cpg_iter_table, handle, &obj) < 0)
		return -EBADF;
	*iter = obj;
	if (cpg_inst_get((*iter)->owner, inst) < 0) {
		cpg_htab_put(&cpg_iter_table, handle);
		return -EBADF;
	}
	return 0;
}

static void iter_put(cpg_iteration_handle_t handle, struct cpg_iter *iter)
{
	cpg_inst_put(iter->owner);
	cpg_htab_put(&cpg_iter_table, handle);
}

static int iteration_next(cpg_iteration_handle_t handle,
	struct cpg_iteration_description_t *desc)
{
	struct cpg_iter *iter;
	struct cpg_inst *inst;
	uint8_t req[CPG_WIRE_ITER_HANDLE_SIZE];
	uint8_t res[CPG_WIRE_ITER_NEXT_RES_SIZE];
	size_t res_len = 0;
	int rc;

	if (!desc)
		return -EINVAL;
	rc = iter_get(handle, &iter, &inst);
	if (rc < 0)
		return rc;
	cpg_wire_iter_handle(req, CPG_REQ_ITER_NEXT, iter->server_handle);
	rc = cpg_inst_call_buf(inst, req, sizeof(req),
		CPG_RES_ITER_NEXT, res, sizeof(res),
		CPG_WIRE_ITER_NEXT_RES_SIZE, &res_len);
	iter_put(handle, iter);
	if (rc == 0)
		rc = cpg_wire_res_iter_desc(res, res_len, desc);
	return rc;
}

CPG_EXPORT cs_error_t cpg_iteration_next(cpg_iteration_handle_t handle,
	struct cpg_iteration_description_t *description)
{
	return cpg_err_to_cs(iteration_next(handle, description));
}

static int iteration_finalize(cpg_iteration_handle_t handle)
{
	struct cpg_iter *iter;
	struct cpg_inst *inst;
	uint8_t req[CPG_WIRE_ITER_HANDLE_SIZE];
	int rc;

	rc = iter_get(handle, &iter, &inst);
	if (rc < 0)
		return rc;
	cpg_wire_iter_handle(req, CPG_REQ_ITER_FINALIZE, iter->server_handle);
	rc = cpg_inst_request(inst, req, sizeof(req), CPG_RES_ITER_FINALIZE);
	iter_put(handle, iter);
	/* the library's handle goes whatever the daemon said */
	if (cpg_htab_destroy(&cpg_iter_table, handle) < 0)
		return -EBADF;
	return rc;
}

CPG_EXPORT cs_error_t cpg_iteration_finalize(cpg_iteration_handle_t handle)
{
	return cpg_err_to_cs(iteration_finalize(handle));
}
