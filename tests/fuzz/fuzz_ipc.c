/*
 * libFuzzer target for the IPC request handler: request validation
 * (ipc_req_decode) and its dispatch into the real CPG layer, for up to four
 * connections of one daemon whose ordering layer delivers at once.
 *
 * Input: a sequence of records
 *   u8 op   low 2 bits: the connection; 0x40: close it and open a new one;
 *           0x80: leave the request's size field as given (else it is
 *           set to the record's length, so that most requests get past
 *           the header check and into the handlers)
 *   u16 len (little endian), then len bytes of request.
 *
 * The stubs check what the handler answers: every response is of a known
 * id and its header's size is its length; every event fits the
 * connection's buffer.  A violated check aborts.  Zero-copy requests are
 * made by a uid that owns no file, with an empty directory as zc_dir, so
 * that no input can map or unlink a real file.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "grp/grp.h"
#include "ipc/ipc_codec.h"
#include "ipc/ipc_int.h"
#include "ipc/ipc_reqs.h"
#include "order/order.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define N_CONN 4
#define FUZZ_UID ((uid_t)3999999999u)
#define FUZZ_BUFSIZE ((size_t)IPC_BUFFER_SIZE)

static uint32_t get32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, 4);
	return v;
}

/* ---- the ordering layer: one node, a queue delivered after each request */

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
	unsigned int i;

	(void)g;
	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	if (len > o->ops->max_msg_size(o))
		abort();	/* the CPG layer must have refused it */
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

static uint32_t fo_nodeid(const struct order *o) { (void)o; return 1; }
static size_t fo_max(const struct order *o) { (void)o; return 2u << 20; }
static int fo_blocked(const struct order *o) { (void)o; return 0; }
static void fo_destroy(struct order *o) { (void)o; }

static const struct order_ops fo_ops = {
	fo_mcast, fo_nodeid, fo_max, fo_blocked, NULL, fo_destroy,
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

static void fo_drop(struct fz_order *f)
{
	while (f->head) {
		struct qmsg *m = f->head;

		f->head = m->next;
		free(m);
	}
	f->tail = NULL;
	f->queued = 0;
}

/* ---- what ipc_server.c does for ipc_dispatch.c, with checks */

/* The id of the request ipc_dispatch() is handling (one thread). */
static uint32_t fz_req_id;

void ipc_conn_kill(struct ipc_conn *ic, const char *why)
{
	(void)why;
	ic->closing = 1;
}

void ipc_conn_fast(struct ipc_conn *ic)
{
	ic->fast = 1;
}

void ipc_conn_event(struct ipc_conn *ic, const struct iovec *iov,
		    unsigned int n)
{
	size_t total = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	if (n == 0 || iov[0].iov_len < CPG_WIRE_RES_HDR ||
	    get32(iov[0].iov_base, 8) != total || total > ic->bufsize)
		abort();
}

void ipc_conn_respond(struct ipc_conn *ic, const void *buf, size_t len)
{
	const struct ipc_req_kind *kind;
	uint32_t id;

	if (ic->closing)
		abort();	/* a killed connection answers nothing more */
	if (len < CPG_WIRE_RES_HDR || len > ic->bufsize || get32(buf, 8) != len)
		abort();
	/* the answer the request table names for the request being handled
	 * (id 0 for an id the protocol does not define) */
	kind = ipc_req_kind(fz_req_id);
	id = get32(buf, 0);
	if (id != (kind ? kind->res_id : 0) || (kind && !kind->replies))
		abort();
}

static void sink_confchg(void *arg, void *conn, const struct grp_gname *g,
			 const struct grp_addr *members, size_t n_members,
			 const struct grp_addr *left, size_t n_left,
			 const struct grp_addr *joined, size_t n_joined)
{
	struct ipc_conn *ic = conn;
	size_t size = ipc_ev_confchg_size(n_members, n_left, n_joined);
	void *buf = malloc(size);

	if (!buf)
		return;
	if (ipc_ev_confchg(buf, size, g, members, n_members, left, n_left,
			   joined, n_joined) != (int)size)
		abort();
	free(buf);
	(void)ic;
}

static void sink_deliver(void *arg, void *conn, const struct grp_gname *g,
			 uint32_t nodeid, uint32_t pid, const void *msg,
			 size_t len)
{
	uint8_t hdr[CPG_WIRE_DELIVER_HDR];
	struct iovec iov[2];

	if (ipc_ev_deliver_hdr(hdr, sizeof(hdr), g, nodeid, pid, len) < 0)
		abort();
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)msg;
	iov[1].iov_len = len;
	ipc_conn_event(conn, iov, 2);
	/* the payload must be readable to its end */
	if (len)
		(void)((volatile const uint8_t *)msg)[len - 1];
}

