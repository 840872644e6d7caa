/*
 * rawcpg: talks the CPG client protocol to cpgd with raw libqb calls
 * (qb_ipcc_*), to check what a library hides or would never send.
 *
 *   rawcpg errors PID every daemon-side error answer of the spec's
 *                     Behaviour section, with pipelined requests where the
 *                     answer depends on a join or leave still in flight
 *                     (PID: the daemon's, stopped while they are written)
 *   rawcpg malformed  requests of every id, truncated, oversized, lying
 *                     about their size, random: each is answered with an
 *                     error or closes its connection, while another client
 *                     keeps joining, sending and receiving
 *   rawcpg slowreader a member that never reads its events is closed once
 *                     its queue is full (PROCDOWN for the others); the
 *                     sender carries on
 *
 * Exit 0 when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <qb/qbipcc.h>

#define RAW_PROG "rawcpg"
#include "ipc_raw.h"



enum { CS_OK = 1, CS_ERR_LIBRARY = 2, CS_ERR_TRY_AGAIN = 6,
       CS_ERR_INVALID_PARAM = 7, CS_ERR_BUSY = 10, CS_ERR_ACCESS = 11,
       CS_ERR_NOT_EXIST = 12, CS_ERR_NAME_TOO_LONG = 13, CS_ERR_EXIST = 14,
       CS_ERR_INTERRUPT = 16, CS_ERR_NO_SECTIONS = 27 };



static void name_at(uint8_t *b, size_t off, const char *s, uint32_t len)
{
	put32(b, off, len);
	memcpy(b + off + 8, s, strlen(s) < 128 ? strlen(s) : 128);
}

static void send_raw(qb_ipcc_connection_t *c, const void *b, size_t len)
{
	ssize_t rc = qb_ipcc_send(c, b, len);

	if (rc != (ssize_t)len)
		FAIL("qb_ipcc_send(%zu) = %zd", len, rc);
}

/* Next response: its error field, and id in *id.  Fails on timeout. */
static uint32_t response(qb_ipcc_connection_t *c, uint32_t *id)
{
	ssize_t rc = qb_ipcc_recv(c, rbuf, BUFSZ, 5000);

	if (rc < 24)
		FAIL("no response (%zd)", rc);
	if (get32(rbuf, 8) != (uint32_t)rc)
		FAIL("response size %u but %zd bytes", get32(rbuf, 8), rc);
	if (id)
		*id = get32(rbuf, 0);
	return get32(rbuf, 16);
}

static void expect(qb_ipcc_connection_t *c, uint32_t want_id, uint32_t want_err,
		   int line)
{
	uint32_t id, err = response(c, &id);

	if (id != want_id || err != want_err)
		fail_at(line, "response id %u error %u, expected id %u error %u",
			id, err, want_id, want_err);
}
#define EXPECT(c, id, err) expect(c, id, err, __LINE__)

static void req_join(qb_ipcc_connection_t *c, const char *g, uint32_t len,
		     uint32_t pid)
{
	uint8_t b[168] = { 0 };

	hdr(b, 0, sizeof(b));
	name_at(b, 16, g, len);
	put32(b, 152, pid);
	send_raw(c, b, sizeof(b));
}

static void req_leave(qb_ipcc_connection_t *c, const char *g, uint32_t len,
		      uint32_t pid)
{
	uint8_t b[160] = { 0 };

	hdr(b, 1, sizeof(b));
	name_at(b, 16, g, len);
	put32(b, 152, pid);
	send_raw(c, b, sizeof(b));
}

static void req_mcast(qb_ipcc_connection_t *c, const void *p, uint32_t len)
{
	uint8_t *b = calloc(1, 40 + len);

	hdr(b, 2, 40 + len);
	put32(b, 24, 2);
	put32(b, 32, len);
	memcpy(b + 40, p, len);
	send_raw(c, b, 40 + len);
	free(b);
}

static void req_partial(qb_ipcc_connection_t *c, uint32_t msglen,
			uint32_t fraglen, uint32_t type)
{
	uint8_t *b = calloc(1, 56 + fraglen);

	hdr(b, 12, 56 + fraglen);
	put32(b, 24, 2);
	put32(b, 32, msglen);
	put32(b, 40, fraglen);
	put32(b, 48, type);
	memset(b + 56, 'f', fraglen);
	send_raw(c, b, 56 + fraglen);
	free(b);
}

