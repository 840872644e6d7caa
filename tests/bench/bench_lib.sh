# Functions of the side-by-side benchmark (tests/bench/compare.sh).
#
# Source tests/harness.sh, tests/cluster/cluster_harness.sh and
# tests/interop/corosync_harness.sh first (bench_init.sh does), call
# h_init and ch_net_init MAXNODES 1, then set:
#   B_BUILD  the build directory (cpgbench, confchg_probe, daemon/cpgd)
#   B_OUT    where raw lines, logs and the table go
#   B_LIB    ours | debian: which libcpg.so.4 the clients load
#   B_DUR    seconds of each throughput run; B_LAT_DUR of the latency run
#   B_RUNS   runs of each figure; the result is their median
#
# Each daemon runs in node N's namespace (ch_ns N), with node N's address on
# link 0 of the bridge (10.213.0.N).  Node 1 runs the sender; nodes 2..N the
# receivers.  Daemons and clients started here are children of the shell and
# are tracked in B_PIDS, so b_stop_all ends exactly them; h_cleanup then
# deletes the namespaces with anything left inside.
#
# Results go to $B_OUT/results as lines
#   RES nodes=N crypto=C lib=L daemon=D metric=M size=S value=V
# (lib is ours or debian; - for knetbench, which has no client library)
# and every cpgbench/probe line to $B_OUT/raw.txt with its context.

B_PIDS=""
B_MAXNODES=0

b_log() { printf '%s compare: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

b_now_ns() { date +%s%N; }

# b_secs T0_NS T1_NS: the difference in seconds, 3 decimals
b_secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

b_res() { # b_res METRIC SIZE VALUE
	echo "RES nodes=$B_NODES crypto=$B_CRYPTO lib=$(b_lib) daemon=$B_DAEMON metric=$1 size=$2 value=$3" \
		>>"$B_OUT/results"
}

b_raw() { # b_raw CONTEXT LINE
	echo "nodes=$B_NODES crypto=$B_CRYPTO lib=$(b_lib) daemon=$B_DAEMON $1 $2" >>"$B_OUT/raw.txt"
}

b_lib() { if [ "$B_DAEMON" = knet ]; then echo -; else echo "$B_LIB"; fi; }

# b_median: the median of the numbers on stdin, FAIL if any line is FAIL
# or fewer than B_RUNS came
b_median() {
	sort -g | awk -v runs="$B_RUNS" '
		/FAIL/ { bad = 1 } { v[NR] = $1 }
		END {
			if (bad || NR < runs) print "FAIL"
			else if (NR % 2) print v[(NR + 1) / 2]
			else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# b_run_res METRIC SIZE VALUE: one run's figure, kept for b_runs_summary
b_run_res() {
	[ -f "$B_WORK/run.$1.$2" ] || echo "$1 $2" >>"$B_WORK/runs.list"
	echo "$3" >>"$B_WORK/run.$1.$2"
	b_raw "run $B_RUN:" "$1 size=$2 value=$3"
}

# b_runs_summary: the median over the runs of every figure b_run_res kept
b_runs_summary() {
	local m sz
	[ -f "$B_WORK/runs.list" ] || return 0
	while read -r m sz; do
		b_res "$m" "$sz" "$(b_median <"$B_WORK/run.$m.$sz")"
	done <"$B_WORK/runs.list"
	rm -f "$B_WORK"/run.* "$B_WORK/runs.list"
}

# b_field LINE KEY: the value of KEY=VALUE in a cpgbench or probe line
b_field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

# b_client NS PROGRAM ARGS...: run a client program in NS with the chosen
# libcpg.  "ours" runs the build's libtool wrapper, which loads the build's
# library; "debian" runs the real binary against Debian's libcpg4.
# With B_WRAP set (a command and its options, e.g. perf stat), the client
# runs under it.
b_client() {
	local ns="$1" prog="$2"; shift 2
	if [ "$B_LIB" = debian ]; then
		ip netns exec "$ns" env LD_LIBRARY_PATH="$B_DEBIAN_LIBDIR" ${B_WRAP:-} \
			"$B_BUILD/tests/bench/.libs/$prog" "$@"
	else
		ip netns exec "$ns" ${B_WRAP:-} "$B_BUILD/tests/bench/$prog" "$@"
	fi
}

# b_cpu_wrap FILE: B_WRAP for a client whose CPU time perf stat writes to
# FILE; empty without perf.
b_cpu_wrap() {
	command -v perf >/dev/null 2>&1 || return 0
	echo "perf stat -x , -e task-clock,context-switches,raw_syscalls:sys_enter -o $1 --"
}

# b_cpu_per_msg FILE MSGS: microseconds of CPU per message from perf stat's
# task-clock (ms) in FILE; FAIL without it
b_cpu_per_msg() {
	awk -F, -v m="$2" '$3 == "task-clock" && $1 ~ /^[0-9.]+$/ && m > 0 {
		printf "%.2f\n", $1 * 1000 / m; ok = 1 } END { if (!ok) print "FAIL" }' "$1" 2>/dev/null ||
		echo FAIL
}

# b_sys_per_msg FILE MSGS: system calls per message from the same file
b_sys_per_msg() {
	awk -F, -v m="$2" '$3 ~ /sys_enter/ && $1 ~ /^[0-9]+$/ && m > 0 {
		printf "%.2f\n", $1 / m; ok = 1 } END { if (!ok) print "FAIL" }' "$1" 2>/dev/null ||
		echo FAIL
}

b_check_tools() {
	local prog
	for prog in cpgbench confchg_probe; do
		[ -x "$B_BUILD/tests/bench/$prog" ] ||
			h_fail "$B_BUILD/tests/bench/$prog is not built (make -C $B_BUILD/tests bench/$prog)"
		case " ${B_LIBS:-$B_LIB} " in *" debian "*) ;; *) continue ;; esac
		if [ ! -x "$B_BUILD/tests/bench/.libs/$prog" ]; then
			h_fail "--lib debian needs the libtool-built $B_BUILD/tests/bench/.libs/$prog"
		fi
	done
	[ -x "$B_BUILD/tests/bench/knetbench" ] ||
		h_fail "$B_BUILD/tests/bench/knetbench is not built (make -C $B_BUILD/tests bench/knetbench)"
	case " ${B_LIBS:-$B_LIB} " in
	*" debian "*)
		B_DEBIAN_LIBDIR=$(dpkg -L libcpg4 2>/dev/null | sed -n 's|/libcpg\.so\.4$||p' | head -n 1)
		[ -n "$B_DEBIAN_LIBDIR" ] || h_fail "--lib debian: Debian's libcpg4 is not installed" ;;
	esac
}

