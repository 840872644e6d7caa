/*
 * Check tests of the history checker library (tests/sim/checker.h): parse
 * errors with their positions, merging of several sources, statistics, and
 * one violation per property through the report callback.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/checker.h"
#include "unit/check_main.h"

struct seen {
	size_t n;
	char props[64][32];
	char last[1024];
};

static void collect(void *ctx, const char *prop, const char *text)
{
	struct seen *s = ctx;

	if (s->n < 64)
		snprintf(s->props[s->n], sizeof(s->props[0]), "%s", prop);
	snprintf(s->last, sizeof(s->last), "%s", text);
	s->n++;
}

/* Load newline-separated lines as file name; returns the first error. */
static int load_text(struct hc_history *h, const char *name, const char *text, char *err, size_t len)
{
	char line[256];
	unsigned no = 0;
	int rc;

	while (*text) {
		size_t n = strcspn(text, "\n");

		ck_assert_uint_lt(n, sizeof(line));
		memcpy(line, text, n);
		line[n] = '\0';
		rc = hc_load_line(h, name, ++no, line, err, len);
		if (rc)
			return rc;
		text += n;
		if (*text)
			text++;
	}
	return 0;
}

static const struct hc_opts opts = { .bound_us = 30000000, .settle_us = 0 };

/* Check a one-file history; s receives the violations. */
static size_t check_text(const char *text, struct seen *s)
{
	struct hc_history *h = hc_history_new();
	char err[256];
	size_t n;

	ck_assert_ptr_nonnull(h);
	memset(s, 0, sizeof(*s));
	ck_assert_int_eq(load_text(h, "t.hist", text, err, sizeof(err)), 0);
	ck_assert_msg(hc_build(h, err, sizeof(err)) == 0, "build: %s", err);
	n = hc_check(h, &opts, collect, s);
	ck_assert_uint_eq(n, s->n);
	hc_history_free(h);
	return n;
}

static void assert_only(const struct seen *s, const char *prop)
{
	size_t i;

	ck_assert_uint_gt(s->n, 0);
	for (i = 0; i < s->n && i < 64; i++)
		ck_assert_str_eq(s->props[i], prop);
}

#define RING3 \
	"0 1 start 1\n0 2 start 1\n0 3 start 1\n" \
	"10 1 conf reg 1:4 1,2,3\n10 2 conf reg 1:4 1,2,3\n10 3 conf reg 1:4 1,2,3\n"

