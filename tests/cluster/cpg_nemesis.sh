#!/bin/sh
# A nemesis against a real cpgd cluster.  Every node runs a history client
# sending 200 messages a second; for CPGD_NEMESIS_SECONDS (default 30, as
# in make check; e.g. 300 for a longer run by hand) a
# random schedule (seeded by CPGD_NEMESIS_SEED, default the pid, printed)
# does one fault at a time:
#   kill   SIGKILL a daemon; its client logs its crash; restart the daemon
#          and a new client (the next incarnation of that node)
#   pause  SIGSTOP a daemon for 1..5 s (above or below the token timeout)
#   cut    take a node's link down for 2..8 s, then heal it
# then the faults end: the cluster must re-form one ring of every node, and
# after a few seconds of traffic the clients stop and the histories of all
# incarnations must pass the checker with no violation (liveness included).
# CPGD_NEMESIS_NODES sets the node count (default 3), CPGD_NEMESIS_FAULTS
# the kinds of fault (default "kill pause cut").
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

NODES=${CPGD_NEMESIS_NODES:-3}
DURATION=${CPGD_NEMESIS_SECONDS:-30}
SEED=${CPGD_NEMESIS_SEED:-$$}
FAULTS=${CPGD_NEMESIS_FAULTS:-kill pause cut}
set -- $FAULTS
NFAULTS=$#
CLIENT_ARGS="-c 100000000 -r 200 -s 200 -q 100000000"

h_init
[ -x "$CL_CLIENT" ] || h_fail "$CL_CLIENT not built"
[ -x "$CL_CHECK" ] || h_fail "$CL_CHECK not built"
h_log "seed $SEED, $NODES nodes, $DURATION s, faults: $FAULTS (CPGD_NEMESIS_SEED=$SEED to repeat)"
awk -v s="$SEED" 'BEGIN { srand(s); for (i = 0; i < 10000; i++) print int(rand() * 1000000) }' \
	>"$H_TMP/random"
RI=0
# rnd N: a number in 0..N-1 from the seeded sequence, in R
rnd() { RI=$((RI + 1)); R=$(($(sed -n "${RI}p" "$H_TMP/random") % $1)); }
# secs MS BASE: MS milliseconds plus BASE seconds, as a sleep(1) argument
secs() { printf '%d.%03d' $(($1 / 1000 + $2)) $(($1 % 1000)); }

fail() { cl_logs; h_fail "$*"; }

ch_net_init "$NODES" 1
cl_conf "$H_TMP/c.conf" "$NODES" 1
n=1
while [ "$n" -le "$NODES" ]; do cl_start "$n" "$H_TMP/c.conf"; n=$((n + 1)); done
cl_wait_ring "$NODES" 30 || fail "no $NODES-node ring within 30 s"
n=1
while [ "$n" -le "$NODES" ]; do
	eval "INC_$n=1 RESTARTS_$n=0"
	cl_client "$n" 1 "$H_TMP/h.$n" -w "$NODES" $CLIENT_ARGS
	eval "CP_$n=\$CL_CPID"
	n=$((n + 1))
done

# kill_node N: SIGKILL the daemon, reap it and its client (which must log
# its crash), restart both
kill_node() {
	local n="$1" dp cp inc rs rc
	eval "dp=\$CL_PID_$n cp=\$CP_$n inc=\$INC_$n rs=\$RESTARTS_$n"
	kill -KILL "$dp"
	wait "$dp"
	wait "$cp"
	rc=$?
	[ "$rc" = 3 ] || fail "node $n: client exited $rc after its daemon was killed, not 3"
	# fault pacing: the node stays down 1..4 s
	rnd 3000; sleep "$(secs "$R" 1)"
	rs=$((rs + 1)) inc=$((inc + 1))
	mv "$H_TMP/node$n/cpgd.log" "$H_TMP/node$n/cpgd.log.$rs"
	cl_start "$n" "$H_TMP/c.conf"
	cl_client "$n" "$inc" "$H_TMP/h.$n" $CLIENT_ARGS
	eval "CP_$n=\$CL_CPID INC_$n=$inc RESTARTS_$n=$rs"
}

START=$(date +%s)
while [ $(($(date +%s) - START)) -lt "$DURATION" ]; do
	# fault pacing: 1..4 s between faults, whatever the cluster is doing
	# (a fault may come while the last one is still being recovered from)
	rnd 3000; sleep "$(secs "$R" 1)"
	rnd "$NODES"; n=$((R + 1))
	rnd "$NFAULTS"
	set -- $FAULTS
	shift "$R"
	case "$1" in
	kill)	h_log "kill node $n"
		kill_node "$n" ;;
	pause)	rnd 4000; t=$(secs "$R" 1)
		h_log "pause node $n for $t s"
		eval "dp=\$CL_PID_$n"
		kill -STOP "$dp"; sleep "$t"; kill -CONT "$dp" ;;	# the fault's length
	cut)	rnd 6000; t=$(secs "$R" 2)
		h_log "cut node $n for $t s"
		ch_link_down "$n" 0 || fail "cut"
		sleep "$t"	# the fault's length
		ch_link_up "$n" 0 || fail "heal" ;;
	*)	h_fail "unknown fault $1" ;;
	esac
	# every client that should be running is
	m=1
	while [ "$m" -le "$NODES" ]; do
		eval "cp=\$CP_$m"
		kill -0 "$cp" 2>/dev/null || fail "client of node $m exited: $(tail -n 3 "$H_TMP/h.$m.err")"
		m=$((m + 1))
	done