# b_have_daemon D: whether daemon D can be run here (a reason on stderr if not)
b_have_daemon() {
	case "$1" in
	cpgd)
		[ -x "$B_BUILD/daemon/cpgd" ] && return 0
		b_log "cpgd: $B_BUILD/daemon/cpgd is not built"
		return 1 ;;
	corosync)
		command -v corosync >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 && return 0
		b_log "corosync: corosync(8) or unshare(1) is not installed"
		return 1 ;;
	esac
	b_log "unknown daemon $1"
	return 1
}

# b_keyfile FILE: a fresh random key, 256 bytes, mode 0400
b_keyfile() {
	rm -f "$1"
	head -c 256 /dev/urandom >"$1" || h_fail "key file $1"
	chmod 0400 "$1"
}

# b_write_conf FILE NODES on|off KEYFILE: corosync.conf syntax, read by both
# daemons.  Timeouts are left at their defaults (token 3000 ms plus 650 ms
# per node beyond two), which is what failover and rejoin times measure.
b_write_conf() {
	local file="$1" nodes="$2" crypto="$3" key="$4"
	{
		echo "totem {"
		echo "	version: 2"
		echo "	cluster_name: cpgbench"
		echo "	transport: knet"
		if [ "$crypto" = on ]; then
			echo "	crypto_cipher: aes256"
			echo "	crypto_hash: sha256"
			echo "	keyfile: $key"
		else
			echo "	crypto_cipher: none"
			echo "	crypto_hash: none"
		fi
		echo "}"
		ch_nodelist "$nodes" 1
		if [ "$B_NO_RT" = 1 ]; then
			# corosync's own key; cpgd skips the section with a notice
			echo "system {"
			echo "	sched_rr: no"
			echo "}"
		fi
		echo "logging {"
		echo "	to_stderr: yes"
		echo "	to_syslog: no"
		echo "	to_logfile: no"
		# --debug: both daemons' debug lines with sub-second stamps, to
		# see where the time goes
		if [ "${B_DEBUG:-0}" = 1 ]; then
			echo "	timestamp: hires"
			echo "	debug: on"
		else
			echo "	timestamp: on"
		fi
		echo "}"
	} >"$file"
}

# b_start_daemon N: start $B_DAEMON on node N with $B_CONF; does not wait.
# Sets B_PID_<N>.  corosync's lock, run and state paths are fixed, so it gets
# a private mount namespace with tmpfs over them (c_run_corosync of
# tests/interop/corosync_harness.sh); cpgd takes its directories as options.
b_start_daemon() {
	local n="$1" ns dir pid
	ns=$(ch_ns "$n")
	dir="$B_WORK/n$n"
	mkdir -p "$dir/run" "$dir/state"
	rm -f "$dir/run/cpgd.pid"
	case "$B_DAEMON" in
	cpgd)
		ip netns exec "$ns" "$B_BUILD/daemon/cpgd" -f -c "$B_CONF" \
			--run-dir "$dir/run" --state-dir "$dir/state" \
			>>"$B_LOGS/daemon.n$n.log" 2>&1 &
		pid=$! ;;
	corosync)
		c_run_corosync "$ns" "$B_CONF" "$B_LOGS/daemon.n$n.log"
		pid=$C_LAST_PID ;;
	esac
	B_PIDS="$B_PIDS $pid"
	eval "B_PID_$n=$pid"
}

