/* One entry of a request ring; see ipc_ring_parse.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "ipc/ipc_proto.h"
#include "ipc/ipc_ring_parse.h"
#include "wire/wire.h"

uint64_t ipc_ring_step(size_t len)
{
	return ((uint64_t)len + CPG_RING_ALIGN - 1) &
	       ~(uint64_t)(CPG_RING_ALIGN - 1);
}

/* len bytes from position at of the ring, wrapping at its end. */
static void copy_out(const uint8_t *data, uint64_t size, uint64_t at,
		     uint8_t *out, size_t len)
{
	size_t off = (size_t)(at & (size - 1));
	size_t first = len < size - off ? len : (size_t)(size - off);

	memcpy(out, data + off, first);
	if (first < len)
		memcpy(out + first, data, len - first);
}

static int bad(const char **why, const char *reason, int rc)
{
	if (why)
		*why = reason;
	return rc;
}

int ipc_ring_next(const uint8_t *data, uint64_t size, uint64_t head,
		  uint64_t tail, uint8_t *out, size_t max, size_t *len,
		  const char **why)
{
	uint64_t avail = tail - head;
	struct wire_rd r;
	uint32_t id = 0, rsize = 0;

	if (size < CPG_RING_ALIGN || (size & (size - 1)) ||
	    (head % CPG_RING_ALIGN))
		return bad(why, "ring of a bad size", -EINVAL);
	if (avail > size || (tail % CPG_RING_ALIGN))
		return bad(why, "ring index out of range", -ERANGE);
	if (avail == 0)
		return -EAGAIN;
	if (avail < CPG_WIRE_REQ_HDR || max < CPG_WIRE_REQ_HDR)
		return bad(why, "ring entry shorter than a request", -EBADMSG);
	copy_out(data, size, head, out, CPG_WIRE_REQ_HDR);
	wire_rd_init(&r, out, CPG_WIRE_REQ_HDR);
	wire_rd_ne32(&r, &id);
	wire_rd_seek(&r, CPG_WIRE_HDR_SIZE);
	wire_rd_ne32(&r, &rsize);
	if (r.err)
		return bad(why, "ring entry unreadable", -EBADMSG);
	if (id != CPG_REQ_MCAST)
		return bad(why, "ring entry is not a multicast", -EBADMSG);
	if (rsize < CPG_WIRE_MCAST_HDR || rsize > max)
		return bad(why, "ring entry of a bad size", -EBADMSG);
	if (ipc_ring_step(rsize) > avail)
		return bad(why, "ring entry longer than what was written",
			   -EBADMSG);
	/* only the rest: the header in out stays the one checked */
	copy_out(data, size, head + CPG_WIRE_REQ_HDR, out + CPG_WIRE_REQ_HDR,
		 rsize - CPG_WIRE_REQ_HDR);
	*len = rsize;
	return 0;
}
