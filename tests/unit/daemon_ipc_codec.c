/* Request validation and response/event layout of the CPG client
 * protocol (daemon/ipc/ipc_codec.c). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "ipc/ipc_codec.h"
#include "ipc/ipc_reqs.h"
#include "unit/check_main.h"

static uint8_t buf[4096];

static void put32(size_t off, uint32_t v) { memcpy(buf + off, &v, 4); }
static void put64(size_t off, uint64_t v) { memcpy(buf + off, &v, 8); }
static uint32_t get32(const uint8_t *b, size_t off) { uint32_t v; memcpy(&v, b + off, 4); return v; }
static uint64_t get64(const uint8_t *b, size_t off) { uint64_t v; memcpy(&v, b + off, 8); return v; }

static size_t mk(uint32_t id, size_t len)
{
	memset(buf, 0, sizeof(buf));
	put32(0, id);
	put32(8, (uint32_t)len);
	return len;
}

static const size_t fixed[CPG_REQ_COUNT_] = { 168, 160, 0, 152, 16, 160, 24,
					      24, 16, 152, 32, 24, 0 };

START_TEST(every_fixed_id_exact_size_only)
{
	struct ipc_req r;
	uint32_t id;

	for (id = 0; id < CPG_REQ_COUNT_; id++) {
		size_t n = fixed[id];

		/* the request table agrees with the sizes of the spec */
		ck_assert_uint_eq(ipc_req_kind(id)->size, n);
		if (!n)
			continue;
		ck_assert_int_eq(ipc_req_decode(buf, mk(id, n), &r), 0);
		ck_assert_uint_eq(r.id, id);
		if (n > 16)	/* truncated to a bare header */
			ck_assert_int_eq(ipc_req_decode(buf, mk(id, 16), &r), -EBADMSG);
		ck_assert_int_eq(ipc_req_decode(buf, mk(id, n - 1), &r),
				 n - 1 < 16 ? -EPROTO : -EBADMSG);
		ck_assert_int_eq(ipc_req_decode(buf, mk(id, n + 8), &r), -EBADMSG);
	}
}
END_TEST

START_TEST(header_must_tell_the_truth)
{
	struct ipc_req r;

	ck_assert_int_eq(ipc_req_decode(buf, 0, &r), -EPROTO);
	ck_assert_int_eq(ipc_req_decode(buf, 15, &r), -EPROTO);
	mk(0, 168);
	put32(8, 169);
	ck_assert_int_eq(ipc_req_decode(buf, 168, &r), -EPROTO);
	put32(8, 0);
	ck_assert_int_eq(ipc_req_decode(buf, 168, &r), -EPROTO);
	ck_assert_int_eq(ipc_req_decode(NULL, 168, &r), -EPROTO);
}
END_TEST

START_TEST(unknown_ids)
{
	struct ipc_req r;
	uint32_t ids[] = { 13, 14, 99, 0x80000000u, 0xffffffffu };
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		ck_assert_int_eq(ipc_req_decode(buf, mk(ids[i], 64), &r), -ENOSYS);
		ck_assert_ptr_null(ipc_req_kind(ids[i]));
	}
}
END_TEST

START_TEST(join_fields)
{
	struct ipc_req r;

	mk(0, 168);
	put32(16, 5);
	memcpy(buf + 24, "hello", 5);
	put32(152, 4321);
	put32(160, 1);
	ck_assert_int_eq(ipc_req_decode(buf, 168, &r), 0);
	ck_assert_uint_eq(r.name.len, 5);
	ck_assert(memcmp(r.name.value, "hello", 5) == 0);
	ck_assert_uint_eq(r.pid, 4321);
	ck_assert_uint_eq(r.flags, 1);
	/* a length over 128 is kept as sent, for the layer to refuse */
	put32(16, 5000);
	ck_assert_int_eq(ipc_req_decode(buf, 168, &r), 0);
	ck_assert_uint_eq(r.name.len, 5000);
}
END_TEST

