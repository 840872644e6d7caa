#!/bin/sh
# One simulated history written to a file and read back by the histcheck
# program itself, as a person replaying a seed would; the same seed run
# again writes the same history, byte for byte.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
sim="$top_builddir/tests/sim/totemsim"
hc="$top_builddir/tests/sim/histcheck"
h="$top_builddir/tests/sim/sim_histcheck.history"
"$sim" --seed 7 --nodes 5 --faults mixed --history "$h" --quiet || exit 1
fe=$(awk '$3 == "faults-end" { print $1 }' "$h")
end=$(awk '$3 == "end" { print $1 }' "$h")
[ -n "$fe" ] && [ -n "$end" ] || { echo "history without faults-end/end"; exit 1; }
grep -q " conf trans " "$h" || { echo "no ring change in the run"; exit 1; }
"$hc" --one-clock --bound-us $((end - fe - 4000000)) "$h" || exit 1
"$sim" --seed 7 --nodes 5 --faults mixed --history "$h.again" --quiet || exit 1
cmp "$h" "$h.again" || { echo "replay differs"; exit 1; }
rm -f "$h" "$h.again"
echo "histcheck: 2 passed, 0 failed"
