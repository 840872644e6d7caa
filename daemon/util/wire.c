/* Bounds-checked cursor over wire data; see wire.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "util/wire.h"

void wire_rd_init(struct wire_rd *r, const void *buf, size_t len)
{
	r->buf = buf;
	r->len = buf ? len : 0;
	r->off = 0;
	r->err = 0;
}

static const uint8_t *rd_take(struct wire_rd *r, size_t n)
{
	const uint8_t *p;

	if (r->err || n > r->len - r->off) {
		r->err = -EBADMSG;
		return NULL;
	}
	p = r->buf + r->off;
	r->off += n;
	return p;
}

int wire_rd_seek(struct wire_rd *r, size_t off)
{
	if (r->err || off > r->len)
		return r->err = -EBADMSG;
	r->off = off;
	return 0;
}

size_t wire_rd_left(const struct wire_rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

int wire_rd_u8(struct wire_rd *r, uint8_t *v)
{
	const uint8_t *p = rd_take(r, 1);

	if (!p)
		return r->err;
	*v = p[0];
	return 0;
}

int wire_rd_be16(struct wire_rd *r, uint16_t *v)
{
	const uint8_t *p = rd_take(r, 2);

	if (!p)
		return r->err;
	*v = (uint16_t)((p[0] << 8) | p[1]);
	return 0;
}

int wire_rd_be32(struct wire_rd *r, uint32_t *v)
{
	const uint8_t *p = rd_take(r, 4);

	if (!p)
		return r->err;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	     (uint32_t)p[2] << 8 | p[3];
	return 0;
}

int wire_rd_be64(struct wire_rd *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (wire_rd_be32(r, &hi) || wire_rd_be32(r, &lo))
		return r->err;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int wire_rd_ne32(struct wire_rd *r, uint32_t *v)
{
	return wire_rd_bytes(r, v, sizeof(*v));
}

int wire_rd_ne64(struct wire_rd *r, uint64_t *v)
{
	return wire_rd_bytes(r, v, sizeof(*v));
}

int wire_rd_bytes(struct wire_rd *r, void *dst, size_t n)
{
	const uint8_t *p = rd_take(r, n);

	if (!p)
		return r->err;
	if (n)
		memcpy(dst, p, n);
	return 0;
}

int wire_rd_ptr(struct wire_rd *r, const void **out, size_t n)
{
	const uint8_t *p = rd_take(r, n);

	if (!p)
		return r->err;
	*out = p;
	return 0;
}

void wire_wr_init(struct wire_wr *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->off = 0;
	w->err = 0;
}

static uint8_t *wr_take(struct wire_wr *w, size_t n)
{
	uint8_t *p;

	if (w->err || n > w->cap - w->off) {
		w->err = -EMSGSIZE;
		return NULL;
	}
	p = w->buf + w->off;
	w->off += n;
	return p;
}

int wire_wr_seek(struct wire_wr *w, size_t off)
{
	if (w->err || off > w->cap)
		return w->err = -EMSGSIZE;
	w->off = off;
	return 0;
}

int wire_wr_u8(struct wire_wr *w, uint8_t v)
{
	uint8_t *p = wr_take(w, 1);

	if (!p)
		return w->err;
	p[0] = v;
	return 0;
}

int wire_wr_be16(struct wire_wr *w, uint16_t v)
{
	uint8_t *p = wr_take(w, 2);

	if (!p)
		return w->err;
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 0;
}

int wire_wr_be32(struct wire_wr *w, uint32_t v)
{
	uint8_t *p = wr_take(w, 4);

	if (!p)
		return w->err;
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return 0;
}

int wire_wr_be64(struct wire_wr *w, uint64_t v)
{
	if (wire_wr_be32(w, (uint32_t)(v >> 32)) || wire_wr_be32(w, (uint32_t)v))
		return w->err;
	return 0;
}

int wire_wr_ne32(struct wire_wr *w, uint32_t v)
{
	return wire_wr_bytes(w, &v, sizeof(v));
}

int wire_wr_ne64(struct wire_wr *w, uint64_t v)
{
	return wire_wr_bytes(w, &v, sizeof(v));
}

int wire_wr_bytes(struct wire_wr *w, const void *src, size_t n)
{
	uint8_t *p = wr_take(w, n);

	if (!p)
		return w->err;
	if (n)
		memcpy(p, src, n);
	return 0;
}

int wire_wr_zero(struct wire_wr *w, size_t n)
{
	uint8_t *p = wr_take(w, n);

	if (!p)
		return w->err;
	memset(p, 0, n);
	return 0;
}
