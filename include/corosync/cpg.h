/*
 * cpg.h - Closed Process Group client API (libcpg.so.4, link with -lcpg).
 *
 * A process joins a named group; every member of the group receives the
 * messages multicast to it, in the same order everywhere, together with
 * configuration changes (who joined, who left and why).  Callbacks run
 * inside cpg_dispatch(), called by the application when the fd from
 * cpg_fd_get() is readable, or from a thread of its own.
 *
 * Every type, constant and prototype here is part of the ABI of
 * libcpg.so.4 and must keep its size, layout and value.
 */
#ifndef COROSYNC_CPG_H_DEFINED
#define COROSYNC_CPG_H_DEFINED

#include <netinet/in.h>
#include <corosync/corotypes.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Names one connection to the daemon, from cpg_initialize(). */
typedef uint64_t cpg_handle_t;

/* Names one walk over the groups, from cpg_iteration_initialize(). */
typedef uint64_t cpg_iteration_handle_t;

/* Delivery order asked for by a multicast; all are delivered agreed. */
typedef enum {
	CPG_TYPE_UNORDERED,
	CPG_TYPE_FIFO,
	CPG_TYPE_AGREED,
	CPG_TYPE_SAFE
} cpg_guarantee_t;

/* Whether the sender should hold back new messages. */
typedef enum {
	CPG_FLOW_CONTROL_DISABLED,
	CPG_FLOW_CONTROL_ENABLED
} cpg_flow_control_state_t;

/* Why a member appears in a joined or left list. */
typedef enum {
	CPG_REASON_UNDEFINED = 0,
	CPG_REASON_JOIN = 1,		/* called cpg_join() */
	CPG_REASON_LEAVE = 2,		/* called cpg_leave() */
	CPG_REASON_NODEDOWN = 3,	/* its node left the cluster */
	CPG_REASON_NODEUP = 4,		/* its node (re)joined the cluster */
	CPG_REASON_PROCDOWN = 5		/* its connection closed without leave */
} cpg_reason_t;

/* What cpg_iteration_next() walks over. */
typedef enum {
	CPG_ITERATION_NAME_ONLY = 1,	/* one entry per group */
	CPG_ITERATION_ONE_GROUP = 2,	/* the members of one group */
	CPG_ITERATION_ALL = 3,		/* every member of every group */
} cpg_iteration_type_t;

/* The callback model chosen at cpg_model_initialize(). */
typedef enum {
	CPG_MODEL_V1 = 1,
} cpg_model_t;

/* One group member: the process pid on node nodeid. */
struct cpg_address {
	uint32_t nodeid;
	uint32_t pid;
	uint32_t reason;	/* a cpg_reason_t, in joined and left lists */
};

#define CPG_MAX_NAME_LENGTH 128
/* A group name: length bytes of value, not NUL-terminated. */
struct cpg_name {
	uint32_t length;
	char value[CPG_MAX_NAME_LENGTH];
};

#define CPG_MEMBERS_MAX 128

/* One entry returned by cpg_iteration_next(). */
struct cpg_iteration_description_t {
	struct cpg_name group;
	uint32_t nodeid;
	uint32_t pid;
};

/* Identifies one cluster membership (ring). */
struct cpg_ring_id {
	uint32_t nodeid;
	uint64_t seq;
};

/*
 * A message delivered to the group.  msg is writable so that the
 * application may convert it in place; it is valid until the callback
 * returns.
 */
typedef void (*cpg_deliver_fn_t) (
	cpg_handle_t handle,
	const struct cpg_name *group_name,
	uint32_t nodeid,
	uint32_t pid,
	void *msg,
	size_t msg_len);

/* The group's membership changed: the new members, who left, who joined. */
typedef void (*cpg_confchg_fn_t) (
	cpg_handle_t handle,
	const struct cpg_name *group_name,
	const struct cpg_address *member_list, size_t member_list_entries,
	const struct cpg_address *left_list, size_t left_list_entries,
	const struct cpg_address *joined_list, size_t joined_list_entries);

/* The cluster membership (ring) changed: the node ids now in it. */
typedef void (*cpg_totem_confchg_fn_t) (
	cpg_handle_t handle,
	struct cpg_ring_id ring_id,
	uint32_t member_list_entries,
	const uint32_t *member_list);

/* Callbacks for cpg_initialize(); either may be NULL. */
typedef struct {
	cpg_deliver_fn_t cpg_deliver_fn;
	cpg_confchg_fn_t cpg_confchg_fn;
} cpg_callbacks_t;

