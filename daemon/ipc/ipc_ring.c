/* Request rings of fast connections; see ipc_ring.h. */
#define _GNU_SOURCE	/* F_GET_SEALS */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "ipc/ipc_codec.h"
#include "ipc/ipc_int.h"
#include "ipc/ipc_ring.h"
#include "ipc/ipc_ring_parse.h"
#include "util/log.h"
#include "wire/wire.h"

/* Entries taken from one ring in one loop turn before the others get
 * theirs (flow control usually stops a drain well before). */
#define RING_TURN_MAX 4096

struct ipc_ring {
	uint8_t *map;
	size_t map_size;
	const uint8_t *data;
	uint64_t size;
	uint64_t head;		/* ours: the ring's copy is never read back */
	uint8_t *deferred;	/* a request waiting for the ring to empty */
	size_t deferred_len;
};

enum drain { DRAIN_EMPTY, DRAIN_BLOCKED, DRAIN_MORE };

static uint64_t *word64(struct ipc_ring *rg, size_t off)
{
	return (uint64_t *)(void *)(rg->map + off);
}

static uint32_t *word32(struct ipc_ring *rg, size_t off)
{
	return (uint32_t *)(void *)(rg->map + off);
}

static void busy_queue(struct ipc_conn *ic)
{
	struct ipc_server *s = ic->srv;

	if (ic->ring_queued || ic->closing)
		return;
	ic->ring_queued = 1;
	ic->ring_next = s->ring_busy;
	s->ring_busy = ic;
	ipc_efd_signal(s->ring_efd, &s->ring_signalled, "a busy ring");
}

static void busy_unlink(struct ipc_conn *ic)
{
	struct ipc_conn **p = &ic->srv->ring_busy;

	while (*p && *p != ic)
		p = &(*p)->ring_next;
	if (*p)
		*p = ic->ring_next;
	ic->ring_queued = 0;
}

static void run_deferred(struct ipc_conn *ic)
{
	struct ipc_ring *rg = ic->ring;
	uint8_t *req = rg->deferred;

	if (!req)
		return;
	rg->deferred = NULL;
	ic->srv->ops->dispatch(ic, req, rg->deferred_len);
	free(req);
}

/* Take entries until the ring is empty, flow control holds it or (limit)
 * the turn's share is used. */
static enum drain drain(struct ipc_conn *ic, int limit)
{
	struct ipc_server *s = ic->srv;
	struct ipc_ring *rg = ic->ring;
	size_t max = ic->bufsize < IPC_BUFFER_SIZE ? ic->bufsize
						   : IPC_BUFFER_SIZE;
	unsigned int n;

	for (n = 0; ; n++) {
		uint64_t tail;
		const char *why = NULL;
		size_t len = 0;
		int rc;

		if (ic->closing || !ic->ring)
			return DRAIN_EMPTY;
		tail = __atomic_load_n(word64(rg, CPG_RING_OFF_TAIL),
				       __ATOMIC_ACQUIRE);
		if (tail == rg->head) {
			run_deferred(ic);
			return DRAIN_EMPTY;
		}
		if (ipc_service_blocked(s))
			return DRAIN_BLOCKED;
		if (limit && n >= RING_TURN_MAX)
			return DRAIN_MORE;
		rc = ipc_ring_next(rg->data, rg->size, rg->head, tail,
				   s->ring_buf, max, &len, &why);
		if (rc < 0) {
			ipc_conn_kill(ic, why ? why : "bad request ring");
			return DRAIN_EMPTY;
		}
		rg->head += ipc_ring_step(len);
		__atomic_store_n(word64(rg, CPG_RING_OFF_HEAD), rg->head,
				 __ATOMIC_RELEASE);
		s->ops->dispatch(ic, s->ring_buf, len);
	}
}

/* One turn of a ring: drain it; empty, it sleeps unless the client wrote
 * again meanwhile (both sides fence between their store and their load:
 * a kick or this second look sees every entry). */
