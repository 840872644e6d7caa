/*
 * The corosync.conf syntax: comments, blanks, sections, key: value, and
 * every syntax error with its FILE:LINE.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon_config_util.h"
#include "unit/check_main.h"

START_TEST(comments_blanks_crlf)
{
	struct config cfg;
	const char *text =
		"# a comment\r\n"
		"\r\n"
		"   \t# an indented comment\r\n"
		"totem {\r\n"
		"\tcluster_name:   spaced out  \t\r\n"
		"\t# token: 5\r\n"
		"}\r\n"
		NODES1;

	PARSE_OK(&cfg, text);
	ck_assert_str_eq(cfg.totem.cluster_name, "spaced out");
	ck_assert_uint_eq(cfg.totem.token_configured, 3000);
	ck_assert_uint_eq(cfg.n_nodes, 1);
	config_free(&cfg);
}
END_TEST

START_TEST(value_is_rest_of_line)
{
	struct config cfg;
	/* IPv6 addresses keep their colons; a '#' inside a value is text,
	 * quotes are kept as corosync keeps them. */
	const char *text =
		"totem {\n"
		"  cluster_name: \"quoted # not a comment\"\n"
		"}\n"
		"nodelist {\n"
		"  node {\n"
		"    nodeid: 7\n"
		"    ring0_addr: fd00::1:2\n"
		"    name: n7\n"
		"  }\n"
		"}\n";

	PARSE_OK(&cfg, text);
	ck_assert_str_eq(cfg.totem.cluster_name, "\"quoted # not a comment\"");
	ck_assert_str_eq(cfg.nodes[0].addr[0].text, "fd00::1:2");
	ck_assert(cfg.nodes[0].addr[0].resolved);
	ck_assert_int_eq(cfg.nodes[0].addr[0].sa.ss_family, AF_INET6);
	config_free(&cfg);
}
END_TEST

START_TEST(section_name_forms)
{
	struct config cfg;
	/* "totem: {" and "totem{" are accepted as corosync accepts them */
	const char *text =
		"totem: {\n"
		"  token: 1000\n"
		"}\n"
		"nodelist{\n"
		" node   {\n"
		"  nodeid: 3\n"
		"  ring0_addr: 10.1.1.1\n"
		" }\n"
		"}\n";

	PARSE_OK(&cfg, text);
	ck_assert_uint_eq(cfg.totem.token, 1000);
	ck_assert_uint_eq(cfg.nodes[0].nodeid, 3);
	config_free(&cfg);
}
END_TEST

START_TEST(comments_after_braces)
{
	struct config cfg;
	const char *text =
		"totem {   # the protocol\n"
		" cluster_name: a#b\n"
		"} # end of totem\n"
		"nodelist { #\n"
		" node {\n  nodeid: 1\n  ring0_addr: 10.0.0.1\n }\t# one node\n"
		"}\n";

	PARSE_OK(&cfg, text);
	ck_assert_str_eq(cfg.totem.cluster_name, "a#b");
	ck_assert_uint_eq(cfg.n_nodes, 1);
	config_free(&cfg);
	/* a comment does not make other text acceptable */
	PARSE_ERR("totem {\n} x # c\n", "t.conf:2: ", "alone on its line");
	PARSE_ERR("totem { x # c\n}\n", "t.conf:1: ", "text after '{'");
}
END_TEST

START_TEST(empty_value_and_no_newline_at_end)
{
	struct config cfg;
	const char *text = NODES1 "totem {\n cluster_name:\n}";

	PARSE_OK(&cfg, text);
	ck_assert_str_eq(cfg.totem.cluster_name, "");
	config_free(&cfg);
}
END_TEST

START_TEST(syntax_errors)
{
	PARSE_ERR("totem {\n  token: 1000\n", "t.conf:1: ", "never closed");
	PARSE_ERR(NODES1 "}\n", "t.conf:7: ", "without an open section");
	PARSE_ERR("totem {\n  just words\n}\n", "t.conf:2: ", "expected 'name {'");
	PARSE_ERR("totem { token: 1000\n}\n", "t.conf:1: ", "text after '{'");
	PARSE_ERR("totem {\n token: 1000 }\n", "t.conf:2: ", "expected an integer");
	PARSE_ERR("totem {\n}}\n", "t.conf:2: ", "alone on its line");
	PARSE_ERR("{\n}\n", "t.conf:1: ", "section without a name");
	PARSE_ERR("tot em {\n}\n", "t.conf:1: ", "invalid section name");
	PARSE_ERR("totem {\n : 5\n}\n", "t.conf:2: ", "missing key name");
	PARSE_ERR("a {\nb {\nc {\nd {\ne {\nf {\ng {\nh {\ni {\n",
		  "t.conf:9: ", "nested deeper");
	PARSE_ERR("totem {\n a { b {\n}\n}\n", "t.conf:2: ", "only one '{'");
}
END_TEST

START_TEST(nul_byte_and_long_line)
{
	struct config cfg;
	struct err e;
	static const char nul[] = "totem {\n\0\n}\n";
	size_t big = CONFIG_LINE_MAX + 20;
	char *line = malloc(big + 1);

	ck_assert_int_eq(config_parse_buffer(&cfg, "t.conf", nul, sizeof(nul) - 1,
					     fresh(&e)), -EINVAL);
	ck_assert_str_eq(e.msg, "t.conf:2: NUL byte in the file");

	ck_assert_ptr_nonnull(line);
	memset(line, '#', big);
	line[big] = '\0';
	ck_assert_int_eq(config_parse_buffer(&cfg, "t.conf", line, big, fresh(&e)),
			 -EINVAL);
	ck_assert_msg(strstr(e.msg, "t.conf:1: line longer than") == e.msg, "%s", e.msg);
	free(line);
}
END_TEST

