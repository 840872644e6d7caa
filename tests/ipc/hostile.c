/*
 * hostile: clients a daemon must survive or refuse, over raw libqb IPC.
 *
 *   hostile refused          connecting to "cpg" and "cfg" fails with
 *                            EACCES (run as a user the daemon does not allow)
 *   hostile allowed FILE     an allowed user joins, sends and receives its
 *                            own message; a zero-copy request naming FILE
 *                            (someone else's, of the right size) is refused
 *                            with CS_ERR_ACCESS, its own file is taken
 *   hostile connloop N       N connects and disconnects in a tight loop,
 *                            every other one joined; a bystander still works
 *   hostile many N           N clients at once, each joined to a group of
 *                            its own and answered; then all close at once
 *   hostile fragkill         a sender killed between the first and the last
 *                            fragment of a message: the members see it leave
 *                            (PROCDOWN) and never get a piece of the message
 *   hostile stuck PID MB     a member that never reads its events while two
 *                            others keep exchanging messages: their median
 *                            rate over 10 rounds of 3,000 messages stays at
 *                            least a third of their median rate over 5
 *                            rounds without it (medians: a round slowed by
 *                            other load on the machine moves them little),
 *                            and the daemon (PID) grows by less than MB MiB
 *   hostile limit N CMD      N + 1 connections to a daemon that allows N:
 *                            the last is refused, the others work; CMD runs
 *                            (and must exit 0) while the N are held
 *   hostile limits           a name of 129 bytes, a fragmented message over
 *                            256 MiB, 65 iterations, 65 zero-copy buffers,
 *                            a 385th member of a group, a multicast over
 *                            the payload limit: each
 *                            gets its error (the last a closed connection)
 *
 * Exit 0 when every check passed.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <qb/qbipcc.h>

#define RAW_PROG "hostile"
#include "ipc_raw.h"



enum { CS_OK = 1, CS_ERR_ACCESS = 11, CS_ERR_NAME_TOO_LONG = 13,
       CS_ERR_NO_RESOURCES = 18, CS_ERR_TOO_BIG = 26 };
enum { REQ_JOIN = 0, REQ_MCAST = 2, REQ_LOCAL_GET = 4, REQ_ZC_ALLOC = 9,
       REQ_PARTIAL = 12 };
enum { EV_CONFCHG = 4, EV_DELIVER = 5, EV_PARTIAL = 17 };
enum { REASON_PROCDOWN = 5 };



static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void send_raw(qb_ipcc_connection_t *c, const void *b, size_t len)
{
	ssize_t rc;
	double end = now_s() + 10;

	/* EAGAIN is libqb's flow control: wait for room, as libcpg does */
	while ((rc = qb_ipcc_send(c, b, len)) == -EAGAIN && now_s() < end)
		usleep(1000);
	if (rc != (ssize_t)len)
		FAIL("qb_ipcc_send(%zu) = %zd", len, rc);
}

static uint32_t response(qb_ipcc_connection_t *c, uint32_t want_id)
{
	ssize_t rc = qb_ipcc_recv(c, rbuf, BUFSZ, 5000);

	if (rc < 24)
		FAIL("no response (%zd)", rc);
	if (get32(rbuf, 0) != want_id)
		FAIL("response id %u, expected %u", get32(rbuf, 0), want_id);
	return get32(rbuf, 16);
}

static void join(qb_ipcc_connection_t *c, const char *g, uint32_t pid)
{
	uint8_t b[168] = { 0 };
	uint32_t err;

	hdr(b, REQ_JOIN, sizeof(b));
	put32(b, 16, (uint32_t)strlen(g));
	memcpy(b + 24, g, strlen(g));
	put32(b, 152, pid);
	send_raw(c, b, sizeof(b));
	err = response(c, 0);
	if (err != CS_OK)
		FAIL("join %s: error %u", g, err);
}

static void mcast(qb_ipcc_connection_t *c, const void *p, uint32_t len)
{
	uint8_t *b = calloc(1, 40 + len);

	CHECK(b);
	hdr(b, REQ_MCAST, 40 + len);
	put32(b, 24, 1);	/* CPG_TYPE_AGREED */
	put32(b, 32, len);
	memcpy(b + 40, p, len);
	send_raw(c, b, 40 + len);
	free(b);
}