static void req_u64(qb_ipcc_connection_t *c, uint32_t id, uint64_t v)
{
	uint8_t b[24] = { 0 };

	hdr(b, id, 24);
	put64(b, 16, v);
	send_raw(c, b, 24);
}

static void req_zc_alloc(qb_ipcc_connection_t *c, const char *path,
			 uint64_t size)
{
	uint8_t b[152] = { 0 };

	hdr(b, 9, sizeof(b));
	put64(b, 16, size);
	snprintf((char *)b + 24, 128, "%s", path);
	send_raw(c, b, sizeof(b));
}

/* the healthy bystander: joined, sends and receives its own message */
struct healthy {
	qb_ipcc_connection_t *c;
	uint32_t seq;
};

static void healthy_check(struct healthy *h)
{
	char msg[32];
	size_t len;
	int skipped = 0;

	snprintf(msg, sizeof(msg), "ping-%u", h->seq++);
	len = strlen(msg);
	req_mcast(h->c, msg, (uint32_t)len);
	/* its own ping comes back; earlier traffic may come first */
	for (;;) {
		ssize_t n = event(h->c, 5);

		if (n == 184 + (ssize_t)len && memcmp(rbuf + 184, msg, len) == 0)
			return;
		if (n == 184 + (ssize_t)len || ++skipped > 1000)
			FAIL("bystander got the wrong message back");
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* After a bad request: an error response (1) or a closed connection (0). */
static int answered_or_closed(qb_ipcc_connection_t *c, uint32_t *err)
{
	double end = now_s() + 5;

	while (now_s() < end) {
		ssize_t rc = qb_ipcc_recv(c, rbuf, BUFSZ, 10);

		if (rc >= 24) {
			*err = get32(rbuf, 16);
			return 1;
		}
		if (rc != -ETIMEDOUT && rc != -EAGAIN)
			return 0;
		if (!qb_ipcc_is_connected(c))
			return 0;
	}
	FAIL("bad request neither answered nor its connection closed");
	return -1;
}

static void zc_checks(qb_ipcc_connection_t *c)
{
	char path[] = "/dev/shm/rawcpg-zc-XXXXXX";
	int fd;
	uint8_t tok[8];
	uint64_t token;

	/* outside /dev/shm and the run dir */
	req_zc_alloc(c, "/etc/passwd", 4096);
	EXPECT(c, 14, CS_ERR_ACCESS);
	/* a directory, a missing file, a path escaping with .. */
	req_zc_alloc(c, "/dev/shm/", 4096);
	EXPECT(c, 14, CS_ERR_ACCESS);
	req_zc_alloc(c, "/dev/shm/../etc/passwd", 4096);
	EXPECT(c, 14, CS_ERR_ACCESS);
	req_zc_alloc(c, "/dev/shm/rawcpg-no-such-file", 4096);
	EXPECT(c, 14, CS_ERR_NOT_EXIST);
	/* a symlink, even to an acceptable file */
	fd = mkstemp(path);
	CHECK(fd >= 0 && ftruncate(fd, 4096) == 0);
	{
		char link[64];

		snprintf(link, sizeof(link), "%s-link", path);
		CHECK(symlink(path, link) == 0);
		req_zc_alloc(c, link, 4096);
		EXPECT(c, 14, CS_ERR_ACCESS);
		unlink(link);
	}
	/* wrong size */
	req_zc_alloc(c, path, 8192);
	EXPECT(c, 14, CS_ERR_INVALID_PARAM);
	/* owned by someone else */
	CHECK(fchown(fd, 65534, 65534) == 0);
	req_zc_alloc(c, path, 4096);
	EXPECT(c, 14, CS_ERR_ACCESS);
	CHECK(fchown(fd, getuid(), getgid()) == 0);
	/* the good one: token written at offset 8, file unlinked */
	req_zc_alloc(c, path, 4096);
	EXPECT(c, 14, CS_OK);
	CHECK(pread(fd, tok, 8, 8) == 8);
	memcpy(&token, tok, 8);
	CHECK(token != 0);
	CHECK(access(path, F_OK) != 0);
	/* execute before joining: not joined */
	{
		uint8_t m[40] = { 0 };

		hdr(m, 2, 40 + 100);
		put32(m, 32, 100);
		CHECK(pwrite(fd, m, 40, 16) == 40);
	}
	req_u64(c, 11, token);
	EXPECT(c, 2, CS_ERR_NOT_EXIST);
	/* unknown tokens */
	req_u64(c, 11, token + 12345);
	EXPECT(c, 2, CS_ERR_LIBRARY);
	{
		uint8_t b[32] = { 0 };

		hdr(b, 10, 32);
		put64(b, 16, 4096);
		put64(b, 24, token + 12345);
		send_raw(c, b, 32);
		EXPECT(c, 15, CS_ERR_LIBRARY);
		put64(b, 24, token);
		send_raw(c, b, 32);
		EXPECT(c, 15, CS_OK);
		send_raw(c, b, 32);
		EXPECT(c, 15, CS_ERR_LIBRARY);
	}
	close(fd);
}

/* The daemon's pid, to hold it still while requests queue up. */
static pid_t daemon_pid;

/*
 * Send a request and at once a second one (join or leave each), before the
 * first one's confchg can have been delivered; the second must be answered
 * want.  The daemon is stopped while both are written, so that it finds
 * them together and answers both before it delivers anything (libqb reads
 * up to five queued requests of a connection in one go).  A leave first
 * needs the connection joined, a join first needs it not joined; it is
 * left as it was found.
 */
static int pipelined(qb_ipcc_connection_t *c, const char *g, uint32_t pid,
		     int first_is_leave, int second_is_leave, uint32_t want)
{
	uint32_t n = (uint32_t)strlen(g);
	int tries;

	for (tries = 0; tries < 3; tries++) {
		uint32_t id, err;

		CHECK(kill(daemon_pid, SIGSTOP) == 0);
		if (first_is_leave)
			req_leave(c, g, n, pid);
		else
			req_join(c, g, n, pid);
		if (second_is_leave)
			req_leave(c, g, n, pid);
		else
			req_join(c, g, n, pid);
		CHECK(kill(daemon_pid, SIGCONT) == 0);
		CHECK(response(c, &id) == CS_OK && id == (first_is_leave ? 1u : 0u));
		err = response(c, &id);
		CHECK(id == (second_is_leave ? 1u : 0u));
		event(c, 4);	/* the first request's confchg */
		if (!first_is_leave && second_is_leave && err == CS_OK) {
			event(c, 4);			/* left again */
		} else if (!first_is_leave) {
			req_leave(c, g, n, pid);	/* joined: leave */
			EXPECT(c, 1, CS_OK);
			event(c, 4);
		} else if (!second_is_leave && err == CS_OK) {
			event(c, 4);			/* joined again */
		} else {
			req_join(c, g, n, pid);		/* left: join */
			EXPECT(c, 0, CS_OK);
			event(c, 4);
		}
		if (err == want)
			return 1;
		if (err != CS_OK)
			FAIL("pipelined answer %u, expected %u", err, want);
	}
	return 0;
}

static int do_errors(void)
{
	qb_ipcc_connection_t *a = conn(), *b = conn();
	uint32_t id;
	uint8_t m[160];

	/* join then leave at once: the leave finds the join in progress */
	CHECK(pipelined(a, "rawg", 4242, 0, 1, CS_ERR_BUSY));
	/* join twice at once: the second finds it joining */
	CHECK(pipelined(a, "rawg", 4242, 0, 0, CS_ERR_EXIST));
	/* joined: another join, and the same pid and group elsewhere */
	req_join(a, "rawg", 4, 4242);
	EXPECT(a, 0, CS_OK);
	event(a, 4);
	req_join(a, "rawg", 4, 4242);
	EXPECT(a, 0, CS_ERR_EXIST);
	req_join(b, "rawg", 4, 4242);
	EXPECT(b, 0, CS_ERR_EXIST);
	/* leave then join (or leave) at once: the leave is in progress */
	CHECK(pipelined(a, "rawg", 4242, 1, 0, CS_ERR_BUSY));
	CHECK(pipelined(a, "rawg", 4242, 1, 1, CS_ERR_NOT_EXIST));
	req_leave(a, "rawg", 4, 4242);
	EXPECT(a, 1, CS_OK);
	event(a, 4);
	CHECK(get32(rbuf, 176) == 1 && get32(rbuf, 184 + 16) == 2);
	req_leave(a, "rawg", 4, 4242);
	EXPECT(a, 1, CS_ERR_NOT_EXIST);
	/* the same pid and group again, from a new connection, while the
	 * procdown of the old one is not delivered yet: try again */
	{
		int tries, seen = 0;

		for (tries = 0; tries < 5 && !seen; tries++) {
			qb_ipcc_connection_t *old = conn(), *nw = conn();
			uint32_t err, cnt;
			uint8_t q[152] = { 0 };

			req_join(old, "tag", 3, 7777);
			EXPECT(old, 0, CS_OK);
			event(old, 4);
			CHECK(kill(daemon_pid, SIGSTOP) == 0);
			qb_ipcc_disconnect(old);
			req_join(nw, "tag", 3, 7777);
			CHECK(kill(daemon_pid, SIGCONT) == 0);
			err = response(nw, &id);
			CHECK(id == 0);
			if (err == CS_ERR_TRY_AGAIN)
				seen = 1;
			else if (err != CS_ERR_EXIST)	/* close seen after */
				FAIL("join answered %u", err);
			qb_ipcc_disconnect(nw);
			/* wait for the group to empty before another round */
			hdr(q, 3, 152);
			name_at(q, 16, "tag", 3);
			do {
				send_raw(b, q, 152);
				CHECK(response(b, &id) == CS_OK);
				cnt = get32(rbuf, 24);
			} while (cnt != 0);
		}
		CHECK(seen);
	}
	/* names longer than 128 */
	req_join(a, "x", 129, 4242);
	EXPECT(a, 0, CS_ERR_NAME_TOO_LONG);
	req_leave(a, "x", 1000, 4242);
	EXPECT(a, 1, CS_ERR_NAME_TOO_LONG);
	memset(m, 0, sizeof(m));
	hdr(m, 3, 152);
	put32(m, 16, 0xffffffffu);
	send_raw(a, m, 152);
	EXPECT(a, 3, CS_ERR_NAME_TOO_LONG);
	/* multicast while not joined: no response, nothing delivered, the
	 * connection carries on */
	req_mcast(a, "lost", 4);
	memset(m, 0, sizeof(m));
	hdr(m, 4, 16);
	send_raw(a, m, 16);
	EXPECT(a, 7, CS_OK);
	CHECK(get32(rbuf, 24) == 1);
	/* fragments while not joined */
	req_partial(a, 100, 50, 1);
	EXPECT(a, 18, CS_ERR_NOT_EXIST);
	/* iteration: bad type, unknown handles */
	memset(m, 0, sizeof(m));
	hdr(m, 5, 160);
	put32(m, 152, 7);
	send_raw(a, m, 160);
	EXPECT(a, 9, CS_ERR_INVALID_PARAM);
	req_u64(a, 6, 999);
	EXPECT(a, 10, CS_ERR_LIBRARY);
	req_u64(a, 7, 999);
	EXPECT(a, 11, CS_ERR_LIBRARY);
	/* an iteration runs out with NO_SECTIONS */
	hdr(m, 5, 160);
	put32(m, 152, 3);
	send_raw(a, m, 160);
	EXPECT(a, 9, CS_OK);
	{
		uint64_t h = get64(rbuf, 24);
		uint32_t err;

		do {
			req_u64(a, 6, h);
			err = response(a, &id);
			CHECK(id == 10);
		} while (err == CS_OK);
		CHECK(err == CS_ERR_NO_SECTIONS);
		req_u64(a, 7, h);
		EXPECT(a, 11, CS_OK);
	}
	zc_checks(a);

	/* fragment order and interruption */
	req_join(a, "frag", 4, 5151);
	EXPECT(a, 0, CS_OK);
	event(a, 4);
	req_partial(a, 100, 50, 2);		/* continued first */
	EXPECT(a, 18, CS_ERR_INVALID_PARAM);
	req_partial(a, 100, 50, 3);		/* last first */
	EXPECT(a, 18, CS_ERR_INVALID_PARAM);
	req_partial(a, 100, 50, 1);
	EXPECT(a, 18, CS_OK);
	req_partial(a, 120, 70, 3);		/* msglen changed */
	EXPECT(a, 18, CS_ERR_INVALID_PARAM);
	req_partial(a, 100, 50, 1);
	EXPECT(a, 18, CS_OK);
	req_partial(a, 100, 40, 3);		/* last but short */
	EXPECT(a, 18, CS_ERR_INVALID_PARAM);
	req_partial(a, 100, 60, 1);
	EXPECT(a, 18, CS_OK);
	req_join(b, "frag", 4, 6161);		/* membership changes... */
	EXPECT(b, 0, CS_OK);
	event(a, 4);				/* ...and a has seen it */
	req_partial(a, 100, 40, 3);
	EXPECT(a, 18, CS_ERR_INTERRUPT);
	req_partial(a, 100, 40, 3);		/* abandoned: nothing to end */
	EXPECT(a, 18, CS_ERR_INVALID_PARAM);
	/* a whole fragmented message goes through to b; short enough for one
	 * event, it arrives as one */
	req_partial(a, 100, 60, 1);
	EXPECT(a, 18, CS_OK);
	req_partial(a, 100, 40, 3);
	EXPECT(a, 18, CS_OK);
	CHECK(event(b, 5) == 184 + 100);
	CHECK(get32(rbuf, 160) == 100 && get32(rbuf, 176) == 5151);

	/* two senders' fragments interleaved: each message still reaches a
	 * member in one piece, its fragments back to back */
	{
		qb_ipcc_connection_t *r = conn();
		uint32_t big = 1500000, first = BUFSZ - 1024;
		uint32_t want_pid[4] = { 5151, 5151, 6161, 6161 };
		uint32_t want_type[4] = { 1, 3, 1, 3 };
		int k;

		req_join(r, "frag", 4, 7171);
		EXPECT(r, 0, CS_OK);
		event(r, 4);
		event(a, 4);
		event(b, 4);
		req_partial(a, big, first, 1);
		EXPECT(a, 18, CS_OK);
		req_partial(b, big, first, 1);
		EXPECT(b, 18, CS_OK);
		req_partial(a, big, big - first, 3);
		EXPECT(a, 18, CS_OK);
		req_partial(b, big, big - first, 3);
		EXPECT(b, 18, CS_OK);
		for (k = 0; k < 4; k++) {
			ssize_t n = event(r, 17);

			CHECK(get32(rbuf, 184) == want_pid[k]);
			CHECK(get32(rbuf, 192) == want_type[k]);
			CHECK(get32(rbuf, 160) == big);
			CHECK(n == 200 + (ssize_t)(k % 2 ? big - first : first));
		}
		qb_ipcc_disconnect(r);
	}
	/* a multicast above the protocol's largest closes the connection:
	 * there is no response to carry an error */
	{
		uint32_t len = BUFSZ - 1024 + 1;
		uint8_t *big = calloc(1, 40 + len);
		uint32_t err;

		hdr(big, 2, 40 + len);
		put32(big, 32, len);
		send_raw(a, big, 40 + len);
		free(big);
		CHECK(answered_or_closed(a, &err) == 0);
	}
	qb_ipcc_disconnect(a);
	qb_ipcc_disconnect(b);
	return 0;
}

static uint32_t rnd(void)
{
	return (uint32_t)random();
}

/* The connection bad requests go through; replaced when the daemon
 * closes it (connections cost libqb tens of milliseconds to set up). */
static qb_ipcc_connection_t *victim;

static void bad_one(struct healthy *h, const uint8_t *b, size_t len,
		    const char *what)
{
	uint32_t err = 0;
	ssize_t rc;

	if (!victim)
		victim = conn();
	rc = qb_ipcc_send(victim, b, len);
	if (rc == (ssize_t)len && answered_or_closed(victim, &err) == 1) {
		if (err == CS_OK)
			FAIL("%s was answered CS_OK", what);
	} else {
		qb_ipcc_disconnect(victim);
		victim = NULL;
	}
	healthy_check(h);
}

static int do_malformed(void)
{
	static const size_t good[13] = { 168, 160, 40, 152, 16, 160, 24, 24,
					 16, 152, 32, 24, 56 };
	struct healthy h = { conn(), 0 };
	uint8_t *b = calloc(1, BUFSZ * 2);
	char what[64];
	uint32_t id;
	int i;

	req_join(h.c, "healthy", 7, (uint32_t)getpid());
	EXPECT(h.c, 0, CS_OK);
	event(h.c, 4);
	healthy_check(&h);
	srandom(12345);

	for (id = 0; id < 13; id++) {
		/* truncated to a bare header, one byte short, a byte long */
		size_t lens[3] = { 16, good[id] - 1, good[id] + 1 };

		for (i = 0; i < 3; i++) {
			if (lens[i] < 16 || (id == 2 && i == 2) ||
			    (id == 12 && i == 2) || (id == 4 && i == 0) ||
			    (id == 8 && i == 0))
				continue;	/* those are well-formed */
			memset(b, 0, lens[i]);
			hdr(b, id, (uint32_t)lens[i]);
			snprintf(what, sizeof(what), "id %u, %zu bytes", id, lens[i]);
			bad_one(&h, b, lens[i], what);
		}
		/* header claims more than was sent, and more than fits */
		memset(b, 0, good[id]);
		hdr(b, id, (uint32_t)good[id] + 64);
		snprintf(what, sizeof(what), "id %u, size lies", id);
		bad_one(&h, b, good[id], what);
		hdr(b, id, BUFSZ * 2);
		bad_one(&h, b, good[id], what);
		hdr(b, id, 8);
		bad_one(&h, b, good[id], what);
	}
	/* lengths that disagree inside MCAST and PARTIAL_MCAST */
	memset(b, 0, 200);
	hdr(b, 2, 100);
	put32(b, 32, 61);			/* msglen one too many */
	bad_one(&h, b, 100, "mcast msglen");
	put32(b, 32, 0xffffffffu);
	bad_one(&h, b, 100, "mcast huge msglen");
	hdr(b, 12, 100);
	put32(b, 32, 10);			/* msglen < fraglen */
	put32(b, 40, 44);
	put32(b, 48, 1);
	bad_one(&h, b, 100, "partial msglen < fraglen");
	put32(b, 32, 1000);
	put32(b, 40, 45);			/* fraglen disagrees */
	bad_one(&h, b, 100, "partial fraglen");
	/* zc alloc path without its terminating NUL */
	memset(b, 'a', 152);
	hdr(b, 9, 152);
	put64(b, 16, 4096);
	bad_one(&h, b, 152, "zc path unterminated");
	/* unknown ids: answered as corosync answers them (response id 0,
	 * 24 bytes, CS_ERR_INVALID_PARAM), on a connection that carries on */
	{
		uint32_t ids[] = { 13, 14, 100, 0x10000u, 0x7fffffffu,
				   0xffffffffu };
		qb_ipcc_connection_t *u = conn();
		uint32_t rid;

		for (i = 0; i < 6; i++) {
			memset(b, 0, 64);
			hdr(b, ids[i], 64);
			send_raw(u, b, 64);
			if (response(u, &rid) != CS_ERR_INVALID_PARAM ||
			    rid != 0 || get32(rbuf, 8) != 24)
				FAIL("unknown id %u: response id %u size %u "
				     "error %u", ids[i], rid, get32(rbuf, 8),
				     get32(rbuf, 16));
		}
		memset(b, 0, 16);
		hdr(b, 4, 16);
		send_raw(u, b, 16);
		EXPECT(u, 7, CS_OK);
		qb_ipcc_disconnect(u);
		healthy_check(&h);
	}
	/* random requests: known ids, random lengths and bytes */
	for (i = 0; i < 200; i++) {
		size_t len = 16 + rnd() % 400;
		uint32_t err;
		size_t k;

		if (!victim)
			victim = conn();
		for (k = 0; k < len; k++)
			b[k] = (uint8_t)rnd();
		hdr(b, rnd() % 14, rnd() % 4 ? (uint32_t)len : rnd());
		if (b[0] == 2 || b[0] == 12)
			put32(b, 32, rnd() % 600);
		if (qb_ipcc_send(victim, b, len) != (ssize_t)len ||
		    answered_or_closed(victim, &err) == 0) {
			qb_ipcc_disconnect(victim);
			victim = NULL;
		}
		if (i % 20 == 0)
			healthy_check(&h);
	}
	healthy_check(&h);
	if (victim)
		qb_ipcc_disconnect(victim);
	qb_ipcc_disconnect(h.c);
	free(b);
	return 0;
}

/* Drain s's events; 1 once a confchg shows pid `gone` leaving.  *own
 * counts the deliveries (whole or last fragment) of pid `me`. */
static int drain_until_gone(qb_ipcc_connection_t *s, uint32_t gone,
			    uint32_t me, int *own)
{
	ssize_t n;
	int seen = 0;

	while ((n = qb_ipcc_event_recv(s, rbuf, BUFSZ, 0)) > 0) {
		uint32_t id = get32(rbuf, 0);

		if (id == 4 && get32(rbuf, 176) == 1) {
			size_t off = 184 + (size_t)get32(rbuf, 160) * 24;

			if (get32(rbuf, off + 8) == gone &&
			    get32(rbuf, off + 16) == 5)
				seen = 1;
		} else if ((id == 5 && get32(rbuf, 176) == me) ||
			   (id == 17 && get32(rbuf, 184) == me &&
			    get32(rbuf, 192) == 3)) {
			(*own)++;
		}
	}
	return seen;
}

static int do_slowreader(void)
{
	qb_ipcc_connection_t *r = conn(), *s = conn();
	uint32_t len = BUFSZ - 1024;
	uint8_t *b = calloc(1, 40 + len);
	int i, gone = 0, own = 0;

	req_join(r, "slow", 4, 9001);
	EXPECT(r, 0, CS_OK);
	req_join(s, "slow", 4, 9002);
	EXPECT(s, 0, CS_OK);
	hdr(b, 2, 40 + len);
	put32(b, 32, len);
	/* well past the daemon's 64 MiB queue for one connection */
	for (i = 0; i < 200 && !gone; i++) {
		ssize_t rc;
		double end = now_s() + 10;

		while ((rc = qb_ipcc_send(s, b, 40 + len)) == -EAGAIN) {
			gone |= drain_until_gone(s, 9001, 9002, &own);
			if (now_s() > end)
				FAIL("sender blocked");
			usleep(1000);
		}
		if (rc != (ssize_t)(40 + len))
			FAIL("send %d: %zd", i, rc);
		/* the sender reads its events as a dispatching client does:
		 * its own message comes back before it sends the next */
		while (own <= i) {
			gone |= drain_until_gone(s, 9001, 9002, &own);
			if (own > i)
				break;
			if (now_s() > end)
				FAIL("own message %d not delivered", i);
			usleep(200);
		}
	}
	{
		double end = now_s() + 10;

		while (!gone && now_s() < end) {
			gone |= drain_until_gone(s, 9001, 9002, &own);
			usleep(1000);
		}
	}
	if (!gone)
		FAIL("the member that never reads was not dropped");
	/* its connection is closed; the sender works on */
	{
		uint8_t m[16] = { 0 };
		ssize_t rc;

		hdr(m, 4, 16);
		rc = qb_ipcc_send(r, m, 16);
		if (rc == 16)
			rc = qb_ipcc_recv(r, rbuf, BUFSZ, 2000);
		CHECK(rc < 0);
	}
	{
		struct healthy h = { s, 0 };

		healthy_check(&h);
	}
	qb_ipcc_disconnect(r);
	qb_ipcc_disconnect(s);
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stderr, NULL, _IONBF, 0);
	rbuf = malloc(BUFSZ);
	if (argc == 3 && !strcmp(argv[1], "errors")) {
		daemon_pid = (pid_t)atoi(argv[2]);
		if (daemon_pid <= 0)
			FAIL("bad daemon pid %s", argv[2]);
		return do_errors();
	}
	if (argc == 2 && !strcmp(argv[1], "malformed"))
		return do_malformed();
	if (argc == 2 && !strcmp(argv[1], "slowreader"))
		return do_slowreader();
	FAIL("usage: rawcpg errors DAEMON_PID | malformed | slowreader");
	return 2;
}
