/*
 * cpginit: what cpg_initialize() of this project's libcpg answers the
 * calling user.  "cpginit denied" passes when it is CS_ERR_ACCESS, "cpginit
 * full" when it is CS_ERR_NO_RESOURCES;
 * "cpginit ok" passes when it is CS_OK and a join, a message to the group
 * and its delivery back work.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <corosync/cpg.h>

static int delivered;

static void on_deliver(cpg_handle_t h, const struct cpg_name *g,
		       uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	(void)h;
	(void)g;
	(void)nodeid;
	if (pid == (uint32_t)getpid() && len == 5 && memcmp(msg, "hello", 5) == 0)
		delivered = 1;
}

int main(int argc, char **argv)
{
	cpg_callbacks_t cb = { .cpg_deliver_fn = on_deliver };
	struct cpg_name g = { .length = 6, .value = "access" };
	struct iovec iov = { .iov_base = "hello", .iov_len = 5 };
	cpg_handle_t h;
	cs_error_t rc;
	int i;

	if (argc != 2 || (strcmp(argv[1], "denied") && strcmp(argv[1], "ok") &&
			  strcmp(argv[1], "full"))) {
		fprintf(stderr, "usage: cpginit denied|full|ok\n");
		return 2;
	}
	rc = cpg_initialize(&h, &cb);
	printf("uid %u: cpg_initialize = %d\n", (unsigned)getuid(), (int)rc);
	if (!strcmp(argv[1], "denied"))
		return rc == CS_ERR_ACCESS ? 0 : 1;
	if (!strcmp(argv[1], "full"))
		return rc == CS_ERR_NO_RESOURCES ? 0 : 1;
	if (rc != CS_OK)
		return 1;
	if (cpg_join(h, &g) != CS_OK ||
	    cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1) != CS_OK)
		return 1;
	for (i = 0; i < 500 && !delivered; i++) {
		rc = cpg_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING);
		if (rc != CS_OK && rc != CS_ERR_TRY_AGAIN)
			return 1;
		usleep(10000);
	}
	cpg_finalize(h);
	return delivered ? 0 : 1;
}