static void partial(qb_ipcc_connection_t *c, uint32_t msglen, uint32_t fraglen,
		    uint32_t type)
{
	uint8_t *b = calloc(1, 56 + fraglen);

	CHECK(b);
	hdr(b, REQ_PARTIAL, 56 + fraglen);
	put32(b, 24, 1);
	put32(b, 32, msglen);
	put32(b, 40, fraglen);
	put32(b, 48, type);
	memset(b + 56, 'k', fraglen);
	send_raw(c, b, 56 + fraglen);
	free(b);
}

static void local_get(qb_ipcc_connection_t *c)
{
	uint8_t b[16] = { 0 };

	hdr(b, REQ_LOCAL_GET, sizeof(b));
	send_raw(c, b, sizeof(b));
	if (response(c, 7) != CS_OK)
		FAIL("LOCAL_GET refused");
}

static uint32_t zc_alloc(qb_ipcc_connection_t *c, const char *path,
			 uint64_t size)
{
	uint8_t b[152] = { 0 };

	hdr(b, REQ_ZC_ALLOC, sizeof(b));
	put64(b, 16, size);
	snprintf((char *)b + 24, 128, "%s", path);
	send_raw(c, b, sizeof(b));
	return response(c, 14);
}

/* Send a short message and wait for it to come back. */
static void echo(qb_ipcc_connection_t *c, const char *msg)
{
	size_t len = strlen(msg);
	int i;

	mcast(c, msg, (uint32_t)len);
	for (i = 0; i < 100000; i++) {
		ssize_t n = event(c, EV_DELIVER);

		if (n == 184 + (ssize_t)len && memcmp(rbuf + 184, msg, len) == 0)
			return;
	}
	FAIL("own message %s never came back", msg);
}

static int do_refused(void)
{
	const char *svc[] = { "cpg", "cfg" };
	unsigned i;

	for (i = 0; i < 2; i++) {
		qb_ipcc_connection_t *c = qb_ipcc_connect(svc[i], BUFSZ);

		if (c)
			FAIL("uid %u was let into \"%s\"", (unsigned)getuid(), svc[i]);
		if (errno != EACCES)
			FAIL("\"%s\" refused with %s, not EACCES", svc[i],
			     strerror(errno));
	}
	printf("refused uid %u with EACCES\n", (unsigned)getuid());
	return 0;
}

static int do_allowed(const char *foreign)
{
	qb_ipcc_connection_t *c = conn();
	char path[] = "/dev/shm/hostile-zc-XXXXXX";
	FILE *f;
	long size;
	int fd;

	join(c, "access", (uint32_t)getpid());
	event(c, EV_CONFCHG);
	echo(c, "allowed");
	/* someone else's file of exactly the announced size */
	f = fopen(foreign, "r");
	if (!f)
		FAIL("cannot open %s: %s", foreign, strerror(errno));
	CHECK(fseek(f, 0, SEEK_END) == 0);
	size = ftell(f);
	fclose(f);
	CHECK(size > 0);
	if (zc_alloc(c, foreign, (uint64_t)size) != CS_ERR_ACCESS)
		FAIL("zero-copy of %s (not ours) not refused", foreign);
	/* its own file is fine */
	fd = mkstemp(path);
	CHECK(fd >= 0 && ftruncate(fd, 4096) == 0);
	if (zc_alloc(c, path, 4096) != CS_OK)
		FAIL("zero-copy of our own %s refused", path);
	unlink(path);
	close(fd);
	echo(c, "still-allowed");
	qb_ipcc_disconnect(c);
	printf("uid %u allowed; foreign zero-copy file refused\n",
	       (unsigned)getuid());
	return 0;
}

static int do_connloop(int n)
{
	qb_ipcc_connection_t *by = conn();
	double t0 = now_s();
	int i;

	join(by, "loop", 1);
	event(by, EV_CONFCHG);
	for (i = 0; i < n; i++) {
		qb_ipcc_connection_t *c = conn();

		if (i % 2) {
			uint8_t b[168] = { 0 };

			/* join and go without waiting for the answer */
			hdr(b, REQ_JOIN, sizeof(b));
			put32(b, 16, 4);
			memcpy(b + 24, "loop", 4);
			put32(b, 152, 100000 + (uint32_t)i);
			send_raw(c, b, sizeof(b));
		}
		qb_ipcc_disconnect(c);
	}
	echo(by, "bystander");
	qb_ipcc_disconnect(by);
	printf("%d connects and disconnects in %.1f s\n", n, now_s() - t0);
	return 0;
}

