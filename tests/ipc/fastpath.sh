#!/bin/sh
# The fast path is negotiated and equivalent: the same scripted client gives
# the same transcript with it and with CPG_FASTPATH=off, batches really came,
# a kept remainder keeps the fd readable, and malformed announcements from a
# raw client are refused with the connection (and the daemon) carrying on.
. "$top_srcdir/tests/harness.sh"
h_init
prog="$top_builddir/tests/ipc/fastpath"

ns=$(h_ns_new fast)
h_start_cpgd "$ns" cpgd
pid=$H_LAST_PID

# raw announcements: each malformed one refused CS_ERR_INVALID_PARAM (7) in
# a 24-byte answer, the good one accepted (version 2 for a client speaking
# 7), a second one CS_ERR_EXIST (14), and the connection still serves
h_in "$ns" "$prog" raw >"$H_TMP/raw.out" 2>&1 ||
	{ cat "$H_TMP/raw.out" >&2; h_fail "raw client failed"; }
cat "$H_TMP/raw.out" >&2
cat >"$H_TMP/raw.want" <<'END'
short: res 0x43504700 size 24 error 7
long: res 0x43504700 size 24 error 7
version 0: res 0x43504700 size 24 error 7
flags: res 0x43504700 size 24 error 7
hello: res 0x43504700 size 32 error 1 word24 2
again: res 0x43504700 size 24 error 14
local_get: res 0x7 size 32 error 1 word24 1
END
diff "$H_TMP/raw.want" "$H_TMP/raw.out" >&2 ||
	h_fail "announcements answered otherwise"
h_alive "$pid"

# the same script, fast path on and off
h_in "$ns" timeout 120 "$prog" script "fast-$$" >"$H_TMP/fast.out" 2>"$H_TMP/fast.err" ||
	{ cat "$H_TMP/fast.err" >&2; h_fail "script failed on the fast path"; }
h_in "$ns" env CPG_FASTPATH=off timeout 120 "$prog" script "fast-$$" \
	>"$H_TMP/std.out" 2>"$H_TMP/std.err" ||
	{ cat "$H_TMP/std.err" >&2; h_fail "script failed on the standard path"; }
cat "$H_TMP/fast.err" "$H_TMP/std.err" >&2
h_alive "$pid"

n=$(grep -c ' deliver ' "$H_TMP/std.out")
[ "$n" -eq 6002 ] || h_fail "standard path: $n deliveries, not 6002"
grep -q "^R confchg .* joined [0-9]*/S/1$" "$H_TMP/std.out" ||
	h_fail "no join seen in the transcript"
diff "$H_TMP/std.out" "$H_TMP/fast.out" >"$H_TMP/diff" ||
	{ head -n 20 "$H_TMP/diff" >&2; h_fail "the fast path delivered otherwise"; }

# which path each run really took
set -- $(cat "$H_TMP/fast.err")
[ "$3" = epoll ] || h_fail "fast run: the fd is $3, not the library's epoll fd"
[ "$7" -gt 0 ] && [ "$9" -gt "$7" ] ||
	h_fail "fast run: no batch of several events came ($7 batches, $9 items)"
[ "${13}" -gt 0 ] ||
	h_fail "fast run: the fd never stayed readable on a kept remainder"
set -- $(cat "$H_TMP/std.err")
[ "$3" = socket ] && [ "$7" = 0 ] ||
	h_fail "CPG_FASTPATH=off: fd $3, $7 batches"
h_stop_cpgd "$pid" || h_fail "cpgd did not stop cleanly"
exit 0
