/*
 * The request ring of fast path version 2 (doc/fastpath.md), for
 * tests/ipc/fastring.sh:
 *
 *   fastring flow GROUP   one scripted sender: a burst then a leave at
 *                         once, sends after the leave, a flood into flow
 *                         control (CS_ERR_TRY_AGAIN) then the rest,
 *                         argument errors.  The transcript (stdout) must be
 *                         the same with CPG_FASTPATH=off; stderr gets
 *                         "stats sendv N mcast M" (libqb sends made).
 *   fastring evil GROUP   a library client joins GROUP; raw clients then
 *                         misuse the ring one way each (a line each: the
 *                         answer, or whether the daemon closed them); the
 *                         library client still sends and receives after.
 *
 * libqb's qb_ipcc_sendv() and qb_ipcc_sendv_recv() are wrapped (the library
 * calls them through the PLT) to count the libqb sends.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <qb/qbipcc.h>
#include <corosync/cpg.h>

#define REQ_HELLO 0x43504700u
#define REQ_RING_OPEN 0x43504702u
#define REQ_RING_KICK 0x43504703u
#define RING_MAGIC 0x43505231u
#define RING_HDR 4096
#define RING_TAIL 64
#define RING_DATA 65536u
#define POLL_MS 10000

static unsigned long n_sendv;

ssize_t qb_ipcc_sendv(qb_ipcc_connection_t *c, const struct iovec *iov,
	size_t n)
{
	static ssize_t (*real)(qb_ipcc_connection_t *, const struct iovec *,
		size_t);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "qb_ipcc_sendv");
	n_sendv++;
	return real(c, iov, n);
}

ssize_t qb_ipcc_sendv_recv(qb_ipcc_connection_t *c, const struct iovec *iov,
	uint32_t n, void *res, size_t res_len, int32_t ms)
{
	static ssize_t (*real)(qb_ipcc_connection_t *, const struct iovec *,
		uint32_t, void *, size_t, int32_t);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "qb_ipcc_sendv_recv");
	n_sendv++;
	return real(c, iov, n, res, res_len, ms);
}

static cpg_handle_t h;
static unsigned long delivered, hashed;
static uint32_t hash = 2166136261u;
static unsigned long left_seen, fake_joined, fake_msgs, fake_msgs_at_leave;
#define FAKE_PID 4000000u
static int verbose = 1, quiet;	/* quiet: no confchg lines */

static uint32_t fnv(uint32_t s, const uint8_t *p, size_t n)
{
	while (n--)
		s = (s ^ *p++) * 16777619u;
	return s;
}

static void on_deliver(cpg_handle_t hd, const struct cpg_name *g,
	uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	(void)hd; (void)g; (void)nodeid;
	if (pid == FAKE_PID) {
		fake_msgs++;
		return;
	}
	delivered++;
	if (verbose) {
		printf("deliver len %zu sum %08x\n", len, fnv(2166136261u, msg,
			len));
		return;
	}
	hash = fnv(hash, (const uint8_t *)&len, sizeof(len));
	hash = fnv(hash, msg, len);
	hashed++;
}

static void on_confchg(cpg_handle_t hd, const struct cpg_name *g,
	const struct cpg_address *m, size_t nm, const struct cpg_address *l,
	size_t nl, const struct cpg_address *j, size_t nj)
{
	(void)hd; (void)m;
	if (!quiet)
		printf("confchg %.*s members %zu left %zu joined %zu\n",
		(int)g->length, g->value, nm, nl, nj);
	if (nj == 1 && j[0].pid == FAKE_PID)
		fake_joined = 1;
	if (nl == 1 && l[0].pid == FAKE_PID) {
		fake_msgs_at_leave = fake_msgs;
		left_seen = 1;
	} else if (nl == 1 && l[0].reason == CPG_REASON_LEAVE) {
		left_seen = 1;
	}
}

static int fail(const char *what, cs_error_t rc)
{
	fprintf(stderr, "fastring: %s: error %d\n", what, (int)rc);
	return 1;
}

static int readable(int ms)
{
	struct pollfd p = { .events = POLLIN };

	if (cpg_fd_get(h, &p.fd) != CS_OK)
		return -1;
	return poll(&p, 1, ms) > 0 && (p.revents & POLLIN);
}

