# Shared by the tests/cluster/cpg_*.sh tests: a cluster of real cpgd daemons
# in network namespaces (cluster_harness.sh), cpg_histclient clients, and
# the history checker.  Source after harness.sh and cluster_harness.sh.

CL_CLIENT="$top_builddir/tests/cluster/cpg_histclient"
# cpgd delivers the old ring's messages before it reports the new ring: the
# tests check with --old-before-trans (tests/sim/HISTORY.md)
CL_CHECK="$top_builddir/tests/sim/histcheck"
CL_KEYGEN="$top_builddir/tools/cpgd-keygen"

# cl_init [PROGRAM...]: h_init, then every PROGRAM (by default the history
# client and the checker) must be built; fail() is cl_fail_hist until the
# test defines its own
cl_init() {
	h_init
	[ $# = 0 ] && set -- "$CL_CLIENT" "$CL_CHECK"
	h_need "$@"
	fail() { cl_fail_hist "$*"; }
}

# cl_key FILE: a new authentication key in FILE
cl_key() {
	"$CL_KEYGEN" -k "$1" >/dev/null || h_fail "cpgd-keygen -k $1"
}

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

# cl_ring NODES LINKS [DAEMON-ARGS...]: NODES daemons with LINKS links
# each, configured by $H_TMP/c.conf, in one ring (within 30 s, 40 s for
# more than three nodes)
cl_ring() {
	local nodes="$1" links="$2" n=1 secs=30; shift 2
	[ "$nodes" -gt 3 ] && secs=40
	ch_net_init "$nodes" "$links"
	cl_conf "$H_TMP/c.conf" "$nodes" "$links"
	while [ "$n" -le "$nodes" ]; do
		cl_start "$n" "$H_TMP/c.conf" "$@"
		n=$((n + 1))
	done
	cl_wait_ring "$nodes" "$secs" || { cl_logs; h_fail "no $nodes-node ring within $secs s"; }
}

# cl_sending SEQ RATE... -- [CLIENT-ARGS...]: a client on each node of the
# ring, node N's sending (without end) at the Nth RATE a second into
# $H_TMP/h.N, with CLIENT-ARGS (-s SIZE...); returns once every client has
# sent its message SEQ.  Sets P1..Pn (the clients' pids) and pids (all).
# Uses the test's fail().
cl_sending() {
	local seq="$1" rates="" nodes=0 n rate; shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		rates="$rates $1"; nodes=$((nodes + 1)); shift
	done
	shift
	pids=""
	n=1
	for rate in $rates; do
		cl_client "$n" 1 "$H_TMP/h.$n" -w "$nodes" -c 100000000 -r "$rate" -q 100000000 "$@"
		eval "P$n=\$CL_CPID"
		pids="$pids $CL_CPID"
		n=$((n + 1))
	done
	n=1
	while [ "$n" -le "$nodes" ]; do
		h_wait_grep "$H_TMP/h.$n" " send $n\.1\.$seq " 20 || fail "client $n not sending"
		n=$((n + 1))
	done
}

# cl_three_sending RATE: three nodes in one ring, a client on each sending
# RATE 200-byte messages a second (cl_sending)
cl_three_sending() {
	cl_ring 3 1
	cl_sending 100 "$1" "$1" "$1" -- -s 200
}

# cl_reap PIDS: wait for each client of PIDS, numbered from 1; one that
# exits other than 0 fails the test (its fail())
cl_reap() {
	local n=1 pid
	for pid in $1; do
		wait "$pid" || fail "client $n exited $?"
		n=$((n + 1))
	done
}

# cl_kill N: SIGKILL node N's daemon; its client (pid $PN) must end
# reporting the daemon lost (exit 3).  Uses the test's fail().
cl_kill() {
	eval "kill -KILL \$CL_PID_$1; wait \$CL_PID_$1"
	h_log "daemon $1 killed"
	eval "wait \$P$1"
	[ $? = 3 ] || fail "client $1 did not report its daemon lost"
}

# cl_end_and_check FAULTS_END STABLE [CHECKER-OPTS...]: the end of a fault
# test: the clients of $pids stop sending (SIGUSR1) and end once they have
# had nothing for 2 s, each having delivered all it was sent; then their
# histories $H_TMP/h.N must pass the checker, with CHECKER-OPTS and
# liveness from STABLE on (cl_now times), and it must have checked
# everything.  Uses the test's fail().
cl_end_and_check() {
	local faults_end="$1" stable="$2"; shift 2
	# shellcheck disable=SC2086 # $pids: one pid a word
	kill -USR1 $pids
	cl_reap "$pids"
	{ echo "$faults_end - faults-end"; echo "$(cl_now) - end"; } >"$H_TMP/end"
	"$CL_CHECK" "$@" --bound-us $((stable - faults_end + 500000)) --settle-us 2000000 \
		"$H_TMP"/h.[1-9] "$H_TMP/end" >"$H_TMP/check.out" 2>&1 ||
		{ cat "$H_TMP/check.out" >&2; fail "histories fail the checker"; }
	cat "$H_TMP/check.out" >&2
	! grep -q "not checked" "$H_TMP/check.out" || fail "the checker did not check everything"
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
