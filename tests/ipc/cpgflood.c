/*
 * cpgflood: programs that send faster than they read, as users write them,
 * are held back and never disconnected.  Built twice from this source:
 * against this project's libcpg (cpgflood) and against Debian's unchanged
 * libcpg (cpgflood_sys).
 *
 *   cpgflood flood SIZE SECONDS
 *       one thread calls cpg_mcast_joined() in a tight loop (retrying on
 *       CS_ERR_TRY_AGAIN) for SECONDS while another runs
 *       cpg_dispatch(CS_DISPATCH_BLOCKING); every message of SIZE bytes
 *       must come back, whole, in the order sent, and no call may fail
 *       otherwise.  Prints whether cpg_flow_control_state_get() was
 *       seen saying "enabled" (checked after each delivery).
 *       CPGFLOOD_READ_DELAY_US=N: the deliver callback then sleeps N
 *       microseconds, a reader slower than the sender for certain.
 *       CPGFLOOD_GROUP names the group (default flood-SIZE).
 *   cpgflood alldispatch SIZE MIB [SECONDS]
 *       one thread: each turn calls cpg_mcast_joined() once and then
 *       cpg_dispatch(CS_DISPATCH_ALL) once, until MIB MiB were sent and
 *       SECONDS (default 0) passed; the same checks.
 *   cpgflood stuck CYCLES
 *       a member sends messages and reads them back; then a child process
 *       joins the group and never dispatches: the member keeps at least a
 *       third of its rate, and sees the child, and only it, leave with
 *       PROCDOWN.  CYCLES times: rounds of 500 messages of 4 KiB alone,
 *       then beside a new child until the daemon closes it; a cycle's
 *       ratio is the median rate beside over the median of the rounds
 *       alone just before and just after, and the median of the cycles'
 *       ratios decides.
 *   cpgflood slowread GROUP SECONDS
 *       join GROUP and read its messages slowly (CPGFLOOD_READ_DELAY_US,
 *       default 1000, asleep after each delivery) until 3 s pass without
 *       one after the first, or SECONDS in all; fail if the connection
 *       breaks.  Prints the number of messages read.
 *
 * Prints one line of figures; exit 0 when every check passed.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <corosync/cpg.h>

#define FAIL(...) fail_at(__LINE__, __VA_ARGS__)
#define CHECK_CS(call) do { cs_error_t e_ = (call); \
	if (e_ != CS_OK) FAIL("%s = %d", #call, (int)e_); } while (0)

static void fail_at(int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cpgflood[%d]:%d: ", (int)getpid(), line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void group_set(struct cpg_name *g, const char *name)
{
	memset(g, 0, sizeof(*g));
	g->length = (uint32_t)strlen(name);
	memcpy(g->value, name, g->length);
}

/* ---- flood and alldispatch: one handle reading back its own messages */

struct flood {
	cpg_handle_t h;
	size_t size;
	uint8_t *tmpl;		/* the message, but for its sequence number */
	atomic_uint_fast64_t sent, got;
	atomic_int fc_seen;
	uint32_t my_pid;
	long delay_us;
};

static struct flood F;

static void put_seq(uint8_t *b, size_t size, uint64_t seq)
{
	memcpy(b, &seq, sizeof(seq));
	if (size >= 16)
		memcpy(b + size - 8, &seq, sizeof(seq));
}

