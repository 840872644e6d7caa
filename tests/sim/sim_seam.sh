#!/bin/sh
# The ordering the seam (daemon/order/order.h) describes: every old-ring
# message before the transitional configuration (old_before_trans); safe
# delivery then binds the survivors only, which the simulator's own
# assertions and the history checker (survivors form) check.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 300 --nodes 2-6 --faults mixed --old-before-trans --check
