#!/bin/sh
# A small backlog (4 kB) and a fast application: -EAGAIN and flow reports under
# every fault, nothing lost that was accepted.
. "$top_srcdir/tests/sim/sim_lib.sh"
sim_run 60 --nodes 2-6 --faults mixed --interval 2 --backlog 4096 --check