static int wait_for(unsigned long *count, unsigned long want)
{
	while (*count < want)
		if (readable(POLL_MS) != 1 ||
		    cpg_dispatch(h, CS_DISPATCH_ALL) != CS_OK)
			return -1;
	return 0;
}

static void fill(uint8_t *buf, size_t len, unsigned long i)
{
	for (size_t k = 0; k < len; k++)
		buf[k] = (uint8_t)(i * 7 + k * 13);
}

static int init_join(const struct cpg_name *g)
{
	cpg_callbacks_t cb = { .cpg_deliver_fn = on_deliver,
		.cpg_confchg_fn = on_confchg };
	cs_error_t rc = cpg_initialize(&h, &cb);

	if (rc != CS_OK)
		return fail("initialize", rc);
	if ((rc = cpg_join(h, g)) != CS_OK)
		return fail("join", rc);
	return 0;
}

#define BURST 500
#define FLOOD_LEN 4000
#define FLOOD_TOTAL 12000

static int flow(const char *name)
{
	static uint8_t buf[FLOOD_LEN];
	struct iovec iov = { .iov_base = buf }, huge[2];
	struct cpg_name g;
	unsigned long i, mcasts = 0, first_again = 0;
	cs_error_t rc;

	g.length = (uint32_t)strlen(name);
	memcpy(g.value, name, g.length);
	if (init_join(&g))
		return 1;
	/* a burst, then the leave at once: every message before the leave */
	for (i = 0; i < BURST; i++) {
		iov.iov_len = i % 300;
		fill(buf, iov.iov_len, i);
		while ((rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1)) ==
		    CS_ERR_TRY_AGAIN)
			usleep(1000);
		if (rc != CS_OK)
			return fail("burst", rc);
		mcasts++;
	}
	printf("leave: %d\n", (int)cpg_leave(h, &g));
	while (!left_seen)
		if (readable(POLL_MS) != 1 ||
		    cpg_dispatch(h, CS_DISPATCH_ALL) != CS_OK)
			return fail("no leave seen", CS_ERR_TIMEOUT);
	printf("delivered before the leave: %lu\n", delivered);
	/* not joined: as on the standard path, taken and dropped */
	iov.iov_len = 10;
	printf("mcast unjoined: %d\n",
		(int)cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1));
	mcasts++;
	while (readable(300) == 1)
		cpg_dispatch(h, CS_DISPATCH_ALL);
	printf("join again: %d\n", (int)cpg_join(h, &g));

	/* into flow control: nothing taken until the first TRY_AGAIN */
	verbose = 0;
	delivered = 0;
	iov.iov_len = FLOOD_LEN;
	for (i = 0; i < FLOOD_TOTAL; ) {
		fill(buf, FLOOD_LEN, i);
		rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1);
		if (rc == CS_ERR_TRY_AGAIN) {
			if (!first_again)
				first_again = i + 1;
			cpg_dispatch(h, CS_DISPATCH_ALL);
			usleep(200);
			continue;
		}
		if (rc != CS_OK)
			return fail("flood", rc);
		mcasts++;
		i++;
		if (!first_again && i >= FLOOD_TOTAL)
			break;
	}
	printf("try again seen: %s\n", first_again ? "yes" : "no");
	if (wait_for(&delivered, FLOOD_TOTAL))
		return fail("flood deliveries", CS_ERR_TIMEOUT);
	printf("flood delivered %lu hash %08x\n", hashed, hash);

	/* argument errors, before anything reaches a ring */
	huge[0] = (struct iovec){ buf, (size_t)1 << 31 };
	huge[1] = (struct iovec){ buf, (size_t)1 << 31 };
	printf("too big: %d\n",
		(int)cpg_mcast_joined(h, CPG_TYPE_AGREED, huge, 2));
	printf("null iovec: %d\n",
		(int)cpg_mcast_joined(h, CPG_TYPE_AGREED, NULL, 1));
	printf("bad handle: %d\n",
		(int)cpg_mcast_joined(h + 12345, CPG_TYPE_AGREED, &iov, 1));
	/* a last one, then finalize: the daemon takes it before */
	left_seen = 0;
	printf("leave: %d\n", (int)cpg_leave(h, &g));
	if (wait_for(&left_seen, 1))
		return fail("second leave", CS_ERR_TIMEOUT);
	printf("finalize: %d\n", (int)cpg_finalize(h));
	fprintf(stderr, "stats sendv %lu mcast %lu\n", n_sendv, mcasts);
	return 0;
}

