#!/bin/sh
# A daemon paused (SIGSTOP) for less than the token timeout changes no
# membership, though knet finds its links down meanwhile: three real cpgd
# daemons with a client each sending, two busy loops loading the CPUs;
# each node in turn is stopped for 0.8 x the token timeout (read from the
# daemon) and resumed, 11 s apart (knet's ping time-out back-off after a
# link change is over by then, so every pause outlasts knet's time-out).
# No daemon may log a new configuration, no client a confchg, and the
# histories must pass the checker.  CPGD_PAUSE_FRACTION sets the pause
# (default 0.8; above 1 the test must fail).
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

FRACTION=${CPGD_PAUSE_FRACTION:-0.8}

cl_init
STARTED=$(date +%s)
cl_three_sending 100
cl_wait_links 3 1 20 || fail "knet links not all up within 20 s"

# the token timeout in force (token + coefficient), as node 1 reports it
TOKEN_US=$(h_in "$(ch_ns 1)" "$top_builddir/tools/cpgd-tool" counters --json |
	tr ',{}' '\n\n\n' | sed -n 's/.*"token_timeout_us": *\([0-9]*\).*/\1/p' | head -n 1)
[ -n "$TOKEN_US" ] && [ "$TOKEN_US" -gt 0 ] || fail "no token timeout from cpgd-tool"
PAUSE=$(awk -v t="$TOKEN_US" -v f="$FRACTION" 'BEGIN { printf "%.3f", t * f / 1e6 }')
h_log "token timeout $((TOKEN_US / 1000)) ms: pauses of $PAUSE s"

# regular configurations each daemon logged so far (the ring of three)
confs() { grep -c "regular configuration" "$H_TMP/node$1/cpgd.log"; }
for n in 1 2 3; do eval "C$n=\$(confs $n)"; done
for i in 1 2; do
	sh -c 'while :; do :; done' &
	H_PIDS="$H_PIDS $!"
	BUSY="${BUSY:-} $!"
done

for n in 2 1 3; do
	# knet's back-off after the links were set up or went down
	now=$(date +%s)
	[ $((now - STARTED)) -lt 11 ] && sleep $((11 - (now - STARTED)))
	eval "kill -STOP \$CL_PID_$n"
	sleep "$PAUSE"
	eval "kill -CONT \$CL_PID_$n"
	STARTED=$(date +%s)
	h_log "daemon $n paused for $PAUSE s"
	# whether knet found the links down during the pause (it should)
	o=$((n % 3 + 1))
	h_wait_grep "$H_TMP/node$o/cpgd.log" "node $n unreachable" 1 ||
		h_log "(node $o's knet did not find node $n's links down)"
done
sleep 3
kill $BUSY
for n in 1 2 3; do
	eval "c=\$C$n"
	[ "$(confs "$n")" = "$c" ] ||
		fail "daemon $n logged $(($(confs "$n") - c)) new configuration(s) after pauses of $PAUSE s"
	grep -q "^# confchg .* left=[0-9]" "$H_TMP/h.$n" &&
		fail "client $n saw a member leave"
done
h_log "no membership change"
kill -TERM $pids
cl_reap "$pids"
echo "$(cl_now) - end" >"$H_TMP/end"
"$CL_CHECK" --settle-us 2000000 "$H_TMP"/h.[123] "$H_TMP/end" >&2 || fail "histories fail the checker"
exit 0
