/*
 * cpg_argcheck: proves that a libcpg checks the arguments of its 20 public
 * functions as the table in cpg_overview(8) says, one row per check.
 *
 *   cpg_argcheck [--ref] [--only ROW] LIBRARY
 *
 * LIBRARY is loaded by its path (dlopen), so the same binary judges this
 * tree's libcpg.so.4 and Debian's /usr/lib/x86_64-linux-gnu/libcpg.so.4;
 * --ref says the library is corosync's own, whose expected results differ
 * only where it crashes (or is not run at all, where the call would harm
 * the daemon or the machine).  A daemon (cpgd or corosync) must serve the
 * "cpg" IPC service.  Every row runs in a child process of its own, so a
 * crash is seen as a signal.  Prints one line per row and exits 0 only if
 * every row gave what the table says.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cpg.h>

/* The library under test, found by dlsym. */
static struct {
	__typeof__(cpg_initialize) *initialize;
	__typeof__(cpg_model_initialize) *model_initialize;
	__typeof__(cpg_finalize) *finalize;
	__typeof__(cpg_fd_get) *fd_get;
	__typeof__(cpg_max_atomic_msgsize_get) *max_atomic_msgsize_get;
	__typeof__(cpg_context_get) *context_get;
	__typeof__(cpg_context_set) *context_set;
	__typeof__(cpg_dispatch) *dispatch;
	__typeof__(cpg_join) *join;
	__typeof__(cpg_leave) *leave;
	__typeof__(cpg_mcast_joined) *mcast_joined;
	__typeof__(cpg_membership_get) *membership_get;
	__typeof__(cpg_local_get) *local_get;
	__typeof__(cpg_flow_control_state_get) *flow_control_state_get;
	__typeof__(cpg_zcb_alloc) *zcb_alloc;
	__typeof__(cpg_zcb_free) *zcb_free;
	__typeof__(cpg_zcb_mcast_joined) *zcb_mcast_joined;
	__typeof__(cpg_iteration_initialize) *iteration_initialize;
	__typeof__(cpg_iteration_next) *iteration_next;
	__typeof__(cpg_iteration_finalize) *iteration_finalize;
} A;

/* Row results besides a cs_error_t (all fit an exit status). */
#define R_WRONG 250		/* the call's answer was right, its effect not */
#define R_SETUP 251		/* the row could not set itself up */
/* Expectations besides a cs_error_t. */
#define X_CRASH (-1)		/* the library dies of a signal */
#define X_SKIP (-2)		/* not run: harmful to the daemon or machine */
#define X_ANY (-3)		/* run and shown, not judged (undefined) */

#define BAD_HANDLE_VALUE 0x1234567890ULL
#define WAIT_MS 5000

/* What the callbacks saw, in the row's own (child) process. */
static int seen_deliver, seen_confchg, seen_totem;
static size_t seen_len;
static struct cpg_name group;

static void on_deliver(cpg_handle_t h, const struct cpg_name *g,
	uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	(void)h; (void)g; (void)nodeid; (void)msg;
	if (pid == (uint32_t)getpid()) {
		seen_deliver++;
		seen_len = len;
	}
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
	const struct cpg_address *m, size_t nm, const struct cpg_address *l,
	size_t nl, const struct cpg_address *j, size_t nj)
{
	(void)h; (void)g; (void)m; (void)nm; (void)l; (void)nl; (void)j;
	(void)nj;
	seen_confchg++;
}

static void on_totem(cpg_handle_t h, struct cpg_ring_id ring, uint32_t n,
	const uint32_t *nodes)
{
	(void)h; (void)ring; (void)n; (void)nodes;
	seen_totem++;
}

/* A deliver callback that ends the row: its message came through. */
static void on_deliver_exit(cpg_handle_t h, const struct cpg_name *g,
	uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	(void)h; (void)g; (void)nodeid; (void)msg; (void)len;
	if (pid == (uint32_t)getpid())
		_exit(CS_OK);
}

static cpg_callbacks_t callbacks = { on_deliver, on_confchg };

static void set_name(struct cpg_name *n, const char *s)
{
	memset(n, 0, sizeof(*n));
	n->length = (uint32_t)strlen(s);
	memcpy(n->value, s, n->length);
}

static int open_cb(cpg_handle_t *h, cpg_callbacks_t *cb)
{
	cs_error_t rc;
	int tries = 0;

	while ((rc = A.initialize(h, cb)) == CS_ERR_TRY_AGAIN && tries++ < 100)
		usleep(10000);
	return rc;
}

static int open_h(cpg_handle_t *h)
{
	return open_cb(h, &callbacks);
}

/* A handle that was open and is finalized. */
static int dead_h(cpg_handle_t *h)
{
	if (open_h(h) != CS_OK || A.finalize(*h) != CS_OK)
		return -1;
	return 0;
}

static int now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Dispatch until *counter reaches want; 0 when it did. */
static int wait_for(cpg_handle_t h, const int *counter, int want)
{
	int fd, t0 = now_ms();

	if (A.fd_get(h, &fd) != CS_OK)
		return -1;
	while (*counter < want && now_ms() - t0 < WAIT_MS) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, 100) > 0 &&
		    A.dispatch(h, CS_DISPATCH_ALL) != CS_OK)
			return -1;
	}
	return *counter >= want ? 0 : -1;
}