# b_running PID: the process exists and is not a zombie (a dead child not
# yet reaped still answers kill -0).
b_running() {
	[ -n "$1" ] && [ -r "/proc/$1/status" ] &&
		! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

b_daemon_pid() { eval "echo \${B_PID_$1:-}"; }

# b_wait_serving N SECONDS: the daemon on node N serves IPC (cpgd: its pid
# file; corosync: a client can connect).
b_wait_serving() {
	local n="$1" max=$(($2 * 10)) i=0 pid
	pid=$(b_daemon_pid "$n")
	while :; do
		if [ "$B_DAEMON" = cpgd ]; then
			[ -s "$B_WORK/n$n/run/cpgd.pid" ] && return 0
		else
			b_client "$(ch_ns "$n")" confchg_probe -x >/dev/null 2>&1 && return 0
		fi
		if ! b_running "$pid"; then
			b_log "$B_DAEMON on node $n exited; see $B_LOGS/daemon.n$n.log"
			return 1
		fi
		i=$((i + 1))
		if [ $i -ge $max ]; then
			b_log "$B_DAEMON on node $n did not serve within $2 s"
			return 1
		fi
		sleep 0.1
	done
}

# b_start_probe N [ARGS]: a logging confchg_probe on node N, output in
# $B_LOGS/probe.nN.log (appended).  Sets B_PROBE_<N>.
b_start_probe() {
	local n="$1" pid; shift
	b_client "$(ch_ns "$n")" confchg_probe -g cpgbench-probe "$@" \
		>>"$B_LOGS/probe.n$n.log" 2>>"$B_LOGS/probe.n$n.err" &
	pid=$!
	B_PIDS="$B_PIDS $pid"
	eval "B_PROBE_$n=$pid"
}

b_probe_log() { echo "$B_LOGS/probe.n$1.log"; }

b_lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# b_wait_line FILE BASE REGEX SECONDS: print the first line after line BASE
# of FILE that matches REGEX; 1 if none comes within SECONDS.
b_wait_line() {
	local file="$1" base="$2" re="$3" max=$(($4 * 20)) i=0 line
	while :; do
		line=$(tail -n "+$((base + 1))" "$file" 2>/dev/null | grep -m 1 -E "$re")
		if [ -n "$line" ]; then
			echo "$line"
			return 0
		fi
		[ $i -ge $max ] && return 1
		sleep 0.05
		i=$((i + 1))
	done
}

# b_wait_members N M BASE SECONDS: the probe on node N reports a CPG
# configuration of M members after line BASE of its log; prints that line.
b_wait_members() {
	b_wait_line "$(b_probe_log "$1")" "$3" "^cpg .* members=$2 " "$4"
}

# b_kill_pid PID: end one process this script started, and reap it.
b_kill_pid() {
	local pid="$1" i=0
	kill -TERM "$pid" 2>/dev/null
	while b_running "$pid" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# b_stop_all: end every daemon and client started for this configuration.
b_stop_all() {
	local pid n ns
	for pid in $B_PIDS; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in $B_PIDS; do
		b_kill_pid "$pid"
	done
	B_PIDS=""
	n=1
	while [ "$n" -le "$B_MAXNODES" ]; do
		ns=$(ch_ns "$n")
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		eval "B_PID_$n=; B_PROBE_$n="
		n=$((n + 1))
	done
	return 0
}

# b_teardown: the EXIT trap.  Ends this run's processes, then deletes the
# namespaces named after this shell's pid: ch_net_init creates them through
# command substitutions, so h_cleanup's list never learns of them.
b_teardown() {
	local ns
	b_stop_all
	h_cleanup
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep "^cpgd-$$-"); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns delete "$ns" 2>/dev/null
	done
	return 0
}

# b_up: start the daemons of a B_NODES cluster, wait until each serves and a
# probe on every node sees all B_NODES in one CPG group.
b_up() {
	local n base
	n=1
	while [ "$n" -le "$B_NODES" ]; do
		b_start_daemon "$n"
		n=$((n + 1))
	done
	n=1
	while [ "$n" -le "$B_NODES" ]; do
		b_wait_serving "$n" 30 || return 1
		n=$((n + 1))
	done
	n=1
	while [ "$n" -le "$B_NODES" ]; do
		b_start_probe "$n"
		n=$((n + 1))
	done
	n=1
	while [ "$n" -le "$B_NODES" ]; do
		if ! b_wait_members "$n" "$B_NODES" 0 60 >/dev/null; then
			b_log "node $n never saw $B_NODES members; see $B_LOGS"
			return 1
		fi
		n=$((n + 1))
	done
	return 0
}

# b_bench GROUP SENDER-ARGS...: one sender on node 1 (under B_SEND_WRAP if
# set), receivers on nodes 2..N, all in GROUP; each line is kept in raw.txt.
# Sets B_SEND_LINE and
# B_RECV_LINES (one per receiver, newline-separated); 1 if any client failed.
b_bench() {
	local group="$1" rc=0 out
	shift
	out="$B_WORK/bench"
	B_GROUP=$group
	b_spawn_receivers "$out" b_cpg_receiver
	B_WRAP="${B_SEND_WRAP:-}" b_client "$(ch_ns 1)" cpgbench -g "$group" -i 0 -S 1 \
		-w "$B_NODES" -t "$B_TIMEOUT" "$@" >"$out/n1.out" 2>&1 || rc=1
	b_wait_receivers || rc=1
	b_collect "$group" "$out" || rc=1
	return $rc
}

b_cpg_receiver() {
	b_client "$(ch_ns "$1")" cpgbench -g "$B_GROUP" -S 1 -w "$B_NODES" -t "$B_TIMEOUT"
}

# b_spawn_receivers DIR FUNC: empties DIR, then runs FUNC N in the
# background for each node N from 2, its output in DIR/nN.out
b_spawn_receivers() {
	local out="$1" fn="$2" n=2 pid
	mkdir -p "$out"
	rm -f "$out"/*.out
	B_RECV_PIDS=""
	while [ "$n" -le "$B_NODES" ]; do
		"$fn" "$n" >"$out/n$n.out" 2>&1 &
		pid=$!
		B_RECV_PIDS="$B_RECV_PIDS $pid"
		B_PIDS="$B_PIDS $pid"
		n=$((n + 1))
	done
}

# b_wait_receivers: 1 if any of them failed
b_wait_receivers() {
	local pid rc=0
	for pid in $B_RECV_PIDS; do
		wait "$pid" || rc=1
	done
	return $rc
}

# b_collect LABEL DIR: the result lines of a sender (DIR/n1.out) and its
# receivers (DIR/n2.out ..) into B_SEND_LINE and B_RECV_LINES, every line
# into raw.txt; 1 if any of them has no result line.
b_collect() {
	local label="$1" out="$2" n
	B_SEND_LINE=$(grep '^msgs=' "$out/n1.out")
	B_RECV_LINES=""
	n=1
	while [ "$n" -le "$B_NODES" ]; do
		sed "s/^/$label n$n: /" "$out/n$n.out" | while IFS= read -r line; do
			b_raw "" "$line"
		done
		if [ "$n" -gt 1 ]; then
			B_RECV_LINES="$B_RECV_LINES$(grep '^msgs=' "$out/n$n.out")
"
		fi
		n=$((n + 1))
	done
	[ -n "$B_SEND_LINE" ] || return 1
	[ "$(printf '%s' "$B_RECV_LINES" | grep -c '^msgs=')" -eq $((B_NODES - 1)) ]
}

# b_recv_stat KEY min|max: the smallest or largest KEY over the receivers
b_recv_stat() {
	printf '%s' "$B_RECV_LINES" | tr ' ' '\n' | sed -n "s/^$1=//p" |
		awk -v op="$2" 'NR == 1 || (op == "min" && $1 < v) || (op == "max" && $1 > v) { v = $1 }
			END { if (NR) print v; else print "FAIL" }'
}

# b_errors: total errors= over the sender and receivers of the last b_bench
b_errors() {
	printf '%s\n%s' "$B_SEND_LINE" "$B_RECV_LINES" | tr ' ' '\n' |
		sed -n 's/^errors=//p' | awk '{ s += $1 } END { print s + 0 }'
}

# b_throughput SIZE: B_RUNS flat-out runs; the receivers' slowest rate is
# a run's result, and the worst receiver's median latency shows how much
# the daemon queues.  At 64 B the sender runs under perf stat: its CPU time
# per message.
b_throughput() {
	local size="$1" wrap="" msgs
	[ "$size" = 64 ] && wrap=$(b_cpu_wrap "$B_WORK/sender.stat")
	B_RUN=1
	while [ "$B_RUN" -le "$B_RUNS" ]; do
		b_log "$B_DAEMON/$B_LIB nodes=$B_NODES crypto=$B_CRYPTO: throughput $size B, run $B_RUN"
		rm -f "$B_WORK/sender.stat"
		if ! B_SEND_WRAP="$wrap" b_bench "tput$size" -s "$size" -d "$B_DUR" ||
		   [ "$(b_errors)" != 0 ]; then
			b_log "throughput $size B failed; see $B_OUT/raw.txt"
			b_run_res tput_msgs_per_s "$size" FAIL
			b_run_res tput_MB_per_s "$size" FAIL
			b_run_res flood_lat_p50_ms "$size" FAIL
			[ -n "$wrap" ] && b_run_res send_cpu_us_per_msg "$size" FAIL
		else
			b_run_res tput_msgs_per_s "$size" "$(b_recv_stat msgs_per_s min)"
			b_run_res tput_MB_per_s "$size" "$(b_recv_stat MB_per_s min)"
			b_run_res flood_lat_p50_ms "$size" \
				"$(awk -v u="$(b_recv_stat lat_p50_us max)" 'BEGIN { printf "%.1f", u / 1000 }')"
			if [ -n "$wrap" ]; then
				msgs=$(b_field "$B_SEND_LINE" msgs)
				b_run_res send_cpu_us_per_msg "$size" \
					"$(b_cpu_per_msg "$B_WORK/sender.stat" "$msgs")"
				b_run_res send_syscalls_per_msg "$size" \
					"$(b_sys_per_msg "$B_WORK/sender.stat" "$msgs")"
			fi
		fi
		B_RUN=$((B_RUN + 1))
	done
	b_runs_summary
}

# b_latency RATE: B_RUNS runs of 64-byte messages at RATE/s; p50 and p99 at
# the sender (its own messages delivered back) and the worst receiver.
b_latency() {
	local rate="$1" s
	B_RUN=1
	while [ "$B_RUN" -le "$B_RUNS" ]; do
		b_log "$B_DAEMON/$B_LIB nodes=$B_NODES crypto=$B_CRYPTO: latency 64 B at $rate/s, run $B_RUN"
		if ! b_bench "lat$rate" -s 64 -r "$rate" -d "$B_LAT_DUR" || [ "$(b_errors)" != 0 ]; then
			b_log "latency run failed; see $B_OUT/raw.txt"
			for s in lat_p50_us_sender lat_p99_us_sender lat_p50_us_recv lat_p99_us_recv; do
				b_run_res "$s" 64 FAIL
			done
		else
			b_run_res lat_p50_us_sender 64 "$(b_field "$B_SEND_LINE" lat_p50_us)"
			b_run_res lat_p99_us_sender 64 "$(b_field "$B_SEND_LINE" lat_p99_us)"
			b_run_res lat_p50_us_recv 64 "$(b_recv_stat lat_p50_us max)"
			b_run_res lat_p99_us_recv 64 "$(b_recv_stat lat_p99_us max)"
		fi
		B_RUN=$((B_RUN + 1))
	done
	b_runs_summary
}

# b_knet_nodes: the ID=ADDR list knetbench takes for a B_NODES cluster
b_knet_nodes() {
	local n=1
	while [ "$n" -le "$B_NODES" ]; do
		printf '%s=%s ' "$n" "$(ch_addr "$n" 0)"
		n=$((n + 1))
	done
}

# b_knet_bench SIZE: one knetbench run (sender on node 1, receivers on the
# others) for B_DUR s; sets B_SEND_LINE and B_RECV_LINES as b_bench does;
# 1 if any process failed.
b_knet_bench() {
	local size="$1" rc=0 out
	out="$B_WORK/knet"
	B_KNET_ARGS="-p 5410 -t $B_TIMEOUT"
	[ "$B_CRYPTO" = on ] && B_KNET_ARGS="$B_KNET_ARGS -k $B_WORK/authkey -c aes256 -H sha256"
	B_KNET_ARGS="$B_KNET_ARGS $(b_knet_nodes)"
	b_spawn_receivers "$out" b_knet_receiver
	# shellcheck disable=SC2086 # a word list on purpose
	ip netns exec "$(ch_ns 1)" "$B_BUILD/tests/bench/knetbench" -l 1 -S -s "$size" \
		-d "$B_DUR" $B_KNET_ARGS >"$out/n1.out" 2>&1 || rc=1
	b_wait_receivers || rc=1
	b_collect "knet$size" "$out" || rc=1
	return $rc
}

b_knet_receiver() {
	# shellcheck disable=SC2086
	ip netns exec "$(ch_ns "$1")" "$B_BUILD/tests/bench/knetbench" -l "$1" $B_KNET_ARGS
}

# b_knet NODES on|off: knet alone between the same namespaces, at every
# size of B_SIZES from 40 kB up: the slowest receiver's MB/s, median of
# B_RUNS runs.  No daemon runs meanwhile.
b_knet() {
	local size
	B_DAEMON=knet B_NODES="$1" B_CRYPTO="$2"
	B_WORK="$H_TMP/knet-$B_NODES-$B_CRYPTO"
	mkdir -p "$B_WORK"
	b_keyfile "$B_WORK/authkey"
	b_res host_load_1m - "$(cut -d ' ' -f 1 /proc/loadavg)"
	for size in $B_SIZES; do
		[ "$size" -ge 40000 ] || continue
		B_RUN=1
		while [ "$B_RUN" -le "$B_RUNS" ]; do
			b_log "knet nodes=$B_NODES crypto=$B_CRYPTO: $size B, run $B_RUN"
			if b_knet_bench "$size" && [ "$(b_errors)" = 0 ]; then
				b_run_res tput_MB_per_s "$size" "$(b_recv_stat MB_per_s min)"
			else
				b_log "knet $size B failed; see $B_OUT/raw.txt"
				b_run_res tput_MB_per_s "$size" FAIL
			fi
			B_RUN=$((B_RUN + 1))
		done
	done
	b_runs_summary
	b_stop_all
}

# b_rss_reset: start a new peak-RSS measurement (clear_refs 5 resets VmHWM)
b_rss_reset() {
	local n pid
	n=1
	while [ "$n" -le "$B_NODES" ]; do
		pid=$(b_daemon_pid "$n")
		echo 5 >"/proc/$pid/clear_refs" 2>/dev/null
		n=$((n + 1))
	done
}

# b_rss METRIC SIZE KEY: the largest /proc status KEY (kB) over the daemons, in MB
b_rss() {
	local n pid kb max=0
	n=1
	while [ "$n" -le "$B_NODES" ]; do
		pid=$(b_daemon_pid "$n")
		kb=$(awk -v k="$3:" '$1 == k { print $2 }' "/proc/$pid/status" 2>/dev/null)
		[ -n "$kb" ] && [ "$kb" -gt "$max" ] && max=$kb
		b_raw "rss n$n size=$2:" "$3=${kb:-?}kB"
		n=$((n + 1))
	done
	if [ "$max" -gt 0 ]; then
		b_res "$1" "$2" "$(awk -v k="$max" 'BEGIN { printf "%.1f", k / 1024 }')"
	else
		b_res "$1" "$2" FAIL
	fi
}

# b_sched PID: the scheduling class of a process, with its real-time priority
b_sched() {
	ps -o cls=,rtprio= -p "$1" 2>/dev/null | awk '{ print ($2 == "-") ? $1 : $1 $2 }'
}

# b_mres METRIC VALUE: one run's membership figure (FAIL or seconds); the
# median of the runs goes to the results (b_memb_summary)
b_mres() {
	echo "$2" >>"$B_WORK/memb.$1"
	b_raw "membership run $B_RUN:" "$1=$2"
}

# b_memb_summary: for each membership metric, the median of its runs, or
# FAIL when any run failed
b_memb_summary() {
	local m v
	for m in failover_s cut_detect_s rejoin_s heal_merge_s; do
		[ -f "$B_WORK/memb.$m" ] || { b_res "$m" - FAIL; continue; }
		v=$(b_median <"$B_WORK/memb.$m")
		b_res "$m" - "$v"
		b_res "${m}_runs" - "$(tr '\n' ' ' <"$B_WORK/memb.$m" | sed 's/ $//; s/ /,/g')"
	done
}

# b_memb_ready SECONDS: the last configuration every node's probe logged
# has all B_NODES (after a heal), so the next run starts from a whole cluster
b_memb_ready() {
	local n i=0 max=$(($1 * 10)) ok
	while :; do
		ok=1
		n=1
		while [ "$n" -le "$B_NODES" ]; do
			grep '^cpg ' "$(b_probe_log "$n")" 2>/dev/null | tail -n 1 |
				grep -q " members=$B_NODES " || ok=0
			n=$((n + 1))
		done
		[ "$ok" = 1 ] && return 0
		[ $i -ge $max ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# b_settle: before a kill or a cut, wait until the last one is 11 s old.
# knet lengthens a link's ping timeout tenfold when the link goes down or
# is set up, and shortens it back by one step a second; a fault sooner
# than that is found later by both daemons, and measures knet's back-off.
B_DOWN_AT=0
b_settle() {
	local now
	now=$(date +%s)
	[ $((now - B_DOWN_AT)) -lt 11 ] && sleep $((11 - (now - B_DOWN_AT)))
	B_DOWN_AT=$(date +%s)
}

# b_membership: B_RUNS runs of failover (SIGKILL), rejoin, cut and heal
b_membership() {
	rm -f "$B_WORK"/memb.*
	# the links were set up when the daemons started
	B_DOWN_AT=$(date +%s)
	B_RUN=1
	while [ "$B_RUN" -le "$B_RUNS" ]; do
		b_failover && b_rejoin && b_partition || break
		if [ "$B_RUN" -lt "$B_RUNS" ] && ! b_memb_ready 30; then
			b_log "the cluster did not come back whole after run $B_RUN"
			break
		fi
		B_RUN=$((B_RUN + 1))
	done
	b_memb_summary
}

# b_failover: SIGKILL the daemon of the last node; time until node 1's
# probe gets the CPG configuration without it.
b_failover() {
	local victim="$B_NODES" base t0 line pid
	b_settle
	b_log "$B_DAEMON nodes=$B_NODES crypto=$B_CRYPTO: failover (SIGKILL node $victim)"
	base=$(b_lines "$(b_probe_log 1)")
	t0=$(b_now_ns)
	kill -KILL "$(b_daemon_pid "$victim")"
	wait "$(b_daemon_pid "$victim")" 2>/dev/null
	if line=$(b_wait_members 1 $((B_NODES - 1)) "$base" 60); then
		b_raw "failover n1: t0_ns=$t0" "$line"
		b_mres failover_s "$(b_secs "$t0" "$(b_field "$line" t_ns)")"
	else
		b_mres failover_s FAIL
		return 1
	fi
	eval "pid=\$B_PROBE_$victim"
	b_kill_pid "$pid"
}

# b_rejoin: restart the killed node's daemon and a probe there (it retries
# until the daemon serves); time from the restart until node 1's probe sees
# all nodes again.
b_rejoin() {
	local n="$B_NODES" base t0 line
	b_log "$B_DAEMON nodes=$B_NODES crypto=$B_CRYPTO: rejoin (restart node $n)"
	base=$(b_lines "$(b_probe_log 1)")
	t0=$(b_now_ns)
	b_start_daemon "$n"
	b_start_probe "$n" -R 60
	if line=$(b_wait_members 1 "$B_NODES" "$base" 60); then
		b_raw "rejoin n1: t0_ns=$t0" "$line"
		b_mres rejoin_s "$(b_secs "$t0" "$(b_field "$line" t_ns)")"
	else
		b_mres rejoin_s FAIL
		return 1
	fi
}

# b_partition: cut the last node's link at the bridge; time until node 1
# sees the others only (a second failover figure, for a silent node), then
# once the cut node is alone, heal the link and time until node 1 sees all.
b_partition() {
	local n="$B_NODES" base basen t0 line
	b_settle
	b_log "$B_DAEMON nodes=$B_NODES crypto=$B_CRYPTO: cut and heal node $n's link"
	base=$(b_lines "$(b_probe_log 1)")
	basen=$(b_lines "$(b_probe_log "$n")")
	t0=$(b_now_ns)
	ch_link_down "$n" 0
	if line=$(b_wait_members 1 $((B_NODES - 1)) "$base" 60); then
		b_raw "cut n1: t0_ns=$t0" "$line"
		b_mres cut_detect_s "$(b_secs "$t0" "$(b_field "$line" t_ns)")"
	else
		b_mres cut_detect_s FAIL
		b_mres heal_merge_s FAIL
		ch_link_up "$n" 0
		return 1
	fi
	if ! b_wait_members "$n" 1 "$basen" 60 >/dev/null; then
		b_log "the cut node never saw itself alone"
		b_mres heal_merge_s FAIL
		ch_link_up "$n" 0
		return 1
	fi
	base=$(b_lines "$(b_probe_log 1)")
	t0=$(b_now_ns)
	ch_link_up "$n" 0
	if line=$(b_wait_members 1 "$B_NODES" "$base" 60); then
		b_raw "heal n1: t0_ns=$t0" "$line"
		b_mres heal_merge_s "$(b_secs "$t0" "$(b_field "$line" t_ns)")"
	else
		b_mres heal_merge_s FAIL
		return 1
	fi
}

# b_config DAEMON NODES on|off [nomemb]: the whole series for one
# configuration with B_LIB's clients; the membership series is left out
# with nomemb (it measures the daemons, not the library).
b_config() {
	local size memb=1
	B_DAEMON="$1" B_NODES="$2" B_CRYPTO="$3"
	[ "${4:-}" = nomemb ] && memb=0
	B_WORK="$H_TMP/$B_DAEMON-$B_NODES-$B_CRYPTO-$B_LIB"
	B_LOGS="$B_OUT/logs/$B_DAEMON-$B_NODES-$B_CRYPTO-$B_LIB"
	B_CONF="$B_WORK/corosync.conf"
	mkdir -p "$B_WORK" "$B_LOGS"
	b_keyfile "$B_WORK/authkey"
	b_write_conf "$B_CONF" "$B_NODES" "$B_CRYPTO" "$B_WORK/authkey"
	cp "$B_CONF" "$B_LOGS/"
	b_log "$B_DAEMON nodes=$B_NODES crypto=$B_CRYPTO: starting"
	b_res host_load_1m - "$(cut -d ' ' -f 1 /proc/loadavg)"
	if ! b_up; then
		b_res cluster_up - FAIL
		b_stop_all
		return 1
	fi
	b_res sched - "$(b_sched "$(b_daemon_pid 1)")"
	b_rss rss_idle_MB - VmRSS
	if [ "${B_MEMB_ONLY:-0}" = 1 ]; then
		b_membership
		b_stop_all
		return 0
	fi
	if [ "${B_LAT_ONLY:-0}" = 1 ]; then
		b_latency "$B_RATE"
		b_stop_all
		return 0
	fi
	for size in $B_SIZES; do
		b_rss_reset
		b_throughput "$size"
		b_rss rss_peak_MB "$size" VmHWM
		b_alive || { b_stop_all; return 1; }
	done
	b_latency "$B_RATE"
	b_alive || { b_stop_all; return 1; }
	[ "$memb" = 1 ] && b_membership
	b_res host_load_1m_end - "$(cut -d ' ' -f 1 /proc/loadavg)"
	b_stop_all
	return 0
}

# b_alive: every daemon of the configuration still runs; once one has died
# the figures that follow would only be timeouts.
b_alive() {
	local n pid ok=0
	n=1
	while [ "$n" -le "$B_NODES" ]; do
		pid=$(b_daemon_pid "$n")
		if ! b_running "$pid"; then
			b_log "$B_DAEMON on node $n died; see $B_LOGS/daemon.n$n.log"
			b_res daemon_died - "node$n"
			ok=1
		fi
		n=$((n + 1))
	done
	return $ok
}

# b_table: one table over everything measured, cpgd and corosync side by
# side with the ratio cpgd/corosync, and knet alone with cpgd's share of it
# (sizes of 40 kB and more); rows grouped by node count, crypto and client
# library, then by metric, in the order they were first measured.
b_table() {
	printf '| nodes | crypto | lib | metric | size | cpgd | corosync | ratio | knet | cpgd/knet |\n'
	printf '|---|---|---|---|---|---|---|---|---|---|\n'
	awk '
	function v(s) { sub(/^[^=]*=/, "", s); return s }
	function num(x) { return x ~ /^[0-9.]+$/ }
	$1 == "RES" && v($5) == "knet" {
		kn[v($2), v($3), v($6), v($7)] = v($8)
		if (v($6) == "host_load_1m") kload[v($2), v($3)] = v($8)
		next
	}
	$1 == "RES" {
		blk = v($2) " " v($3) " " v($4); met = blk " " v($6)
		if (!(blk in bi)) bi[blk] = ++nb
		if (!(met in mi)) mi[met] = ++nm
		key = v($2) SUBSEP v($3) SUBSEP v($4) SUBSEP v($6) SUBSEP v($7)
		if (!(key in seen)) { seen[key] = ++nk; keys[nk] = key; rank[nk] = bi[blk] * 1000000 + mi[met] * 1000 + nk }
		val[key, v($5)] = v($8)
	}
	END {
		for (i = 1; i <= nk; i++) {
			split(keys[i], k, SUBSEP)
			a = ((keys[i], "cpgd") in val) ? val[keys[i], "cpgd"] : "-"
			b = ((keys[i], "corosync") in val) ? val[keys[i], "corosync"] : "-"
			r = "-"
			if (num(a) && num(b) && b + 0 > 0)
				r = sprintf("%.2f", a / b)
			c = "-"
			if (k[4] == "host_load_1m" && ((k[1], k[2]) in kload))
				c = kload[k[1], k[2]]
			else if (k[3] == "ours" && ((k[1], k[2], k[4], k[5]) in kn))
				c = kn[k[1], k[2], k[4], k[5]]
			sh = "-"
			if (k[4] != "host_load_1m" && num(a) && num(c) && c + 0 > 0)
				sh = sprintf("%.0f%%", 100 * a / c)
			printf "%d\t| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", rank[i],
				k[1], k[2], k[3], k[4], k[5], a, b, r, c, sh
		}
	}' "$B_OUT/results" | sort -n | cut -f 2-
}

# b_targets CPU_BASELINE_US: issue 13's targets, one row per target and
# node count and crypto measured, with the measured ratio and a verdict.
# Ratios are cpgd/corosync in the same run, cpgd/knet alone, or cpgd's
# sending-client CPU per message over CPU_BASELINE_US.  A target whose
# figures are missing or failed is "not met".
b_targets() {
	printf '| nodes | crypto | lib | target | measured | verdict |\n'
	printf '|---|---|---|---|---|---|\n'
	awk -v base="$1" '
	function v(s) { sub(/^[^=]*=/, "", s); return s }
	function num(x) { return x ~ /^[0-9.]+$/ }
	$1 == "RES" {
		blk = v($2) SUBSEP v($3)
		if (!(blk in bi)) { bi[blk] = ++nb; blks[nb] = blk }
		if (v($4) != "-") libs[v($2), v($3), v($4)] = 1
		val[v($2), v($3), v($4), v($5), v($6), v($7)] = v($8)
	}
	# one target: cpgd with client library lib against KIND (corosync,
	# knet or base), OP LIM on the ratio
	function row(nodes, crypto, lib, m, size, kind, op, lim, text,   a, b, r, ok) {
		if (!((nodes, crypto, lib) in libs))
			return
		a = val[nodes, crypto, lib, "cpgd", m, size]
		if (kind == "corosync") b = val[nodes, crypto, lib, "corosync", m, size]
		else if (kind == "knet") b = val[nodes, crypto, "-", "knet", m, size]
		else b = base
		rows++
		if (num(a) && num(b) && b + 0 > 0) {
			r = a / b
			ok = (op == ">=") ? (r >= lim) : (r <= lim)
			printf "| %s | %s | %s | %s | %.2f | %s |\n", nodes, crypto, lib, text, r,
				ok ? "met" : "not met"
			met += ok
		} else {
			printf "| %s | %s | %s | %s | %s / %s | not met |\n", nodes, crypto, lib, text,
				a == "" ? "-" : a, b == "" ? "-" : b
		}
	}
	END {
		for (i = 1; i <= nb; i++) {
			split(blks[i], k, SUBSEP)
			n = k[1]; c = k[2]
			row(n, c, "ours", "tput_msgs_per_s", 64, "corosync", ">=", 2, "msgs/s 64 B >= 2x corosync")
			row(n, c, "ours", "tput_msgs_per_s", 320, "corosync", ">=", 2, "msgs/s 320 B >= 2x corosync")
			row(n, c, "ours", "tput_msgs_per_s", 1600, "corosync", ">=", 1.5, "msgs/s 1600 B >= 1.5x corosync")
			row(n, c, "ours", "tput_msgs_per_s", 8000, "corosync", ">=", 1.5, "msgs/s 8000 B >= 1.5x corosync")
			row(n, c, "ours", "tput_MB_per_s", 40000, "corosync", ">=", 1.5, "MB/s 40 kB >= 1.5x corosync")
			row(n, c, "ours", "tput_MB_per_s", 200000, "corosync", ">=", 1.5, "MB/s 200 kB >= 1.5x corosync")
			row(n, c, "ours", "tput_MB_per_s", 40000, "knet", ">=", 0.9, "MB/s 40 kB >= 0.9x knet alone")
			row(n, c, "ours", "tput_MB_per_s", 200000, "knet", ">=", 0.9, "MB/s 200 kB >= 0.9x knet alone")
			row(n, c, "ours", "lat_p50_us_sender", 64, "corosync", "<=", 0.5, "light-load p50, sender <= 0.5x corosync")
			row(n, c, "ours", "lat_p50_us_recv", 64, "corosync", "<=", 0.5, "light-load p50, receivers <= 0.5x corosync")
			row(n, c, "ours", "lat_p99_us_sender", 64, "corosync", "<=", 0.7, "light-load p99, sender <= 0.7x corosync")
			row(n, c, "ours", "lat_p99_us_recv", 64, "corosync", "<=", 0.7, "light-load p99, receivers <= 0.7x corosync")
			row(n, c, "debian", "tput_msgs_per_s", 1600, "corosync", ">=", 1.5, "msgs/s 1600 B >= 1.5x corosync")
			row(n, c, "debian", "tput_MB_per_s", 40000, "corosync", ">=", 1.5, "MB/s 40 kB >= 1.5x corosync")
			row(n, c, "debian", "tput_MB_per_s", 200000, "corosync", ">=", 1.5, "MB/s 200 kB >= 1.5x corosync")
			row(n, c, "ours", "send_cpu_us_per_msg", 64, "base", "<=", 0.3,
				"sending-client CPU per message, 64 B, <= 0.3x " base " us")
		}
		printf "\ntargets met: %d of %d\n", met, rows
	}' "$B_OUT/results"
}
