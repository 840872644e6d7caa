/*
 * evs_demo: joins EVS groups "alpha" and "beta", sends a message to group
 * "gamma" (which it has not joined: it does not get it back) and one to
 * "alpha" (which it has), and prints the configuration and what it
 * receives.  Needs a running cpgd.
 *
 *   cc -o evs_demo evs_demo.c $(pkg-config --cflags --libs libevs)
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>

#include <corosync/evs.h>

static int received;

static void deliver(hdb_handle_t handle, unsigned int nodeid,
		    const void *msg, size_t msg_len)
{
	(void)handle;
	printf("deliver: from node %u: \"%.*s\"\n", nodeid, (int)msg_len,
	       (const char *)msg);
	received++;
}

static void print_nodes(const char *what, const unsigned int *nodes,
			size_t n)
{
	size_t i;

	printf("%s:", what);
	for (i = 0; i < n; i++)
		printf(" %u", nodes[i]);
	if (n == 0)
		printf(" none");
}

/* members, and which of them joined and which left since the last one */
static void confchg(hdb_handle_t handle,
		    const unsigned int *members, size_t n_members,
		    const unsigned int *left, size_t n_left,
		    const unsigned int *joined, size_t n_joined,
		    const struct evs_ring_id *ring)
{
	(void)handle;
	printf("confchg: ring %u.%llu", ring->nodeid, ring->seq);
	print_nodes(", members", members, n_members);
	print_nodes(", joined", joined, n_joined);
	print_nodes(", left", left, n_left);
	printf("\n");
}

static struct evs_group group(const char *name)
{
	struct evs_group g;

	memset(&g, 0, sizeof(g));
	memcpy(g.key, name, strlen(name));	/* zero-padded to 32 bytes */
	return g;
}

static cs_error_t send_to(evs_handle_t h, const char *g, const char *text)
{
	struct evs_group grp = group(g);
	struct iovec iov = { (void *)text, strlen(text) };

	return evs_mcast_groups(h, EVS_TYPE_AGREED, &grp, 1, &iov, 1);
}

int main(void)
{
	evs_callbacks_t cb = { deliver, confchg };
	struct evs_group mine[2] = { group("alpha"), group("beta") };
	evs_handle_t h;
	unsigned int nodeid, members[64];
	size_t n = 64;
	cs_error_t rc;
	int fd, rounds;

	rc = evs_initialize(&h, &cb);
	if (rc != CS_OK) {
		fprintf(stderr, "evs_initialize: error %d (is cpgd running?)\n",
			rc);
		return 1;
	}
	if (evs_join(h, mine, 2) != CS_OK ||
	    evs_membership_get(h, &nodeid, members, &n) != CS_OK) {
		fprintf(stderr, "evs_join or evs_membership_get failed\n");
		return 1;
	}
	printf("joined alpha and beta on node %u, %zu node(s) in the "
	       "configuration\n", nodeid, n);
	if (send_to(h, "gamma", "to gamma: not for us") != CS_OK ||
	    send_to(h, "alpha", "to alpha: for us") != CS_OK) {
		fprintf(stderr, "evs_mcast_groups failed\n");
		return 1;
	}
	evs_fd_get(h, &fd);
	for (rounds = 0; rounds < 20 && received < 1; rounds++) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, 100) > 0)
			evs_dispatch(h, CS_DISPATCH_ALL);
	}
	evs_dispatch(h, CS_DISPATCH_ALL);
	evs_finalize(h);
	return received == 1 ? 0 : 1;
}
