#!/bin/sh
# A partition and its merge under traffic: three real cpgd daemons with a
# client each sending 200 messages a second.  Node 3 is cut off until both
# sides have formed a ring of their own (each sees the other's members
# leave with NODEDOWN), then healed; once the sides have merged (members
# back with NODEUP on both), traffic goes on for a while, the clients stop,
# and the histories must pass the checker: in the merged ring every client
# delivers every message of every sender, from the first one sent in it,
# and liveness is checked from the merge on.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

T=25

h_init
[ -x "$CL_CLIENT" ] || h_fail "$CL_CLIENT not built"
[ -x "$CL_CHECK" ] || h_fail "$CL_CHECK not built"
ch_net_init 3 1
cl_conf "$H_TMP/c.conf" 3 1
for n in 1 2 3; do cl_start "$n" "$H_TMP/c.conf"; done
cl_wait_ring 3 30 || { cl_logs; h_fail "no 3-node ring within 30 s"; }

fail() {
	for f in "$H_TMP"/h.?; do grep -v " deliver \| send " "$f" | sed "s|^|${f##*/}: |" >&2; done
	cl_logs; h_fail "$*"
}
expect() {
	cl_wait_confchg "$1" "$2" "$3" "$4" "$5" "$T" ||
		fail "$6: ${1##*/} has no confchg with $2 $3:$4:$5"
}

pids=""
for n in 1 2 3; do
	cl_client "$n" 1 "$H_TMP/h.$n" -w 3 -c 100000000 -r 200 -s 200 -q 100000000
	eval "P$n=\$CL_CPID"
	pids="$pids $CL_CPID"
done
for n in 1 2 3; do
	h_wait_grep "$H_TMP/h.$n" " send $n\.1\.100 " 20 || fail "client $n not sending"
done
ch_link_down 3 0 || fail "cut"
h_log "node 3 cut off"
for n in 1 2; do expect "$H_TMP/h.$n" left 3 "$P3" 3 "partition"; done
expect "$H_TMP/h.3" left 1 "$P1" 3 "partition"
expect "$H_TMP/h.3" left 2 "$P2" 3 "partition"
ch_link_up 3 0 || fail "heal"
FAULTS_END=$(cl_now)
h_log "healed"
for n in 1 2; do expect "$H_TMP/h.$n" joined 3 "$P3" 4 "merge"; done
expect "$H_TMP/h.3" joined 1 "$P1" 4 "merge"
expect "$H_TMP/h.3" joined 2 "$P2" 4 "merge"
MERGED=$(cl_now)
h_log "merged after $(((MERGED - FAULTS_END) / 1000)) ms"
sleep 3
kill -TERM $pids
n=1
for pid in $pids; do
	wait "$pid" || fail "client $n exited $?"
	n=$((n + 1))
done
{ echo "$FAULTS_END - faults-end"; echo "$(cl_now) - end"; } >"$H_TMP/end"
# liveness from the merge on (sends of the last 2 s may be cut short by the
# SIGTERM)
"$CL_CHECK" --bound-us $((MERGED - FAULTS_END + 500000)) --settle-us 2000000 "$H_TMP"/h.[123] "$H_TMP/end" >&2 || fail "histories fail the checker"
exit 0
