#!/bin/sh
# Loss, duplicates, reordering, early/late timers: every seed passes all
# checks (the simulator's and the history checker's): retransmission works.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 400 --nodes 2-8 --faults loss,timer --check
