/*
 * evs.h - Extended Virtual Synchrony client API (libevs.so.4, link with
 * -levs), source-compatible with the EVS API of corosync 1.x.
 *
 * A process joins any number of groups, each named by 32 bytes.  A
 * message is multicast to a list of groups (the sender need not have
 * joined any of them) and is delivered once to every process, on every
 * node of the configuration, that has joined at least one of those
 * groups.  All EVS messages, and CPG messages of the same daemon, are
 * delivered in one agreed order.  Configuration changes report processors
 * (node ids), not processes.  Callbacks run inside evs_dispatch().
 *
 * Every type, constant and prototype here is part of the ABI of
 * libevs.so.4 and must keep its size, layout and value.
 */
#ifndef COROSYNC_EVS_H_DEFINED
#define COROSYNC_EVS_H_DEFINED

#include <inttypes.h>
#include <stddef.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <corosync/corotypes.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The 64-bit handle type of corosync's <corosync/hdb.h>, which the
 * callbacks take.  Declared here when that header has not been included;
 * if it is included later, its typedef names the same type.
 */
#ifndef HDB_H_DEFINED
typedef uint64_t hdb_handle_t;
#endif

/* Names one connection to the daemon, from evs_initialize(). */
typedef uint64_t evs_handle_t;

/* The error type of every call; EVS_OK is success. */
#define evs_error_t cs_error_t
#define EVS_OK CS_OK

/*
 * Delivery order asked for by a multicast.  UNORDERED and FIFO are
 * delivered in agreed order; SAFE once every node of the ring holds the
 * message.
 */
typedef enum {
	EVS_TYPE_UNORDERED,
	EVS_TYPE_FIFO,
	EVS_TYPE_AGREED,
	EVS_TYPE_SAFE
} evs_guarantee_t;

/* Size of an IP address as corosync 1.x's totem layer kept it. */
#define TOTEMIP_ADDRLEN (sizeof(struct in6_addr))

/* A group: 32 bytes compared as bytes (not a C string). */
struct evs_group {
	char key[32];
};

/* A configuration of the ring: its representative and sequence. */
struct evs_ring_id {
	unsigned int nodeid;
	unsigned long long seq;
};

/* A message of msg_len bytes from a process on node nodeid. */
typedef void (*evs_deliver_fn_t)(hdb_handle_t handle, unsigned int nodeid,
	const void *msg, size_t msg_len);

/* A new configuration: its node ids, who left and who joined since the
 * previous one, and its ring id. */
typedef void (*evs_confchg_fn_t)(hdb_handle_t handle,
	const unsigned int *member_list, size_t member_list_entries,
	const unsigned int *left_list, size_t left_list_entries,
	const unsigned int *joined_list, size_t joined_list_entries,
	const struct evs_ring_id *ring_id);

typedef struct {
	evs_deliver_fn_t evs_deliver_fn;
	evs_confchg_fn_t evs_confchg_fn;
} evs_callbacks_t;

/* Connect to the daemon; the callbacks are copied. */
cs_error_t evs_initialize(evs_handle_t *handle, evs_callbacks_t *callbacks);

/* Disconnect; the handle is invalid afterwards. */
cs_error_t evs_finalize(evs_handle_t handle);

/* A descriptor that is readable when evs_dispatch() has work. */
cs_error_t evs_fd_get(evs_handle_t handle, int *fd);

/* The application's pointer kept with the handle (NULL at first). */
cs_error_t evs_context_get(evs_handle_t handle, void **context);
cs_error_t evs_context_set(evs_handle_t handle, void *context);

/* Run callbacks: CS_DISPATCH_ONE, _ALL, _BLOCKING or _ONE_NONBLOCKING. */
cs_error_t evs_dispatch(evs_handle_t handle,
	cs_dispatch_flags_t dispatch_types);

/* Join or leave group_cnt groups (1 to 1,024 per call). */
cs_error_t evs_join(evs_handle_t handle, const struct evs_group *groups,
	size_t group_cnt);
cs_error_t evs_leave(evs_handle_t handle, const struct evs_group *groups,
	size_t group_cnt);

/* Multicast to the handle's joined groups. */
cs_error_t evs_mcast_joined(evs_handle_t handle, evs_guarantee_t guarantee,
	const struct iovec *iovec, unsigned int iov_len);

/* Multicast to group_cnt groups, joined or not. */
cs_error_t evs_mcast_groups(evs_handle_t handle, evs_guarantee_t guarantee,
	const struct evs_group *groups, size_t group_cnt,
	const struct iovec *iovec, unsigned int iov_len);

/*
 * The local node id and the node ids of the current configuration.
 * *member_list_entries is the room in member_list on entry and the number
 * of entries written on return.
 */
cs_error_t evs_membership_get(evs_handle_t handle, unsigned int *local_nodeid,
	unsigned int *member_list, size_t *member_list_entries);

#ifdef __cplusplus
}
#endif

#endif