/* --- raw misuse */

static void put32(uint8_t *b, size_t off, uint32_t v) { memcpy(b + off, &v, 4); }

static ssize_t call(qb_ipcc_connection_t *c, uint8_t *req, size_t len,
	uint32_t *err)
{
	uint8_t res[64];
	struct iovec iov = { req, len };
	ssize_t n = qb_ipcc_sendv_recv(c, &iov, 1, res, sizeof(res), 3000);

	if (n >= 24)
		memcpy(err, res + 16, 4);
	return n;
}

/* Connect, speak version 2 (hello) and offer a ring: the connection, the
 * ring's mapping in *map, the answer's error in *err. */
static qb_ipcc_connection_t *raw_ring(int hello, int seal, uint8_t **map,
	uint32_t *err)
{
	qb_ipcc_connection_t *c = qb_ipcc_connect("cpg", 8192 * 128);
	uint8_t req[32] = { 0 };
	int fd;

	*err = 0;
	if (!c)
		return NULL;
	if (hello) {
		put32(req, 0, REQ_HELLO);
		put32(req, 8, 24);
		put32(req, 16, 2);
		if (call(c, req, 24, err) < 24)
			return c;
	}
	fd = memfd_create("evil", MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, RING_HDR + RING_DATA) < 0 ||
	    (seal && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0))
		return c;
	*map = mmap(NULL, RING_HDR + RING_DATA, PROT_READ | PROT_WRITE,
		MAP_SHARED, fd, 0);
	if (*map == MAP_FAILED)
		return c;
	put32(*map, 0, RING_MAGIC);
	memset(req, 0, sizeof(req));
	put32(req, 0, REQ_RING_OPEN);
	put32(req, 8, 32);
	put32(req, 16, (uint32_t)fd);
	put32(req, 20, RING_DATA);
	call(c, req, 32, err);
	return c;
}

static void kick(qb_ipcc_connection_t *c)
{
	uint8_t req[16] = { 0 };
	struct iovec iov = { req, sizeof(req) };

	put32(req, 0, REQ_RING_KICK);
	put32(req, 8, 16);
	qb_ipcc_sendv(c, &iov, 1);
}

/* Does the daemon still answer this connection? */
static const char *alive(qb_ipcc_connection_t *c)
{
	uint8_t req[16] = { 0 };
	uint32_t err = 0;

	put32(req, 0, 4);	/* LOCAL_GET */
	put32(req, 8, 16);
	return call(c, req, 16, &err) >= 24 && err == 1 ? "alive" : "closed";
}

/* An MCAST request of payload len at position at of the ring. */
static void entry(uint8_t *map, uint64_t at, uint32_t id, uint32_t size,
	uint32_t msglen)
{
	uint8_t *e = map + RING_HDR + (at & (RING_DATA - 1));

	memset(e, 0, 40);
	put32(e, 0, id);
	put32(e, 8, size);
	put32(e, 32, msglen);
}

static void set_tail(uint8_t *map, uint64_t tail)
{
	__atomic_store_n((uint64_t *)(void *)(map + RING_TAIL), tail,
		__ATOMIC_RELEASE);
}

static const char *group_name;

