/* The "evs" service: requests to the EVS layer, its events to clients;
 * see ipc_evs.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "ipc/ipc_evs.h"
#include "ipc/ipc_evs_codec.h"
#include "ipc/ipc_int.h"
#include "util/log.h"

static void respond(struct ipc_conn *ic, uint32_t id, int rc)
{
	uint8_t buf[EVS_IPC_RES_HDR];

	ipc_conn_respond(ic, buf, ipc_evs_res(buf, id, ipc_evs_cs_error(rc)));
}

static void do_membership(struct ipc_conn *ic)
{
	size_t cap = EVS_IPC_MEMBERSHIP_RES_HDR + 4 * EVS_IPC_MEMBERS_MAX;
	uint32_t *m = calloc(EVS_IPC_MEMBERS_MAX, sizeof(*m));
	void *buf = malloc(cap);
	struct evs *e = ic->srv->evs;
	size_t n = 0;
	int len;

	if (!m || !buf) {
		free(m);
		free(buf);
		ipc_conn_kill(ic, "no memory for a response");
		return;
	}
	evs_members(e, m, EVS_IPC_MEMBERS_MAX, &n);
	len = ipc_evs_res_membership(buf, cap, ipc_evs_cs_error(0),
				     evs_local_nodeid(e), m, n);
	if (len > 0)
		ipc_conn_respond(ic, buf, (size_t)len);
	free(m);
	free(buf);
}

static int do_mcast(struct ipc_conn *ic, const struct ipc_evs_req *q)
{
	struct evs_send s = {
		.guarantee = q->guarantee,
		.joined = q->joined != 0,
		.groups = q->groups,
		.n_groups = q->n_groups,
		.frag = q->frag,
		.msglen = q->msglen,
		.data = q->payload,
		.len = q->payload_len,
	};
	int rc = evs_client_mcast(ic->ecl, &s);

	if (rc < 0 && rc != -EAGAIN)
		log_debug_errno(LOG_T_EVS, rc, "multicast of pid %d refused",
				(int)ic->pid);
	return rc;
}

static void evs_request(struct ipc_conn *ic, const void *data, size_t size)
{
	struct ipc_evs_req q;
	int rc = ipc_evs_req_decode(data, size, &q);

	if (rc == -EPROTO) {
		ipc_conn_kill(ic, "request header does not match its length");
		return;
	}
	if (rc == -ENOSYS) {
		log_notice(LOG_T_EVS, "unknown request id %u", q.id);
		ipc_conn_kill(ic, "unknown request");
		return;
	}
	if (rc < 0) {
		log_notice(LOG_T_EVS, "malformed request id %u of pid %d "
			   "(%zu bytes)", q.id, (int)ic->pid, size);
		respond(ic, q.id, rc);
		return;
	}
	switch (q.id) {
	case EVS_IPC_JOIN:
		respond(ic, q.id, evs_client_join(ic->ecl, q.groups, q.n_groups));
		break;
	case EVS_IPC_LEAVE:
		respond(ic, q.id, evs_client_leave(ic->ecl, q.groups, q.n_groups));
		break;
	case EVS_IPC_MCAST:
		respond(ic, q.id, do_mcast(ic, &q));
		break;
	case EVS_IPC_MEMBERSHIP:
		do_membership(ic);
		break;
	case EVS_IPC_FINALIZE:
		evs_client_finalize(ic->ecl);
		respond(ic, q.id, 0);
		break;
	default:
		ipc_conn_kill(ic, "unknown request");
		break;
	}
}

/* --- the EVS layer's sink */

static void sink_deliver(void *arg, void *conn, uint32_t nodeid, uint32_t pid,
			 uint32_t msglen, uint32_t frag, const void *data,
			 size_t len)
{
	uint8_t hdr[EVS_IPC_DELIVER_HDR];
	struct iovec iov[2];

	ipc_evs_ev_deliver_hdr(hdr, nodeid, pid, msglen, frag, len);
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)data;
	iov[1].iov_len = len;
	ipc_conn_event(conn, iov, 2);
}

static void sink_confchg(void *arg, void *conn, const struct evs_conf *c)
{
	size_t size = ipc_evs_ev_confchg_size(c);
	struct iovec iov;
	void *buf = malloc(size);

	if (!buf) {
		ipc_conn_kill(conn, "no memory for a confchg");
		return;
	}
	ipc_evs_ev_confchg(buf, c);
	iov.iov_base = buf;
	iov.iov_len = size;
	ipc_conn_event(conn, &iov, 1);
	free(buf);
}

static void sink_flow(void *arg, int blocked)
{
	(void)arg;
	/* requests keep being read: a multicast is answered TRY_AGAIN */
	log_debug(LOG_T_EVS, "flow control %s", blocked ? "on" : "off");
}

void ipc_evs_sink(struct ipc_server *s, struct evs_sink *sink)
{
	sink->deliver = sink_deliver;
	sink->confchg = sink_confchg;
	sink->flow = sink_flow;
	sink->arg = s;
}

/* --- the service's side of the machinery */

static int evs_open(struct ipc_conn *ic)
{
	return evs_client_new(ic->srv->evs, ic, (uint32_t)ic->pid, &ic->ecl,
			      NULL);
}

static void evs_close(struct ipc_conn *ic)
{
	evs_client_close(ic->ecl);
	ic->ecl = NULL;
}

int ipc_evs_start(struct ipc_server *s, struct evs *evs)
{
	/* no flow_blocked: EVS requests are never held back */
	static const struct ipc_service_ops ops = {
		.name = EVS_IPC_SERVICE, .open = evs_open, .close = evs_close,
		.dispatch = evs_request,
	};

	s->evs = evs;
	return ipc_server_start_ops(s, &ops);
}
