/*
 * Public API: joining, leaving, multicasting and membership queries.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cpg_err.h"
#include "cpg_frag.h"
#include "cpg_inst.h"

/* A later fragment refused with TRY_AGAIN is retried this often... */
#define FRAG_RETRIES 1000
/* ...this far apart, before the message is given up. */
#define FRAG_RETRY_NS (10 * 1000 * 1000)
/* A join or leave refused as busy is asked again this far apart. */
#define BUSY_RETRY_NS (1000 * 1000)

static int join_leave(cpg_handle_t handle, const struct cpg_name *group,
	int join)
{
	struct timespec busy_pause = { 0, BUSY_RETRY_NS };
	struct cpg_inst *inst;
	uint8_t req[CPG_WIRE_JOIN_SIZE];
	size_t len;
	int rc;

	/* the name before the handle, as corosync's library does */
	if (!group)
		return -EINVAL;
	if (group->length > CPG_MAX_NAME_LENGTH)
		return -ENAMETOOLONG;
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	if (join) {
		cpg_wire_join(req, group, (uint32_t)getpid(), inst->model.flags);
		len = CPG_WIRE_JOIN_SIZE;
	} else {
		cpg_wire_leave(req, group, (uint32_t)getpid());
		len = CPG_WIRE_LEAVE_SIZE;
	}
	/* CS_ERR_BUSY: this connection's own leave (or join) is still under
	 * way; wait it out, as corosync's library does, unless finalized */
	while ((rc = cpg_inst_request(inst, req, len,
			join ? CPG_RES_JOIN : CPG_RES_LEAVE)) ==
		cpg_err_from_cs(CS_ERR_BUSY) &&
	    !cpg_inst_is_finalized(inst))
		nanosleep(&busy_pause, NULL);
	cpg_inst_put(handle);
	return rc;
}

CPG_EXPORT cs_error_t cpg_join(cpg_handle_t handle,
	const struct cpg_name *group)
{
	return cpg_err_to_cs(join_leave(handle, group, 1));
}

CPG_EXPORT cs_error_t cpg_leave(cpg_handle_t handle,
	const struct cpg_name *group)
{
	return cpg_err_to_cs(join_leave(handle, group, 0));
}

/* A single MCAST request: header, then the caller's iovecs as they are. */
static int mcast_atomic(struct cpg_inst *inst, uint32_t guarantee,
	const struct iovec *iov, unsigned int iov_len, size_t total)
{
	uint8_t hdr[CPG_WIRE_MCAST_HDR];
	struct iovec few[8], *all = few;
	int rc;

	/* the common case of a few iovecs needs no allocation */
	if (iov_len + 1u > sizeof(few) / sizeof(few[0])) {
		all = malloc((iov_len + 1u) * sizeof(*all));
		if (!all)
			return -ENOMEM;
	}
	cpg_wire_mcast_hdr(hdr, guarantee, (uint32_t)total);
	all[0] = (struct iovec){ hdr, sizeof(hdr) };
	for (unsigned int i = 0; i < iov_len; i++)
		all[i + 1] = iov[i];
	if (inst->ring)
		rc = cpg_ring_mcast(inst, all, iov_len + 1u,
			CPG_WIRE_MCAST_HDR + total);
	else
		rc = cpg_inst_send(inst, all, iov_len + 1u);
	if (all != few)
		free(all);
	return rc;
}

static void partial_hdr(uint8_t *hdr, void *arg, uint32_t total,
	uint32_t len, uint32_t type)
{
	cpg_wire_partial_hdr(hdr, *(const uint32_t *)arg, total, len, type);
}

static int mcast_fragmented(struct cpg_inst *inst, uint32_t guarantee,
	const struct iovec *iov, unsigned int iov_len, size_t total)
{
	struct cpg_frag_req req = {
		.hdr_len = CPG_WIRE_PARTIAL_HDR,
		.hdr = partial_hdr,
		.arg = &guarantee,
		.res_id = CPG_RES_PARTIAL_SEND,
		.frag_max = inst->atomic_size,
		.retries = FRAG_RETRIES,
		.retry_ns = FRAG_RETRY_NS,
	};

	return cpg_frag_send(inst, &req, iov, iov_len, total);
}

