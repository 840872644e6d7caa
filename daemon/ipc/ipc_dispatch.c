/*
 * One client request: decode and check it, hand it to the CPG layer, answer
 * it.  A request of an id the protocol does not define is answered as
 * corosync answers it (response id 0, 24 bytes, CS_ERR_INVALID_PARAM) and
 * the connection carries on, so that a client may probe for requests a
 * daemon may not know.  A request that is malformed but of a known id that
 * expects a response is answered CS_ERR_INVALID_PARAM; anything else that
 * cannot be read (lying header, malformed MCAST) closes the connection.
 *
 * FAST_HELLO (doc/fastpath.md) switches the connection to batched events;
 * a malformed one is refused CS_ERR_INVALID_PARAM, a second one
 * CS_ERR_EXIST, and the connection carries on in the mode it was in.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/ipc_codec.h"
#include "ipc/ipc_int.h"
#include "ipc/ipc_reqs.h"
#include "util/log.h"

static void respond_plain(struct ipc_conn *ic, uint32_t req_id, int rc)
{
	const struct ipc_req_kind *kind = ipc_req_kind(req_id);
	uint8_t buf[CPG_WIRE_ITER_NEXT_RES_SIZE];
	int len;

	if (kind && kind->res_size > sizeof(buf)) {
		/* only MEMBERSHIP is bigger; it has its own encoder */
		void *big = calloc(1, CPG_WIRE_MEMBERSHIP_RES_SIZE);

		if (!big) {
			ipc_conn_kill(ic, "no memory for a response");
			return;
		}
		len = ipc_res_membership(big, CPG_WIRE_MEMBERSHIP_RES_SIZE,
					 ipc_cs_error(rc), NULL, 0);
		if (len > 0)
			ipc_conn_respond(ic, big, (size_t)len);
		free(big);
		return;
	}
	len = ipc_res_encode(buf, sizeof(buf), req_id, ipc_cs_error(rc));
	if (len > 0)
		ipc_conn_respond(ic, buf, (size_t)len);
}

/* A request over one of the limits of man cpgd.8 (LIMITS) gets its error
 * code and one log line. */
static int limit_log(struct ipc_conn *ic, int rc, const char *what)
{
	const char *why = NULL;

	if (rc == -ENAMETOOLONG)
		why = "group name longer than 128 bytes";
	else if (rc == -EMSGSIZE)
		why = "message too big";
	else if (rc == -ENOSPC)
		why = "limit reached";
	if (why)
		log_notice(LOG_T_IPC, "%s of pid %d refused: %s", what,
			   (int)ic->pid, why);
	return rc;
}

static void h_membership(struct ipc_conn *ic, const struct ipc_req *req)
{
	struct grp_addr *m = calloc(CPG_WIRE_MEMBERS_MAX, sizeof(*m));
	void *buf = malloc(CPG_WIRE_MEMBERSHIP_RES_SIZE);
	size_t n = 0;
	int rc, len;

	if (!m || !buf) {
		free(m);
		free(buf);
		ipc_conn_kill(ic, "no memory for a response");
		return;
	}
	rc = limit_log(ic, grp_membership(ic->srv->cpg, &req->name, m,
					  CPG_WIRE_MEMBERS_MAX, &n),
		       "membership");
	len = ipc_res_membership(buf, CPG_WIRE_MEMBERSHIP_RES_SIZE,
				 ipc_cs_error(rc), m, n);
	if (len > 0)
		ipc_conn_respond(ic, buf, (size_t)len);
	free(m);
	free(buf);
}

static void h_iter_init(struct ipc_conn *ic, const struct ipc_req *req)
{
	uint8_t buf[CPG_WIRE_ITER_INIT_RES_SIZE];
	uint64_t handle = 0;
	int rc = limit_log(ic, grp_iter_init(ic->cl, req->iter_type, &req->name,
					     &handle), "iteration");

	if (ipc_res_iter_init(buf, sizeof(buf), ipc_cs_error(rc), handle) > 0)
		ipc_conn_respond(ic, buf, sizeof(buf));
}