done
FAULTS_END=$(cl_now)
h_log "faults end"

# The faults are over once every node reports the same ring of all nodes
# and that ring carries traffic: every node delivered a message each node
# sent after the ring was seen, and the ring is still the same after that.
# (A daemon just resumed from SIGSTOP still reports the ring its peers are
# leaving; agreed delivery needs the token to go round every member, so
# these deliveries show the ring works.)  Observed, not slept for.
common_ring() {
	local n=1 r rings=""
	while [ "$n" -le "$NODES" ]; do
		r=$(h_in "$(ch_ns "$n")" "$top_builddir/tools/cpgd-tool" ring 2>/dev/null |
			awk '/^Ring ID:/ { id = $3 } /^Members:/ { m = $2 } END { print id "/" m }')
		rings="$rings $r"
		n=$((n + 1))
	done
	if [ "$(echo $rings | tr ' ' '\n' | sort -u | wc -l)" = 1 ] && [ "${r#*/}" = "$NODES" ]; then
		echo "$r"
	else
		echo "none:$rings"
	fi
}
# delivered_since T: every node's client delivered, from each node, the
# first message that node sent at T (cl_now time) or later
delivered_since() {
	local s d id
	for s in $(seq 1 "$NODES"); do
		id=$(awk -v t="$1" '$3 == "send" && $1 >= t { print $4; exit }' "$H_TMP/h.$s")
		[ -n "$id" ] || return 1
		for d in $(seq 1 "$NODES"); do
			grep -q " deliver $id " "$H_TMP/h.$d" || return 1
		done
	done
}
seen="" STABLE=""
while :; do
	ok=0
	[ -n "$seen" ] && delivered_since "$STABLE" && ok=1
	r=$(common_ring)
	if [ "${r#none:}" != "$r" ]; then
		seen=""
	elif [ "$r" != "$seen" ]; then
		seen=$r
		STABLE=$(cl_now)
	elif [ $ok = 1 ]; then
		break
	fi
	[ $(($(cl_now) - FAULTS_END)) -lt 60000000 ] ||
		fail "no common ring of $NODES nodes carrying traffic 60 s after the faults ended: ${r#none:}"
	sleep 0.2	# polling interval
done
h_log "ring $r after $(((STABLE - FAULTS_END) / 1000)) ms"
# Liveness is judged over LIVE_BOUND s after the last fault: by then the
# nodes must sit in one ring of them all (Totem may still re-form it once,
# with the same members, when a restarted node's links settle; the default
# token, 3.65 s on 3 nodes, plus consensus, 4.4 s, fit well inside), and
# every message sent after it must reach every node.  Keep sending past
# the bound until every node has delivered each node's message sent 2 s
# after it, so that this is checked on real traffic; then the clients stop
# sending and end once they have had nothing for 2 s, each having
# delivered all it was sent.
LIVE_BOUND=${CPGD_NEMESIS_BOUND:-15}
n=1 senders=""
while [ "$n" -le "$NODES" ]; do senders="$senders $n"; n=$((n + 1)); done
T=60
cl_wait_traffic "$FAULTS_END" $((LIVE_BOUND + 2)) "$senders"
pids=""
n=1
while [ "$n" -le "$NODES" ]; do eval "pids=\"\$pids \$CP_$n\""; n=$((n + 1)); done
kill -USR1 $pids
n=1
for pid in $pids; do
	wait "$pid" || fail "client of node $n exited $? after SIGUSR1: $(tail -n 3 "$H_TMP/h.$n.err")"
	n=$((n + 1))
done
END=$(cl_now)
{ echo "$FAULTS_END - faults-end"; echo "$END - end"; } >"$H_TMP/end"
BOUND=$((LIVE_BOUND * 1000000))
n=1
files=""
while [ "$n" -le "$NODES" ]; do files="$files $H_TMP/h.$n"; n=$((n + 1)); done
if ! "$CL_CHECK" --old-before-trans --bound-us "$BOUND" --settle-us 2000000 $files "$H_TMP/end" >"$H_TMP/check.out" 2>&1; then
	cat "$H_TMP/check.out" >&2
	for f in $files; do grep -v " deliver \| send " "$f" | sed "s|^|${f##*/}: |" >&2; done
	fail "histories fail the checker (seed $SEED)"
fi
cat "$H_TMP/check.out" >&2
exit 0
