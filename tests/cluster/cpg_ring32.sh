#!/bin/sh
# Thirty-two real cpgd daemons, one network namespace each on one bridge,
# form one ring of all 32 (every daemon's `cpgd-tool ring --json` lists the
# 32 node ids) within a generous bound; the time from the start of the first
# daemon to the ring on every node is printed as a figure, not asserted.
# It needs about 130 MiB of memory per daemon (4 GiB for 32) and minutes on
# a loaded machine, so it runs only when asked: CPGD_RING_NODES=N (N from 2
# to 250 in this layout; 32 is the size this test is for); otherwise it is
# reported as skipped.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

N=${CPGD_RING_NODES:-}
BOUND_S=${CPGD_RING_BOUND_S:-300}
if [ -z "$N" ]; then
	h_log "SKIP: 32 daemons take 4 GiB and minutes; run with CPGD_RING_NODES=32"
	exit 77
fi
case "$N" in
''|*[!0-9]*) h_fail "CPGD_RING_NODES=$N is not a number" ;;
esac
[ "$N" -ge 2 ] && [ "$N" -le 250 ] || h_fail "CPGD_RING_NODES=$N: from 2 to 250"
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
want=$(seq -s, 1 "$N")
n=1
while [ "$n" -le "$N" ]; do
	while [ "$(ring_of "$n")" != "$want" ]; do
		[ $(($(cl_now) - T0)) -lt $((BOUND_S * 1000000)) ] || {
			cl_logs
			h_fail "node $n: ring $(ring_of "$n") after $BOUND_S s, not all $N nodes"
		}
		sleep 0.2
	done
	n=$((n + 1))
done
T2=$(cl_now)
rss=$(ps -o rss= -p "$PID1")
h_log "$N daemons ready in $(((T1 - T0) / 1000)) ms; ring of $N on every node $(((T2 - T0) / 1000)) ms after the first start (RSS of one daemon $rss KiB)"
exit 0
