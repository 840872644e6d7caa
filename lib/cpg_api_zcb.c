/*
 * Public API: zero-copy buffers.  The library creates a file in /dev/shm,
 * maps it and has the daemon map the same file; the application writes its
 * message straight into the mapping, after room for the MCAST header, and
 * cpg_zcb_mcast_joined() only writes that header and names the mapping.
 *
 * Mapping layout: zc header (16) | MCAST header (40) | payload.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpg_err.h"
#include "cpg_inst.h"

#define ZCB_PAYLOAD_OFF (CPG_WIRE_ZC_HDR + CPG_WIRE_MCAST_HDR)
#define ZCB_NAME "corosync_zerocopy-XXXXXX"
/* The longest zero-copy message: corosync's IPC request size, 1 MiB. */
#define ZCB_MSG_MAX (8192 * 128)

/* Create and map the shared file; path gets its name. */
static int map_file(size_t size, char path[CPG_WIRE_ZC_PATH_LEN],
	uint8_t **map)
{
	static const char *const dirs[] = { "/dev/shm", "/var/run" };
	mode_t old_mask;
	void *addr;
	int fd = -1, rc;

	for (size_t i = 0; i < 2 && fd < 0; i++) {
		snprintf(path, CPG_WIRE_ZC_PATH_LEN, "%s/%s", dirs[i], ZCB_NAME);
		/* only the daemon (same user or root) may open it */
		old_mask = umask(0077);
		fd = mkstemp(path);
		umask(old_mask);
	}
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		rc = -errno;
		goto fail;
	}
	addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED) {
		rc = -errno;
		goto fail;
	}
	close(fd);
	*map = addr;
	return 0;
fail:
	close(fd);
	unlink(path);
	return rc;
}

static int zcb_alloc(cpg_handle_t handle, size_t size, void **buffer)
{
	struct cpg_inst *inst;
	struct cpg_zcb *z;
	char path[CPG_WIRE_ZC_PATH_LEN];
	uint8_t req[CPG_WIRE_ZC_ALLOC_SIZE];
	uint8_t res[CPG_WIRE_RES_HDR];
	int rc;

	/* the handle first, as in corosync's library */
	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	z = NULL;
	if (!buffer)
		rc = -EINVAL;
	/* the zc header stores the mapping size as an int */
	else if (size > INT_MAX - ZCB_PAYLOAD_OFF)
		rc = -E2BIG;
	else if (!(z = calloc(1, sizeof(*z))))
		rc = -ENOMEM;
	if (rc < 0)
		goto fail_put;
	z->map_size = size + ZCB_PAYLOAD_OFF;
	rc = map_file(z->map_size, path, &z->map);
	if (rc < 0)
		goto fail_put;
	cpg_wire_zc_hdr_set(z->map, (uint32_t)z->map_size);
	rc = cpg_wire_zc_alloc(req, z->map_size, path);
	if (rc == 0) {
		ssize_t n = cpg_inst_exchange_buf(inst, req, sizeof(req),
			res, sizeof(res));

		rc = n < 0 ? (int)n
			: cpg_wire_res_zc(res, (size_t)n, CPG_RES_ZC_ALLOC);
	}
	/* the daemon has its own mapping now (or none): the name can go */
	unlink(path);
	/* the daemon's address for the mapping is its sign of success */
	z->server_address = cpg_wire_zc_server_address(z->map);
	if (rc == 0 && z->server_address == 0)
		rc = -ENOMEM;
	if (rc < 0)
		goto fail_unmap;

	pthread_mutex_lock(&inst->state_lock);
	z->next = inst->zcbs;
	inst->zcbs = z;
	pthread_mutex_unlock(&inst->state_lock);
	cpg_inst_put(handle);
	*buffer = z->map + ZCB_PAYLOAD_OFF;
	return 0;
fail_unmap:
	munmap(z->map, z->map_size);
fail_put:
	cpg_inst_put(handle);
	free(z);
	return rc;
}

CPG_EXPORT cs_error_t cpg_zcb_alloc(cpg_handle_t handle, size_t size,
	void **buffer)
{
	return cpg_err_to_cs(zcb_alloc(handle, size, buffer));
}

/* The mapping whose payload starts at buffer; unlinked from the list if
 * take is set.  NULL for a pointer this connection did not hand out. */
static struct cpg_zcb *zcb_find(struct cpg_inst *inst, const void *buffer,
	int take)
{
	struct cpg_zcb **p, *z = NULL;

	pthread_mutex_lock(&inst->state_lock);
	for (p = &inst->zcbs; *p; p = &(*p)->next) {
		if ((*p)->map + ZCB_PAYLOAD_OFF == buffer) {
			z = *p;
			if (take)
				*p = z->next;
			break;
		}
	}
	pthread_mutex_unlock(&inst->state_lock);
	return z;
}

static int zcb_free(cpg_handle_t handle, void *buffer)
{
	struct cpg_inst *inst;
	struct cpg_zcb *z;
	uint8_t req[CPG_WIRE_ZC_FREE_SIZE];
	uint8_t res[CPG_WIRE_RES_HDR];
	ssize_t n;
	int rc;

	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	/* NULL or foreign: corosync's library would read before the pointer */
	z = buffer ? zcb_find(inst, buffer, 1) : NULL;
	if (!z) {
		rc = -EINVAL;
		goto out;
	}
	cpg_wire_zc_free(req, z->map_size, z->server_address);
	n = cpg_inst_exchange_buf(inst, req, sizeof(req), res, sizeof(res));
	rc = n < 0 ? (int)n : cpg_wire_res_zc(res, (size_t)n, CPG_RES_ZC_FREE);
	/* our side of the mapping goes whatever the daemon said */
	munmap(z->map, z->map_size);
	free(z);
out:
	cpg_inst_put(handle);
	return rc;
}

CPG_EXPORT cs_error_t cpg_zcb_free(cpg_handle_t handle, void *buffer)
{
	return cpg_err_to_cs(zcb_free(handle, buffer));
}

static int zcb_mcast_joined(cpg_handle_t handle, cpg_guarantee_t guarantee,
	void *msg, size_t msg_len)
{
	struct cpg_inst *inst;
	struct cpg_zcb *z;
	uint8_t req[CPG_WIRE_ZC_EXECUTE_SIZE];
	int rc;

	rc = cpg_inst_get(handle, &inst);
	if (rc < 0)
		return rc;
	/* corosync's library refuses only a message over its IPC buffer */
	if (msg_len > ZCB_MSG_MAX) {
		rc = -E2BIG;
		goto out;
	}
	/* NULL, foreign or too long for its buffer: corosync's library would
	 * write before the pointer, its daemon read past the mapping */
	z = msg ? zcb_find(inst, msg, 0) : NULL;
	if (!z || msg_len > z->map_size - ZCB_PAYLOAD_OFF) {
		rc = -EINVAL;
		goto out;
	}
	/* the daemon reads this header right before the payload */
	cpg_wire_mcast_hdr(z->map + CPG_WIRE_ZC_HDR, (uint32_t)guarantee,
		(uint32_t)msg_len);
	cpg_wire_zc_execute(req, z->server_address);
	rc = cpg_inst_request(inst, req, sizeof(req), CPG_RES_MCAST);
out:
	cpg_inst_put(handle);
	return rc;
}

CPG_EXPORT cs_error_t cpg_zcb_mcast_joined(cpg_handle_t handle,
	cpg_guarantee_t guarantee, void *msg, size_t msg_len)
{
	return cpg_err_to_cs(zcb_mcast_joined(handle, guarantee, msg, msg_len));
}
