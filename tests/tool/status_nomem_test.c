/*
 * The status reply when allocations fail: each allocation of a build fails
 * in turn; status_build() then returns -ENOMEM (the daemon goes on, never
 * aborts), frees all it took, and never hands out a partial reply.
 *
 * malloc, calloc, realloc and free are replaced in this program (over
 * glibc's __libc_* functions) so that jansson's allocations can be made to
 * fail; under AddressSanitizer, which owns them, the test is skipped.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status/status.h"

#if defined(__SANITIZE_ADDRESS__)
#define NOMEM_SKIP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NOMEM_SKIP 1
#endif
#endif

#ifndef NOMEM_SKIP
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

static bool armed;	/* count and fail only while a build runs */
static long countdown;	/* allocations to let through before one fails */
static long live;	/* blocks taken and not yet freed while armed */
static bool failed;

static bool fail_now(void)
{
	if (!armed || failed || countdown-- > 0)
		return false;
	failed = true;
	return true;
}

void *malloc(size_t n)
{
	void *p = fail_now() ? NULL : __libc_malloc(n);

	if (p && armed)
		live++;
	return p;
}

void *calloc(size_t n, size_t size)
{
	void *p = fail_now() ? NULL : __libc_calloc(n, size);

	if (p && armed)
		live++;
	return p;
}

void *realloc(void *p, size_t n)
{
	void *q;

	if (fail_now())
		return NULL;
	q = __libc_realloc(p, n);
	if (armed && !p && q)
		live++;
	if (armed && p && n == 0)
		live--;
	return q;
}

void free(void *p)
{
	if (p && armed)
		live--;
	__libc_free(p);
}

static int groups(void *arg, struct status_out *o)
{
	unsigned i;

	(void)arg;
	for (i = 0; i < 40; i++)
		status_group_member(o, i < 20 ? "g\xe9one" : "two", i < 20 ? 5 : 3,
				    i % 3 + 1, 1000 + i);
	return 0;
}

static int ring(void *arg, struct status_out *o)
{
	static const uint32_t m[] = { 1, 2, 3 };

	(void)arg;
	status_ring(o, 1, 40, m, 3, 2);
	return 0;
}

static int links(void *arg, struct status_out *o)
{
	struct status_link l = { 0, true, true, "10.1.0.1:5405",
				 "10.1.0.2:5405", 150 };

	(void)arg;
	status_link(o, 1, &l);
	l.link = 1;
	status_link(o, 1, &l);
	status_link(o, 3, &l);
	return 0;
}

static int counters(void *arg, struct status_out *o)
{
	(void)arg;
	status_counter(o, "sent_msgs", 5);
	status_counter(o, "delivered_bytes", UINT64_MAX);
	return 0;
}

static int evs(void *arg, struct status_out *o)
{
	static const char g[64] = "alpha\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0beta";

	(void)arg;
	status_evs_client(o, 77, g, 2);
	return 0;
}

int main(void)
{
	struct status_sources src = {
		.groups = groups, .ring = ring, .links = links,
		.counters = { { counters, NULL } }, .evs = evs,
	};
	const uint32_t mask = STATUS_SECT_ALL | STATUS_SECT_EVS;
	char *want, *text;
	size_t want_len, len;
	long k, n_failed = 0;
	int rc;

	rc = status_build(&src, mask, 1 << 20, &want, &want_len);
	if (rc != 0) {
		fprintf(stderr, "FAIL: the build without failures: %d\n", rc);
		return 1;
	}
	for (k = 0;; k++) {
		text = NULL;
		armed = true;
		failed = false;
		countdown = k;
		live = 0;
		rc = status_build(&src, mask, 1 << 20, &text, &len);
		if (rc == 0 && (len != want_len || memcmp(text, want, len) != 0)) {
			fprintf(stderr, "FAIL: allocation %ld failed: a partial reply "
				"(%zu bytes of %zu)\n", k, len, want_len);
			return 1;
		}
		free(text);
		armed = false;
		if (rc != 0 && (rc != -ENOMEM || !failed)) {
			fprintf(stderr, "FAIL: allocation %ld: %d\n", k, rc);
			return 1;
		}
		if (live != 0) {
			fprintf(stderr, "FAIL: allocation %ld failed: %ld block(s) "
				"not freed\n", k, live);
			return 1;
		}
		if (!failed)
			break;	/* every allocation of a build has failed once */
		n_failed += rc == -ENOMEM;
	}
	free(want);
	printf("%ld allocations per build; each failure gave -ENOMEM (%ld) "
	       "and freed everything\n", k, n_failed);
	return 0;
}
#else
int main(void)
{
	printf("SKIP: malloc cannot be replaced under AddressSanitizer\n");
	return 77;
}
#endif