static void flood_deliver(cpg_handle_t h, const struct cpg_name *g,
			  uint32_t nodeid, uint32_t pid, void *msg,
			  size_t len)
{
	uint64_t want = atomic_load(&F.got), seq;
	cpg_flow_control_state_t fc;

	(void)g;
	(void)nodeid;
	if (pid != F.my_pid)
		return;
	if (len != F.size)
		FAIL("message %" PRIu64 ": %zu bytes, sent %zu", want, len,
		     F.size);
	memcpy(&seq, msg, sizeof(seq));
	if (seq != want)
		FAIL("message %" PRIu64 " came as number %" PRIu64
		     " (lost or out of order)", want, seq);
	if (F.size >= 16 &&
	    (memcmp((uint8_t *)msg + 8, F.tmpl + 8, F.size - 16) ||
	     memcmp((uint8_t *)msg + F.size - 8, &seq, 8)))
		FAIL("message %" PRIu64 ": content differs", want);
	atomic_store(&F.got, want + 1);
	if (cpg_flow_control_state_get(h, &fc) == CS_OK &&
	    fc == CPG_FLOW_CONTROL_ENABLED)
		atomic_store(&F.fc_seen, 1);
	if (F.delay_us > 0) {
		struct timespec ts = { F.delay_us / 1000000,
				       (F.delay_us % 1000000) * 1000 };

		nanosleep(&ts, NULL);
	}
}

static cpg_callbacks_t flood_cb = { .cpg_deliver_fn = flood_deliver };

static void flood_setup(const char *name, size_t size)
{
	struct cpg_name g;
	size_t i;

	F.size = size;
	F.my_pid = (uint32_t)getpid();
	F.delay_us = getenv("CPGFLOOD_READ_DELAY_US")
		? atol(getenv("CPGFLOOD_READ_DELAY_US")) : 0;
	F.tmpl = malloc(size);
	if (!F.tmpl)
		FAIL("no memory");
	for (i = 0; i < size; i++)
		F.tmpl[i] = (uint8_t)(i * 7 + 3);
	CHECK_CS(cpg_initialize(&F.h, &flood_cb));
	group_set(&g, name);
	CHECK_CS(cpg_join(F.h, &g));
}

/* One send: 1 sent, 0 TRY_AGAIN; anything else fails the test. */
static int flood_send_one(uint8_t *buf)
{
	struct iovec iov = { .iov_base = buf, .iov_len = F.size };
	uint64_t seq = atomic_load(&F.sent);
	cs_error_t e;

	put_seq(buf, F.size, seq);
	e = cpg_mcast_joined(F.h, CPG_TYPE_AGREED, &iov, 1);
	if (e == CS_ERR_TRY_AGAIN)
		return 0;
	if (e != CS_OK)
		FAIL("cpg_mcast_joined of message %" PRIu64 " = %d (disconnected?)",
		     seq, (int)e);
	atomic_store(&F.sent, seq + 1);
	return 1;
}

static void *dispatch_thread(void *arg)
{
	cs_error_t e;

	(void)arg;
	e = cpg_dispatch(F.h, CS_DISPATCH_BLOCKING);
	FAIL("cpg_dispatch(CS_DISPATCH_BLOCKING) returned %d: disconnected",
	     (int)e);
	return NULL;
}

static void report(const char *what, double secs, uint64_t tries)
{
	double mib = (double)atomic_load(&F.got) * (double)F.size / 1048576.0;

	printf("%s size %zu%s: %" PRIu64 " messages (%.1f MiB) in %.1f s, "
	       "%.0f msg/s, %.1f MiB/s, %" PRIu64 " TRY_AGAIN, flow control "
	       "seen on: %s\n", what, F.size,
	       F.delay_us ? " (slow reader)" : "", (uint64_t)atomic_load(&F.got),
	       mib, secs, (double)atomic_load(&F.got) / secs, mib / secs,
	       tries, atomic_load(&F.fc_seen) ? "yes" : "no");
}

/* Every message sent must come back within 30 s.  With dispatch, this
 * thread dispatches meanwhile (no other does); else another thread does. */
static void all_back(int dispatch)
{
	double end = now_s() + 30;
	cs_error_t e;

	while (atomic_load(&F.got) < atomic_load(&F.sent)) {
		if (now_s() > end)
			FAIL("%" PRIu64 " of %" PRIu64 " messages came back",
			     (uint64_t)atomic_load(&F.got),
			     (uint64_t)atomic_load(&F.sent));
		if (!dispatch) {
			usleep(1000);
			continue;
		}
		e = cpg_dispatch(F.h, CS_DISPATCH_ALL);
		if (e != CS_OK)
			FAIL("cpg_dispatch(CS_DISPATCH_ALL) = %d", (int)e);
		usleep(200);
	}
}

