/* Unit tests of the Totem engine with frames of 64 KiB, as the daemon runs
 * it over knet: small messages packed into few frames, the send backlog
 * bounded in bytes with its flow marks, messages larger than a frame
 * fragmented to it and sent within one token visit, the token's backlog
 * counted in frames, messages split to fill frames.  A tiny driver runs
 * two engines with virtual time and a lossless network that carries
 * packets of any size. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "totem/totem.h"
#include "totem/totem_wire.h"
#include "unit/check_main.h"

#define NN 3
#define FRAME 65524	/* the daemon's frame: knet's largest less a header */
#define MAXP 8192

struct fpkt {
	int to, from;
	uint64_t at;
	size_t len;
	uint8_t *data;
};

struct fdrv;

struct fnode {
	struct fdrv *d;
	uint32_t id;
	struct totem *t;
	uint64_t timer[TOTEM_TIMER_COUNT];	/* 0: not armed */
	int regular;
	int flow_blocked;
	size_t delivered;
	size_t bytes;
	int bad;			/* a delivery with unexpected content */
	uint32_t next_tag[NN + 1];	/* per sender: the next tag due */
	size_t last_len;
};

/* one packet sent: who, what type, how long */
struct fsent {
	int from, type;
	size_t len;
};

struct fdrv {
	uint64_t now;
	struct fnode node[NN + 1];
	struct fpkt *q;
	size_t nq;
	struct fsent *log;
	size_t nlog;
};

static void f_send(void *a, uint32_t to, const void *p, size_t len)
{
	struct fnode *nd = a;
	struct fdrv *d = nd->d;
	int i;

	ck_assert_uint_le(len, TW_MAX_PKT);
	ck_assert_uint_lt(d->nlog, MAXP);
	d->log[d->nlog].from = (int)nd->id;
	d->log[d->nlog].type = len > 1 ? ((const uint8_t *)p)[1] : -1;
	d->log[d->nlog].len = len;
	d->nlog++;
	for (i = 1; i <= NN; i++) {
		struct fpkt *q;

		if ((uint32_t)i == nd->id || (to && to != (uint32_t)i))
			continue;
		ck_assert_uint_lt(d->nq, MAXP);
		q = &d->q[d->nq++];
		q->to = i;
		q->from = (int)nd->id;
		q->at = d->now + 100;
		q->len = len;
		q->data = malloc(len);
		ck_assert_ptr_nonnull(q->data);
		memcpy(q->data, p, len);
	}
}

static void f_arm(void *a, enum totem_timer t, uint64_t us)
{
	struct fnode *nd = a;

	nd->timer[t] = nd->d->now + us + 1;
}

static void f_cancel(void *a, enum totem_timer t)
{
	((struct fnode *)a)->timer[t] = 0;
}

/* Messages carry a 4-byte tag (0, 1, 2... per sender) and then bytes
 * that are a function of tag and offset, checked at delivery. */
static uint8_t f_byte(uint32_t tag, size_t off)
{
	return (uint8_t)(tag * 7u + off * 13u + off / 251u);
}

static void f_fill(uint8_t *m, size_t len, uint32_t tag)
{
	size_t i;

	memcpy(m, &tag, sizeof(tag));
	for (i = sizeof(tag); i < len; i++)
		m[i] = f_byte(tag, i);
}

static void f_deliver(void *a, uint32_t s, const void *m, size_t l,
		      enum totem_guarantee g)
{
	struct fnode *nd = a;
	const uint8_t *b = m;
	uint32_t tag;
	size_t i;

	(void)g;
	nd->delivered++;
	nd->bytes += l;
	nd->last_len = l;
	if (l < sizeof(tag)) {
		nd->bad = 1;
		return;
	}
	memcpy(&tag, b, sizeof(tag));
	if (s < 1 || s > NN || tag != nd->next_tag[s]++)
		nd->bad = 1;
	for (i = sizeof(tag); i < l; i++)
		if (b[i] != f_byte(tag, i)) {
			nd->bad = 1;
			return;
		}
}

static void f_conf(void *a, const struct totem_conf *c)
{
	if (c->type == TOTEM_CONF_REGULAR && c->n_members == NN)
		((struct fnode *)a)->regular = 1;
}