static cs_error_t mcast_retry(cpg_handle_t h, cpg_guarantee_t g,
	const struct iovec *iov, unsigned int n)
{
	cs_error_t rc;
	int tries = 0;

	while ((rc = A.mcast_joined(h, g, iov, n)) == CS_ERR_TRY_AGAIN &&
	    tries++ < 500)
		usleep(10000);
	return rc;
}

/* Join, send iov, and see the message come back with length want_len. */
static int roundtrip(cpg_handle_t h, cpg_guarantee_t g,
	const struct iovec *iov, unsigned int n, size_t want_len)
{
	cs_error_t rc = A.join(h, &group);

	if (rc != CS_OK)
		return rc;
	if (wait_for(h, &seen_confchg, 1) < 0)
		return R_WRONG;
	rc = mcast_retry(h, g, iov, n);
	if (rc != CS_OK)
		return rc;
	if (wait_for(h, &seen_deliver, 1) < 0 || seen_len != want_len)
		return R_WRONG;
	return CS_OK;
}

static struct iovec one_iov = { "argcheck", 8 };

/* ---- the rows, in the order of the table ---- */

static int r_init_null_handle(void)
{
	return A.initialize(NULL, &callbacks);
}

static int r_init_null_callbacks(void)
{
	cpg_handle_t h;
	struct cpg_address m[CPG_MEMBERS_MAX];
	int n = CPG_MEMBERS_MAX, rc = open_cb(&h, NULL);

	if (rc != CS_OK)
		return rc;
	/* it works; the events just find no callback */
	if ((rc = A.join(h, &group)) != CS_OK ||
	    (rc = mcast_retry(h, CPG_TYPE_AGREED, &one_iov, 1)) != CS_OK)
		return rc;
	usleep(200000);
	if ((rc = A.dispatch(h, CS_DISPATCH_ALL)) != CS_OK ||
	    (rc = A.membership_get(h, &group, m, &n)) != CS_OK)
		return rc;
	return n == 1 ? A.finalize(h) : R_WRONG;
}

static int r_init_null_fns(void)
{
	cpg_callbacks_t none = { NULL, NULL };
	cpg_handle_t h;
	int rc = open_cb(&h, &none);

	if (rc != CS_OK)
		return rc;
	if ((rc = A.join(h, &group)) != CS_OK ||
	    (rc = mcast_retry(h, CPG_TYPE_AGREED, &one_iov, 1)) != CS_OK)
		return rc;
	usleep(200000);
	if ((rc = A.dispatch(h, CS_DISPATCH_ALL)) != CS_OK)
		return rc;
	return A.finalize(h);
}

static int r_model_0(void)
{
	cpg_handle_t h;

	return A.model_initialize(&h, (cpg_model_t)0, NULL, NULL);
}

static int r_model_2(void)
{
	cpg_handle_t h;

	return A.model_initialize(&h, (cpg_model_t)2, NULL, NULL);
}

static int r_model_2_null_handle(void)
{
	return A.model_initialize(NULL, (cpg_model_t)2, NULL, NULL);
}

static int r_model_null_handle(void)
{
	return A.model_initialize(NULL, CPG_MODEL_V1, NULL, NULL);
}

static int r_model_null_data(void)
{
	cpg_handle_t h;
	void *ctx = NULL;
	int rc = A.model_initialize(&h, CPG_MODEL_V1, NULL, &group);

	if (rc != CS_OK)
		return rc;
	if ((rc = A.context_get(h, &ctx)) != CS_OK)
		return rc;
	if (ctx != &group)
		return R_WRONG;
	if ((rc = A.join(h, &group)) != CS_OK ||
	    (rc = mcast_retry(h, CPG_TYPE_AGREED, &one_iov, 1)) != CS_OK)
		return rc;
	usleep(200000);
	if ((rc = A.dispatch(h, CS_DISPATCH_ALL)) != CS_OK)
		return rc;
	return A.finalize(h);
}

/* The model field of the data, left at whatever the program had. */
static int model_field(cpg_model_t field)
{
	cpg_model_v1_data_t v1;
	cpg_handle_t h;
	int rc;

	memset(&v1, 0, sizeof(v1));
	v1.model = field;
	v1.cpg_deliver_fn = on_deliver;
	v1.cpg_confchg_fn = on_confchg;
	rc = A.model_initialize(&h, CPG_MODEL_V1, (cpg_model_data_t *)&v1,
		NULL);
	if (rc != CS_OK)
		return rc;
	rc = roundtrip(h, CPG_TYPE_AGREED, &one_iov, 1, one_iov.iov_len);
	if (rc != CS_OK)
		return rc;
	return A.finalize(h);
}

static int r_model_field_0(void) { return model_field((cpg_model_t)0); }
static int r_model_field_99(void) { return model_field((cpg_model_t)99); }

static int model_flags(unsigned int flags)
{
	cpg_model_v1_data_t v1;
	cpg_handle_t h;
	int rc;

	memset(&v1, 0, sizeof(v1));
	v1.model = CPG_MODEL_V1;
	v1.cpg_deliver_fn = on_deliver;
	v1.cpg_confchg_fn = on_confchg;
	v1.cpg_totem_confchg_fn = on_totem;
	v1.flags = flags;
	rc = A.model_initialize(&h, CPG_MODEL_V1, (cpg_model_data_t *)&v1,
		NULL);
	if (rc != CS_OK)
		return rc;
	if ((rc = A.join(h, &group)) != CS_OK)
		return rc;
	if (wait_for(h, &seen_totem, 1) < 0)
		return R_WRONG;
	return A.finalize(h);
}