START_TEST(mcast_lengths)
{
	struct ipc_req r;

	mk(2, 40 + 10);
	put32(24, 2);
	put32(32, 10);
	memcpy(buf + 40, "0123456789", 10);
	ck_assert_int_eq(ipc_req_decode(buf, 50, &r), 0);
	ck_assert_uint_eq(r.payload_len, 10);
	ck_assert(memcmp(r.payload, "0123456789", 10) == 0);
	ck_assert_uint_eq(r.guarantee, 2);
	put32(32, 11);
	ck_assert_int_eq(ipc_req_decode(buf, 50, &r), -EBADMSG);
	put32(32, 0xffffffffu);
	ck_assert_int_eq(ipc_req_decode(buf, 50, &r), -EBADMSG);
	/* shorter than its own header */
	ck_assert_int_eq(ipc_req_decode(buf, mk(2, 39), &r), -EBADMSG);
	/* empty message */
	ck_assert_int_eq(ipc_req_decode(buf, mk(2, 40), &r), 0);
	ck_assert_uint_eq(r.payload_len, 0);
	ck_assert(!ipc_req_kind(2)->replies);
}
END_TEST

START_TEST(partial_lengths)
{
	struct ipc_req r;

	mk(12, 56 + 20);
	put32(32, 100);
	put32(40, 20);
	put32(48, 1);
	ck_assert_int_eq(ipc_req_decode(buf, 76, &r), 0);
	ck_assert_uint_eq(r.msglen, 100);
	ck_assert_uint_eq(r.payload_len, 20);
	ck_assert_uint_eq(r.frag_type, 1);
	put32(40, 21);		/* fraglen disagrees with the size */
	ck_assert_int_eq(ipc_req_decode(buf, 76, &r), -EBADMSG);
	put32(40, 20);
	put32(32, 19);		/* fragment longer than the message */
	ck_assert_int_eq(ipc_req_decode(buf, 76, &r), -EBADMSG);
	ck_assert_int_eq(ipc_req_decode(buf, mk(12, 55), &r), -EBADMSG);
}
END_TEST

START_TEST(zc_requests)
{
	struct ipc_req r;

	mk(9, 152);
	put64(16, 4096);
	strcpy((char *)buf + 24, "/dev/shm/x");
	ck_assert_int_eq(ipc_req_decode(buf, 152, &r), 0);
	ck_assert_str_eq(r.path, "/dev/shm/x");
	ck_assert_uint_eq(r.map_size, 4096);
	memset(buf + 24, 'a', 128);	/* no NUL inside the field */
	ck_assert_int_eq(ipc_req_decode(buf, 152, &r), -EBADMSG);
	mk(10, 32);
	put64(16, 100);
	put64(24, 0x1122334455667788ull);
	ck_assert_int_eq(ipc_req_decode(buf, 32, &r), 0);
	ck_assert_uint_eq(r.handle, 0x1122334455667788ull);
	/* the mcast header inside a zero-copy file */
	{
		uint8_t h[40] = { 0 };
		uint32_t g, len, v;

		v = 2;
		memcpy(h, &v, 4);
		v = 40 + 7;
		memcpy(h + 8, &v, 4);
		v = 7;
		memcpy(h + 32, &v, 4);
		ck_assert_int_eq(ipc_req_decode_zc_mcast(h, 40, &g, &len), 0);
		ck_assert_uint_eq(len, 7);
		v = 40 + 8;
		memcpy(h + 8, &v, 4);
		ck_assert_int_eq(ipc_req_decode_zc_mcast(h, 40, &g, &len), -EBADMSG);
		ck_assert_int_eq(ipc_req_decode_zc_mcast(h, 39, &g, &len), -EBADMSG);
	}
}
END_TEST

