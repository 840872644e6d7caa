#!/bin/sh
# Three real cpgd daemons in a cluster, one history client on each, all
# sending at once: every client delivers every message, and the histories
# pass the checker (agreed order, no duplicates, fifo, self-delivery,
# virtual synchrony, configuration consistency).
#   1. 2000 messages per client, of 64 B, 5000 B (above the knet MTU, so
#      fragmented by Totem) and 1400 B
#   2. 20 messages per client of 200000 B (many Totem fragments each),
#      safe delivery
#   3. 4 messages per client of 3 MB and 2.5 MB, above the 1 MiB IPC
#      buffer, so also split by the library
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

cl_init
cl_ring 3 1

# run NAME COUNT SIZE1 SIZE2 SIZE3 [CLIENT-ARGS...]
run() {
	local name="$1" count="$2" s1="$3" s2="$4" s3="$5" n pids="" total
	shift 5
	for n in 1 2 3; do
		eval "size=\$s$n"
		# (a later -q in "$@" wins)
		cl_client "$n" 1 "$H_TMP/$name.$n" -g "$name" -w 3 -c "$count" -s "$size" -q 3000 "$@"
		pids="$pids $CL_CPID"
	done
	n=1
	for pid in $pids; do
		wait "$pid" || { cat "$H_TMP/$name".*.err >&2; cl_logs; h_fail "$name: client $n exited $?"; }
		n=$((n + 1))
	done
	echo "$(cl_now) - end" >"$H_TMP/$name.end"
	total=$((count * 3))
	for n in 1 2 3; do
		got=$(grep -c " deliver " "$H_TMP/$name.$n")
		[ "$got" = "$total" ] || { cl_logs; h_fail "$name: client $n delivered $got of $total messages"; }
	done
	"$CL_CHECK" --old-before-trans "$H_TMP/$name".[123] "$H_TMP/$name.end" >&2 ||
		{ cl_logs; h_fail "$name: histories fail the checker"; }
	h_log "$name: ok"
}

run mixed 2000 64 5000 1400
run large 20 200000 200000 64 -S
# a pause of a few seconds between deliveries is no loss: wait longer
run huge 4 3000000 64 2500000 -q 8000
exit 0
