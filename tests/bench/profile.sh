#!/bin/sh
# Profile one daemon under a cpgbench flood, in network namespaces.
#
#   sh tests/bench/profile.sh [--nodes N] [--size BYTES] [--secs S]
#                             [--daemon cpgd|corosync] [--crypto on|off]
#                             [--node K] [--rate R] [--out DIR]
#
# Starts an N-node cluster (as compare.sh does), lets one cpgbench sender on
# node 1 flood SIZE-byte messages for S seconds with receivers on the other
# nodes, and records the daemon of node K (default 1, the sender's) with
# `perf record -g` (P_ALL=1: the whole machine; P_STRACE=1: syscall counts
# with strace -c instead; P_STAT=1: perf stat of every daemon; P_CALLGRAPH: perf's call-graph option).  --rate R
# paces the sender at R msgs/s (latency) instead of flat out.  The sending
# client always runs under perf stat: its CPU time, context switches and
# system calls per message.  Prints the clients' lines and `perf report`'s
# top entries; perf.data stays in --out.  Needs perf (Debian: linux-perf).

usage() {
	echo "usage: sh tests/bench/profile.sh [--nodes N] [--size BYTES] [--secs S]" >&2
	echo "          [--daemon cpgd|corosync] [--crypto on|off] [--node K] [--rate R] [--out DIR]" >&2
	exit 2
}

P_NODES=3
P_SIZE=64
P_SECS=5
P_NODE=1
P_RATE=""
P_CRYPTO=off
B_DAEMON=cpgd
B_OUT=""
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case "$1" in
	--nodes) P_NODES="$2" ;;
	--size) P_SIZE="$2" ;;
	--secs) P_SECS="$2" ;;
	--node) P_NODE="$2" ;;
	--rate) P_RATE="$2" ;;
	--crypto) P_CRYPTO="$2" ;;
	--daemon) B_DAEMON="$2" ;;
	--out) B_OUT="$2" ;;
	*) usage ;;
	esac
	shift 2
done

. "$(dirname "$0")/bench_init.sh"
command -v perf >/dev/null 2>&1 || { echo "profile.sh: perf is not installed (linux-perf)" >&2; exit 2; }
h_init
trap b_teardown EXIT
B_LIB=ours
B_NO_RT=1
B_TIMEOUT=60
b_check_tools
b_have_daemon "$B_DAEMON" || exit 2

[ -n "$B_OUT" ] || B_OUT="$top_builddir/bench-results/profile-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$B_OUT" || exit 2
B_OUT=$(cd "$B_OUT" && pwd)
: >"$B_OUT/results"
: >"$B_OUT/raw.txt"
B_MAXNODES=$P_NODES
ch_net_init "$B_MAXNODES" 1

B_NODES=$P_NODES B_CRYPTO=$P_CRYPTO
B_WORK="$H_TMP/$B_DAEMON-$B_NODES-$B_CRYPTO"
B_LOGS="$B_OUT/logs"
B_CONF="$B_WORK/corosync.conf"
mkdir -p "$B_WORK" "$B_LOGS"
b_keyfile "$B_WORK/authkey"
b_write_conf "$B_CONF" "$B_NODES" "$B_CRYPTO" "$B_WORK/authkey"
echo "load: $(cat /proc/loadavg)" | tee "$B_OUT/load.txt"
b_up || exit 1
pid=$(b_daemon_pid "$P_NODE")
[ "$B_DAEMON" = corosync ] && pid=$(pgrep -P "$(pgrep -P "$pid" | head -n 1)" corosync 2>/dev/null || pgrep -P "$pid" | head -n 1)
if [ "${P_STAT:-0}" = 1 ]; then
	# CPU time, context switches and syscalls of every daemon
	pids=""
	n=1
	while [ "$n" -le "$P_NODES" ]; do
		pids="$pids${pids:+,}$(b_daemon_pid "$n")"
		n=$((n + 1))
	done
	perf stat -e task-clock,context-switches,raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait -p "$pids" \
		-o "$B_OUT/stat.txt" >"$B_OUT/perf.log" 2>&1 &
elif [ "${P_STRACE:-0}" = 1 ]; then
	# syscall counts per thread instead of a profile
	strace -c -f -p "$pid" -o "$B_OUT/strace.txt" >"$B_OUT/perf.log" 2>&1 &
else
	# P_ALL=1: the whole machine (every daemon, client and other load)
	if [ "${P_ALL:-0}" = 1 ]; then target="-a"; else target="-p $pid"; fi
	perf record ${P_CALLGRAPH:--g} -F 2000 -o "$B_OUT/perf.data" $target >"$B_OUT/perf.log" 2>&1 &
fi
perf_pid=$!
B_DUR=$P_SECS
B_SEND_WRAP=$(b_cpu_wrap "$B_OUT/sender.stat")
b_bench "prof$P_SIZE" -s "$P_SIZE" -d "$P_SECS" ${P_RATE:+-r "$P_RATE"}
kill -INT "$perf_pid"
wait "$perf_pid"
if [ "$B_DAEMON" = cpgd ]; then
	# packets per message: how well the sender's messages were packed
	ip netns exec "$(ch_ns 1)" "$B_BUILD/tools/cpgd-tool" counters >"$B_OUT/counters.n1" 2>&1
	grep -E 'sent_msgs|packets_(in|out)|tx_packets|rx_packets' "$B_OUT/counters.n1"
fi
echo "sender:   $B_SEND_LINE"
printf 'receiver: %s' "$B_RECV_LINES"
# the sending client's cost per message it sent (its own deliveries)
msgs=$(b_field "$B_SEND_LINE" msgs)
echo "sending client: $(b_cpu_per_msg "$B_OUT/sender.stat" "$msgs") us CPU and" \
	"$(b_sys_per_msg "$B_OUT/sender.stat" "$msgs") system calls per message (perf stat: $B_OUT/sender.stat)"
echo "load: $(cat /proc/loadavg)" | tee -a "$B_OUT/load.txt"
[ -f "$B_OUT/strace.txt" ] && head -n 30 "$B_OUT/strace.txt"
[ -f "$B_OUT/stat.txt" ] && cat "$B_OUT/stat.txt"
[ -f "$B_OUT/perf.data" ] && perf report -i "$B_OUT/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
	grep -v '^$' | grep -E '^ +[0-9]' | head -n 40 | tee "$B_OUT/top.txt"
echo "perf.data: $B_OUT/perf.data"
