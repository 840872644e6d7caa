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

h_init
[ -x "$CL_CLIENT" ] || h_fail "$CL_CLIENT not built"
[ -x "$CL_CHECK" ] || h_fail "$CL_CHECK not built"
ch_net_init 5 1
cl_conf "$H_TMP/c.conf" 5 1
for n in 1 2 3 4 5; do cl_start "$n" "$H_TMP/c.conf"; done
cl_wait_ring 5 40 || { cl_logs; h_fail "no 5-node ring within 40 s"; }
pids=""
for n in 1 2 3 4 5; do
	cl_client "$n" 1 "$H_TMP/h.$n" -w 5 -c 100000000 -r 100 -s 300 -q 100000000
	eval "P$n=\$CL_CPID"
	pids="$pids $CL_CPID"
done
for n in 1 2 3 4 5; do
	h_wait_grep "$H_TMP/h.$n" " send $n\.1\.100 " 20 || { cl_logs; h_fail "client $n not sending"; }
done
# load: two busy loops, stopped by the cleanup's kill like the daemons
for i in 1 2; do
	sh -c 'while :; do :; done' &
	H_PIDS="$H_PIDS $!"
	BUSY="${BUSY:-} $!"
done
FAULTS_END=$(cl_now)
kill -KILL "$CL_PID_5"
wait "$CL_PID_5"
h_log "daemon 5 killed"
wait "$P5"
[ $? = 3 ] || h_fail "client 5 did not report its daemon lost"
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
# then the clients stop sending and end once they have had nothing for
# 2 s, each having delivered all it was sent
kill -USR1 $P1 $P2 $P3 $P4
for n in 1 2 3 4; do
	eval "p=\$P$n"
	wait "$p" || { cl_logs; h_fail "client $n exited $?"; }
done
END=$(cl_now)
{ echo "$FAULTS_END - faults-end"; echo "$END - end"; } >"$H_TMP/end"
"$CL_CHECK" --old-before-trans --bound-us $((STABLE - FAULTS_END + 500000)) --settle-us 2000000 \
	"$H_TMP"/h.[12345] "$H_TMP/end" >&2 || { cl_logs; h_fail "histories fail the checker"; }
exit 0
