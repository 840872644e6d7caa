#!/bin/sh
# The transport's link evidence (totem_input_reachable) after a token loss:
# with true evidence alone, survivors of a kill install a ring without the
# dead node within 1.6 token timeouts + 100 ms (the consensus timeout would
# take 2.2; the simulator asserts the bound), on the simulator's timing and
# the daemon's; with evidence that lies for a while (links down while the
# node lives, up while it is dead) mixed with every other fault, order,
# virtual synchrony and liveness still hold (own assertions and the
# history checker).
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 200 --nodes 2-8 --faults kill,link --check || exit 1
sim_run 30 --nodes 3-5 --faults kill,link --token 3000 --token-coef 650 \
	--duration 8000 --check || exit 1
sim_run 300 --nodes 2-6 --faults mixed,linklie --check || exit 1
sim_run 150 --nodes 2-8 --faults kill,linklie,loss,timer --check || exit 1
sim_run 150 --nodes 2-6 --faults pause,linklie,loss --check
