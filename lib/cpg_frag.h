/*
 * Sending one message that is larger than a request as a series of
 * fragment requests (FIRST, CONT..., LAST), each answered by the daemon,
 * for every service of the library (CPG's PARTIAL_MCAST, EVS's MCAST).
 *
 * Each fragment request is: a fixed header that the service's hdr
 * function writes, an optional `extra` part that is the same in every
 * fragment (EVS's group list), then the next piece of the caller's
 * iovecs, at most frag_max bytes, taken without copying.  The fragments of
 * one message are kept together under the instance's frag_lock.  A later
 * fragment that the daemon answers TRY_AGAIN is retried (retries times,
 * retry_ns apart, as the service chooses) rather than abandon a message
 * half sent; the first one is not.
 */
#ifndef CPG_FRAG_H
#define CPG_FRAG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "cpg_inst.h"

/* Fragment types, the same numbers in both protocols. */
#define CPG_FRAG_TYPE_FIRST 1
#define CPG_FRAG_TYPE_CONT 2
#define CPG_FRAG_TYPE_LAST 3

/* Largest fixed header a service may use. */
#define CPG_FRAG_HDR_MAX 64

/* Write the header of one fragment of len bytes of a total-byte message. */
typedef void (*cpg_frag_hdr_fn)(uint8_t *hdr, void *arg, uint32_t total,
	uint32_t len, uint32_t type);

struct cpg_frag_req {
	size_t hdr_len;			/* <= CPG_FRAG_HDR_MAX */
	cpg_frag_hdr_fn hdr;
	void *arg;
	struct iovec extra;		/* iov_len 0: none */
	uint32_t res_id;		/* the response each fragment gets */
	size_t frag_max;		/* payload bytes per fragment */
	unsigned int retries;		/* TRY_AGAIN on a later fragment: */
	long retry_ns;			/* retried this often, this far apart */
};

/* 0, or the first error (the daemon's refusal or -errno). */
int cpg_frag_send(struct cpg_inst *inst, const struct cpg_frag_req *req,
	const struct iovec *iov, unsigned int iov_len, size_t total);

#endif
