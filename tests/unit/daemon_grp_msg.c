/* The CPG layer's own messages (daemon/grp/grp_msg.c): explicit byte
 * order, round trips, and refusal of anything malformed. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "grp/grp_msg.h"
#include "unit/check_main.h"

static struct grp_gname gn(const char *s)
{
	struct grp_gname g;

	memset(&g, 0, sizeof(g));
	g.len = (uint32_t)strlen(s);
	memcpy(g.value, s, g.len);
	return g;
}

START_TEST(join_bytes_are_big_endian)
{
	struct grp_msg m = { .type = GRP_MSG_JOIN, .pid = 0x01020304 };
	uint8_t b[GRP_MSG_HDR_MAX];
	static const uint8_t want[] = { GRP_MSG_VERSION, 1, 0, 0,
					1, 2, 3, 4, 0, 0, 0, 2, 'a', 'b' };

	m.group = gn("ab");
	ck_assert_int_eq(grp_msg_encode_hdr(&m, b, sizeof(b)), (int)sizeof(want));
	ck_assert(memcmp(b, want, sizeof(want)) == 0);
}
END_TEST

START_TEST(round_trips)
{
	uint8_t b[GRP_MSG_HDR_MAX + 16];
	struct grp_msg m, d;
	int n;

	memset(&m, 0, sizeof(m));
	m.type = GRP_MSG_LEAVE;
	m.pid = 77;
	m.group = gn("group");
	m.reason = CPG_REASON_PROCDOWN;
	n = grp_msg_encode_hdr(&m, b, sizeof(b));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n, &d), 0);
	ck_assert_uint_eq(d.type, GRP_MSG_LEAVE);
	ck_assert_uint_eq(d.pid, 77);
	ck_assert_uint_eq(d.reason, CPG_REASON_PROCDOWN);
	ck_assert_uint_eq(d.group.len, 5);
	ck_assert(memcmp(d.group.value, "group", 5) == 0);

	memset(&m, 0, sizeof(m));
	m.type = GRP_MSG_DATA;
	m.pid = 5;
	m.group = gn("g");
	m.payload_len = 16;
	n = grp_msg_encode_hdr(&m, b, sizeof(b));
	memcpy(b + n, "0123456789abcdef", 16);
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n + 16, &d), 0);
	ck_assert_uint_eq(d.payload_len, 16);
	ck_assert(memcmp(d.payload, "0123456789abcdef", 16) == 0);
	/* the payload must be exactly as long as announced */
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n + 15, &d), -EBADMSG);
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n + 16 + 1, &d), -EBADMSG);

	memset(&m, 0, sizeof(m));
	m.type = GRP_MSG_FRAG;
	m.pid = 5;
	m.group = gn("g");
	m.msglen = 1000;
	m.frag_type = CPG_FRAG_CONTINUED;
	m.payload_len = 4;
	n = grp_msg_encode_hdr(&m, b, sizeof(b));
	memcpy(b + n, "wxyz", 4);
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n + 4, &d), 0);
	ck_assert_uint_eq(d.msglen, 1000);
	ck_assert_uint_eq(d.frag_type, CPG_FRAG_CONTINUED);
}
END_TEST

START_TEST(every_truncation_refused)
{
	uint8_t b[GRP_MSG_HDR_MAX + 8];
	struct grp_msg m, d;
	uint8_t types[] = { GRP_MSG_JOIN, GRP_MSG_LEAVE, GRP_MSG_DATA, GRP_MSG_FRAG };
	size_t i, k;

	for (i = 0; i < sizeof(types); i++) {
		int n;

		memset(&m, 0, sizeof(m));
		m.type = types[i];
		m.pid = 1;
		m.group = gn("name");
		m.reason = CPG_REASON_LEAVE;
		m.msglen = 8;
		m.frag_type = CPG_FRAG_FIRST;
		m.payload_len = 8;
		n = grp_msg_encode_hdr(&m, b, sizeof(b));
		ck_assert_int_gt(n, 0);
		if (types[i] == GRP_MSG_DATA || types[i] == GRP_MSG_FRAG)
			n += 8;
		ck_assert_int_eq(grp_msg_decode(b, (size_t)n, &d), 0);
		for (k = 0; k < (size_t)n; k++)
			ck_assert_int_eq(grp_msg_decode(b, k, &d), -EBADMSG);
	}
}
END_TEST