static void h_iter_next(struct ipc_conn *ic, const struct ipc_req *req)
{
	uint8_t buf[CPG_WIRE_ITER_NEXT_RES_SIZE];
	struct grp_gname g;
	uint32_t nodeid = 0, pid = 0;
	int rc = grp_iter_next(ic->cl, req->handle, &g, &nodeid, &pid);

	if (ipc_res_iter_next(buf, sizeof(buf), ipc_cs_error(rc),
			      rc == 0 ? &g : NULL, nodeid, pid) > 0)
		ipc_conn_respond(ic, buf, sizeof(buf));
}

static void h_local_get(struct ipc_conn *ic, const struct ipc_req *req)
{
	uint8_t buf[CPG_WIRE_LOCAL_GET_RES_SIZE];

	(void)req;
	if (ipc_res_local_get(buf, sizeof(buf), CS_OK,
			      grp_local_nodeid(ic->srv->cpg)) > 0)
		ipc_conn_respond(ic, buf, sizeof(buf));
}

/* JOIN, refused while the group has as many members as a MEMBERSHIP
 * answer can carry. */
static int do_join(struct ipc_conn *ic, const struct ipc_req *req)
{
	struct grp_addr *m = calloc(CPG_WIRE_MEMBERS_MAX, sizeof(*m));
	size_t n = 0;
	int rc;

	if (!m)
		return -ENOMEM;
	if (grp_membership(ic->srv->cpg, &req->name, m, CPG_WIRE_MEMBERS_MAX,
			   &n) == 0 && n >= CPG_WIRE_MEMBERS_MAX) {
		free(m);
		log_notice(LOG_T_IPC, "join of pid %d refused: the group has "
			   "%d members, the limit", (int)ic->pid,
			   CPG_WIRE_MEMBERS_MAX);
		return -ENOSPC;
	}
	free(m);
	rc = grp_join(ic->cl, &req->name, req->pid, req->flags);
	return limit_log(ic, rc, "join");
}

/* MCAST from a zero-copy file: header and payload are read out of it. */
static int do_zc_execute(struct ipc_conn *ic, uint64_t token)
{
	uint8_t hdr[CPG_WIRE_MCAST_HDR];
	uint32_t guarantee, msglen;
	uint64_t size;
	void *payload;
	int rc;

	rc = ipc_zc_read(&ic->zc, token, CPG_WIRE_ZC_HDR, hdr, sizeof(hdr),
			 &size);
	if (rc < 0)
		return rc;
	if (ipc_req_decode_zc_mcast(hdr, sizeof(hdr), &guarantee, &msglen) < 0)
		return -EINVAL;
	if (msglen > size - CPG_WIRE_ZC_HDR - CPG_WIRE_MCAST_HDR)
		return -EINVAL;
	payload = malloc(msglen ? msglen : 1);
	if (!payload)
		return -ENOMEM;
	rc = ipc_zc_read(&ic->zc, token, CPG_WIRE_ZC_HDR + CPG_WIRE_MCAST_HDR,
			 payload, msglen, NULL);
	if (rc == 0)
		rc = grp_mcast(ic->cl, guarantee, payload, msglen);
	free(payload);
	return rc;
}

static void do_fast_hello(struct ipc_conn *ic, const struct ipc_req *req)
{
	uint8_t buf[CPG_WIRE_FAST_HELLO_RES_SIZE];
	uint32_t version = req->version < CPG_FAST_VERSION ? req->version
		: CPG_FAST_VERSION;

	if (ic->fast) {
		log_notice(LOG_T_IPC, "fast path of pid %d announced twice: "
			   "refused", (int)ic->pid);
		respond_plain(ic, req->id, -EEXIST);
		return;
	}
	if (ipc_res_fast_hello(buf, sizeof(buf), version) < 0)
		return;
	ipc_conn_fast(ic);
	ic->fast_version = version;
	log_debug(LOG_T_IPC, "pid %d speaks the fast path, version %u",
		  (int)ic->pid, version);
	ipc_conn_respond(ic, buf, sizeof(buf));
}

static void h_join(struct ipc_conn *ic, const struct ipc_req *req)
{
	respond_plain(ic, req->id, do_join(ic, req));
}

static void h_leave(struct ipc_conn *ic, const struct ipc_req *req)
{
	respond_plain(ic, req->id,
		      limit_log(ic, grp_leave(ic->cl, &req->name, req->pid),
				"leave"));
}

