/*
 * The status layer without IPC: the JSON builder (escaping, nesting rules,
 * the output bound) and the reply layout built from stub sources.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "status/status.h"
#include "unit/check_main.h"

static void json_eq(struct status_json *w, const char *want)
{
	ck_assert_int_eq(status_json_finish(w), 0);
	ck_assert_uint_eq(w->len, strlen(want));
	ck_assert_str_eq(w->buf, want);
}

START_TEST(json_nesting_and_values)
{
	struct status_json w;

	status_json_init(&w, 1024);
	status_json_obj_begin(&w, NULL);
	status_json_u64(&w, "a", 0);
	status_json_u64(&w, "max", UINT64_MAX);
	status_json_bool(&w, "t", true);
	status_json_bool(&w, "f", false);
	status_json_null(&w, "n");
	status_json_arr_begin(&w, "list");
	status_json_u64(&w, NULL, 1);
	status_json_obj_begin(&w, NULL);
	status_json_obj_end(&w);
	status_json_arr_begin(&w, NULL);
	status_json_arr_end(&w);
	status_json_arr_end(&w);
	status_json_str(&w, "s", "x");
	status_json_obj_end(&w);
	json_eq(&w, "{\"a\":0,\"max\":18446744073709551615,\"t\":true,"
		"\"f\":false,\"n\":null,\"list\":[1,{},[]],\"s\":\"x\"}");
	status_json_free(&w);
}
END_TEST

START_TEST(json_escaping)
{
	struct status_json w;
	/* quote, backslash, controls, DEL, a UTF-8 e-acute, 0xff, NUL */
	const unsigned char raw[] = { '"', '\\', '\n', '\r', '\t', 0x01, 0x1f,
				      0x7f, 0xc3, 0xa9, 0xff, 0x00, '/', 'z' };

	status_json_init(&w, 1024);
	status_json_obj_begin(&w, NULL);
	status_json_bytes(&w, "k\"ey", raw, sizeof(raw));
	status_json_obj_end(&w);
	json_eq(&w, "{\"k\\\"ey\":\"\\\"\\\\\\n\\r\\t\\u0001\\u001f\\u007f"
		"\\u00c3\\u00a9\\u00ff\\u0000/z\"}");
	status_json_free(&w);
}
END_TEST

START_TEST(json_nesting_errors)
{
	struct status_json w;
	int i;

	/* a key inside an array */
	status_json_init(&w, 100);
	status_json_arr_begin(&w, NULL);
	status_json_u64(&w, "k", 1);
	ck_assert_int_eq(status_json_error(&w), -EINVAL);
	status_json_free(&w);

	/* no key inside an object */
	status_json_init(&w, 100);
	status_json_obj_begin(&w, NULL);
	status_json_u64(&w, NULL, 1);
	ck_assert_int_eq(status_json_error(&w), -EINVAL);
	status_json_free(&w);

	/* closing the wrong container, closing too much, two top values */
	status_json_init(&w, 100);
	status_json_obj_begin(&w, NULL);
	status_json_arr_end(&w);
	ck_assert_int_eq(status_json_error(&w), -EINVAL);
	status_json_free(&w);
	status_json_init(&w, 100);
	status_json_obj_end(&w);
	ck_assert_int_eq(status_json_error(&w), -EINVAL);
	status_json_free(&w);
	status_json_init(&w, 100);
	status_json_u64(&w, NULL, 1);
	ck_assert_int_eq(status_json_finish(&w), 0);
	status_json_u64(&w, NULL, 2);
	ck_assert_int_eq(status_json_error(&w), -EINVAL);
	status_json_free(&w);

	/* unfinished, and nothing at all */
	status_json_init(&w, 100);
	ck_assert_int_eq(status_json_finish(&w), -EINVAL);
	status_json_arr_begin(&w, NULL);
	ck_assert_int_eq(status_json_finish(&w), -EINVAL);
	status_json_free(&w);

	/* too deep */
	status_json_init(&w, 1000);
	for (i = 0; i <= STATUS_JSON_MAX_DEPTH; i++)
		status_json_arr_begin(&w, NULL);
	ck_assert_int_eq(status_json_error(&w), -EINVAL);
	status_json_free(&w);
}
END_TEST

