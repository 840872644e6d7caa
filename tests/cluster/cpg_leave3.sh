#!/bin/sh
# A daemon stopped with SIGTERM leaves at once: three real cpgd daemons with
# a client each, all sending; node 3's daemon gets SIGTERM.  It announces
# its leave, so the survivors form a ring of two well before a token
# timeout could have found it gone: their clients' `conf reg` of nodes 1,2
# must come within half the token-loss time (token 3000 ms + 650 ms for
# the third node = 3650 ms; bound 1825 ms).  A functional bound, not a
# benchmark: without the announcement it takes the whole token timeout
# plus consensus.  The daemon must exit 0, the survivors' clients must see
# node 3's member leave, and the histories must pass the checker, with
# liveness from the ring of two on: its members are exactly nodes 1 and 2,
# and every message they send in it is delivered by both.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

BOUND_US=1825000

cl_init
cl_three_sending 100

T0=$(cl_now)
kill -TERM "$CL_PID_3"
wait "$CL_PID_3"
rc=$?
[ "$rc" = 0 ] || fail "daemon 3 exited $rc on SIGTERM"
grep -q "leaving the cluster" "$H_TMP/node3/cpgd.log" || fail "daemon 3 did not announce its leave"
wait "$P3"
[ $? = 3 ] || fail "client 3 did not report its daemon gone"
for n in 1 2; do
	cl_wait_confchg "$H_TMP/h.$n" left 3 "$P3" "[0-9]*" 10 ||
		fail "client $n did not see node 3's member leave"
	# the first ring of nodes 1,2 after the SIGTERM
	t=$(awk -v t0="$T0" '$3 == "conf" && $4 == "reg" && $6 == "1,2" && $1 > t0 { print $1; exit }' "$H_TMP/h.$n")
	[ -n "$t" ] || fail "client $n logged no ring of nodes 1,2"
	h_log "node $n: ring of 1,2 $(((t - T0) / 1000)) ms after SIGTERM of node 3"
	[ $((t - T0)) -lt "$BOUND_US" ] ||
		fail "node $n: ring without node 3 after $(((t - T0) / 1000)) ms, not within $((BOUND_US / 1000)) ms"
	[ "$t" -gt "${STABLE:-0}" ] && STABLE=$t
done
cl_wait_traffic "$STABLE" 2 "1 2"
# the surviving clients end; liveness from the ring of two on
pids="$P1 $P2"
cl_end_and_check "$T0" "$STABLE" --old-before-trans
exit 0
