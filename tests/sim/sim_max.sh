#!/bin/sh
# Rings at the largest size (TOTEM_MAX_NODES, 384): all nodes start at once
# and form one ring, send and deliver with every check; and rings of 65 to
# 128 nodes (above the 64 that node sets once held) under every fault and
# under a kill.  A short token coefficient keeps virtual time, and so the
# run, short.  SIM_SOAK=K runs K times as many seeds.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 1 --nodes 384 --faults none --interval 20000 --token-coef 5 \
	--duration 2000 --check || exit 1
sim_run 3 --nodes 65-128 --faults mixed --interval 4000 --token-coef 5 \
	--duration 3000 --check || exit 1
sim_run 2 --nodes 65-128 --faults kill --interval 4000 --token-coef 5 \
	--duration 3000 --check
