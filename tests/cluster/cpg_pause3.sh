#!/bin/sh
# A daemon that stops answering (SIGSTOP) for longer than the token timeout
# and then resumes: three real cpgd daemons with a client each, all sending.
# While node 2 is stopped, nodes 1 and 3 form a ring without it and see its
# member leave (NODEDOWN, 3).  Once it resumes, the three merge again and
# every client must see the others' members come back (NODEUP, 4), so that
# all three agree on the group; the histories must pass the checker, with
# liveness from the merge on: the final ring holds all three and every
# message sent in it is delivered by every node.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

T=25

cl_init
cl_three_sending 100

kill -STOP "$CL_PID_2"
h_log "daemon 2 stopped"
for n in 1 3; do cl_expect "$H_TMP/h.$n" left 2 "$P2" 3 "daemon 2 stopped"; done
kill -CONT "$CL_PID_2"
FAULTS_END=$(cl_now)
h_log "daemon 2 resumed"
# node 2 sees the others leave (its ring is gone) and come back
cl_expect "$H_TMP/h.2" left 1 "$P1" 3 "daemon 2 resumed"
cl_expect "$H_TMP/h.2" left 3 "$P3" 3 "daemon 2 resumed"
cl_expect "$H_TMP/h.2" joined 1 "$P1" 4 "daemon 2 resumed"
cl_expect "$H_TMP/h.2" joined 3 "$P3" 4 "daemon 2 resumed"
for n in 1 3; do cl_expect "$H_TMP/h.$n" joined 2 "$P2" 4 "daemon 2 resumed"; done
# the last view of every client is the whole group
for n in 1 2 3; do
	last=$(grep "^# confchg " "$H_TMP/h.$n" | tail -n 1 | sed 's/.* members=\([^ ]*\) .*/\1/')
	[ "$last" = "1:$P1,2:$P2,3:$P3" ] || fail "client $n's last view of the group is $last"
done
MERGED=$(cl_now)
h_log "merge: ok, $(((MERGED - FAULTS_END) / 1000)) ms after the resume"
cl_wait_traffic "$MERGED" 2 "1 2 3"
# liveness from the merge on
cl_end_and_check "$FAULTS_END" "$MERGED" --old-before-trans
exit 0