static int r_model_flags_2(void) { return model_flags(0x2); }
static int r_model_flags_high(void) { return model_flags(0x80000000u); }
static int r_model_flags_totem(void)
{
	return model_flags(CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF);
}

static int r_finalize_bad(void)
{
	return A.finalize(BAD_HANDLE_VALUE);
}

static int r_finalize_twice(cpg_handle_t h)
{
	return A.finalize(h);
}

static int r_fd_null(cpg_handle_t h)
{
	return A.fd_get(h, NULL);
}

static int r_fd_bad_null(void)
{
	return A.fd_get(BAD_HANDLE_VALUE, NULL);
}

static int r_fd_dead(cpg_handle_t h)
{
	int fd;

	return A.fd_get(h, &fd);
}

static int r_atomic_null(cpg_handle_t h)
{
	return A.max_atomic_msgsize_get(h, NULL);
}

static int r_atomic_value(cpg_handle_t h)
{
	uint32_t size = 0;
	int rc;

	rc = A.max_atomic_msgsize_get(h, &size);
	if (rc != CS_OK)
		return rc;
	/* 1 MiB of IPC buffer less 1 KiB of room for headers */
	return size == 1024 * 1024 - 1024 ? CS_OK : R_WRONG;
}

static int r_atomic_dead(cpg_handle_t h)
{
	uint32_t size;

	return A.max_atomic_msgsize_get(h, &size);
}

static int r_ctx_get_null(cpg_handle_t h)
{
	return A.context_get(h, NULL);
}

static int r_ctx_get_dead(cpg_handle_t h)
{
	void *ctx;

	return A.context_get(h, &ctx);
}

static int r_ctx_set_null(cpg_handle_t h)
{
	void *ctx = &h;
	int rc;

	if ((rc = A.context_set(h, NULL)) != CS_OK)
		return rc;
	if ((rc = A.context_get(h, &ctx)) != CS_OK)
		return rc;
	return ctx == NULL ? CS_OK : R_WRONG;
}

static int r_ctx_set_dead(cpg_handle_t h)
{
	return A.context_set(h, &h);
}

/* An unknown dispatch type: corosync's library dispatches as BLOCKING. */
static int dispatch_type(cs_dispatch_flags_t type)
{
	cpg_callbacks_t cb = { on_deliver_exit, on_confchg };
	cpg_handle_t h;
	int rc;

	if (open_cb(&h, &cb) != CS_OK)
		return R_SETUP;
	if ((rc = A.join(h, &group)) != CS_OK ||
	    (rc = mcast_retry(h, CPG_TYPE_AGREED, &one_iov, 1)) != CS_OK)
		return rc;
	/* returns only on an error; success is the callback's _exit */
	return A.dispatch(h, type);
}

static int r_dispatch_0(void) { return dispatch_type((cs_dispatch_flags_t)0); }
static int r_dispatch_9(void) { return dispatch_type((cs_dispatch_flags_t)9); }

static int r_dispatch_dead(cpg_handle_t h)
{
	return A.dispatch(h, CS_DISPATCH_ALL);
}

static int r_dispatch_one_nb(cpg_handle_t h)
{
	return A.dispatch(h, CS_DISPATCH_ONE_NONBLOCKING);
}

static int r_join_null(cpg_handle_t h)
{
	return A.join(h, NULL);
}

static void long_name(struct cpg_name *n, uint32_t length)
{
	memset(n, 'a', sizeof(*n));
	n->length = length;
}

static int r_join_long_bad(void)
{
	struct cpg_name n;

	long_name(&n, CPG_MAX_NAME_LENGTH + 1);
	return A.join(BAD_HANDLE_VALUE, &n);
}

static int r_join_128(cpg_handle_t h)
{
	struct cpg_name n;

	long_name(&n, CPG_MAX_NAME_LENGTH);
	snprintf(n.value, sizeof(n.value), "%d", (int)getpid());
	n.value[strlen(n.value)] = 'a';
	return A.join(h, &n);
}

static int r_join_dead(cpg_handle_t h)
{
	return A.join(h, &group);
}

static int r_leave_null(cpg_handle_t h)
{
	return A.leave(h, NULL);
}

static int r_leave_long_bad(void)
{
	struct cpg_name n;

	long_name(&n, CPG_MAX_NAME_LENGTH + 1);
	return A.leave(BAD_HANDLE_VALUE, &n);
}

/* Leave while the join is in progress: the library waits it out. */
static int r_leave_in_join(cpg_handle_t h)
{
	int rc;

	if ((rc = A.join(h, &group)) != CS_OK)
		return rc;
	return A.leave(h, &group);
}

static int r_leave_dead(cpg_handle_t h)
{
	return A.leave(h, &group);
}

static int r_mcast_null_1(cpg_handle_t h)
{
	return A.mcast_joined(h, CPG_TYPE_AGREED, NULL, 1);
}

static int r_mcast_null_0(cpg_handle_t h)
{
	return roundtrip(h, CPG_TYPE_AGREED, NULL, 0, 0);
}

