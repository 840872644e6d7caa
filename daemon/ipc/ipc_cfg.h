/*
 * A minimal libqb IPC service "cfg", so that Debian's tools that open
 * corosync's configuration API next to cpg (corosync-cpgtool) work against
 * cpgd.  It answers LOCAL_GET with the node id and GET_NODE_ADDRS with no
 * addresses; every other request gets CS_ERR_NOT_SUPPORTED.
 * Uses libqb's default loop, like ipc_server.h.
 */
#ifndef CPGD_IPC_CFG_H
#define CPGD_IPC_CFG_H

#include <stdint.h>

#include "ipc/ipc_auth.h"

struct ipc_cfg;

/* Create and publish the service: 0, or -errno with a reason in e
 * (util/err.h; -EADDRINUSE: one already runs).  auth (may be NULL) says
 * who may connect, as for "cpg"; it must outlive the service. */
struct err;
int ipc_cfg_new(uint32_t nodeid, const struct ipc_auth *auth,
		struct ipc_cfg **out, struct err *e);
void ipc_cfg_destroy(struct ipc_cfg *c);

#endif
