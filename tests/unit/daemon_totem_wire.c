/* Unit tests of the Totem wire format: round trips (node sets of up to
 * TOTEM_MAX_NODES included), and rejection of truncated, oversized,
 * wrong-version and inconsistent packets. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "totem/totem_wire.h"
#include "unit/check_main.h"

static uint8_t buf[TW_MAX_PKT];
static union tw_packet out;

static const uint32_t known[] = { 1, 2, 3, 5, 9 };
static const struct tw_limits lim = { known, 5, 1400 };

static size_t body_make(uint8_t *b, size_t cap, int nchunks, int safe)
{
	struct wire_wr w;
	int i;

	wire_wr_init(&w, b, cap);
	wire_wr_be16(&w, (uint16_t)nchunks);
	for (i = 0; i < nchunks; i++) {
		wire_wr_u8(&w, TW_CF_FIRST | TW_CF_LAST | (safe ? TW_CF_SAFE : 0));
		wire_wr_be16(&w, 0);
		wire_wr_be32(&w, (uint32_t)i + 7);
		wire_wr_be32(&w, 3);
		wire_wr_bytes(&w, "abc", 3);
	}
	ck_assert_int_eq(w.err, 0);
	return w.off;
}

static int mk_mcast(uint8_t *p, size_t cap, int safe)
{
	static uint8_t body[256];
	struct tw_mcast m;

	memset(&m, 0, sizeof(m));
	m.h.sender = 2;
	m.h.ring.rep = 1;
	m.h.ring.seq = 40;
	m.seq = 17;
	m.origin = 2;
	m.flags = safe ? TW_MF_SAFE : 0;
	m.body = body;
	m.body_len = body_make(body, sizeof(body), 3, safe);
	return tw_encode_mcast(p, cap, &m);
}

static int mk_token(uint8_t *p, size_t cap)
{
	struct tw_token t;

	memset(&t, 0, sizeof(t));
	t.h.sender = 3;
	t.h.ring.rep = 1;
	t.h.ring.seq = 40;
	t.token_seq = 99;
	t.seq = 50;
	t.aru = 45;
	t.aru_id = 5;
	t.rot_min = 44;
	t.safe_aru = 40;
	t.rot_start = 48;
	t.backlog = 12;
	t.flags = TW_TF_BUSY;
	t.n_rtr = 3;
	t.rtr[0] = 46;
	t.rtr[1] = 47;
	t.rtr[2] = 50;
	return tw_encode_token(p, cap, &t);
}

static int mk_join(uint8_t *p, size_t cap)
{
	struct tw_join j;

	memset(&j, 0, sizeof(j));
	j.h.sender = 9;
	j.h.ring.rep = 1;
	j.h.ring.seq = 40;
	j.max_seq = 44;
	j.n_proc = 3;
	j.proc[0] = 1;
	j.proc[1] = 5;
	j.proc[2] = 9;
	j.n_fail = 1;
	j.fail[0] = 3;
	return tw_encode_join(p, cap, &j);
}

static int mk_commit(uint8_t *p, size_t cap)
{
	struct tw_commit c;

	memset(&c, 0, sizeof(c));
	c.h.sender = 1;
	c.h.ring.rep = 1;
	c.h.ring.seq = 48;
	c.n = 2;
	c.m[0].node = 1;
	c.m[0].old_ring.rep = 1;
	c.m[0].old_ring.seq = 40;
	c.m[0].old_aru = 10;
	c.m[0].old_high = 12;
	c.m[0].filled = 1;
	c.m[1].node = 2;
	return tw_encode_commit(p, cap, &c);
}

/* p, encoded by enc into buf (its length into the test's len), does not
 * decode: -EBADMSG */
#define REFUSED(enc, p) do { \
	len = enc(buf, sizeof(buf), (p)); \
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), -EBADMSG); \
} while (0)

