/*
 * Zero-copy buffer files of one connection (cpg_zcb_*).  The client creates
 * and sizes a file; alloc checks it (regular file, no symlink, directly in
 * /dev/shm or the configured directory, owned by the client's uid, exactly
 * `size` bytes), writes the returned token at offset 8 of the file, unlinks
 * it and keeps it open.  read copies bytes out of it with bounds checks,
 * by pread() rather than through a mapping, so that a client truncating
 * the file makes a read fail instead of raising SIGBUS in the daemon.
 *
 * This is the transport's business: the CPG layer is handed the bytes.
 * Errors are 0 / -errno: -EACCES/-EPERM a refused file, -EINVAL a bad size
 * or range (or a file that shrank), -ENOSPC too many buffers, -EBADF an
 * unknown token, -ENOMEM, or what open()/pread() said.
 */
#ifndef CPGD_IPC_ZC_H
#define CPGD_IPC_ZC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Buffers one connection may hold at once. */
#define IPC_ZC_MAX 64

struct ipc_zcb;

/* A connection's buffers; all zero is an empty set. */
struct ipc_zc {
	struct ipc_zcb *head;
	unsigned int n;
	uint64_t last_token;
};

/* dir: a second directory allowed besides /dev/shm (NULL: none). */
int ipc_zc_alloc(struct ipc_zc *z, const char *dir, uid_t uid,
		 const char *path, uint64_t size, uint64_t *token);
int ipc_zc_free(struct ipc_zc *z, uint64_t token);
/* len bytes at off into buf; *size (if not NULL) gets the buffer's size. */
int ipc_zc_read(struct ipc_zc *z, uint64_t token, uint64_t off, void *buf,
		size_t len, uint64_t *size);
/* The connection is gone: close and forget every buffer. */
void ipc_zc_free_all(struct ipc_zc *z);

#endif
