#!/bin/sh
# CPG configuration changes across three real cpgd daemons, as every
# member's client sees them (the `# confchg` lines of cpg_histclient):
#   JOIN (1)      clients joining one after another, on every node
#   LEAVE (2)     a client that calls cpg_leave
#   PROCDOWN (5)  a client that finalizes without leaving, a client killed
#                 with SIGKILL
#   NODEDOWN (3)  a daemon killed with SIGKILL: its member leaves on the
#                 survivors once the token is lost
#   JOIN (1)      a new client on the restarted daemon, once it is merged
#   NODEDOWN (3) / NODEUP (4)  node 3 cut off from the others and healed:
#                 each side sees the other's members leave with 3, then
#                 come back in a joined list with 4
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

T=25	# bound for anything that needs a token loss and a new ring

cl_init "$CL_CLIENT"
cl_ring 3 1

fail() { tail -n 5 "$H_TMP"/*.h >&2; cl_logs; h_fail "$*"; }

# JOIN: a long-lived client per node (it stops on SIGTERM), one at a time
for n in 1 2 3; do
	cl_client "$n" 1 "$H_TMP/a$n.h" -c 0 -q 600000
	eval "A$n=\$CL_CPID"
	p=$(cl_client_pid "$H_TMP/a$n.h" 10) || fail "client a$n did not join"
	[ "$p" = "$CL_CPID" ] || fail "client a$n joined as pid $p, not $CL_CPID"
	m=1
	while [ "$m" -le "$n" ]; do
		cl_expect "$H_TMP/a$m.h" joined "$n" "$CL_CPID" 1 "join of a$n"
		m=$((m + 1))
	done
done
# the third join lists all three members, on every node
for n in 1 2 3; do
	grep -q "^# confchg hist members=1:$A1,2:$A2,3:$A3 left= joined=3:$A3:1\$" "$H_TMP/a$n.h" ||
		fail "a$n: join of a3 does not list members 1:$A1,2:$A2,3:$A3"
done
h_log "join: ok"

# LEAVE: a client on node 2 leaves the group, then finalizes
cl_client 2 1 "$H_TMP/b.h" -c 0 -q 1000 -L
B=$CL_CPID
for n in 1 2 3; do cl_expect "$H_TMP/a$n.h" joined 2 "$B" 1 "join of b"; done
wait "$B" || fail "client b exited $?"
for n in 1 2 3; do cl_expect "$H_TMP/a$n.h" left 2 "$B" 2 "leave of b"; done
grep -q "left=2:$B:[^2]" "$H_TMP"/a?.h && fail "b's leave reported with another reason"
h_log "leave: ok"

# PROCDOWN: a client that finalizes without leaving
cl_client 3 1 "$H_TMP/c.h" -c 0 -q 1000
C=$CL_CPID
for n in 1 2 3; do cl_expect "$H_TMP/a$n.h" joined 3 "$C" 1 "join of c"; done
wait "$C" || fail "client c exited $?"
for n in 1 2 3; do cl_expect "$H_TMP/a$n.h" left 3 "$C" 5 "finalize of c"; done
h_log "finalize: ok (PROCDOWN)"

# PROCDOWN: a client killed
cl_client 1 1 "$H_TMP/d.h" -c 0 -q 600000
D=$CL_CPID
for n in 1 2 3; do cl_expect "$H_TMP/a$n.h" joined 1 "$D" 1 "join of d"; done
kill -KILL "$D"
wait "$D"
for n in 1 2 3; do cl_expect "$H_TMP/a$n.h" left 1 "$D" 5 "kill of d"; done
h_log "killed client: ok (PROCDOWN)"

# NODEDOWN: daemon 3 killed; its client notices and exits 3
kill -KILL "$CL_PID_3"
wait "$CL_PID_3"
wait "$A3"
rc=$?
[ "$rc" = 3 ] || fail "a3 exited $rc after its daemon was killed, not 3"
grep -q " 3 crash\$" "$H_TMP/a3.h" || fail "a3 did not log its crash"
for n in 1 2; do cl_expect "$H_TMP/a$n.h" left 3 "$A3" 3 "daemon 3 killed"; done
# (on a loaded machine nodes 1 and 2 may part for a moment on the way,
# each seeing the other leave and come back: the view they end with counts)
for n in 1 2; do
	cl_wait_view "$H_TMP/a$n.h" "1:$A1,2:$A2" "$T" ||
		fail "a$n: the group is not 1:$A1,2:$A2 after daemon 3 was killed"
done
h_log "nodedown: ok"

# the daemon restarts; once it is merged, a new client joins normally
mv "$H_TMP/node3/cpgd.log" "$H_TMP/node3/cpgd.log.1"
cl_start 3 "$H_TMP/c.conf"
cl_wait_ring 3 "$T" || fail "restarted node 3 not merged"
cl_client 3 2 "$H_TMP/a3b.h" -c 0 -q 600000
A3=$CL_CPID
for n in 1 2; do cl_expect "$H_TMP/a$n.h" joined 3 "$A3" 1 "join of a3 after restart"; done
cl_expect "$H_TMP/a3b.h" joined 3 "$A3" 1 "own join of a3 after restart"
grep -q "^# confchg hist members=1:$A1,2:$A2,3:$A3 left= joined=3:$A3:1\$" "$H_TMP/a3b.h" ||
	fail "a3 after restart: its join does not list members 1:$A1,2:$A2,3:$A3"
h_log "rejoin after restart: ok"

# partition: node 3 cut off, then healed
ch_link_down 3 0 || fail "cut link"
for n in 1 2; do cl_expect "$H_TMP/a$n.h" left 3 "$A3" 3 "node 3 cut off"; done
cl_expect "$H_TMP/a3b.h" left 1 "$A1" 3 "node 3 cut off"
cl_expect "$H_TMP/a3b.h" left 2 "$A2" 3 "node 3 cut off"
h_log "partition: ok (NODEDOWN on both sides)"
ch_link_up 3 0 || fail "heal link"
for n in 1 2; do cl_expect "$H_TMP/a$n.h" joined 3 "$A3" 4 "merge after heal"; done
cl_expect "$H_TMP/a3b.h" joined 1 "$A1" 4 "merge after heal"
cl_expect "$H_TMP/a3b.h" joined 2 "$A2" 4 "merge after heal"
for n in 1 2 3b; do
	cl_wait_view "$H_TMP/a$n.h" "1:$A1,2:$A2,3:$A3" "$T" ||
		fail "a$n: the group is not 1:$A1,2:$A2,3:$A3 after the merge"
done
h_log "merge: ok (NODEUP on both sides)"

# every surviving client is still alive and stops cleanly
for p in $A1 $A2 $A3; do kill -TERM "$p"; done
wait "$A1" && wait "$A2" && wait "$A3" || fail "a client did not stop cleanly"
exit 0