static int do_flood(size_t size, double secs)
{
	pthread_t t;
	uint8_t *buf;
	uint64_t tries = 0;
	double t0, end;
	char name[64];

	if (getenv("CPGFLOOD_GROUP"))
		snprintf(name, sizeof(name), "%s", getenv("CPGFLOOD_GROUP"));
	else
		snprintf(name, sizeof(name), "flood-%zu", size);
	flood_setup(name, size);
	buf = malloc(size);
	if (!buf)
		FAIL("no memory");
	memcpy(buf, F.tmpl, size);
	if (pthread_create(&t, NULL, dispatch_thread, NULL))
		FAIL("pthread_create");
	t0 = now_s();
	end = t0 + secs;
	while (now_s() < end)
		if (!flood_send_one(buf))
			tries++;
	all_back(0);	/* every message sent must come back */
	report("flood", now_s() - t0, tries);
	printf("sent %" PRIu64 "\n", (uint64_t)atomic_load(&F.sent));
	/* the dispatching thread blocks for good: leave without finalizing,
	 * as a program that exits does */
	fflush(stdout);
	_exit(0);
}

static int do_alldispatch(size_t size, double mib, double secs)
{
	uint8_t *buf;
	uint64_t tries = 0, want = (uint64_t)(mib * 1048576.0 / (double)size);
	double t0;
	cs_error_t e;

	flood_setup("alldispatch", size);
	buf = malloc(size);
	if (!buf)
		FAIL("no memory");
	memcpy(buf, F.tmpl, size);
	if (want < 1)
		want = 1;
	t0 = now_s();
	while (atomic_load(&F.sent) < want || now_s() < t0 + secs) {
		if (!flood_send_one(buf))
			tries++;
		e = cpg_dispatch(F.h, CS_DISPATCH_ALL);
		if (e != CS_OK)
			FAIL("cpg_dispatch(CS_DISPATCH_ALL) = %d after %" PRIu64
			     " messages", (int)e, (uint64_t)atomic_load(&F.sent));
	}
	all_back(1);
	report("alldispatch", now_s() - t0, tries);
	CHECK_CS(cpg_finalize(F.h));
	free(buf);
	free(F.tmpl);
	return 0;
}

/* ---- stuck: a member exchanging beside a member that never reads */

struct pair {
	cpg_handle_t a;
	uint64_t got;
	uint32_t stuck_pid;
	int stuck_joined, stuck_left, others_left;
};

static struct pair P;

static void pair_deliver(cpg_handle_t h, const struct cpg_name *g,
			 uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	(void)g;
	(void)nodeid;
	(void)msg;
	(void)len;
	if (h == P.a && pid == (uint32_t)getpid())
		P.got++;
}

static void pair_confchg(cpg_handle_t h, const struct cpg_name *g,
			 const struct cpg_address *m, size_t nm,
			 const struct cpg_address *l, size_t nl,
			 const struct cpg_address *j, size_t nj)
{
	size_t i;

	(void)g;
	(void)m;
	(void)nm;
	if (h != P.a || !P.stuck_pid)
		return;
	for (i = 0; i < nj; i++)
		if (j[i].pid == P.stuck_pid)
			P.stuck_joined = 1;
	for (i = 0; i < nl; i++) {
		if (l[i].pid == P.stuck_pid &&
		    l[i].reason == CPG_REASON_PROCDOWN)
			P.stuck_left = 1;
		else
			P.others_left = 1;
	}
}

static cpg_callbacks_t pair_cb = {
	.cpg_deliver_fn = pair_deliver,
	.cpg_confchg_fn = pair_confchg,
};

static void pair_dispatch(void)
{
	cs_error_t e = cpg_dispatch(P.a, CS_DISPATCH_ALL);

	if (e != CS_OK)
		FAIL("cpg_dispatch = %d: a reading member was disconnected",
		     (int)e);
}

