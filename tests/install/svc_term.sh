#!/bin/sh
# SIGTERM stops cpgd cleanly: exit status 0 within a few seconds, the pid
# file removed, and its clients (two members of a group, through the
# system's libcpg) see their connection close and end.
. "$top_srcdir/tests/harness.sh"

MEMBER="$top_builddir/tests/tool/tool_member"

h_init
h_need "$MEMBER"
NS=$(h_ns_new term)
h_start_cpgd "$NS" term
PID=$H_LAST_PID
members=""
for n in 1 2; do
	ip netns exec "$NS" "$MEMBER" grp >"$H_TMP/member.$n" 2>&1 &
	members="$members $!"
	H_PIDS="$H_PIDS $!"
done
for n in 1 2; do
	h_wait_grep "$H_TMP/member.$n" "^joined " 10 || { cat "$H_TMP/member.$n" >&2; h_fail "member $n did not join"; }
done

h_stop_cpgd "$PID"
rc=$?
[ "$rc" = 0 ] || { cat "$H_TMP/term/cpgd.log" >&2; h_fail "cpgd exited $rc after SIGTERM"; }
[ -e "$H_TMP/term/run/cpgd.pid" ] && h_fail "the pid file is left behind"
grep -q "signal 15: stopping" "$H_TMP/term/cpgd.log" || h_fail "no log line for SIGTERM"
n=1
for m in $members; do
	i=0
	while kill -0 "$m" 2>/dev/null; do
		[ $i -gt 50 ] && h_fail "member $n still runs 5 s after cpgd stopped"
		sleep 0.1; i=$((i + 1))
	done
	grep -q "^closed$" "$H_TMP/member.$n" ||
		{ cat "$H_TMP/member.$n" >&2; h_fail "member $n did not see its connection close"; }
	n=$((n + 1))
done
exit 0