/* Common head of every model's data for cpg_model_initialize(). */
typedef struct {
	cpg_model_t model;
} cpg_model_data_t;

/* Model v1 flag: deliver the current ring once right after our own join. */
#define CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF 0x01

/* Model v1 data for cpg_model_initialize(). */
typedef struct {
	cpg_model_t model;
	cpg_deliver_fn_t cpg_deliver_fn;
	cpg_confchg_fn_t cpg_confchg_fn;
	cpg_totem_confchg_fn_t cpg_totem_confchg_fn;
	unsigned int flags;
} cpg_model_v1_data_t;

/* Connect to the daemon; CS_ERR_LIBRARY when none is running. */
cs_error_t cpg_initialize (
	cpg_handle_t *handle,
	cpg_callbacks_t *callbacks);

/* Connect with a callback model (CPG_MODEL_V1) and an initial context. */
cs_error_t cpg_model_initialize (
	cpg_handle_t *handle,
	cpg_model_t model,
	cpg_model_data_t *model_data,
	void *context);

/* Close the connection; the handle becomes invalid. */
cs_error_t cpg_finalize (
	cpg_handle_t handle);

/* An fd that polls readable when callbacks are pending. */
cs_error_t cpg_fd_get (
	cpg_handle_t handle,
	int *fd);

/* Largest message that goes to the daemon in one piece. */
cs_error_t cpg_max_atomic_msgsize_get (
	cpg_handle_t handle,
	uint32_t *size);

/* The application's pointer stored with the handle. */
cs_error_t cpg_context_get (
	cpg_handle_t handle,
	void **context);

/* Store an application pointer with the handle. */
cs_error_t cpg_context_set (
	cpg_handle_t handle,
	void *context);

/* Run pending callbacks; see cs_dispatch_flags_t. */
cs_error_t cpg_dispatch (
	cpg_handle_t handle,
	cs_dispatch_flags_t dispatch_types);

/* Join a group (one per handle); completion arrives as a confchg. */
cs_error_t cpg_join (
	cpg_handle_t handle,
	const struct cpg_name *group);

/* Leave the joined group; completion arrives as a confchg. */
cs_error_t cpg_leave (
	cpg_handle_t handle,
	const struct cpg_name *group);

/* Multicast the concatenated iovecs to the joined group. */
cs_error_t cpg_mcast_joined (
	cpg_handle_t handle,
	cpg_guarantee_t guarantee,
	const struct iovec *iovec,
	unsigned int iov_len);

/*
 * The current members of a group.  *member_list_entries is the room in
 * member_list on entry and the number of entries filled on return.
 */
cs_error_t cpg_membership_get (
	cpg_handle_t handle,
	struct cpg_name *groupName,
	struct cpg_address *member_list,
	int *member_list_entries);

/* The node id of the local node. */
cs_error_t cpg_local_get (
	cpg_handle_t handle,
	unsigned int *local_nodeid);

/* Whether the daemon asks senders to hold back. */
cs_error_t cpg_flow_control_state_get (
	cpg_handle_t handle,
	cpg_flow_control_state_t *flow_control_enabled);

/* A buffer shared with the daemon, multicast without a copy. */
cs_error_t cpg_zcb_alloc (
	cpg_handle_t handle,
	size_t size,
	void **buffer);

/* Release a buffer from cpg_zcb_alloc(). */
cs_error_t cpg_zcb_free (
	cpg_handle_t handle,
	void *buffer);

/* Multicast msg_len bytes of a buffer from cpg_zcb_alloc(). */
cs_error_t cpg_zcb_mcast_joined (
	cpg_handle_t handle,
	cpg_guarantee_t guarantee,
	void *msg,
	size_t msg_len);

/* Start a walk over groups and members; group is used for ONE_GROUP. */
cs_error_t cpg_iteration_initialize(
	cpg_handle_t handle,
	cpg_iteration_type_t iteration_type,
	const struct cpg_name *group,
	cpg_iteration_handle_t *cpg_iteration_handle);

/* The next entry; CS_ERR_NO_SECTIONS after the last. */
cs_error_t cpg_iteration_next(
	cpg_iteration_handle_t handle,
	struct cpg_iteration_description_t *description);

/* End a walk and release its handle. */
cs_error_t cpg_iteration_finalize (
	cpg_iteration_handle_t handle);

#ifdef __cplusplus
}
#endif

#endif /* COROSYNC_CPG_H_DEFINED */
