#!/bin/sh
# Every fault at once, small rings, many seeds: each passes all checks.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 1200 --nodes 2-6 --faults mixed --check
