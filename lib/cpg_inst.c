#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include <qb/qbipcc.h>

#include "cpg_err.h"
#include "cpg_inst.h"

/* What the client asks libqb for: requests, responses and events alike. */
#define CPG_IPC_BUFFER_SIZE (8192 * 128)
/* Room kept free in a request besides the payload (spec: size - 1024). */
#define CPG_IPC_HEADROOM 1024
/* libqb flow control: only its second level makes a send EAGAIN. */
#define CPG_IPC_FC_MAX 2

/*
 * The only process-wide state: the public API names connections and
 * iterations by handle, so the tables are necessarily shared.
 */
struct cpg_htab cpg_inst_table = CPG_HTAB_INITIALIZER;
struct cpg_htab cpg_iter_table = CPG_HTAB_INITIALIZER;

/* The fast path version to ask for: CPG_FASTPATH=off (or 0, no) keeps
 * to the standard protocol (0), =events to version 1 (batched events,
 * sends over libqb), anything else asks for the highest. */
static uint32_t fast_wanted(void)
{
	const char *v = getenv("CPG_FASTPATH");

	if (!v)
		return CPG_FAST_VERSION;
	if (strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0 ||
	    strcasecmp(v, "no") == 0)
		return 0;
	return strcasecmp(v, "events") == 0 ? 1 : CPG_FAST_VERSION;
}

/* The fd for poll(): libqb's event fd and the kept-items eventfd. */
static int fast_fds(struct cpg_inst *inst)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int32_t qfd;
	int rc;

	rc = qb_ipcc_fd_get(inst->c, &qfd);
	if (rc < 0)
		return rc;
	inst->poll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (inst->poll_fd < 0)
		return -errno;
	inst->kept_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (inst->kept_fd < 0)
		return -errno;
	ev.data.fd = qfd;
	if (epoll_ctl(inst->poll_fd, EPOLL_CTL_ADD, qfd, &ev) < 0)
		return -errno;
	ev.data.fd = inst->kept_fd;
	if (epoll_ctl(inst->poll_fd, EPOLL_CTL_ADD, inst->kept_fd, &ev) < 0)
		return -errno;
	return 0;
}

/* Version 2: offer a request ring.  One the library cannot make, or the
 * daemon refuses, leaves the connection on version 1 (batched events). */
static int fast_ring(struct cpg_inst *inst)
{
	struct cpg_ring *r;
	int rc;

	if (cpg_ring_new(CPG_RING_DATA_SIZE, &r) < 0)
		return 0;
	rc = cpg_ring_attach(inst, r);
	return rc < 0 ? rc : 0;
}

/*
 * Announce the fast path.  Our daemon accepts; corosync refuses it as an
 * unknown request and carries on, and so does anything that answers
 * otherwise: the standard protocol then.  Only a connection that fails
 * fails the caller.
 */
static int fast_negotiate(struct cpg_inst *inst, uint32_t want)
{
	uint8_t req[CPG_WIRE_FAST_HELLO_SIZE];
	uint8_t res[CPG_WIRE_FAST_HELLO_RES_SIZE];
	uint32_t version = 0;
	ssize_t n;
	int rc;

	cpg_wire_fast_hello(req, want);
	n = cpg_inst_exchange_buf(inst, req, sizeof(req), res, sizeof(res));
	if (n < 0)
		return (int)n;
	if (cpg_wire_res_fast_hello(res, (size_t)n, &version) != 1)
		return 0;
	inst->fast = 1;
	rc = fast_fds(inst);
	if (rc < 0)
		return rc;
	return version >= 2 ? fast_ring(inst) : 0;
}

int cpg_inst_new(const cpg_model_v1_data_t *model, void *context,
	struct cpg_inst **out)
{
	uint32_t want = fast_wanted();
	int rc = cpg_inst_open("cpg", out);

	if (rc < 0)
		return rc;
	if (want) {
		rc = fast_negotiate(*out, want);
		if (rc < 0) {
			cpg_inst_free(*out);
			*out = NULL;
			return rc;
		}
	}
	(*out)->model = *model;
	(*out)->context = context;
	return 0;
}

int cpg_inst_fd(struct cpg_inst *inst, int *fd)
{
	int32_t qfd;
	int rc;

	if (inst->fast) {
		*fd = inst->poll_fd;
		return 0;
	}
	rc = qb_ipcc_fd_get(inst->c, &qfd);
	if (rc == 0)
		*fd = qfd;
	return rc;
}

int cpg_inst_open(const char *service, struct cpg_inst **out)
{
	struct cpg_inst *inst;
	int32_t size;
	int rc;

	inst = calloc(1, sizeof(*inst));
	if (!inst)
		return -ENOMEM;
	pthread_mutex_init(&inst->req_lock, NULL);
	pthread_mutex_init(&inst->frag_lock, NULL);
	pthread_mutex_init(&inst->disp_lock, NULL);
	pthread_mutex_init(&inst->state_lock, NULL);
	cpg_reasm_init(&inst->reasm);
	inst->poll_fd = inst->kept_fd = -1;
	inst->flow_control = CPG_FLOW_CONTROL_DISABLED;

	inst->c = qb_ipcc_connect(service, CPG_IPC_BUFFER_SIZE);
	if (!inst->c) {
		/* a refusal (not allowed, too many clients) is told as such;
		 * any other cause is "no daemon" */
		rc = errno == ENOMEM || errno == EACCES || errno == EMFILE
			? -errno : -ENOTCONN;
		goto fail;
	}
	qb_ipcc_fc_enable_max_set(inst->c, CPG_IPC_FC_MAX);

	size = qb_ipcc_get_buffer_size(inst->c);
	inst->rbuf_size = size > CPG_IPC_BUFFER_SIZE ? (size_t)size
		: CPG_IPC_BUFFER_SIZE;
	inst->atomic_size = (size > 0 && size < CPG_IPC_BUFFER_SIZE
		? (size_t)size : CPG_IPC_BUFFER_SIZE) - CPG_IPC_HEADROOM;
	inst->rbuf = malloc(inst->rbuf_size);
	if (!inst->rbuf) {
		rc = -ENOMEM;
		goto fail;
	}
	*out = inst;
	return 0;
fail:
	cpg_inst_free(inst);
	return rc;
}

