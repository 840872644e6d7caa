/*
 * Prints the ABI facts of <corosync/cpg.h> and <corosync/corotypes.h>:
 * every type's size and alignment, every field's offset and size, every
 * enum and macro value.  Built once against the system's headers and once
 * against this tree's; abi_compare.sh fails if the outputs differ.  The
 * function and callback types are checked at compile time instead: a
 * header whose prototypes differ does not compile.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <corosync/cpg.h>

#define V(x)	printf("%s = %lld\n", #x, (long long)(x))
#define S(x)	printf("%s = \"%s\"\n", #x, x)
#define T(t)	printf("sizeof(%s) = %zu, alignof = %zu\n", #t, sizeof(t), \
			_Alignof(t))
#define F(t, f)	printf("%s.%s: offset %zu size %zu\n", #t, #f, \
			offsetof(t, f), sizeof(((t *)0)->f))
#define SAME(a, b) _Static_assert(__builtin_types_compatible_p(a, b), \
			#a " is not " #b)

SAME(__typeof__(&cpg_initialize),
	cs_error_t (*)(cpg_handle_t *, cpg_callbacks_t *));
SAME(__typeof__(&cpg_model_initialize),
	cs_error_t (*)(cpg_handle_t *, cpg_model_t, cpg_model_data_t *, void *));
SAME(__typeof__(&cpg_finalize), cs_error_t (*)(cpg_handle_t));
SAME(__typeof__(&cpg_fd_get), cs_error_t (*)(cpg_handle_t, int *));
SAME(__typeof__(&cpg_max_atomic_msgsize_get),
	cs_error_t (*)(cpg_handle_t, uint32_t *));
SAME(__typeof__(&cpg_context_get), cs_error_t (*)(cpg_handle_t, void **));
SAME(__typeof__(&cpg_context_set), cs_error_t (*)(cpg_handle_t, void *));
SAME(__typeof__(&cpg_dispatch),
	cs_error_t (*)(cpg_handle_t, cs_dispatch_flags_t));
SAME(__typeof__(&cpg_join),
	cs_error_t (*)(cpg_handle_t, const struct cpg_name *));
SAME(__typeof__(&cpg_leave),
	cs_error_t (*)(cpg_handle_t, const struct cpg_name *));
SAME(__typeof__(&cpg_mcast_joined), cs_error_t (*)(cpg_handle_t,
	cpg_guarantee_t, const struct iovec *, unsigned int));
SAME(__typeof__(&cpg_membership_get), cs_error_t (*)(cpg_handle_t,
	struct cpg_name *, struct cpg_address *, int *));
SAME(__typeof__(&cpg_local_get), cs_error_t (*)(cpg_handle_t, unsigned int *));
SAME(__typeof__(&cpg_flow_control_state_get),
	cs_error_t (*)(cpg_handle_t, cpg_flow_control_state_t *));
SAME(__typeof__(&cpg_zcb_alloc),
	cs_error_t (*)(cpg_handle_t, size_t, void **));
SAME(__typeof__(&cpg_zcb_free), cs_error_t (*)(cpg_handle_t, void *));
SAME(__typeof__(&cpg_zcb_mcast_joined),
	cs_error_t (*)(cpg_handle_t, cpg_guarantee_t, void *, size_t));
SAME(__typeof__(&cpg_iteration_initialize), cs_error_t (*)(cpg_handle_t,
	cpg_iteration_type_t, const struct cpg_name *, cpg_iteration_handle_t *));
SAME(__typeof__(&cpg_iteration_next), cs_error_t (*)(cpg_iteration_handle_t,
	struct cpg_iteration_description_t *));
SAME(__typeof__(&cpg_iteration_finalize),
	cs_error_t (*)(cpg_iteration_handle_t));
SAME(__typeof__(&qb_to_cs_error), cs_error_t (*)(int));
SAME(__typeof__(&cs_strerror), const char *(*)(cs_error_t));
SAME(__typeof__(&hdb_error_to_cs), cs_error_t (*)(int));
SAME(__typeof__(&cs_timestamp_get), uint64_t (*)(void));
SAME(cpg_deliver_fn_t, void (*)(cpg_handle_t, const struct cpg_name *,
	uint32_t, uint32_t, void *, size_t));
SAME(cpg_confchg_fn_t, void (*)(cpg_handle_t, const struct cpg_name *,
	const struct cpg_address *, size_t, const struct cpg_address *, size_t,
	const struct cpg_address *, size_t));
SAME(cpg_totem_confchg_fn_t, void (*)(cpg_handle_t, struct cpg_ring_id,
	uint32_t, const uint32_t *));
SAME(cpg_handle_t, uint64_t);
SAME(cpg_iteration_handle_t, uint64_t);
SAME(cs_time_t, int64_t);

static void corotypes(void)
{
	T(cs_time_t);
	V(CS_FALSE);
	V(CS_TRUE);
	V(CS_MAX_NAME_LENGTH);
	V(CS_TIME_END);
	V(CS_MAX(3, 5));
	V(CS_MAX(-1, -7));
	S(CS_PRI_NODE_ID);
	S(CS_PRI_NODE_ID_PADDED);
	S(CS_PRI_RING_ID_SEQ);
	S(CS_PRI_RING_ID);
	T(cs_name_t);
	F(cs_name_t, length);
	F(cs_name_t, value);
	T(cs_version_t);
	F(cs_version_t, releaseCode);
	F(cs_version_t, majorVersion);
	F(cs_version_t, minorVersion);
	T(cs_dispatch_flags_t);
	V(CS_DISPATCH_ONE);
	V(CS_DISPATCH_ALL);
	V(CS_DISPATCH_BLOCKING);
	V(CS_DISPATCH_ONE_NONBLOCKING);
	V(CS_TRACK_CURRENT);
	V(CS_TRACK_CHANGES);
	V(CS_TRACK_CHANGES_ONLY);
	T(cs_error_t);
	V(CS_OK);
	V(CS_ERR_LIBRARY);
	V(CS_ERR_VERSION);
	V(CS_ERR_INIT);
	V(CS_ERR_TIMEOUT);
	V(CS_ERR_TRY_AGAIN);
	V(CS_ERR_INVALID_PARAM);
	V(CS_ERR_NO_MEMORY);
	V(CS_ERR_BAD_HANDLE);
	V(CS_ERR_BUSY);
	V(CS_ERR_ACCESS);
	V(CS_ERR_NOT_EXIST);
	V(CS_ERR_NAME_TOO_LONG);
	V(CS_ERR_EXIST);
	V(CS_ERR_NO_SPACE);
	V(CS_ERR_INTERRUPT);
	V(CS_ERR_NAME_NOT_FOUND);
	V(CS_ERR_NO_RESOURCES);
	V(CS_ERR_NOT_SUPPORTED);
	V(CS_ERR_BAD_OPERATION);
	V(CS_ERR_FAILED_OPERATION);
	V(CS_ERR_MESSAGE_ERROR);
	V(CS_ERR_QUEUE_FULL);
	V(CS_ERR_QUEUE_NOT_AVAILABLE);
	V(CS_ERR_BAD_FLAGS);
	V(CS_ERR_TOO_BIG);
	V(CS_ERR_NO_SECTIONS);
	V(CS_ERR_CONTEXT_NOT_FOUND);
	V(CS_ERR_TOO_MANY_GROUPS);
	V(CS_ERR_SECURITY);
	V(CS_IPC_TIMEOUT_MS);
	V(CS_TIME_MS_IN_SEC);
	V(CS_TIME_US_IN_SEC);
	V(CS_TIME_NS_IN_SEC);
	V(CS_TIME_US_IN_MSEC);
	V(CS_TIME_NS_IN_MSEC);
	V(CS_TIME_NS_IN_USEC);
	V(sizeof(CS_TIME_NS_IN_SEC));
	V(sizeof(CS_TIME_END));
}

static void cpg(void)
{
	T(cpg_handle_t);
	T(cpg_iteration_handle_t);
	T(cpg_guarantee_t);
	V(CPG_TYPE_UNORDERED);
	V(CPG_TYPE_FIFO);
	V(CPG_TYPE_AGREED);
	V(CPG_TYPE_SAFE);
	T(cpg_flow_control_state_t);
	V(CPG_FLOW_CONTROL_DISABLED);
	V(CPG_FLOW_CONTROL_ENABLED);
	T(cpg_reason_t);
	V(CPG_REASON_UNDEFINED);
	V(CPG_REASON_JOIN);
	V(CPG_REASON_LEAVE);
	V(CPG_REASON_NODEDOWN);
	V(CPG_REASON_NODEUP);
	V(CPG_REASON_PROCDOWN);
	T(cpg_iteration_type_t);
	V(CPG_ITERATION_NAME_ONLY);
	V(CPG_ITERATION_ONE_GROUP);
	V(CPG_ITERATION_ALL);
	T(cpg_model_t);
	V(CPG_MODEL_V1);
	T(struct cpg_address);
	F(struct cpg_address, nodeid);
	F(struct cpg_address, pid);
	F(struct cpg_address, reason);
	V(CPG_MAX_NAME_LENGTH);
	T(struct cpg_name);
	F(struct cpg_name, length);
	F(struct cpg_name, value);
	V(CPG_MEMBERS_MAX);
	T(struct cpg_iteration_description_t);
	F(struct cpg_iteration_description_t, group);
	F(struct cpg_iteration_description_t, nodeid);
	F(struct cpg_iteration_description_t, pid);
	T(struct cpg_ring_id);
	F(struct cpg_ring_id, nodeid);
	F(struct cpg_ring_id, seq);
	T(cpg_deliver_fn_t);
	T(cpg_confchg_fn_t);
	T(cpg_totem_confchg_fn_t);
	T(cpg_callbacks_t);
	F(cpg_callbacks_t, cpg_deliver_fn);
	F(cpg_callbacks_t, cpg_confchg_fn);
	T(cpg_model_data_t);
	F(cpg_model_data_t, model);
	V(CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF);
	T(cpg_model_v1_data_t);
	F(cpg_model_v1_data_t, model);
	F(cpg_model_v1_data_t, cpg_deliver_fn);
	F(cpg_model_v1_data_t, cpg_confchg_fn);
	F(cpg_model_v1_data_t, cpg_totem_confchg_fn);
	F(cpg_model_v1_data_t, flags);
}

int main(void)
{
	/* the guards too: code may test them */
#ifdef COROSYNC_CPG_H_DEFINED
	puts("COROSYNC_CPG_H_DEFINED");
#endif
#ifdef COROTYPES_H_DEFINED
	puts("COROTYPES_H_DEFINED");
#endif
	corotypes();
	cpg();
	return 0;
}
