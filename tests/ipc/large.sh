#!/bin/sh
# Messages of several MiB go as fragments and arrive whole, in order.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/ipc/scenarios.sh"
h_init
CPGTEST="$top_builddir/tests/ipc/cpgtest"
ns=$(h_ns_new large)
h_start_cpgd "$ns" large
# two senders at once: each message reaches a member's connection in one
# piece (collected whole by the sender's daemon), so even a library that
# reassembles per connection rather than per sender gets them right
ipc_members "$ns" big 3 2 3 3500000
h_alive "$H_LAST_PID"