static void f_persist(void *a, uint64_t s)
{
	(void)a;
	(void)s;
}

static void f_flow(void *a, int blocked)
{
	((struct fnode *)a)->flow_blocked = blocked;
}

static const struct totem_ops fops = {
	.send = f_send, .timer_arm = f_arm, .timer_cancel = f_cancel,
	.deliver = f_deliver, .conf = f_conf, .persist_seq = f_persist,
	.flow = f_flow,
};

static void f_cfg(struct totem_config *c, uint32_t id)
{
	memset(c, 0, sizeof(*c));
	c->nodeid = id;
	c->token_ms = 1000;
	c->token_coefficient_ms = 10;
	c->mtu = FRAME;
}

static void fdrv_run(struct fdrv *d, uint64_t until);

/* Two engines with the same config but for the node id, run until both
 * are in a ring of two. */
static struct fdrv *fdrv_new(const struct totem_config *base)
{
	struct fdrv *d = calloc(1, sizeof(*d));
	int i;

	ck_assert_ptr_nonnull(d);
	d->q = calloc(MAXP, sizeof(*d->q));
	d->log = calloc(MAXP, sizeof(*d->log));
	ck_assert_ptr_nonnull(d->q);
	ck_assert_ptr_nonnull(d->log);
	for (i = 1; i <= NN; i++) {
		struct totem_config c = *base;

		c.nodeid = (uint32_t)i;
		d->node[i].d = d;
		d->node[i].id = (uint32_t)i;
		ck_assert_int_eq(totem_new(&c, &fops, &d->node[i], 0,
					   &d->node[i].t, NULL), 0);
	}
	fdrv_run(d, 3000000);
	for (i = 1; i <= NN; i++)
		ck_assert(d->node[i].regular);
	d->nlog = 0;
	return d;
}

static void fdrv_free(struct fdrv *d)
{
	size_t j;
	int i;

	for (i = 1; i <= NN; i++)
		totem_destroy(d->node[i].t);
	for (j = 0; j < d->nq; j++)
		free(d->q[j].data);
	free(d->q);
	free(d->log);
	free(d);
}

/* Run the next event due by `until`, packets before timers; 0: none. */
static int fdrv_step(struct fdrv *d, uint64_t until)
{
	uint64_t best = UINT64_MAX;
	int kind = -1, who = 0, tid = 0, i, k;
	size_t pi = 0, j;

	for (i = 1; i <= NN; i++)
		for (k = 0; k < TOTEM_TIMER_COUNT; k++)
			if (d->node[i].timer[k] && d->node[i].timer[k] < best) {
				best = d->node[i].timer[k];
				kind = 1;
				who = i;
				tid = k;
			}
	for (j = 0; j < d->nq; j++)
		if (d->q[j].at <= best) {
			/* the first sent of those due first: FIFO links */
			if (kind == 0 && d->q[j].at == best)
				continue;
			best = d->q[j].at;
			kind = 0;
			pi = j;
		}
	if (kind < 0 || best > until)
		return 0;
	d->now = best;
	if (kind == 0) {
		struct fpkt p = d->q[pi];

		memmove(&d->q[pi], &d->q[pi + 1],
			(d->nq - pi - 1) * sizeof(*d->q));
		d->nq--;
		totem_input_packet(d->node[p.to].t, (uint32_t)p.from, p.data,
				   p.len, d->now);
		free(p.data);
	} else {
		d->node[who].timer[tid] = 0;
		totem_input_timer(d->node[who].t, (enum totem_timer)tid,
				  d->now);
	}
	return 1;
}

static void fdrv_run(struct fdrv *d, uint64_t until)
{
	while (fdrv_step(d, until))
		;
	d->now = until;
}

static size_t count_sent(const struct fdrv *d, int from, int type)
{
	size_t j, n = 0;

	for (j = 0; j < d->nlog; j++)
		if (d->log[j].from == from && d->log[j].type == type)
			n++;
	return n;
}

/* The most MCAST packets `from` sent in one token visit: in a row, ended
 * by its next token. */
