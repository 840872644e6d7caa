#!/bin/sh
# Smoke test of the benchmark tools.  cpgbench against a real cpgd: one
# sender and one receiver for a second in throughput mode, then a short
# latency run; both must report the same, non-zero message count and no
# order or content errors.  knetbench: one sender and one receiver over
# knet with nss crypto, large messages cut into several datagrams; both
# must report messages and no errors.  compare.sh's tables: fixed results
# must give the ratios and verdicts worked out by hand.  The figures of
# the real runs are not judged here.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/bench/bench_lib.sh"
h_init
ns=$(h_ns_new bench)
h_start_cpgd "$ns" node1
bench="$top_builddir/tests/bench/cpgbench"
knetbench="$top_builddir/tests/bench/knetbench"

# positive FIELD FILE: FIELD= in FILE's result line is a number above 0
positive() {
	awk -v k="$1" '/^msgs=/ { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) {
		v = substr($i, length(k) + 2); if (v ~ /^[0-9.]+$/ && v + 0 > 0) ok = 1 } }
		END { exit !ok }' "$2"
}

run_pair() {
	h_in "$ns" "$bench" -S 1 -w 2 -t 30 >"$H_TMP/recv.out" 2>&1 &
	rpid=$!
	h_in "$ns" "$bench" -i 0 -S 1 -w 2 -t 30 "$@" >"$H_TMP/send.out" 2>&1 \
		|| { cat "$H_TMP/send.out" "$H_LAST_DIR/cpgd.log"; h_fail "sender failed"; }
	wait $rpid || { cat "$H_TMP/recv.out"; h_fail "receiver failed"; }
	cat "$H_TMP/send.out" "$H_TMP/recv.out"
	s=$(sed -n 's/^msgs=\([0-9]*\) .*/\1/p' "$H_TMP/send.out")
	r=$(sed -n 's/^msgs=\([0-9]*\) .*/\1/p' "$H_TMP/recv.out")
	[ -n "$s" ] && [ "$s" -gt 0 ] || h_fail "sender delivered nothing"
	[ "$s" = "$r" ] || h_fail "sender delivered $s, receiver $r"
	grep -q ' errors=0$' "$H_TMP/recv.out" || h_fail "receiver saw errors"
	positive msgs_per_s "$H_TMP/recv.out" || h_fail "receiver reports no rate"
}

run_pair -d 1 -s 1000
run_pair -d 1 -s 64 -r 2000
run_pair -d 0.5 -s 3000000

# knet alone, two nodes on the namespace's loopback (a port cpgd does not use)
head -c 256 /dev/urandom >"$H_TMP/knet.key"
nodes="1=127.0.0.1 2=127.0.0.2"
kargs="-p 5499 -t 30 -k $H_TMP/knet.key -c aes256 -H sha256"
# shellcheck disable=SC2086
h_in "$ns" "$knetbench" -l 2 $kargs $nodes >"$H_TMP/krecv.out" 2>&1 &
rpid=$!
# shellcheck disable=SC2086
h_in "$ns" "$knetbench" -l 1 -S -s 200000 -d 0.3 $kargs $nodes >"$H_TMP/ksend.out" 2>&1 ||
	{ cat "$H_TMP/ksend.out"; h_fail "knetbench sender failed"; }
wait $rpid || { cat "$H_TMP/krecv.out"; h_fail "knetbench receiver failed"; }
cat "$H_TMP/ksend.out" "$H_TMP/krecv.out"
for f in ksend krecv; do
	positive msgs "$H_TMP/$f.out" || h_fail "$f: no messages"
	positive MB_per_s "$H_TMP/$f.out" || h_fail "$f: no rate"
	grep -q ' errors=0$' "$H_TMP/$f.out" || h_fail "$f: errors"
done
grep -q ' datagrams=[0-9]*[0-9] ' "$H_TMP/krecv.out" || h_fail "knetbench: no datagram count"
s=$(sed -n 's/^msgs=\([0-9]*\) .*/\1/p' "$H_TMP/ksend.out")
r=$(sed -n 's/^msgs=\([0-9]*\) .*/\1/p' "$H_TMP/krecv.out")
[ "$r" -le "$s" ] || h_fail "knetbench: received $r of $s messages"
# 200 kB messages are four datagrams each
d=$(sed -n 's/.* datagrams=\([0-9]*\) .*/\1/p' "$H_TMP/ksend.out")
[ "$d" = $((s * 4)) ] || h_fail "knetbench: $s messages in $d datagrams, not 4 each"

# compare.sh's tables from fixed results
B_OUT="$H_TMP/tables"
mkdir -p "$B_OUT"
cat >"$B_OUT/results" <<'RES'
RES nodes=3 crypto=off lib=- daemon=knet metric=tput_MB_per_s size=40000 value=100
RES nodes=3 crypto=off lib=ours daemon=cpgd metric=tput_msgs_per_s size=64 value=210
RES nodes=3 crypto=off lib=ours daemon=corosync metric=tput_msgs_per_s size=64 value=100
RES nodes=3 crypto=off lib=ours daemon=cpgd metric=tput_MB_per_s size=40000 value=89
RES nodes=3 crypto=off lib=ours daemon=corosync metric=tput_MB_per_s size=40000 value=FAIL
RES nodes=3 crypto=off lib=ours daemon=cpgd metric=lat_p99_us_recv size=64 value=70
RES nodes=3 crypto=off lib=ours daemon=corosync metric=lat_p99_us_recv size=64 value=100
RES nodes=3 crypto=off lib=ours daemon=cpgd metric=send_cpu_us_per_msg size=64 value=2.5
RES nodes=3 crypto=off lib=debian daemon=cpgd metric=tput_msgs_per_s size=1600 value=140
RES nodes=3 crypto=off lib=debian daemon=corosync metric=tput_msgs_per_s size=1600 value=100
RES
b_table >"$B_OUT/table.md"
b_targets 10 >"$B_OUT/targets.md"
cat "$B_OUT/table.md" "$B_OUT/targets.md"
want() { grep -qF -- "$1" "$B_OUT/$2" || h_fail "$2 lacks: $1"; }
want '| 3 | off | ours | tput_msgs_per_s | 64 | 210 | 100 | 2.10 | - | - |' table.md
want '| 3 | off | ours | tput_MB_per_s | 40000 | 89 | FAIL | - | 100 | 89% |' table.md
want '| msgs/s 64 B >= 2x corosync | 2.10 | met |' targets.md
want '| MB/s 40 kB >= 1.5x corosync | 89 / FAIL | not met |' targets.md
want '| MB/s 40 kB >= 0.9x knet alone | 0.89 | not met |' targets.md
want '| light-load p99, receivers <= 0.7x corosync | 0.70 | met |' targets.md
want '| 3 | off | debian | msgs/s 1600 B >= 1.5x corosync | 1.40 | not met |' targets.md
want '| sending-client CPU per message, 64 B, <= 0.3x 10 us | 0.25 | met |' targets.md
want 'targets met: 3 of 16' targets.md
exit 0