static int r_mcast_bad_null(void)
{
	return A.mcast_joined(BAD_HANDLE_VALUE, CPG_TYPE_AGREED, NULL, 1);
}

static int r_mcast_dead(cpg_handle_t h)
{
	return A.mcast_joined(h, CPG_TYPE_AGREED, &one_iov, 1);
}

static int mcast_iovs(unsigned int n)
{
	struct iovec iov[128];
	char byte[128];
	cpg_handle_t h;

	if (n > 128 || open_h(&h) != CS_OK)
		return R_SETUP;
	for (unsigned int i = 0; i < n; i++) {
		byte[i] = (char)i;
		/* some empty entries with no base: nothing to read there */
		iov[i] = i % 5 == 4 ? (struct iovec){ NULL, 0 }
			: (struct iovec){ &byte[i], 1 };
	}
	return roundtrip(h, CPG_TYPE_AGREED, iov, n, n - n / 5);
}

static int r_mcast_iov_63(void) { return mcast_iovs(63); }
static int r_mcast_iov_100(void) { return mcast_iovs(100); }

static int r_mcast_guarantee_99(cpg_handle_t h)
{
	return roundtrip(h, (cpg_guarantee_t)99, &one_iov, 1, one_iov.iov_len);
}

static int r_mcast_huge(cpg_handle_t h)
{
	static char tiny[1];
	/* never read: the total is refused before any byte is */
	struct iovec iov[2] = { { tiny, 200u << 20 }, { tiny, 200u << 20 } };

	return A.mcast_joined(h, CPG_TYPE_AGREED, iov, 2);
}

static int r_mship_group_null(cpg_handle_t h)
{
	struct cpg_address m[CPG_MEMBERS_MAX];
	int n = CPG_MEMBERS_MAX;

	return A.membership_get(h, NULL, m, &n);
}

static int r_mship_long_bad(void)
{
	struct cpg_name n;

	long_name(&n, CPG_MAX_NAME_LENGTH + 1);
	return A.membership_get(BAD_HANDLE_VALUE, &n, NULL, NULL);
}

static int r_mship_list_null(void)
{
	int n = CPG_MEMBERS_MAX;

	return A.membership_get(BAD_HANDLE_VALUE, &group, NULL, &n);
}

static int r_mship_entries_null(void)
{
	struct cpg_address m[CPG_MEMBERS_MAX];

	return A.membership_get(BAD_HANDLE_VALUE, &group, m, NULL);
}

/* *member_list_entries of a program that treats it as output only. */
static int mship_entries(int in)
{
	struct cpg_address m[CPG_MEMBERS_MAX];
	cpg_handle_t h;
	int n = in, rc;

	if (open_h(&h) != CS_OK)
		return R_SETUP;
	if ((rc = A.join(h, &group)) != CS_OK)
		return rc;
	if (wait_for(h, &seen_confchg, 1) < 0)
		return R_WRONG;
	rc = A.membership_get(h, &group, m, &n);
	if (rc != CS_OK)
		return rc;
	return n == 1 && m[0].pid == (uint32_t)getpid() ? CS_OK : R_WRONG;
}

static int r_mship_entries_0(void) { return mship_entries(0); }
static int r_mship_entries_neg(void) { return mship_entries(-1); }

static int r_mship_dead(cpg_handle_t h)
{
	struct cpg_address m[CPG_MEMBERS_MAX];
	int n = CPG_MEMBERS_MAX;

	return A.membership_get(h, &group, m, &n);
}

static int r_local_null(cpg_handle_t h)
{
	return A.local_get(h, NULL);
}

static int r_local_bad_null(void)
{
	return A.local_get(BAD_HANDLE_VALUE, NULL);
}

static int r_local_dead(cpg_handle_t h)
{
	unsigned int id;

	return A.local_get(h, &id);
}

static int r_fc_null(cpg_handle_t h)
{
	return A.flow_control_state_get(h, NULL);
}

static int r_fc_dead(cpg_handle_t h)
{
	cpg_flow_control_state_t fc;

	return A.flow_control_state_get(h, &fc);
}

static int r_zalloc_null(cpg_handle_t h)
{
	return A.zcb_alloc(h, 64, NULL);
}

static int r_zalloc_0(cpg_handle_t h)
{
	void *buf = NULL;
	int rc;

	if ((rc = A.zcb_alloc(h, 0, &buf)) != CS_OK)
		return rc;
	return A.zcb_free(h, buf);
}

static int r_zalloc_huge(cpg_handle_t h)
{
	void *buf;

	return A.zcb_alloc(h, SIZE_MAX - 8, &buf);
}

static int r_zalloc_dead(cpg_handle_t h)
{
	void *buf;

	return A.zcb_alloc(h, 64, &buf);
}

static int r_zfree_null(cpg_handle_t h)
{
	return A.zcb_free(h, NULL);
}

static int r_zfree_bad_null(void)
{
	return A.zcb_free(BAD_HANDLE_VALUE, NULL);
}

/* on an open handle (zfree-3) and on a finalized one (zfree-4) */
static int r_zfree_foreign(cpg_handle_t h)
{
	static char not_ours[256];

	return A.zcb_free(h, not_ours + 128);
}

