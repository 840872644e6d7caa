/*
 * Public entry points: parse a buffer or a file, the built-in single-node
 * configuration, and freeing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"

static const char builtin_text[] =
	"totem {\n"
	"\tversion: 2\n"
	"\tcluster_name: cpgd\n"
	"}\n"
	"nodelist {\n"
	"\tnode {\n"
	"\t\tnodeid: 1\n"
	"\t\tring0_addr: 127.0.0.1\n"
	"\t}\n"
	"}\n";

/* A parse of text from source into cfg, errors into e; NULL: no memory. */
static struct cfg_ctx *ctx_new(struct config *cfg, const char *source,
			       struct err *e)
{
	struct cfg_ctx *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->cfg = cfg;
	x->source = source;
	x->e = e;
	return x;
}

int config_parse_buffer(struct config *cfg, const char *source,
			const char *buf, size_t len, struct err *e)
{
	struct cfg_ctx *x;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	x = ctx_new(cfg, cfg->source, e);
	if (x == NULL)
		return -ENOMEM;
	snprintf(cfg->source, sizeof(cfg->source), "%s", source ? source : "<config>");
	cfg_set_defaults(cfg);
	rc = cfg_parse_text(x, buf, len);
	if (rc == 0)
		rc = cfg_finish(x);
	if (rc == -ENOMEM)
		err_set(e, rc, "%s: out of memory", cfg->source);
	free(x);
	if (rc < 0)
		config_free(cfg);
	return rc;
}

/* Read a whole regular file of at most CONFIG_FILE_MAX bytes. */
static int read_file(const char *path, char **out, size_t *outlen,
		     struct err *e)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		return err_set(e, rc, "%s: cannot open: %s", path, strerror(-rc));
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		err_set(e, rc, "%s: cannot stat: %s", path, strerror(-rc));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONFIG_FILE_MAX) {
		rc = err_set(e, S_ISREG(st.st_mode) ? -EFBIG : -EINVAL,
			     "%s: not a regular file of at most %d bytes",
			     path, CONFIG_FILE_MAX);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		rc = err_set(e, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	/* read to EOF, but never past the size we allocated for */
	while (got < (size_t)st.st_size + 1) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			err_set(e, rc, "%s: read: %s", path, strerror(-rc));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > (size_t)st.st_size) {
		rc = err_set(e, -EFBIG, "%s: file grew while being read", path);
		goto out;
	}
	*out = buf;
	*outlen = got;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return rc;
}

int config_load_file(struct config *cfg, const char *path, struct err *e)
{
	char *buf;
	size_t len;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	rc = read_file(path, &buf, &len, e);
	if (rc < 0)
		return rc;
	rc = config_parse_buffer(cfg, path, buf, len, e);
	free(buf);
	return rc;
}

int config_add_uidgid_file(struct config *cfg, const char *path,
			   struct err *e)
{
	struct cfg_ctx *x;
	char *buf;
	size_t len;
	int rc;

	rc = read_file(path, &buf, &len, e);
	if (rc < 0)
		return rc;
	x = ctx_new(cfg, path, e);
	if (x == NULL) {
		free(buf);
		return -ENOMEM;
	}
	x->uidgid_only = true;
	rc = cfg_parse_text(x, buf, len);
	free(x);
	free(buf);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int config_add_uidgid_dir(struct config *cfg, const char *dir,
			  struct err *e)
{
	char **names = NULL, path[CONFIG_PATH_MAX + 256];
	struct err why = { "" };
	size_t n = 0, cap = 0, i;
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int rc = 0;

	dp = opendir(dir);
	if (dp == NULL) {
		rc = -errno;
		return rc == -ENOENT ? 0 : err_set(e, rc, "%s: %s", dir, strerror(-rc));
	}
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **g = realloc(names, ncap * sizeof(*g));

			if (g == NULL) {
				rc = -ENOMEM;
				goto out;
			}
			names = g;
			cap = ncap;
		}
		names[n] = strdup(d->d_name);
		if (names[n] == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		n++;
	}
	/* a stable order, so that errors and limits do not depend on readdir */
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc = config_add_uidgid_file(cfg, path, &why);
	}
out:
	/* out of memory names the directory, even where a file's read failed */
	if (rc == -ENOMEM)
		err_set(e, rc, "%s: out of memory", dir);
	else if (rc < 0)
		err_set(e, rc, "%s", why.msg);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dp);
	return rc;
}

int config_default_single_node(struct config *cfg, struct err *e)
{
	return config_parse_buffer(cfg, "<built-in>", builtin_text,
				   sizeof(builtin_text) - 1, e);
}

const struct config_node *config_node_by_id(const struct config *cfg,
					    uint32_t nodeid)
{
	unsigned i;

	for (i = 0; i < cfg->n_nodes; i++)
		if (cfg->nodes[i].nodeid == nodeid)
			return &cfg->nodes[i];
	return NULL;
}

const char *config_cipher_name(enum config_cipher c)
{
	switch (c) {
	case CONFIG_CIPHER_NONE: return "none";
	case CONFIG_CIPHER_AES256: return "aes256";
	case CONFIG_CIPHER_AES192: return "aes192";
	case CONFIG_CIPHER_AES128: return "aes128";
	}
	return "?";
}

const char *config_hash_name(enum config_hash h)
{
	switch (h) {
	case CONFIG_HASH_NONE: return "none";
	case CONFIG_HASH_MD5: return "md5";
	case CONFIG_HASH_SHA1: return "sha1";
	case CONFIG_HASH_SHA256: return "sha256";
	case CONFIG_HASH_SHA384: return "sha384";
	case CONFIG_HASH_SHA512: return "sha512";
	}
	return "?";
}

void config_free(struct config *cfg)
{
	free(cfg->nodes);
	memset(cfg, 0, sizeof(*cfg));
}
