/*
 * libevs.so.4: the EVS API over the library's shared client plumbing
 * (cpg_inst.h: connection, requests, dispatch loop; cpg_htab.h: handles;
 * cpg_frag.h and cpg_reasm.h: fragmentation), speaking the "evs" service's
 * protocol (evs_wire.h).  Each public function converts its internal
 * result to cs_error_t once, on its way out.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpg_err.h"
#include "cpg_frag.h"
#include "cpg_inst.h"
#include "evs_wire.h"

#define EVS_EXPORT __attribute__((visibility("default")))

/* A later fragment refused with TRY_AGAIN is retried this often, this far
 * apart, before the message is given up (as libcpg does). */
#define FRAG_RETRIES 1000
#define FRAG_RETRY_NS (10 * 1000 * 1000)

/* The EVS handles, apart from the CPG ones: neither kind is taken for
 * the other. */
static struct cpg_htab evs_inst_table = CPG_HTAB_INITIALIZER;

static int inst_get(evs_handle_t handle, struct cpg_inst **inst)
{
	return cpg_inst_get_in(&evs_inst_table, handle, inst);
}

static void inst_put(evs_handle_t handle)
{
	cpg_htab_put(&evs_inst_table, handle);
}

static void deliver(struct cpg_inst *inst, uint64_t handle,
	const struct evs_event *ev, const void *msg, size_t len)
{
	const evs_callbacks_t *cb = inst->svc;

	if (cb->evs_deliver_fn)
		cb->evs_deliver_fn(handle, ev->nodeid, msg, len);
}

/* The dispatch loop's handler for this service's events. */
static void on_event(struct cpg_inst *inst, uint64_t handle, size_t len)
{
	const evs_callbacks_t *cb = inst->svc;
	struct evs_event ev;
	void *msg;
	size_t msg_len;

	if (evs_wire_event_decode(inst->rbuf, len, &ev) < 0)
		return;
	if (ev.id == EVS_IPC_EV_DELIVER && ev.frag == EVS_FRAG_NONE) {
		deliver(inst, handle, &ev, ev.data, ev.data_len);
	} else if (ev.id == EVS_IPC_EV_DELIVER) {
		if (cpg_reasm_add(&inst->reasm, ev.nodeid, ev.pid, ev.frag,
				ev.msglen, ev.data, ev.data_len, &msg,
				&msg_len) == 1) {
			deliver(inst, handle, &ev, msg, msg_len);
			free(msg);
		}
	} else if (ev.id == EVS_IPC_EV_CONFCHG && cb->evs_confchg_fn) {
		cb->evs_confchg_fn(handle, ev.members, ev.n_members, ev.left,
			ev.n_left, ev.joined, ev.n_joined, &ev.ring);
	}
	evs_wire_event_release(&ev);
}

static int initialize(evs_handle_t *handle, const evs_callbacks_t *callbacks)
{
	struct cpg_inst *inst;
	evs_callbacks_t *cb;
	int rc;

	if (!handle || !callbacks)
		return -EINVAL;
	cb = malloc(sizeof(*cb));
	if (!cb)
		return -ENOMEM;
	*cb = *callbacks;
	rc = cpg_inst_open(EVS_IPC_SERVICE, &inst);
	if (rc < 0) {
		free(cb);
		return rc;
	}
	inst->svc = cb;
	inst->on_event = on_event;
	rc = cpg_htab_create(&evs_inst_table, inst, cpg_inst_free, handle);
	if (rc < 0)
		cpg_inst_free(inst);
	return rc;
}

EVS_EXPORT cs_error_t evs_initialize(evs_handle_t *handle,
	evs_callbacks_t *callbacks)
{
	return cpg_err_to_cs(initialize(handle, callbacks));
}

/* A lost connection is no error here, only a bad handle (evs_finalize(3)). */
static int finalize(evs_handle_t handle)
{
	uint8_t req[EVS_IPC_REQ_HDR];
	int rc;

	evs_wire_bare(req, EVS_IPC_FINALIZE);
	rc = cpg_inst_finalize_in(&evs_inst_table, handle, req, sizeof(req),
		NULL);
	return rc == -EBADF ? rc : 0;
}

EVS_EXPORT cs_error_t evs_finalize(evs_handle_t handle)
{
	return cpg_err_to_cs(finalize(handle));
}

