#!/bin/sh
# No faults: rings of 1 to 16 nodes order and deliver everything.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 200 --nodes 1-16 --faults none --duration 2000 --check
