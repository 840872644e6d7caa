#!/bin/sh
# The request ring of fast path version 2 (doc/fastpath.md): one scripted
# sender gives the same transcript through the ring and with
# CPG_FASTPATH=off (a burst then a leave at once, sends after the leave,
# flow control's TRY_AGAIN, argument errors), while making far fewer libqb
# sends than messages; raw clients that misuse the ring are refused or
# closed with a log line, and a client joined all along is still served.
. "$top_srcdir/tests/harness.sh"
h_init
prog="$top_builddir/tests/ipc/fastring"

ns=$(h_ns_new fring)
h_start_cpgd "$ns" cpgd
pid=$H_LAST_PID

h_in "$ns" timeout 300 "$prog" flow "ring-$$" >"$H_TMP/fast.out" 2>"$H_TMP/fast.err" ||
	{ cat "$H_TMP/fast.out" "$H_TMP/fast.err" >&2; h_fail "flow script failed through the ring"; }
h_in "$ns" env CPG_FASTPATH=off timeout 300 "$prog" flow "ring-$$" \
	>"$H_TMP/std.out" 2>"$H_TMP/std.err" ||
	{ cat "$H_TMP/std.out" "$H_TMP/std.err" >&2; h_fail "flow script failed on the standard path"; }
cat "$H_TMP/fast.err" "$H_TMP/std.err" >&2
h_alive "$pid"
grep -q "^try again seen: yes$" "$H_TMP/std.out" ||
	h_fail "standard path: flow control never said TRY_AGAIN"
grep -q "^delivered before the leave: 500$" "$H_TMP/std.out" ||
	h_fail "standard path: not every message came before the leave"
diff "$H_TMP/std.out" "$H_TMP/fast.out" >"$H_TMP/diff" ||
	{ head -n 20 "$H_TMP/diff" >&2; h_fail "the ring delivered or answered otherwise"; }
# the ring really carried the messages: few libqb sends (kicks, requests)
set -- $(cat "$H_TMP/fast.err")
[ "$3" -lt $(($5 / 4)) ] || h_fail "through the ring: $3 libqb sends for $5 messages"
set -- $(cat "$H_TMP/std.err")
[ "$3" -ge "$5" ] || h_fail "standard path: $3 libqb sends for $5 messages"

# misuse, one raw client each; the bystander is served after.  "order": a
# raw client's ring entries written without a kick are still taken before
# its next request (a LEAVE), so the bystander sees them before the leave
h_in "$ns" timeout 120 "$prog" evil "evil-$$" >"$H_TMP/evil.out" 2>&1 ||
	{ cat "$H_TMP/evil.out" >&2; h_fail "misuse run failed"; }
cat "$H_TMP/evil.out" >&2
cat >"$H_TMP/evil.want" <<'END'
good: ring open error 1, alive
order: ring open error 1, leave error 1, 3 before the leave, alive
no hello: ring open error 7, alive
unsealed: ring open error 11, alive
index: ring open error 1, closed
unaligned: ring open error 1, closed
oversize: ring open error 1, closed
short write: ring open error 1, closed
not mcast: ring open error 1, closed
bad mcast: ring open error 1, closed
dies mid-write: ring open error 1, gone
bystander: ok
END
grep -v '^confchg\|^deliver' "$H_TMP/evil.out" >"$H_TMP/evil.got"
diff "$H_TMP/evil.want" "$H_TMP/evil.got" >&2 || h_fail "misuse answered otherwise"
h_alive "$pid"
log="$H_LAST_DIR/cpgd.log"
for why in "ring index out of range" "ring entry of a bad size" \
	"ring entry longer than what was written" \
	"ring entry is not a multicast" "malformed multicast" \
	"request ring of pid [0-9]* refused"; do
	grep -q "$why" "$log" || h_fail "no log line: $why"
done
h_stop_cpgd "$pid" || h_fail "cpgd did not stop cleanly"
exit 0
