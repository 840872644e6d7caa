/* Sending a message as fragments; see cpg_frag.h. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "cpg_frag.h"

/* Walks the caller's iovecs one fragment at a time, without copying. */
struct iov_cursor {
	const struct iovec *iov;
	unsigned int n, i;
	size_t off;
};

/* Fill out[] with up to max bytes; returns the entries used. */
static unsigned int cursor_take(struct iov_cursor *c, size_t max,
	struct iovec *out, size_t *taken)
{
	unsigned int used = 0;

	*taken = 0;
	while (c->i < c->n && *taken < max) {
		size_t left = c->iov[c->i].iov_len - c->off;
		size_t part = left < max - *taken ? left : max - *taken;

		if (part > 0) {
			out[used++] = (struct iovec){
				(char *)c->iov[c->i].iov_base + c->off, part };
			*taken += part;
		}
		c->off += part;
		if (c->off == c->iov[c->i].iov_len) {
			c->i++;
			c->off = 0;
		}
	}
	return used;
}

static int send_fragment(struct cpg_inst *inst,
	const struct cpg_frag_req *req, struct iovec *frag, unsigned int n,
	int first)
{
	uint8_t res[CPG_WIRE_RES_HDR];
	struct timespec pause = { 0, req->retry_ns };
	int rc;

	for (unsigned int tries = 0; ; tries++) {
		rc = cpg_inst_call(inst, frag, n, (enum cpg_res_id)req->res_id,
			res, sizeof(res), CPG_WIRE_RES_HDR, NULL);
		/* once a message is under way, wait for room rather than
		 * abandon it half sent */
		if (rc != -EAGAIN || first || tries >= req->retries)
			return rc;
		nanosleep(&pause, NULL);
	}
}

int cpg_frag_send(struct cpg_inst *inst, const struct cpg_frag_req *req,
	const struct iovec *iov, unsigned int iov_len, size_t total)
{
	struct iov_cursor cur = { iov, iov_len, 0, 0 };
	uint8_t hdr[CPG_FRAG_HDR_MAX];
	unsigned int pre = req->extra.iov_len > 0 ? 2 : 1;
	struct iovec *frag;
	size_t sent = 0;
	int rc = 0;

	if (req->hdr_len > sizeof(hdr) || req->frag_max == 0 ||
	    req->retry_ns >= 1000000000L)
		return -EINVAL;
	frag = malloc((iov_len + pre) * sizeof(*frag));
	if (!frag)
		return -ENOMEM;
	pthread_mutex_lock(&inst->frag_lock);
	while (sent < total) {
		size_t len;
		unsigned int n = cursor_take(&cur, req->frag_max, frag + pre,
			&len);
		uint32_t type = sent == 0 ? CPG_FRAG_TYPE_FIRST
			: sent + len == total ? CPG_FRAG_TYPE_LAST
			: CPG_FRAG_TYPE_CONT;

		req->hdr(hdr, req->arg, (uint32_t)total, (uint32_t)len, type);
		frag[0] = (struct iovec){ hdr, req->hdr_len };
		if (pre == 2)
			frag[1] = req->extra;
		rc = send_fragment(inst, req, frag, n + pre, sent == 0);
		if (rc < 0)
			break;
		sent += len;
	}
	pthread_mutex_unlock(&inst->frag_lock);
	free(frag);
	return rc;
}
