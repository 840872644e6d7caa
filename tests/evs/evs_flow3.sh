#!/bin/sh
# EVS flow control through the real library, across real daemons: while
# one of three daemons is stopped (SIGSTOP) the ring orders nothing, so a
# sender's burst fills the ordering backlog and evs_mcast_groups answers
# CS_ERR_TRY_AGAIN; the sender retries, and once the ring has formed again
# without the stopped node every message is delivered, once, on the
# sender's node and on the other live one (the checker judges both
# histories).
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"
. "$top_srcdir/tests/evs/evs_lib.sh"

cl_init "$EV_CLIENT" "$CL_CHECK"
count=2000
cl_ring 3 1

# 2000 messages of 2000 bytes: 4 MB, past the 2 MiB backlog mark
ev_client 1 1 "$H_TMP/s.1" -G "$H_TMP/go" -c "$count" -s 2000 -q 3000
sender=$EV_CPID
ev_client 2 1 "$H_TMP/r.2" -q 100000000
receiver=$EV_CPID
ev_wait_joined "$H_TMP/s.1" "$H_TMP/r.2"
kill -STOP "$CL_PID_3"
touch "$H_TMP/go"
wait "$sender" || { cat "$H_TMP/s.1.err" >&2; cl_logs; h_fail "the sender exited $?"; }
kill -CONT "$CL_PID_3"
# the receiver has had the sender's quiet time to get the last ones
kill -TERM "$receiver"
wait "$receiver" || h_fail "the receiver exited $?"
echo "$("$EV_CLIENT" -T) - end" >"$H_TMP/end"

tries=$(sed -n 's/^# try_again //p' "$H_TMP/s.1")
h_log "sender: $tries times CS_ERR_TRY_AGAIN"
[ "${tries:-0}" -gt 0 ] || h_fail "no CS_ERR_TRY_AGAIN while the ring was stalled"
for f in s.1 r.2; do
	got=$(grep -c " deliver " "$H_TMP/$f")
	[ "$got" = "$count" ] || { cl_logs; h_fail "$f delivered $got of $count messages"; }
done
"$CL_CHECK" "$H_TMP/s.1" "$H_TMP/r.2" "$H_TMP/end" >&2 ||
	{ cl_logs; h_fail "the histories fail the checker"; }
exit 0
