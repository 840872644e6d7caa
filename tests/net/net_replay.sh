#!/bin/sh
# A replayed packet is not delivered twice: two real daemons with
# aes256/sha256; a data packet of node 1's is captured on its link (an
# AF_PACKET socket, tests/net/pktreplay) while its client sends five
# messages; once node 2's client has them, the captured frame is sent
# again 20 times.  Node 2 must see the 20 frames arrive and, once it has
# delivered a message node 1 sends after them, its client must still hold
# each message exactly once.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"
PKT="$top_builddir/tests/net/pktreplay"

h_init
cl_key "$H_TMP/key"
ch_net_init 2 1
cl_conf "$H_TMP/c.conf" 2 1 "crypto_cipher: aes256" "crypto_hash: sha256" \
	"keyfile: $H_TMP/key"
for n in 1 2; do cl_start "$n" "$H_TMP/c.conf"; done
cl_wait_ring 2 40 || { cl_logs; h_fail "no 2-node ring within 40 s"; }

cl_client 2 1 "$H_TMP/h.2" -c 0 -q 100000000
R=$CL_CPID
h_in "$(ch_ns 1)" "$PKT" capture l0 800 "$H_TMP/frame" >"$H_TMP/cap.out" 2>&1 &
CAP=$!
h_wait_grep "$H_TMP/cap.out" '^ready' 10 || h_fail "capture did not start"
cl_client 1 1 "$H_TMP/h.1" -c 5 -s 1000 -w 2 -q 1000
S=$CL_CPID
wait "$S" || h_fail "sender exited $?"
wait "$CAP" || { cat "$H_TMP/cap.out"; h_fail "no data packet captured"; }
i=0
while [ "$(grep -c ' 2 deliver 1\.1\.' "$H_TMP/h.2")" -lt 5 ]; do
	[ $i -ge 100 ] && h_fail "node 2's client did not get the five messages"
	sleep 0.1; i=$((i + 1))
done

h_in "$(ch_ns 2)" "$PKT" count l0 "$H_TMP/frame" 3 >"$H_TMP/count.out" 2>&1 &
CNT=$!
h_wait_grep "$H_TMP/count.out" '^ready' 10 || h_fail "counter did not start"
h_in "$(ch_ns 1)" "$PKT" send l0 "$H_TMP/frame" 20 || h_fail "replay"
wait "$CNT"
arrived=$(tail -n 1 "$H_TMP/count.out")
[ "$arrived" = 20 ] || h_fail "$arrived of the 20 replayed frames reached node 2"
# node 2 has taken them in once it delivers a message node 1 sends after
# them (a new client, 1.2.1), on the same link and in agreed order
cl_client 1 2 "$H_TMP/h.1b" -c 1 -s 1000 -w 2 -q 1000
wait "$CL_CPID" || h_fail "second sender exited $?"
h_wait_grep "$H_TMP/h.2" " 2 deliver 1\.2\.1 " 20 ||
	h_fail "node 2's client did not get the message sent after the replay"
kill -TERM "$R"
wait "$R" || h_fail "receiver exited $?"
for k in 1 2 3 4 5; do
	c=$(grep -c " 2 deliver 1\.1\.$k " "$H_TMP/h.2")
	[ "$c" = 1 ] || { cat "$H_TMP/h.2" >&2; h_fail "message 1.1.$k delivered $c times on node 2"; }
done
h_alive "$CL_PID_2"
exit 0