/* a sends n messages of 4 KiB and reads them back; messages per second */
static double exchange(int n)
{
	static uint8_t buf[4096];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	uint64_t want = P.got + (uint64_t)n;
	double t0 = now_s(), end = t0 + 60;
	int sent = 0;

	while (P.got < want) {
		if (sent < n) {
			cs_error_t e = cpg_mcast_joined(P.a, CPG_TYPE_AGREED,
							&iov, 1);

			if (e == CS_OK)
				sent++;
			else if (e != CS_ERR_TRY_AGAIN)
				FAIL("cpg_mcast_joined = %d", (int)e);
		}
		pair_dispatch();
		if (now_s() > end)
			FAIL("exchange stalled at %" PRIu64 " of %" PRIu64,
			     P.got, want);
	}
	return n / (now_s() - t0);
}

/* The median of n values: a round slowed by the machine's other load, or
 * the one that holds the half second the daemon waits before it takes the
 * member for stuck, does not decide. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *r, int n)
{
	qsort(r, (size_t)n, sizeof(*r), cmp_double);
	return n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
}

/* Rounds are short (500 messages of 4 KiB) so that many of them fall in
 * the time a stuck member lives: its queue takes 64 MiB, about 16,000 of
 * them, before the daemon closes it.  Each cycle: STUCK_ALONE rounds
 * alone, a new member that never reads, rounds beside it until it is
 * closed; then the next cycle's rounds alone, or as many at the end. */
#define STUCK_ROUND_MSGS 500
#define STUCK_ALONE 10
#define STUCK_BESIDE_MIN 10
#define STUCK_BESIDE_MAX 1000
#define STUCK_CYCLES_MAX 20

