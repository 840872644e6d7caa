/*
 * The daemon's side of the CPG client protocol: the ids, sizes and offsets
 * shared with the library (include/cpgd/cpg_proto.h), the cs_error_t values
 * it answers with (corotypes.h), and the daemon's limits.
 */
#ifndef CPGD_IPC_PROTO_H
#define CPGD_IPC_PROTO_H

#include <corosync/corotypes.h>	/* cs_error_t: CS_OK, CS_ERR_* */
#include <cpgd/cpg_proto.h>

/* The buffer size libcpg asks for; requests, responses and events alike. */
#define IPC_BUFFER_SIZE (8192 * 128)
/* libcpg's largest payload in one MCAST; larger ones come as fragments. */
#define IPC_MAX_PAYLOAD (IPC_BUFFER_SIZE - 1024)

/* Limits (man cpgd.8, LIMITS).  A fragmented message may be as long as
 * libcpg reassembles; a group as big as one MEMBERSHIP answer carries. */
#define IPC_MSG_MAX ((uint32_t)256 << 20)
#define IPC_CONNS_MAX 4096
/* descriptors kept for the daemon itself when the open-file limit is low:
 * each connection holds one */
#define IPC_FD_RESERVE 64

#endif
