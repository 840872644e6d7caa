#!/bin/sh
# The whole test suite from a clean tree: installs what is missing, builds with
# warnings as errors, runs `make check`, and prints the summary.
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
sh scripts/deps.sh || exit 1
autoreconf -fi >/dev/null || exit 1
build="$top/_build"
rm -rf "$build"; mkdir -p "$build"; cd "$build" || exit 1
"$top/configure" --enable-werror ${CONFIGURE_FLAGS:-} >configure.out 2>&1 \
	|| { cat configure.out; exit 1; }
make -j2 >make.out 2>&1 || { tail -n 80 make.out; exit 1; }
make -j2 check >check.out 2>&1
rc=$?
grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR):' check.out
for f in $(grep -lE '^:test-result: (FAIL|ERROR|XPASS)' $(find tests -name '*.trs') 2>/dev/null); do
	log="${f%.trs}.log"
	echo "===== $log"; tail -n 60 "$log"
done
sh "$top/scripts/summary.sh" check.out
exit $rc
