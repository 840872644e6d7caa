/* Reassembly of fragmented deliveries. */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpg_reasm.h"
#include "cpg_wire.h"
#include "unit/check_main.h"

static uint8_t *pattern(size_t len, unsigned seed)
{
	uint8_t *b = malloc(len);

	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 13 + seed + (i >> 10));
	return b;
}

/* Feed msg in fragments of frag bytes; returns the result of the last. */
static int feed(struct cpg_reasm *r, uint32_t nodeid, uint32_t pid,
	const uint8_t *msg, size_t len, size_t frag, void **out, size_t *out_len)
{
	int rc = 0;

	for (size_t off = 0; off < len; off += frag) {
		size_t n = len - off < frag ? len - off : frag;
		uint32_t type = off == 0 ? CPG_FRAG_FIRST
			: off + n == len ? CPG_FRAG_LAST : CPG_FRAG_CONTINUED;

		rc = cpg_reasm_add(r, nodeid, pid, type, (uint32_t)len,
			msg + off, n, out, out_len);
		if (off + n < len)
			ck_assert_int_eq(rc, 0);
	}
	return rc;
}

START_TEST(in_order)
{
	struct cpg_reasm r;
	uint8_t *msg = pattern(10000, 1);
	void *out;
	size_t len;

	cpg_reasm_init(&r);
	ck_assert_int_eq(feed(&r, 1, 100, msg, 10000, 3000, &out, &len), 1);
	ck_assert_uint_eq(len, 10000);
	ck_assert_mem_eq(out, msg, 10000);
	ck_assert_uint_eq(cpg_reasm_pending(&r), 0);
	free(out);
	free(msg);
	cpg_reasm_fini(&r);
}
END_TEST

START_TEST(interleaved_senders)
{
	struct cpg_reasm r;
	uint8_t *a = pattern(300, 2), *b = pattern(250, 3);
	void *out;
	size_t len;

	cpg_reasm_init(&r);
	/* same pid on two nodes and two pids on one node are all distinct */
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 7, CPG_FRAG_FIRST, 300, a, 100,
		&out, &len), 0);
	ck_assert_int_eq(cpg_reasm_add(&r, 2, 7, CPG_FRAG_FIRST, 250, b, 100,
		&out, &len), 0);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 8, CPG_FRAG_FIRST, 250, b, 100,
		&out, &len), 0);
	ck_assert_uint_eq(cpg_reasm_pending(&r), 3);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 7, CPG_FRAG_CONTINUED, 300, a + 100,
		100, &out, &len), 0);
	ck_assert_int_eq(cpg_reasm_add(&r, 2, 7, CPG_FRAG_LAST, 250, b + 100,
		150, &out, &len), 1);
	ck_assert_uint_eq(len, 250);
	ck_assert_mem_eq(out, b, 250);
	free(out);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 7, CPG_FRAG_LAST, 300, a + 200,
		100, &out, &len), 1);
	ck_assert_uint_eq(len, 300);
	ck_assert_mem_eq(out, a, 300);
	free(out);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 8, CPG_FRAG_LAST, 250, b + 100,
		150, &out, &len), 1);
	ck_assert_mem_eq(out, b, 250);
	free(out);
	ck_assert_uint_eq(cpg_reasm_pending(&r), 0);
	free(a);
	free(b);
	cpg_reasm_fini(&r);
}
END_TEST

START_TEST(bad_order_rejected)
{
	struct cpg_reasm r;
	uint8_t *m = pattern(300, 4);
	void *out;
	size_t len;

	cpg_reasm_init(&r);
	/* a continuation or an end without a start */
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_CONTINUED, 300, m, 100,
		&out, &len), -EBADMSG);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_LAST, 300, m, 100,
		&out, &len), -EBADMSG);
	/* an unknown fragment type drops what was under way */
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_FIRST, 300, m, 100,
		&out, &len), 0);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, 9, 300, m, 100,
		&out, &len), -EBADMSG);
	ck_assert_uint_eq(cpg_reasm_pending(&r), 0);
	/* a different total in the middle */
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_FIRST, 300, m, 100,
		&out, &len), 0);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_CONTINUED, 301, m, 100,
		&out, &len), -EBADMSG);
	ck_assert_uint_eq(cpg_reasm_pending(&r), 0);
	/* more than the total */
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_FIRST, 300, m, 200,
		&out, &len), 0);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_CONTINUED, 300, m, 200,
		&out, &len), -EBADMSG);
	/* an end that leaves a hole */
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_FIRST, 300, m, 100,
		&out, &len), 0);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_LAST, 300, m, 100,
		&out, &len), -EBADMSG);
	ck_assert_uint_eq(cpg_reasm_pending(&r), 0);
	/* a first fragment larger than its total, an empty or huge total */
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_FIRST, 50, m, 100,
		&out, &len), -EBADMSG);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_FIRST, 0, m, 0,
		&out, &len), -EBADMSG);
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_FIRST,
		CPG_REASM_MAX_MSG + 1, m, 100, &out, &len), -EBADMSG);
	ck_assert_uint_eq(cpg_reasm_pending(&r), 0);
	/* a new start abandons the old message and the new one completes */
	ck_assert_int_eq(cpg_reasm_add(&r, 1, 1, CPG_FRAG_FIRST, 300, m, 100,
		&out, &len), 0);
	ck_assert_int_eq(feed(&r, 1, 1, m, 300, 150, &out, &len), 1);
	ck_assert_mem_eq(out, m, 300);
	free(out);
	/* the unfinished message of one sender does not disturb another */
	ck_assert_int_eq(cpg_reasm_add(&r, 3, 3, CPG_FRAG_FIRST, 300, m, 100,
		&out, &len), 0);
	ck_assert_int_eq(feed(&r, 4, 4, m, 300, 100, &out, &len), 1);
	free(out);
	ck_assert_uint_eq(cpg_reasm_pending(&r), 1);
	free(m);
	cpg_reasm_fini(&r);
}
END_TEST

START_TEST(sixty_four_mib)
{
	const size_t len = 64u * 1024 * 1024 + 3;
	struct cpg_reasm r;
	uint8_t *m = pattern(len, 5);
	void *out;
	size_t got;

	cpg_reasm_init(&r);
	ck_assert_int_eq(feed(&r, 1, 1, m, len, 1047552, &out, &got), 1);
	ck_assert_uint_eq(got, len);
	ck_assert_int_eq(memcmp(out, m, len), 0);
	free(out);
	free(m);
	cpg_reasm_fini(&r);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { in_order, interleaved_senders,
		bad_order_rejected, sixty_four_mib, NULL };

	return unit_suite_of("lib_reasm", "reasm", 30, tests);
}
