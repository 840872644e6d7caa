/*
 * evs_legacy: a program written the way a corosync 1.4 EVS program is
 * written: only <corosync/corotypes.h> and <corosync/evs.h>, evs_error_t
 * and EVS_OK, the callbacks by position with hdb_handle_t, select() on
 * the descriptor, evs_dispatch(CS_DISPATCH_ALL).  tests/evs/evs_legacy.sh
 * compiles it on its own, with nothing of this tree but the header
 * directory and -levs, and runs it against cpgd on one node and on three.
 *
 *   evs_legacy NODES COUNT GOFILE
 *
 * It joins "legacy-a" and "legacy-b", waits for a configuration of NODES
 * processors and for GOFILE, then sends COUNT messages, in turn to its
 * joined groups and to {"legacy-b", "legacy-none"}, and receives until it
 * has every node's COUNT messages (30 s at most).  Exit 0 when all came,
 * once each, each node's in its order; 1 otherwise.
 */
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <corosync/corotypes.h>
#include <corosync/evs.h>

#define MAX_NODES 16

static unsigned int nodes_wanted;
static size_t conf_members;
static unsigned int from_node[MAX_NODES];
static unsigned int next_of[MAX_NODES];
static unsigned int received, count;
static int broken;

static void deliver(hdb_handle_t handle, unsigned int nodeid,
		    const void *msg, size_t msg_len)
{
	unsigned int node, seq;
	char text[64];
	int i;

	(void)handle;
	if (msg_len >= sizeof(text)) {
		broken = 1;
		return;
	}
	memcpy(text, msg, msg_len);
	text[msg_len] = 0;
	if (sscanf(text, "legacy %u %u", &node, &seq) != 2 || node != nodeid) {
		printf("strange message from node %u: %s\n", nodeid, text);
		broken = 1;
		return;
	}
	for (i = 0; i < MAX_NODES && from_node[i] && from_node[i] != node; i++)
		;
	if (i == MAX_NODES) {
		broken = 1;
		return;
	}
	from_node[i] = node;
	if (seq != next_of[i] + 1) {
		printf("node %u: message %u after %u\n", node, seq,
		       next_of[i]);
		broken = 1;
	}
	next_of[i] = seq;
	received++;
}

static void confchg(hdb_handle_t handle,
		    const unsigned int *member_list, size_t member_list_entries,
		    const unsigned int *left_list, size_t left_list_entries,
		    const unsigned int *joined_list, size_t joined_list_entries,
		    const struct evs_ring_id *ring_id)
{
	size_t i;

	(void)handle; (void)left_list; (void)joined_list;
	printf("configuration %u.%llu:", ring_id->nodeid, ring_id->seq);
	for (i = 0; i < member_list_entries; i++)
		printf(" %u", member_list[i]);
	printf(" (%lu left, %lu joined)\n", (unsigned long)left_list_entries,
	       (unsigned long)joined_list_entries);
	conf_members = member_list_entries;
}

static evs_callbacks_t callbacks = {
	deliver,
	confchg
};

static struct evs_group groups[2] = {
	{ "legacy-a" },
	{ "legacy-b" }
};

static struct evs_group others[2] = {
	{ "legacy-b" },
	{ "legacy-none" }
};

/* Waits up to ms milliseconds for the descriptor, then dispatches. */
static int pump(evs_handle_t handle, int fd, int ms)
{
	struct timeval tv;
	fd_set read_fds;
	evs_error_t result;

	FD_ZERO(&read_fds);
	FD_SET(fd, &read_fds);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	if (select(fd + 1, &read_fds, 0, 0, &tv) < 0)
		return -1;
	result = evs_dispatch(handle, CS_DISPATCH_ALL);
	if (result != EVS_OK) {
		printf("evs_dispatch: %d\n", result);
		return -1;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	evs_handle_t handle;
	evs_error_t result;
	unsigned int local_nodeid, member_list[MAX_NODES], i;
	size_t member_list_entries = MAX_NODES;
	char buffer[64];
	struct iovec iov;
	int fd, tries;

	if (argc != 4) {
		fprintf(stderr, "usage: evs_legacy NODES COUNT GOFILE\n");
		return 1;
	}
	nodes_wanted = (unsigned int)atoi(argv[1]);
	count = (unsigned int)atoi(argv[2]);
	setvbuf(stdout, 0, _IOLBF, 0);

	result = evs_initialize(&handle, &callbacks);
	if (result != EVS_OK) {
		printf("evs_initialize: %d\n", result);
		return 1;
	}
	evs_fd_get(handle, &fd);
	result = evs_join(handle, groups, 2);
	if (result != EVS_OK) {
		printf("evs_join: %d\n", result);
		return 1;
	}
	for (tries = 0; conf_members != nodes_wanted && tries < 300; tries++)
		if (pump(handle, fd, 100) < 0)
			return 1;
	result = evs_membership_get(handle, &local_nodeid, member_list,
				    &member_list_entries);
	if (result != EVS_OK || member_list_entries != nodes_wanted) {
		printf("evs_membership_get: %d, %lu members\n", result,
		       (unsigned long)member_list_entries);
		return 1;
	}
	printf("joined on node %u\n", local_nodeid);
	while (access(argv[3], F_OK) != 0)
		if (pump(handle, fd, 20) < 0)
			return 1;

	for (i = 1; i <= count; i++) {
		sprintf(buffer, "legacy %u %u", local_nodeid, i);
		iov.iov_base = buffer;
		iov.iov_len = strlen(buffer);
		do {
			if (i % 2)
				result = evs_mcast_joined(handle,
					EVS_TYPE_AGREED, &iov, 1);
			else
				result = evs_mcast_groups(handle,
					EVS_TYPE_AGREED, others, 2, &iov, 1);
			if (result == CS_ERR_TRY_AGAIN && pump(handle, fd, 1) < 0)
				return 1;
		} while (result == CS_ERR_TRY_AGAIN);
		if (result != EVS_OK) {
			printf("mcast: %d\n", result);
			return 1;
		}
	}
	for (tries = 0; received < count * nodes_wanted && tries < 3000; tries++)
		if (pump(handle, fd, 10) < 0)
			return 1;
	/* anything more than due shows now */
	pump(handle, fd, 200);
	result = evs_leave(handle, groups, 2);
	evs_finalize(handle);
	printf("received %u of %u\n", received, count * nodes_wanted);
	if (result != EVS_OK || broken || received != count * nodes_wanted)
		return 1;
	return 0;
}
