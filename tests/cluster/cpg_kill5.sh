#!/bin/sh
# A node of five killed while every node sends and the CPUs are busy: five
# real cpgd daemons with a history client each; node 5's daemon is killed
# with SIGKILL while two CPU-bound processes compete with the daemons (as
# when tests or other work share the machine).  The four survivors must
# form one ring of four within 30 s, their clients must see node 5's member
# leave with NODEDOWN, and the histories must pass the checker.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

cl_init
cl_ring 5 1
cl_sending 100 100 100 100 100 100 -- -s 300
# load: two busy loops, stopped by the cleanup's kill like the daemons
for i in 1 2; do
	sh -c 'while :; do :; done' &
	H_PIDS="$H_PIDS $!"
	BUSY="${BUSY:-} $!"
done
FAULTS_END=$(cl_now)
cl_kill 5
# one deadline for all four: 30 s after the kill
DEADLINE=$((FAULTS_END + 30000000))
# The last regular configuration a survivor logged must be a ring of four
# (the five formed before the kill; a starved node 5 may even have been
# left out just before it).
last_ring_of_four() {
	grep "regular configuration .* with [0-9]* members" "$H_TMP/node$1/cpgd.log" |
		tail -n 1 | grep -q " with 4 members"
}
for n in 1 2 3 4; do
	until last_ring_of_four "$n"; do
		[ "$(cl_now)" -lt "$DEADLINE" ] ||
			{ cl_logs; h_fail "node $n: no 4-node ring 30 s after node 5 was killed"; }
		sleep 0.2
	done
	cl_wait_confchg "$H_TMP/h.$n" left 5 "$P5" 3 10 ||
		{ cl_logs; h_fail "client $n did not see node 5's member leave with NODEDOWN"; }
done
kill $BUSY
STABLE=$(cl_now)
h_log "four-node ring after $(((STABLE - FAULTS_END) / 1000)) ms"
fail() { cl_logs; h_fail "$*"; }
cl_wait_traffic "$STABLE" 2 "1 2 3 4"
# the surviving clients end; liveness from the ring of four on
pids="$P1 $P2 $P3 $P4"
cl_end_and_check "$FAULTS_END" "$STABLE" --old-before-trans
exit 0