static int do_many(int n)
{
	qb_ipcc_connection_t **c = calloc((size_t)n, sizeof(*c));
	double t0 = now_s();
	char g[32];
	int i;

	CHECK(c);
	for (i = 0; i < n; i++) {
		c[i] = conn();
		snprintf(g, sizeof(g), "many-%d", i);
		join(c[i], g, (uint32_t)i + 1);
	}
	for (i = 0; i < n; i++) {
		event(c[i], EV_CONFCHG);
		local_get(c[i]);
	}
	echo(c[0], "first");
	echo(c[n - 1], "last");
	for (i = 0; i < n; i++)
		qb_ipcc_disconnect(c[i]);
	free(c);
	/* and the daemon still takes a new one */
	c = calloc(1, sizeof(*c));
	c[0] = conn();
	join(c[0], "many-again", 1);
	event(c[0], EV_CONFCHG);
	echo(c[0], "again");
	qb_ipcc_disconnect(c[0]);
	free(c);
	printf("%d clients at once in %.1f s\n", n, now_s() - t0);
	return 0;
}

static int do_fragkill(void)
{
	qb_ipcc_connection_t *m = conn();
	int ready[2];
	pid_t child;
	char x;
	int i;

	join(m, "frag", 1);
	event(m, EV_CONFCHG);
	CHECK(pipe(ready) == 0);
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		qb_ipcc_connection_t *k = conn();

		join(k, "frag", 2);
		event(k, EV_CONFCHG);	/* a confchg between fragments interrupts */
		partial(k, 3 * 400000, 400000, 1);
		if (response(k, 18) != CS_OK)
			_exit(1);
		partial(k, 3 * 400000, 400000, 2);
		if (response(k, 18) != CS_OK)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &x, 1) != 1)
		FAIL("the fragment sender did not get its fragments taken");
	kill(child, SIGKILL);
	CHECK(waitpid(child, NULL, 0) == child);
	/* its join, then its PROCDOWN, and no piece of its message */
	for (i = 0; i < 2; i++) {
		ssize_t n = qb_ipcc_event_recv(m, rbuf, BUFSZ, 5000);

		if (n < 24)
			FAIL("no confchg after the kill (%zd)", n);
		if (get32(rbuf, 0) == EV_DELIVER || get32(rbuf, 0) == EV_PARTIAL)
			FAIL("a piece of an unfinished message was delivered");
		if (get32(rbuf, 0) != EV_CONFCHG)
			FAIL("unexpected event %u", get32(rbuf, 0));
		if (i == 1 && (get32(rbuf, 176) != 1 ||
			       get32(rbuf, 184 + 24 * get32(rbuf, 160) + 16) !=
			       REASON_PROCDOWN))
			FAIL("the killed sender did not leave with PROCDOWN");
	}
	echo(m, "after-kill");
	qb_ipcc_disconnect(m);
	printf("sender killed mid-message: PROCDOWN, nothing delivered\n");
	return 0;
}

