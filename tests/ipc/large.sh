#!/bin/sh
# Messages of several MiB go as fragments and arrive whole, in order.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/ipc/scenarios.sh"
h_init
CPGTEST="$top_builddir/tests/ipc/cpgtest"
ns=$(h_ns_new large)
h_start_cpgd "$ns" large
# one sender: Debian's libcpg reassembles per connection, not per sender
ipc_members "$ns" big 3 1 4 3500000
h_alive "$H_LAST_PID"
