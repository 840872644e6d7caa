#!/bin/sh
# cpg_flow_control_state_get() reports the real daemon's flow control: three
# real cpgd daemons (--flow-events), node 1's client sending fast; daemon 2
# is stopped (SIGSTOP), the token stops, node 1's send backlog fills and its
# client must see CPG_FLOW_CONTROL_ENABLED; once nodes 1 and 3 have formed
# a ring without node 2 the backlog drains and it must see
# CPG_FLOW_CONTROL_DISABLED again.  Daemon 2 resumes, the three merge, and
# the histories must pass the checker with liveness from the merge on.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

T=30

cl_init
cl_ring 3 1 --flow-events
# node 1 sends 4 MB/s: its backlog (2 MiB before flow control, bytes
# not messages) fills well within the token timeout
pids=""
for n in 1 2 3; do
	rate=50 size=200
	[ "$n" = 1 ] && rate=2000 size=2000
	cl_client "$n" 1 "$H_TMP/h.$n" -w 3 -c 100000000 -r "$rate" -s "$size" -q 100000000
	eval "P$n=\$CL_CPID"
	pids="$pids $CL_CPID"
done
for n in 1 2 3; do
	h_wait_grep "$H_TMP/h.$n" " send $n\.1\.20 " 20 || fail "client $n not sending"
done

# flow_after T STATE SECONDS: wait for client 1's first "# flow" line of
# STATE later than T; prints its time
flow_after() {
	local i=0 t
	while :; do
		t=$(awk -v t0="$1" -v s="$2" '$1 == "#" && $2 == "flow" && $3 > t0 && $4 == s { print $3; exit }' "$H_TMP/h.1")
		[ -n "$t" ] && { echo "$t"; return 0; }
		[ $i -ge $(($3 * 10)) ] && return 1
		sleep 0.1; i=$((i + 1))
	done
}

T_STOP=$(cl_now)
kill -STOP "$CL_PID_2"
h_log "daemon 2 stopped"
t_on=$(flow_after "$T_STOP" enabled "$T") ||
	fail "client 1 never saw CPG_FLOW_CONTROL_ENABLED while the token was stopped"
h_log "flow control enabled $(((t_on - T_STOP) / 1000)) ms after the stop"
t_off=$(flow_after "$t_on" disabled "$T") ||
	fail "client 1 never saw CPG_FLOW_CONTROL_DISABLED after the ring without node 2"
h_log "flow control disabled $(((t_off - T_STOP) / 1000)) ms after the stop"
# it went off because the ring moved on: client 1 heard of a ring without
# node 2 (1,3, or on a loaded machine 1 alone first) before it went off
cl_expect "$H_TMP/h.1" left 2 "$P2" 3 "daemon 2 stopped"
ring=$(awk -v t0="$T_STOP" '$1 > t0 && $3 == "conf" && $4 == "reg" && $6 !~ /(^|,)2(,|$)/ { print $1, $6; exit }' "$H_TMP/h.1")
[ -n "$ring" ] && [ "${ring%% *}" -lt "$t_off" ] ||
	fail "client 1's flow control went off (at $t_off) before a ring without node 2 ('$ring')"
h_log "ring ${ring#* } at $(((${ring%% *} - T_STOP) / 1000)) ms after the stop"

kill -CONT "$CL_PID_2"
FAULTS_END=$(cl_now)
h_log "daemon 2 resumed"
for n in 1 3; do cl_expect "$H_TMP/h.$n" joined 2 "$P2" 4 "daemon 2 resumed"; done
cl_expect "$H_TMP/h.2" joined 1 "$P1" 4 "daemon 2 resumed"
MERGED=$(cl_now)
cl_wait_traffic "$MERGED" 2 "1 2 3"
# liveness from the merge on
cl_end_and_check "$FAULTS_END" "$MERGED" --old-before-trans
exit 0
