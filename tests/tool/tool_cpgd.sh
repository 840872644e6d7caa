#!/bin/sh
# cpgd-tool against a real cpgd in a network namespace: three members in
# two groups (joined through the system's libcpg) must be listed with their
# pids in the plain and the JSON output; the ring names this node; a member
# that exits disappears; a non-root user is refused.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/tool/tool_lib.sh"

TOOL="$top_builddir/tools/cpgd-tool"
MEMBER="$top_builddir/tests/tool/tool_member"
JSONOK="$top_builddir/tests/tool/json_valid"
NODE=3

h_init
h_need "$TOOL" "$MEMBER" "$JSONOK" "$top_builddir/daemon/cpgd"
NS=$(h_ns_new tool)
OUT="$H_TMP/out"
h_start_cpgd "$NS" tool -n $NODE
CPGD=$H_LAST_PID

tool() { h_in "$NS" "$TOOL" "$@" >"$OUT" 2>"$H_TMP/err" || { cat "$H_TMP/err" >&2; h_fail "cpgd-tool $* failed"; }; }

# no groups yet: the header only
tool groups
[ "$(cat "$OUT")" = "$(printf '%-30s %10s %10s' 'Group Name' PID 'Node ID')" ] ||
	{ cat "$OUT" >&2; h_fail "groups before any join"; }

# counters move with the traffic: each join is a delivered message
counter() { awk -v k="$1" '$1 == k { print $2 }' "$OUT"; }
tool counters
before=$(counter delivered_msgs)
[ -n "$before" ] || { cat "$OUT" >&2; h_fail "no delivered_msgs counter"; }
has "^configurations  *1$" "counters"

n=0
for g in alpha alpha beta; do
	n=$((n + 1))
	ip netns exec "$NS" "$MEMBER" "$g" >"$H_TMP/member.$g.$n" 2>&1 &
	H_PIDS="$H_PIDS $!"
done
i=0
while [ "$(cat "$H_TMP"/member.* | grep -c '^joined ')" != 3 ]; do
	[ $i -gt 100 ] && { cat "$H_TMP"/member.* >&2; h_fail "members did not join"; }
	sleep 0.1; i=$((i + 1))
done

# want: "group pid node" per member, sorted
: >"$H_TMP/want"
for f in "$H_TMP"/member.*; do
	g=$(basename "$f" | cut -d. -f2)
	echo "$g $(sed -n 's/^joined //p' "$f") $NODE" >>"$H_TMP/want"
done
sort -o "$H_TMP/want" "$H_TMP/want"

tool counters
after=$(counter delivered_msgs)
[ "$after" -ge $((before + 3)) ] || h_fail "delivered_msgs went from $before to $after for 3 joins"

# plain: a group line, then one line per member: PID, Node ID
tool groups
has "^Group Name  *PID  *Node ID$" "groups"
awk 'NR == 1 { next }
     /^[^ ]/ { g = $0; next }
     { print g, $1, $2 }' "$OUT" | sort >"$H_TMP/got"
diff "$H_TMP/want" "$H_TMP/got" >&2 || { cat "$OUT" >&2; h_fail "plain groups differ"; }

# with a delimiter: exactly one line per member
tool -d ' '
head -n 1 "$OUT" | grep -q '^GRP_NAME PID NODEID$' || h_fail "-d: no header"
tail -n +2 "$OUT" | sort | diff "$H_TMP/want" - >&2 || h_fail "-d: members differ"
tool -n
[ "$(sort "$OUT" | tr '\n' ' ')" = "alpha beta " ] || h_fail "-n: $(cat "$OUT")"

# JSON: each group with exactly its members, sorted by (nodeid, pid)
tool groups --json
json_ok "groups --json"
for g in alpha beta; do
	members=$(awk -v g="$g" '$1 == g { print $2 }' "$H_TMP/want" | sort -n |
		awk -v n=$NODE '{ printf "%s{\"nodeid\":%s,\"pid\":%s}", (NR > 1 ? "," : ""), n, $1 }')
	has "{\"name\":\"$g\",\"members\":\[$members\]}" "groups --json ($g)"
done
[ "$(grep -o '"name":' "$OUT" | wc -l)" -eq 2 ] || h_fail "groups --json: not two groups"

# the ring of a single node
tool ring
has "^This node ID:  $NODE$" "ring"
has "^  *$NODE (this node)$" "ring"
tool ring --json
json_ok "ring --json"
has "\"members\":\[$NODE\],\"this_nodeid\":$NODE}" "ring --json"

# all parts, plain and JSON
tool
has "^alpha$" "(all)"
has "^Ring ID:" "(all)"
has "^Links: none" "(all)"
has "^delivered_msgs  *[0-9]" "(all)"
tool --json
json_ok "--json"
has '"links":null' "--json"
has '"counters":{' "--json"

# a member that exits is gone from the list
# (the pid it printed: $! may be a subshell around ip netns exec)
gone=$(sed -n 's/^joined //p' "$H_TMP/member.alpha.1")
kill -TERM "$gone"
i=0
while :; do
	tool groups
	grep -Eq "^ +$gone +$NODE$" "$OUT" || break
	[ $i -gt 50 ] && h_fail "pid $gone still listed after it exited"
	sleep 0.1; i=$((i + 1))
done
has "^alpha$" "groups after one alpha member left"
has "^beta$" "groups after one alpha member left"

# only root may ask
if setpriv --version >/dev/null 2>&1; then
	h_in "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups "$TOOL" groups \
		>"$OUT" 2>"$H_TMP/err" && h_fail "a non-root user got the status"
	grep -q "^cpgd-tool: cannot connect to cpgd: " "$H_TMP/err" ||
		{ cat "$H_TMP/err" >&2; h_fail "no clear message for a refused user"; }
fi
kill -0 "$CPGD" 2>/dev/null || h_fail "cpgd is gone"
exit 0
