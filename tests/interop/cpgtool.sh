#!/bin/sh
# Interop (b): Debian's corosync-cpgtool, run against cpgd, lists the
# groups and members it should (through cpg iteration).
. "$top_srcdir/tests/harness.sh"
h_init
command -v corosync-cpgtool >/dev/null || { h_log "SKIP: corosync-cpgtool not installed"; exit 77; }
CPGTEST="$top_builddir/tests/interop/cpgtest_sys"
ns=$(h_ns_new tool)
h_start_cpgd "$ns" tool -n 3
: >"$H_TMP/pids"
n=0
for g in alpha alpha beta; do
	n=$((n + 1))
	h_in "$ns" "$CPGTEST" hold "$g" >"$H_TMP/hold.$g.$n" 2>&1 &
done
i=0
while [ "$(cat "$H_TMP"/hold.* | grep -c '^joined')" != 3 ]; do
	[ $i -gt 100 ] && h_fail "members did not join"
	sleep 0.1; i=$((i + 1))
done
for f in "$H_TMP"/hold.*; do
	g=$(basename "$f" | cut -d. -f2)
	echo "$g $(sed -n 's/^joined //p' "$f") 3" >>"$H_TMP/pids"
done
sort "$H_TMP/pids" >"$H_TMP/want"

# with a delimiter: one line per member
h_in "$ns" corosync-cpgtool -d ' ' >"$H_TMP/out.d" || h_fail "cpgtool -d failed"
head -n 1 "$H_TMP/out.d" | grep -q '^GRP_NAME PID NODEID$' || h_fail "no header"
tail -n +2 "$H_TMP/out.d" | sort >"$H_TMP/got"
diff "$H_TMP/want" "$H_TMP/got" >&2 || h_fail "cpgtool -d listed other members"

# group names only
h_in "$ns" corosync-cpgtool -n >"$H_TMP/out.n" || h_fail "cpgtool -n failed"
[ "$(sort "$H_TMP/out.n" | tr '\n' ' ')" = "alpha beta " ] ||
	h_fail "cpgtool -n: $(cat "$H_TMP/out.n")"

# the default table: group lines, then members with pid and node id
h_in "$ns" corosync-cpgtool >"$H_TMP/out" || h_fail "cpgtool failed"
for g in alpha beta; do
	grep -q "^$g\$" "$H_TMP/out" || h_fail "group $g missing from the table"
done
while read -r g pid node; do
	grep -Eq "^[[:space:]]+$pid[[:space:]]+$node " "$H_TMP/out" ||
		h_fail "member $pid missing from the table"
done <"$H_TMP/want"
