/*
 * The status service's wire protocol, shared by the daemon (status_service.c,
 * status_build.c) and cpgd-tool (tools/cpgd_tool.c).
 *
 * libqb IPC service "cpgd-status" (per network namespace, like "cpg").
 * One request, synchronous:
 *
 *   request:  struct qb_ipc_request_header { id = STATUS_REQ_GET, size }
 *             optionally followed by u32 little endian: the sections wanted
 *             (STATUS_SECT_* bits; absent or 0 = all).
 *   response: struct qb_ipc_response_header { id = STATUS_REQ_GET,
 *             size = header + n, error = 0 or -errno } followed by n bytes
 *             of JSON text (no NUL).  On error n is 0.
 *
 * The JSON is one object:
 *   { "version": 1,
 *     "groups":   [ { "name": "...", "members": [ {"nodeid":N,"pid":N} ] } ],
 *     "ring":     { "rep":N, "seq":N, "members":[N,...], "this_nodeid":N },
 *     "links":    [ { "nodeid":N, "links": [ { "link":N, "enabled":B,
 *                     "connected":B, "src":"...", "dst":"...",
 *                     "latency_us":N } ] } ],
 *     "counters": { "name": N, ... } }
 * and, only when asked for (STATUS_SECT_EVS is not part of _ALL):
 *     "evs":      [ { "pid":N, "groups":["...", ...] } ]   the local EVS
 *                 clients and the groups each joined (32 bytes each,
 *                 trailing zero bytes left out)
 * A section that was not asked for is absent; one the daemon cannot tell
 * (no such source, e.g. no links on a single node, or no ring yet) is null.
 * Strings map one byte to one code point (see status_json.h); the text is
 * compact ASCII JSON, written and read with jansson; numbers are integers
 * from 0 to 2^63-1 (jansson's range; a larger counter is sent as 2^63-1).
 */
#ifndef CPGD_STATUS_PROTO_H
#define CPGD_STATUS_PROTO_H

#define STATUS_SERVICE_NAME "cpgd-status"
#define STATUS_PROTO_VERSION 1

#define STATUS_REQ_GET 1

#define STATUS_SECT_GROUPS   0x01u
#define STATUS_SECT_RING     0x02u
#define STATUS_SECT_LINKS    0x04u
#define STATUS_SECT_COUNTERS 0x08u
#define STATUS_SECT_ALL      0x0fu
#define STATUS_SECT_EVS      0x10u

/* Largest JSON reply; the client sizes its connection for it. */
#define STATUS_REPLY_MAX (4u * 1024 * 1024)

#endif
