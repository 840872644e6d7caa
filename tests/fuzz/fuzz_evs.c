/*
 * libFuzzer target for the EVS request handler: request validation
 * (ipc_evs_req_decode) and its dispatch into the real EVS layer, for up to
 * four connections of one daemon whose ordering layer delivers at once.
 *
 * Input: a sequence of records
 *   u8 op   low 2 bits: the connection; 0x40: close it and open a new one;
 *           0x20: a new configuration before the request; 0x80: leave the
 *           request's size field as given (else it is set to the record's
 *           length, so that most requests reach the handlers)
 *   u16 len (little endian), then len bytes of request.
 *
 * The stubs check what the handler answers: every response is of a known
 * id and its header's size is its length; every event fits the
 * connection's buffer and says its own length; a closed connection
 * answers nothing more.  A violated check aborts.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "evs/evs.h"
#include "ipc/ipc_evs.h"
#include "ipc/ipc_evs_codec.h"
#include "ipc/ipc_int.h"
#include "order/order.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_CONN 4

static uint32_t get32(const void *b, size_t off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)b + off, 4);
	return v;
}

/* ---- a one-node ordering layer, delivered after each request */

struct qmsg {
	struct qmsg *next;
	size_t len;
	uint8_t data[];
};

struct fz_order {
	struct order base;
	struct qmsg *head, *tail;
	size_t queued;
};

static int fo_mcast(struct order *o, const struct iovec *iov, unsigned int n,
		    enum order_guarantee g)
{
	struct fz_order *f = (struct fz_order *)o;
	struct qmsg *m;
	size_t len = 0, off = 0;

	(void)g;
	for (unsigned int i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (len > o->ops->max_msg_size(o))
		abort();	/* the EVS layer must have refused it */
	if (f->queued > 64)
		return -EAGAIN;
	m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
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

static uint32_t fo_nodeid(const struct order *o) { (void)o; return 1; }
static size_t fo_max(const struct order *o) { (void)o; return 1u << 20; }
static int fo_blocked(const struct order *o)
{
	return ((const struct fz_order *)o)->queued > 32;
}
static void fo_destroy(struct order *o) { (void)o; }

static const struct order_ops fo_ops = {
	.mcast = fo_mcast, .nodeid = fo_nodeid, .max_msg_size = fo_max,
	.flow_blocked = fo_blocked, .destroy = fo_destroy,
};

static void fo_pump(struct fz_order *f)
{
	while (f->head) {
		struct qmsg *m = f->head;

		f->head = m->next;
		if (!f->head)
			f->tail = NULL;
		f->queued--;
		f->base.user.deliver(f->base.user.arg, 1, m->data, m->len);
		free(m);
	}
}

/* ---- what ipc_server.c does for ipc_evs.c, with checks */

static const struct ipc_service_ops *evs_ops;

int ipc_server_start_ops(struct ipc_server *s,
			 const struct ipc_service_ops *ops)
{
	(void)s;
	evs_ops = ops;
	return 0;
}

void ipc_conn_kill(struct ipc_conn *ic, const char *why)
{
	(void)why;
	ic->closing = 1;
}

void ipc_conn_event(struct ipc_conn *ic, const struct iovec *iov,
		    unsigned int n)
{
	size_t total = 0;

	for (unsigned int i = 0; i < n; i++)
		total += iov[i].iov_len;
	if (n == 0 || iov[0].iov_len < EVS_IPC_RES_HDR ||
	    get32(iov[0].iov_base, 8) != total || total > ic->bufsize)
		abort();
	for (unsigned int i = 0; i < n; i++)	/* readable to the end */
		if (iov[i].iov_len)
			(void)((volatile const uint8_t *)iov[i].iov_base)
				[iov[i].iov_len - 1];
}

void ipc_conn_respond(struct ipc_conn *ic, const void *buf, size_t len)
{
	if (ic->closing)
		abort();
	if (len < EVS_IPC_RES_HDR || len > ic->bufsize || get32(buf, 8) != len)
		abort();
	if (get32(buf, 0) >= EVS_IPC_REQ_COUNT_ && get32(buf, 16) != 7)
		abort();	/* unknown ids only as malformed requests */
}

/* ---- the target */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipc_conn conns[N_CONN];
	static const uint32_t members[2] = { 1, 2 };
	struct fz_order fo = { .base = { .ops = &fo_ops } };
	struct ipc_server srv;
	struct evs_sink sink;
	struct evs *e;
	uint64_t seq = 1;
	size_t off = 0;

	memset(&srv, 0, sizeof(srv));
	ipc_evs_sink(&srv, &sink);
	if (evs_new(&fo.base, &sink, &e, NULL) < 0 ||
	    ipc_evs_start(&srv, e) < 0 || !evs_ops)
		abort();
	for (int i = 0; i < N_CONN; i++) {
		memset(&conns[i], 0, sizeof(conns[i]));
		conns[i].srv = &srv;
		conns[i].pid = 100 + i;
		conns[i].bufsize = EVS_IPC_BUFFER_SIZE;
		if (evs_ops->open(&conns[i]) < 0)
			abort();
	}
	while (off + 3 <= size) {
		uint8_t op = data[off];
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
		struct ipc_conn *ic = &conns[op & 3];
		uint8_t *req;

		off += 3;
		if (len > size - off)
			len = size - off;
		if (op & 0x40) {
			evs_ops->close(ic);
			ic->closing = 0;
			if (evs_ops->open(ic) < 0)
				abort();
		}
		if (op & 0x20) {
			struct order_membership m = {
				.type = ORDER_CONF_REGULAR,
				.members = members,
			};

			seq++;
			m.ring.rep = 1;
			m.ring.seq = seq;
			m.n_members = 1 + (seq & 1);

			fo.base.user.membership(fo.base.user.arg, &m);
		}
		req = malloc(len ? len : 1);
		if (!req)
			abort();
		memcpy(req, data + off, len);
		if (!(op & 0x80) && len >= 12) {
			uint32_t l = (uint32_t)len;

			memcpy(req + 8, &l, 4);
		}
		if (!ic->closing)
			evs_ops->dispatch(ic, req, len);
		free(req);
		off += len;
		fo_pump(&fo);
	}
	for (int i = 0; i < N_CONN; i++)
		evs_ops->close(&conns[i]);
	evs_destroy(e);
	return 0;
}
