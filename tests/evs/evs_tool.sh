#!/bin/sh
# cpgd-tool evs shows the local EVS clients and the groups each joined, as
# plain text and as JSON (checked with jq); a client that is gone is gone
# from the list; "all" is unchanged by EVS.
. "$top_srcdir/tests/harness.sh"
h_init
TOOL="$top_builddir/tools/cpgd-tool"
EV="$top_builddir/tests/evs/evs_histclient"
command -v jq >/dev/null 2>&1 || { h_log "SKIP: jq is not installed"; exit 77; }
ns=$(h_ns_new tool)
h_start_cpgd "$ns" tool
ip netns exec "$ns" "$EV" -n 1 -i 1 -o "$H_TMP/c1" -p -j alpha,beta -q 100000000 &
c1=$!
ip netns exec "$ns" "$EV" -n 1 -i 1 -o "$H_TMP/c2" -p -j "$(printf 'ga\001')" -q 100000000 &
c2=$!
H_PIDS="$H_PIDS $c1 $c2"
h_wait_grep "$H_TMP/c1" "^# joined" 10 || h_fail "client 1 did not join"
h_wait_grep "$H_TMP/c2" "^# joined" 10 || h_fail "client 2 did not join"

h_in "$ns" "$TOOL" evs >"$H_TMP/plain" || h_fail "cpgd-tool evs failed"
cat "$H_TMP/plain" >&2
grep -Eq "^ *EVS PID Groups\$" "$H_TMP/plain" || h_fail "no heading"
grep -Eq "^ *$c1 alpha beta\$" "$H_TMP/plain" || h_fail "client $c1 and its groups not shown"
grep -Eq "^ *$c2 ga\\\\x01\$" "$H_TMP/plain" || h_fail "client $c2 and its escaped group not shown"

h_in "$ns" "$TOOL" evs --json >"$H_TMP/json" || h_fail "cpgd-tool evs --json failed"
jq -e --argjson p "$c1" '.version == 1 and (.evs | length) == 2 and
	(.evs[] | select(.pid == $p) | .groups) == ["alpha", "beta"]' \
	"$H_TMP/json" >/dev/null || { cat "$H_TMP/json" >&2; h_fail "JSON does not list client $c1 with alpha, beta"; }
jq -e --argjson p "$c2" '(.evs[] | select(.pid == $p) | .groups) == ["ga\u0001"]' \
	"$H_TMP/json" >/dev/null || h_fail "JSON does not list client $c2 with its group"

kill -TERM "$c2"; wait "$c2"
# the daemon notices the closed connection in its own time
gone=0
for i in $(seq 1 100); do
	h_in "$ns" "$TOOL" evs --json >"$H_TMP/json2" || h_fail "cpgd-tool evs --json failed"
	if jq -e --argjson p "$c1" '(.evs | length) == 1 and .evs[0].pid == $p' \
		"$H_TMP/json2" >/dev/null; then
		gone=1
		break
	fi
	sleep 0.1
done
[ "$gone" = 1 ] || { cat "$H_TMP/json2" >&2; h_fail "a finished client is still listed"; }
h_in "$ns" "$TOOL" all --json >"$H_TMP/all" || h_fail "cpgd-tool all failed"
jq -e 'has("evs") | not' "$H_TMP/all" >/dev/null || h_fail "all lists evs"
kill -TERM "$c1"; wait "$c1"
exit 0
