#!/bin/sh
# Three real cpgd daemons, an EVS sender on every node multicasting to
# overlapping groups ({a} {a,b} {b,c} {c} in turn): the histories of the
# members of every group pass the checker (agreed order, no duplicates,
# fifo, self-delivery, virtual synchrony), and a member of only some of
# the groups on each node gets exactly the messages for those groups, once,
# in the same order.
#   1. 500 messages per node of 64, 1400 and 5000 B, agreed
#   2. 20 messages per node of 200000 B, safe
#   3. 3 messages per node of 3 MB (fragmented by the library)
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"
. "$top_srcdir/tests/evs/evs_lib.sh"

cl_init "$EV_CLIENT" "$CL_CHECK"
cl_ring 3 1

# what the partial member of each node joins
part_1=b
part_2=a,c
part_3=c

# run NAME COUNT SIZE1 SIZE2 SIZE3 [CLIENT-ARGS...]
run() {
	local name="$1" count="$2" s1="$3" s2="$4" s3="$5" n pids="" total
	shift 5
	rm -f "$H_TMP/$name.go"
	for n in 1 2 3; do
		eval "size=\$s$n; part=\$part_$n"
		ev_client "$n" 1 "$H_TMP/$name.$n" -G "$H_TMP/$name.go" -c "$count" -s "$size" -q 3000 "$@"
		pids="$pids $EV_CPID"
		ev_client "$n" 1 "$H_TMP/$name.p$n" -p -j "$part" -q 100000000
		eval "ppid_$n=\$EV_CPID"
	done
	ev_wait_joined "$H_TMP/$name.1" "$H_TMP/$name.2" "$H_TMP/$name.3" \
		"$H_TMP/$name.p1" "$H_TMP/$name.p2" "$H_TMP/$name.p3"
	touch "$H_TMP/$name.go"
	n=1
	for pid in $pids; do
		wait "$pid" || { cat "$H_TMP/$name".*.err >&2; cl_logs; h_fail "$name: client $n exited $?"; }
		n=$((n + 1))
	done
	echo "$("$EV_CLIENT" -T) - end" >"$H_TMP/$name.end"
	total=$((count * 3))
	for n in 1 2 3; do
		got=$(grep -c " deliver " "$H_TMP/$name.$n")
		[ "$got" = "$total" ] || { cl_logs; h_fail "$name: node $n delivered $got of $total messages"; }
		h_log "$name: node $n: $(grep '^# try_again' "$H_TMP/$name.$n")"
	done
	"$CL_CHECK" "$H_TMP/$name".[123] "$H_TMP/$name.end" >&2 ||
		{ cl_logs; h_fail "$name: histories fail the checker"; }
	for n in 1 2 3; do
		eval "part=\$part_$n; ppid=\$ppid_$n"
		kill -TERM "$ppid"; wait "$ppid"
		ev_filter "$H_TMP/$name.$n" "$part" >"$H_TMP/$name.want$n"
		sed -n 's/^# deliver //p' "$H_TMP/$name.p$n" >"$H_TMP/$name.got$n"
		[ -s "$H_TMP/$name.want$n" ] || h_fail "$name: nothing for groups $part"
		cmp -s "$H_TMP/$name.want$n" "$H_TMP/$name.got$n" || {
			diff "$H_TMP/$name.want$n" "$H_TMP/$name.got$n" | head >&2
			h_fail "$name: the member of $part on node $n got other messages, or in another order"
		}
	done
	h_log "$name: ok"
}

run mixed 500 64 5000 1400
run large 20 200000 200000 64 -S
run huge 3 3000000 64 3000000 -q 8000
exit 0
