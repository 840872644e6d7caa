#!/bin/sh
# The ordering the seam (daemon/order/order.h) describes: every old-ring
# message before the transitional configuration (old_before_trans); safe
# delivery then binds the survivors only, which the simulator's own
# assertions and the history checker (survivors form) check.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 300 --nodes 2-6 --faults mixed --old-before-trans --check || exit 1
# With the daemon's timing: seed 2055 of 8 nodes has survivors that miss
# the installation of the ring whose recovery delivered a safe message
# after a hole (HISTORY.md, safe-delivery, survivors form).
"$top_builddir/tests/sim/totemsim" --seed 2055 --nodes 8 --faults mixed \
	--duration 5000 --token 400 --token-coef 50 --interval 40 \
	--safe-pct 30 --mtu 1400 --max-msg 6000 --backlog 0 \
	--old-before-trans --check --quiet