static void ring_turn(struct ipc_conn *ic)
{
	struct ipc_ring *rg;
	enum drain d = drain(ic, 1);

	rg = ic->ring;
	if (d == DRAIN_MORE) {
		busy_queue(ic);
		return;
	}
	if (d == DRAIN_BLOCKED || !rg || ic->closing)
		return;	/* ipc_rings_resume() comes back */
	__atomic_store_n(word32(rg, CPG_RING_OFF_SLEEP), 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(word64(rg, CPG_RING_OFF_TAIL), __ATOMIC_ACQUIRE) !=
	    rg->head) {
		__atomic_store_n(word32(rg, CPG_RING_OFF_SLEEP), 0,
				 __ATOMIC_SEQ_CST);
		busy_queue(ic);
	}
}

int32_t ipc_rings_dispatch(int32_t fd, int32_t revents, void *data)
{
	struct ipc_server *s = data;
	struct ipc_conn *list = s->ring_busy;
	uint64_t v;

	(void)revents;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_error_errno(LOG_T_IPC, errno, "cannot clear the ring signal");
	s->ring_signalled = 0;
	s->ring_busy = NULL;
	while (list) {
		struct ipc_conn *ic = list;

		list = ic->ring_next;
		ic->ring_queued = 0;
		ring_turn(ic);
	}
	return 0;
}

void ipc_rings_resume(struct ipc_server *s)
{
	struct ipc_conn *ic;

	for (ic = s->conns; ic; ic = ic->next)
		if (ic->ring)
			busy_queue(ic);
}