START_TEST(test_mcast_roundtrip)
{
	struct tw_chunk_iter it;
	struct tw_chunk c;
	int len = mk_mcast(buf, sizeof(buf), 1), n = 0;
	uint8_t again[2048];

	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), TW_MCAST);
	ck_assert_uint_eq(out.mcast.h.sender, 2);
	ck_assert_uint_eq(out.mcast.h.ring.seq, 40);
	ck_assert_uint_eq(out.mcast.seq, 17);
	ck_assert_uint_eq(out.mcast.flags, TW_MF_SAFE);
	tw_chunks_begin(&it, out.mcast.body, out.mcast.body_len);
	while (tw_chunks_next(&it, &c)) {
		ck_assert_uint_eq(c.len, 3);
		ck_assert_uint_eq(c.msgno, (uint32_t)n + 7);
		ck_assert(!memcmp(c.data, "abc", 3));
		n++;
	}
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(tw_encode_mcast(again, sizeof(again), &out.mcast), len);
	ck_assert(!memcmp(again, buf, (size_t)len));
}
END_TEST

START_TEST(test_token_roundtrip)
{
	int len = mk_token(buf, sizeof(buf));

	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), TW_TOKEN);
	ck_assert_uint_eq(out.token.token_seq, 99);
	ck_assert_uint_eq(out.token.aru, 45);
	ck_assert_uint_eq(out.token.aru_id, 5);
	ck_assert_uint_eq(out.token.n_rtr, 3);
	ck_assert_uint_eq(out.token.rtr[2], 50);
	ck_assert_uint_eq(out.token.backlog, 12);
}
END_TEST

START_TEST(test_join_commit_merge_roundtrip)
{
	struct tw_hdr h = { TW_MERGE, 5, { 1, 40 } };
	int len = mk_join(buf, sizeof(buf));

	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), TW_JOIN);
	ck_assert_uint_eq(out.join.n_proc, 3);
	ck_assert_uint_eq(out.join.fail[0], 3);
	ck_assert_uint_eq(out.join.max_seq, 44);
	len = mk_commit(buf, sizeof(buf));
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), TW_COMMIT);
	ck_assert_uint_eq(out.commit.n, 2);
	ck_assert_uint_eq(out.commit.m[0].old_high, 12);
	len = tw_encode_short(buf, sizeof(buf), &h);
	ck_assert_int_eq(len, TW_HDR_LEN);
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), TW_MERGE);
	h.type = TW_HOLD_CANCEL;
	len = tw_encode_short(buf, sizeof(buf), &h);
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), TW_HOLD_CANCEL);
	h.type = TW_TOKEN;
	ck_assert_int_eq(tw_encode_short(buf, sizeof(buf), &h), -EINVAL);
}
END_TEST

/* Every proper prefix of every packet type is rejected. */
START_TEST(test_truncated)
{
	int (*mk[])(uint8_t *, size_t) = { mk_token, mk_join, mk_commit };
	size_t i, k;
	int len;

	len = mk_mcast(buf, sizeof(buf), 0);
	for (k = 0; k < (size_t)len; k++)
		ck_assert_int_eq(tw_decode(buf, k, &lim, &out), -EBADMSG);
	for (i = 0; i < 3; i++) {
		len = mk[i](buf, sizeof(buf));
		ck_assert_int_gt(len, 0);
		for (k = 0; k < (size_t)len; k++)
			ck_assert_int_eq(tw_decode(buf, k, &lim, &out),
					 -EBADMSG);
	}
	ck_assert_int_eq(tw_decode(NULL, 10, &lim, &out), -EBADMSG);
}
END_TEST

START_TEST(test_trailing_and_oversized)
{
	int len = mk_token(buf, sizeof(buf));

	buf[len] = 0;
	ck_assert_int_eq(tw_decode(buf, (size_t)len + 1, &lim, &out), -EBADMSG);
	ck_assert_int_eq(tw_decode(buf, TW_MAX_PKT + 1, &lim, &out), -EBADMSG);
	/* an mcast above the MTU */
	{
		static uint8_t body[2000];
		struct tw_mcast m;
		struct wire_wr w;

		memset(&m, 0, sizeof(m));
		m.h.sender = 2;
		m.h.ring.rep = 1;
		m.h.ring.seq = 40;
		m.seq = 1;
		m.origin = 2;
		wire_wr_init(&w, body, sizeof(body));
		wire_wr_be16(&w, 1);
		wire_wr_u8(&w, TW_CF_FIRST | TW_CF_LAST);
		wire_wr_be16(&w, 0);
		wire_wr_be32(&w, 1);
		wire_wr_be32(&w, 1500);
		memset(body + w.off, 'x', 1500);
		m.body = body;
		m.body_len = w.off + 1500;
		len = tw_encode_mcast(buf, sizeof(buf), &m);
		ck_assert_int_gt(len, 1400);
		ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out),
				 -EBADMSG);
		ck_assert_int_eq(tw_decode(buf, (size_t)len, NULL, &out),
				 TW_MCAST);
	}
	/* the encoder refuses to overrun */
	ck_assert_int_eq(mk_token(buf, 30), -ENOSPC);
}
END_TEST

