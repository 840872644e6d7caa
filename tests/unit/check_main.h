/* check_main.h: the one main() of the Check suites in tests/unit.
 *
 * A suite file defines unit_suite() and links libcheck_main.la, whose main()
 * runs that suite and exits 0 when every test passed, 1 when one failed, 77
 * when the suite asked to be skipped, 99 when no test ran at all.
 *
 * What runs is chosen the way libcheck documents it: CK_RUN_SUITE,
 * CK_RUN_CASE, CK_INCLUDE_TAGS, CK_EXCLUDE_TAGS, CK_FORK, CK_VERBOSITY,
 * CK_DEFAULT_TIMEOUT, CK_TIMEOUT_MULTIPLIER, CK_TAP_LOG_FILE_NAME...; a test
 * case may also be named as the program's one argument. */
#ifndef CPGD_TESTS_CHECK_MAIN_H
#define CPGD_TESTS_CHECK_MAIN_H

#include <check.h>

/* Defined by each suite file: the suite to run, or NULL after unit_skip()
 * when it cannot run here at all. */
Suite *unit_suite(void);

/* Adds to s a test case named tcase with the tests of the NULL-ended
 * list, each given timeout seconds (0: Check's default); returns it (for
 * a fixture). */
TCase *unit_case(Suite *s, const char *tcase, double timeout,
		 const TTest *const tests[]);

/* The suite of most files: suite name with one test case (unit_case()). */
Suite *unit_suite_of(const char *name, const char *tcase, double timeout,
		     const TTest *const tests[]);

/* The run ends with 77 (skipped) and WHY on stdout: at once when
 * unit_suite() returns NULL, otherwise once the suite's tests have passed
 * (what could be checked here was checked; the rest could not). A failing
 * test still fails the run. */
void unit_skip(const char *why);

/* Every test in a process of its own, whatever CK_FORK says (for suites
 * whose tests leave a server or a namespace behind them). */
void unit_fork(void);

#endif
