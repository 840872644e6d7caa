/* The minimal "cfg" service; see ipc_cfg.h.  Layouts (x86-64): request
 * header {id @0, size @8}; GET_NODE_ADDRS (5) answered by id 11 {family @24,
 * num_addrs @28}; LOCAL_GET (6) answered by id 12 {local_nodeid @24}. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <qb/qbipcs.h>
#include <qb/qbloop.h>

#include "ipc/ipc_cfg.h"
#include "ipc/ipc_proto.h"
#include "util/err.h"
#include "util/log.h"
#include "util/qb_glue.h"
#include "util/wire.h"

#define CFG_REQ_GET_NODE_ADDRS 5
#define CFG_REQ_LOCAL_GET 6
#define CFG_RES_GET_NODE_ADDRS 11
#define CFG_RES_LOCAL_GET 12
#define CFG_CS_ERR_NOT_SUPPORTED 19

struct ipc_cfg {
	qb_ipcs_service_t *svc;
	uint32_t nodeid;
	const struct ipc_auth *auth;
};

static int32_t cfg_accept(qb_ipcs_connection_t *qc, uid_t uid, gid_t gid)
{
	struct ipc_cfg *c = qb_ipcs_connection_service_context_get(qc);

	if (!ipc_auth_allowed(c->auth, uid, gid)) {
		log_notice(LOG_T_IPC, "cfg connection from uid %u gid %u refused",
			   (unsigned int)uid, (unsigned int)gid);
		return -EACCES;
	}
	qb_ipcs_connection_auth_set(qc, uid, gid, 0600);
	return 0;
}

static int32_t cfg_msg(qb_ipcs_connection_t *qc, void *data, size_t size)
{
	struct ipc_cfg *c = qb_ipcs_connection_service_context_get(qc);
	uint8_t out[32];
	struct wire_rd r;
	struct wire_wr w;
	uint32_t id = 0, res_id = 0, err = CS_OK;
	size_t len = CPG_WIRE_RES_HDR;

	wire_rd_init(&r, data, size);
	if (wire_rd_ne32(&r, &id) < 0 || size < CPG_WIRE_REQ_HDR)
		return 0;
	memset(out, 0, sizeof(out));
	wire_wr_init(&w, out, sizeof(out));
	switch (id) {
	case CFG_REQ_GET_NODE_ADDRS:
		res_id = CFG_RES_GET_NODE_ADDRS;
		len = 32;
		wire_wr_seek(&w, 24);
		wire_wr_ne32(&w, AF_INET);
		wire_wr_ne32(&w, 0);	/* no addresses known */
		break;
	case CFG_REQ_LOCAL_GET:
		res_id = CFG_RES_LOCAL_GET;
		len = 32;
		wire_wr_seek(&w, 24);
		wire_wr_ne32(&w, c->nodeid);
		break;
	default:
		err = CFG_CS_ERR_NOT_SUPPORTED;
		break;
	}
	wire_wr_seek(&w, 0);
	wire_wr_ne32(&w, res_id);
	wire_wr_seek(&w, 8);
	wire_wr_ne32(&w, (uint32_t)len);
	wire_wr_seek(&w, 16);
	wire_wr_ne32(&w, err);
	if (qb_ipcs_response_send(qc, out, len) != (ssize_t)len)
		log_debug(LOG_T_IPC, "cfg response not sent");
	return 0;
}

int ipc_cfg_new(uint32_t nodeid, const struct ipc_auth *auth,
		struct ipc_cfg **out, struct err *e)
{
	struct qb_ipcs_service_handlers h = {
		.connection_accept = cfg_accept,
		.msg_process = cfg_msg,
	};
	struct ipc_cfg *c;
	int rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return err_set(e, -ENOMEM, "no memory for IPC \"cfg\"");
	c->nodeid = nodeid;
	c->auth = auth;
	c->svc = qb_ipcs_create("cfg", 0, QB_IPC_SHM, &h);
	if (!c->svc) {
		free(c);
		return err_set(e, -ENOMEM, "cannot create IPC \"cfg\"");
	}
	qb_ipcs_service_context_set(c->svc, c);
	qb_glue_attach(c->svc);
	rc = qb_ipcs_run(c->svc);
	if (rc < 0) {
		/* qb_ipcs_run drops the service itself on failure */
		free(c);
		return err_set(e, rc, "cannot serve IPC \"cfg\": %s",
			       strerror(-rc));
	}
	*out = c;
	return 0;
}

void ipc_cfg_destroy(struct ipc_cfg *c)
{
	if (!c)
		return;
	qb_ipcs_destroy(c->svc);
	free(c);
}
