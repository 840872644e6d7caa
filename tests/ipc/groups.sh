#!/bin/sh
# Several clients in several groups at once: every member of a group gets
# every message of its group once, in one order, and nothing of the others.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/ipc/scenarios.sh"
h_init
CPGTEST="$top_builddir/tests/ipc/cpgtest"
ns=$(h_ns_new groups)
h_start_cpgd "$ns" groups
ipc_members "$ns" ga 4 4 300 1000 &
a=$!
ipc_members "$ns" gb 3 2 200 3000 &
b=$!
wait $a || exit 1
wait $b || exit 1
h_alive "$H_LAST_PID"
