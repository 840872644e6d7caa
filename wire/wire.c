/* Bounds-checked cursor over wire data: the out-of-line part (the
 * accessors on the path of every message are inline in wire.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "wire/wire.h"

int wire_rd_ptr(struct wire_rd *r, const void **out, size_t n)
{
	const uint8_t *p = wire_rd_take(r, n);

	if (!p)
		return -EBADMSG;
	*out = p;
	return 0;
}

int wire_wr_zero(struct wire_wr *w, size_t n)
{
	uint8_t *p = wire_wr_take(w, n);

	if (!p)
		return -EMSGSIZE;
	memset(p, 0, n);
	return 0;
}
