#!/bin/sh
# Partitions and heals (split, recover, merge): each seed passes all checks.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 300 --nodes 2-8 --faults partition --check
