/*
 * The shared crypto key: from totem.keyfile, totem.key, or the default
 * files (cpgd's own, then corosync's so an existing cluster key works).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"

#define KEY_MIN 128   /* KNET_MIN_KEY_LEN */

static int read_keyfile(const char *path, uint8_t *key, size_t keymax,
			size_t *len, struct err *e)
{
	size_t got = 0;
	uint8_t extra;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		return err_set(e, rc, "key file %s: %s", path, strerror(-rc));
	}
	while (got < keymax) {
		ssize_t n = read(fd, key + got, keymax - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			err_set(e, rc, "key file %s: %s", path, strerror(-rc));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got == keymax && read(fd, &extra, 1) == 1) {
		rc = err_set(e, -EFBIG, "key file %s: longer than %zu bytes", path,
			     keymax);
		goto out;
	}
	if (got < KEY_MIN) {
		rc = err_set(e, -EINVAL, "key file %s: %zu bytes, at least %d needed",
			     path, got, KEY_MIN);
		goto out;
	}
	*len = got;
out:
	close(fd);
	return rc;
}

int config_read_key(const struct config *cfg, uint8_t *key, size_t keymax,
		    size_t *len, struct err *e)
{
	const struct config_totem *t = &cfg->totem;
	struct err why = { "" };
	size_t klen;
	int rc;

	if (t->keyfile[0] != '\0')
		return read_keyfile(t->keyfile, key, keymax, len, e);
	if (t->key[0] != '\0') {
		klen = strlen(t->key);
		if (klen > keymax)
			return err_set(e, -EFBIG, "totem.key: longer than %zu bytes",
				       keymax);
		/* corosync accepts short inline keys; knet needs KEY_MIN bytes */
		if (klen < KEY_MIN)
			return err_set(e, -EINVAL, "totem.key: %zu bytes, at least %d "
				       "needed", klen, KEY_MIN);
		memcpy(key, t->key, klen);
		*len = klen;
		return 0;
	}
	/* a missing default file is no error yet: only the reason of the last
	 * file tried is reported */
	rc = read_keyfile(CONFIG_DEFAULT_KEYFILE, key, keymax, len, &why);
	if (rc == -ENOENT) {
		why.msg[0] = '\0';
		rc = read_keyfile(CONFIG_COROSYNC_KEYFILE, key, keymax, len, &why);
	}
	if (rc == -ENOENT)
		return err_set(e, rc, "no key file: neither %s nor %s exists (create "
			       "one with cpgd-keygen, or set totem.keyfile)",
			       CONFIG_DEFAULT_KEYFILE, CONFIG_COROSYNC_KEYFILE);
	if (rc < 0)
		return err_set(e, rc, "%s", why.msg);
	return 0;
}
