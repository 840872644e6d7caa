/*
 * cpgd-keygen: write a random key for cpgd's network crypto.
 *
 * The key is read from getrandom(2) and written to a temporary file in the
 * target's directory, flushed to disk, and only then given its final name,
 * so a crash never leaves a short or half-written key behind under the real
 * name.  An existing key is kept unless -f is given: replacing the key on
 * one node cuts it off from the rest of the cluster.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEYGEN_DEFAULT_FILE "/etc/cpgd/authkey"
/* Key sizes in bytes: the bounds knet accepts for a private key. */
#define KEYGEN_MIN_BYTES 128
#define KEYGEN_MAX_BYTES 4096
#define KEYGEN_DEFAULT_BYTES 256

struct keygen_opts {
	const char *path;
	size_t bytes;
	int force;
};

static void keygen_usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [-f] [-k FILE] [-l BITS | -s BYTES]\n"
		"Write a random authentication key for cpgd.\n"
		"\n"
		"  -k FILE   key file to write (default %s)\n"
		"  -l BITS   key size in bits, a multiple of 8 from %d to %d (default %d)\n"
		"  -s BYTES  key size in bytes, from %d to %d (default %d)\n"
		"  -f        replace FILE if it already exists\n"
		"  -h        show this help and exit\n",
		prog, KEYGEN_DEFAULT_FILE,
		KEYGEN_MIN_BYTES * 8, KEYGEN_MAX_BYTES * 8, KEYGEN_DEFAULT_BYTES * 8,
		KEYGEN_MIN_BYTES, KEYGEN_MAX_BYTES, KEYGEN_DEFAULT_BYTES);
}

/* Parses a decimal size; 0 on success, -EINVAL when not a plain number. */
static int keygen_parse_size(const char *s, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	return 0;
}

/* One step of an operation that may do less than asked: getrandom() and
 * write() both may return short. */
typedef ssize_t (*keygen_step)(void *ctx, unsigned char *buf, size_t len);

/* Repeats step until len bytes of buf are done; EINTR is retried. */
static int keygen_loop(keygen_step step, void *ctx, unsigned char *buf,
		       size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = step(ctx, buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += (size_t)n;
	}
	return 0;
}

static ssize_t random_step(void *ctx, unsigned char *buf, size_t len)
{
	(void)ctx;
	return getrandom(buf, len, 0);
}

static ssize_t write_step(void *ctx, unsigned char *buf, size_t len)
{
	return write(*(const int *)ctx, buf, len);
}

/* Fills buf from the kernel's random pool. */
static int keygen_random(unsigned char *buf, size_t len)
{
	return keygen_loop(random_step, NULL, buf, len);
}

static int keygen_write_all(int fd, const unsigned char *buf, size_t len)
{
	/* write_step only reads buf */
	return keygen_loop(write_step, &fd, (unsigned char *)buf, len);
}

/*
 * The directory that will hold the key.  A missing last component is
 * created (mode 0755) so that the default /etc/cpgd/authkey works on a fresh
 * system; deeper missing paths are an error, not guessed at.
 */
static int keygen_dir(const char *path, char *dir, size_t dirlen)
{
	char copy[PATH_MAX];
	struct stat st;

	if (strlen(path) >= sizeof(copy))
		return -ENAMETOOLONG;
	strcpy(copy, path);
	if (snprintf(dir, dirlen, "%s", dirname(copy)) >= (int)dirlen)
		return -ENAMETOOLONG;
	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	if (errno != ENOENT)
		return -errno;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Makes the directory entry durable too, not just the file's data. */
static int keygen_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		err = -errno;
	close(fd);
	return err;
}

/*
 * Writes the key to a temporary file next to path and then names it: with
 * link(2) when an existing file must be kept (fails with EEXIST, no race
 * with a concurrent writer), with rename(2) when it may be replaced.
 * Reports its own errors, naming the file or directory that failed.
 */
