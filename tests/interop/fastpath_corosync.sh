#!/bin/sh
# Our libcpg against a real corosync 3.1.x announces the fast path, is
# refused and falls back: the scripted client of tests/ipc/fastpath.sh runs
# on the standard protocol (libqb's own fd, no batch) and its transcript is
# the one it gives on cpgd; the raw announcements get corosync's answer to
# an unknown request and the connection carries on.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/interop/corosync_harness.sh"

h_init
c_have_corosync
prog="$top_builddir/tests/ipc/fastpath"

# the transcript on cpgd first (fast path on)
ns=$(h_ns_new cpgd)
h_start_cpgd "$ns" cpgd
h_in "$ns" timeout 120 "$prog" script "fpc-$$" >"$H_TMP/cpgd.out" 2>"$H_TMP/cpgd.err" ||
	{ cat "$H_TMP/cpgd.err" >&2; h_fail "script failed on cpgd"; }
h_stop_cpgd "$H_LAST_PID" || h_fail "cpgd did not stop"

cns=$(h_ns_new corosync)
c_start_corosync "$cns" corosync
c_wait_ready "$cns" 20 "$top_builddir/tests/interop/cpg_rawreq" 4
h_in "$cns" "$prog" raw >"$H_TMP/raw.out" 2>&1 ||
	{ cat "$H_TMP/raw.out" >&2; h_fail "raw client failed on corosync"; }
h_in "$cns" timeout 120 "$prog" script "fpc-$$" >"$H_TMP/coro.out" 2>"$H_TMP/coro.err" ||
	{ cat "$H_TMP/coro.err" >&2; h_fail "script failed on corosync"; }
c_stop_corosync "$C_LAST_PID"
cat "$H_TMP/raw.out" "$H_TMP/cpgd.err" "$H_TMP/coro.err" >&2

# every announcement is an unknown request to corosync
[ "$(grep -c 'res 0 size 24 error 7$' "$H_TMP/raw.out")" = 6 ] ||
	h_fail "corosync answered an announcement otherwise than as unknown"
grep -q '^local_get: res 0x7 size 32 error 1' "$H_TMP/raw.out" ||
	h_fail "the raw connection did not carry on"
set -- $(cat "$H_TMP/coro.err")
[ "$3" = socket ] && [ "$7" = 0 ] ||
	h_fail "on corosync: fd $3, $7 batches (no fallback)"
set -- $(cat "$H_TMP/cpgd.err")
[ "$3" = epoll ] && [ "$7" -gt 0 ] ||
	h_fail "on cpgd: fd $3, $7 batches (no fast path)"
diff "$H_TMP/coro.out" "$H_TMP/cpgd.out" >"$H_TMP/diff" ||
	{ head -n 20 "$H_TMP/diff" >&2; h_fail "corosync and cpgd transcripts differ"; }
exit 0
