#!/bin/sh
# cpgd under valgrind memcheck through a representative IPC scenario: the
# library's calls, error answers, malformed requests, zero-copy buffers, a
# connect loop, a sender killed mid-message, then a clean stop.  Any error
# or leak (definite, indirect or possible) fails.  CPGD_VALGRIND=1 runs
# every other daemon test the same way.
. "$top_srcdir/tests/harness.sh"
h_init
command -v valgrind >/dev/null || { h_log "SKIP: valgrind not installed"; exit 77; }
if ldd "$top_builddir/daemon/cpgd" | grep -q 'libasan'; then
	h_log "SKIP: cpgd is built with AddressSanitizer, which valgrind cannot run"
	exit 77
fi
CPGD_VALGRIND=1
ns=$(h_ns_new memcheck)
h_start_cpgd "$ns" memcheck
pid=$H_LAST_PID
h_in "$ns" "$top_builddir/tests/ipc/cpgtest" basic || h_fail "basic"
h_in "$ns" "$top_builddir/tests/ipc/cpgtest" zcb || h_fail "zcb"
h_in "$ns" "$top_builddir/tests/ipc/rawcpg" errors "$pid" || h_fail "raw errors"
h_in "$ns" "$top_builddir/tests/ipc/rawcpg" malformed || h_fail "raw malformed"
h_in "$ns" "$top_builddir/tests/ipc/hostile" connloop 50 || h_fail "connect loop"
h_in "$ns" "$top_builddir/tests/ipc/hostile" fragkill || h_fail "fragment kill"
h_stop_cpgd "$pid"
rc=$?
grep -E "ERROR SUMMARY|definitely|indirectly|possibly" "$H_LAST_DIR/valgrind.log" >&2
[ $rc = 0 ] || h_fail "cpgd under valgrind exited $rc (99: errors or leaks)"
grep -q "ERROR SUMMARY: 0 errors" "$H_LAST_DIR/valgrind.log" || h_fail "valgrind errors"
exit 0
