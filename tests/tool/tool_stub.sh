#!/bin/sh
# cpgd-tool against the real status service (IPC "cpgd-status") run by a
# stub server with fixed sources, in a network namespace of its own:
# plain and JSON output of every section, usage errors, no daemon,
# malformed requests, and a refused non-root client.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/tool/tool_lib.sh"

TOOL="$top_builddir/tools/cpgd-tool"
STUB="$top_builddir/tests/tool/status_stub_server"
RAW="$top_builddir/tests/tool/status_raw"
JSONOK="$top_builddir/tests/tool/json_valid"

h_init
h_need "$TOOL" "$STUB" "$JSONOK" "$RAW"
NS=$(h_ns_new stub)
OUT="$H_TMP/out"
ERR="$H_TMP/err"

# expect_rc RC CMD...: run CMD in the namespace, check its exit status.
expect_rc() {
	local want="$1" rc; shift
	h_in "$NS" "$@" >"$OUT" 2>"$ERR"
	rc=$?
	[ "$rc" = "$want" ] || {
		cat "$OUT" "$ERR" >&2
		h_fail "'$*' exited $rc, expected $want"
	}
}


# --- usage, before any daemon ---
expect_rc 0 "$TOOL" -h
has "Usage: cpgd-tool" "-h"
expect_rc 2 "$TOOL" bogus
expect_rc 2 "$TOOL" groups ring
expect_rc 2 "$TOOL" --bogus
expect_rc 2 "$TOOL" ring -n
expect_rc 2 "$TOOL" -n --json
expect_rc 2 "$TOOL" -d , -n
expect_rc 2 "$TOOL" -d

# --- nothing serves in this namespace yet ---
expect_rc 1 "$TOOL" groups
grep -q "^cpgd-tool: cannot connect to cpgd: " "$ERR" ||
	{ cat "$ERR" >&2; h_fail "no clear message without a daemon"; }

# --- the stub service ---
ip netns exec "$NS" "$STUB" "$H_TMP/stub.ready" >"$H_TMP/stub.log" 2>&1 &
H_PIDS="$H_PIDS $!"
h_wait_file "$H_TMP/stub.ready" 10 || { cat "$H_TMP/stub.log" >&2; h_fail "stub server not ready"; }

expect_rc 0 "$TOOL" groups
has "^Group Name  *PID  *Node ID$" "groups"
has "^alpha$" "groups"
has "^  *4242  *1$" "groups"
has "^  *17  *2$" "groups"
has '^tab\\x09here$' "groups"
[ "$(wc -l <"$OUT")" -eq 6 ] || { cat "$OUT" >&2; h_fail "groups: not 6 lines"; }

# corosync-cpgtool's habits: -d, -n, -e (and groups by default with them)
expect_rc 0 "$TOOL" -d ,
[ "$(cat "$OUT")" = "GRP_NAME,PID,NODEID
alpha,4242,1
alpha,17,2
tab\\x09here,99,1" ] || { cat "$OUT" >&2; h_fail "-d ,"; }
expect_rc 0 "$TOOL" groups -n
[ "$(cat "$OUT")" = "alpha
tab\\x09here" ] || { cat "$OUT" >&2; h_fail "-n"; }
expect_rc 0 "$TOOL" -n -e
[ "$(cat "$OUT")" = "$(printf 'alpha\ntab\there')" ] || { cat "$OUT" >&2; h_fail "-n -e"; }

expect_rc 0 "$TOOL" ring
has "^Ring ID: *1\.8 " "ring"
has "^  *1 (this node)$" "ring"
has "^  *2$" "ring"

expect_rc 0 "$TOOL" links
has "^  *2  *0 yes  *yes  *321  192.0.2.1:5405 -> 192.0.2.2:5405$" "links"

expect_rc 0 "$TOOL" counters
has "^sent_msgs  *3$" "counters"
has "^delivered_msgs  *6$" "counters"

expect_rc 0 "$TOOL"
has "^alpha$" "all"
has "^Ring ID:" "all"
has "^sent_msgs" "all"

expect_rc 0 "$TOOL" --json
json_ok "--json"
has '"groups":\[{"name":"alpha","members":\[{"nodeid":1,"pid":4242},{"nodeid":2,"pid":17}\]}' "--json"
has '"name":"tab\\there"' "--json"
has '"ring":{"rep":1,"seq":8,"members":\[1,2\],"this_nodeid":1}' "--json"
has '"counters":{"sent_msgs":3,"delivered_msgs":6}' "--json"

expect_rc 0 "$TOOL" ring --json
json_ok "ring --json"
grep -q '"groups"' "$OUT" && h_fail "ring --json holds groups"
has '"ring":' "ring --json"

# --- malformed requests get error replies; the service keeps serving ---
expect_rc 0 "$RAW"
expect_rc 0 "$TOOL" groups
has "^alpha$" "groups after malformed requests"

# --- only root may ask ---
if setpriv --version >/dev/null 2>&1; then
	expect_rc 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$TOOL" groups
	grep -q "^cpgd-tool: cannot connect to cpgd: " "$ERR" ||
		{ cat "$ERR" >&2; h_fail "no clear message for a refused user"; }
	# and the service still serves root afterwards
	expect_rc 0 "$TOOL" groups
	has "^alpha$" "groups after a refused client"
else
	h_log "setpriv missing: the non-root refusal is not checked here"
fi

# --- a large reply (about 2.5 MB): whole; too large for a small client ---
NS2=$(h_ns_new big)
ip netns exec "$NS2" "$STUB" "$H_TMP/big.ready" 90000 >"$H_TMP/big.log" 2>&1 &
H_PIDS="$H_PIDS $!"
h_wait_file "$H_TMP/big.ready" 10 || { cat "$H_TMP/big.log" >&2; h_fail "big stub server not ready"; }
h_in "$NS2" "$TOOL" groups >"$OUT" 2>"$ERR" || { cat "$ERR" >&2; h_fail "groups with 90000 members"; }
[ "$(wc -l <"$OUT")" -eq $((1 + 3 + 2 + 1 + 90000)) ] || h_fail "not every member of a large group listed"
grep -q "^  *90000  *1$" "$OUT" || h_fail "last member of the large group missing"
h_in "$NS2" "$TOOL" --json >"$OUT" 2>"$ERR" || { cat "$ERR" >&2; h_fail "--json with 90000 members"; }
json_ok "--json with 90000 members"
h_in "$NS2" "$RAW" small >"$H_TMP/raw.out" 2>&1 || { cat "$H_TMP/raw.out" >&2; h_fail "status_raw small"; }
exit 0