void cpg_inst_free(void *obj)
{
	struct cpg_inst *inst = obj;
	struct cpg_zcb *z, *next;

	if (inst->c)
		qb_ipcc_disconnect(inst->c);
	if (inst->poll_fd >= 0)
		close(inst->poll_fd);
	if (inst->kept_fd >= 0)
		close(inst->kept_fd);
	cpg_ring_free(inst->ring);
	for (z = inst->zcbs; z; z = next) {
		next = z->next;
		munmap(z->map, z->map_size);
		free(z);
	}
	cpg_reasm_fini(&inst->reasm);
	free(inst->rbuf);
	free(inst->svc);
	pthread_mutex_destroy(&inst->req_lock);
	pthread_mutex_destroy(&inst->frag_lock);
	pthread_mutex_destroy(&inst->disp_lock);
	pthread_mutex_destroy(&inst->state_lock);
	free(inst);
}

int cpg_inst_is_finalized(struct cpg_inst *inst)
{
	int finalized;

	pthread_mutex_lock(&inst->state_lock);
	finalized = inst->finalized;
	pthread_mutex_unlock(&inst->state_lock);
	return finalized;
}

int cpg_inst_get_in(struct cpg_htab *t, uint64_t handle,
	struct cpg_inst **out)
{
	struct cpg_inst *inst;
	void *obj;

	if (cpg_htab_get(t, handle, &obj) < 0)
		return -EBADF;
	inst = obj;
	if (cpg_inst_is_finalized(inst)) {
		cpg_htab_put(t, handle);
		return -EBADF;
	}
	*out = inst;
	return 0;
}

int cpg_inst_get(cpg_handle_t handle, struct cpg_inst **out)
{
	return cpg_inst_get_in(&cpg_inst_table, handle, out);
}

void cpg_inst_put(cpg_handle_t handle)
{
	cpg_htab_put(&cpg_inst_table, handle);
}

int cpg_inst_mark_finalized(struct cpg_inst *inst)
{
	int rc = 0;

	pthread_mutex_lock(&inst->state_lock);
	if (inst->finalized)
		rc = -EBADF;
	inst->finalized = 1;
	pthread_mutex_unlock(&inst->state_lock);
	return rc;
}

ssize_t cpg_inst_exchange(struct cpg_inst *inst, const struct iovec *iov,
	size_t iov_len, uint8_t *res, size_t res_size)
{
	ssize_t n;

	pthread_mutex_lock(&inst->req_lock);
	n = qb_ipcc_sendv_recv(inst->c, iov, iov_len, res, res_size,
		CS_IPC_TIMEOUT_MS);
	pthread_mutex_unlock(&inst->req_lock);
	return n;
}

int cpg_inst_call(struct cpg_inst *inst, const struct iovec *iov,
	size_t iov_len, enum cpg_res_id res_id, uint8_t *res, size_t res_size,
	size_t min_len, size_t *res_len)
{
	ssize_t n = cpg_inst_exchange(inst, iov, iov_len, res, res_size);

	if (n < 0)
		return (int)n;
	if (res_len)
		*res_len = (size_t)n;
	return cpg_wire_res_check(res, (size_t)n, res_id, min_len);
}

int cpg_inst_call_buf(struct cpg_inst *inst, const void *req, size_t len,
	enum cpg_res_id res_id, uint8_t *res, size_t res_size, size_t min_len,
	size_t *res_len)
{
	struct iovec iov = { (void *)req, len };

	return cpg_inst_call(inst, &iov, 1, res_id, res, res_size, min_len,
		res_len);
}

ssize_t cpg_inst_exchange_buf(struct cpg_inst *inst, const void *req,
	size_t len, uint8_t *res, size_t res_size)
{
	struct iovec iov = { (void *)req, len };

	return cpg_inst_exchange(inst, &iov, 1, res, res_size);
}

int cpg_inst_request(struct cpg_inst *inst, const void *req, size_t len,
	enum cpg_res_id res_id)
{
	uint8_t res[CPG_WIRE_RES_HDR];

	return cpg_inst_call_buf(inst, req, len, res_id, res, sizeof(res),
		CPG_WIRE_RES_HDR, NULL);
}

int cpg_inst_send(struct cpg_inst *inst, const struct iovec *iov,
	size_t iov_len)
{
	ssize_t n;

	pthread_mutex_lock(&inst->req_lock);
	n = qb_ipcc_sendv(inst->c, iov, iov_len);
	pthread_mutex_unlock(&inst->req_lock);
	return n < 0 ? (int)n : 0;
}
