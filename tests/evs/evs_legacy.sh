#!/bin/sh
# A program written as for corosync 1.4's EVS API (evs_legacy.c), compiled
# on its own with only this tree's header directory and -levs, runs against
# cpgd on one node and on three: every process gets every node's messages,
# once each and each node's in order.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

h_init
lib="$top_builddir/lib/.libs"
[ -f "$lib/libevs.so.4" ] || h_fail "$lib/libevs.so.4 not built"
# a library built with the sanitizers needs them in the program too
san=""
nm -D "$lib/libevs.so.4" | grep -q " U __asan_" && san="-fsanitize=address,undefined"
prog="$H_TMP/evs_legacy"
${CC:-cc} -Wall -Werror $san -o "$prog" "$top_srcdir/tests/evs/evs_legacy.c" \
	-I"$top_srcdir/include" -L"$lib" -levs ||
	h_fail "a corosync 1.4 EVS program does not compile against evs.h with -levs"
export LD_LIBRARY_PATH="$lib"
ldd "$prog" | grep -q "libevs.so.4 => $lib" || h_fail "the program does not use this libevs.so.4"

# one node
ns=$(h_ns_new legacy)
h_start_cpgd "$ns" single
touch "$H_TMP/go.single"
h_in "$ns" "$prog" 1 200 "$H_TMP/go.single" >"$H_TMP/single.out" 2>&1 ||
	{ cat "$H_TMP/single.out" >&2; h_fail "one node: the program failed"; }
h_log "one node: $(tail -n 1 "$H_TMP/single.out")"

# three nodes, a process on each
cl_ring 3 1
pids=""
for n in 1 2 3; do
	ip netns exec "$(ch_ns "$n")" "$prog" 3 300 "$H_TMP/go.three" >"$H_TMP/three.$n" 2>&1 &
	pids="$pids $!"
	H_PIDS="$H_PIDS $!"
done
for n in 1 2 3; do
	h_wait_grep "$H_TMP/three.$n" "^joined on node $n\$" 30 ||
		{ cat "$H_TMP/three.$n" >&2; cl_logs; h_fail "node $n: the program did not join"; }
done
touch "$H_TMP/go.three"
n=1
for pid in $pids; do
	wait "$pid" || { cat "$H_TMP/three.$n" >&2; cl_logs; h_fail "three nodes: the program on node $n failed"; }
	h_log "node $n: $(tail -n 1 "$H_TMP/three.$n")"
	n=$((n + 1))
done
exit 0
