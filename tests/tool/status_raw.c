/*
 * Raw requests to the "cpgd-status" service: every malformed request gets
 * an error reply (not a crash, not silence) and the connection keeps
 * working; a client whose buffer is too small for the reply gets EMSGSIZE.
 *
 *   status_raw          malformed requests (exit 0 when all checks passed)
 *   status_raw small    a small client must get EMSGSIZE (the server's
 *                       reply must be larger than libqb's smallest buffer)
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <qb/qbipcc.h>

#include "status/status_proto.h"

#define BUF (STATUS_REPLY_MAX + 64)

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { \
	fprintf(stderr, "status_raw:%d: ", __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); failures++; } } while (0)

/* Send hdr (id, size as given) and `extra` payload bytes; return the
 * reply's error field, or -1000 on a transport problem.  *jlen gets the
 * JSON length. */
static int ask(qb_ipcc_connection_t *c, int32_t id, int32_t size,
	       const void *extra, size_t extra_len, char *buf, size_t cap,
	       size_t *jlen)
{
	struct qb_ipc_request_header req;
	struct qb_ipc_response_header res;
	struct iovec iov[2];
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.id = id;
	req.size = size;
	iov[0].iov_base = &req;
	iov[0].iov_len = sizeof(req);
	iov[1].iov_base = (void *)extra;
	iov[1].iov_len = extra_len;
	n = qb_ipcc_sendv_recv(c, iov, extra_len ? 2 : 1, buf, cap, 5000);
	if (n < (ssize_t)sizeof(res)) {
		fprintf(stderr, "status_raw: no reply: %zd\n", n);
		return -1000;
	}
	memcpy(&res, buf, sizeof(res));
	if (res.size != n || res.id != STATUS_REQ_GET) {
		fprintf(stderr, "status_raw: reply header size %d id %d for %zd bytes\n",
			res.size, res.id, n);
		return -1000;
	}
	*jlen = (size_t)n - sizeof(res);
	return res.error;
}

/* A client with the smallest buffer libqb gives: the reply does not fit. */
static int small(void)
{
	qb_ipcc_connection_t *c;
	char *buf = malloc(BUF);
	size_t jlen;
	int32_t room;
	int e;

	c = qb_ipcc_connect(STATUS_SERVICE_NAME, 128);
	if (!c || !buf) {
		perror("status_raw: small connect");
		return 1;
	}
	room = qb_ipcc_get_buffer_size(c);
	e = ask(c, STATUS_REQ_GET, (int32_t)sizeof(struct qb_ipc_request_header),
		NULL, 0, buf, BUF, &jlen);
	CHECK(e == -EMSGSIZE && jlen == 0, "small buffer (%d): error %d",
	      (int)room, e);
	/* the same connection can still ask for less */
	{
		const unsigned char ring[4] = { STATUS_SECT_RING, 0, 0, 0 };

		e = ask(c, STATUS_REQ_GET,
			(int32_t)sizeof(struct qb_ipc_request_header) + 4,
			ring, 4, buf, BUF, &jlen);
		CHECK(e == 0 && jlen > 0, "small buffer, ring only: error %d", e);
	}
	qb_ipcc_disconnect(c);
	free(buf);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	const int32_t h = (int32_t)sizeof(struct qb_ipc_request_header);
	const unsigned char groups[4] = { STATUS_SECT_GROUPS, 0, 0, 0 };
	const unsigned char unknown[4] = { 0, 1, 0, 0 };
	const unsigned char eight[8] = { 1, 0, 0, 0, 0, 0, 0, 0 };
	qb_ipcc_connection_t *c;
	char *buf = malloc(BUF);
	size_t jlen, full;
	int e;

	if (argc == 2 && strcmp(argv[1], "small") == 0) {
		free(buf);
		return small();
	}
	if (!buf)
		return 1;
	c = qb_ipcc_connect(STATUS_SERVICE_NAME, BUF);
	if (!c) {
		perror("status_raw: connect");
		return 1;
	}
	/* no mask: every section */
	e = ask(c, STATUS_REQ_GET, h, NULL, 0, buf, BUF, &full);
	CHECK(e == 0 && full > 0, "plain request: error %d", e);
	buf[sizeof(struct qb_ipc_response_header) + full] = '\0';
	CHECK(strstr(buf + sizeof(struct qb_ipc_response_header), "\"counters\""),
	      "plain request: no counters");
	/* one section: shorter */
	e = ask(c, STATUS_REQ_GET, h + 4, groups, 4, buf, BUF, &jlen);
	CHECK(e == 0 && jlen > 0 && jlen < full, "groups only: error %d, %zu bytes", e, jlen);
	/* errors */
	e = ask(c, 99, h, NULL, 0, buf, BUF, &jlen);
	CHECK(e == -ENOSYS && jlen == 0, "unknown id: error %d", e);
	e = ask(c, STATUS_REQ_GET, h + 4, unknown, 4, buf, BUF, &jlen);
	CHECK(e == -EINVAL && jlen == 0, "unknown section bit: error %d", e);
	e = ask(c, STATUS_REQ_GET, h + 8, eight, 8, buf, BUF, &jlen);
	CHECK(e == -EINVAL && jlen == 0, "8 payload bytes: error %d", e);
	e = ask(c, STATUS_REQ_GET, h + 100, groups, 4, buf, BUF, &jlen);
	CHECK(e == -EINVAL && jlen == 0, "size field too big: error %d", e);
	e = ask(c, STATUS_REQ_GET, h + 2, groups, 4, buf, BUF, &jlen);
	CHECK(e == -EINVAL && jlen == 0, "size field too small: error %d", e);
	e = ask(c, STATUS_REQ_GET, -5, groups, 4, buf, BUF, &jlen);
	CHECK(e == -EINVAL && jlen == 0, "negative size field: error %d", e);
	/* still serving this connection */
	e = ask(c, STATUS_REQ_GET, h, NULL, 0, buf, BUF, &jlen);
	CHECK(e == 0 && jlen == full, "after errors: error %d, %zu bytes", e, jlen);
	qb_ipcc_disconnect(c);

	free(buf);
	if (failures)
		fprintf(stderr, "status_raw: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
