/* The client's half of the request ring; see cpg_ring.h. */
#define _GNU_SOURCE	/* memfd_create, file seals */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "cpg_err.h"
#include "cpg_inst.h"
#include "cpg_ring.h"

struct cpg_ring {
	pthread_mutex_t lock;	/* producers */
	int fd;			/* until the daemon has taken the file */
	uint8_t *map;
	size_t map_size;
	uint8_t *data;
	uint64_t size;		/* data bytes, a power of two */
	uint64_t tail;		/* under lock: what was published */
};

static uint64_t *word64(struct cpg_ring *r, size_t off)
{
	return (uint64_t *)(void *)(r->map + off);
}

static uint32_t *word32(struct cpg_ring *r, size_t off)
{
	return (uint32_t *)(void *)(r->map + off);
}

int cpg_ring_new(uint32_t data_size, struct cpg_ring **out)
{
	struct cpg_ring *r;
	int rc;

	if (data_size < CPG_RING_DATA_MIN || data_size > CPG_RING_DATA_MAX ||
	    (data_size & (data_size - 1)))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	pthread_mutex_init(&r->lock, NULL);
	r->size = data_size;
	r->map_size = CPG_RING_HDR + (size_t)data_size;
	r->map = MAP_FAILED;
	/* sealed against shrinking before the daemon sees it: a mapping of
	 * it can never raise SIGBUS in the daemon */
	r->fd = memfd_create("cpg-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (r->fd < 0 || ftruncate(r->fd, (off_t)r->map_size) < 0 ||
	    fcntl(r->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
		  F_SEAL_SEAL) < 0) {
		rc = -errno;
		goto fail;
	}
	r->map = mmap(NULL, r->map_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		r->fd, 0);
	if (r->map == MAP_FAILED) {
		rc = -errno;
		goto fail;
	}
	r->data = r->map + CPG_RING_HDR;
	*word32(r, CPG_RING_OFF_MAGIC) = CPG_RING_MAGIC;
	__atomic_store_n(word32(r, CPG_RING_OFF_SLEEP), 1, __ATOMIC_RELEASE);
	*out = r;
	return 0;
fail:
	cpg_ring_free(r);
	return rc;
}

void cpg_ring_free(struct cpg_ring *r)
{
	if (!r)
		return;
	if (r->map != MAP_FAILED)
		munmap(r->map, r->map_size);
	if (r->fd >= 0)
		close(r->fd);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

int cpg_ring_attach(struct cpg_inst *inst, struct cpg_ring *r)
{
	uint8_t req[CPG_WIRE_RING_OPEN_SIZE] = { 0 };
	int rc;

	cpg_wire_ring_open(req, (uint32_t)r->fd, (uint32_t)r->size);
	rc = cpg_inst_request(inst, req, sizeof(req),
		(enum cpg_res_id)CPG_RES_RING_OPEN);
	if (rc < 0 && rc > -CPG_ERR_CS_BASE) {
		cpg_ring_free(r);
		return rc;	/* the connection failed */
	}
	if (rc < 0) {
		cpg_ring_free(r);
		return 0;	/* refused: batched events only */
	}
	/* the daemon holds its own reference to the file now */
	close(r->fd);
	r->fd = -1;
	inst->ring = r;
	return 1;
}

/* Copy the request in at the tail, wrapping at the end of the data. */
static void put_bytes(struct cpg_ring *r, uint64_t at, const void *src,
	size_t len)
{
	size_t off = (size_t)(at & (r->size - 1));
	size_t first = len < r->size - off ? len : (size_t)r->size - off;

	if (len == 0)
		return;	/* an empty iovec may have a NULL base */
	memcpy(r->data + off, src, first);
	if (first < len)
		memcpy(r->data, (const uint8_t *)src + first, len - first);
}

/* 0 and *kick, -EAGAIN, -EMSGSIZE, or -EIO when the daemon's head is not
 * one it can have written. */
static int ring_put(struct cpg_ring *r, const struct iovec *iov,
	unsigned int n, size_t total, int *kick)
{
	static const uint8_t zeros[CPG_RING_ALIGN];
	size_t need = (total + CPG_RING_ALIGN - 1) &
		~(size_t)(CPG_RING_ALIGN - 1);
	uint64_t head, used, at;
	uint32_t sleeping = 1;

	*kick = 0;
	if (need > r->size)
		return -EMSGSIZE;
	pthread_mutex_lock(&r->lock);
	head = __atomic_load_n(word64(r, CPG_RING_OFF_HEAD), __ATOMIC_ACQUIRE);
	used = r->tail - head;
	if (used > r->size) {
		pthread_mutex_unlock(&r->lock);
		return -EIO;
	}
	if (need > r->size - used) {
		pthread_mutex_unlock(&r->lock);
		return -EAGAIN;
	}
	at = r->tail;
	for (unsigned int i = 0; i < n; i++) {
		put_bytes(r, at, iov[i].iov_base, iov[i].iov_len);
		at += iov[i].iov_len;
	}
	put_bytes(r, at, zeros, need - total);
	r->tail += need;
	/* the entry before the tail that publishes it; then, against the
	 * daemon's "sleep, then look at the tail again", look at its flag
	 * only after the tail is visible (both sides fence) */
	__atomic_store_n(word64(r, CPG_RING_OFF_TAIL), r->tail,
		__ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(word32(r, CPG_RING_OFF_SLEEP), __ATOMIC_RELAXED) &&
	    __atomic_compare_exchange_n(word32(r, CPG_RING_OFF_SLEEP),
		    &sleeping, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		*kick = 1;	/* one kick per sleep, whoever wins */
	pthread_mutex_unlock(&r->lock);
	return 0;
}

int cpg_ring_mcast(struct cpg_inst *inst, const struct iovec *iov,
	unsigned int n, size_t total)
{
	uint8_t req[CPG_WIRE_RING_KICK_SIZE] = { 0 };
	struct iovec kiov = { req, sizeof(req) };
	int kick, rc;

	rc = ring_put(inst->ring, iov, n, total, &kick);
	if (rc == -EAGAIN || rc == -EIO) {
		/* full (or nonsense): a daemon that is gone says so here, as
		 * a send on the standard path would */
		if (!qb_ipcc_is_connected(inst->c))
			return -ENOTCONN;
		return -EAGAIN;
	}
	if (rc < 0 || !kick)
		return rc;
	cpg_wire_bare(req, (enum cpg_req_id)CPG_REQ_RING_KICK);
	rc = cpg_inst_send(inst, &kiov, 1);
	if (rc == -EAGAIN) {
		/* the message is in the ring: it must not be sent twice.
		 * The next send kicks again (and the daemon drains every
		 * ring when it takes requests again). */
		__atomic_store_n(word32(inst->ring, CPG_RING_OFF_SLEEP), 1,
			__ATOMIC_SEQ_CST);
		rc = 0;
	}
	return rc;
}
