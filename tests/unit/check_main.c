/* check_main.c: runs the suite of unit_suite() (check_main.h). */
#include <stdio.h>
#include <stdlib.h>

#include "unit/check_main.h"

static const char *skip_why;
static int fork_always;

void unit_skip(const char *why)
{
	skip_why = why;
}

void unit_fork(void)
{
	fork_always = 1;
}

TCase *unit_case(Suite *s, const char *tcase, double timeout,
		 const TTest *const tests[])
{
	TCase *tc = tcase_create(tcase);

	if (timeout > 0)
		tcase_set_timeout(tc, timeout);
	for (; *tests; tests++)
		tcase_add_test(tc, *tests);
	suite_add_tcase(s, tc);
	return tc;
}

Suite *unit_suite_of(const char *name, const char *tcase, double timeout,
		     const TTest *const tests[])
{
	Suite *s = suite_create(name);

	unit_case(s, tcase, timeout, tests);
	return s;
}

int main(int argc, char **argv)
{
	Suite *s;
	SRunner *sr;
	int run, failed;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [test case]\n", argv[0]);
		return 99;
	}
	s = unit_suite();
	if (s == NULL) {
		printf("SKIP: %s\n", skip_why ? skip_why : "(no reason given)");
		return skip_why ? 77 : 99;
	}
	sr = srunner_create(s);
	if (fork_always)
		srunner_set_fork_status(sr, CK_FORK);
	/* NULL names: libcheck reads CK_RUN_SUITE and CK_RUN_CASE */
	srunner_run(sr, NULL, argc == 2 ? argv[1] : NULL, CK_ENV);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	if (run == 0) {
		fprintf(stderr, "ERROR: no test ran (is the case name right?)\n");
		return 99;
	}
	if (skip_why) {
		printf("SKIP: %s\n", skip_why);
		return 77;
	}
	return EXIT_SUCCESS;
}