static void sink_partial(void *arg, void *conn, const struct grp_gname *g,
			 uint32_t nodeid, uint32_t pid, uint32_t msglen,
			 uint32_t type, const void *frag, size_t fraglen)
{
	uint8_t hdr[CPG_WIRE_PARTIAL_DELIVER_HDR];
	struct iovec iov[2];

	if (type < 1 || type > 3 || fraglen > msglen)
		abort();
	if (ipc_ev_partial_hdr(hdr, sizeof(hdr), g, nodeid, pid, msglen, type,
			       fraglen) < 0)
		abort();
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)frag;
	iov[1].iov_len = fraglen;
	ipc_conn_event(conn, iov, 2);
}

static void sink_totem(void *arg, void *conn, uint32_t rep, uint64_t seq,
		       const uint32_t *members, size_t n)
{
	size_t size = ipc_ev_totem_size(n);
	void *buf = malloc(size);

	(void)conn;
	if (!buf)
		return;
	if (ipc_ev_totem(buf, size, rep, seq, members, n) != (int)size)
		abort();
	free(buf);
}

static void sink_flow(void *arg, int blocked)
{
	(void)arg;
	(void)blocked;
}

static char zc_dir[] = "/tmp/cpgd-fuzz-zc-XXXXXX";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct log_settings ls = {
		.to_stderr = true, .syslog_facility = LOG_DAEMON,
		.syslog_priority = LOG_ERR, .logfile_priority = LOG_ERR,
	};

	(void)argc;
	(void)argv;
	log_apply(&ls);
	if (!mkdtemp(zc_dir))
		abort();
	return 0;
}

static void conn_open(struct ipc_conn *ic, struct ipc_server *s)
{
	memset(ic, 0, sizeof(*ic));
	ic->srv = s;
	ic->uid = FUZZ_UID;
	ic->gid = FUZZ_UID;
	ic->pid = 4242;
	ic->bufsize = FUZZ_BUFSIZE;
	if (grp_client_new(s->cpg, ic, ic->uid, &ic->cl, NULL) < 0)
		abort();
}

static void conn_close(struct ipc_conn *ic)
{
	if (ic->cl)
		grp_client_close(ic->cl);
	ic->cl = NULL;
	ipc_zc_free_all(&ic->zc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_order ord;
	struct ipc_server srv;
	struct ipc_conn conns[N_CONN];
	struct grp_options copts = { .max_payload = IPC_MAX_PAYLOAD };
	size_t pos = 0;
	int i;

	memset(&ord, 0, sizeof(ord));
	ord.base.ops = &fo_ops;
	memset(&srv, 0, sizeof(srv));
	srv.opts.zc_dir = zc_dir;
	srv.sink.confchg = sink_confchg;
	srv.sink.deliver = sink_deliver;
	srv.sink.partial = sink_partial;
	srv.sink.totem_confchg = sink_totem;
	srv.sink.flow = sink_flow;
	srv.sink.arg = &srv;
	(void)grp_new(&ord.base, &srv.sink, &copts, &srv.cpg, NULL);
	if (!srv.cpg)
		abort();
	for (i = 0; i < N_CONN; i++)
		conn_open(&conns[i], &srv);

	while (pos + 3 <= size) {
		uint8_t op = data[pos];
		size_t len = (size_t)data[pos + 1] | (size_t)data[pos + 2] << 8;
		struct ipc_conn *ic = &conns[op & 3];
		uint8_t *req;

		pos += 3;
		if (len > size - pos)
			len = size - pos;
		if (op & 0x40 || ic->closing) {
			conn_close(ic);
			conn_open(ic, &srv);
		}
		/* an exact copy, so that any read past the request is caught */
		req = malloc(len ? len : 1);
		if (!req)
			break;
		memcpy(req, data + pos, len);
		if (!(op & 0x80) && len >= CPG_WIRE_REQ_HDR) {
			uint32_t l32 = (uint32_t)len;

			memcpy(req + 8, &l32, 4);
		}
		pos += len;
		fz_req_id = len >= CPG_WIRE_REQ_HDR ? get32(req, 0) : 0;
		ipc_dispatch(ic, req, len);
		free(req);
		fo_pump(&ord);
	}

	for (i = 0; i < N_CONN; i++)
		conn_close(&conns[i]);
	fo_pump(&ord);
	grp_destroy(srv.cpg);
	fo_drop(&ord);
	return 0;
}
