#!/bin/sh
# One node dies for good (never restarted) while the others send.  With
# kills alone the survivors lose the token together and must form one ring
# of them all, never one that leaves out a live node (the simulator
# asserts it: all consensus timers fire at once, and a node must not be
# failed while its answer to changed join sets is on its way); with loss
# and timers off their time too, the survivors must end in one ring of
# them all (liveness, with the history checker); on the simulator's
# default timing and on the daemon's (token 3000 ms + 650 ms per node).
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 200 --nodes 2-8 --faults kill --check || exit 1
sim_run 40 --nodes 5 --faults kill --token 3000 --token-coef 650 \
	--duration 8000 --check || exit 1
sim_run 150 --nodes 2-8 --faults kill,loss,timer --check