START_TEST(empty_input_needs_nodelist)
{
	PARSE_ERR("", "t.conf: ", "no nodelist section");
	PARSE_ERR("# only a comment\n", "t.conf: ", "no nodelist section");
	PARSE_ERR("nodelist {\n}\n", "t.conf: ", "nodelist has no node");
}
END_TEST

START_TEST(error_reason_limits)
{
	static const char unclosed[] = ":1: section opened here is never closed (missing '}')";
	struct config cfg;
	struct err e;
	const char *text = "totem {\n";
	char src[1001], want[ERR_MSG_MAX];

	/* no struct err at all */
	ck_assert_int_eq(config_parse_buffer(&cfg, "t.conf", text, strlen(text), NULL),
			 -EINVAL);
	/* a long file name still leaves room for the reason */
	memset(src, 'f', 400);
	src[400] = '\0';
	memcpy(want, src, 400);
	memcpy(want + 400, unclosed, sizeof(unclosed));
	ck_assert_int_eq(config_parse_buffer(&cfg, src, text, strlen(text), fresh(&e)),
			 -EINVAL);
	ck_assert_str_eq(e.msg, want);
	/* a longer one is cut, never overrun */
	memset(src, 'f', 1000);
	src[1000] = '\0';
	ck_assert_int_eq(config_parse_buffer(&cfg, src, text, strlen(text), fresh(&e)),
			 -EINVAL);
	ck_assert_uint_eq(strlen(e.msg), ERR_MSG_MAX - 1);
	ck_assert_int_eq(strncmp(e.msg, src, ERR_MSG_MAX - 1), 0);
	/* a reason the caller already holds is kept (util/err.h) */
	snprintf(e.msg, sizeof(e.msg), "earlier");
	ck_assert_int_eq(config_parse_buffer(&cfg, "t.conf", text, strlen(text), &e),
			 -EINVAL);
	ck_assert_str_eq(e.msg, "earlier");
}
END_TEST

START_TEST(ignored_sections_are_notices)
{
	struct config cfg;
	const char *text =
		NODES1
		"quorum {\n"                         /* 7 */
		"  provider: corosync_votequorum\n"
		"  device {\n"
		"    model: net\n"
		"  }\n"
		"}\n"
		"system {\n"                         /* 13 */
		"  sched_rr: yes\n"
		"}\n"
		"resources {\n}\n"                   /* 16 */
		"qb {\n ipc_type: native\n}\n"       /* 18 */
		"frobnicate {\n x: y\n}\n"           /* 21 */
		"toplevel_key: 1\n"                  /* 24 */
		"totem {\n"                          /* 25 */
		"  rrp {\n  }\n"
		"  bogus_key: 1\n"                   /* 28 */
		"}\n";

	PARSE_OK(&cfg, text);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:7: section 'quorum'", CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:13: section 'system'", CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:16: section 'resources'", CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:18: section 'qb'", CONFIG_NOTICE_INFO), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:21: unknown section 'frobnicate'",
				       CONFIG_NOTICE_WARNING), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:24: key 'toplevel_key' outside",
				       CONFIG_NOTICE_WARNING), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:26: unknown section 'rrp' in totem",
				       CONFIG_NOTICE_WARNING), 1);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:28: unknown key 'bogus_key' in totem",
				       CONFIG_NOTICE_WARNING), 1);
	/* nothing inside an ignored section is looked at */
	ck_assert_int_eq(count_notices(&cfg, "provider", CONFIG_NOTICE_WARNING), 0);
	ck_assert_int_eq(count_notices(&cfg, "model", CONFIG_NOTICE_WARNING), 0);
	config_free(&cfg);
}
END_TEST

START_TEST(repeated_key_warns_last_wins)
{
	struct config cfg;
	const char *text = "totem {\n token: 1000\n token: 2000\n}\n" NODES1;

	PARSE_OK(&cfg, text);
	ck_assert_uint_eq(cfg.totem.token, 2000);
	ck_assert_int_eq(count_notices(&cfg, "t.conf:3: totem.token given again (first at line 2)",
				       CONFIG_NOTICE_WARNING), 1);
	config_free(&cfg);
}
END_TEST

START_TEST(notices_are_capped)
{
	struct config cfg;
	size_t n = CONFIG_MAX_NOTICES + 10, i;
	size_t cap = n * 32 + 256, used = 0;
	char *text = malloc(cap);

	ck_assert_ptr_nonnull(text);
	used += (size_t)snprintf(text + used, cap - used, "%s", NODES1);
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, cap - used, "k%zu: v\n", i);
	PARSE_OK(&cfg, text);
	ck_assert_uint_eq(cfg.n_notices, CONFIG_MAX_NOTICES);
	ck_assert_uint_eq(cfg.notices_dropped, 10);
	config_free(&cfg);
	free(text);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { comments_blanks_crlf, value_is_rest_of_line,
		section_name_forms, comments_after_braces,
		empty_value_and_no_newline_at_end, syntax_errors,
		nul_byte_and_long_line, empty_input_needs_nodelist,
		error_reason_limits, ignored_sections_are_notices,
		repeated_key_warns_last_wins, notices_are_capped, NULL };

	return unit_suite_of("config_syntax", "syntax", 10, tests);
}
