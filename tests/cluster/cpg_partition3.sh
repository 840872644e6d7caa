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

cl_init
cl_three_sending 200
ch_link_down 3 0 || fail "cut"
h_log "node 3 cut off"
for n in 1 2; do cl_expect "$H_TMP/h.$n" left 3 "$P3" 3 "partition"; done
cl_expect "$H_TMP/h.3" left 1 "$P1" 3 "partition"
cl_expect "$H_TMP/h.3" left 2 "$P2" 3 "partition"
ch_link_up 3 0 || fail "heal"
FAULTS_END=$(cl_now)
h_log "healed"
for n in 1 2; do cl_expect "$H_TMP/h.$n" joined 3 "$P3" 4 "merge"; done
cl_expect "$H_TMP/h.3" joined 1 "$P1" 4 "merge"
cl_expect "$H_TMP/h.3" joined 2 "$P2" 4 "merge"
MERGED=$(cl_now)
h_log "merged after $(((MERGED - FAULTS_END) / 1000)) ms"
cl_wait_traffic "$MERGED" 2 "1 2 3"
# liveness from the merge on
cl_end_and_check "$FAULTS_END" "$MERGED" --old-before-trans
exit 0
