#!/bin/sh
# Smoke test of the benchmark client against a real cpgd: one sender and one
# receiver for a second in throughput mode, then a short latency run.  It
# checks that both report the same message count and no order or content
# errors; the figures themselves are not judged here.
. "$top_srcdir/tests/harness.sh"
h_init
ns=$(h_ns_new bench)
h_start_cpgd "$ns" node1
bench="$top_builddir/tests/bench/cpgbench"

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
}

run_pair -d 1 -s 1000
run_pair -d 1 -s 64 -r 2000
run_pair -d 0.5 -s 3000000
exit 0