START_TEST(test_version_type_reserved)
{
	int len = mk_token(buf, sizeof(buf));

	/* another version, older (1: sets of 64) or newer, is -EPROTO */
	buf[0] = TW_VERSION + 1;
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), -EPROTO);
	buf[0] = 1;
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), -EPROTO);
	ck_assert_int_eq(tw_decode(buf, TW_HDR_LEN - 1, &lim, &out), -EBADMSG);
	buf[0] = TW_VERSION;
	buf[1] = 77;
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), -EBADMSG);
	buf[1] = TW_TOKEN;
	buf[3] = 1;
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), -EBADMSG);
}
END_TEST

START_TEST(test_unknown_nodes)
{
	int len = mk_token(buf, sizeof(buf));

	buf[7] = 4;	/* sender 3 -> 4, not configured */
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), -EBADMSG);
	ck_assert_int_eq(tw_decode(buf, (size_t)len, NULL, &out), TW_TOKEN);
	buf[7] = 0;	/* node id 0 is never valid */
	ck_assert_int_eq(tw_decode(buf, (size_t)len, NULL, &out), -EBADMSG);
}
END_TEST

START_TEST(test_token_inconsistent)
{
	struct tw_token t;
	int len;

	len = mk_token(buf, sizeof(buf));
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), TW_TOKEN);
	t = out.token;
	t.aru = t.seq + 1;	/* aru beyond seq */
	REFUSED(tw_encode_token, &t);
	t.aru = 45;
	t.rtr[2] = 51;		/* request beyond seq */
	REFUSED(tw_encode_token, &t);
	t.rtr[2] = 46;		/* not ascending */
	REFUSED(tw_encode_token, &t);
	t.rtr[2] = 50;
	t.flags = 0x80;		/* unknown flag */
	REFUSED(tw_encode_token, &t);
	t.flags = 0;
	len = tw_encode_token(buf, sizeof(buf), &t);
	/* rtr count too large for the packet */
	buf[TW_HDR_LEN + 33] = 0xff;
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), -EBADMSG);
}
END_TEST

START_TEST(test_join_inconsistent)
{
	struct tw_join j;
	int len = mk_join(buf, sizeof(buf));

	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), TW_JOIN);
	j = out.join;
	j.proc[1] = 9;		/* duplicate */
	REFUSED(tw_encode_join, &j);
	j.proc[1] = 5;
	j.n_proc = 0;		/* empty proc set */
	REFUSED(tw_encode_join, &j);
	j.n_proc = 3;
	j.max_seq = 10;		/* below its own ring */
	REFUSED(tw_encode_join, &j);
	j.max_seq = TW_MAX_RING_SEQ + 1;	/* would make ring ids wrap */
	REFUSED(tw_encode_join, &j);
	j.max_seq = 44;
	len = tw_encode_join(buf, sizeof(buf), &j);
	/* count says more members than TW_MAX_NODES */
	buf[TW_HDR_LEN + 8] = 0x10;
	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), -EBADMSG);
}
END_TEST

START_TEST(test_commit_inconsistent)
{
	struct tw_commit c;
	int len = mk_commit(buf, sizeof(buf));

	ck_assert_int_eq(tw_decode(buf, (size_t)len, &lim, &out), TW_COMMIT);
	c = out.commit;
	c.h.ring.rep = 2;	/* rep is not the lowest member */
	REFUSED(tw_encode_commit, &c);
	c.h.ring.rep = 1;
	c.m[0].old_aru = 13;	/* aru above high */
	REFUSED(tw_encode_commit, &c);
	c.m[0].old_aru = 10;
	c.m[0].old_ring.seq = 48;	/* old ring not older */
	REFUSED(tw_encode_commit, &c);
	c.m[0].old_ring.seq = 40;
	c.m[0].old_safe = 11;	/* safe point above the aru */
	REFUSED(tw_encode_commit, &c);
	c.m[0].old_safe = 9;
	c.rotation = 2;
	REFUSED(tw_encode_commit, &c);
}
END_TEST

