/* The daemon's reader of a client's request ring
 * (daemon/ipc/ipc_ring_parse.c): nothing in the ring is trusted. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <check.h>

#include "ipc/ipc_proto.h"
#include "ipc/ipc_ring_parse.h"
#include "unit/check_main.h"

#define SIZE 4096u

static uint8_t ring[SIZE];
static uint8_t out[SIZE];

static void put32(uint64_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		ring[(at + (uint64_t)i) % SIZE] = (uint8_t)(v >> (8 * i));
}

/* An MCAST request of len payload bytes at position at: its step. */
static uint64_t mcast(uint64_t at, uint32_t len, uint8_t fill)
{
	uint32_t size = CPG_WIRE_MCAST_HDR + len;

	for (uint32_t i = 0; i < size; i++)
		ring[(at + i) % SIZE] = i < CPG_WIRE_MCAST_HDR ? 0 : fill;
	put32(at + CPG_WIRE_HDR_ID, CPG_REQ_MCAST);
	put32(at + CPG_WIRE_HDR_SIZE, size);
	put32(at + CPG_WIRE_MCAST_MSGLEN, len);
	return ipc_ring_step(size);
}

static int next(uint64_t head, uint64_t tail, size_t *len, const char **why)
{
	return ipc_ring_next(ring, SIZE, head, tail, out, sizeof(out), len,
			     why);
}

START_TEST(entries_in_order_and_empty)
{
	uint64_t a = mcast(0, 5, 0xaa), b = mcast(a, 20, 0xbb);
	size_t len = 0;

	ck_assert_uint_eq(a, 48);
	ck_assert_int_eq(next(0, a + b, &len, NULL), 0);
	ck_assert_uint_eq(len, 45);
	ck_assert_uint_eq(out[40], 0xaa);
	ck_assert_int_eq(next(a, a + b, &len, NULL), 0);
	ck_assert_uint_eq(len, 60);
	ck_assert_uint_eq(out[59], 0xbb);
	ck_assert_int_eq(next(a + b, a + b, &len, NULL), -EAGAIN);
}
END_TEST

START_TEST(entry_wraps_at_the_end)
{
	/* indices count bytes ever written: far past the size, wrapping */
	uint64_t head = 10 * (uint64_t)SIZE - 24;
	uint64_t step = mcast(head, 100, 0xcc);
	size_t len = 0;

	ck_assert_int_eq(next(head, head + step, &len, NULL), 0);
	ck_assert_uint_eq(len, 140);
	ck_assert_uint_eq(out[0], CPG_REQ_MCAST);
	ck_assert_uint_eq(out[139], 0xcc);
}
END_TEST

START_TEST(indices_out_of_range)
{
	const char *why = NULL;
	size_t len;

	mcast(0, 8, 1);
	/* more than the ring holds, behind the head, not aligned */
	ck_assert_int_eq(next(0, SIZE + 8, &len, &why), -ERANGE);
	ck_assert_str_eq(why, "ring index out of range");
	ck_assert_int_eq(next(64, 8, &len, NULL), -ERANGE);
	ck_assert_int_eq(next(0, 44, &len, NULL), -ERANGE);
	ck_assert_int_eq(next(4, 52, &len, NULL), -EINVAL);
	/* a size that is no power of two */
	ck_assert_int_eq(ipc_ring_next(ring, 3000, 0, 48, out, sizeof(out),
				       &len, NULL), -EINVAL);
}
END_TEST

START_TEST(garbage_entries)
{
	const char *why = NULL;
	size_t len;

	/* not an MCAST: a JOIN's id */
	mcast(0, 8, 1);
	put32(CPG_WIRE_HDR_ID, CPG_REQ_JOIN);
	ck_assert_int_eq(next(0, 48, &len, &why), -EBADMSG);
	ck_assert_str_eq(why, "ring entry is not a multicast");
	/* sizes: below an MCAST header, above the room, beyond the tail */
	mcast(0, 8, 1);
	put32(CPG_WIRE_HDR_SIZE, 16);
	ck_assert_int_eq(next(0, 48, &len, NULL), -EBADMSG);
	put32(CPG_WIRE_HDR_SIZE, SIZE + 8);
	ck_assert_int_eq(next(0, 48, &len, NULL), -EBADMSG);
	put32(CPG_WIRE_HDR_SIZE, 0xffffffffu);
	ck_assert_int_eq(next(0, 48, &len, NULL), -EBADMSG);
	put32(CPG_WIRE_HDR_SIZE, 1000);
	ck_assert_int_eq(next(0, 48, &len, &why), -EBADMSG);
	ck_assert_str_eq(why, "ring entry longer than what was written");
	/* less written than a header */
	ck_assert_int_eq(next(0, 8, &len, NULL), -EBADMSG);
	/* room smaller than the entry */
	mcast(0, 100, 1);
	ck_assert_int_eq(ipc_ring_next(ring, SIZE, 0, 144, out, 64, &len,
				       NULL), -EBADMSG);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("daemon_ipc_ring");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, entries_in_order_and_empty);
	tcase_add_test(tc, entry_wraps_at_the_end);
	tcase_add_test(tc, indices_out_of_range);
	tcase_add_test(tc, garbage_entries);
	suite_add_tcase(s, tc);
	return s;
}