START_TEST(response_ids_and_sizes)
{
	uint8_t out[CPG_WIRE_MEMBERSHIP_RES_SIZE];
	struct grp_addr a[2] = { { 1, 10, 0 }, { 2, 20, 0 } };
	struct grp_gname g = { 3, "abc" };

	ck_assert_int_eq(ipc_res_encode(out, sizeof(out), 0, 14), 24);
	ck_assert_uint_eq(get32(out, 0), 0);
	ck_assert_uint_eq(get32(out, 8), 24);
	ck_assert_uint_eq(get32(out, 16), 14);
	/* ZC_EXECUTE answers as MCAST */
	ck_assert_uint_eq(ipc_req_kind(11)->res_id, 2);
	ck_assert_uint_eq(ipc_req_kind(12)->res_id, 18);
	ck_assert_uint_eq(ipc_req_kind(9)->res_id, 14);
	ck_assert_int_eq(ipc_res_encode(out, sizeof(out), 6, 27), 168);
	ck_assert_uint_eq(get32(out, 0), 10);
	ck_assert_int_eq(ipc_res_encode(out, 10, 0, 1), -EMSGSIZE);

	ck_assert_int_eq(ipc_res_membership(out, sizeof(out), 1, a, 2), 9248);
	ck_assert_uint_eq(get32(out, 0), 3);
	ck_assert_uint_eq(get32(out, 24), 2);
	ck_assert_uint_eq(get32(out, 32 + 24), 2);
	ck_assert_uint_eq(get32(out, 32 + 24 + 8), 20);

	ck_assert_int_eq(ipc_res_local_get(out, sizeof(out), 1, 7), 32);
	ck_assert_uint_eq(get32(out, 0), 7);
	ck_assert_uint_eq(get32(out, 24), 7);
	ck_assert_int_eq(ipc_res_iter_init(out, sizeof(out), 1, 99), 32);
	ck_assert_uint_eq(get64(out, 24), 99);
	ck_assert_int_eq(ipc_res_iter_next(out, sizeof(out), 1, &g, 5, 6), 168);
	ck_assert_uint_eq(get32(out, 24), 3);
	ck_assert(memcmp(out + 32, "abc", 3) == 0);
	ck_assert_uint_eq(get32(out, 24 + 136), 5);
	ck_assert_uint_eq(get32(out, 24 + 140), 6);
}
END_TEST

START_TEST(event_layouts)
{
	uint8_t out[1024];
	struct grp_gname g = { 2, "gg" };
	struct grp_addr m[2] = { { 1, 10, 0 }, { 1, 11, 0 } };
	struct grp_addr l = { 1, 12, 2 }, j = { 1, 11, 1 };
	uint32_t nodes[3] = { 1, 2, 3 };

	ck_assert_int_eq(ipc_ev_confchg(out, sizeof(out), &g, m, 2, &l, 1, &j, 1),
			 184 + 4 * 24);
	ck_assert_uint_eq(get32(out, 0), 4);
	ck_assert_uint_eq(get32(out, 8), 184 + 4 * 24);
	ck_assert_uint_eq(get32(out, 24), 2);
	ck_assert_uint_eq(get32(out, 160), 2);	/* members */
	ck_assert_uint_eq(get32(out, 168), 1);	/* joined */
	ck_assert_uint_eq(get32(out, 176), 1);	/* left */
	/* members, then left, then joined */
	ck_assert_uint_eq(get32(out, 184 + 8), 10);
	ck_assert_uint_eq(get32(out, 184 + 24 + 8), 11);
	ck_assert_uint_eq(get32(out, 184 + 48 + 8), 12);
	ck_assert_uint_eq(get32(out, 184 + 48 + 16), 2);
	ck_assert_uint_eq(get32(out, 184 + 72 + 8), 11);
	ck_assert_uint_eq(get32(out, 184 + 72 + 16), 1);

	ck_assert_int_eq(ipc_ev_deliver_hdr(out, sizeof(out), &g, 3, 44, 1000), 184);
	ck_assert_uint_eq(get32(out, 0), 5);
	ck_assert_uint_eq(get32(out, 8), 1184);
	ck_assert_uint_eq(get32(out, 160), 1000);
	ck_assert_uint_eq(get32(out, 168), 3);
	ck_assert_uint_eq(get32(out, 176), 44);

	ck_assert_int_eq(ipc_ev_partial_hdr(out, sizeof(out), &g, 3, 44, 5000, 2, 100), 200);
	ck_assert_uint_eq(get32(out, 0), 17);
	ck_assert_uint_eq(get32(out, 8), 300);
	ck_assert_uint_eq(get32(out, 160), 5000);
	ck_assert_uint_eq(get32(out, 168), 100);
	ck_assert_uint_eq(get32(out, 176), 3);
	ck_assert_uint_eq(get32(out, 184), 44);
	ck_assert_uint_eq(get32(out, 192), 2);

	ck_assert_int_eq(ipc_ev_totem(out, sizeof(out), 1, 77, nodes, 3), 48 + 12);
	ck_assert_uint_eq(get32(out, 0), 13);
	ck_assert_uint_eq(get32(out, 24), 1);
	ck_assert_uint_eq(get64(out, 32), 77);
	ck_assert_uint_eq(get32(out, 40), 3);
	ck_assert_uint_eq(get32(out, 44), 1);
	ck_assert_uint_eq(get32(out, 52), 3);

	ck_assert_int_eq(ipc_ev_flow(out, sizeof(out), 1), 32);
	ck_assert_uint_eq(get32(out, 0), 8);
	ck_assert_uint_eq(get32(out, 24), 1);
	ck_assert_int_eq(ipc_ev_confchg(out, 100, &g, m, 2, NULL, 0, NULL, 0), -EMSGSIZE);
}
END_TEST

