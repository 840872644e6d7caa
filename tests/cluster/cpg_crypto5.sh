#!/bin/sh
# Five real cpgd daemons with aes256/sha256 and a shared key (made by
# cpgd-keygen), a history client on each, all sending at once: every client
# delivers every message and the histories pass the checker.
# (cpg_cryptokey.sh: a node with another key; cpg_kill5.sh: a node of five
# killed.)
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

NODES=5
COUNT=500

cl_init "$CL_CLIENT" "$CL_CHECK" "$CL_KEYGEN"
cl_key "$H_TMP/key"
ch_net_init "$NODES" 1
cl_conf "$H_TMP/c.conf" "$NODES" 1 "crypto_cipher: aes256" "crypto_hash: sha256" \
	"keyfile: $H_TMP/key"
for n in 1 2 3 4 5; do cl_start "$n" "$H_TMP/c.conf"; done
cl_wait_ring "$NODES" 40 || { cl_logs; h_fail "no $NODES-node ring within 40 s"; }

pids=""
for n in 1 2 3 4 5; do
	# sizes 64 B to 3 kB: some fragmented, all encrypted
	cl_client "$n" 1 "$H_TMP/h.$n" -w "$NODES" -c "$COUNT" -s $((n * n * 120)) -q 3000
	pids="$pids $CL_CPID"
done
fail() { cat "$H_TMP"/h.*.err >&2; cl_logs; h_fail "$*"; }
cl_reap "$pids"
echo "$(cl_now) - end" >"$H_TMP/end"
for n in 1 2 3 4 5; do
	got=$(grep -c " deliver " "$H_TMP/h.$n")
	[ "$got" = $((COUNT * NODES)) ] || h_fail "client $n delivered $got of $((COUNT * NODES))"
done
"$CL_CHECK" --old-before-trans "$H_TMP"/h.[12345] "$H_TMP/end" >&2 || { cl_logs; h_fail "histories fail the checker"; }
h_log "encrypted traffic: ok"

exit 0