/* A member that never reads joins the group: the child's pid. */
static pid_t stuck_child(const struct cpg_name *g)
{
	pid_t child;
	int pipefd[2];
	double end;
	char c;

	if (pipe(pipefd) < 0)
		FAIL("pipe: %s", strerror(errno));
	child = fork();
	if (child < 0)
		FAIL("fork: %s", strerror(errno));
	if (child == 0) {
		cpg_handle_t s;

		/* joins and never dispatches */
		CHECK_CS(cpg_initialize(&s, &pair_cb));
		CHECK_CS(cpg_join(s, g));
		if (write(pipefd[1], "j", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (read(pipefd[0], &c, 1) != 1)
		FAIL("the stuck member did not join");
	close(pipefd[0]);
	close(pipefd[1]);
	P.stuck_pid = (uint32_t)child;
	P.stuck_joined = P.stuck_left = 0;
	end = now_s() + 10;
	while (!P.stuck_joined) {
		if (now_s() > end)
			FAIL("the stuck member's join was not seen");
		pair_dispatch();
		usleep(1000);
	}
	return child;
}

static int do_stuck(int cycles)
{
	static double alone[STUCK_CYCLES_MAX + 1][STUCK_ALONE],
		beside[STUCK_BESIDE_MAX], ratio[STUCK_CYCLES_MAX],
		both[2 * STUCK_ALONE];
	struct cpg_name g;
	pid_t child;
	double end, r, b;
	int i, k, n;

	if (cycles < 1 || cycles > STUCK_CYCLES_MAX)
		FAIL("stuck: CYCLES must be 1..%d", STUCK_CYCLES_MAX);
	group_set(&g, "stuck");
	CHECK_CS(cpg_initialize(&P.a, &pair_cb));
	CHECK_CS(cpg_join(P.a, &g));
	(void)exchange(3000);	/* warms up */
	for (i = 0; i < STUCK_ALONE; i++)
		alone[0][i] = exchange(STUCK_ROUND_MSGS);
	for (k = 0; k < cycles; k++) {
		child = stuck_child(&g);
		/* a round counts only when the member was still there at
		 * its end; the traffic fills its queue */
		n = 0;
		end = now_s() + 60;
		while (!P.stuck_left && now_s() < end) {
			r = exchange(STUCK_ROUND_MSGS);
			if (!P.stuck_left && n < STUCK_BESIDE_MAX)
				beside[n++] = r;
		}
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		if (!P.stuck_left)
			FAIL("the member that never reads was not closed "
			     "within 60 s");
		if (P.others_left)
			FAIL("a member other than the stuck one left");
		for (i = 0; i < STUCK_ALONE; i++)
			alone[k + 1][i] = exchange(STUCK_ROUND_MSGS);
		if (n < STUCK_BESIDE_MIN)
			FAIL("only %d rounds beside stuck member %d before it "
			     "was closed: no measure", n, k + 1);
		/* alone: the rounds just before and just after */
		memcpy(both, alone[k], sizeof(alone[k]));
		memcpy(both + STUCK_ALONE, alone[k + 1], sizeof(alone[k + 1]));
		r = median(beside, n);
		b = median(both, 2 * STUCK_ALONE);
		ratio[k] = r / b;
		printf("stuck %d: %.0f msg/s alone, %.0f msg/s beside a member "
		       "that never reads (medians of %d and %d rounds of %d) "
		       "(%.0f%%); it was closed (PROCDOWN)\n", k + 1, b, r,
		       2 * STUCK_ALONE, n, STUCK_ROUND_MSGS, 100 * ratio[k]);
	}
	r = median(ratio, cycles);
	printf("stuck: beside a member that never reads the others keep "
	       "%.0f%% of their rate alone (median of %d)\n", 100 * r,
	       cycles);
	if (r < 1.0 / 3)
		FAIL("less than a third");
	CHECK_CS(cpg_finalize(P.a));
	return 0;
}

/* ---- slowread: a member that reads, slowly */

static uint64_t slow_got;
static long slow_us = 1000;
static double slow_last;

static void slow_deliver(cpg_handle_t h, const struct cpg_name *g,
			 uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct timespec ms = { slow_us / 1000000, (slow_us % 1000000) * 1000 };

	(void)h;
	(void)g;
	(void)nodeid;
	(void)pid;
	(void)msg;
	(void)len;
	slow_got++;
	slow_last = now_s();
	nanosleep(&ms, NULL);
}

static cpg_callbacks_t slow_cb = { .cpg_deliver_fn = slow_deliver };

static int do_slowread(const char *name, double secs)
{
	struct cpg_name g;
	cpg_handle_t h;
	double end = now_s() + secs;
	struct pollfd pfd;
	cs_error_t e;

	if (getenv("CPGFLOOD_READ_DELAY_US"))
		slow_us = atol(getenv("CPGFLOOD_READ_DELAY_US"));
	group_set(&g, name);
	CHECK_CS(cpg_initialize(&h, &slow_cb));
	CHECK_CS(cpg_join(h, &g));
	printf("joined\n");
	fflush(stdout);
	CHECK_CS(cpg_fd_get(h, &pfd.fd));
	pfd.events = POLLIN;
	while (now_s() < end) {
		if (poll(&pfd, 1, 100) <= 0) {
			if (slow_got && now_s() - slow_last > 3)
				break;
			continue;
		}
		e = cpg_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING);
		if (e != CS_OK && e != CS_ERR_TRY_AGAIN)
			FAIL("cpg_dispatch = %d after %" PRIu64 " messages: "
			     "disconnected", (int)e, slow_got);
	}
	printf("slowread: %" PRIu64 " messages read\nread %" PRIu64 "\n",
	       slow_got, slow_got);
	CHECK_CS(cpg_finalize(h));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "flood"))
		return do_flood(strtoul(argv[2], NULL, 0), atof(argv[3]));
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "alldispatch"))
		return do_alldispatch(strtoul(argv[2], NULL, 0), atof(argv[3]),
				      argc == 5 ? atof(argv[4]) : 0);
	if (argc == 3 && !strcmp(argv[1], "stuck"))
		return do_stuck(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "slowread"))
		return do_slowread(argv[2], atof(argv[3]));
	fprintf(stderr, "usage: cpgflood flood SIZE SECONDS | alldispatch SIZE "
		"MIB [SECONDS] | stuck CYCLES | slowread GROUP SECONDS\n");
	return 2;
}
