/*
 * The status layer without IPC: its jansson glue (byte strings, the output
 * bound) and the reply layout built from stub sources.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "status/status.h"
#include "status/status_json.h"
#include "unit/check_main.h"

static void json_eq(const char *text, size_t len, const char *want)
{
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_str_eq(text, want);
}

/* The compact text of v, which is freed. */
static char *text_of(json_t *v, size_t max, int *rc, size_t *len)
{
	char *t = NULL;

	ck_assert_ptr_nonnull(v);
	*rc = status_json_text(v, max, &t, len);
	json_decref(v);
	return t;
}

START_TEST(json_bytes_escaping)
{
	/* quote, backslash, controls, DEL, a UTF-8 e-acute, 0xff, NUL, '/' */
	const unsigned char raw[] = { '"', '\\', '\n', '\r', '\t', 0x01, 0x1f,
				      0x7f, 0xc3, 0xa9, 0xff, 0x00, '/', 'z' };
	json_t *o = json_object();
	size_t len;
	char *t;
	int rc;

	ck_assert_int_eq(json_object_set_new(o, "k\"ey",
			 status_json_bytes(raw, sizeof(raw))), 0);
	t = text_of(o, 1024, &rc, &len);
	ck_assert_int_eq(rc, 0);
	/* each byte is the code point of its value, escaped but for DEL */
	json_eq(t, len, "{\"k\\\"ey\":\"\\\"\\\\\\n\\r\\t\\u0001\\u001F\x7f"
		"\\u00C3\\u00A9\\u00FF\\u0000/z\"}");
	free(t);

	t = text_of(status_json_bytes("", 0), 10, &rc, &len);
	ck_assert_int_eq(rc, 0);
	json_eq(t, len, "\"\"");
	free(t);
}
END_TEST

START_TEST(json_text_bound)
{
	json_t *a;
	size_t len = 99;
	char *t;
	int rc;

	/* "[1]" is exactly 3 bytes: fits in 3, not in 2 */
	a = json_array();
	ck_assert_int_eq(json_array_append_new(a, status_json_u64(1)), 0);
	t = text_of(json_incref(a), 3, &rc, &len);
	ck_assert_int_eq(rc, 0);
	json_eq(t, len, "[1]");
	free(t);
	t = (char *)&len;
	ck_assert_int_eq(status_json_text(a, 2, &t, &len), -EMSGSIZE);
	ck_assert_ptr_null(t);
	ck_assert_uint_eq(len, 0);
	json_decref(a);

	/* jansson's integers end at INT64_MAX: larger counters stop there */
	t = text_of(status_json_u64(UINT64_MAX), 100, &rc, &len);
	ck_assert_int_eq(rc, 0);
	json_eq(t, len, "9223372036854775807");
	free(t);
	t = text_of(status_json_u64((uint64_t)INT64_MAX - 1), 100, &rc, &len);
	json_eq(t, len, "9223372036854775806");
	free(t);
	t = text_of(json_null(), 100, &rc, &len);
	ck_assert_int_eq(rc, 0);
	json_eq(t, len, "null");
	free(t);
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

/* The reply of full_sources() for all sections. */
static const char full_reply[] =
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
	"\"counters\":{\"sent_msgs\":5,\"ipc_clients\":2}}";

START_TEST(build_all_sections)
{
	struct status_sources src;
	struct stub st = { 0, 0 };
	char *t;
	size_t len;

	full_sources(&src, &st);
	ck_assert_int_eq(status_build(&src, 0, 4096, &t, &len), 0);
	json_eq(t, len, full_reply);
	free(t);
}
END_TEST

START_TEST(build_masks_and_missing_sources)
{
	struct status_sources src;
	char *t;
	size_t len;

	memset(&src, 0, sizeof(src));
	ck_assert_int_eq(status_build(&src, STATUS_SECT_ALL, 4096, &t, &len), 0);
	json_eq(t, len, "{\"version\":1,\"groups\":null,\"ring\":null,"
		"\"links\":null,\"counters\":null}");
	free(t);

	/* a ring source that knows no ring yet */
	src.ring = stub_no_ring;
	ck_assert_int_eq(status_build(&src, STATUS_SECT_RING, 4096, &t, &len), 0);
	json_eq(t, len, "{\"version\":1,\"ring\":null}");
	free(t);

	/* no groups at all is an empty list, not null; EVS only when asked */
	src.groups = stub_no_ring;
	ck_assert_int_eq(status_build(&src, STATUS_SECT_GROUPS |
				      STATUS_SECT_COUNTERS | STATUS_SECT_EVS,
				      4096, &t, &len), 0);
	json_eq(t, len, "{\"version\":1,\"groups\":[],\"counters\":null,"
		"\"evs\":null}");
	free(t);
}
END_TEST

START_TEST(build_errors)
{
	struct status_sources src;
	struct stub st = { 0, 0 };
	char *t = (char *)&st;
	size_t len = 1;

	full_sources(&src, &st);
	st.fail = -EIO;
	ck_assert_int_eq(status_build(&src, 0, 4096, &t, &len), -EIO);
	ck_assert_ptr_null(t);
	ck_assert_uint_eq(len, 0);

	st.fail = 0;
	st.misuse = 1;
	ck_assert_int_eq(status_build(&src, 0, 4096, &t, &len), -EINVAL);
	ck_assert_ptr_null(t);

	st.misuse = 0;
	src.counters[5].fn = stub_bad_counter;
	ck_assert_int_eq(status_build(&src, STATUS_SECT_COUNTERS, 4096, &t,
				      &len), -EINVAL);

	/* too small a bound; exactly the reply's size is enough */
	src.counters[5].fn = NULL;
	ck_assert_int_eq(status_build(&src, 0, 100, &t, &len), -EMSGSIZE);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(status_build(&src, 0, strlen(full_reply) - 1, &t,
				      &len), -EMSGSIZE);
	ck_assert_int_eq(status_build(&src, 0, strlen(full_reply), &t, &len), 0);
	ck_assert_uint_eq(len, strlen(full_reply));
	free(t);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *json[] = { json_bytes_escaping, json_text_bound, NULL };
	const TTest *build[] = { build_all_sections,
		build_masks_and_missing_sources, build_errors, NULL };
	Suite *s = suite_create("status");

	unit_case(s, "json", 10, json);
	unit_case(s, "build", 10, build);
	return s;
}
