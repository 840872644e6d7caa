#!/bin/sh
# Loss, duplication, reordering and early/late timers: retransmission.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 400 --nodes 2-8 --faults loss,timer --check
