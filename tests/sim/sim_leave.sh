#!/bin/sh
# Nodes leave (totem_leave, as cpgd does on SIGTERM) and come back.  With
# leaves alone, every node whose ring held the leaver must install a ring
# without it within half a token timeout (the simulator asserts it); with
# every other fault too, the histories must still pass the checker.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 200 --nodes 2-8 --faults leave --check || exit 1
sim_run 200 --nodes 2-8 --faults leave,mixed --check
