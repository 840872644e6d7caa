/*
 * The daemon's side of the CPG client protocol: the ids, sizes and offsets
 * shared with the library (include/cpgd/cpg_proto.h), the cs_error_t values
 * the daemon answers with, and the daemon's limits.
 */
#ifndef CPGD_IPC_PROTO_H
#define CPGD_IPC_PROTO_H

#include <cpgd/cpg_proto.h>

/* cs_error_t (corotypes.h) */
enum ipc_cs_error {
	IPC_CS_OK = 1,
	IPC_CS_ERR_LIBRARY = 2,
	IPC_CS_ERR_TRY_AGAIN = 6,
	IPC_CS_ERR_INVALID_PARAM = 7,
	IPC_CS_ERR_NO_MEMORY = 8,
	IPC_CS_ERR_BAD_HANDLE = 9,
	IPC_CS_ERR_BUSY = 10,
	IPC_CS_ERR_ACCESS = 11,
	IPC_CS_ERR_NOT_EXIST = 12,
	IPC_CS_ERR_NAME_TOO_LONG = 13,
	IPC_CS_ERR_EXIST = 14,
	IPC_CS_ERR_INTERRUPT = 16,
	IPC_CS_ERR_NO_RESOURCES = 18,
	IPC_CS_ERR_MESSAGE_ERROR = 22,
	IPC_CS_ERR_TOO_BIG = 26,
	IPC_CS_ERR_NO_SECTIONS = 27,
};

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