START_TEST(errno_to_cs_error)
{
	ck_assert_uint_eq(ipc_cs_error(0), 1);
	ck_assert_uint_eq(ipc_cs_error(-EEXIST), 14);
	ck_assert_uint_eq(ipc_cs_error(-EBUSY), 10);
	ck_assert_uint_eq(ipc_cs_error(-EAGAIN), 6);
	ck_assert_uint_eq(ipc_cs_error(-ENAMETOOLONG), 13);
	ck_assert_uint_eq(ipc_cs_error(-ENOENT), 12);
	ck_assert_uint_eq(ipc_cs_error(-EINTR), 16);
	ck_assert_uint_eq(ipc_cs_error(-EINVAL), 7);
	ck_assert_uint_eq(ipc_cs_error(-ENODATA), 27);
	ck_assert_uint_eq(ipc_cs_error(-EMSGSIZE), 26);
	ck_assert_uint_eq(ipc_cs_error(-EACCES), 11);
	ck_assert_uint_eq(ipc_cs_error(-12345), 2);
}
END_TEST

/* Random bytes never crash the decoder and never read outside. */
START_TEST(random_requests)
{
	struct ipc_req r;
	unsigned int seed = 7;
	int i;

	for (i = 0; i < 20000; i++) {
		size_t len = (size_t)(rand_r(&seed) % 300);
		uint8_t *p = malloc(len ? len : 1);
		size_t k;

		for (k = 0; k < len; k++)
			p[k] = (uint8_t)rand_r(&seed);
		if (len >= 16) {
			uint32_t id = (uint32_t)(rand_r(&seed) % 14);
			uint32_t sz = (uint32_t)len;

			memcpy(p, &id, 4);
			if (rand_r(&seed) % 4)
				memcpy(p + 8, &sz, 4);
		}
		(void)ipc_req_decode(p, len, &r);
		free(p);
	}
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("daemon_ipc_codec");
	TCase *tc = tcase_create("codec");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, every_fixed_id_exact_size_only);
	tcase_add_test(tc, header_must_tell_the_truth);
	tcase_add_test(tc, unknown_ids);
	tcase_add_test(tc, join_fields);
	tcase_add_test(tc, mcast_lengths);
	tcase_add_test(tc, partial_lengths);
	tcase_add_test(tc, zc_requests);
	tcase_add_test(tc, response_ids_and_sizes);
	tcase_add_test(tc, event_layouts);
	tcase_add_test(tc, errno_to_cs_error);
	tcase_add_test(tc, random_requests);
	suite_add_tcase(s, tc);
	return s;
}