static int r_zmcast_too_big(cpg_handle_t h)
{
	void *buf;
	int rc;

	if ((rc = A.zcb_alloc(h, 4096, &buf)) != CS_OK)
		return rc;
	return A.zcb_mcast_joined(h, CPG_TYPE_AGREED, buf, 1024 * 1024 + 1);
}

static int r_zmcast_null(cpg_handle_t h)
{
	return A.zcb_mcast_joined(h, CPG_TYPE_AGREED, NULL, 8);
}

static int r_zmcast_bad_null(void)
{
	return A.zcb_mcast_joined(BAD_HANDLE_VALUE, CPG_TYPE_AGREED, NULL, 8);
}

static int r_zmcast_0(cpg_handle_t h)
{
	void *buf;
	int rc;

	if ((rc = A.join(h, &group)) != CS_OK)
		return rc;
	if ((rc = A.zcb_alloc(h, 64, &buf)) != CS_OK)
		return rc;
	if ((rc = A.zcb_mcast_joined(h, CPG_TYPE_AGREED, buf, 0)) != CS_OK)
		return rc;
	if (wait_for(h, &seen_deliver, 1) < 0 || seen_len != 0)
		return R_WRONG;
	return A.zcb_free(h, buf);
}

static int r_zmcast_over_buffer(cpg_handle_t h)
{
	void *buf;
	int rc;

	if ((rc = A.zcb_alloc(h, 4096, &buf)) != CS_OK)
		return rc;
	return A.zcb_mcast_joined(h, CPG_TYPE_AGREED, buf, 4097);
}

static int r_zmcast_dead(cpg_handle_t h)
{
	static char not_ours[256];

	return A.zcb_mcast_joined(h, CPG_TYPE_AGREED, not_ours + 128, 8);
}

static int r_iter_long_bad(void)
{
	struct cpg_name n;

	long_name(&n, CPG_MAX_NAME_LENGTH + 1);
	return A.iteration_initialize(BAD_HANDLE_VALUE,
		CPG_ITERATION_ONE_GROUP, &n, NULL);
}

static int r_iter_out_null(void)
{
	return A.iteration_initialize(BAD_HANDLE_VALUE, CPG_ITERATION_ALL,
		NULL, NULL);
}

static int r_iter_group_mismatch(void)
{
	cpg_iteration_handle_t it;

	return A.iteration_initialize(BAD_HANDLE_VALUE,
		CPG_ITERATION_NAME_ONLY, &group, &it);
}

static int r_iter_group_missing(void)
{
	cpg_iteration_handle_t it;

	return A.iteration_initialize(BAD_HANDLE_VALUE,
		CPG_ITERATION_ONE_GROUP, NULL, &it);
}

static int r_iter_type_7(void)
{
	cpg_iteration_handle_t it;

	return A.iteration_initialize(BAD_HANDLE_VALUE,
		(cpg_iteration_type_t)7, NULL, &it);
}

static int r_iter_dead(cpg_handle_t h)
{
	cpg_iteration_handle_t it;

	return A.iteration_initialize(h, CPG_ITERATION_ALL, NULL, &it);
}

static int r_next_null(void)
{
	return A.iteration_next(BAD_HANDLE_VALUE, NULL);
}

static int r_next_bad(void)
{
	struct cpg_iteration_description_t d;

	return A.iteration_next(BAD_HANDLE_VALUE, &d);
}

/* An iteration, then end it (0), or its connection (1). */
static int ended_iteration(int whole, cpg_iteration_handle_t *it)
{
	cpg_handle_t h;

	if (open_h(&h) != CS_OK ||
	    A.iteration_initialize(h, CPG_ITERATION_ALL, NULL, it) != CS_OK)
		return -1;
	if (whole)
		return A.finalize(h) == CS_OK ? 0 : -1;
	return A.iteration_finalize(*it) == CS_OK ? 0 : -1;
}

static int r_next_ended(void)
{
	struct cpg_iteration_description_t d;
	cpg_iteration_handle_t it;

	if (ended_iteration(0, &it) < 0)
		return R_SETUP;
	return A.iteration_next(it, &d);
}

static int r_next_conn_dead(void)
{
	struct cpg_iteration_description_t d;
	cpg_iteration_handle_t it;

	if (ended_iteration(1, &it) < 0)
		return R_SETUP;
	return A.iteration_next(it, &d);
}

static int r_ifin_bad(void)
{
	return A.iteration_finalize(BAD_HANDLE_VALUE);
}

static int r_ifin_twice(void)
{
	cpg_iteration_handle_t it;

	if (ended_iteration(0, &it) < 0)
		return R_SETUP;
	return A.iteration_finalize(it);
}

static int r_ifin_conn_dead(void)
{
	cpg_iteration_handle_t it;

	if (ended_iteration(1, &it) < 0)
		return R_SETUP;
	return A.iteration_finalize(it);
}

/* The handle a row's call is made on, where the row does not make its own. */
enum given {
	G_OPEN = 1,	/* open_h() */
	G_DEAD,		/* dead_h(): open, then finalized */
};

struct row {
	const char *id;
	const char *what;
	int (*run)(void);	/* the row, or NULL: */
	enum given h;		/* the handle on() is called on */
	int (*on)(cpg_handle_t h);
	int ours;	/* expected from this tree's library */
	int ref;	/* expected from corosync's (X_*, or a cs_error_t) */
};

