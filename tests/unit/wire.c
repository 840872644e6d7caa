/* The wire cursor (wire/wire.h): byte orders, bounds, sticky errors, the
 * count check before an array, positional access. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <string.h>

#include "wire/wire.h"
#include "unit/check_main.h"

START_TEST(orders_round_trip)
{
	uint8_t b[32];
	struct wire_wr w;
	struct wire_rd r;
	uint8_t u8 = 0;
	uint16_t u16 = 0;
	uint32_t u32 = 0, n32 = 0;
	uint64_t u64 = 0, n64 = 0;

	wire_wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(wire_wr_u8(&w, 0xa1), 0);
	ck_assert_int_eq(wire_wr_be16(&w, 0x0102), 0);
	ck_assert_int_eq(wire_wr_be32(&w, 0x03040506), 0);
	ck_assert_int_eq(wire_wr_be64(&w, 0x0708090a0b0c0d0eull), 0);
	ck_assert_int_eq(wire_wr_ne32(&w, 0xdeadbeef), 0);
	ck_assert_int_eq(wire_wr_ne64_at(&w, 24, 0x1122334455667788ull), 0);
	ck_assert_uint_eq(w.off, 32);
	/* big-endian is byte by byte, whatever the host */
	ck_assert_mem_eq(b, "\xa1\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"
		"\x0b\x0c\x0d\x0e", 15);

	wire_rd_init(&r, b, sizeof(b));
	wire_rd_u8(&r, &u8);
	wire_rd_be16(&r, &u16);
	wire_rd_be32(&r, &u32);
	wire_rd_be64(&r, &u64);
	wire_rd_ne32(&r, &n32);
	ck_assert_int_eq(wire_rd_ne64_at(&r, 24, &n64), 0);
	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(u8, 0xa1);
	ck_assert_uint_eq(u16, 0x0102);
	ck_assert_uint_eq(u32, 0x03040506);
	ck_assert_uint_eq(u64, 0x0708090a0b0c0d0eull);
	ck_assert_uint_eq(n32, 0xdeadbeef);
	ck_assert_uint_eq(n64, 0x1122334455667788ull);
	ck_assert_uint_eq(wire_rd_left(&r), 0);
}
END_TEST

START_TEST(bounds_are_sticky)
{
	uint8_t b[6] = { 1, 2, 3, 4, 5, 6 };
	struct wire_rd r;
	struct wire_wr w;
	uint32_t v = 7;
	uint8_t u8 = 9;

	wire_rd_init(&r, b, sizeof(b));
	ck_assert_int_eq(wire_rd_ne32_at(&r, 3, &v), -EBADMSG);
	ck_assert_uint_eq(v, 7);	/* a failed read leaves its output */
	/* after one failure, everything fails, even what would fit */
	ck_assert_int_eq(wire_rd_seek(&r, 0), -EBADMSG);
	ck_assert_int_eq(wire_rd_u8(&r, &u8), -EBADMSG);
	ck_assert_uint_eq(u8, 9);
	ck_assert_uint_eq(wire_rd_left(&r), 0);
	ck_assert_ptr_null(wire_rd_take(&r, 0));

	/* seeking to the end is allowed, past it is not */
	wire_rd_init(&r, b, sizeof(b));
	ck_assert_int_eq(wire_rd_seek(&r, 6), 0);
	ck_assert_int_eq(wire_rd_seek(&r, 7), -EBADMSG);

	wire_wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(wire_wr_ne32_at(&w, 2, 0), 0);
	ck_assert_int_eq(wire_wr_u8(&w, 0), -EMSGSIZE);
	ck_assert_int_eq(wire_wr_seek(&w, 0), -EMSGSIZE);
	ck_assert_int_eq(wire_wr_bytes(&w, "x", 1), -EMSGSIZE);
	ck_assert_mem_eq(b, "\x01\x02\x00\x00\x00\x00", 6);

	/* no buffer: no room at all */
	wire_rd_init(&r, NULL, 100);
	ck_assert_uint_eq(wire_rd_left(&r), 0);
	ck_assert_int_eq(wire_rd_u8(&r, &u8), -EBADMSG);
}
END_TEST

START_TEST(count_before_array)
{
	uint8_t b[4 + 3 * 8];
	struct wire_rd r;

	memset(b, 0, sizeof(b));
	wire_rd_init(&r, b, sizeof(b));
	wire_rd_seek(&r, 4);
	ck_assert_int_eq(wire_rd_count(&r, 3, 8), 0);
	ck_assert_int_eq(wire_rd_count(&r, 0, 8), 0);
	ck_assert_uint_eq(r.off, 4);	/* checks, consumes nothing */
	ck_assert_int_eq(wire_rd_count(&r, 4, 8), -EBADMSG);
	ck_assert_int_eq(r.err, -EBADMSG);
	/* a count that would overflow a multiplication */
	wire_rd_init(&r, b, sizeof(b));
	ck_assert_int_eq(wire_rd_count(&r, UINT64_MAX / 4 + 1, 8), -EBADMSG);
	wire_rd_init(&r, b, sizeof(b));
	ck_assert_int_eq(wire_rd_count(&r, 0xffffffffu, 24), -EBADMSG);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");

	tcase_add_test(tc, orders_round_trip);
	tcase_add_test(tc, bounds_are_sticky);
	tcase_add_test(tc, count_before_array);
	suite_add_tcase(s, tc);
	return s;
}
