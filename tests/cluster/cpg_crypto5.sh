#!/bin/sh
# Five real cpgd daemons with aes256/sha256 and a shared key (made by
# cpgd-keygen), a history client on each, all sending at once: every client
# delivers every message and the histories pass the checker.  Then node 5 is
# killed and restarted with a key of its own: it must stay alone, and the
# other four must not change their ring.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

NODES=5
COUNT=500
KEYGEN="$top_builddir/tools/cpgd-keygen"

h_init
[ -x "$CL_CLIENT" ] || h_fail "$CL_CLIENT not built"
[ -x "$CL_CHECK" ] || h_fail "$CL_CHECK not built"
[ -x "$KEYGEN" ] || h_fail "$KEYGEN not built"
"$KEYGEN" -k "$H_TMP/key" >/dev/null || h_fail "cpgd-keygen"
"$KEYGEN" -k "$H_TMP/otherkey" >/dev/null || h_fail "cpgd-keygen"
ch_net_init "$NODES" 1
cl_conf "$H_TMP/c.conf" "$NODES" 1 "crypto_cipher: aes256" "crypto_hash: sha256" \
	"keyfile: $H_TMP/key"
cl_conf "$H_TMP/other.conf" "$NODES" 1 "crypto_cipher: aes256" "crypto_hash: sha256" \
	"keyfile: $H_TMP/otherkey"
for n in 1 2 3 4 5; do cl_start "$n" "$H_TMP/c.conf"; done
cl_wait_ring "$NODES" 40 || { cl_logs; h_fail "no $NODES-node ring within 40 s"; }

pids=""
for n in 1 2 3 4 5; do
	# sizes 64 B to 3 kB: some fragmented, all encrypted
	cl_client "$n" 1 "$H_TMP/h.$n" -w "$NODES" -c "$COUNT" -s $((n * n * 120)) -q 3000
	pids="$pids $CL_CPID"
done
n=1
for pid in $pids; do
	wait "$pid" || { cat "$H_TMP"/h.*.err >&2; cl_logs; h_fail "client $n exited $?"; }
	n=$((n + 1))
done
echo "$(cl_now) - end" >"$H_TMP/end"
for n in 1 2 3 4 5; do
	got=$(grep -c " deliver " "$H_TMP/h.$n")
	[ "$got" = $((COUNT * NODES)) ] || h_fail "client $n delivered $got of $((COUNT * NODES))"
done
"$CL_CHECK" "$H_TMP"/h.[12345] "$H_TMP/end" >&2 || { cl_logs; h_fail "histories fail the checker"; }
h_log "encrypted traffic: ok"

# node 5 leaves; the four re-form without it
kill -KILL "$CL_PID_5"
wait "$CL_PID_5"
for n in 1 2 3 4; do
	h_wait_grep "$H_TMP/node$n/cpgd.log" "regular configuration .* with 4 members" 30 ||
		{ cl_logs; h_fail "node $n: no 4-node ring after node 5 was killed"; }
done
for n in 1 2 3 4; do eval "rings_$n=$(grep -c 'regular configuration' "$H_TMP/node$n/cpgd.log")"; done
mv "$H_TMP/node5/cpgd.log" "$H_TMP/node5/cpgd.log.1"
cl_start 5 "$H_TMP/other.conf"
# long enough for the merge that the right key gave above (cl_wait_ring)
sleep 12
h_alive "$CL_PID_5"
for n in 1 2 3 4; do
	r=$(grep -c 'regular configuration' "$H_TMP/node$n/cpgd.log")
	eval "r0=\$rings_$n"
	[ "$r" = "$r0" ] || { cl_logs; h_fail "node $n changed its ring when node 5 came with another key"; }
done
grep -q "regular configuration .* with [2-9] members" "$H_TMP/node5/cpgd.log" &&
	{ cl_logs; h_fail "node 5 with another key joined a ring"; }
grep -q "regular configuration .* with 1 members" "$H_TMP/node5/cpgd.log" ||
	{ cl_logs; h_fail "node 5 with another key formed no ring of its own"; }
h_log "another key stays apart: ok"
exit 0