/* The message's length, or -EINVAL / -E2BIG for iovecs we cannot send. */
static int iov_total(const struct iovec *iov, unsigned int iov_len,
	size_t *total)
{
	*total = 0;
	if (!iov && iov_len > 0)
		return -EINVAL;
	for (unsigned int i = 0; i < iov_len; i++) {
		if (!iov[i].iov_base && iov[i].iov_len > 0)
			return -EINVAL;
		if (iov[i].iov_len > CPG_REASM_MAX_MSG - *total)
			return -E2BIG;
		*total += iov[i].iov_len;
	}
	return 0;
}

static int mcast_joined(cpg_handle_t handle, cpg_guarantee_t guarantee,
	const struct iovec *iov, unsigned int iov_len)
{
	struct cpg_inst *inst;
	size_t total;
	int rc;

	/* the handle first, as in corosync's library */
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	rc = iov_total(iov, iov_len, &total);
	if (rc == 0 && total <= inst->atomic_size)
		rc = mcast_atomic(inst, (uint32_t)guarantee, iov, iov_len, total);
	else if (rc == 0)
		rc = mcast_fragmented(inst, (uint32_t)guarantee, iov, iov_len,
			total);
	cpg_inst_put(handle);
	return rc;
}

CPG_EXPORT cs_error_t cpg_mcast_joined(cpg_handle_t handle,
	cpg_guarantee_t guarantee, const struct iovec *iovec,
	unsigned int iov_len)
{
	return cpg_err_to_cs(mcast_joined(handle, guarantee, iovec, iov_len));
}

static int membership_get(cpg_handle_t handle, const struct cpg_name *group,
	struct cpg_address *list, int *entries)
{
	uint8_t req[CPG_WIRE_MEMBERSHIP_SIZE];
	uint8_t *res = NULL;
	size_t count = 0, res_len = 0, room;
	int rc;

	/* in corosync's order, all before the handle */
	if (!group)
		return -EINVAL;
	if (group->length > CPG_MAX_NAME_LENGTH)
		return -ENAMETOOLONG;
	if (!list || !entries)
		return -EINVAL;
	/* a count that cannot be a room (a program that treats it as output
	 * only, as corosync's library does) stands for CPG_MEMBERS_MAX */
	room = *entries > 0 ? (size_t)*entries : CPG_MEMBERS_MAX;
	cpg_wire_membership(req, group);
	rc = cpg_inst_request_in(&cpg_inst_table, handle, req, sizeof(req),
		CPG_RES_MEMBERSHIP, CPG_WIRE_MEMBERSHIP_RES_SIZE, 32, &res,
		&res_len);
	if (rc == 0)
		rc = cpg_wire_res_members(res, res_len, list, room, &count);
	if (rc == 0)
		*entries = (int)count;
	free(res);
	return rc;
}

CPG_EXPORT cs_error_t cpg_membership_get(cpg_handle_t handle,
	struct cpg_name *groupName, struct cpg_address *member_list,
	int *member_list_entries)
{
	return cpg_err_to_cs(membership_get(handle, groupName, member_list,
		member_list_entries));
}

static int local_get(cpg_handle_t handle, unsigned int *nodeid)
{
	struct cpg_inst *inst;
	uint8_t req[CPG_WIRE_REQ_HDR];
	uint8_t res[CPG_WIRE_LOCAL_GET_RES_SIZE];
	size_t res_len = 0;
	uint32_t v = 0;
	int rc;

	/* the handle first, as in corosync's library */
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	if (!nodeid) {
		cpg_inst_put(handle);
		return -EINVAL;
	}
	cpg_wire_bare(req, CPG_REQ_LOCAL_GET);
	rc = cpg_inst_call_buf(inst, req, sizeof(req),
		CPG_RES_LOCAL_GET, res, sizeof(res), 28, &res_len);
	cpg_inst_put(handle);
	if (rc == 0)
		rc = cpg_wire_res_local_nodeid(res, res_len, &v);
	if (rc == 0)
		*nodeid = v;
	return rc;
}

CPG_EXPORT cs_error_t cpg_local_get(cpg_handle_t handle,
	unsigned int *local_nodeid)
{
	return cpg_err_to_cs(local_get(handle, local_nodeid));
}
