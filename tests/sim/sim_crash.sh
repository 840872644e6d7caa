#!/bin/sh
# Crashes and restarts: every seed passes all checks (the simulator's and
# the history checker's); a restart is a new engine with the persisted seq.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 300 --nodes 2-8 --faults crash --check