static int keygen_store(const char *prog, const struct keygen_opts *o,
			const unsigned char *key)
{
	char dir[PATH_MAX];
	char tmp[PATH_MAX];
	const char *what = o->path;
	int fd = -1;
	int err;

	tmp[0] = '\0';
	err = keygen_dir(o->path, dir, sizeof(dir));
	if (err < 0) {
		if (err != -ENAMETOOLONG)
			what = dir;
		goto out;
	}
	what = dir;
	if (snprintf(tmp, sizeof(tmp), "%s/.cpgd-keygen.XXXXXX", dir) >= (int)sizeof(tmp)) {
		tmp[0] = '\0';
		err = -ENAMETOOLONG;
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		tmp[0] = '\0';
		err = -errno;
		goto out;
	}
	what = tmp;
	if (fchmod(fd, 0400) < 0) {
		err = -errno;
		goto out;
	}
	err = keygen_write_all(fd, key, o->bytes);
	if (err < 0)
		goto out;
	if (fsync(fd) < 0) {
		err = -errno;
		goto out;
	}
	err = close(fd) < 0 ? -errno : 0;
	fd = -1;
	if (err < 0)
		goto out;

	what = o->path;
	if (o->force) {
		if (rename(tmp, o->path) < 0) {
			err = -errno;
			goto out;
		}
	} else {
		if (link(tmp, o->path) < 0) {
			err = -errno;
			goto out;
		}
		unlink(tmp);
	}
	tmp[0] = '\0';
	what = dir;
	err = keygen_sync_dir(dir);
out:
	if (err == -EEXIST && what == o->path)
		fprintf(stderr, "%s: %s already exists; not replacing it "
			"(use -f to replace it)\n", prog, o->path);
	else if (err < 0)
		fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-err));
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0')
		unlink(tmp);
	return err;
}

/* 0 to run, 1 after -h, -EINVAL on a usage error (already reported). */
static int keygen_parse_args(int argc, char **argv, struct keygen_opts *o)
{
	unsigned long n;
	int c;

	o->path = KEYGEN_DEFAULT_FILE;
	o->bytes = KEYGEN_DEFAULT_BYTES;
	o->force = 0;
	while ((c = getopt(argc, argv, "fhk:l:s:")) != -1) {
		switch (c) {
		case 'f':
			o->force = 1;
			break;
		case 'h':
			keygen_usage(stdout, argv[0]);
			return 1;
		case 'k':
			if (optarg[0] == '\0') {
				fprintf(stderr, "%s: -k needs a file name\n", argv[0]);
				return -EINVAL;
			}
			o->path = optarg;
			break;
		case 'l':
			if (keygen_parse_size(optarg, &n) < 0 || n % 8 != 0 ||
			    n < KEYGEN_MIN_BYTES * 8 || n > KEYGEN_MAX_BYTES * 8) {
				fprintf(stderr, "%s: key size must be a multiple of 8 bits "
					"from %d to %d, not '%s'\n", argv[0],
					KEYGEN_MIN_BYTES * 8, KEYGEN_MAX_BYTES * 8, optarg);
				return -EINVAL;
			}
			o->bytes = n / 8;
			break;
		case 's':
			if (keygen_parse_size(optarg, &n) < 0 ||
			    n < KEYGEN_MIN_BYTES || n > KEYGEN_MAX_BYTES) {
				fprintf(stderr, "%s: key size must be from %d to %d "
					"bytes, not '%s'\n", argv[0],
					KEYGEN_MIN_BYTES, KEYGEN_MAX_BYTES, optarg);
				return -EINVAL;
			}
			o->bytes = n;
			break;
		default:
			keygen_usage(stderr, argv[0]);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
		keygen_usage(stderr, argv[0]);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char key[KEYGEN_MAX_BYTES];
	struct keygen_opts o;
	int err;

	err = keygen_parse_args(argc, argv, &o);
	if (err != 0)
		return err > 0 ? EXIT_SUCCESS : 2;

	err = keygen_random(key, o.bytes);
	if (err < 0) {
		fprintf(stderr, "%s: getrandom: %s\n", argv[0], strerror(-err));
		return EXIT_FAILURE;
	}
	err = keygen_store(argv[0], &o, key);
	explicit_bzero(key, sizeof(key));
	if (err < 0)
		return EXIT_FAILURE;
	printf("Wrote a %zu-bit key to %s\n", o.bytes * 8, o.path);
	return EXIT_SUCCESS;
}
