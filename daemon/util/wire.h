/*
 * Bounds-checked reading and writing of wire data.
 *
 * Every byte that comes from a client or a peer is read through a wire_rd,
 * never by casting the buffer to a struct.  Each accessor names its byte
 * order: _be for big-endian (cluster messages between nodes), _ne for the
 * host's own order (the libqb IPC protocol, whose peer is a process on the
 * same machine).  Errors are sticky: after the first out-of-bounds access
 * every later call fails too, so a decoder may check once at the end.
 * Functions return 0 or -EBADMSG (reader) / -EMSGSIZE (writer).
 */
#ifndef CPGD_UTIL_WIRE_H
#define CPGD_UTIL_WIRE_H

#include <stddef.h>
#include <stdint.h>

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

void wire_rd_init(struct wire_rd *r, const void *buf, size_t len);
/* Move to an absolute offset (may equal len). */
int wire_rd_seek(struct wire_rd *r, size_t off);
size_t wire_rd_left(const struct wire_rd *r);
int wire_rd_u8(struct wire_rd *r, uint8_t *v);
int wire_rd_be16(struct wire_rd *r, uint16_t *v);
int wire_rd_be32(struct wire_rd *r, uint32_t *v);
int wire_rd_be64(struct wire_rd *r, uint64_t *v);
int wire_rd_ne32(struct wire_rd *r, uint32_t *v);
int wire_rd_ne64(struct wire_rd *r, uint64_t *v);
int wire_rd_bytes(struct wire_rd *r, void *dst, size_t n);
/* Point at the next n bytes without copying them. */
int wire_rd_ptr(struct wire_rd *r, const void **p, size_t n);

void wire_wr_init(struct wire_wr *w, void *buf, size_t cap);
int wire_wr_seek(struct wire_wr *w, size_t off);
int wire_wr_u8(struct wire_wr *w, uint8_t v);
int wire_wr_be16(struct wire_wr *w, uint16_t v);
int wire_wr_be32(struct wire_wr *w, uint32_t v);
int wire_wr_be64(struct wire_wr *w, uint64_t v);
int wire_wr_ne32(struct wire_wr *w, uint32_t v);
int wire_wr_ne64(struct wire_wr *w, uint64_t v);
int wire_wr_bytes(struct wire_wr *w, const void *src, size_t n);
int wire_wr_zero(struct wire_wr *w, size_t n);

#endif
