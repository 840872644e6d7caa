#!/bin/sh
# Thirty-two real cpgd daemons, one network namespace each on one bridge,
# form one ring of all 32 (every daemon's `cpgd-tool ring --json` lists the
# 32 node ids) within a bound (CPGD_RING_BOUND_S, default 150 s); the time
# from the start of the first daemon to the ring on every node is printed
# as a figure, not asserted.  Each daemon takes about 130 MiB (4.2 GiB for
# 32), nearly all of it libknet's: 68 MiB of packet buffers per handle and
# 2.1 MiB per host.  So it is skipped (exit 77) in the sanitizer build
# (ASan's shadow memory would double that) and where less than 6 GiB of
# memory is available.  CPGD_RING_NODES=N sets another size (2 to 250 in
# this layout; 0 skips).  CPGD_RING_COROSYNC=1 then does the same with
# Debian's corosync on the same N namespaces (each in a mount namespace of
# its own, as tests/interop runs it, normal scheduling as cpgd), for the
# formation time beside cpgd's.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"
. "$top_srcdir/tests/interop/corosync_harness.sh"

N=${CPGD_RING_NODES:-32}
BOUND_S=${CPGD_RING_BOUND_S:-150}
case "$N" in
''|*[!0-9]*) h_fail "CPGD_RING_NODES=$N is not a number" ;;
esac
if [ "$N" = 0 ]; then
	h_log "SKIP: CPGD_RING_NODES=0"
	exit 77
fi
[ "$N" -ge 2 ] && [ "$N" -le 250 ] || h_fail "CPGD_RING_NODES=$N: from 2 to 250"
if grep -q -- '-fsanitize=' "$top_builddir/Makefile" 2>/dev/null; then
	h_log "SKIP: sanitizer build: ASan adds its shadow memory to the 4.2 GiB the $N daemons take"
	exit 77
fi
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
if [ "${avail:-0}" -lt $((N * 160 + 1024)) ]; then
	h_log "SKIP: $N daemons need about $((N * 130)) MiB; only ${avail:-?} MiB available"
	exit 77
fi
TOOL="$top_builddir/tools/cpgd-tool"

h_init
ch_net_init "$N" 1
cl_conf "$H_TMP/c.conf" "$N" 1
# all at once, as a cluster boots: h_start_cpgd would wait for each
T0=$(cl_now)
n=1
while [ "$n" -le "$N" ]; do
	d="$H_TMP/node$n"
	mkdir -p "$d/run" "$d/state"
	ip netns exec "$(ch_ns "$n")" "$top_builddir/daemon/cpgd" -f \
		--run-dir "$d/run" --state-dir "$d/state" -c "$H_TMP/c.conf" \
		>"$d/cpgd.log" 2>&1 &
	H_PIDS="$H_PIDS $!"
	[ "$n" = 1 ] && PID1=$!
	n=$((n + 1))
done
n=1
while [ "$n" -le "$N" ]; do
	h_wait_file "$H_TMP/node$n/run/cpgd.pid" 60 || {
		cl_logs
		h_fail "cpgd of node $n did not become ready"
	}
	n=$((n + 1))
done
T1=$(cl_now)

# ring_of N: node N's ring members, one line, ascending
ring_of() {
	h_in "$(ch_ns "$1")" "$TOOL" ring --json 2>/dev/null |
		tr -d ' \n' | sed -n 's/.*"members":\[\([0-9,]*\)\].*/\1/p'
}
# wait_every GET WANT SINCE: until `GET N` prints WANT for every node N,
# within BOUND_S s of SINCE (a cl_now time); else returns the first node
# that does not (N is at most 250)
wait_every() {
	local n=1
	while [ "$n" -le "$N" ]; do
		while [ "$("$1" "$n")" != "$2" ]; do
			[ $(($(cl_now) - $3)) -lt $((BOUND_S * 1000000)) ] || return "$n"
			sleep 0.2	# polling interval
		done
		n=$((n + 1))
	done
}
wait_every ring_of "$(seq -s, 1 "$N")" "$T0" || {
	n=$?
	cl_logs
	h_fail "node $n: ring $(ring_of "$n") after $BOUND_S s, not all $N nodes"
}
T2=$(cl_now)
rss=$(ps -o rss= -p "$PID1")
h_log "$N daemons ready in $(((T1 - T0) / 1000)) ms; ring of $N on every node $(((T2 - T0) / 1000)) ms after the first start (RSS of one daemon $rss KiB)"
[ "${CPGD_RING_COROSYNC:-}" = 1 ] || exit 0

# ---- corosync 3.1.7 on the same namespaces ----
command -v corosync >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 ||
	h_fail "CPGD_RING_COROSYNC=1 but corosync or unshare is not installed"
for pid in $H_PIDS; do kill -TERM "$pid" 2>/dev/null; done
for pid in $H_PIDS; do
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$pid" 2>/dev/null
done
{
	sed -n '/^totem {/,/^}/p' "$H_TMP/c.conf"
	printf 'system {\n\tsched_rr: no\n}\nquorum {\n\tprovider: corosync_votequorum\n}\n'
	printf 'logging {\n\tto_stderr: yes\n\tto_syslog: no\n\tto_logfile: no\n}\n'
	ch_nodelist "$N" 1
} >"$H_TMP/corosync.conf"
C0=$(cl_now)
n=1
while [ "$n" -le "$N" ]; do
	d="$H_TMP/coro$n"
	mkdir -p "$d"
	c_run_corosync "$(ch_ns "$n")" "$H_TMP/corosync.conf" "$d/corosync.log"
	[ "$n" = 1 ] && CPID1=$C_LAST_PID
	n=$((n + 1))
done
# nodes in node N's corosync ring (votequorum's count of members)
coro_nodes() {
	h_in "$(ch_ns "$1")" corosync-quorumtool -s 2>/dev/null |
		sed -n 's/^Nodes: *\([0-9]*\).*/\1/p'
}
wait_every coro_nodes "$N" "$C0" || {
	n=$?
	tail -n 20 "$H_TMP/coro$n/corosync.log" >&2
	h_fail "corosync on node $n: $(coro_nodes "$n") nodes after $BOUND_S s, not $N"
}
C2=$(cl_now)
crss=$(ps -o rss= -p "$CPID1")
h_log "corosync: ring of $N on every node $(((C2 - C0) / 1000)) ms after the first start (RSS of one daemon $crss KiB)"
exit 0
