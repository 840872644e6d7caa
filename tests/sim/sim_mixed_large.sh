#!/bin/sh
# Every fault at once, rings of 7 to 16 nodes: each seed passes all checks.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 120 --nodes 7-16 --faults mixed --check
