/*
 * The libqb IPC service "evs" (protocol: include/cpgd/evs_ipc.h), on the
 * same machinery as "cpg" (ipc_server.h: connections, access control,
 * bounded event queues), in front of the EVS layer (evs/evs.h).
 *
 *   ipc_server_new(loop, &opts, &ipc, &e);   one server per service
 *   ipc_evs_sink(ipc, &sink);
 *   evs_new(order, &sink, &evs, &e);
 *   ipc_evs_start(ipc, evs);
 *   ...
 *   ipc_server_destroy(ipc);                 before evs_destroy()
 *
 * Every request gets a response: flow control is CS_ERR_TRY_AGAIN in the
 * MCAST response, requests are never held back.  A request that cannot be
 * read (lying header, unknown id) closes the connection; a malformed one
 * of a known id is answered CS_ERR_INVALID_PARAM (CS_ERR_TOO_BIG for more
 * than 1,024 groups).
 */
#ifndef CPGD_IPC_EVS_H
#define CPGD_IPC_EVS_H

#include "evs/evs.h"
#include "ipc/ipc_server.h"

/* The sink to give evs_new(); valid as long as the server lives. */
void ipc_evs_sink(struct ipc_server *s, struct evs_sink *sink);
/* Publish "evs"; 0 or -errno. */
int ipc_evs_start(struct ipc_server *s, struct evs *evs);

#endif
