/*
 * Sends requests of ids that the CPG protocol does not define to the "cpg"
 * service and prints what comes back, then proves the connection still
 * serves by a LOCAL_GET.  Run against cpgd and corosync, the two outputs
 * must be the same (tests/interop/unknown_id.sh).
 *
 *   cpg_rawreq ID...   one line per id: "id ID: res R size S error E" or
 *                      "id ID: no response"; then "local_get: error E"
 *                      or "local_get: connection lost"; exit 0 when the
 *                      connection was made, 2 when not.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <qb/qbipcc.h>

#define BUF_SIZE (8192 * 128)
#define RECV_MS 3000
#define LOCAL_GET_ID 4

static int request(qb_ipcc_connection_t *c, int32_t id, char *out,
	size_t out_len)
{
	struct qb_ipc_request_header req;
	static char buf[BUF_SIZE];
	struct qb_ipc_response_header res;
	struct iovec iov = { &req, sizeof(req) };
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.id = id;
	req.size = (int32_t)sizeof(req);
	n = qb_ipcc_sendv_recv(c, &iov, 1, buf, sizeof(buf), RECV_MS);
	if (n == -ETIMEDOUT || n == -EAGAIN) {
		snprintf(out, out_len, "no response");
		return 0;
	}
	if (n < 0) {
		snprintf(out, out_len, "connection lost");
		return -1;
	}
	if ((size_t)n < sizeof(res)) {
		snprintf(out, out_len, "short response of %zd bytes", n);
		return 0;
	}
	memcpy(&res, buf, sizeof(res));
	snprintf(out, out_len, "res %d size %d error %d", (int)res.id,
		 (int)res.size, (int)res.error);
	return 0;
}

int main(int argc, char **argv)
{
	qb_ipcc_connection_t *c;
	char line[128];
	int lost = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s ID...\n", argv[0]);
		return 64;
	}
	c = qb_ipcc_connect("cpg", BUF_SIZE);
	if (!c) {
		fprintf(stderr, "cannot connect to cpg: %s\n", strerror(errno));
		return 2;
	}
	for (int i = 1; i < argc && !lost; i++) {
		long id = strtol(argv[i], NULL, 0);

		lost = request(c, (int32_t)id, line, sizeof(line)) < 0;
		printf("id %ld: %s\n", id, line);
	}
	if (!lost) {
		lost = request(c, LOCAL_GET_ID, line, sizeof(line)) < 0;
		printf("local_get: %s\n", lost ? "connection lost" : line);
	}
	qb_ipcc_disconnect(c);
	return 0;
}
