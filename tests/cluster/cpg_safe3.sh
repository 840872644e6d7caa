#!/bin/sh
# CPG_TYPE_SAFE under faults on real daemons: three cpgd daemons, a client
# on each sending safe messages; daemon 3 is killed (SIGKILL) and later
# node 2 is cut off and healed while safe messages are in flight.  The
# histories must pass the checker's safe-delivery properties (survivors
# form: a safe message one survivor delivered is delivered by every member
# of its transitional configuration) with liveness from the heal on, and
# the faults must have caught safe messages in flight that the survivors
# held back until their membership protocol ran: delivered in the old ring
# more than 1 s after the fault (a daemon that delivers a safe message as
# soon as it has it, as an agreed one, has none such and fails).  How many
# are in flight at a given instant varies (1 to 100 seen); at least one
# of the two faults must catch some.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

T=25

cl_init
cl_ring 3 1
# 3000 bytes: two fragments each, so that a message is often half sent
# when the fault comes
cl_sending 200 1500 1500 1500 -- -S -s 3000

# in_flight FILE T0: safe deliveries FILE's client logged more than 1 s
# after the fault at T0 and before its first transitional configuration
# after T0: messages of the old ring the fault caught undelivered and the
# daemon held back until the survivors' membership protocol (the token
# timeout is 3 s and more) agreed on them
in_flight() {
	awk -v t0="$2" '$1 > t0 && $3 == "conf" && $4 == "trans" { exit }
		$1 > t0 + 1000000 && $3 == "deliver" && $5 == "safe" { n++ }
		END { print n + 0 }' "$1"
}

T_KILL=$(cl_now)
cl_kill 3
for n in 1 2; do cl_expect "$H_TMP/h.$n" left 3 "$P3" 3 "daemon 3 killed"; done
held=0
for n in 1 2; do
	k=$(in_flight "$H_TMP/h.$n" "$T_KILL")
	h_log "node $n: $k safe messages of the old ring delivered after the kill"
	held=$((held + k))
done

T_CUT=$(cl_now)
ch_link_down 2 0 || fail "cut"
h_log "node 2 cut off"
cl_expect "$H_TMP/h.1" left 2 "$P2" 3 "node 2 cut off"
cl_expect "$H_TMP/h.2" left 1 "$P1" 3 "node 2 cut off"
for n in 1 2; do
	k=$(in_flight "$H_TMP/h.$n" "$T_CUT")
	h_log "node $n: $k safe messages of the old ring delivered after the cut"
	held=$((held + k))
done
[ "$held" -gt 0 ] ||
	fail "no safe message held back until the survivors agreed, at the kill or at the cut"
ch_link_up 2 0 || fail "heal"
FAULTS_END=$(cl_now)
h_log "healed"
cl_expect "$H_TMP/h.1" joined 2 "$P2" 4 "merge"
cl_expect "$H_TMP/h.2" joined 1 "$P1" 4 "merge"
MERGED=$(cl_now)
h_log "merged after $(((MERGED - FAULTS_END) / 1000)) ms"
cl_wait_traffic "$MERGED" 2 "1 2"
# the surviving clients end (safe delivery binds every client that does
# not crash up to the end); cpgd delivers the old ring's messages before
# the transitional configuration, so it promises safe delivery to the
# survivors (--safe-survivors, tests/sim/HISTORY.md); liveness from the
# merge on
pids="$P1 $P2"
cl_end_and_check "$FAULTS_END" "$MERGED" --safe-survivors
# the safe messages were checked: every client delivered safe ones
for n in 1 2 3; do
	grep -q " deliver [0-9.]* safe$" "$H_TMP/h.$n" || fail "client $n delivered no safe message"
done
exit 0
