/*
 * cpgd-tool without a daemon: its JSON reader (valid and broken input,
 * limits) and its plain-text rendering of fixed replies, plus a round trip
 * of awkward group names through the daemon's JSON builder.
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
	"\"counters\":{\"sent_msgs\":5,\"delivered_bytes\":18446744073709551615}}";

/* Render `json` for `sections`; returns the text (caller frees). */
static char *render_opts(const char *json, unsigned sections,
			 const struct tool_opts *opts, int *rc)
{
	struct tj *root;
	char err[200] = "";
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(tj_parse(json, strlen(json), &root, err, sizeof(err)), 0);
	f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	*rc = tool_print(root, sections, opts, f, err, sizeof(err));
	fclose(f);
	tj_free(root);
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
		"delivered_bytes 18446744073709551615\n");
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
		"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "01", "1.",
		"-", "1e", "tru", "nul", "[1] x", "\"a\nb\"", "\"\\",
		"\"\\u0022", "[\"\\u00\"]",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tj *v = NULL;
		char err[100] = "";

		ck_assert_msg(tj_parse(bad[i], strlen(bad[i]), &v, err,
				       sizeof(err)) == -1, "accepted '%s'", bad[i]);
		ck_assert_ptr_null(v);
		ck_assert(err[0] != '\0');
	}
}
END_TEST

START_TEST(parser_values)
{
	const char *text = " {\"s\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac"
			   "\\ud83d\\ude00\",\"n\":[0,-1,1.5e3,18446744073709551616],"
			   "\"b\":[true,false,null],\"\":{}} ";
	struct tj *v;
	const struct tj *s, *n;
	char err[100];
	uint64_t u;

	ck_assert_int_eq(tj_parse(text, strlen(text), &v, err, sizeof(err)), 0);
	s = tj_get(v, "s");
	ck_assert_uint_eq(s->len, 9 + 1 + 3 + 4);
	ck_assert_int_eq(memcmp(s->str, "a\"\\/\b\f\n\r\t\xe9\xe2\x82\xac"
				"\xf0\x9f\x98\x80", s->len), 0);
	n = tj_get(v, "n");
	ck_assert_uint_eq(n->n, 4);
	ck_assert(tj_uint(n->first, 0, &u) && u == 0);
	ck_assert(!tj_uint(n->first->next, UINT64_MAX, &u));
	ck_assert(!tj_uint(n->first->next->next, UINT64_MAX, &u));
	ck_assert_str_eq(n->first->next->next->str, "1.5e3");
	ck_assert(!tj_uint(n->last, UINT64_MAX, &u));	/* 2^64 */
	ck_assert_int_eq(tj_get(v, "b")->first->type, TJ_BOOL);
	ck_assert(tj_get(v, "b")->first->b);
	ck_assert(!tj_get(v, "b")->first->next->b);
	ck_assert_int_eq(tj_get(v, "b")->last->type, TJ_NULL);
	ck_assert_int_eq(tj_get(v, "")->type, TJ_OBJ);
	ck_assert_ptr_null(tj_get(v, "missing"));
	tj_free(v);
}
END_TEST

START_TEST(parser_limits)
{
	char *deep = malloc(2 * TJ_MAX_DEPTH + 3);
	struct tj *v;
	char err[100];
	size_t i, n = 0;

	/* exactly the limit parses; one more level does not */
	for (i = 0; i < TJ_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (i = 0; i < TJ_MAX_DEPTH; i++)
		deep[n++] = ']';
	ck_assert_int_eq(tj_parse(deep, n, &v, err, sizeof(err)), 0);
	tj_free(v);
	n = 0;
	for (i = 0; i <= TJ_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (i = 0; i <= TJ_MAX_DEPTH; i++)
		deep[n++] = ']';
	ck_assert_int_eq(tj_parse(deep, n, &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "deep"));
	free(deep);
	/* over the input bound, without reading it */
	ck_assert_int_eq(tj_parse("1", TJ_MAX_INPUT + 1, &v, err, sizeof(err)), -1);
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
	struct status_json w;
	struct tj *v;
	const struct tj *g;
	char err[100];
	unsigned i;

	for (i = 0; i < 256; i++)
		names[i] = (unsigned char)i;
	memset(&src, 0, sizeof(src));
	src.groups = odd_names;
	src.groups_arg = names;
	status_json_init(&w, 1 << 16);
	ck_assert_int_eq(status_build(&src, STATUS_SECT_GROUPS, &w), 0);
	ck_assert_int_eq(tj_parse(w.buf, w.len, &v, err, sizeof(err)), 0);
	g = tj_get(v, "groups");
	ck_assert_uint_eq(g->n, 2);
	ck_assert_uint_eq(tj_get(g->first, "name")->len, 128);
	ck_assert_int_eq(memcmp(tj_get(g->first, "name")->str, names, 128), 0);
	ck_assert_int_eq(memcmp(tj_get(g->last, "name")->str, names + 128, 128), 0);
	/* the builder writes ASCII only */
	for (i = 0; i < w.len; i++)
		ck_assert(w.buf[i] >= 0x20 && w.buf[i] < 0x7f);
	tj_free(v);
	status_json_free(&w);
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
	Suite *s = suite_create("cpgd-tool");
	TCase *tc = tcase_create("format");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, groups_layout);
	tcase_add_test(tc, groups_cpgtool_options);
	tcase_add_test(tc, ring_links_counters_layout);
	tcase_add_test(tc, all_sections_and_nulls);
	tcase_add_test(tc, unexpected_shapes);
	tcase_add_test(tc, escape_name_bounds);
	suite_add_tcase(s, tc);
	tc = tcase_create("json");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, parser_rejects);
	tcase_add_test(tc, parser_values);
	tcase_add_test(tc, parser_limits);
	tcase_add_test(tc, round_trip_every_byte);
	suite_add_tcase(s, tc);
	return s;
}
