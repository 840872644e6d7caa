#!/bin/sh
# Keys keep clusters apart: five real cpgd daemons with aes256/sha256, nodes
# 1..4 sharing a key and node 5 with a key of its own (both made by
# cpgd-keygen).  Nodes 1..4 form a ring of four; node 5 stays alone, and the
# four never change their ring while it keeps trying; a client on node 1
# and one on node 5 never see each other.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

KEYGEN="$top_builddir/tools/cpgd-keygen"

h_init
[ -x "$CL_CLIENT" ] || h_fail "$CL_CLIENT not built"
[ -x "$KEYGEN" ] || h_fail "$KEYGEN not built"
"$KEYGEN" -k "$H_TMP/key" >/dev/null || h_fail "cpgd-keygen"
"$KEYGEN" -k "$H_TMP/otherkey" >/dev/null || h_fail "cpgd-keygen"
ch_net_init 5 1
cl_conf "$H_TMP/c.conf" 5 1 "crypto_cipher: aes256" "crypto_hash: sha256" \
	"keyfile: $H_TMP/key"
cl_conf "$H_TMP/other.conf" 5 1 "crypto_cipher: aes256" "crypto_hash: sha256" \
	"keyfile: $H_TMP/otherkey"
for n in 1 2 3 4; do cl_start "$n" "$H_TMP/c.conf"; done
cl_start 5 "$H_TMP/other.conf"
cl_wait_ring 4 40 || { cl_logs; h_fail "no 4-node ring within 40 s"; }
for n in 1 2 3 4; do eval "rings_$n=$(grep -c 'regular configuration' "$H_TMP/node$n/cpgd.log")"; done
cl_client 1 1 "$H_TMP/h.1" -c 10 -q 100000000
C1=$CL_CPID
cl_client 5 1 "$H_TMP/h.5" -c 10 -q 100000000
C5=$CL_CPID
# node 5 had every chance: each of the four has dropped 20 more of its
# packets (failed authentication, cpgd-tool counters) since the clients
# started
counter() {
	h_in "$(ch_ns "$1")" "$top_builddir/tools/cpgd-tool" counters --json |
		sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}
for n in 1 2 3 4; do eval "auth0_$n=\$(counter $n net_rx_auth_failed)"; done
for n in 1 2 3 4; do
	eval "a0=\$auth0_$n"
	i=0
	while c=$(counter "$n" net_rx_auth_failed); [ "${c:-0}" -lt $((${a0:-0} + 20)) ]; do
		[ $i -ge 200 ] && { cl_logs; h_fail "node $n: node 5's packets stopped coming ($a0 then $c)"; }
		sleep 0.2; i=$((i + 1))
	done
done
h_log "each of the four dropped 20 more of node 5's packets"
h_alive "$CL_PID_5"
for n in 1 2 3 4; do
	r=$(grep -c 'regular configuration' "$H_TMP/node$n/cpgd.log")
	eval "r0=\$rings_$n"
	[ "$r" = "$r0" ] || { cl_logs; h_fail "node $n changed its ring while node 5 had another key"; }
done
grep -q "regular configuration .* with [2-9] members" "$H_TMP/node5/cpgd.log" &&
	{ cl_logs; h_fail "node 5 with another key joined a ring"; }
grep -q "regular configuration .* with 1 members" "$H_TMP/node5/cpgd.log" ||
	{ cl_logs; h_fail "node 5 with another key formed no ring of its own"; }
kill -TERM "$C1" "$C5"
wait "$C1" || h_fail "client 1 exited $?"
wait "$C5" || h_fail "client 5 exited $?"
grep -q " 1 deliver 5\.\|members=\([0-9:]*,\)*5:" "$H_TMP/h.1" && h_fail "client 1 heard of node 5"
grep -q " 5 deliver 1\.\|members=\([0-9:]*,\)*1:" "$H_TMP/h.5" && h_fail "client 5 heard of node 1"
[ "$(grep -c ' 1 deliver 1\.' "$H_TMP/h.1")" = 10 ] || h_fail "client 1 did not deliver its own messages"
[ "$(grep -c ' 5 deliver 5\.' "$H_TMP/h.5")" = 10 ] || h_fail "client 5 did not deliver its own messages"
exit 0
