/*
 * cpgbench: a CPG benchmark client.  It uses only the public libcpg API, so
 * the same binary measures any daemon that speaks the CPG protocol.
 *
 * Every process joins one group.  Senders multicast numbered messages;
 * every process (senders too) counts what is delivered and checks it while
 * it measures: per-sender sequence numbers without gaps or repeats, and the
 * payload pattern.  Each message carries its send time (CLOCK_MONOTONIC,
 * which every network namespace of one machine shares), so receivers also
 * measure latency from send to delivery.
 *
 *   throughput: senders send as fast as flow control lets them for -d s;
 *   latency:    senders send -r messages a second.
 *
 * A sender ends with a marker message; a process stops when it has seen the
 * markers of -S senders (or at -t s, an error) and prints one line of
 * results as key=value pairs.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <getopt.h>

#include <corosync/cpg.h>

#include "bench_util.h"

#define BENCH_MAGIC 0x43504742u	/* "CPGB" */
#define MAX_SENDERS 64

struct bench_hdr {
	uint32_t magic;
	uint32_t sender;	/* index given with -i */
	uint64_t seq;		/* 1, 2, 3 ...; 0 marks the end */
	uint64_t sent_ns;
	uint32_t size;
	uint32_t pad;
};

struct sender_state {
	uint64_t next_seq;
	int ended;
};

struct bench {
	cpg_handle_t handle;
	int sender_index;	/* -1: receive only */
	size_t size;
	double duration;
	double rate;
	double timeout;
	int expect_senders;
	int ended;
	uint64_t msgs;
	uint64_t bytes;
	uint64_t errors;
	uint64_t first_ns;
	uint64_t last_ns;
	uint64_t own_delivered;	/* the sender's own messages delivered back */
	uint64_t *lat;		/* latency samples, ns */
	size_t n_lat;
	size_t cap_lat;
	uint32_t local_nodeid;
	struct sender_state senders[MAX_SENDERS];
};

/* Bytes of its own messages a sender lets wait for delivery: the daemon
 * queues events for a client that reads slower than it sends only up to a
 * bound (cpgd(8)), so a sender keeps its window well below it. */
#define SEND_WINDOW_BYTES ((uint64_t)8 << 20)

static void record_latency(struct bench *b, uint64_t ns)
{
	if (b->n_lat == b->cap_lat) {
		size_t cap = b->cap_lat ? b->cap_lat * 2 : 65536;
		uint64_t *p = realloc(b->lat, cap * sizeof(*p));

		if (!p)
			return;
		b->lat = p;
		b->cap_lat = cap;
	}
	b->lat[b->n_lat++] = ns;
}

/* Senders are told apart by index (-i); their own deliveries by pid too. */
static int nodeid_is_local(const struct bench *b, uint32_t nodeid, uint32_t pid)
{
	return pid == (uint32_t)getpid() && (b->local_nodeid == 0 || nodeid == b->local_nodeid);
}

static void deliver_cb(cpg_handle_t handle, const struct cpg_name *group,
		       uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct bench *b;
	struct bench_hdr h;
	uint64_t t = bench_now_ns();
	const uint8_t *body;

	if (cpg_context_get(handle, (void **)&b) != CS_OK)
		return;
	if (len < sizeof(h)) {
		b->errors++;
		return;
	}
	memcpy(&h, msg, sizeof(h));
	if (h.magic != BENCH_MAGIC || h.sender >= MAX_SENDERS || h.size != len) {
		b->errors++;
		return;
	}
	if (h.seq == 0) {
		b->senders[h.sender].ended = 1;
		b->ended++;
		return;
	}
	if (h.seq != b->senders[h.sender].next_seq + 1)
		b->errors++;	/* a gap, a repeat or a reordering */
	b->senders[h.sender].next_seq = h.seq;
	if ((int)h.sender == b->sender_index && nodeid_is_local(b, nodeid, pid))
		b->own_delivered = h.seq;
	body = (const uint8_t *)msg + sizeof(h);
	if (bench_check(body, len - sizeof(h), h.seq) < 0)
		b->errors++;
	if (b->msgs == 0)
		b->first_ns = t;
	b->last_ns = t;
	b->msgs++;
	b->bytes += len;
	record_latency(b, t - h.sent_ns);
}

