/*
 * libFuzzer target for the IPC request handler: request validation
 * (ipc_req_decode) and its dispatch into the real CPG layer, for up to four
 * connections of one daemon whose ordering layer delivers at once.
 *
 * Input: a sequence of records (fuzz_order.h); op bit 0x40 of this
 * target: close the connection and open a new one.
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
#include "fuzz_order.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define N_CONN 4
#define FUZZ_UID ((uid_t)3999999999u)
#define FUZZ_BUFSIZE ((size_t)IPC_BUFFER_SIZE)

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

/* A fragment's type is one of the three, and it is no longer than its
 * message. */
static void partial_check(const uint8_t *hdr)
{
	uint32_t type = fuzz_get32(hdr, CPG_WIRE_PDELIVER_TYPE);

	if (type < 1 || type > 3 || fuzz_get32(hdr, CPG_WIRE_PDELIVER_FRAGLEN) >
	    fuzz_get32(hdr, CPG_WIRE_PDELIVER_MSGLEN))
		abort();
}

void ipc_conn_event(struct ipc_conn *ic, const struct iovec *iov,
		    unsigned int n)
{
	size_t total = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		total += iov[i].iov_len;
		/* a payload must be readable to its end */
		fuzz_touch(iov[i].iov_base, iov[i].iov_len);
	}
	if (n == 0 || iov[0].iov_len < CPG_WIRE_RES_HDR ||
	    fuzz_get32(iov[0].iov_base, 8) != total || total > ic->bufsize)
		abort();
	if (fuzz_get32(iov[0].iov_base, 0) == CPG_EV_PARTIAL_DELIVER)
		partial_check(iov[0].iov_base);
}

void ipc_conn_respond(struct ipc_conn *ic, const void *buf, size_t len)
{
	const struct ipc_req_kind *kind;
	uint32_t id;

	if (ic->closing)
		abort();	/* a killed connection answers nothing more */
	if (len < CPG_WIRE_RES_HDR || len > ic->bufsize || fuzz_get32(buf, 8) != len)
		abort();
	/* the answer the request table names for the request being handled
	 * (id 0 for an id the protocol does not define) */
	kind = ipc_req_kind(fz_req_id);
	id = fuzz_get32(buf, 0);
	if (id != (kind ? kind->res_id : 0) || (kind && !kind->replies))
		abort();
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
	struct fuzz_order ord;
	struct ipc_server srv;
	struct ipc_conn conns[N_CONN];
	struct grp_options copts = { .max_payload = IPC_MAX_PAYLOAD };
	struct fuzz_req r;
	size_t pos = 0;
	int i;

	fuzz_order_init(&ord, 2u << 20, 0);
	memset(&srv, 0, sizeof(srv));
	srv.opts.zc_dir = zc_dir;
	ipc_events_sink(&srv.sink);
	srv.sink.flow = sink_flow;
	srv.sink.arg = &srv;
	(void)grp_new(&ord.base, &srv.sink, &copts, &srv.cpg, NULL);
	if (!srv.cpg)
		abort();
	for (i = 0; i < N_CONN; i++)
		conn_open(&conns[i], &srv);

	while (fuzz_next_req(data, size, &pos, CPG_WIRE_REQ_HDR, &r)) {
		struct ipc_conn *ic = &conns[r.op & 3];

		if (r.op & 0x40 || ic->closing) {
			conn_close(ic);
			conn_open(ic, &srv);
		}
		fz_req_id = r.len >= CPG_WIRE_REQ_HDR ? fuzz_get32(r.req, 0) : 0;
		ipc_dispatch(ic, r.req, r.len);
		free(r.req);
		fuzz_order_pump(&ord);
	}

	for (i = 0; i < N_CONN; i++)
		conn_close(&conns[i]);
	fuzz_order_pump(&ord);
	grp_destroy(srv.cpg);
	fuzz_order_drop(&ord);
	return 0;
}
