/* The persisted ring sequence number.  See ring_seq.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/ring_seq.h"

static int ring_seq_path(const char *dir, const char *name, char *buf,
			 size_t len)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int ring_seq_load(const char *state_dir, uint64_t *seq)
{
	char path[PATH_MAX], text[32];
	ssize_t n;
	char *end;
	int fd, rc;

	*seq = 0;
	rc = ring_seq_path(state_dir, "ring-seq", path, sizeof(path));
	if (rc < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	n = read(fd, text, sizeof(text) - 1);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc < 0)
		return rc;
	text[n] = '\0';
	errno = 0;
	*seq = strtoull(text, &end, 10);
	if (errno || end == text) {
		*seq = 0;
		return -EINVAL;
	}
	return 0;
}

static int store(const char *state_dir, uint64_t seq, int sync)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd, rc;

	rc = ring_seq_path(state_dir, "ring-seq", path, sizeof(path));
	if (rc == 0)
		rc = ring_seq_path(state_dir, "ring-seq.tmp", tmp, sizeof(tmp));
	if (rc < 0)
		return rc;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (dprintf(fd, "%" PRIu64 "\n", seq) < 0 || (sync && fsync(fd) < 0)) {
		rc = -errno;
		close(fd);
		unlink(tmp);
		return rc;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		rc = -errno;
		unlink(tmp);
		return rc;
	}
	return 0;
}

int ring_seq_store(const char *state_dir, uint64_t seq)
{
	return store(state_dir, seq, 1);
}

int ring_seq_store_nosync(const char *state_dir, uint64_t seq)
{
	return store(state_dir, seq, 0);
}
