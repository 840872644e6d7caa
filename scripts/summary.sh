#!/bin/sh
# Prints automake's test summary from a `make check` output, then one plain
# line "N passed, N failed, N skipped" counted from the same results.
out="$1"
grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' "$out" | tail -n 7
pass=$(grep -cE '^PASS:' "$out")
fail=$(grep -cE '^(FAIL|ERROR|XPASS):' "$out")
skip=$(grep -cE '^(SKIP|XFAIL):' "$out")
echo "$pass passed, $fail failed, $skip skipped"