START_TEST(test_parse_errors)
{
	static const struct {
		const char *line;
		const char *reason;
	} bad[] = {
		{ "1 1 start", "incarnation" },
		{ "1 1 start -1", "incarnation" },
		{ "18446744073709551616 1 crash", "bad time" },
		{ "1 4294967295 crash", "bad node" },
		{ "1 1 send 1.1.1.1 agreed", "bad msgid" },
		{ "1 1 send 1..1 agreed", "bad msgid" },
		{ "1 1 deliver 1.1.0 safe", "bad msgid" },
		{ "1 1 deliver 1.1.1", "bad guarantee" },
		{ "1 1 conf regular 1:4 1", "reg or trans" },
		{ "1 1 conf reg 1:4", "member list" },
		{ "1 1 conf reg 1:4 1,,2", "bad member list" },
		{ "1 1 conf reg 1:4 1,2,", "bad member list" },
		{ "1 1 conf reg 1:4 2,2", "ascending" },
		{ "1 1 conf reg :4 1", "ring id" },
		{ "1 - start 1", "node '-'" },
		{ "1 1 faults-end", "takes node '-'" },
		{ "1 1 join", "unknown event" },
		{ "1 1 crash 2", "trailing" },
		{ "1", "missing node" },
		{ "1 1", "missing event" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hc_history *h = hc_history_new();
		char err[256] = "";

		ck_assert_int_eq(hc_load_line(h, "x.hist", 7, bad[i].line, err, sizeof(err)), -EINVAL);
		ck_assert_msg(strncmp(err, "x.hist:7: ", 10) == 0, "'%s' -> '%s'", bad[i].line, err);
		ck_assert_msg(strstr(err, bad[i].reason) != NULL, "'%s' -> '%s'", bad[i].line, err);
		hc_history_free(h);
	}
}
END_TEST

START_TEST(test_blank_and_comments)
{
	struct hc_history *h = hc_history_new();
	char err[256];
	struct hc_stats st;

	ck_assert_int_eq(hc_load_line(h, "c", 1, "", err, sizeof(err)), 0);
	ck_assert_int_eq(hc_load_line(h, "c", 2, "   \t ", err, sizeof(err)), 0);
	ck_assert_int_eq(hc_load_line(h, "c", 3, "  # 1 1 bogus", err, sizeof(err)), 0);
	ck_assert_int_eq(hc_load_line(h, "c", 4, "5\t1\tstart\t1", err, sizeof(err)), 0);
	ck_assert_int_eq(hc_load_line(h, "c", 5, "9 - end", err, sizeof(err)), 0);
	ck_assert_int_eq(hc_build(h, err, sizeof(err)), 0);
	/* Loading or building again after a build is refused. */
	ck_assert_int_eq(hc_load_line(h, "c", 6, "9 1 crash", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(hc_build(h, err, sizeof(err)), -EINVAL);
	hc_stats(h, &st);
	ck_assert_uint_eq(st.nodes, 1);
	ck_assert_uint_eq(st.incarnations, 1);
	ck_assert_uint_eq(st.deliveries, 0);
	hc_history_free(h);
}
END_TEST

START_TEST(test_merge_sources)
{
	/* Node 1's events are split over two sources and must merge by time;
	 * the global lines come from a third. */
	struct hc_history *h = hc_history_new();
	struct hc_stats st;
	struct seen s = { 0 };
	char err[256];

	ck_assert_int_eq(load_text(h, "a", "0 1 start 1\n20 1 send 1.1.1 agreed\n40 1 deliver 1.1.2 agreed\n",
				   err, sizeof(err)), 0);
	ck_assert_int_eq(load_text(h, "b", "10 1 conf reg 1:4 1\n30 1 deliver 1.1.1 agreed\n35 1 send 1.1.2 agreed\n",
				   err, sizeof(err)), 0);
	ck_assert_int_eq(load_text(h, "g", "0 - faults-end\n40000000 - end\n", err, sizeof(err)), 0);
	ck_assert_msg(hc_build(h, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(hc_check(h, &opts, collect, &s), 0);
	hc_stats(h, &st);
	ck_assert_uint_eq(st.messages, 2);
	ck_assert_uint_eq(st.sends, 2);
	ck_assert_uint_eq(st.deliveries, 2);
	ck_assert_uint_eq(st.installs, 1);
	ck_assert_int_eq(st.liveness_checked, 1);
	hc_history_free(h);
}
END_TEST

START_TEST(test_time_backwards_in_one_source)
{
	struct hc_history *h = hc_history_new();
	char err[256];

	ck_assert_int_eq(load_text(h, "a", "0 1 start 1\n20 1 crash\n10 1 start 2\n30 - end\n",
				   err, sizeof(err)), 0);
	ck_assert_int_eq(hc_build(h, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "a:3: time of node 1 goes backwards") != NULL, "%s", err);
	hc_history_free(h);
}
END_TEST

START_TEST(test_clean)
{
	struct seen s;

	ck_assert_uint_eq(check_text(RING3
				     "20 2 send 2.1.1 safe\n"
				     "30 1 deliver 2.1.1 safe\n30 2 deliver 2.1.1 safe\n30 3 deliver 2.1.1 safe\n"
				     "0 - faults-end\n40000000 - end\n", &s), 0);
}
END_TEST

START_TEST(test_each_property)
{
	static const struct {
		const char *prop;
		const char *text;
	} cases[] = {
		{ HC_P_AGREED, RING3 "20 1 send 1.1.1 agreed\n20 2 send 2.1.1 agreed\n"
		  "30 1 deliver 1.1.1 agreed\n31 1 deliver 2.1.1 agreed\n"
		  "30 2 deliver 1.1.1 agreed\n31 2 deliver 2.1.1 agreed\n"
		  "30 3 deliver 2.1.1 agreed\n31 3 deliver 1.1.1 agreed\n90 - end\n" },
		{ HC_P_DUP, RING3 "20 1 send 1.1.1 agreed\n30 1 deliver 1.1.1 agreed\n"
		  "30 2 deliver 1.1.1 agreed\n30 3 deliver 1.1.1 agreed\n31 3 deliver 1.1.1 agreed\n90 - end\n" },
		{ HC_P_INVENTED, RING3 "30 2 deliver 1.1.1 agreed\n90 - end\n" },
		{ HC_P_SELF, RING3 "20 1 send 1.1.1 agreed\n90 - end\n" },
		{ HC_P_FIFO, RING3 "20 1 send 1.1.1 safe\n21 1 send 1.1.2 safe\n"
		  "30 1 deliver 1.1.2 safe\n30 2 deliver 1.1.2 safe\n30 3 deliver 1.1.2 safe\n"
		  "31 1 deliver 1.1.1 safe\n31 2 deliver 1.1.1 safe\n31 3 deliver 1.1.1 safe\n90 - end\n" },
		{ HC_P_VS, RING3 "20 1 send 1.1.1 agreed\n30 1 deliver 1.1.1 agreed\n"
		  "40 1 conf trans 1:8 1,2\n40 2 conf trans 1:8 1,2\n41 1 conf reg 1:8 1,2\n41 2 conf reg 1:8 1,2\n"
		  "42 3 crash\n90 - end\n" },
		{ HC_P_SAFE, RING3 "20 1 send 1.1.1 safe\n30 1 deliver 1.1.1 safe\n30 2 deliver 1.1.1 safe\n90 - end\n" },
		{ HC_P_CONF, RING3 "40 1 conf trans 1:8 1\n41 1 conf reg 1:8 1,2\n"
		  "40 2 conf trans 1:8 2\n41 2 conf reg 1:8 1,2\n42 3 crash\n90 - end\n" },
		{ HC_P_LIVE, RING3 "40 3 crash\n0 - faults-end\n40000000 - end\n" },
		{ HC_P_AGREED_HOLES, RING3 "20 1 send 1.1.1 agreed\n20 2 send 2.1.1 agreed\n"
		  "30 1 deliver 1.1.1 agreed\n31 1 deliver 2.1.1 agreed\n"
		  "30 2 deliver 1.1.1 agreed\n31 2 deliver 2.1.1 agreed\n31 3 deliver 2.1.1 agreed\n90 - end\n" },
		{ HC_P_FIFO_HOLES, RING3 "20 1 send 1.1.1 agreed\n21 1 send 1.1.2 agreed\n"
		  "30 1 deliver 1.1.2 agreed\n30 2 deliver 1.1.2 agreed\n30 3 deliver 1.1.2 agreed\n"
		  "40 1 conf trans 1:8 1\n41 1 conf reg 1:8 1\n42 1 crash\n90 - end\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seen s;

		check_text(cases[i].text, &s);
		ck_assert_msg(s.n > 0, "%s: no violation", cases[i].prop);
		assert_only(&s, cases[i].prop);
		ck_assert_msg(strstr(s.last, "t.hist:") != NULL, "%s: no line reference in '%s'",
			      cases[i].prop, s.last);
	}
}
END_TEST

/* safe-after-crash compares the times of different nodes: --one-clock only. */
START_TEST(test_safe_after_crash)
{
	static const char text[] = RING3 "15 3 crash\n20 1 send 1.1.1 safe\n"
		"30 1 deliver 1.1.1 safe\n30 2 deliver 1.1.1 safe\n90 - end\n";
	struct hc_opts o = opts;
	struct hc_history *h;
	char err[256];
	struct seen s;

	ck_assert_uint_eq(check_text(text, &s), 0);
	o.one_clock = 1;
	h = hc_history_new();
	ck_assert_ptr_nonnull(h);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(load_text(h, "t.hist", text, err, sizeof(err)), 0);
	ck_assert_int_eq(hc_build(h, err, sizeof(err)), 0);
	ck_assert_uint_eq(hc_check(h, &o, collect, &s), 1);
	assert_only(&s, HC_P_SAFE_CRASH);
	ck_assert_msg(strstr(s.last, "member node 3 had crashed (t.hist:7)") != NULL, "%s", s.last);
	hc_history_free(h);
}
END_TEST

/*
 * Robustness: deterministic mutations of a valid history (characters
 * replaced, lines dropped, repeated or swapped) must give a load or build
 * error or a completed check, never a crash (run under the sanitizers or
 * valgrind to see memory errors).
 */
START_TEST(test_mutations)
{
	static const char base[] = RING3
		"20 2 send 2.1.1 safe\n21 1 send 1.1.1 agreed\n"
		"30 1 deliver 2.1.1 safe\n30 2 deliver 2.1.1 safe\n30 3 deliver 2.1.1 safe\n"
		"31 1 deliver 1.1.1 agreed\n31 2 deliver 1.1.1 agreed\n31 3 deliver 1.1.1 agreed\n"
		"40 3 crash\n50 1 conf trans 1:8 1,2\n50 2 conf trans 1:8 1,2\n"
		"51 1 conf reg 1:8 1,2\n51 2 conf reg 1:8 1,2\n60 3 start 2\n61 3 conf reg 3:12 3\n"
		"0 - faults-end\n90 - end\n";
	static const char alphabet[] = "0123456789 .,:-#\tx";
	char lines[40][64];
	uint32_t rnd = 12345;
	size_t nl, i, iter, n_ok = 0, n_err = 0;

	for (iter = 0; iter < 3000; iter++) {
		struct hc_history *h = hc_history_new();
		const char *p = base;
		char err[256];
		struct seen s;
		int rc = 0;

		for (nl = 0; *p && nl < 40; nl++) {
			size_t n = strcspn(p, "\n");

			memcpy(lines[nl], p, n);
			lines[nl][n] = '\0';
			p += n + (p[n] ? 1 : 0);
		}
		for (i = 0; i < 1 + iter % 4; i++) {
			size_t a, b, len;

			rnd = rnd * 1103515245u + 12345u;
			a = (rnd >> 8) % nl;
			b = (rnd >> 20) % nl;
			switch ((rnd >> 4) % 4) {
			case 0:
				len = strlen(lines[a]);
				if (len)
					lines[a][(rnd >> 12) % len] = alphabet[(rnd >> 16) % (sizeof(alphabet) - 1)];
				break;
			case 1:
				lines[a][0] = '\0';
				break;
			case 2:
				memcpy(lines[a], lines[b], sizeof(lines[a]));
				break;
			default: {
				char tmp[64];

				memcpy(tmp, lines[a], sizeof(tmp));
				memcpy(lines[a], lines[b], sizeof(tmp));
				memcpy(lines[b], tmp, sizeof(tmp));
			}
			}
		}
		for (i = 0; i < nl && !rc; i++)
			rc = hc_load_line(h, "m", (unsigned)i + 1, lines[i], err, sizeof(err));
		if (!rc)
			rc = hc_build(h, err, sizeof(err));
		if (rc) {
			ck_assert_int_eq(rc, -EINVAL);
			n_err++;
		} else {
			struct hc_opts o = opts;

			/* every mode, the hole rules' included */
			o.one_clock = 1;
			o.safe_survivors = (int)(iter % 2);
			o.regular_only = (int)(iter / 2 % 2);
			memset(&s, 0, sizeof(s));
			hc_check(h, &o, collect, &s);
			n_ok++;
		}
		hc_history_free(h);
	}
	/* Both outcomes occur, so the mutations reach the checks too. */
	ck_assert_uint_gt(n_ok, 100);
	ck_assert_uint_gt(n_err, 100);
}
END_TEST

Suite *unit_suite(void)
{
	const TTest *tests[] = { test_parse_errors, test_blank_and_comments,
		test_merge_sources, test_time_backwards_in_one_source,
		test_clean, test_each_property, test_safe_after_crash,
		test_mutations, NULL };

	return unit_suite_of("checker", "api", 20, tests);
}
