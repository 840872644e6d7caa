#!/bin/sh
# The whole test suite from a clean tree: installs what is missing, builds with
# warnings as errors and runs `make check` (in _build), then builds again with
# AddressSanitizer and UBSan (configure --enable-sanitizers, in _build-san)
# and runs `make check` there too; prints both summaries.  Exit status 0 only
# when both runs pass and no sanitizer report was written by any process.
#
# CPGD_TEST_SANITIZERS=no skips the second run (it is reported as skipped).
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
sh scripts/deps.sh || exit 1
autoreconf -fi >/dev/null || exit 1

# run_suite DIR [configure args...]: configure, build and check in DIR;
# the make check output is DIR/check.out.
run_suite() {
	local build="$1"; shift
	rm -rf "$build"; mkdir -p "$build"
	(
		cd "$build" || exit 1
		"$top/configure" --enable-werror "$@" ${CONFIGURE_FLAGS:-} \
			>configure.out 2>&1 || { cat configure.out; exit 1; }
		make -j2 >make.out 2>&1 || { tail -n 80 make.out; exit 1; }
		make -j2 check >check.out 2>&1
		rc=$?
		grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR):' check.out
		failed=$(grep -lE '^:test-result: (FAIL|ERROR|XPASS)' $(find tests -name '*.trs') 2>/dev/null)
		# first each failure's reason (its FAIL lines), short enough to
		# survive a truncated console, then the end of each log
		for f in $failed; do
			log="${f%.trs}.log"
			echo "===== why: $log"
			grep -E ': FAIL|FAIL:' "$log" | grep -v '^FAIL ' | tail -n 5
		done
		for f in $failed; do
			log="${f%.trs}.log"
			echo "===== $log"; tail -n 60 "$log"
		done
		exit $rc
	)
}

echo "=== make check"
run_suite "$top/_build"
rc=$?

san_rc=0
if [ "${CPGD_TEST_SANITIZERS:-yes}" = no ]; then
	echo "=== make check with sanitizers: skipped (CPGD_TEST_SANITIZERS=no)"
else
	echo "=== make check with sanitizers (ASan + UBSan)"
	# Every process writes its ASan and LeakSanitizer reports into one
	# directory, so that an error in a daemon or client whose exit status a
	# test does not look at still fails the run.  UBSan stops the process at
	# the first error (it reports on stderr: tests/harness.sh looks for
	# reports in the daemons' logs).  The install test runs
	# a program built without ASan against the installed, instrumented
	# library: ASan is then loaded by the library, not first.
	reports="$top/_build-san.reports"
	rm -rf "$reports"; mkdir -p "$reports"; chmod 1777 "$reports"
	ASAN_OPTIONS="log_path=$reports/asan:verify_asan_link_order=0:detect_leaks=1" \
	UBSAN_OPTIONS="log_path=$reports/ubsan:halt_on_error=1:print_stacktrace=1" \
		run_suite "$top/_build-san" --enable-sanitizers
	san_rc=$?
	if [ -n "$(ls -A "$reports")" ]; then
		echo "===== sanitizer reports"
		for f in "$reports"/*; do echo "== $f"; head -n 40 "$f"; done
		san_rc=1
	fi
fi

echo "=== summary: make check"
sh "$top/scripts/summary.sh" "$top/_build/check.out"
if [ "${CPGD_TEST_SANITIZERS:-yes}" != no ]; then
	echo "=== summary: make check with sanitizers"
	if [ -r "$top/_build-san/check.out" ]; then
		sh "$top/scripts/summary.sh" "$top/_build-san/check.out"
	else
		echo "the sanitizer build failed"
	fi
	n=$(ls -A "$top/_build-san.reports" 2>/dev/null | wc -l)
	echo "$n sanitizer report(s)"
fi
[ $rc = 0 ] && [ $san_rc = 0 ]