static long rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		FAIL("cannot read %s", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* a sends `n` messages of `len` bytes, b reads them all; messages/s. */
static double exchange(qb_ipcc_connection_t *a, qb_ipcc_connection_t *b,
		       int n, uint32_t len)
{
	uint8_t *msg = calloc(1, len);
	double t0 = now_s();
	int sent = 0, got = 0;

	CHECK(msg);
	while (got < n) {
		/* keep at most 64 messages in flight, as a paced sender does */
		while (sent < n && sent - got < 64) {
			memcpy(msg, &sent, sizeof(sent));
			mcast(a, msg, len);
			sent++;
		}
		event(b, EV_DELIVER);
		got++;
		/* a reads its own deliveries too, a step behind */
		event(a, EV_DELIVER);
	}
	free(msg);
	return n / (now_s() - t0);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* The median of n rates (sorts them): one round slowed by another
 * process's burst on a shared machine moves it little. */
static double median(double *r, int n)
{
	qsort(r, (size_t)n, sizeof(*r), cmp_double);
	return n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
}

#define STUCK_ROUNDS 10

static int do_stuck(pid_t daemon_pid, long bound_mib)
{
	qb_ipcc_connection_t *a = conn(), *b = conn(), *s;
	double alone[STUCK_ROUNDS / 2], beside[STUCK_ROUNDS], base, with;
	long rss0, rss_max = 0;
	int round;

	join(a, "stuck", 1);
	event(a, EV_CONFCHG);
	join(b, "stuck", 2);
	event(b, EV_CONFCHG);
	event(a, EV_CONFCHG);
	for (round = 0; round < STUCK_ROUNDS / 2; round++)
		alone[round] = exchange(a, b, 3000, 4096);
	base = median(alone, STUCK_ROUNDS / 2);
	rss0 = rss_kib(daemon_pid);
	s = conn();
	join(s, "stuck", 3);	/* the answer is read; its events never are */
	event(a, EV_CONFCHG);
	event(b, EV_CONFCHG);
	for (round = 0; round < STUCK_ROUNDS; round++) {
		long rss;

		beside[round] = exchange(a, b, 3000, 4096);
		rss = rss_kib(daemon_pid);
		printf("round %d: %.0f msg/s, daemon RSS %ld KiB\n", round,
		       beside[round], rss);
		if (rss > rss_max)
			rss_max = rss;
	}
	with = median(beside, STUCK_ROUNDS);
	printf("median rate %.0f msg/s alone (%d rounds of 3000), %.0f msg/s "
	       "beside a stuck member (%d rounds); daemon RSS %ld KiB then at "
	       "most %ld KiB\n", base, STUCK_ROUNDS / 2, with, STUCK_ROUNDS,
	       rss0, rss_max);
	if (with < base / 3)
		FAIL("a stuck member slowed the others from %.0f to %.0f msg/s "
		     "(medians)", base, with);
	if (rss_max - rss0 > bound_mib * 1024)
		FAIL("the daemon grew by %ld KiB, over %ld MiB",
		     rss_max - rss0, bound_mib);
	qb_ipcc_disconnect(s);
	qb_ipcc_disconnect(a);
	qb_ipcc_disconnect(b);
	return 0;
}

static int do_limit(int n, const char *cmd)
{
	qb_ipcc_connection_t **c = calloc((size_t)n, sizeof(*c));
	qb_ipcc_connection_t *over;
	int i;

	CHECK(c);
	for (i = 0; i < n; i++) {
		c[i] = conn();
		local_get(c[i]);
	}
	over = qb_ipcc_connect("cpg", BUFSZ);
	if (over)
		FAIL("connection %d of at most %d was let in", n + 1, n);
	printf("connection %d refused: %s\n", n + 1, strerror(errno));
	if (system(cmd) != 0)
		FAIL("%s failed while the daemon was full", cmd);
	local_get(c[0]);
	qb_ipcc_disconnect(c[n - 1]);
	/* one closed: room for one again */
	for (i = 0; i < 50; i++) {
		over = qb_ipcc_connect("cpg", BUFSZ);
		if (over)
			break;
		usleep(100000);
	}
	if (!over)
		FAIL("no room after a client left");
	local_get(over);
	qb_ipcc_disconnect(over);
	for (i = 0; i < n - 1; i++)
		qb_ipcc_disconnect(c[i]);
	free(c);
	return 0;
}

/* Read whatever events are waiting, without blocking. */
static void drain(qb_ipcc_connection_t *c)
{
	while (qb_ipcc_event_recv(c, rbuf, BUFSZ, 0) > 0)
		;
}

static uint32_t join_err(qb_ipcc_connection_t *c, const char *g, uint32_t len,
			 uint32_t pid)
{
	uint8_t b[168] = { 0 };

	hdr(b, REQ_JOIN, sizeof(b));
	put32(b, 16, len);
	memcpy(b + 24, g, strlen(g) < 128 ? strlen(g) : 128);
	put32(b, 152, pid);
	send_raw(c, b, sizeof(b));
	return response(c, 0);
}

static int do_limits(void)
{
	enum { MEMBERS = 384 };
	qb_ipcc_connection_t *c = conn(), **m;
	char longname[200];
	uint32_t err;
	int i;

	/* a name of 129 bytes */
	memset(longname, 'n', sizeof(longname));
	longname[129] = 0;
	err = join_err(c, longname, 129, 1);
	if (err != CS_ERR_NAME_TOO_LONG)
		FAIL("join with a 129-byte name: error %u", err);
	/* a fragmented message longer than 256 MiB */
	join(c, "limits", 1);
	event(c, EV_CONFCHG);
	partial(c, (256u << 20) + 1, 1000, 1);
	err = response(c, 18);
	if (err != CS_ERR_TOO_BIG)
		FAIL("fragment of a 256 MiB + 1 message: error %u", err);
	partial(c, 256u << 20, 1000, 1);	/* the limit itself is fine */
	if (response(c, 18) != CS_OK)
		FAIL("fragment of a 256 MiB message refused");
	/* iterations: 64 open at once */
	for (i = 0; i < 65; i++) {
		uint8_t b[160] = { 0 };

		hdr(b, 5, sizeof(b));
		put32(b, 152, 1);	/* NAME_ONLY */
		send_raw(c, b, sizeof(b));
		err = response(c, 9);
		if (i < 64 && err != CS_OK)
			FAIL("iteration %d refused: %u", i + 1, err);
		if (i == 64 && err != CS_ERR_NO_RESOURCES)
			FAIL("iteration 65: error %u", err);
	}
	/* zero-copy buffers: 64 at once */
	for (i = 0; i < 65; i++) {
		char path[] = "/dev/shm/hostile-lim-XXXXXX";
		int fd = mkstemp(path);

		CHECK(fd >= 0 && ftruncate(fd, 4096) == 0);
		err = zc_alloc(c, path, 4096);
		unlink(path);
		close(fd);
		if (i < 64 && err != CS_OK)
			FAIL("zero-copy buffer %d refused: %u", i + 1, err);
		if (i == 64 && err != CS_ERR_NO_RESOURCES)
			FAIL("zero-copy buffer 65: error %u", err);
	}
	echo(c, "after-limits");
	/* members of one group */
	m = calloc(MEMBERS + 1, sizeof(*m));
	CHECK(m);
	for (i = 0; i <= MEMBERS; i++) {
		int j;

		m[i] = conn();
		err = join_err(m[i], "full", 4, 1000 + (uint32_t)i);
		if (i < MEMBERS && err != CS_OK)
			FAIL("member %d refused: %u", i + 1, err);
		if (i == MEMBERS && err != CS_ERR_NO_RESOURCES)
			FAIL("member %d: error %u", i + 1, err);
		for (j = 0; j < i; j++)
			drain(m[j]);
	}
	for (i = 0; i <= MEMBERS; i++)
		qb_ipcc_disconnect(m[i]);
	free(m);
	/* a multicast payload over the limit: no response to carry an error,
	 * so the connection is closed */
	{
		uint32_t len = BUFSZ - 1024 + 1;
		uint8_t *b = calloc(1, 40 + len);
		int k;

		CHECK(b);
		hdr(b, REQ_MCAST, 40 + len);
		put32(b, 24, 1);
		put32(b, 32, len);
		send_raw(c, b, 40 + len);
		free(b);
		/* up to 30 s: a daemon under valgrind is still busy with
		 * the members above */
		for (k = 0; k < 300 && qb_ipcc_is_connected(c); k++) {
			qb_ipcc_event_recv(c, rbuf, BUFSZ, 100);
		}
		if (qb_ipcc_is_connected(c))
			FAIL("an oversized multicast did not close its connection");
	}
	qb_ipcc_disconnect(c);
	printf("every limit answered with its error\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	rbuf = malloc(BUFSZ);
	if (!rbuf)
		return 1;
	if (argc == 2 && !strcmp(argv[1], "refused"))
		return do_refused();
	if (argc == 3 && !strcmp(argv[1], "allowed"))
		return do_allowed(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "connloop"))
		return do_connloop(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "many"))
		return do_many(atoi(argv[2]));
	if (argc == 2 && !strcmp(argv[1], "fragkill"))
		return do_fragkill();
	if (argc == 4 && !strcmp(argv[1], "stuck"))
		return do_stuck((pid_t)atoi(argv[2]), atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "limit"))
		return do_limit(atoi(argv[2]), argv[3]);
	if (argc == 2 && !strcmp(argv[1], "limits"))
		return do_limits();
	FAIL("usage: hostile refused | allowed FILE | connloop N | many N | "
	     "fragkill | stuck DAEMON_PID MIB | limit N CMD | limits");
	return 2;
}