static void confchg_cb(cpg_handle_t handle, const struct cpg_name *group,
		       const struct cpg_address *members, size_t n_members,
		       const struct cpg_address *left, size_t n_left,
		       const struct cpg_address *joined, size_t n_joined)
{
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double pct(const struct bench *b, double p)
{
	size_t i;

	if (b->n_lat == 0)
		return 0;
	i = (size_t)(p * (double)(b->n_lat - 1));
	return (double)b->lat[i] / 1000.0;
}

/* Sends one message; returns CS_OK, or CS_ERR_TRY_AGAIN under back-pressure. */
static cs_error_t send_one(struct bench *b, uint8_t *buf, uint64_t seq)
{
	struct bench_hdr h = {
		.magic = BENCH_MAGIC,
		.sender = (uint32_t)b->sender_index,
		.seq = seq,
		.sent_ns = bench_now_ns(),
		.size = (uint32_t)b->size,
	};
	struct iovec iov = { .iov_base = buf, .iov_len = b->size };

	memcpy(buf, &h, sizeof(h));
	return cpg_mcast_joined(b->handle, CPG_TYPE_AGREED, &iov, 1);
}

static void fill(struct bench *b, uint8_t *buf, uint64_t seq)
{
	bench_fill(buf + sizeof(struct bench_hdr), b->size - sizeof(struct bench_hdr), seq);
}

static int dispatch_some(struct bench *b, int wait_ms)
{
	struct pollfd pfd = { .events = POLLIN };
	int fd;

	if (cpg_fd_get(b->handle, &fd) != CS_OK)
		return -1;
	pfd.fd = fd;
	if (poll(&pfd, 1, wait_ms) > 0 &&
	    cpg_dispatch(b->handle, CS_DISPATCH_ALL) != CS_OK)
		return -1;
	return 0;
}

static int run(struct bench *b)
{
	uint8_t *buf = calloc(1, b->size);
	uint64_t start = bench_now_ns(), seq = 0, next_send = start;
	uint64_t stop_send = start + (uint64_t)(b->duration * 1e9);
	uint64_t deadline = start + (uint64_t)(b->timeout * 1e9);
	uint64_t gap = b->rate > 0 ? (uint64_t)(1e9 / b->rate) : 0;
	int sending = b->sender_index >= 0, ended_sent = 0;
	cs_error_t err;

	if (!buf)
		return -1;
	while (b->ended < b->expect_senders) {
		uint64_t t = bench_now_ns();

		if (t > deadline) {
			fprintf(stderr, "cpgbench: timed out with %d of %d senders ended\n",
				b->ended, b->expect_senders);
			free(buf);
			return -1;
		}
		if (sending && t >= stop_send) {
			sending = 0;
		}
		if (sending && t >= next_send &&
		    (seq - b->own_delivered) * b->size >= SEND_WINDOW_BYTES &&
		    seq > b->own_delivered + 1) {
			/* window full: read until our own messages come back */
			if (dispatch_some(b, 1) < 0) {
				free(buf);
				return -1;
			}
			continue;
		}
		if (sending && t >= next_send) {
			fill(b, buf, seq + 1);
			err = send_one(b, buf, seq + 1);
			if (err == CS_OK) {
				seq++;
				next_send = gap ? next_send + gap : t;
				/* Read what is ready even while sending flat out. */
				if (!gap && (seq % 16 == 0 || b->size > 65536)) {
					if (dispatch_some(b, 0) < 0) {
						free(buf);
						return -1;
					}
				}
				if (!gap)
					continue;
			} else if (err != CS_ERR_TRY_AGAIN) {
				fprintf(stderr, "cpgbench: mcast: error %d\n", err);
				free(buf);
				return -1;
			}
		}
		if (!sending && b->sender_index >= 0 && !ended_sent) {
			err = send_one(b, buf, 0);
			if (err == CS_OK)
				ended_sent = 1;
			else if (err != CS_ERR_TRY_AGAIN) {
				free(buf);
				return -1;
			}
		}
		/* paced: sleep in poll until the next send is due */
		if (dispatch_some(b, sending && gap ?
				  (int)((next_send > t ? next_send - t : 0) / 1000000) :
				  1) < 0) {
			free(buf);
			return -1;
		}
	}
	free(buf);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: cpgbench [-g group] [-i sender-index] [-s size] [-d seconds]\n"
		"                [-r msgs-per-second] [-S senders] [-t timeout] [-w members]\n"
		"  -i N   send as sender N (0..63); without it, only receive\n"
		"  -r R   pace sends at R msgs/s (latency mode); default: flat out\n"
		"  -S N   stop after the end markers of N senders (default 1)\n"
		"  -w N   before sending, wait until the group has N members\n");
}

