/*
 * Bounds-checked reading and writing of wire data: the one codec of the
 * tree.  The client libraries (lib/: the CPG and EVS client protocols), the
 * daemon (daemon/: the same protocols from the other side, its cluster
 * messages) and the Totem engine (daemon/totem/: its packets) read and
 * write every wire format through it.
 *
 * Why a top-level directory: lib/ and daemon/ both need it and neither may
 * depend on the other (a directory per layer, no upward dependencies), so
 * it sits below both.  It depends on libc alone (no libqb, no logging):
 * libwire.la is linked into libcpg.so.4 and libevs.so.4, where its symbols
 * stay hidden (built with -fvisibility=hidden, and the libraries' version
 * scripts end in "local: *"), and into the daemon and the engine.
 *
 * Every byte that comes from a client or a peer is read through a wire_rd,
 * never by casting the buffer to a struct.  Each accessor names its byte
 * order: _be for big-endian (cluster messages between nodes), _ne for the
 * host's own order (the libqb IPC protocols, whose peer is a process on
 * the same machine).  _at accessors first move to an absolute offset (the
 * named offsets of include/cpgd/cpg_proto.h and evs_ipc.h).  Errors are
 * sticky: after the first out-of-bounds access every later call fails too
 * and reads nothing, so a decoder may check once at the end; a failed read
 * leaves its output untouched.  Functions return 0 or -EBADMSG (reader) /
 * -EMSGSIZE (writer).
 *
 * The small accessors are static inline: they sit on the path of every
 * message and packet.
 */
#ifndef CPGD_WIRE_H
#define CPGD_WIRE_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wire_rd {
	const uint8_t *buf;
	size_t len;
	size_t off;
	int err;
};

struct wire_wr {
	uint8_t *buf;
	size_t cap;
	size_t off;
	int err;
};

/* ---- reader ---- */

static inline void wire_rd_init(struct wire_rd *r, const void *buf,
				size_t len)
{
	r->buf = buf;
	r->len = buf ? len : 0;
	r->off = 0;
	r->err = 0;
}

/* The next n bytes, consumed; NULL (and the error set) if fewer remain. */
static inline const uint8_t *wire_rd_take(struct wire_rd *r, size_t n)
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

/* Move to an absolute offset (may equal len). */
static inline int wire_rd_seek(struct wire_rd *r, size_t off)
{
	if (r->err || off > r->len)
		return r->err = -EBADMSG;
	r->off = off;
	return 0;
}

