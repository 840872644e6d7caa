/*
 * cpg_model0: a program written for corosync's libcpg, unchanged: it gives
 * cpg_model_initialize() model v1 data whose model field it never set
 * (0), then joins, sends one message, waits for it and finalizes.
 *
 *   cpg_model0 GROUP      exit 0 once its own message came back
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cpg.h>

static int got_own;

static void deliver(cpg_handle_t h, const struct cpg_name *group,
	uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	if (pid == (uint32_t)getpid() && len == 5 && !memcmp(msg, "hello", 5))
		got_own = 1;
}

static void confchg(cpg_handle_t h, const struct cpg_name *group,
	const struct cpg_address *members, size_t n_members,
	const struct cpg_address *left, size_t n_left,
	const struct cpg_address *joined, size_t n_joined)
{
}

int main(int argc, char **argv)
{
	cpg_model_v1_data_t v1;
	struct cpg_name group;
	struct iovec iov = { "hello", 5 };
	cpg_handle_t h;
	cs_error_t rc;
	time_t end;
	int fd;

	if (argc != 2 || strlen(argv[1]) > CPG_MAX_NAME_LENGTH) {
		fprintf(stderr, "usage: cpg_model0 GROUP\n");
		return 2;
	}
	/* as such programs do: callbacks set, the model field left at 0 */
	memset(&v1, 0, sizeof(v1));
	v1.cpg_deliver_fn = deliver;
	v1.cpg_confchg_fn = confchg;
	rc = cpg_model_initialize(&h, CPG_MODEL_V1, (cpg_model_data_t *)&v1,
		NULL);
	if (rc != CS_OK) {
		fprintf(stderr, "cpg_model_initialize: %d\n", rc);
		return 1;
	}
	group.length = (uint32_t)strlen(argv[1]);
	memcpy(group.value, argv[1], group.length);
	if ((rc = cpg_join(h, &group)) != CS_OK) {
		fprintf(stderr, "cpg_join: %d\n", rc);
		return 1;
	}
	while ((rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1)) ==
	    CS_ERR_TRY_AGAIN)
		usleep(10000);
	if (rc != CS_OK) {
		fprintf(stderr, "cpg_mcast_joined: %d\n", rc);
		return 1;
	}
	if ((rc = cpg_fd_get(h, &fd)) != CS_OK) {
		fprintf(stderr, "cpg_fd_get: %d\n", rc);
		return 1;
	}
	end = time(NULL) + 10;
	while (!got_own && time(NULL) < end) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, 500) > 0 &&
		    (rc = cpg_dispatch(h, CS_DISPATCH_ALL)) != CS_OK) {
			fprintf(stderr, "cpg_dispatch: %d\n", rc);
			return 1;
		}
	}
	if (!got_own) {
		fprintf(stderr, "own message not delivered within 10 s\n");
		return 1;
	}
	if ((rc = cpg_finalize(h)) != CS_OK) {
		fprintf(stderr, "cpg_finalize: %d\n", rc);
		return 1;
	}
	printf("delivered\n");
	return 0;
}