/* The argument before the handle, unlike libcpg. */
static cs_error_t field(evs_handle_t handle, enum cpg_inst_field f,
	void *arg)
{
	if (!arg && f != CPG_FIELD_CONTEXT_SET)
		return cpg_err_to_cs(-EINVAL);
	return cpg_err_to_cs(cpg_inst_field(&evs_inst_table, handle, f, arg));
}

EVS_EXPORT cs_error_t evs_fd_get(evs_handle_t handle, int *fd)
{
	return field(handle, CPG_FIELD_FD, fd);
}

EVS_EXPORT cs_error_t evs_context_get(evs_handle_t handle, void **context)
{
	return field(handle, CPG_FIELD_CONTEXT_GET, context);
}

EVS_EXPORT cs_error_t evs_context_set(evs_handle_t handle, void *context)
{
	return field(handle, CPG_FIELD_CONTEXT_SET, context);
}

EVS_EXPORT cs_error_t evs_dispatch(evs_handle_t handle,
	cs_dispatch_flags_t dispatch_types)
{
	cs_dispatch_flags_t how = dispatch_types;

	if (how != CS_DISPATCH_ONE && how != CS_DISPATCH_ALL &&
	    how != CS_DISPATCH_BLOCKING && how != CS_DISPATCH_ONE_NONBLOCKING)
		return cpg_err_to_cs(-EINVAL);
	return cpg_err_to_cs(cpg_inst_dispatch_in(&evs_inst_table, handle,
		how));
}

/* 1 to 1,024 groups: -EINVAL for none, -E2BIG for more. */
static int groups_check(const struct evs_group *groups, size_t n)
{
	if (!groups || n == 0)
		return -EINVAL;
	if (n > EVS_IPC_GROUPS_MAX)
		return -E2BIG;
	return 0;
}

static int join_leave(evs_handle_t handle, uint32_t id,
	const struct evs_group *groups, size_t n)
{
	struct cpg_inst *inst;
	uint8_t hdr[EVS_IPC_GROUPS_REQ_HDR];
	uint8_t res[EVS_IPC_RES_HDR];
	struct iovec iov[2];
	int rc = groups_check(groups, n);

	if (rc < 0)
		return rc;
	rc = inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	evs_wire_groups_hdr(hdr, id, (uint32_t)n);
	iov[0] = (struct iovec){ hdr, sizeof(hdr) };
	iov[1] = (struct iovec){ (void *)groups, n * EVS_IPC_GROUP_SIZE };
	rc = cpg_inst_call(inst, iov, 2, (enum cpg_res_id)id, res, sizeof(res),
		EVS_IPC_RES_HDR, NULL);
	inst_put(handle);
	return rc;
}

EVS_EXPORT cs_error_t evs_join(evs_handle_t handle,
	const struct evs_group *groups, size_t group_cnt)
{
	return cpg_err_to_cs(join_leave(handle, EVS_IPC_JOIN, groups,
		group_cnt));
}

EVS_EXPORT cs_error_t evs_leave(evs_handle_t handle,
	const struct evs_group *groups, size_t group_cnt)
{
	return cpg_err_to_cs(join_leave(handle, EVS_IPC_LEAVE, groups,
		group_cnt));
}

/* What every request of one multicast carries besides its payload. */
struct mcast_args {
	uint32_t guarantee;
	int joined;
	uint32_t n_groups;
};

static void mcast_frag_hdr(uint8_t *hdr, void *arg, uint32_t total,
	uint32_t len, uint32_t type)
{
	const struct mcast_args *a = arg;

	evs_wire_mcast_hdr(hdr, a->guarantee, a->joined, a->n_groups, type,
		total, len);
}

static int mcast_whole(struct cpg_inst *inst, struct mcast_args *a,
	const struct evs_group *groups, const struct iovec *iov,
	unsigned int iov_len, size_t total)
{
	uint8_t hdr[EVS_IPC_MCAST_HDR];
	uint8_t res[EVS_IPC_RES_HDR];
	struct iovec few[8], *all = few;
	unsigned int pre = a->n_groups ? 2 : 1;
	int rc;

	if (iov_len + pre > sizeof(few) / sizeof(few[0])) {
		all = malloc((iov_len + pre) * sizeof(*all));
		if (!all)
			return -ENOMEM;
	}
	evs_wire_mcast_hdr(hdr, a->guarantee, a->joined, a->n_groups,
		EVS_FRAG_NONE, (uint32_t)total, (uint32_t)total);
	all[0] = (struct iovec){ hdr, sizeof(hdr) };
	if (pre == 2)
		all[1] = (struct iovec){ (void *)groups,
			a->n_groups * EVS_IPC_GROUP_SIZE };
	for (unsigned int i = 0; i < iov_len; i++)
		all[pre + i] = iov[i];
	rc = cpg_inst_call(inst, all, iov_len + pre,
		(enum cpg_res_id)EVS_IPC_MCAST, res, sizeof(res),
		EVS_IPC_RES_HDR, NULL);
	if (all != few)
		free(all);
	return rc;
}

