/* Zero-copy buffer files of one connection (ipc_zc.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipc/ipc_zc.h"

#define ZC_SHM_DIR "/dev/shm"
/* zc header (16) + mcast request header (40) */
#define ZC_MIN_SIZE 56
#define ZC_MAX_SIZE ((uint64_t)64 << 20)

/* Is path a file name directly inside dir ("dir/name", name without '/')? */
static int in_dir(const char *path, const char *dir)
{
	size_t n;
	const char *name;

	if (!dir || !*dir)
		return 0;
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (strncmp(path, dir, n) != 0 || path[n] != '/')
		return 0;
	name = path + n + 1;
	return *name && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

struct ipc_zcb {
	struct ipc_zcb *next;
	uint64_t token;
	int fd;
	uint64_t size;
};

int ipc_zc_alloc(struct ipc_zc *zs, const char *dir, uid_t uid,
		 const char *path, uint64_t size, uint64_t *token)
{
	struct ipc_zcb *z;
	struct stat st, lst;
	uint8_t tok[8];
	uint64_t t;
	int fd;

	if (!in_dir(path, ZC_SHM_DIR) && !in_dir(path, dir))
		return -EACCES;
	if (size < ZC_MIN_SIZE || size > ZC_MAX_SIZE)
		return -EINVAL;
	if (zs->n >= IPC_ZC_MAX)
		return -ENOSPC;
	fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
		  O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EACCES;
	}
	if (st.st_uid != uid) {
		close(fd);
		return -EPERM;
	}
	if ((uint64_t)st.st_size != size) {
		close(fd);
		return -EINVAL;
	}
	z = calloc(1, sizeof(*z));
	if (!z) {
		close(fd);
		return -ENOMEM;
	}
	/* Opaque to the client and never an address of ours; nonzero, since
	 * the library reads 0 as "no buffer". */
	t = ++zs->last_token;
	memcpy(tok, &t, sizeof(tok));
	if (pwrite(fd, tok, sizeof(tok), 8) != (ssize_t)sizeof(tok)) {
		int err = errno ? -errno : -EIO;

		close(fd);
		free(z);
		return err;
	}
	/* The file has done its job as a name; like the library expects,
	 * it goes away once both sides hold it.  Only if it is still the
	 * file we opened. */
	if (lstat(path, &lst) == 0 && lst.st_dev == st.st_dev &&
	    lst.st_ino == st.st_ino)
		unlink(path);
	z->token = t;
	z->fd = fd;
	z->size = size;
	z->next = zs->head;
	zs->head = z;
	zs->n++;
	*token = t;
	return 0;
}

static struct ipc_zcb **zc_find(struct ipc_zc *zs, uint64_t token)
{
	struct ipc_zcb **pp;

	for (pp = &zs->head; *pp; pp = &(*pp)->next)
		if ((*pp)->token == token)
			return pp;
	return NULL;
}

int ipc_zc_free(struct ipc_zc *zs, uint64_t token)
{
	struct ipc_zcb **pp = zc_find(zs, token);
	struct ipc_zcb *z;

	if (!pp)
		return -EBADF;
	z = *pp;
	*pp = z->next;
	zs->n--;
	close(z->fd);
	free(z);
	return 0;
}

int ipc_zc_read(struct ipc_zc *zs, uint64_t token, uint64_t off, void *buf,
		size_t len, uint64_t *size)
{
	struct ipc_zcb **pp = zc_find(zs, token);
	size_t done = 0;

	if (!pp)
		return -EBADF;
	if (size)
		*size = (*pp)->size;
	if (off > (*pp)->size || len > (*pp)->size - off)
		return -EINVAL;
	while (done < len) {
		ssize_t n = pread((*pp)->fd, (uint8_t *)buf + done, len - done,
				  (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EINVAL; /* truncated under us */
		done += (size_t)n;
	}
	return 0;
}

void ipc_zc_free_all(struct ipc_zc *zs)
{
	while (zs->head)
		ipc_zc_free(zs, zs->head->token);
	zs->last_token = 0;
}
