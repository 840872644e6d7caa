#!/bin/sh
# Side-by-side benchmark of cpgd and corosync's CPG, on 3 and 5 nodes in
# network namespaces on one bridge, knet without and with crypto, with our
# libcpg and Debian's in the clients, and knet alone (knetbench) as the
# ceiling for large messages.
#
#   sh tests/bench/compare.sh [--nodes 3|5|both] [--quick]
#                             [--daemons cpgd,corosync] [--lib ours|debian|both]
#                             [--out DIR] [--rt] [--membership] [--runs K]
#                             [--debug] [--crypto off|on|both] [--cpu-base US]
#                             [--latency]
#
# Run as root from the source tree; the build directory is $top_builddir,
# or ./_build.  Prints one table (metric | size | cpgd | corosync | ratio |
# knet | cpgd/knet), each figure the median of K runs, then issue 13's
# targets with a verdict each, and keeps them with the raw client lines and
# the daemons' logs in --out (default $top_builddir/bench-results/DATE).
# See tests/bench/README.md.

usage() {
	echo "usage: sh tests/bench/compare.sh [--nodes 3|5|both] [--quick]" >&2
	echo "          [--daemons cpgd,corosync] [--lib ours|debian|both] [--out DIR] [--rt]" >&2
	echo "          [--membership] [--runs K] [--debug] [--crypto off|on|both] [--cpu-base US]" >&2
	echo "          [--latency]" >&2
	exit 2
}

NODES_ARG=both
QUICK=0
DAEMONS="cpgd,corosync"
LIB_ARG=both
B_OUT=""
B_NO_RT=1
B_MEMB_ONLY=0
B_LAT_ONLY=0
B_RUNS=""
# the sending client's CPU per 64-byte message before the fast path
# (RESULTS.md, "profile.sh, 64 B flood", 3 nodes, crypto off)
CPU_BASE=7.27
B_DEBUG=0
CRYPTOS="off on"
while [ $# -gt 0 ]; do
	case "$1" in
	--nodes) [ $# -ge 2 ] || usage; NODES_ARG="$2"; shift 2 ;;
	--quick) QUICK=1; shift ;;
	--daemons) [ $# -ge 2 ] || usage; DAEMONS="$2"; shift 2 ;;
	--lib) [ $# -ge 2 ] || usage; LIB_ARG="$2"; shift 2 ;;
	--cpu-base) [ $# -ge 2 ] || usage; CPU_BASE="$2"; shift 2 ;;
	--out) [ $# -ge 2 ] || usage; B_OUT="$2"; shift 2 ;;
	--rt) B_NO_RT=0; shift ;;
	--membership) B_MEMB_ONLY=1; shift ;;
	--latency) B_LAT_ONLY=1; shift ;;
	--runs) [ $# -ge 2 ] || usage; B_RUNS="$2"; shift 2 ;;
	--debug) B_DEBUG=1; shift ;;
	--crypto) [ $# -ge 2 ] || usage
		case "$2" in off|on) CRYPTOS=$2 ;; both) CRYPTOS="off on" ;; *) usage ;; esac
		shift 2 ;;
	*) usage ;;
	esac
done
case "$NODES_ARG" in
3) NODE_COUNTS=3 ;;
5) NODE_COUNTS=5 ;;
both) NODE_COUNTS="3 5" ;;
*) usage ;;
esac
case "$LIB_ARG" in ours|debian) B_LIBS=$LIB_ARG ;; both) B_LIBS="ours debian" ;; *) usage ;; esac
B_LIB=${B_LIBS%% *}
# the membership series measures the daemons: one library is enough
[ "$B_MEMB_ONLY" = 1 ] && B_LIBS=$B_LIB
# --quick: one run per figure unless --runs says otherwise
[ -n "$B_RUNS" ] || { if [ "$QUICK" = 1 ]; then B_RUNS=1; else B_RUNS=3; fi; }
case "$B_RUNS" in *[!0-9]*|0) usage ;; esac
case "$CPU_BASE" in ''|*[!0-9.]*) usage ;; esac
DAEMONS=$(echo "$DAEMONS" | tr ',' ' ')