static void evil_case(const char *what)
{
	uint8_t *map = MAP_FAILED;
	uint32_t err;
	qb_ipcc_connection_t *c;
	int hello = strcmp(what, "no hello") != 0;
	int seal = strcmp(what, "unsealed") != 0;

	c = raw_ring(hello, seal, &map, &err);
	if (!c) {
		printf("%s: no connection\n", what);
		return;
	}
	printf("%s: ring open error %u", what, err);
	if (map == MAP_FAILED || err != 1) {
		printf(", %s\n", alive(c));
		qb_ipcc_disconnect(c);
		return;
	}
	if (strcmp(what, "good") == 0) {
		entry(map, 0, 2, 48, 8);	/* unjoined: dropped */
		set_tail(map, 48);
	} else if (strcmp(what, "index") == 0) {
		set_tail(map, 2 * (uint64_t)RING_DATA);
	} else if (strcmp(what, "unaligned") == 0) {
		entry(map, 0, 2, 48, 8);
		set_tail(map, 44);
	} else if (strcmp(what, "oversize") == 0) {
		entry(map, 0, 2, 8u << 20, (8u << 20) - 40);
		set_tail(map, 48);
	} else if (strcmp(what, "short write") == 0) {
		entry(map, 0, 2, 1000, 960);
		set_tail(map, 48);
	} else if (strcmp(what, "not mcast") == 0) {
		entry(map, 0, 0, 168, 0);	/* a JOIN */
		set_tail(map, 168);
	} else if (strcmp(what, "bad mcast") == 0) {
		entry(map, 0, 2, 48, 4000);	/* msglen beyond it */
		set_tail(map, 48);
	} else if (strcmp(what, "order") == 0) {
		/* joined (as a pid of its own), three messages in the ring
		 * and no kick, then a LEAVE: the daemon takes the ring first,
		 * so the bystander sees the three before the leave */
		uint8_t req[168] = { 0 };
		uint64_t at = 0;

		put32(req, 0, 0);		/* JOIN */
		put32(req, 8, 168);
		put32(req, 16, (uint32_t)strlen(group_name));
		memcpy(req + 24, group_name, strlen(group_name));
		put32(req, 152, FAKE_PID);
		fake_joined = 0;
		if (call(c, req, 168, &err) < 24 || err != 1 ||
		    wait_for(&fake_joined, 1)) {
			/* a leave before the join is delivered is BUSY */
			printf(", join refused or not seen\n");
			qb_ipcc_disconnect(c);
			return;
		}
		for (int k = 0; k < 3; k++) {
			entry(map, at, 2, 48, 8);
			at += 48;
		}
		set_tail(map, at);
		put32(req, 0, 1);		/* LEAVE */
		put32(req, 8, 160);
		if (call(c, req, 160, &err) < 24)
			err = 0;
		left_seen = 0;
		{
			int seen = wait_for(&left_seen, 1) == 0;

			printf(", leave error %u, %lu before the leave%s, %s\n",
				err, fake_msgs_at_leave,
				seen ? "" : " (no leave seen)", alive(c));
		}
		qb_ipcc_disconnect(c);
		return;
	} else if (strcmp(what, "dies mid-write") == 0) {
		pid_t p = fork();

		if (p == 0) {
			/* half an entry, the tail never moved */
			entry(map, 0, 2, 4096, 4056);
			_exit(0);
		}
		waitpid(p, NULL, 0);
		entry(map, 0, 2, 4096, 4056);
		qb_ipcc_disconnect(c);	/* dies: the connection goes */
		printf(", gone\n");
		return;
	}
	kick(c);
	printf(", %s\n", alive(c));
	qb_ipcc_disconnect(c);
}

static int evil(const char *name)
{
	static const char *const cases[] = { "good", "order", "no hello",
		"unsealed",
		"index", "unaligned", "oversize", "short write", "not mcast",
		"bad mcast", "dies mid-write" };
	struct cpg_name g;
	uint8_t buf[32] = "still here";
	struct iovec iov = { buf, sizeof(buf) };
	cs_error_t rc;

	g.length = (uint32_t)strlen(name);
	memcpy(g.value, name, g.length);
	group_name = name;
	quiet = 1;
	if (init_join(&g))
		return 1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		evil_case(cases[i]);
		fflush(stdout);
	}
	/* the bystander: joined all along, still served */
	delivered = 0;
	if ((rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1)) != CS_OK)
		return fail("bystander mcast", rc);
	if (wait_for(&delivered, 1))
		return fail("bystander delivery", CS_ERR_TIMEOUT);
	printf("bystander: ok\n");
	cpg_finalize(h);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "flow") == 0)
		return flow(argv[2]);
	if (argc == 3 && strcmp(argv[1], "evil") == 0)
		return evil(argv[2]);
	fprintf(stderr, "usage: %s flow|evil GROUP\n", argv[0]);
	return 64;
}
