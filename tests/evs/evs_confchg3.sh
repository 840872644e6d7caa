#!/bin/sh
# EVS configuration changes across three real cpgd daemons, as each EVS
# client sees them (node ids, left and joined lists, ring id): the current
# configuration at start, a daemon killed with SIGKILL (left on the
# survivors), its restart and merge (joined), and a partition and its heal
# (left on both sides, then joined); ring ids only grow; the clients'
# histories pass the checker.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"
. "$top_srcdir/tests/evs/evs_lib.sh"

T=25	# bound for anything that needs a token loss and a new ring

cl_init "$EV_CLIENT"
cl_ring 3 1

fail() { grep -h "evsconf" "$H_TMP"/*.h >&2; cl_logs; h_fail "$*"; }

# ev_wait FILE PATTERN: an evsconf line of FILE matches PATTERN within $T s
ev_wait() {
	h_wait_grep "$1" "^# evsconf .*$2" "$T" || fail "${1##*/}: no configuration with $2"
}
# ev_last FILE MEMBERS: the last configuration FILE's client saw has
# exactly MEMBERS, within $T s
ev_last() {
	local i=0
	while [ "$(grep '^# evsconf ' "$1" | tail -n 1 | sed 's/.* members=\([^ ]*\) .*/\1/')" != "$2" ]; do
		[ $i -ge $((T * 10)) ] && fail "${1##*/}: last configuration is not $2"
		sleep 0.1; i=$((i + 1))
	done
}

for n in 1 2 3; do
	ev_client "$n" 1 "$H_TMP/a$n.h" -q 600000
	eval "A$n=\$EV_CPID"
done
for n in 1 2 3; do
	ev_wait "$H_TMP/a$n.h" " members=1,2,3 left= joined=\$"
done
h_log "start: ok (the current configuration)"

kill -KILL "$CL_PID_3"
wait "$CL_PID_3"
wait "$A3"
rc=$?
[ "$rc" = 3 ] || { cat "$H_TMP/a3.h.err" >&2; fail "a3 exited $rc after its daemon was killed, not 3"; }
grep -q " 3 crash\$" "$H_TMP/a3.h" || fail "a3 did not log its crash"
for n in 1 2; do
	ev_wait "$H_TMP/a$n.h" " left=\(.*,\)*3\(,\| \)"
	ev_last "$H_TMP/a$n.h" 1,2
done
h_log "kill: ok (node 3 left)"

mv "$H_TMP/node3/cpgd.log" "$H_TMP/node3/cpgd.log.1"
cl_start 3 "$H_TMP/c.conf"
cl_wait_ring 3 "$T" || fail "restarted node 3 not merged"
for n in 1 2; do
	ev_wait "$H_TMP/a$n.h" " joined=\(.*,\)*3\(,\|\$\)"
	ev_last "$H_TMP/a$n.h" 1,2,3
done
ev_client 3 2 "$H_TMP/a3b.h" -q 600000
A3=$EV_CPID
ev_wait "$H_TMP/a3b.h" " members=1,2,3 left= joined=\$"
h_log "restart: ok (node 3 joined)"

ch_link_down 3 0 || fail "cut link"
for n in 1 2; do ev_wait "$H_TMP/a$n.h" " members=1,2 left=3 "; done
ev_wait "$H_TMP/a3b.h" " members=3 left=1,2 "
ch_link_up 3 0 || fail "heal link"
for n in 1 2 3b; do ev_last "$H_TMP/a$n.h" 1,2,3; done
ev_wait "$H_TMP/a3b.h" " members=1,2,3 left= joined=1,2\$"
h_log "partition and merge: ok"

# ring sequence numbers only grow, on every client
for f in "$H_TMP"/a*.h; do
	grep '^# evsconf ' "$f" | sed 's/.* ring=[0-9]*:\([0-9]*\) .*/\1/' |
		awk 'NR > 1 && $1 <= last { bad = 1 } { last = $1 } END { exit bad }' ||
		fail "${f##*/}: a ring id that does not grow"
done
for p in $A1 $A2 $A3; do kill -TERM "$p"; done
wait "$A1" && wait "$A2" && wait "$A3" || fail "a client did not stop cleanly"
echo "$("$EV_CLIENT" -T) - end" >"$H_TMP/end"
"$CL_CHECK" "$H_TMP"/a1.h "$H_TMP"/a2.h "$H_TMP"/a3.h "$H_TMP"/a3b.h "$H_TMP/end" >&2 ||
	fail "the histories fail the checker"
exit 0