/* Map the client's ring file, reached through its pid: 0 or -errno. */
static int ring_map(struct ipc_conn *ic, uint32_t fd, uint32_t size)
{
	struct ipc_ring *rg;
	struct stat st;
	char path[64];
	size_t map_size = CPG_RING_HDR + (size_t)size;
	uint32_t magic;
	void *map;
	int f, seals, rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd/%u", (int)ic->pid, fd);
	f = open(path, O_RDWR | O_CLOEXEC);
	if (f < 0)
		return -errno;
	seals = fcntl(f, F_GET_SEALS);
	if (fstat(f, &st) < 0)
		rc = -errno;
	else if (!S_ISREG(st.st_mode) || st.st_uid != ic->uid)
		rc = -EACCES;
	else if (seals < 0 || !(seals & F_SEAL_SHRINK))
		rc = -EPERM;	/* it could shrink under us: SIGBUS */
	else if ((uint64_t)st.st_size != map_size)
		rc = -EINVAL;
	if (rc < 0) {
		close(f);
		return rc;
	}
	map = mmap(NULL, map_size, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
	rc = map == MAP_FAILED ? -errno : 0;
	close(f);
	if (rc < 0)
		return rc;
	memcpy(&magic, (uint8_t *)map + CPG_RING_OFF_MAGIC, sizeof(magic));
	rg = calloc(1, sizeof(*rg));
	if (magic != CPG_RING_MAGIC || !rg) {
		munmap(map, map_size);
		free(rg);
		return rg ? -EINVAL : -ENOMEM;
	}
	rg->map = map;
	rg->map_size = map_size;
	rg->data = rg->map + CPG_RING_HDR;
	rg->size = size;
	__atomic_store_n(word64(rg, CPG_RING_OFF_HEAD), 0, __ATOMIC_RELEASE);
	__atomic_store_n(word32(rg, CPG_RING_OFF_SLEEP), 1, __ATOMIC_SEQ_CST);
	ic->ring = rg;
	return 0;
}

static int ring_open(struct ipc_conn *ic, const void *data, size_t size)
{
	struct ipc_server *s = ic->srv;
	struct wire_rd r;
	uint32_t hsize = 0, fd = 0, dsize = 0, flags = 0, zero = 0;
	int rc;

	wire_rd_init(&r, data, size);
	wire_rd_seek(&r, CPG_WIRE_HDR_SIZE);
	wire_rd_ne32(&r, &hsize);
	wire_rd_seek(&r, CPG_WIRE_RING_OPEN_FD);
	wire_rd_ne32(&r, &fd);
	wire_rd_ne32(&r, &dsize);
	wire_rd_ne32(&r, &flags);
	wire_rd_ne32(&r, &zero);
	if (r.err || size != CPG_WIRE_RING_OPEN_SIZE || hsize != size ||
	    flags || zero || dsize < CPG_RING_DATA_MIN ||
	    dsize > CPG_RING_DATA_MAX || (dsize & (dsize - 1)))
		return -EINVAL;
	if (ic->fast_version < 2)
		return -EINVAL;	/* no version 2 announced */
	if (ic->ring)
		return -EEXIST;
	if (!s->ring_buf) {
		s->ring_buf = malloc(IPC_BUFFER_SIZE);
		if (!s->ring_buf)
			return -ENOMEM;
	}
	rc = ring_map(ic, fd, dsize);
	if (rc < 0)
		log_notice_errno(LOG_T_IPC, rc, "request ring of pid %d refused",
				 (int)ic->pid);
	else
		log_debug(LOG_T_IPC, "pid %d sends through a request ring of "
			  "%u bytes", (int)ic->pid, dsize);
	return rc;
}

static void ring_open_answer(struct ipc_conn *ic, int rc)
{
	uint8_t buf[CPG_WIRE_RES_HDR];
	struct wire_wr w;

	wire_wr_init(&w, buf, sizeof(buf));
	wire_wr_zero(&w, sizeof(buf));
	wire_wr_seek(&w, CPG_WIRE_HDR_ID);
	wire_wr_ne32(&w, CPG_RES_RING_OPEN);
	wire_wr_seek(&w, CPG_WIRE_HDR_SIZE);
	wire_wr_ne32(&w, sizeof(buf));
	wire_wr_seek(&w, CPG_WIRE_RES_ERROR);
	wire_wr_ne32(&w, ipc_cs_error(rc));
	if (!w.err)
		ipc_conn_respond(ic, buf, sizeof(buf));
}

/* A request that must wait until the ring is empty: at most one (the
 * library waits for each answer). */
static int defer(struct ipc_conn *ic, const void *data, size_t size)
{
	struct ipc_ring *rg = ic->ring;

	if (rg->deferred) {
		ipc_conn_kill(ic, "request while another waits behind its ring");
		return 1;
	}
	rg->deferred = malloc(size ? size : 1);
	if (!rg->deferred) {
		ipc_conn_kill(ic, "no memory to hold a request");
		return 1;
	}
	memcpy(rg->deferred, data, size);
	rg->deferred_len = size;
	return 1;
}

int ipc_ring_on_request(struct ipc_conn *ic, const void *data, size_t size)
{
	struct wire_rd r;
	uint32_t id = UINT32_MAX, hsize = 0;

	wire_rd_init(&r, data, size);
	wire_rd_ne32(&r, &id);
	wire_rd_seek(&r, CPG_WIRE_HDR_SIZE);
	wire_rd_ne32(&r, &hsize);
	if (r.err)
		id = UINT32_MAX;	/* too short: ipc_dispatch() says so */
	if (id == CPG_REQ_RING_OPEN) {
		ring_open_answer(ic, ring_open(ic, data, size));
		return 1;
	}
	if (id == CPG_REQ_RING_KICK) {
		if (!ic->ring || size != CPG_WIRE_RING_KICK_SIZE ||
		    hsize != size)
			ipc_conn_kill(ic, "malformed ring kick");
		else
			ring_turn(ic);
		return 1;
	}
	if (!ic->ring)
		return 0;
	if (ic->ring->deferred)
		return defer(ic, data, size);	/* a second: refused */
	if (drain(ic, 0) == DRAIN_EMPTY)
		return ic->closing ? 1 : 0;
	return defer(ic, data, size);
}

void ipc_ring_close(struct ipc_conn *ic)
{
	struct ipc_ring *rg = ic->ring;

	busy_unlink(ic);
	if (!rg)
		return;
	ic->ring = NULL;
	munmap(rg->map, rg->map_size);
	free(rg->deferred);
	free(rg);
}