static inline size_t wire_rd_left(const struct wire_rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

/*
 * A count read from the wire, of elements of size (> 0) bytes each that
 * follow: 0 when that many remain, else the error is set.  Check it before
 * sizing an allocation or looping over the array.
 */
static inline int wire_rd_count(struct wire_rd *r, uint64_t n, size_t size)
{
	if (r->err || n > wire_rd_left(r) / size)
		return r->err = -EBADMSG;
	return 0;
}

/* wire_rd_init() of a message that must be at least min (> 0) bytes
 * long: 0, or -EBADMSG (and the reader's error) for a shorter one. */
static inline int wire_rd_init_min(struct wire_rd *r, const void *buf,
				   size_t len, size_t min)
{
	wire_rd_init(r, buf, len);
	return wire_rd_count(r, 1, min);
}

static inline int wire_rd_u8(struct wire_rd *r, uint8_t *v)
{
	const uint8_t *p = wire_rd_take(r, 1);

	if (!p)
		return -EBADMSG;
	*v = p[0];
	return 0;
}

static inline int wire_rd_be16(struct wire_rd *r, uint16_t *v)
{
	const uint8_t *p = wire_rd_take(r, 2);

	if (!p)
		return -EBADMSG;
	*v = (uint16_t)((p[0] << 8) | p[1]);
	return 0;
}

static inline int wire_rd_be32(struct wire_rd *r, uint32_t *v)
{
	const uint8_t *p = wire_rd_take(r, 4);

	if (!p)
		return -EBADMSG;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	     (uint32_t)p[2] << 8 | p[3];
	return 0;
}

static inline int wire_rd_be64(struct wire_rd *r, uint64_t *v)
{
	const uint8_t *p = wire_rd_take(r, 8);
	uint64_t x = 0;
	int i;

	if (!p)
		return -EBADMSG;
	for (i = 0; i < 8; i++)
		x = x << 8 | p[i];
	*v = x;
	return 0;
}

static inline int wire_rd_ne32(struct wire_rd *r, uint32_t *v)
{
	const uint8_t *p = wire_rd_take(r, 4);

	if (!p)
		return -EBADMSG;
	memcpy(v, p, 4);
	return 0;
}

static inline int wire_rd_ne64(struct wire_rd *r, uint64_t *v)
{
	const uint8_t *p = wire_rd_take(r, 8);

	if (!p)
		return -EBADMSG;
	memcpy(v, p, 8);
	return 0;
}

static inline int wire_rd_ne32_at(struct wire_rd *r, size_t off, uint32_t *v)
{
	if (wire_rd_seek(r, off))
		return -EBADMSG;
	return wire_rd_ne32(r, v);
}

static inline int wire_rd_ne64_at(struct wire_rd *r, size_t off, uint64_t *v)
{
	if (wire_rd_seek(r, off))
		return -EBADMSG;
	return wire_rd_ne64(r, v);
}

/* Copy the next n bytes out (inline: a constant n becomes a move). */
static inline int wire_rd_bytes(struct wire_rd *r, void *dst, size_t n)
{
	const uint8_t *p = wire_rd_take(r, n);

	if (!p)
		return -EBADMSG;
	if (n)
		memcpy(dst, p, n);
	return 0;
}

/* Point at the next n bytes without copying them. */
int wire_rd_ptr(struct wire_rd *r, const void **p, size_t n);

/* ---- writer ---- */

static inline void wire_wr_init(struct wire_wr *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->off = 0;
	w->err = 0;
}

/* Room for the next n bytes, consumed; NULL (and the error set) if the
 * buffer has less. */
static inline uint8_t *wire_wr_take(struct wire_wr *w, size_t n)
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

static inline int wire_wr_seek(struct wire_wr *w, size_t off)
{
	if (w->err || off > w->cap)
		return w->err = -EMSGSIZE;
	w->off = off;
	return 0;
}

static inline int wire_wr_u8(struct wire_wr *w, uint8_t v)
{
	uint8_t *p = wire_wr_take(w, 1);

	if (!p)
		return -EMSGSIZE;
	p[0] = v;
	return 0;
}

static inline int wire_wr_be16(struct wire_wr *w, uint16_t v)
{
	uint8_t *p = wire_wr_take(w, 2);

	if (!p)
		return -EMSGSIZE;
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 0;
}

static inline int wire_wr_be32(struct wire_wr *w, uint32_t v)
{
	uint8_t *p = wire_wr_take(w, 4);

	if (!p)
		return -EMSGSIZE;
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return 0;
}

static inline int wire_wr_be64(struct wire_wr *w, uint64_t v)
{
	uint8_t *p = wire_wr_take(w, 8);
	int i;

	if (!p)
		return -EMSGSIZE;
	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
	return 0;
}

static inline int wire_wr_ne32(struct wire_wr *w, uint32_t v)
{
	uint8_t *p = wire_wr_take(w, 4);

	if (!p)
		return -EMSGSIZE;
	memcpy(p, &v, 4);
	return 0;
}

static inline int wire_wr_ne64(struct wire_wr *w, uint64_t v)
{
	uint8_t *p = wire_wr_take(w, 8);

	if (!p)
		return -EMSGSIZE;
	memcpy(p, &v, 8);
	return 0;
}

static inline int wire_wr_ne32_at(struct wire_wr *w, size_t off, uint32_t v)
{
	if (wire_wr_seek(w, off))
		return -EMSGSIZE;
	return wire_wr_ne32(w, v);
}

static inline int wire_wr_ne64_at(struct wire_wr *w, size_t off, uint64_t v)
{
	if (wire_wr_seek(w, off))
		return -EMSGSIZE;
	return wire_wr_ne64(w, v);
}

static inline int wire_wr_bytes(struct wire_wr *w, const void *src,
				size_t n)
{
	uint8_t *p = wire_wr_take(w, n);

	if (!p)
		return -EMSGSIZE;
	if (n)
		memcpy(p, src, n);
	return 0;
}

int wire_wr_zero(struct wire_wr *w, size_t n);

#endif