. "$(dirname "$0")/bench_init.sh"
h_init
# Our own processes first, then h_cleanup's namespaces, on any exit.
trap b_teardown EXIT
b_check_tools

B_SIZES="64 320 1600 8000 40000 200000"
B_RATE=500
if [ "$QUICK" = 1 ]; then
	B_DUR=1.5
	B_LAT_DUR=2
else
	B_DUR=5
	B_LAT_DUR=5
fi
# A run that hangs ends at this bound, reported as FAIL.
if [ "$QUICK" = 1 ]; then B_TIMEOUT=60; else B_TIMEOUT=120; fi
[ -n "$B_OUT" ] || B_OUT="$top_builddir/bench-results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$B_OUT" || exit 2
B_OUT=$(cd "$B_OUT" && pwd)
: >"$B_OUT/results"
: >"$B_OUT/raw.txt"

B_MAXNODES=0
for n in $NODE_COUNTS; do [ "$n" -gt "$B_MAXNODES" ] && B_MAXNODES=$n; done
ch_net_init "$B_MAXNODES" 1

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores"
	echo "memory: $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "kernel: $(uname -r)"
	echo "corosync: $(corosync -v 2>/dev/null | sed -n "s/.*version '\(.*\)'.*/\1/p")"
	echo "cpgd: $(cd "$top_srcdir" && git describe --always --dirty 2>/dev/null)"
	echo "load average at start: $(cut -d ' ' -f 1-3 /proc/loadavg) (per configuration: host_load_1m, host_load_1m_end)"
	if [ "$B_NO_RT" = 1 ]; then
		echo "corosync scheduling: normal, as cpgd (system { sched_rr: no })"
	else
		echo "corosync scheduling: real-time round robin (its default, --rt)"
	fi
	if [ "$B_MEMB_ONLY" = 1 ]; then
		echo "client library: $B_LIBS; membership figures only"
	elif [ "$B_LAT_ONLY" = 1 ]; then
		echo "client library: $B_LIBS; latency figures only: 64 B at $B_RATE/s for ${B_LAT_DUR} s"
	else
		echo "client library: $B_LIBS; throughput ${B_DUR} s per size; latency 64 B at $B_RATE/s for ${B_LAT_DUR} s"
		echo "every figure: the median of $B_RUNS runs; knet alone: knetbench at the sizes from 40 kB"
		echo "sending-client CPU per message: perf stat of the 64 B sender; baseline $CPU_BASE us"
	fi
	echo "membership: median of $B_RUNS runs of failover, rejoin, cut and heal (first library only)"
} >"$B_OUT/header.txt"

for nodes in $NODE_COUNTS; do
	for crypto in $CRYPTOS; do
		# knet alone, while no daemon runs
		case " $DAEMONS " in
		*" cpgd "*) [ "$B_MEMB_ONLY" = 1 ] || [ "$B_LAT_ONLY" = 1 ] ||
			b_knet "$nodes" "$crypto" ;;
		esac
		memb=""
		for B_LIB in $B_LIBS; do
			for daemon in $DAEMONS; do
				if b_have_daemon "$daemon"; then
					b_config "$daemon" "$nodes" "$crypto" $memb
				else
					B_DAEMON=$daemon B_NODES=$nodes B_CRYPTO=$crypto
					b_res cluster_up - n/a
				fi
			done
			# the membership series measures the daemons: once
			memb=nomemb
		done
	done
done

echo "load average at end: $(cut -d ' ' -f 1-3 /proc/loadavg)" >>"$B_OUT/header.txt"
b_table >"$B_OUT/table.md"
b_targets "$CPU_BASE" >"$B_OUT/targets.md"
cat "$B_OUT/header.txt"
echo
cat "$B_OUT/table.md"
echo
[ "$B_MEMB_ONLY" = 1 ] || { cat "$B_OUT/targets.md"; echo; }
echo "raw lines, logs and this table: $B_OUT"
exit 0
