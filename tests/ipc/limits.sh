#!/bin/sh
# The limits of cpgd(8) (LIMITS): each exceeded gets its error code and one
# log line, and the daemon carries on.  Clients: a daemon started with a
# soft open-file limit of 100 takes 100 - 64 = 36 connections (under
# CPGD_VALGRIND=1 as well).
. "$top_srcdir/tests/harness.sh"
h_init
HOSTILE="$top_builddir/tests/ipc/hostile"
h_need_files 4096
ns=$(h_ns_new limits)
h_start_cpgd "$ns" limits
pid=$H_LAST_PID
log="$H_LAST_DIR/cpgd.log"
h_in "$ns" "$HOSTILE" limits || h_fail "limits"
h_alive "$pid"
for pat in "join of pid [0-9]* refused: group name longer than 128 bytes" \
	"fragmented message of pid [0-9]* refused: message too big" \
	"iteration of pid [0-9]* refused: limit reached" \
	"zero-copy buffer of pid [0-9]* refused: limit reached" \
	"join of pid [0-9]* refused: the group has 384 members" \
	"closing connection of pid [0-9]*: multicast payload over the limit"; do
	n=$(grep -c "$pat" "$log")
	[ "$n" = 1 ] || h_fail "$n log lines, not 1, for: $pat"
done
h_in "$ns" "$top_builddir/tests/ipc/cpgtest" basic || h_fail "basic after the limits"

# Only the soft limit is lowered: valgrind (CPGD_VALGRIND=1) keeps
# descriptors of its own above the limit cpgd sees, and can do so only
# while the hard limit leaves room for them.
ns2=$(h_ns_new conns)
(ulimit -S -n 100 && h_start_cpgd "$ns2" conns && echo "$H_LAST_PID" >"$H_TMP/conns.pid") \
	|| h_fail "cpgd with 100 descriptors"
pid2=$(cat "$H_TMP/conns.pid")
H_PIDS="$H_PIDS $pid2"
h_in "$ns2" "$HOSTILE" limit 36 "$top_builddir/tests/ipc/cpginit full" \
	|| h_fail "connection limit (raw, and CS_ERR_NO_RESOURCES from cpg_initialize)"
kill -0 "$pid2" || h_fail "cpgd with 100 descriptors is gone"
n=$(grep -c "refused: already 36 clients, the limit" "$H_TMP/conns/cpgd.log")
[ "$n" -ge 1 ] || h_fail "no log line for the refused connection"
exit 0