START_TEST(json_bound)
{
	struct status_json w;
	size_t max;

	/* "[1]" is exactly 3 bytes: fits in 3, not in 2 */
	status_json_init(&w, 3);
	status_json_arr_begin(&w, NULL);
	status_json_u64(&w, NULL, 1);
	status_json_arr_end(&w);
	json_eq(&w, "[1]");
	ck_assert_uint_le(w.cap, 4);
	status_json_free(&w);

	status_json_init(&w, 2);
	status_json_arr_begin(&w, NULL);
	status_json_u64(&w, NULL, 1);
	status_json_arr_end(&w);
	ck_assert_int_eq(status_json_finish(&w), -EMSGSIZE);
	ck_assert_uint_le(w.len, 2);
	status_json_free(&w);

	/* an escape is never cut in half: "\u0001\u0002" is 1+6+6+1 bytes */
	for (max = 0; max <= 14; max++) {
		status_json_init(&w, max);
		status_json_bytes(&w, NULL, "\x01\x02", 2);
		if (max == 14) {
			json_eq(&w, "\"\\u0001\\u0002\"");
		} else {
			ck_assert_int_eq(status_json_error(&w), -EMSGSIZE);
			ck_assert_uint_le(w.len, max);
			ck_assert(w.len == 0 || w.len == 1 || w.len == 7 ||
				  w.len == 13);
		}
		status_json_free(&w);
	}

	/* no bound at all is clamped, not wrapped */
	status_json_init(&w, SIZE_MAX);
	status_json_str(&w, NULL, "x");
	json_eq(&w, "\"x\"");
	status_json_free(&w);

	/* a long run grows the buffer but stays within the bound */
	status_json_init(&w, 100000);
	status_json_arr_begin(&w, NULL);
	for (max = 0; max < 50000; max++)
		status_json_u64(&w, NULL, 7);
	status_json_arr_end(&w);
	ck_assert_int_eq(status_json_finish(&w), -EMSGSIZE);
	ck_assert_uint_le(w.len, 100000);
	ck_assert_uint_le(w.cap, 100001);
	status_json_free(&w);
}
END_TEST

/* --- the reply layout, from stub sources --- */

struct stub {
	int fail;		/* returned by every source */
	int misuse;		/* call an emitter of another section */
};

static int stub_groups(void *arg, struct status_out *o)
{
	struct stub *s = arg;

	status_group_member(o, "a", 1, 1, 100);
	status_group_member(o, "a", 1, 2, 200);
	status_group_member(o, "b\"\n", 3, 1, 101);
	if (s->misuse)
		status_counter(o, "x", 1);
	return s->fail;
}

static int stub_ring(void *arg, struct status_out *o)
{
	static const uint32_t m[] = { 1, 2 };

	(void)arg;
	status_ring(o, 1, 12, m, 2, 2);
	return 0;
}

static int stub_links(void *arg, struct status_out *o)
{
	struct status_link l = { 0, true, true, "10.1.0.1:5405",
				 "10.1.0.2:5405", 150 };

	(void)arg;
	status_link(o, 2, &l);
	l.link = 1;
	l.connected = false;
	l.src = NULL;
	status_link(o, 2, &l);
	l.link = 0;
	status_link(o, 3, &l);
	return 0;
}

static int stub_counters_a(void *arg, struct status_out *o)
{
	(void)arg;
	status_counter(o, "sent_msgs", 5);
	return 0;
}

static int stub_counters_b(void *arg, struct status_out *o)
{
	(void)arg;
	status_counter(o, "ipc_clients", 2);
	return 0;
}

static int stub_bad_counter(void *arg, struct status_out *o)
{
	(void)arg;
	status_counter(o, "Bad-Name", 1);
	return 0;
}

static int stub_no_ring(void *arg, struct status_out *o)
{
	(void)arg;
	(void)o;
	return 0;
}

static void full_sources(struct status_sources *src, struct stub *st)
{
	memset(src, 0, sizeof(*src));
	src->groups = stub_groups;
	src->groups_arg = st;
	src->ring = stub_ring;
	src->links = stub_links;
	src->counters[0].fn = stub_counters_a;
	src->counters[3].fn = stub_counters_b;
}

