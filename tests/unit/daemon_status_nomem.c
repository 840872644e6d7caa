/*
 * The status reply when allocations fail: each of jansson's allocations in
 * a build fails in turn (through json_set_alloc_funcs()); status_build()
 * then returns -ENOMEM (the daemon goes on, never aborts), frees all that
 * jansson took, and never hands out a partial reply.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "status/status.h"

static long countdown;	/* allocations to let through before one fails */
static long live;	/* blocks taken and not yet given back */
static bool failed;

static void *nomem_malloc(size_t n)
{
	void *p;

	if (countdown >= 0 && countdown-- == 0) {
		failed = true;
		return NULL;
	}
	p = malloc(n);
	if (p)
		live++;
	return p;
}

static void nomem_free(void *p)
{
	if (p)
		live--;
	free(p);
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

	json_set_alloc_funcs(nomem_malloc, nomem_free);
	countdown = -1;
	rc = status_build(&src, mask, 1 << 20, &want, &want_len);
	if (rc != 0) {
		fprintf(stderr, "FAIL: the build without failures: %d\n", rc);
		return 1;
	}
	for (k = 0;; k++) {
		text = NULL;
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
		countdown = -1;
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
	printf("%ld allocations of jansson per build; each failure gave "
	       "-ENOMEM (%ld) and freed everything\n", k, n_failed);
	return 0;
}
