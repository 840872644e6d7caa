#!/bin/sh
# Partitions and heals: rings split, recover and merge.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 300 --nodes 2-8 --faults partition --check
