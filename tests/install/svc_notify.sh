#!/bin/sh
# Readiness for systemd's Type=notify, with a datagram socket of the test's
# own (notify_listen) as NOTIFY_SOCKET:
#   - a single node: READY=1, sent by cpgd's own pid, once it serves
#     clients; STOPPING=1 on SIGTERM;
#   - a node of a two-node cluster: when it serves clients (its pid file is
#     there) it says it waits for the first ring, and READY=1 comes only once
#     that ring has formed: cpgd is stopped the moment READY=1 arrives, and
#     its log must already hold a regular configuration; READY=1 is sent
#     once, not again when the second node joins.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

LISTEN="$top_builddir/tests/install/notify_listen"

h_init
h_need "$LISTEN"
if ! grep -q '^#define HAVE_LIBSYSTEMD 1' "$top_builddir/config.h"; then
	h_log "SKIP: cpgd was built without libsystemd, so it sends no sd_notify"
	exit 77
fi

# listen NAME [-S]: a notify socket $H_TMP/NAME.sock writing $H_TMP/NAME.out
listen() {
	: >"$H_TMP/$1.out"
	"$LISTEN" $2 "$H_TMP/$1.sock" "$H_TMP/$1.out" &
	H_PIDS="$H_PIDS $!"
	i=0
	while [ ! -S "$H_TMP/$1.sock" ]; do
		[ $i -gt 50 ] && h_fail "notify_listen did not bind $H_TMP/$1.sock"
		sleep 0.1; i=$((i + 1))
	done
}
# line_of FILE PATTERN: the number of the first line matching PATTERN
line_of() { grep -n -e "$2" "$1" | head -n 1 | cut -d: -f1; }
stopped() { grep -q '^State:.*T' "/proc/$1/status" 2>/dev/null; }

# --- a single node: ready at once
NS=$(h_ns_new single)
listen single
export NOTIFY_SOCKET="$H_TMP/single.sock"
h_start_cpgd "$NS" single
unset NOTIFY_SOCKET
PID=$H_LAST_PID
h_wait_grep "$H_TMP/single.out" "READY=1" 5 || { cat "$H_TMP/single.out" >&2; h_fail "single node: no READY=1"; }
grep -q "^pid=$PID READY=1" "$H_TMP/single.out" ||
	{ cat "$H_TMP/single.out" >&2; h_fail "single node: READY=1 not from cpgd's pid $PID"; }
h_stop_cpgd "$PID" || h_fail "single node: cpgd did not stop cleanly"
grep -q "^pid=$PID STOPPING=1" "$H_TMP/single.out" ||
	{ cat "$H_TMP/single.out" >&2; h_fail "single node: no STOPPING=1 on SIGTERM"; }
h_log "single node: ok"

# --- two nodes, the first started alone
ch_net_init 2 1
cl_conf "$H_TMP/c.conf" 2 1
for n in 1 2; do
	listen "n$n" -S
	export NOTIFY_SOCKET="$H_TMP/n$n.sock"
	cl_start "$n" "$H_TMP/c.conf"
	unset NOTIFY_SOCKET
	eval "PID=\$CL_PID_$n"
	out="$H_TMP/n$n.out"
	h_wait_grep "$out" "READY=1" 10 || { cat "$out" >&2; cl_logs; h_fail "node $n: no READY=1"; }
	# READY=1 stopped cpgd: what it logged so far is what it had done
	i=0
	while ! stopped "$PID"; do
		[ $i -gt 50 ] && h_fail "node $n: cpgd not stopped by notify_listen -S"
		sleep 0.1; i=$((i + 1))
	done
	grep -q "regular configuration .* with [0-9]* members" "$H_TMP/node$n/cpgd.log" ||
		{ cat "$out" >&2; cl_logs; h_fail "node $n: READY=1 before any ring formed"; }
	grep -q "ready: first ring" "$H_TMP/node$n/cpgd.log" ||
		{ cl_logs; h_fail "node $n: no 'ready: first ring' in the log"; }
	kill -CONT "$PID"
	wait_at=$(line_of "$out" "^pid=$PID STATUS=serving clients, waiting for the first ring")
	ready_at=$(line_of "$out" "^pid=$PID READY=1")
	[ -n "$wait_at" ] && [ -n "$ready_at" ] && [ "$wait_at" -lt "$ready_at" ] ||
		{ cat "$out" >&2; h_fail "node $n: not 'waiting for the first ring' first, then READY=1"; }
done
cl_wait_ring 2 30 || { cl_logs; h_fail "no two-node ring within 30 s"; }
for n in 1 2; do
	[ "$(grep -c "READY=1" "$H_TMP/n$n.out")" = 1 ] ||
		{ cat "$H_TMP/n$n.out" >&2; h_fail "node $n: READY=1 not sent exactly once"; }
done
h_log "two nodes: ok"
exit 0