/* a row's function: one that makes all it needs, or one called on a
 * handle open or finalized */
#define RUN(fn) fn, 0, NULL
#define ON_OPEN(fn) NULL, G_OPEN, fn
#define ON_DEAD(fn) NULL, G_DEAD, fn

#define OK CS_OK
#define INVAL CS_ERR_INVALID_PARAM
#define BADH CS_ERR_BAD_HANDLE
#define LONG CS_ERR_NAME_TOO_LONG

static int on_given(const struct row *r)
{
	cpg_handle_t h;

	if (r->h == G_OPEN ? open_h(&h) != CS_OK : dead_h(&h) < 0)
		return R_SETUP;
	return r->on(h);
}

static const struct row rows[] = {
	{ "init-1", "initialize: handle NULL", RUN(r_init_null_handle), INVAL, X_CRASH },
	{ "init-2", "initialize: callbacks NULL", RUN(r_init_null_callbacks), OK, OK },
	{ "init-3", "initialize: both callbacks NULL", RUN(r_init_null_fns), OK, OK },
	{ "model-1", "model_initialize: model 0", RUN(r_model_0), INVAL, INVAL },
	{ "model-2", "model_initialize: model 2", RUN(r_model_2), INVAL, INVAL },
	{ "model-3", "model_initialize: model 2, handle NULL", RUN(r_model_2_null_handle), INVAL, INVAL },
	{ "model-4", "model_initialize: handle NULL", RUN(r_model_null_handle), INVAL, X_CRASH },
	{ "model-5", "model_initialize: model_data NULL", RUN(r_model_null_data), OK, OK },
	{ "model-6", "model_initialize: model_data->model 0", RUN(r_model_field_0), OK, OK },
	{ "model-7", "model_initialize: model_data->model 99", RUN(r_model_field_99), OK, OK },
	{ "model-8", "model_initialize: flags 0x2", RUN(r_model_flags_2), INVAL, INVAL },
	{ "model-9", "model_initialize: flags 0x80000000", RUN(r_model_flags_high), INVAL, INVAL },
	{ "model-10", "model_initialize: flags DELIVER_INITIAL_TOTEM_CONF", RUN(r_model_flags_totem), OK, OK },
	{ "fin-1", "finalize: unknown handle", RUN(r_finalize_bad), BADH, BADH },
	{ "fin-2", "finalize: finalized handle", ON_DEAD(r_finalize_twice), BADH, BADH },
	{ "fd-1", "fd_get: fd NULL", ON_OPEN(r_fd_null), INVAL, X_CRASH },
	{ "fd-2", "fd_get: unknown handle, fd NULL", RUN(r_fd_bad_null), BADH, BADH },
	{ "fd-3", "fd_get: finalized handle", ON_DEAD(r_fd_dead), BADH, BADH },
	{ "atomic-1", "max_atomic_msgsize_get: size NULL", ON_OPEN(r_atomic_null), INVAL, X_CRASH },
	{ "atomic-2", "max_atomic_msgsize_get: value 1 MiB - 1 KiB", ON_OPEN(r_atomic_value), OK, OK },
	{ "atomic-3", "max_atomic_msgsize_get: finalized handle", ON_DEAD(r_atomic_dead), BADH, BADH },
	{ "ctxget-1", "context_get: context NULL", ON_OPEN(r_ctx_get_null), INVAL, X_CRASH },
	{ "ctxget-2", "context_get: finalized handle", ON_DEAD(r_ctx_get_dead), BADH, BADH },
	{ "ctxset-1", "context_set: context NULL", ON_OPEN(r_ctx_set_null), OK, OK },
	{ "ctxset-2", "context_set: finalized handle", ON_DEAD(r_ctx_set_dead), BADH, BADH },
	{ "disp-1", "dispatch: type 0 dispatches as BLOCKING", RUN(r_dispatch_0), OK, OK },
	{ "disp-2", "dispatch: type 9 dispatches as BLOCKING", RUN(r_dispatch_9), OK, OK },
	{ "disp-3", "dispatch: ONE_NONBLOCKING, nothing pending", ON_OPEN(r_dispatch_one_nb), CS_ERR_TRY_AGAIN, CS_ERR_TRY_AGAIN },
	{ "disp-4", "dispatch: finalized handle", ON_DEAD(r_dispatch_dead), BADH, BADH },
	{ "join-1", "join: group NULL", ON_OPEN(r_join_null), INVAL, X_CRASH },
	{ "join-2", "join: name of 129 bytes, unknown handle", RUN(r_join_long_bad), LONG, LONG },
	{ "join-3", "join: name of 128 bytes", ON_OPEN(r_join_128), OK, OK },
	{ "join-4", "join: finalized handle", ON_DEAD(r_join_dead), BADH, BADH },
	{ "leave-1", "leave: group NULL", ON_OPEN(r_leave_null), INVAL, X_CRASH },
	{ "leave-2", "leave: name of 129 bytes, unknown handle", RUN(r_leave_long_bad), LONG, LONG },
	{ "leave-3", "leave: finalized handle", ON_DEAD(r_leave_dead), BADH, BADH },
	{ "leave-4", "leave: while its join is in progress", ON_OPEN(r_leave_in_join), OK, OK },
	{ "mcast-1", "mcast_joined: iovec NULL, iov_len 1", ON_OPEN(r_mcast_null_1), INVAL, X_CRASH },
	{ "mcast-2", "mcast_joined: iovec NULL, iov_len 0 (empty message)", ON_OPEN(r_mcast_null_0), OK, OK },
	{ "mcast-3", "mcast_joined: unknown handle, iovec NULL", RUN(r_mcast_bad_null), BADH, BADH },
	{ "mcast-4", "mcast_joined: 63 iovecs, some empty with base NULL", RUN(r_mcast_iov_63), OK, OK },
	{ "mcast-5", "mcast_joined: 100 iovecs", RUN(r_mcast_iov_100), OK, X_CRASH },
	{ "mcast-6", "mcast_joined: guarantee 99", ON_OPEN(r_mcast_guarantee_99), OK, OK },
	{ "mcast-7", "mcast_joined: 400 MiB in total", ON_OPEN(r_mcast_huge), CS_ERR_TOO_BIG, X_SKIP },
	{ "mcast-8", "mcast_joined: finalized handle", ON_DEAD(r_mcast_dead), BADH, BADH },
	{ "mship-1", "membership_get: group NULL", ON_OPEN(r_mship_group_null), INVAL, X_CRASH },
	{ "mship-2", "membership_get: name of 129 bytes, NULLs, unknown handle", RUN(r_mship_long_bad), LONG, LONG },
	{ "mship-3", "membership_get: member_list NULL, unknown handle", RUN(r_mship_list_null), INVAL, INVAL },
	{ "mship-4", "membership_get: entries NULL, unknown handle", RUN(r_mship_entries_null), INVAL, INVAL },
	{ "mship-5", "membership_get: *entries 0", RUN(r_mship_entries_0), OK, OK },
	{ "mship-6", "membership_get: *entries -1", RUN(r_mship_entries_neg), OK, OK },
	{ "mship-7", "membership_get: finalized handle", ON_DEAD(r_mship_dead), BADH, BADH },
	{ "local-1", "local_get: nodeid NULL", ON_OPEN(r_local_null), INVAL, X_CRASH },
	{ "local-2", "local_get: unknown handle, nodeid NULL", RUN(r_local_bad_null), BADH, BADH },
	{ "local-3", "local_get: finalized handle", ON_DEAD(r_local_dead), BADH, BADH },
	{ "fc-1", "flow_control_state_get: state NULL", ON_OPEN(r_fc_null), INVAL, X_CRASH },
	{ "fc-2", "flow_control_state_get: finalized handle", ON_DEAD(r_fc_dead), BADH, BADH },
	{ "zalloc-1", "zcb_alloc: buffer NULL", ON_OPEN(r_zalloc_null), INVAL, X_CRASH },
	{ "zalloc-2", "zcb_alloc: size 0", ON_OPEN(r_zalloc_0), OK, OK },
	{ "zalloc-3", "zcb_alloc: size SIZE_MAX - 8", ON_OPEN(r_zalloc_huge), CS_ERR_TOO_BIG, X_SKIP },
	{ "zalloc-4", "zcb_alloc: finalized handle", ON_DEAD(r_zalloc_dead), BADH, BADH },
	{ "zfree-1", "zcb_free: buffer NULL", ON_OPEN(r_zfree_null), INVAL, X_CRASH },
	{ "zfree-2", "zcb_free: unknown handle, buffer NULL", RUN(r_zfree_bad_null), BADH, BADH },
	{ "zfree-3", "zcb_free: buffer not from zcb_alloc", ON_OPEN(r_zfree_foreign), INVAL, X_SKIP },
	{ "zfree-4", "zcb_free: finalized handle", ON_DEAD(r_zfree_foreign), BADH, BADH },
	{ "zmcast-1", "zcb_mcast_joined: msg_len 1 MiB + 1", ON_OPEN(r_zmcast_too_big), CS_ERR_TOO_BIG, CS_ERR_TOO_BIG },
	{ "zmcast-2", "zcb_mcast_joined: msg NULL", ON_OPEN(r_zmcast_null), INVAL, X_CRASH },
	{ "zmcast-3", "zcb_mcast_joined: unknown handle, msg NULL", RUN(r_zmcast_bad_null), BADH, BADH },
	{ "zmcast-4", "zcb_mcast_joined: msg_len 0", ON_OPEN(r_zmcast_0), OK, OK },
	{ "zmcast-5", "zcb_mcast_joined: msg_len beyond the buffer", ON_OPEN(r_zmcast_over_buffer), INVAL, X_SKIP },
	{ "zmcast-6", "zcb_mcast_joined: finalized handle", ON_DEAD(r_zmcast_dead), BADH, BADH },
	{ "iter-1", "iteration_initialize: name of 129 bytes, unknown handle, out NULL", RUN(r_iter_long_bad), LONG, LONG },
	{ "iter-2", "iteration_initialize: out NULL, unknown handle", RUN(r_iter_out_null), INVAL, INVAL },
	{ "iter-3", "iteration_initialize: NAME_ONLY with a group", RUN(r_iter_group_mismatch), INVAL, INVAL },
	{ "iter-4", "iteration_initialize: ONE_GROUP without a group", RUN(r_iter_group_missing), INVAL, INVAL },
	{ "iter-5", "iteration_initialize: type 7", RUN(r_iter_type_7), INVAL, INVAL },
	{ "iter-6", "iteration_initialize: finalized handle", ON_DEAD(r_iter_dead), BADH, BADH },
	{ "next-1", "iteration_next: description NULL, unknown handle", RUN(r_next_null), INVAL, INVAL },
	{ "next-2", "iteration_next: unknown handle", RUN(r_next_bad), BADH, BADH },
	{ "next-3", "iteration_next: finalized iteration", RUN(r_next_ended), BADH, BADH },
	{ "next-4", "iteration_next: its connection finalized", RUN(r_next_conn_dead), BADH, BADH },
	{ "ifin-1", "iteration_finalize: unknown handle", RUN(r_ifin_bad), BADH, BADH },
	{ "ifin-2", "iteration_finalize: finalized iteration", RUN(r_ifin_twice), BADH, BADH },
	{ "ifin-3", "iteration_finalize: its connection finalized", RUN(r_ifin_conn_dead), BADH, BADH },
};