/* No response: libqb's flow control is the back-pressure. */
static void h_mcast(struct ipc_conn *ic, const struct ipc_req *req)
{
	int rc = grp_mcast(ic->cl, req->guarantee, req->payload,
			   req->payload_len);

	if (rc == -EMSGSIZE)
		/* no response to carry the error: it must not vanish */
		ipc_conn_kill(ic, "multicast payload over the limit");
	else if (rc == -EAGAIN || rc == -ENOMEM)
		ipc_conn_kill(ic, "cannot take a multicast");
	else if (rc < 0)
		log_debug_errno(LOG_T_IPC, rc, "multicast of pid %d refused",
				(int)ic->pid);
}

static void h_iter_finalize(struct ipc_conn *ic, const struct ipc_req *req)
{
	respond_plain(ic, req->id, grp_iter_finalize(ic->cl, req->handle));
}

static void h_finalize(struct ipc_conn *ic, const struct ipc_req *req)
{
	grp_client_finalize(ic->cl);
	respond_plain(ic, req->id, 0);
}

static void h_zc_alloc(struct ipc_conn *ic, const struct ipc_req *req)
{
	uint64_t token = 0;
	int rc = ipc_zc_alloc(&ic->zc, ic->srv->opts.zc_dir, ic->uid,
			      req->path, req->map_size, &token);

	if (rc == -ENOSPC)
		limit_log(ic, rc, "zero-copy buffer");
	else if (rc < 0)
		log_notice_errno(LOG_T_IPC, rc, "zero-copy file %s of pid %d refused",
				 req->path, (int)ic->pid);
	respond_plain(ic, req->id, rc);
}

static void h_zc_free(struct ipc_conn *ic, const struct ipc_req *req)
{
	respond_plain(ic, req->id, ipc_zc_free(&ic->zc, req->handle));
}

static void h_zc_execute(struct ipc_conn *ic, const struct ipc_req *req)
{
	respond_plain(ic, req->id, do_zc_execute(ic, req->handle));
}

static void h_partial(struct ipc_conn *ic, const struct ipc_req *req)
{
	int rc;

	if (req->msglen > IPC_MSG_MAX)
		/* more than any library reassembles */
		rc = -EMSGSIZE;
	else
		rc = grp_partial(ic->cl, req->guarantee, req->msglen,
				 req->frag_type, req->payload,
				 req->payload_len);
	respond_plain(ic, req->id, limit_log(ic, rc, "fragmented message"));
}

typedef void ipc_handler(struct ipc_conn *ic, const struct ipc_req *req);

static ipc_handler *const handlers[CPG_REQ_COUNT_] = {
#define HANDLER(name, size, res_id, res_size, replies, handler) \
	[CPG_REQ_##name] = handler,
#define HANDLER_ANY_SIZE(name, res_id, replies, handler) \
	[CPG_REQ_##name] = handler,
	IPC_REQS(HANDLER, HANDLER_ANY_SIZE)
#undef HANDLER
#undef HANDLER_ANY_SIZE
};

void ipc_dispatch(struct ipc_conn *ic, const void *data, size_t size)
{
	struct ipc_req req;
	int rc = ipc_req_decode(data, size, &req);

	if (rc == -EPROTO) {
		ipc_conn_kill(ic, "request header does not match its length");
		return;
	}
	if (rc == -ENOSYS) {
		log_debug(LOG_T_IPC, "unknown request id %u of pid %d refused",
			  req.id, (int)ic->pid);
		respond_plain(ic, req.id, -EINVAL);
		return;
	}
	if (rc == -EBADMSG) {
		log_notice(LOG_T_IPC, "malformed request id %u (%zu bytes)%s",
			   req.id, size, req.id == CPG_REQ_FAST_HELLO
			   ? ": fast path announcement refused" : "");
		if (!ipc_req_kind(req.id)->replies) {
			ipc_conn_kill(ic, "malformed multicast");
			return;
		}
		respond_plain(ic, req.id, -EINVAL);
		return;
	}

	if (req.id == CPG_REQ_FAST_HELLO)
		do_fast_hello(ic, &req);
	else
		handlers[req.id](ic, &req);
}