START_TEST(bad_fields_refused)
{
	uint8_t b[GRP_MSG_HDR_MAX];
	struct grp_msg m, d;
	int n;

	memset(&m, 0, sizeof(m));
	m.type = GRP_MSG_LEAVE;
	m.group = gn("x");
	m.reason = CPG_REASON_LEAVE;
	n = grp_msg_encode_hdr(&m, b, sizeof(b));
	b[0] = GRP_MSG_VERSION + 1;	/* version */
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n, &d), -EBADMSG);
	b[0] = GRP_MSG_VERSION;
	b[1] = 9;			/* type */
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n, &d), -EBADMSG);
	b[1] = GRP_MSG_LEAVE;
	b[n - 1] = 9;			/* reason */
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n, &d), -EBADMSG);
	b[n - 1] = CPG_REASON_LEAVE;
	b[8] = 1;			/* name length 16777217 */
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n, &d), -EBADMSG);
	b[8] = 0;
	b[11] = 129;			/* name length 129 */
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n, &d), -EBADMSG);
	/* the encoder refuses a name too long */
	m.group.len = 129;
	ck_assert_int_eq(grp_msg_encode_hdr(&m, b, sizeof(b)), -EINVAL);
	/* fragment longer than its message, or of an unknown type */
	memset(&m, 0, sizeof(m));
	m.type = GRP_MSG_FRAG;
	m.group = gn("x");
	m.msglen = 2;
	m.frag_type = CPG_FRAG_LAST;
	m.payload_len = 3;
	n = grp_msg_encode_hdr(&m, b, sizeof(b));
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n + 3, &d), -EBADMSG);
	m.msglen = 3;
	m.frag_type = 4;
	n = grp_msg_encode_hdr(&m, b, sizeof(b));
	ck_assert_int_eq(grp_msg_decode(b, (size_t)n + 3, &d), -EBADMSG);
	/* too small a buffer to encode into */
	ck_assert_int_eq(grp_msg_encode_hdr(&m, b, 5), -EMSGSIZE);
}
END_TEST

START_TEST(sync_lists)
{
	uint8_t b[1024];
	struct wire_wr w;
	struct grp_msg d;
	struct grp_gname g1 = gn("one"), g2 = gn("two"), g;
	uint32_t nodeid, pid;

	wire_wr_init(&w, b, sizeof(b));
	grp_msg_sync_begin(&w, 2);
	grp_msg_sync_add(&w, 1, 10, &g1);
	grp_msg_sync_add(&w, 5, 20, &g2);
	ck_assert_int_eq(w.err, 0);
	ck_assert_int_eq(grp_msg_decode(b, w.off, &d), 0);
	ck_assert_uint_eq(d.type, GRP_MSG_SYNC);
	ck_assert_int_eq(grp_msg_sync_next(&d, &nodeid, &pid, &g), 0);
	ck_assert_uint_eq(nodeid, 1);
	ck_assert_uint_eq(pid, 10);
	ck_assert(g.len == 3 && memcmp(g.value, "one", 3) == 0);
	ck_assert_int_eq(grp_msg_sync_next(&d, &nodeid, &pid, &g), 0);
	ck_assert_uint_eq(nodeid, 5);
	ck_assert_uint_eq(pid, 20);
	ck_assert_int_eq(grp_msg_sync_next(&d, &nodeid, &pid, &g), -ENODATA);
	/* truncated inside an entry, a count beyond the bytes, trailing junk */
	ck_assert_int_eq(grp_msg_decode(b, w.off - 1, &d), 0);
	ck_assert_int_eq(grp_msg_sync_next(&d, &nodeid, &pid, &g), 0);
	ck_assert_int_eq(grp_msg_sync_next(&d, &nodeid, &pid, &g), -EBADMSG);
	b[7] = 200;
	ck_assert_int_eq(grp_msg_decode(b, w.off, &d), -EBADMSG);
	b[7] = 1;
	ck_assert_int_eq(grp_msg_decode(b, w.off, &d), 0);
	ck_assert_int_eq(grp_msg_sync_next(&d, &nodeid, &pid, &g), 0);
	ck_assert_int_eq(grp_msg_sync_next(&d, &nodeid, &pid, &g), -EBADMSG);
}
END_TEST

START_TEST(random_bytes)
{
	unsigned int seed = 3;
	struct grp_msg d;
	uint8_t b[256];
	int i;

	for (i = 0; i < 50000; i++) {
		size_t len = (size_t)(rand_r(&seed) % sizeof(b)), k;
		struct grp_gname g;
		uint32_t nodeid, pid;

		for (k = 0; k < len; k++)
			b[k] = (uint8_t)rand_r(&seed);
		if (len > 2) {
			b[0] = GRP_MSG_VERSION;
			b[1] = (uint8_t)(1 + rand_r(&seed) % 5);
		}
		if (grp_msg_decode(b, len, &d) == 0 && d.type == GRP_MSG_SYNC)
			while (grp_msg_sync_next(&d, &nodeid, &pid, &g) == 0)
				;
	}
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("daemon_grp_msg");
	TCase *tc = tcase_create("msg");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, join_bytes_are_big_endian);
	tcase_add_test(tc, round_trips);
	tcase_add_test(tc, every_truncation_refused);
	tcase_add_test(tc, bad_fields_refused);
	tcase_add_test(tc, sync_lists);
	tcase_add_test(tc, random_bytes);
	suite_add_tcase(s, tc);
	return s;
}
