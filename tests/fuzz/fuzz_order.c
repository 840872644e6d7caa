/* A one-node ordering layer and the input records of the request handlers'
 * fuzz targets; see fuzz_order.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "fuzz_order.h"

struct fuzz_qmsg {
	struct fuzz_qmsg *next;
	size_t len;
	uint8_t data[];
};

static struct fuzz_order *fo_of(const struct order *o)
{
	return (struct fuzz_order *)(uintptr_t)o;
}

static int fo_mcast(struct order *o, const struct iovec *iov, unsigned int n,
		    enum order_guarantee g)
{
	struct fuzz_order *f = fo_of(o);
	struct fuzz_qmsg *m;
	size_t len = 0, off = 0;
	unsigned int i;

	(void)g;
	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (len > f->max_msg)
		abort();	/* the layer above must have refused it */
	if (f->queued > 64)
		return -EAGAIN;
	m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		memcpy(m->data + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	m->len = len;
	m->next = NULL;
	if (f->tail)
		f->tail->next = m;
	else
		f->head = m;
	f->tail = m;
	f->queued++;
	return 0;
}

static uint32_t fo_nodeid(const struct order *o)
{
	(void)o;
	return 1;
}

static size_t fo_max(const struct order *o)
{
	return fo_of(o)->max_msg;
}

static int fo_blocked(const struct order *o)
{
	const struct fuzz_order *f = fo_of(o);

	return f->block_above && f->queued > f->block_above;
}

static void fo_destroy(struct order *o)
{
	(void)o;
}

static const struct order_ops fo_ops = {
	.mcast = fo_mcast, .nodeid = fo_nodeid, .max_msg_size = fo_max,
	.flow_blocked = fo_blocked, .destroy = fo_destroy,
};

void fuzz_order_init(struct fuzz_order *f, size_t max_msg, size_t block_above)
{
	memset(f, 0, sizeof(*f));
	f->base.ops = &fo_ops;
	f->max_msg = max_msg;
	f->block_above = block_above;
}

static struct fuzz_qmsg *take(struct fuzz_order *f)
{
	struct fuzz_qmsg *m = f->head;

	f->head = m->next;
	if (!f->head)
		f->tail = NULL;
	f->queued--;
	return m;
}

void fuzz_order_pump(struct fuzz_order *f)
{
	while (f->head) {
		struct fuzz_qmsg *m = take(f);

		f->base.user.deliver(f->base.user.arg, 1, m->data, m->len);
		free(m);
	}
}

void fuzz_order_drop(struct fuzz_order *f)
{
	while (f->head)
		free(take(f));
}

uint32_t fuzz_get32(const void *b, size_t off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)b + off, 4);
	return v;
}

void fuzz_touch(const void *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		(void)((volatile const uint8_t *)p)[i];
}

int fuzz_next_req(const uint8_t *data, size_t size, size_t *pos, size_t hdr,
		  struct fuzz_req *r)
{
	size_t off = *pos;

	if (off + 3 > size)
		return 0;
	r->op = data[off];
	r->len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
	off += 3;
	if (r->len > size - off)
		r->len = size - off;
	r->req = malloc(r->len ? r->len : 1);
	if (!r->req)
		abort();
	memcpy(r->req, data + off, r->len);
	if (!(r->op & 0x80) && r->len >= hdr) {
		uint32_t l = (uint32_t)r->len;

		memcpy(r->req + 8, &l, 4);
	}
	*pos = off + r->len;
	return 1;
}