static size_t most_per_visit(const struct fdrv *d, int from)
{
	size_t j, run = 0, best = 0;

	for (j = 0; j < d->nlog; j++) {
		if (d->log[j].from != from)
			continue;
		if (d->log[j].type == TW_MCAST) {
			if (++run > best)
				best = run;
		} else if (d->log[j].type == TW_TOKEN) {
			run = 0;
		}
	}
	return best;
}

/* Thousands of small messages are taken at once and go in a few full
 * frames: the backlog bound is in bytes, not 512 messages. */
START_TEST(test_small_messages_fill_frames)
{
	struct totem_config c;
	struct fdrv *d;
	uint8_t m[64];
	uint32_t i;
	size_t frames;

	f_cfg(&c, 1);
	d = fdrv_new(&c);
	for (i = 0; i < 3000; i++) {
		f_fill(m, sizeof(m), i);
		ck_assert_int_eq(totem_mcast(d->node[1].t, m, sizeof(m),
					     TOTEM_AGREED, d->now), 0);
	}
	ck_assert_uint_eq(totem_backlog(d->node[1].t), 3000);
	ck_assert_uint_eq(totem_backlog_bytes(d->node[1].t),
			  3000 * (sizeof(m) + TW_CHUNK_HDR));
	ck_assert(!totem_flow_blocked(d->node[1].t));
	fdrv_run(d, d->now + 2000000);
	for (i = 1; i <= NN; i++) {
		ck_assert_uint_eq(d->node[i].delivered, 3000);
		ck_assert(!d->node[i].bad);
	}
	ck_assert_uint_eq(totem_backlog_bytes(d->node[1].t), 0);
	/* 225,000 bytes in frames of 65,524: four packets, all but the
	 * last nearly full */
	frames = count_sent(d, 1, TW_MCAST);
	ck_assert_uint_eq(frames, 4);
	fdrv_free(d);
}
END_TEST

/* Messages of 40 kB fill 64 KiB frames, split across two where a quarter
 * of a frame or more would go empty: eight take six frames, not eight
 * (1 and part of 2 | rest of 2 and 3 | 4 and part of 5 | ...). */
START_TEST(test_large_messages_fill_frames)
{
	struct totem_config c;
	struct fdrv *d;
	uint8_t *m = malloc(40000);
	uint32_t i;

	ck_assert_ptr_nonnull(m);
	f_cfg(&c, 1);
	d = fdrv_new(&c);
	for (i = 0; i < 8; i++) {
		f_fill(m, 40000, i);
		ck_assert_int_eq(totem_mcast(d->node[1].t, m, 40000,
					     TOTEM_AGREED, d->now), 0);
	}
	fdrv_run(d, d->now + 2000000);
	for (i = 1; i <= NN; i++) {
		ck_assert_uint_eq(d->node[i].delivered, 8);
		ck_assert_uint_eq(d->node[i].bytes, 320000);
		ck_assert(!d->node[i].bad);
	}
	ck_assert_uint_eq(count_sent(d, 1, TW_MCAST), 6);
	fdrv_free(d);
	free(m);
}
END_TEST

/* The mark counts bytes: with a mark of 100,000 and messages of at most
 * 40,000 bytes, flow control goes on at the third 40 kB message, a 10 kB
 * one still fits, a fourth 40 kB one does not (beyond the mark by more
 * than a largest message); off again once the queue is down to half.
 * The sender is node 2, which waits for the token (the representative,
 * node 1, would use its idle token at once, in the same input). */
