/*
 * Shared by the raw IPC clients (hostile.c, rawcpg.c), which speak the
 * client protocol over libqb themselves: failing with a line number,
 * fields in host order at byte offsets, a request header, a connection,
 * its events.
 * The includer defines RAW_PROG (its name, for messages) first.
 */
#ifndef CPGD_TESTS_IPC_RAW_H
#define CPGD_TESTS_IPC_RAW_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qb/qbipcc.h>

#define BUFSZ (8192 * 128)	/* the connection's buffers */

#define FAIL(...) fail_at(__LINE__, __VA_ARGS__)
#define CHECK(c) do { if (!(c)) FAIL("check failed: %s", #c); } while (0)

/* "RAW_PROG:line: message" on stderr, exit 1. */
static inline void fail_at(int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", RAW_PROG, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static inline void put32(uint8_t *b, size_t off, uint32_t v) { memcpy(b + off, &v, 4); }
static inline void put64(uint8_t *b, size_t off, uint64_t v) { memcpy(b + off, &v, 8); }
static inline uint32_t get32(const uint8_t *b, size_t off) { uint32_t v; memcpy(&v, b + off, 4); return v; }
static inline uint64_t get64(const uint8_t *b, size_t off) { uint64_t v; memcpy(&v, b + off, 8); return v; }

/* A request's header: its id and size (the rest of b left as it is). */
static inline void hdr(uint8_t *b, uint32_t id, uint32_t size)
{
	put32(b, 0, id);
	put32(b, 8, size);
}

/* A connection to the "cpg" service, or the test fails. */
static inline qb_ipcc_connection_t *conn(void)
{
	qb_ipcc_connection_t *c = qb_ipcc_connect("cpg", BUFSZ);

	if (!c)
		FAIL("cannot connect to cpg: %s", strerror(errno));
	return c;
}

/* The receive buffer (BUFSZ bytes), allocated by the includer. */
static uint8_t *rbuf;

/* Next event of the given id into rbuf, others skipped; its length. */
static inline ssize_t event(qb_ipcc_connection_t *c, uint32_t want_id)
{
	for (;;) {
		ssize_t rc = qb_ipcc_event_recv(c, rbuf, BUFSZ, 5000);

		if (rc < 24)
			FAIL("no event %u (%zd)", want_id, rc);
		if (get32(rbuf, 0) == want_id)
			return rc;
	}
}

#endif
