/*
 * cpg_demo: join a group, send N messages, print every delivery and every
 * membership change, and exit once all N of our own messages came back.
 *
 *   cpg_demo [GROUP [N]]      defaults: group "demo", 5 messages
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cpg.h>

#define TIMEOUT_S 30

struct demo {
	struct cpg_name group;
	uint32_t nodeid, pid;
	int joined;		/* our own join was seen */
	unsigned int want, got;
};

static const char *reason_text(uint32_t reason)
{
	switch (reason) {
	case CPG_REASON_JOIN: return "join";
	case CPG_REASON_LEAVE: return "leave";
	case CPG_REASON_NODEDOWN: return "node down";
	case CPG_REASON_NODEUP: return "node up";
	case CPG_REASON_PROCDOWN: return "process down";
	default: return "undefined";
	}
}

static struct demo *demo_of(cpg_handle_t handle)
{
	void *ctx = NULL;

	cpg_context_get(handle, &ctx);
	return ctx;
}

static void on_deliver(cpg_handle_t handle, const struct cpg_name *group,
	uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct demo *d = demo_of(handle);

	printf("deliver  %.*s from " CS_PRI_NODE_ID "/%" PRIu32 ": \"%.*s\"\n",
		(int)group->length, group->value, nodeid, pid, (int)len,
		(const char *)msg);
	if (nodeid == d->nodeid && pid == d->pid)
		d->got++;
}

static void print_list(const char *what, const struct cpg_address *list,
	size_t n, int with_reason)
{
	for (size_t i = 0; i < n; i++) {
		printf("    %-7s " CS_PRI_NODE_ID "/%" PRIu32, what,
			list[i].nodeid, list[i].pid);
		if (with_reason)
			printf(" (%s)", reason_text(list[i].reason));
		printf("\n");
	}
}

static void on_confchg(cpg_handle_t handle, const struct cpg_name *group,
	const struct cpg_address *members, size_t n_members,
	const struct cpg_address *left, size_t n_left,
	const struct cpg_address *joined, size_t n_joined)
{
	struct demo *d = demo_of(handle);

	printf("confchg  %.*s: %zu members, %zu left, %zu joined\n",
		(int)group->length, group->value, n_members, n_left, n_joined);
	print_list("member", members, n_members, 0);
	print_list("left", left, n_left, 1);
	print_list("joined", joined, n_joined, 1);
	for (size_t i = 0; i < n_joined; i++)
		if (joined[i].nodeid == d->nodeid && joined[i].pid == d->pid)
			d->joined = 1;
}

static cs_error_t send_one(cpg_handle_t handle, const struct demo *d,
	unsigned int k)
{
	char text[128];
	struct iovec iov;
	cs_error_t rc;

	snprintf(text, sizeof(text), "message %u of %u from pid %" PRIu32,
		k, d->want, d->pid);
	iov.iov_base = text;
	iov.iov_len = strlen(text);
	while ((rc = cpg_mcast_joined(handle, CPG_TYPE_AGREED, &iov, 1)) ==
	       CS_ERR_TRY_AGAIN) {
		/* the daemon is busy: let it drain, then retry */
		cpg_dispatch(handle, CS_DISPATCH_ALL);
		usleep(1000);
	}
	return rc;
}

int main(int argc, char **argv)
{
	cpg_callbacks_t callbacks = { on_deliver, on_confchg };
	const char *name = argc > 1 ? argv[1] : "demo";
	struct demo d = { .want = argc > 2 ? (unsigned)atoi(argv[2]) : 5 };
	cpg_handle_t handle;
	struct pollfd pfd = { .events = POLLIN };
	time_t deadline = time(NULL) + TIMEOUT_S;
	unsigned int sent = 0;
	cs_error_t rc;

	if (strlen(name) > CPG_MAX_NAME_LENGTH) {
		fprintf(stderr, "group name too long (max %d)\n",
			CPG_MAX_NAME_LENGTH);
		return 2;
	}
	d.group.length = (uint32_t)strlen(name);
	memcpy(d.group.value, name, d.group.length);
	d.pid = (uint32_t)getpid();

	rc = cpg_initialize(&handle, &callbacks);
	if (rc != CS_OK) {
		fprintf(stderr, "cpg_initialize: %s\n", cs_strerror(rc));
		return 1;
	}
	cpg_context_set(handle, &d);
	if ((rc = cpg_local_get(handle, &d.nodeid)) != CS_OK ||
	    (rc = cpg_fd_get(handle, &pfd.fd)) != CS_OK ||
	    (rc = cpg_join(handle, &d.group)) != CS_OK) {
		fprintf(stderr, "cpg setup: %s\n", cs_strerror(rc));
		cpg_finalize(handle);
		return 1;
	}
	printf("joining  %s as node " CS_PRI_NODE_ID " pid %" PRIu32 "\n",
		name, d.nodeid, d.pid);

	while (d.got < d.want) {
		/* send once our join is in, so we see our own messages */
		while (d.joined && sent < d.want) {
			rc = send_one(handle, &d, ++sent);
			if (rc != CS_OK) {
				fprintf(stderr, "cpg_mcast_joined: %s\n",
					cs_strerror(rc));
				goto fail;
			}
		}
		if (time(NULL) > deadline) {
			fprintf(stderr, "timed out with %u of %u messages\n",
				d.got, d.want);
			goto fail;
		}
		if (poll(&pfd, 1, 500) < 0 && errno != EINTR)
			goto fail;
		rc = cpg_dispatch(handle, CS_DISPATCH_ALL);
		if (rc != CS_OK) {
			fprintf(stderr, "cpg_dispatch: %s\n", cs_strerror(rc));
			goto fail;
		}
	}
	printf("received all %u of our messages\n", d.want);
	cpg_leave(handle, &d.group);
	cpg_finalize(handle);
	return 0;
fail:
	cpg_finalize(handle);
	return 1;
}