static void result_str(int r, char *buf, size_t len)
{
	if (r == X_CRASH)
		snprintf(buf, len, "crash");
	else if (r <= -100)
		snprintf(buf, len, "signal-%d", -r - 100);
	else if (r == X_SKIP)
		snprintf(buf, len, "not-run");
	else if (r == X_ANY)
		snprintf(buf, len, "any");
	else if (r == R_WRONG)
		snprintf(buf, len, "wrong-effect");
	else if (r == R_SETUP)
		snprintf(buf, len, "setup-failed");
	else
		snprintf(buf, len, "cs-%d", r);
}

/* Run one row in a child; its cs_error_t, R_*, or -100 - signal. */
static int run_row(const struct row *r, int ref)
{
	pid_t pid;
	int st;

	/* the child's exit() must not print the parent's lines again */
	fflush(stdout);
	pid = fork();

	if (pid < 0)
		return R_SETUP;
	if (pid == 0) {
		static const int fatal[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
			SIGILL };
		char name[64];
		int rc;

		/* a crash is the row's result, not a sanitizer's report */
		for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
			signal(fatal[i], SIG_DFL);
		/* a row that hangs is stopped, and seen as SIGALRM */
		alarm(20);
		snprintf(name, sizeof(name), "argcheck-%s-%d", r->id,
			(int)getpid());
		set_name(&group, name);
		rc = r->run ? r->run() : on_given(r);
		/* this tree's library goes through exit(), so that a leak
		 * checker sees what it left; corosync's leaks are not ours */
		if (ref)
			_exit(rc);
		exit(rc);
	}
	if (waitpid(pid, &st, 0) < 0)
		return R_SETUP;
	if (WIFSIGNALED(st))
		return -100 - WTERMSIG(st);
	return WEXITSTATUS(st);
}

