#!/bin/sh
# A slow receiver holds back a sender on another node: two real cpgd
# daemons; on node 2 a member reads its group slowly (5 ms per message), on
# node 1 a member floods the group with 16 KiB messages.  Node 2's daemon
# asks the cluster to hold, node 1's stops taking the flood's requests, so
# node 1 sends no more than the reader's pace plus the documented bound,
# neither client is disconnected, node 2 reads every message sent, and node
# 2's daemon stays within its memory bound.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

FLOOD="$top_builddir/tests/ipc/cpgflood"
secs=${CPGD_BP_SECONDS:-6}

h_init
ch_net_init 2 1
cl_conf "$H_TMP/c.conf" 2 1
for n in 1 2; do cl_start "$n" "$H_TMP/c.conf"; done
cl_wait_ring 2 30 || { cl_logs; h_fail "no 2-node ring within 30 s"; }

# node 2's daemon may grow by the 64 MiB event
# bound of one connection plus the ring's traffic; ASan's quarantine on top
bound=128
ldd "$top_builddir/daemon/cpgd" | grep -q libasan && bound=$((128 + 256 + 64))
h_in "$(ch_ns 2)" env CPGFLOOD_READ_DELAY_US=5000 "$FLOOD" slowread bp $((secs + 120)) >"$H_TMP/slow.out" 2>&1 &
spid=$!
H_PIDS="$H_PIDS $spid"
h_wait_grep "$H_TMP/slow.out" "^joined" 10 || { cat "$H_TMP/slow.out" >&2; h_fail "slow reader did not join"; }
rss0=$(h_rss_kib "$CL_PID_2")
h_in "$(ch_ns 1)" env CPGFLOOD_GROUP=bp "$FLOOD" flood 16384 "$secs" >"$H_TMP/flood.out" 2>&1 &
fpid=$!
h_peak_rss "$CL_PID_2" "$spid"
max=$H_PEAK_RSS
wait "$fpid"; frc=$?
wait "$spid"; src=$?
cat "$H_TMP/flood.out" "$H_TMP/slow.out"
[ $frc = 0 ] || { cl_logs; h_fail "the flooding sender on node 1 failed"; }
[ $src = 0 ] || { cl_logs; h_fail "the slow reader on node 2 failed"; }
h_alive "$CL_PID_1"; h_alive "$CL_PID_2"
sent=$(sed -n 's/^sent //p' "$H_TMP/flood.out")
read=$(sed -n 's/^read //p' "$H_TMP/slow.out")
h_log "node 1 sent $sent, node 2 read $read; node 2's daemon RSS $rss0 KiB, at most $max KiB"
[ -n "$sent" ] && [ "$sent" = "$read" ] || { cl_logs; h_fail "node 2 read $read of $sent messages"; }
# Held back: the reader takes at most 200 messages a second (it sleeps
# 5 ms after each), so by the end of the flood at most 200 * (secs + 1)
# were read; what node 1 sent beyond that waited for node 2's reader, and
# the hold bounds it (cpgd(8): high mark 8 MiB, libqb's 1 MiB, 4 MiB in
# flight, a message) below 16 MiB, 1,024 messages of 16 KiB.
most=$((200 * (secs + 1) + 1024))
[ "$sent" -le "$most" ] \
	|| { cl_logs; h_fail "node 1 sent $sent messages, over $most: not held back by node 2's reader"; }
for n in 1 2; do
	if grep "closing connection" "$H_TMP/node$n/cpgd.log" >&2; then
		cl_logs; h_fail "node $n closed a client"
	fi
done
grep -q "holding the cluster's senders" "$H_TMP/node2/cpgd.log" \
	|| { cl_logs; h_fail "node 2 never held the cluster's senders"; }
grep -q "node 2 holds the senders" "$H_TMP/node1/cpgd.log" \
	|| { cl_logs; h_fail "node 1 never heard node 2's hold"; }
[ $((max - rss0)) -le $((bound * 1024)) ] \
	|| h_fail "node 2's daemon grew by $((max - rss0)) KiB, over $bound MiB"
exit 0
