#!/bin/sh
# Nodes freeze (as a daemon under SIGSTOP) for 0.2-5 s, below and above the
# token timeout, and resume with their queued packets and late timers all
# at once; the others go on without them and merge them back.  Messages a
# frozen node had queued must be ordered after it resumes (self-delivery)
# and the ring must settle (liveness), on the simulator's timing and on
# the daemon's (token 3000 ms + 650 ms per node).
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 200 --nodes 2-6 --faults pause,loss --check || exit 1
sim_run 30 --nodes 3-5 --faults pause,timer --token 3000 --token-coef 650 \
	--duration 15000 --check
