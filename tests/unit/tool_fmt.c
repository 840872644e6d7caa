/*
 * cpgd-tool without a daemon: its reading of a reply with jansson (valid
 * and broken input, limits, bytes out of strings) and its plain-text
 * rendering of fixed replies, plus a round trip of awkward group names
 * through the daemon's reply builder.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status/status.h"
#include "tools/cpgd_tool_fmt.h"
#include "tools/cpgd_tool_json.h"
#include "unit/check_main.h"

static const char reply[] =
	"{\"version\":1,"
	"\"groups\":[{\"name\":\"alpha\",\"members\":[{\"nodeid\":1,\"pid\":4242},"
	"{\"nodeid\":2,\"pid\":17}]},"
	"{\"name\":\"b\\\\e\\u0001\\u00ff\",\"members\":[{\"nodeid\":3,\"pid\":1}]}],"
	"\"ring\":{\"rep\":1,\"seq\":12,\"members\":[1,2,3],\"this_nodeid\":2},"
	"\"links\":[{\"nodeid\":1,\"links\":[{\"link\":0,\"enabled\":true,"
	"\"connected\":true,\"src\":\"10.1.0.2:5405\",\"dst\":\"10.1.0.1:5405\","
	"\"latency_us\":150},{\"link\":1,\"enabled\":false,\"connected\":false,"
	"\"src\":\"\",\"dst\":\"\",\"latency_us\":0}]}],"
	"\"counters\":{\"sent_msgs\":5,\"delivered_bytes\":9223372036854775807}}";

/* Render `json` for `sections`; returns the text (caller frees). */
static char *render_opts(const char *json, unsigned sections,
			 const struct tool_opts *opts, int *rc)
{
	json_t *root;
	char err[200] = "";
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(tj_parse(json, strlen(json), &root, err, sizeof(err)), 0);
	f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	*rc = tool_print(root, sections, opts, f, err, sizeof(err));
	fclose(f);
	json_decref(root);
	return text;
}

static char *render(const char *json, unsigned sections, int *rc)
{
	return render_opts(json, sections, NULL, rc);
}