START_TEST(test_mcast_inconsistent)
{
	static uint8_t body[64];
	struct tw_mcast m;
	struct wire_wr w;
	int len;

	memset(&m, 0, sizeof(m));
	m.h.sender = 2;
	m.h.ring.rep = 1;
	m.h.ring.seq = 40;
	m.seq = 3;
	m.origin = 2;
	m.body = body;
	/* chunk length beyond the packet */
	wire_wr_init(&w, body, sizeof(body));
	wire_wr_be16(&w, 1);
	wire_wr_u8(&w, TW_CF_FIRST | TW_CF_LAST);
	wire_wr_be16(&w, 0);
	wire_wr_be32(&w, 1);
	wire_wr_be32(&w, 1000);
	wire_wr_bytes(&w, "abc", 3);
	m.body_len = w.off;
	REFUSED(tw_encode_mcast, &m);
	/* more chunks announced than present */
	m.body_len = body_make(body, sizeof(body), 2, 0);
	body[1] = 3;
	REFUSED(tw_encode_mcast, &m);
	/* safe flag disagrees with the chunks */
	m.body_len = body_make(body, sizeof(body), 2, 0);
	m.flags = TW_MF_SAFE;
	REFUSED(tw_encode_mcast, &m);
	/* a first fragment with a non-zero index */
	m.flags = 0;
	m.body_len = body_make(body, sizeof(body), 1, 0);
	body[4] = 1;
	REFUSED(tw_encode_mcast, &m);
	/* seq 0 */
	m.body_len = body_make(body, sizeof(body), 1, 0);
	m.seq = 0;
	REFUSED(tw_encode_mcast, &m);
	/* zero chunks */
	m.seq = 3;
	body[0] = body[1] = 0;
	m.body_len = 2;
	REFUSED(tw_encode_mcast, &m);
}
END_TEST

/* A join from ids[0] with n members ids[0..n-1] and no failed node,
 * written field by field without the encoder's limits: its length. */
static size_t raw_join(uint8_t *p, size_t cap, const uint32_t *ids,
		       uint16_t n)
{
	struct wire_wr w;
	uint16_t i;

	wire_wr_init(&w, p, cap);
	wire_wr_u8(&w, TW_VERSION);
	wire_wr_u8(&w, TW_JOIN);
	wire_wr_be16(&w, 0);
	wire_wr_be32(&w, ids[0]);
	wire_wr_be32(&w, 0);
	wire_wr_be64(&w, 0);
	wire_wr_be64(&w, 4);
	wire_wr_be16(&w, n);
	for (i = 0; i < n; i++)
		wire_wr_be32(&w, ids[i]);
	wire_wr_be16(&w, 0);
	ck_assert_int_eq(w.err, 0);
	return w.off;
}

/* Joins and commits of TOTEM_MAX_NODES members (and of 65, the old
 * version's limit plus one) go through; one more member does not. */