static void *load(const char *path)
{
	void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		fprintf(stderr, "cpg_argcheck: %s\n", dlerror());
		return NULL;
	}
#define SYM(f) do { \
	*(void **)&A.f = dlsym(lib, "cpg_" #f); \
	if (!A.f) { \
		fprintf(stderr, "cpg_argcheck: no cpg_%s in %s\n", #f, path); \
		return NULL; \
	} \
} while (0)
	SYM(initialize); SYM(model_initialize); SYM(finalize); SYM(fd_get);
	SYM(max_atomic_msgsize_get); SYM(context_get); SYM(context_set);
	SYM(dispatch); SYM(join); SYM(leave); SYM(mcast_joined);
	SYM(membership_get); SYM(local_get); SYM(flow_control_state_get);
	SYM(zcb_alloc); SYM(zcb_free); SYM(zcb_mcast_joined);
	SYM(iteration_initialize); SYM(iteration_next);
	SYM(iteration_finalize);
#undef SYM
	return lib;
}

int main(int argc, char **argv)
{
	const char *only = NULL, *path = NULL;
	int ref = 0, failed = 0, ran = 0;
	Dl_info info;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ref"))
			ref = 1;
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!path && argv[i][0] != '-')
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path) {
		fprintf(stderr, "usage: %s [--ref] [--only ROW] LIBRARY\n",
			argv[0]);
		return 2;
	}
	if (!load(path))
		return 2;
	/* the library loaded must be the file named, not another one */
	if (!dladdr((void *)A.initialize, &info) || !info.dli_fname) {
		fprintf(stderr, "cpg_argcheck: cannot tell where cpg_initialize lives\n");
		return 2;
	}
	printf("library %s%s\n", info.dli_fname, ref ? " (reference)" : "");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		int want = ref ? r->ref : r->ours, got, ok;
		char gs[32], ws[32];

		if (only && strcmp(only, r->id))
			continue;
		if (want == X_SKIP) {
			printf("SKIP %-9s %s (not run on this library)\n", r->id,
				r->what);
			continue;
		}
		got = run_row(r, ref);
		ran++;
		ok = want == X_ANY || got == want ||
			(want == X_CRASH && got <= -100);
		result_str(got, gs, sizeof(gs));
		result_str(want, ws, sizeof(ws));
		printf("%s %-9s %s: got %s, want %s\n", ok ? "PASS" : "FAIL",
			r->id, r->what, gs, ws);
		if (!ok)
			failed++;
	}
	printf("%d rows run, %d failed\n", ran, failed);
	fflush(stdout);
	return failed || !ran ? 1 : 0;
}