START_TEST(groups_layout)
{
	int rc;
	char *t = render(reply, STATUS_SECT_GROUPS, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(t,
		"Group Name                            PID    Node ID\n"
		"alpha\n"
		"                                     4242          1\n"
		"                                       17          2\n"
		"b\\\\e\\x01\\xff\n"
		"                                        1          3\n");
	free(t);
}
END_TEST

START_TEST(groups_cpgtool_options)
{
	struct tool_opts o = { ",", false, false };
	int rc;
	char *t = render_opts(reply, STATUS_SECT_GROUPS, &o, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(t,
		"GRP_NAME,PID,NODEID\n"
		"alpha,4242,1\n"
		"alpha,17,2\n"
		"b\\\\e\\x01\\xff,1,3\n");
	free(t);

	o.delim = NULL;
	o.names_only = true;
	t = render_opts(reply, STATUS_SECT_GROUPS, &o, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(t, "alpha\nb\\\\e\\x01\\xff\n");
	free(t);

	/* -e: the name's bytes as they are */
	o.raw_names = true;
	t = render_opts(reply, STATUS_SECT_GROUPS, &o, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(memcmp(t, "alpha\nb\\e\x01\xff\n", 12), 0);
	ck_assert_uint_eq(strlen(t), 12);
	free(t);

	/* a bad member: nothing printed at all, not half a table */
	o.raw_names = false;
	t = render_opts("{\"version\":1,\"groups\":[{\"name\":\"a\",\"members\":"
			"[{\"nodeid\":1,\"pid\":2}]},{\"name\":\"b\",\"members\":"
			"[{\"nodeid\":1}]}]}", STATUS_SECT_GROUPS, &o, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(t, "");
	free(t);
}
END_TEST

START_TEST(ring_links_counters_layout)
{
	int rc;
	char *t = render(reply, STATUS_SECT_RING, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(t,
		"Ring ID:       1.12  (representative 1, sequence 12)\n"
		"This node ID:  2\n"
		"Members:       3\n"
		"   Node ID\n"
		"         1\n"
		"         2 (this node)\n"
		"         3\n");
	free(t);
	t = render(reply, STATUS_SECT_LINKS, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(t,
		"   Node ID Link Enabled Connected  Latency(us)  Source -> Destination\n"
		"         1    0 yes     yes                150  10.1.0.2:5405 -> 10.1.0.1:5405\n"
		"         1    1 no      no                   0  ? -> ?\n");
	free(t);
	t = render(reply, STATUS_SECT_COUNTERS, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(t,
		"Counter                        Value\n"
		"sent_msgs                          5\n"
		"delivered_bytes  9223372036854775807\n");
	free(t);
}
END_TEST

START_TEST(all_sections_and_nulls)
{
	int rc;
	char *t = render(reply, STATUS_SECT_ALL, &rc);

	ck_assert_int_eq(rc, 0);
	/* four sections, three blank lines between them */
	ck_assert_ptr_nonnull(strstr(t, "4242"));
	ck_assert_ptr_nonnull(strstr(t, "\n\nRing ID:"));
	ck_assert_ptr_nonnull(strstr(t, "\n\n   Node ID Link"));
	ck_assert_ptr_nonnull(strstr(t, "\n\nCounter"));
	free(t);

	t = render("{\"version\":1,\"groups\":null,\"ring\":null,"
		   "\"links\":null,\"counters\":null}", STATUS_SECT_ALL, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(t, "Groups: not available\n\n"
			 "Ring: none formed yet\n\n"
			 "Links: none (no network transport on this node)\n\n"
			 "Counters: not available\n");
	free(t);

	t = render("{\"version\":1,\"groups\":[]}", STATUS_SECT_GROUPS, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(t, "Group Name                            PID    Node ID\n");
	free(t);
}
END_TEST

START_TEST(unexpected_shapes)
{
	static const char *const bad[] = {
		"[]",
		"{\"version\":2,\"groups\":[]}",
		"{\"version\":1}",			/* section missing */
		"{\"version\":1,\"groups\":{}}",
		"{\"version\":1,\"groups\":[{\"name\":1,\"members\":[]}]}",
		"{\"version\":1,\"groups\":[{\"name\":\"g\",\"members\":"
		"[{\"nodeid\":4294967296,\"pid\":1}]}]}",
		"{\"version\":1,\"groups\":[{\"name\":\"g\",\"members\":"
		"[{\"nodeid\":-1,\"pid\":1}]}]}",
		"{\"version\":1,\"groups\":[{\"name\":\"g\",\"members\":"
		"[{\"nodeid\":1.5,\"pid\":1}]}]}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;
		char *t = render(bad[i], STATUS_SECT_GROUPS, &rc);

		ck_assert_msg(rc == -1, "accepted %s", bad[i]);
		free(t);
	}
}
END_TEST

START_TEST(parser_rejects)
{
	static const char *const bad[] = {
		"", " ", "{", "}", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}",
		"{a:1}", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"",
		"01", "1.", "-", "1e", "tru", "nul", "[1] x", "\"a\nb\"", "\"\\",
		"\"\\u0022", "[\"\\u00\"]", "1 2", "{} {}", "[1]\0",
		"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
		"\"\xc3\"", "\"\xff\"", "\"\xed\xa0\x80\"",	/* not UTF-8 */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *v = NULL;
		char err[100] = "";
		/* the NUL of "[1]\0" is part of the input */
		size_t len = strlen(bad[i]) + (strcmp(bad[i], "[1]") == 0);

		ck_assert_msg(tj_parse(bad[i], len, &v, err,
				       sizeof(err)) == -1, "accepted '%s'", bad[i]);
		ck_assert_ptr_null(v);
		ck_assert(err[0] != '\0');
	}
}
END_TEST

START_TEST(parser_values)
{
	const char *text = " {\"s\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac"
			   "\\ud83d\\ude00\\u0000\xc3\xa9\",\"n\":[0,-1,1.5e3,4294967296,"
			   "9223372036854775807],"
			   "\"b\":[true,false,null],\"\":{}} ";
	json_t *v, *n, *bs;
	char err[100];
	uint64_t u;
	size_t len;
	char *b;

	ck_assert_int_eq(tj_parse(text, strlen(text), &v, err, sizeof(err)), 0);
	/* U+00E9 written either way is the byte 0xe9; higher code points
	 * stay UTF-8; \u0000 is a byte like any other */
	b = tj_bytes(json_object_get(v, "s"), &len);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(len, 9 + 1 + 3 + 4 + 1 + 1);
	ck_assert_int_eq(memcmp(b, "a\"\\/\b\f\n\r\t\xe9\xe2\x82\xac"
				"\xf0\x9f\x98\x80\0\xe9", len), 0);
	free(b);
	n = json_object_get(v, "n");
	ck_assert_ptr_null(tj_bytes(n, &len));
	ck_assert_uint_eq(json_array_size(n), 5);
	ck_assert(tj_uint(json_array_get(n, 0), 0, &u) && u == 0);
	ck_assert(!tj_uint(json_array_get(n, 1), UINT64_MAX, &u));
	ck_assert(!tj_uint(json_array_get(n, 2), UINT64_MAX, &u));
	ck_assert(!tj_uint(json_array_get(n, 3), UINT32_MAX, &u));
	ck_assert(tj_uint(json_array_get(n, 3), UINT64_MAX, &u) &&
		  u == 4294967296u);
	ck_assert(tj_uint(json_array_get(n, 4), UINT64_MAX, &u) &&
		  u == INT64_MAX);
	bs = json_object_get(v, "b");
	ck_assert(json_is_true(json_array_get(bs, 0)));
	ck_assert(json_is_false(json_array_get(bs, 1)));
	ck_assert(json_is_null(json_array_get(bs, 2)));
	ck_assert(json_is_object(json_object_get(v, "")));
	ck_assert_ptr_null(json_object_get(v, "missing"));
	json_decref(v);

	/* null alone is valid JSON (the printer wants an object) */
	ck_assert_int_eq(tj_parse("null", 4, &v, err, sizeof(err)), 0);
	ck_assert(json_is_null(v));
	json_decref(v);
}
END_TEST

START_TEST(parser_limits)
{
	size_t i, n = 100000;
	char *deep = malloc(2 * n);
	json_t *v;
	char err[100];

	/* nesting far beyond any reply: an error, not a stack overflow */
	for (i = 0; i < n; i++) {
		deep[i] = '[';
		deep[n + i] = ']';
	}
	ck_assert_int_eq(tj_parse(deep, 2 * n, &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "depth"));
	free(deep);
	/* over the input bound, without reading it */
	ck_assert_int_eq(tj_parse("1", TJ_MAX_INPUT + 1, &v, err, sizeof(err)), -1);
	/* numbers beyond what the daemon writes (INT64_MAX) */
	ck_assert_int_eq(tj_parse("[18446744073709551615]", 22, &v, err,
				  sizeof(err)), -1);
}
END_TEST

static int odd_names(void *arg, struct status_out *o)
{
	const unsigned char *names = arg;
	unsigned i;

	/* 128-byte names: every byte value appears in one of them */
	for (i = 0; i < 2; i++)
		status_group_member(o, names + 128 * i, 128, i + 1, 1000 + i);
	return 0;
}

START_TEST(round_trip_every_byte)
{
	unsigned char names[256];
	struct status_sources src;
	json_t *v, *g;
	char err[100], *text, *b;
	size_t i, len, blen;

	for (i = 0; i < 256; i++)
		names[i] = (unsigned char)i;
	memset(&src, 0, sizeof(src));
	src.groups = odd_names;
	src.groups_arg = names;
	ck_assert_int_eq(status_build(&src, STATUS_SECT_GROUPS, 1 << 16, &text,
				      &len), 0);
	ck_assert_int_eq(tj_parse(text, len, &v, err, sizeof(err)), 0);
	g = json_object_get(v, "groups");
	ck_assert_uint_eq(json_array_size(g), 2);
	for (i = 0; i < 2; i++) {
		b = tj_bytes(json_object_get(json_array_get(g, i), "name"),
			     &blen);
		ck_assert_ptr_nonnull(b);
		ck_assert_uint_eq(blen, 128);
		ck_assert_int_eq(memcmp(b, names + 128 * i, 128), 0);
		free(b);
	}
	/* the text is ASCII without control bytes (DEL is left as it is) */
	for (i = 0; i < len; i++)
		ck_assert(text[i] >= 0x20 && text[i] <= 0x7f);
	json_decref(v);
	free(text);
}
END_TEST

START_TEST(escape_name_bounds)
{
	char out[8];

	tool_escape_name("ab\x01", 3, out, sizeof(out));
	ck_assert_str_eq(out, "ab\\x01");
	/* never a half escape, always terminated */
	tool_escape_name("abcd\x01", 5, out, sizeof(out));
	ck_assert_str_eq(out, "abcd");
	tool_escape_name("\\", 1, out, 2);
	ck_assert_str_eq(out, "");
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *format[] = { groups_layout, groups_cpgtool_options,
		ring_links_counters_layout, all_sections_and_nulls,
		unexpected_shapes, escape_name_bounds, NULL };
	const TTest *json[] = { parser_rejects, parser_values, parser_limits,
		round_trip_every_byte, NULL };
	Suite *s = suite_create("cpgd-tool");

	unit_case(s, "format", 10, format);
	unit_case(s, "json", 10, json);
	return s;
}
