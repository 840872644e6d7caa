/*
 * libFuzzer target for the EVS request handler: request validation
 * (ipc_evs_req_decode) and its dispatch into the real EVS layer, for up to
 * four connections of one daemon whose ordering layer delivers at once.
 *
 * Input: a sequence of records (fuzz_order.h); op bits of this target:
 *   0x40: close the connection and open a new one; 0x20: a new
 *   configuration before the request.
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
#include "fuzz_order.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_CONN 4

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
	    fuzz_get32(iov[0].iov_base, 8) != total || total > ic->bufsize)
		abort();
	for (unsigned int i = 0; i < n; i++)	/* readable to the end */
		fuzz_touch(iov[i].iov_base, iov[i].iov_len);
}

void ipc_conn_respond(struct ipc_conn *ic, const void *buf, size_t len)
{
	if (ic->closing)
		abort();
	if (len < EVS_IPC_RES_HDR || len > ic->bufsize || fuzz_get32(buf, 8) != len)
		abort();
	if (fuzz_get32(buf, 0) >= EVS_IPC_REQ_COUNT_ && fuzz_get32(buf, 16) != 7)
		abort();	/* unknown ids only as malformed requests */
}

/* ---- the target */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipc_conn conns[N_CONN];
	static const uint32_t members[2] = { 1, 2 };
	struct fuzz_order fo;
	struct ipc_server srv;
	struct evs_sink sink;
	struct fuzz_req r;
	struct evs *e;
	uint64_t seq = 1;
	size_t pos = 0;

	fuzz_order_init(&fo, 1u << 20, 32);
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
	while (fuzz_next_req(data, size, &pos, 12, &r)) {
		struct ipc_conn *ic = &conns[r.op & 3];

		if (r.op & 0x40) {
			evs_ops->close(ic);
			ic->closing = 0;
			if (evs_ops->open(ic) < 0)
				abort();
		}
		if (r.op & 0x20) {
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
		if (!ic->closing)
			evs_ops->dispatch(ic, r.req, r.len);
		free(r.req);
		fuzz_order_pump(&fo);
	}
	for (int i = 0; i < N_CONN; i++)
		evs_ops->close(&conns[i]);
	evs_destroy(e);
	fuzz_order_drop(&fo);
	return 0;
}