START_TEST(test_backlog_in_bytes)
{
	struct totem_config c;
	struct fdrv *d;
	uint8_t *m = malloc(40000);
	size_t cost = 40000 + TW_CHUNK_HDR;
	uint32_t i;

	ck_assert_ptr_nonnull(m);
	f_cfg(&c, 1);
	c.backlog_bytes = 100000;
	c.max_msg_size = 40000;
	d = fdrv_new(&c);
	for (i = 0; i < 3; i++) {
		ck_assert(!totem_flow_blocked(d->node[2].t));
		f_fill(m, 40000, i);
		ck_assert_int_eq(totem_mcast(d->node[2].t, m, 40000,
					     TOTEM_AGREED, d->now), 0);
	}
	ck_assert(totem_flow_blocked(d->node[2].t));
	f_fill(m, 10000, 3);
	ck_assert_int_eq(totem_mcast(d->node[2].t, m, 10000, TOTEM_AGREED,
				     d->now), 0);
	f_fill(m, 40000, 4);
	ck_assert_int_eq(totem_mcast(d->node[2].t, m, 40000, TOTEM_AGREED,
				     d->now), -EAGAIN);
	ck_assert_uint_eq(totem_backlog(d->node[2].t), 4);
	ck_assert_uint_eq(totem_backlog_bytes(d->node[2].t),
			  3 * cost + 10000 + TW_CHUNK_HDR);
	ck_assert(!d->node[2].flow_blocked);	/* reported from an input */
	while (!d->node[2].flow_blocked && totem_backlog(d->node[2].t) == 4 &&
	       fdrv_step(d, d->now + 1000000))
		;
	ck_assert(d->node[2].flow_blocked);
	fdrv_run(d, d->now + 2000000);
	ck_assert_uint_eq(d->node[2].delivered, 4);
	ck_assert_uint_eq(d->node[2].bytes, 130000);
	ck_assert(!d->node[2].bad);
	ck_assert_uint_eq(totem_backlog_bytes(d->node[2].t), 0);
	ck_assert(!totem_flow_blocked(d->node[2].t));
	ck_assert(!d->node[2].flow_blocked);
	fdrv_free(d);
	free(m);
}
END_TEST

/* A 1 MiB message goes in 17 fragments of full 64 KiB frames, all in one
 * token visit of node 3 although node 2 waits too (both ask the idle
 * representative for the token): the token's backlog counts
 * frames (17 here against 1), not messages (1 against 1, which gave each
 * half the window). */
START_TEST(test_big_message_fragments_in_one_visit)
{
	struct totem_config c;
	struct fdrv *d;
	size_t big = 1 << 20;
	uint8_t *m = malloc(big);
	uint8_t s[100];
	size_t j, frames = 0;

	ck_assert_ptr_nonnull(m);
	f_cfg(&c, 1);
	c.window_size = 20;
	c.max_messages = 17;
	c.max_msg_size = big;
	d = fdrv_new(&c);
	f_fill(m, big, 0);
	f_fill(s, sizeof(s), 0);
	ck_assert_int_eq(totem_mcast(d->node[2].t, s, sizeof(s), TOTEM_AGREED,
				     d->now), 0);
	ck_assert_int_eq(totem_mcast(d->node[3].t, m, big, TOTEM_AGREED,
				     d->now), 0);
	fdrv_run(d, d->now + 3000000);
	/* node 2 has the token before node 3: its message, then the big one */
	for (j = 1; j <= NN; j++) {
		ck_assert_uint_eq(d->node[j].delivered, 2);
		ck_assert_uint_eq(d->node[j].last_len, big);
		ck_assert_uint_eq(d->node[j].bytes, big + sizeof(s));
	}
	for (j = 1; j <= NN; j++)
		ck_assert(!d->node[j].bad);
	for (j = 0; j < d->nlog; j++)
		if (d->log[j].from == 3 && d->log[j].type == TW_MCAST) {
			ck_assert_uint_le(d->log[j].len, FRAME);
			if (d->log[j].len > FRAME - 100)
				frames++;
		}
	/* 1 MiB over frames of 65,524 less headers: 16 full, 1 short */
	ck_assert_uint_eq(count_sent(d, 3, TW_MCAST), 17);
	ck_assert_uint_eq(frames, 16);
	ck_assert_uint_eq(most_per_visit(d, 3), 17);
	fdrv_free(d);
	free(m);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("totem_frames");
	TCase *tc = tcase_create("frames");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_small_messages_fill_frames);
	tcase_add_test(tc, test_large_messages_fill_frames);
	tcase_add_test(tc, test_backlog_in_bytes);
	tcase_add_test(tc, test_big_message_fragments_in_one_visit);
	suite_add_tcase(s, tc);
	return s;
}
