# Shared by the tests/cluster/cpg_*.sh tests: a cluster of real cpgd daemons
# in network namespaces (cluster_harness.sh), cpg_histclient clients, and
# the history checker.  Source after harness.sh and cluster_harness.sh.

CL_CLIENT="$top_builddir/tests/cluster/cpg_histclient"
# cpgd delivers the old ring's messages before it reports the new ring: the
# tests check with --old-before-trans (tests/sim/HISTORY.md)
CL_CHECK="$top_builddir/tests/sim/histcheck"

# cl_conf FILE NODES LINKS [TOTEM-LINES...]: a cluster configuration
cl_conf() {
	local file="$1" nodes="$2" links="$3" line; shift 3
	{
		echo "totem {"
		echo "	version: 2"
		echo "	cluster_name: t"
		if [ $# = 0 ]; then
			echo "	crypto_cipher: none"
			echo "	crypto_hash: none"
		fi
		for line in "$@"; do echo "	$line"; done
		echo "}"
		echo "logging {"
		echo "	to_stderr: yes"
		echo "	to_syslog: no"
		# CL_DEBUG=on: the daemons' debug messages, to investigate
		[ -n "${CL_DEBUG:-}" ] && echo "	debug: $CL_DEBUG"
		echo "}"
		ch_nodelist "$nodes" "$links"
	} >"$file"
}

# cl_start N CONF [DAEMON-ARGS...]: start node N's daemon; sets CL_PID_<N>
cl_start() {
	local n="$1" conf="$2"; shift 2
	h_start_cpgd "$(ch_ns "$n")" "node$n" -c "$conf" "$@"
	eval "CL_PID_$n=\$H_LAST_PID"
}

# cl_client N INC FILE ARGS...: start a history client on node N in the
# background, output in FILE (appended), stderr in FILE.err; sets CL_CPID.
# It reads node N's daemon log for the transitional configurations.
cl_client() {
	local n="$1" inc="$2" file="$3"; shift 3
	# ip itself, not h_in: $! must be the client (ip execs it), not a
	# subshell running a function
	ip netns exec "$(ch_ns "$n")" "$CL_CLIENT" -n "$n" -i "$inc" -o "$file" \
		-l "$H_TMP/node$n/cpgd.log" "$@" 2>>"$file.err" &
	CL_CPID=$!
	H_PIDS="$H_PIDS $CL_CPID"
}

# cl_now: the history clock (CLOCK_MONOTONIC, microseconds)
cl_now() { "$CL_CLIENT" -T; }

# cl_logs: every daemon log, for a failure report; with CL_KEEP=DIR set,
# the whole run directory is kept there too
cl_logs() {
	local f
	if [ -n "${CL_KEEP:-}" ]; then
		mkdir -p "$CL_KEEP" && cp -r "$H_TMP" "$CL_KEEP/" && h_log "run kept in $CL_KEEP"
	fi
	for f in "$H_TMP"/node*/cpgd.log; do
		echo "==== $f" >&2
		tail -n 60 "$f" >&2
	done
}

# cl_wait_ring NODES SECONDS: every node 1..NODES has logged a regular
# configuration of NODES members
cl_wait_ring() {
	local n=1
	while [ "$n" -le "$1" ]; do
		h_wait_grep "$H_TMP/node$n/cpgd.log" "regular configuration .* with $1 members" "$2" ||
			return 1
		n=$((n + 1))
	done
}

# cl_wait_confchg FILE LIST NODE PID REASON SECONDS: wait until the client
# that writes FILE logs a confchg whose LIST (left or joined) holds
# NODE:PID:REASON
cl_wait_confchg() {
	h_wait_grep "$1" "^# confchg .* $2=\([0-9:]*,\)*$3:$4:$5\([, ]\|\$\)" "$6"
}

# cl_client_pid FILE SECONDS: the pid a client reported in its own join
cl_client_pid() {
	h_wait_grep "$1" "^# confchg .* joined=.*:1\$" "$2" || return 1
	sed -n 's/^# confchg .* joined=\([0-9]*\):\([0-9]*\):1$/\2/p' "$1" | head -n 1
}

# cl_wait_links NODES LINKS SECONDS: every node's cpgd reports every knet
# link to every other node connected
cl_wait_links() {
	local want=$((($1 - 1) * $2)) n i=0 max=$(($3 * 5)) got
	while :; do
		got=0
		n=1
		while [ "$n" -le "$1" ]; do
			c=$(h_in "$(ch_ns "$n")" "$top_builddir/tools/cpgd-tool" links 2>/dev/null |
				grep -c " yes  *yes ")
			[ "$c" = "$want" ] && got=$((got + 1))
			n=$((n + 1))
		done
		[ "$got" = "$1" ] && return 0
		[ $i -ge $max ] && return 1
		sleep 0.2; i=$((i + 1))
	done
}

# cl_wait_view FILE MEMBERS SECONDS: wait until the last confchg the client
# of FILE logged lists exactly MEMBERS ("n:pid,n:pid,...")
cl_wait_view() {
	local i=0 max=$(($3 * 10))
	while [ "$(grep '^# confchg ' "$1" | tail -n 1 | sed 's/.* members=\([^ ]*\) .*/\1/')" != "$2" ]; do
		[ $i -ge $max ] && return 1
		sleep 0.1; i=$((i + 1))
	done
}

# cl_expect FILE LIST NODE PID REASON WHAT: wait up to $T s for a confchg in
# FILE whose LIST (left|joined) has NODE:PID:REASON; else the test's own
# fail() with WHAT.
cl_expect() {
	cl_wait_confchg "$1" "$2" "$3" "$4" "$5" "$T" ||
		fail "$6: ${1##*/} has no confchg with $2 $3:$4:$5"
}

# cl_three_sending RATE: three nodes in one ring, a client on each sending
# RATE 200-byte messages a second into $H_TMP/h.N; sets P1..P3 (the
# clients' pids) and pids (all three).  Uses the test's fail().
cl_three_sending() {
	local n
	ch_net_init 3 1
	cl_conf "$H_TMP/c.conf" 3 1
	for n in 1 2 3; do cl_start "$n" "$H_TMP/c.conf"; done
	cl_wait_ring 3 30 || { cl_logs; h_fail "no 3-node ring within 30 s"; }
	pids=""
	for n in 1 2 3; do
		cl_client "$n" 1 "$H_TMP/h.$n" -w 3 -c 100000000 -r "$1" -s 200 -q 100000000
		eval "P$n=\$CL_CPID"
		pids="$pids $CL_CPID"
	done
	for n in 1 2 3; do
		h_wait_grep "$H_TMP/h.$n" " send $n\.1\.100 " 20 || fail "client $n not sending"
	done
}

# cl_fail_hist MSG: fail, showing the clients' histories h.N (without their
# send and deliver lines) and the daemons' logs
cl_fail_hist() {
	for f in "$H_TMP"/h.?; do
		grep -v " deliver \| send " "$f" | sed "s|^|${f##*/}: |" >&2
	done
	cl_logs; h_fail "$*"
}

# cl_wait_traffic T0 SECONDS SENDERS: traffic in the final ring, observed
# rather than slept for: wait (up to $T s, default 30, per step) until the
# client of every node in SENDERS ("1 2 3") has delivered, from each of
# them, the first message it sent SECONDS or more after T0 (cl_now time),
# so that the checker's liveness window (sends after faults-end + bound)
# holds messages every node delivered.  Uses the test's fail().
cl_wait_traffic() {
	local t0="$1" secs="$2" senders="$3" s r id i
	for s in $senders; do
		i=0
		until id=$(awk -v t="$((t0 + secs * 1000000))" \
			'$3 == "send" && $1 >= t { print $4; exit }' "$H_TMP/h.$s") && [ -n "$id" ]; do
			[ $i -ge $((${T:-30} * 10)) ] && fail "client $s sent nothing $secs s after the faults"
			sleep 0.1; i=$((i + 1))
		done
		for r in $senders; do
			h_wait_grep "$H_TMP/h.$r" " deliver $id " "${T:-30}" ||
				fail "client $r did not deliver $id, sent by $s $secs s after the faults"
		done
	done
}