START_TEST(test_sets_at_the_limit)
{
	static uint32_t ids[TOTEM_MAX_NODES + 1];
	static struct tw_join j;
	static struct tw_commit c;
	struct tw_limits big = { ids, TOTEM_MAX_NODES, 1400 };
	const uint16_t sizes[] = { 65, TOTEM_MAX_NODES };
	uint16_t i, k;
	int len;

	ck_assert_uint_eq(TW_MAX_NODES, TOTEM_MAX_NODES);
	for (i = 0; i <= TOTEM_MAX_NODES; i++)
		ids[i] = 1000u + 3u * i;
	for (k = 0; k < 2; k++) {
		uint16_t n = sizes[k];

		memset(&j, 0, sizeof(j));
		j.h.type = TW_JOIN;
		j.h.sender = ids[0];
		j.max_seq = 4;
		j.n_proc = n;
		memcpy(j.proc, ids, n * sizeof(ids[0]));
		j.n_fail = n;
		memcpy(j.fail, ids, n * sizeof(ids[0]));
		len = tw_encode_join(buf, sizeof(buf), &j);
		/* header, max_seq, two counts, 4 bytes an id */
		ck_assert_int_eq(len, TW_HDR_LEN + 8 + 2 + 2 + 8 * n);
		ck_assert_int_eq(tw_decode(buf, (size_t)len, &big, &out), TW_JOIN);
		ck_assert_int_eq(tw_decode(buf, (size_t)len, NULL, &out), TW_JOIN);
		ck_assert_uint_eq(out.join.n_proc, n);
		ck_assert_uint_eq(out.join.fail[n - 1], ids[n - 1]);

		memset(&c, 0, sizeof(c));
		c.h.type = TW_COMMIT;
		c.h.sender = ids[0];
		c.h.ring.rep = ids[0];
		c.h.ring.seq = 8;
		c.n = n;
		for (i = 0; i < n; i++)
			c.m[i].node = ids[i];
		len = tw_encode_commit(buf, sizeof(buf), &c);
		ck_assert_int_eq(len, TW_HDR_LEN + 1 + 2 + 29 * n);
		ck_assert_int_le(len, TW_MAX_PKT);
		ck_assert_int_eq(tw_decode(buf, (size_t)len, &big, &out), TW_COMMIT);
		ck_assert_uint_eq(out.commit.n, n);
		ck_assert_uint_eq(out.commit.m[n - 1].node, ids[n - 1]);
	}
	/* the largest packets are the documented sizes */
	ck_assert_int_eq(TW_HDR_LEN + 12 + 8 * TOTEM_MAX_NODES, 3104);
	ck_assert_int_eq(TW_HDR_LEN + 3 + 29 * TOTEM_MAX_NODES, 11159);

	/* the encoders refuse one more */
	j.n_proc = TOTEM_MAX_NODES + 1;
	ck_assert_int_eq(tw_encode_join(buf, sizeof(buf), &j), -EINVAL);
	j.n_proc = TOTEM_MAX_NODES;
	j.n_fail = TOTEM_MAX_NODES + 1;
	ck_assert_int_eq(tw_encode_join(buf, sizeof(buf), &j), -EINVAL);
	c.n = TOTEM_MAX_NODES + 1;
	ck_assert_int_eq(tw_encode_commit(buf, sizeof(buf), &c), -EINVAL);

	/* the decoder refuses a set of 385 written by hand; the same with
	 * 384 members decodes */
	ck_assert_int_eq(tw_decode(buf, raw_join(buf, sizeof(buf), ids,
		TOTEM_MAX_NODES + 1), NULL, &out), -EBADMSG);
	ck_assert_int_eq(tw_decode(buf, raw_join(buf, sizeof(buf), ids,
		TOTEM_MAX_NODES), NULL, &out), TW_JOIN);
}
END_TEST

/* Random bit flips never crash the decoder, and whatever it accepts
 * encodes back to the same bytes. */
START_TEST(test_flips)
{
	int (*mk[])(uint8_t *, size_t) = { mk_token, mk_join, mk_commit };
	uint8_t again[TW_MAX_PKT];
	unsigned int seed = 12345;
	int i, k;

	for (i = 0; i < 3; i++) {
		uint8_t orig[2048];
		int len = mk[i](orig, sizeof(orig));

		for (k = 0; k < 20000; k++) {
			int rc, n;

			memcpy(buf, orig, (size_t)len);
			seed = seed * 1103515245 + 12345;
			buf[(seed >> 8) % (unsigned int)len] ^=
				(uint8_t)(1u << ((seed >> 4) & 7));
			rc = tw_decode(buf, (size_t)len, &lim, &out);
			if (rc == TW_TOKEN)
				n = tw_encode_token(again, sizeof(again), &out.token);
			else if (rc == TW_JOIN)
				n = tw_encode_join(again, sizeof(again), &out.join);
			else if (rc == TW_COMMIT)
				n = tw_encode_commit(again, sizeof(again), &out.commit);
			else
				continue;
			ck_assert_int_eq(n, len);
			ck_assert(!memcmp(again, buf, (size_t)len));
		}
	}
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { test_mcast_roundtrip, test_token_roundtrip,
		test_join_commit_merge_roundtrip, test_truncated,
		test_trailing_and_oversized, test_version_type_reserved,
		test_unknown_nodes, test_token_inconsistent,
		test_join_inconsistent, test_commit_inconsistent,
		test_mcast_inconsistent, test_sets_at_the_limit, test_flips,
		NULL };

	return unit_suite_of("totem_wire", "wire", 30, tests);
}
