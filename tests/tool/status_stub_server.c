/*
 * The status service on a libqb loop with fixed sources, for testing
 * cpgd-tool against a real "cpgd-status" service without a cluster.
 *
 *   status_stub_server READY_FILE [N]
 * serves until SIGTERM/SIGINT; writes its pid to READY_FILE once serving.
 * With N, a group "big" with N members follows the fixed ones (for replies
 * of a chosen size).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <qb/qbloop.h>

#include "status/status.h"

static int groups(void *arg, struct status_out *o)
{
	const unsigned long *big = arg;
	unsigned long i;

	status_group_member(o, "alpha", 5, 1, 4242);
	status_group_member(o, "alpha", 5, 2, 17);
	status_group_member(o, "tab\there", 8, 1, 99);
	for (i = 0; i < *big; i++)
		status_group_member(o, "big", 3, 1 + (uint32_t)(i / 100000),
				    (uint32_t)(i % 100000) + 1);
	return 0;
}

static int ring(void *arg, struct status_out *o)
{
	static const uint32_t m[] = { 1, 2 };

	(void)arg;
	status_ring(o, 1, 8, m, 2, 1);
	return 0;
}

static int links(void *arg, struct status_out *o)
{
	struct status_link l = { 0, true, true, "192.0.2.1:5405",
				 "192.0.2.2:5405", 321 };

	(void)arg;
	status_link(o, 2, &l);
	return 0;
}

static int counters(void *arg, struct status_out *o)
{
	(void)arg;
	status_counter(o, "sent_msgs", 3);
	status_counter(o, "delivered_msgs", 6);
	return 0;
}

static int32_t on_signal(int32_t sig, void *data)
{
	(void)sig;
	qb_loop_stop(data);
	return 0;
}

int main(int argc, char **argv)
{
	struct status_sources src;
	struct status_service *s;
	qb_loop_signal_handle h;
	qb_loop_t *loop;
	unsigned long big = 0;
	FILE *f;
	int rc;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: status_stub_server READY_FILE [N]\n");
		return 2;
	}
	if (argc == 3)
		big = strtoul(argv[2], NULL, 10);
	memset(&src, 0, sizeof(src));
	src.groups = groups;
	src.groups_arg = &big;
	src.ring = ring;
	src.links = links;
	src.counters[0].fn = counters;
	loop = qb_loop_create();
	if (!loop)
		return 1;
	qb_loop_signal_add(loop, QB_LOOP_HIGH, SIGTERM, loop, on_signal, &h);
	qb_loop_signal_add(loop, QB_LOOP_HIGH, SIGINT, loop, on_signal, &h);
	if (status_new(&src, &s, NULL) < 0)
		return 1;
	rc = status_start(s);
	if (rc < 0) {
		fprintf(stderr, "status_stub_server: %s\n", strerror(-rc));
		return 1;
	}
	f = fopen(argv[1], "w");
	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0)
		return 1;
	qb_loop_run(loop);
	status_destroy(s);
	qb_loop_destroy(loop);
	return 0;
}