static int mcast(evs_handle_t handle, evs_guarantee_t guarantee,
	const struct evs_group *groups, size_t n_groups,
	const struct iovec *iov, unsigned int iov_len)
{
	struct mcast_args a = { (uint32_t)guarantee, groups == NULL,
		(uint32_t)n_groups };
	struct cpg_inst *inst;
	size_t total = 0, room;
	int rc;

	if ((unsigned int)guarantee > EVS_TYPE_SAFE)
		return -EINVAL;
	if (!iov && iov_len > 0)
		return -EINVAL;
	for (unsigned int i = 0; i < iov_len; i++) {
		if (!iov[i].iov_base && iov[i].iov_len > 0)
			return -EINVAL;
		if (iov[i].iov_len > EVS_IPC_MSG_MAX - total)
			return -E2BIG;
		total += iov[i].iov_len;
	}
	if (total == 0)
		return -EINVAL;
	rc = inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	room = inst->atomic_size - n_groups * EVS_IPC_GROUP_SIZE;
	if (total <= room) {
		rc = mcast_whole(inst, &a, groups, iov, iov_len, total);
	} else {
		struct cpg_frag_req req = {
			.hdr_len = EVS_IPC_MCAST_HDR,
			.hdr = mcast_frag_hdr,
			.arg = &a,
			.extra = { (void *)groups,
				n_groups * EVS_IPC_GROUP_SIZE },
			.res_id = EVS_IPC_MCAST,
			.frag_max = room,
			.retries = FRAG_RETRIES,
			.retry_ns = FRAG_RETRY_NS,
		};

		rc = cpg_frag_send(inst, &req, iov, iov_len, total);
	}
	inst_put(handle);
	return rc;
}

EVS_EXPORT cs_error_t evs_mcast_joined(evs_handle_t handle,
	evs_guarantee_t guarantee, const struct iovec *iovec,
	unsigned int iov_len)
{
	return cpg_err_to_cs(mcast(handle, guarantee, NULL, 0, iovec,
		iov_len));
}

EVS_EXPORT cs_error_t evs_mcast_groups(evs_handle_t handle,
	evs_guarantee_t guarantee, const struct evs_group *groups,
	size_t group_cnt, const struct iovec *iovec, unsigned int iov_len)
{
	int rc = groups_check(groups, group_cnt);

	if (rc == 0)
		rc = mcast(handle, guarantee, groups, group_cnt, iovec,
			iov_len);
	return cpg_err_to_cs(rc);
}

static int membership_get(evs_handle_t handle, unsigned int *local_nodeid,
	unsigned int *list, size_t *entries)
{
	size_t res_size = EVS_IPC_MEMBERSHIP_RES_HDR + 4 * EVS_IPC_MEMBERS_MAX;
	uint8_t req[EVS_IPC_REQ_HDR];
	uint8_t *res = NULL;
	size_t res_len = 0, count = 0;
	uint32_t nodeid = 0;
	int rc;

	if (!entries || (!list && *entries > 0))
		return -EINVAL;
	evs_wire_bare(req, EVS_IPC_MEMBERSHIP);
	rc = cpg_inst_request_in(&evs_inst_table, handle, req, sizeof(req),
		(enum cpg_res_id)EVS_IPC_MEMBERSHIP, res_size,
		EVS_IPC_MEMBERSHIP_RES_HDR, &res, &res_len);
	if (rc == 0)
		rc = evs_wire_res_membership(res, res_len, &nodeid, list,
			*entries, &count);
	free(res);
	if (rc < 0)
		return rc;
	if (local_nodeid)
		*local_nodeid = nodeid;
	*entries = count;
	return 0;
}

EVS_EXPORT cs_error_t evs_membership_get(evs_handle_t handle,
	unsigned int *local_nodeid, unsigned int *member_list,
	size_t *member_list_entries)
{
	return cpg_err_to_cs(membership_get(handle, local_nodeid, member_list,
		member_list_entries));
}