static int wait_members(struct bench *b, const struct cpg_name *g, int want)
{
	struct cpg_address members[CPG_MEMBERS_MAX];
	int n = CPG_MEMBERS_MAX;
	uint64_t deadline = bench_now_ns() + (uint64_t)(b->timeout * 1e9);

	for (;;) {
		n = CPG_MEMBERS_MAX;
		if (cpg_membership_get(b->handle, (struct cpg_name *)g, members, &n) == CS_OK &&
		    n >= want)
			return 0;
		if (bench_now_ns() > deadline || dispatch_some(b, 10) < 0)
			return -1;
	}
}

int main(int argc, char **argv)
{
	static struct bench b;
	cpg_callbacks_t cb = { .cpg_deliver_fn = deliver_cb, .cpg_confchg_fn = confchg_cb };
	struct cpg_name group;
	const char *gname = "cpgbench";
	int opt, want_members = 0;
	double secs;
	cs_error_t err;

	b.sender_index = -1;
	b.size = 64;
	b.duration = 2;
	b.timeout = 60;
	b.expect_senders = 1;
	while ((opt = getopt(argc, argv, "g:i:s:d:r:S:t:w:h")) != -1) {
		switch (opt) {
		case 'g': gname = optarg; break;
		case 'i': b.sender_index = atoi(optarg); break;
		case 's': b.size = strtoul(optarg, NULL, 0); break;
		case 'd': b.duration = atof(optarg); break;
		case 'r': b.rate = atof(optarg); break;
		case 'S': b.expect_senders = atoi(optarg); break;
		case 't': b.timeout = atof(optarg); break;
		case 'w': want_members = atoi(optarg); break;
		default: usage(); return 2;
		}
	}
	if (b.size < sizeof(struct bench_hdr) || b.sender_index >= MAX_SENDERS ||
	    strlen(gname) >= CPG_MAX_NAME_LENGTH || b.expect_senders < 1) {
		usage();
		return 2;
	}
	err = cpg_initialize(&b.handle, &cb);
	if (err != CS_OK) {
		fprintf(stderr, "cpgbench: cpg_initialize: error %d\n", err);
		return 1;
	}
	cpg_context_set(b.handle, &b);
	cpg_local_get(b.handle, &b.local_nodeid);
	group.length = (uint32_t)strlen(gname);
	memcpy(group.value, gname, group.length);
	while ((err = cpg_join(b.handle, &group)) == CS_ERR_TRY_AGAIN)
		usleep(1000);
	if (err != CS_OK) {
		fprintf(stderr, "cpgbench: cpg_join: error %d\n", err);
		return 1;
	}
	if (want_members && wait_members(&b, &group, want_members) < 0) {
		fprintf(stderr, "cpgbench: group never reached %d members\n", want_members);
		return 1;
	}
	if (run(&b) < 0)
		return 1;
	qsort(b.lat, b.n_lat, sizeof(*b.lat), cmp_u64);
	secs = b.msgs > 1 ? (double)(b.last_ns - b.first_ns) / 1e9 : 0;
	printf("msgs=%" PRIu64 " bytes=%" PRIu64 " secs=%.3f msgs_per_s=%.0f MB_per_s=%.2f"
	       " lat_p50_us=%.0f lat_p90_us=%.0f lat_p99_us=%.0f lat_max_us=%.0f errors=%" PRIu64 "\n",
	       b.msgs, b.bytes, secs, secs > 0 ? (double)b.msgs / secs : 0,
	       secs > 0 ? (double)b.bytes / secs / 1e6 : 0,
	       pct(&b, 0.5), pct(&b, 0.9), pct(&b, 0.99), pct(&b, 1.0), b.errors);
	cpg_finalize(b.handle);
	free(b.lat);
	return b.errors ? 1 : 0;
}