START_TEST(build_all_sections)
{
	struct status_sources src;
	struct stub st = { 0, 0 };
	struct status_json w;

	full_sources(&src, &st);
	status_json_init(&w, 4096);
	ck_assert_int_eq(status_build(&src, 0, &w), 0);
	json_eq(&w,
		"{\"version\":1,"
		"\"groups\":[{\"name\":\"a\",\"members\":[{\"nodeid\":1,\"pid\":100},"
		"{\"nodeid\":2,\"pid\":200}]},"
		"{\"name\":\"b\\\"\\n\",\"members\":[{\"nodeid\":1,\"pid\":101}]}],"
		"\"ring\":{\"rep\":1,\"seq\":12,\"members\":[1,2],\"this_nodeid\":2},"
		"\"links\":[{\"nodeid\":2,\"links\":["
		"{\"link\":0,\"enabled\":true,\"connected\":true,"
		"\"src\":\"10.1.0.1:5405\",\"dst\":\"10.1.0.2:5405\",\"latency_us\":150},"
		"{\"link\":1,\"enabled\":true,\"connected\":false,"
		"\"src\":\"\",\"dst\":\"10.1.0.2:5405\",\"latency_us\":150}]},"
		"{\"nodeid\":3,\"links\":[{\"link\":0,\"enabled\":true,"
		"\"connected\":false,\"src\":\"\",\"dst\":\"10.1.0.2:5405\","
		"\"latency_us\":150}]}],"
		"\"counters\":{\"sent_msgs\":5,\"ipc_clients\":2}}");
	status_json_free(&w);
}
END_TEST

START_TEST(build_masks_and_missing_sources)
{
	struct status_sources src;
	struct status_json w;

	memset(&src, 0, sizeof(src));
	status_json_init(&w, 4096);
	ck_assert_int_eq(status_build(&src, STATUS_SECT_ALL, &w), 0);
	json_eq(&w, "{\"version\":1,\"groups\":null,\"ring\":null,"
		"\"links\":null,\"counters\":null}");
	status_json_free(&w);

	/* a ring source that knows no ring yet */
	src.ring = stub_no_ring;
	status_json_init(&w, 4096);
	ck_assert_int_eq(status_build(&src, STATUS_SECT_RING, &w), 0);
	json_eq(&w, "{\"version\":1,\"ring\":null}");
	status_json_free(&w);

	/* no groups at all is an empty list, not null */
	src.groups = stub_no_ring;
	status_json_init(&w, 4096);
	ck_assert_int_eq(status_build(&src, STATUS_SECT_GROUPS |
				      STATUS_SECT_COUNTERS, &w), 0);
	json_eq(&w, "{\"version\":1,\"groups\":[],\"counters\":null}");
	status_json_free(&w);
}
END_TEST

START_TEST(build_errors)
{
	struct status_sources src;
	struct stub st = { 0, 0 };
	struct status_json w;

	full_sources(&src, &st);
	st.fail = -EIO;
	status_json_init(&w, 4096);
	ck_assert_int_eq(status_build(&src, 0, &w), -EIO);
	status_json_free(&w);

	st.fail = 0;
	st.misuse = 1;
	status_json_init(&w, 4096);
	ck_assert_int_eq(status_build(&src, 0, &w), -EINVAL);
	status_json_free(&w);

	st.misuse = 0;
	src.counters[5].fn = stub_bad_counter;
	status_json_init(&w, 4096);
	ck_assert_int_eq(status_build(&src, STATUS_SECT_COUNTERS, &w), -EINVAL);
	status_json_free(&w);

	/* too small a bound */
	src.counters[5].fn = NULL;
	status_json_init(&w, 100);
	ck_assert_int_eq(status_build(&src, 0, &w), -EMSGSIZE);
	ck_assert_uint_le(w.len, 100);
	status_json_free(&w);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("json");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, json_nesting_and_values);
	tcase_add_test(tc, json_escaping);
	tcase_add_test(tc, json_nesting_errors);
	tcase_add_test(tc, json_bound);
	suite_add_tcase(s, tc);
	tc = tcase_create("build");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, build_all_sections);
	tcase_add_test(tc, build_masks_and_missing_sources);
	tcase_add_test(tc, build_errors);
	suite_add_tcase(s, tc);
	return s;
}
