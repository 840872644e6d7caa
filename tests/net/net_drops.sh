#!/bin/sh
# Packets the network must not let through, counted: real cpgd daemons in
# network namespaces with aes256/sha256.  Nodes 1 and 2 form a ring with
# node 3; node 3 is restarted with another key: it does not join, and its
# log says that packets fail authentication; nodes 1 and 2 count the
# failures (cpgd-tool counters: net_rx_auth_failed).  Node 4, not in the
# others' nodelist but with their key, is counted as net_rx_unknown_host,
# and the ring of nodes 1 and 2 (cpgd-tool ring --json) stays exactly that
# ring while node 4 keeps trying to reach them.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"
TOOL="$top_builddir/tools/cpgd-tool"

h_init
cl_key "$H_TMP/key"
cl_key "$H_TMP/otherkey"
ch_net_init 4 1
crypto="crypto_cipher: aes256"
cl_conf "$H_TMP/c.conf" 3 1 "$crypto" "crypto_hash: sha256" "keyfile: $H_TMP/key"
cl_conf "$H_TMP/other.conf" 3 1 "$crypto" "crypto_hash: sha256" "keyfile: $H_TMP/otherkey"
cl_conf "$H_TMP/four.conf" 4 1 "$crypto" "crypto_hash: sha256" "keyfile: $H_TMP/key"

# counter NODE NAME: a counter of cpgd-tool counters --json
counter() {
	h_in "$(ch_ns "$1")" "$TOOL" counters --json |
		sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}

for n in 1 2 3; do cl_start "$n" "$H_TMP/c.conf"; done
cl_wait_ring 3 40 || { cl_logs; h_fail "no 3-node ring within 40 s"; }
for n in 1 2; do
	[ "$(counter "$n" net_rx_auth_failed)" = 0 ] || h_fail "node $n: failures counted with one key"
done

# node 3 comes back with another key
h_stop_cpgd "$CL_PID_3" || h_fail "node 3 did not stop"
mv "$H_TMP/node3/cpgd.log" "$H_TMP/node3.first.log"
cl_start 3 "$H_TMP/other.conf"
h_wait_grep "$H_TMP/node3/cpgd.log" "packet(s) failed authentication and were dropped: a node with another key" 30 ||
	{ cl_logs; h_fail "node 3 with another key does not say why it is alone"; }
for n in 1 2; do
	h_wait_grep "$H_TMP/node$n/cpgd.log" "failed authentication" 30 ||
		{ cl_logs; h_fail "node $n logged no authentication failure"; }
	c=$(counter "$n" net_rx_auth_failed)
	[ -n "$c" ] && [ "$c" -gt 0 ] || h_fail "node $n: net_rx_auth_failed is '$c'"
	h_log "node $n counted $c packets that failed authentication"
done
grep -q "regular configuration .* with [2-9] members" "$H_TMP/node3/cpgd.log" &&
	{ cl_logs; h_fail "node 3 with another key joined a ring"; }

# ring N: "<rep>.<seq> <members>" of node N's current ring, or "no-ring"
# when the reply lacks a field (a missing field must not compare equal)
RING_JQ='if (.ring.rep | type) == "number" and (.ring.seq | type) == "number"
	and (.ring.members | type) == "array"
	then "\(.ring.rep).\(.ring.seq) \(.ring.members | map(tostring) | join(","))"
	else "no-ring" end'
ring() {
	h_in "$(ch_ns "$1")" "$TOOL" ring --json | jq -r "$RING_JQ"
}
i=0
until [ "$(ring 1 | cut -d' ' -f2)" = 1,2 ] && [ "$(ring 2)" = "$(ring 1)" ]; do
	[ $i -ge 150 ] && { cl_logs; h_fail "nodes 1 and 2 formed no ring of their own (node 1: $(ring 1), node 2: $(ring 2))"; }
	sleep 0.2; i=$((i + 1))
done
RING12=$(ring 1)
h_log "nodes 1 and 2: ring $RING12"

# node 4: the right key, but outside the others' nodelist
cl_start 4 "$H_TMP/four.conf"
for n in 1 2; do
	i=0
	while c=$(counter "$n" net_rx_unknown_host); [ "${c:-0}" = 0 ]; do
		[ $i -ge 100 ] && { cl_logs; h_fail "node $n counted no packet from node 4"; }
		sleep 0.2; i=$((i + 1))
	done
	h_log "node $n counted $c packets from outside its nodelist"
	grep -q "from a node outside the nodelist were dropped" "$H_TMP/node$n/cpgd.log" ||
		h_fail "node $n did not log the packets from outside its nodelist"
done
# node 4 goes on knocking: two more of its packets dropped on node 1 after
# the first ones, then the ring of nodes 1 and 2 must be the very same
# (no ring change at all, so none that let node 4 in)
c0=$(counter 1 net_rx_unknown_host)
h_wait_grep "$H_TMP/node4/cpgd.log" "regular configuration .* with 1 members: 4" 30 ||
	{ cl_logs; h_fail "node 4 formed no ring of its own"; }
i=0
while c=$(counter 1 net_rx_unknown_host); [ "${c:-0}" -lt $((c0 + 2)) ]; do
	[ $i -ge 150 ] && { cl_logs; h_fail "node 4 stopped knocking ($c packets)"; }
	sleep 0.2; i=$((i + 1))
done
for n in 1 2; do
	r=$(ring "$n")
	[ "$r" = "$RING12" ] || { cl_logs; h_fail "node $n: ring $r, not the ring $RING12 of nodes 1 and 2"; }
done
grep "regular configuration" "$H_TMP/node4/cpgd.log" | grep -qv " with 1 members: 4$" &&
	{ cl_logs; h_fail "node 4 outside the nodelist joined a ring"; }
for n in 1 2 4; do h_alive "$(eval echo \$CL_PID_$n)"; done
exit 0
