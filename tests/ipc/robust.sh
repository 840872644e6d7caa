#!/bin/sh
# Raw protocol: every daemon-side error answer, then malformed requests of
# every id; the daemon answers or closes, a bystander keeps working; a
# member that never reads is dropped once its queue is full; the daemon
# stays up and still serves a library client afterwards.
. "$top_srcdir/tests/harness.sh"
h_init
ns=$(h_ns_new robust)
h_start_cpgd "$ns" robust
h_in "$ns" "$top_builddir/tests/ipc/rawcpg" errors "$H_LAST_PID" || h_fail "raw errors"
h_alive "$H_LAST_PID"
h_in "$ns" "$top_builddir/tests/ipc/rawcpg" malformed || h_fail "raw malformed"
h_alive "$H_LAST_PID"
h_in "$ns" "$top_builddir/tests/ipc/rawcpg" slowreader || h_fail "raw slow reader"
h_alive "$H_LAST_PID"
h_in "$ns" "$top_builddir/tests/ipc/cpgtest" basic || h_fail "basic after abuse"
