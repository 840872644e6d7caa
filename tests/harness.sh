# Shared shell harness for tests that start real daemons.
#
# Source it from a test script.  Every daemon runs inside a network namespace
# of its own (libqb's IPC sockets are abstract, so each namespace has its own
# "cpg" service and tests never collide with each other or with the host).
# Everything a test creates is torn down by an EXIT trap, pass or fail.
#
# Exit 77 is automake's SKIP: used only when the machine cannot create
# namespaces, with the reason printed.

H_NAMESPACES=""
H_PIDS=""
H_TMP=""

h_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
h_fail() { h_log "FAIL: $*"; exit 1; }

h_cleanup() {
	local rc=$? pid ns
	for pid in $H_PIDS; do
		kill -CONT "$pid" 2>/dev/null
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in $H_PIDS; do
		local i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1; i=$((i + 1))
		done
		kill -KILL "$pid" 2>/dev/null
	done
	# h_ns_new may run in a command substitution's subshell, so the list is
	# found again from the names: every namespace this test made.
	for ns in $H_NAMESPACES $(ip netns list 2>/dev/null | awk -v p="cpgd-$$-" 'index($1, p) == 1 {print $1}'); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns delete "$ns" 2>/dev/null
	done
	local bad_rc=0 f
	if [ -n "${CPGD_VALGRIND:-}" ] && [ -n "$H_TMP" ]; then
		for f in "$H_TMP"/*/valgrind.log; do
			[ -e "$f" ] || continue
			if ! grep -q "ERROR SUMMARY: 0 errors" "$f"; then
				h_log "FAIL: valgrind found errors or leaks in cpgd ($f):"
				cat "$f" >&2
				bad_rc=1
			fi
		done
	fi
	# a sanitizer report in a daemon's log fails the test even where the
	# test did not look at the daemon's exit (UBSan writes to stderr)
	if [ -n "$H_TMP" ]; then
		for f in "$H_TMP"/*/cpgd.log; do
			[ -e "$f" ] || continue
			if grep -qE "runtime error:|ERROR: (Address|Leak|UndefinedBehavior)Sanitizer" "$f"; then
				h_log "FAIL: sanitizer report in $f:"
				grep -A 20 -E "runtime error:|Sanitizer" "$f" >&2
				bad_rc=1
			fi
		done
	fi
	# CPGD_TEST_KEEP=1 keeps a failed test's files (logs, histories)
	if [ -n "$H_TMP" ] && [ "${CPGD_TEST_KEEP:-0}" = 1 ] && { [ $rc != 0 ] || [ $bad_rc != 0 ]; }; then
		h_log "kept $H_TMP (CPGD_TEST_KEEP=1)"
	elif [ -n "$H_TMP" ]; then
		rm -rf "$H_TMP"
	fi
	[ $bad_rc = 0 ] || exit 1
	return 0
}

h_init() {
	trap h_cleanup EXIT
	trap 'exit 1' INT TERM
	H_TMP=$(mktemp -d /tmp/cpgd-test.XXXXXX) || exit 99
	if [ "$(id -u)" != 0 ]; then
		h_log "SKIP: needs root to create network namespaces"
		exit 77
	fi
	if ! ip netns add "cpgd-probe-$$" 2>"$H_TMP/netns.err"; then
		h_log "SKIP: cannot create network namespaces: $(cat "$H_TMP/netns.err")"
		exit 77
	fi
	ip netns delete "cpgd-probe-$$"
}

# h_need PROGRAM...: fail the test unless every PROGRAM is built.
h_need() {
	local p
	for p in "$@"; do
		[ -x "$p" ] || h_fail "$p not built"
	done
}

# h_need_files N: raise this shell's open-file limit to N (for the daemons
# and clients it starts), or skip the test.
h_need_files() {
	ulimit -n "$1" 2>/dev/null && return 0
	h_log "SKIP: cannot raise the open-file limit to $1"
	exit 77
}

# h_wait_gone PID SECONDS: wait for a process that is not a child of this
# shell to end; 1 if it is still there after SECONDS.
h_wait_gone() {
	local i=0
	while kill -0 "$1" 2>/dev/null; do
		[ $i -ge $(($2 * 10)) ] && return 1
		sleep 0.1; i=$((i + 1))
	done
	return 0
}

# h_rss_kib PID: the resident size of a process, in KiB.
h_rss_kib() { awk '/^VmRSS:/ { print $2 }' /proc/"$1"/status; }

# h_peak_rss PID WATCHED: the largest resident size of PID (KiB), sampled
# every 0.2 s while the process WATCHED (a child of this shell) runs, into
# H_PEAK_RSS.
h_peak_rss() {
	local rss
	H_PEAK_RSS=0
	while kill -0 "$2" 2>/dev/null; do
		rss=$(h_rss_kib "$1")
		[ "${rss:-0}" -gt "$H_PEAK_RSS" ] && H_PEAK_RSS=$rss
		sleep 0.2
	done
}

# h_ns_new NAME: a namespace with its loopback up; prints its full name.
h_ns_new() {
	local ns="cpgd-$$-$1"
	ip netns add "$ns" || h_fail "ip netns add $ns"
	ip -n "$ns" link set lo up || h_fail "lo up in $ns"
	H_NAMESPACES="$H_NAMESPACES $ns"
	echo "$ns"
}

# h_in NS CMD...: run a command inside a namespace.
h_in() {
	local ns="$1"; shift
	ip netns exec "$ns" "$@"
}

# h_wait_file FILE SECONDS: wait for a file to appear.
h_wait_file() {
	local i=0 max=$(($2 * 10))
	while [ ! -s "$1" ]; do
		[ $i -ge $max ] && return 1
		sleep 0.1; i=$((i + 1))
	done
	return 0
}

# h_conf_single NODEID FILE: a configuration for one node on loopback.
h_conf_single() {
	printf '%s\n' "totem {" "	version: 2" "	cluster_name: cpgd-test" "}" \
		"nodelist {" "	node {" "		nodeid: $1" \
		"		ring0_addr: 127.0.0.1" "	}" "}" >"$2"
}

# h_start_cpgd NS NAME [cpgd args...]: start cpgd in NS with run and state
# directories of its own under $H_TMP/NAME; wait until its pid file says it
# serves IPC.  Sets H_LAST_PID and H_LAST_DIR.  Without -c among the args
# it gets a single-node configuration of its own (node id from -n, else 1),
# so that no test depends on the machine's /etc/corosync/corosync.conf.
h_start_cpgd() {
	local ns="$1" name="$2"; shift 2
	local dir="$H_TMP/$name" a prev="" conf="" nodeid=1
	mkdir -p "$dir/run" "$dir/state"
	rm -f "$dir/run/cpgd.pid"
	for a in "$@"; do
		case "$prev" in
		-c|--config) conf="$a" ;;
		-n|--nodeid) nodeid="$a" ;;
		esac
		case "$a" in
		--config=*) conf="${a#--config=}" ;;
		--nodeid=*) nodeid="${a#--nodeid=}" ;;
		esac
		prev="$a"
	done
	if [ -z "$conf" ]; then
		h_conf_single "$nodeid" "$dir/cpgd.conf"
		# to the test's log, not to the machine's syslog
		printf '%s\n' "logging {" "	to_stderr: yes" "	to_syslog: no" "}" \
			>>"$dir/cpgd.conf"
		set -- -c "$dir/cpgd.conf" "$@"
	fi
	# CPGD_VALGRIND=1: under valgrind memcheck; any error or leak makes
	# cpgd exit 99 and fails the test at its end (h_cleanup)
	local wrap="" ready=10
	if [ -n "${CPGD_VALGRIND:-}" ]; then
		wrap="valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --log-file=$dir/valgrind.log"
		ready=60
	fi
	ip netns exec "$ns" $wrap "$top_builddir/daemon/cpgd" -f \
		--run-dir "$dir/run" --state-dir "$dir/state" "$@" \
		>"$dir/cpgd.log" 2>&1 &
	H_LAST_PID=$!
	H_LAST_DIR="$dir"
	H_PIDS="$H_PIDS $H_LAST_PID"
	if ! h_wait_file "$dir/run/cpgd.pid" $ready; then
		cat "$dir/cpgd.log" >&2
		h_fail "cpgd in $ns did not become ready"
	fi
}

# h_stop_cpgd PID: SIGTERM, wait up to 10 s; returns cpgd's exit status
# (1 if it did not stop).  The pid is dropped from the cleanup list.
h_stop_cpgd() {
	local pid="$1" i=0
	kill -TERM "$pid" 2>/dev/null || return 1
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill -0 "$pid" 2>/dev/null && return 1
	H_PIDS=$(echo "$H_PIDS" | sed "s/\b$pid\b//")
	wait "$pid"
}

# h_alive PID: fail the test if that daemon is gone.
h_alive() {
	kill -0 "$1" 2>/dev/null || h_fail "cpgd (pid $1) is not running"
}

# h_wait_grep FILE PATTERN SECONDS: wait for a line matching PATTERN.
h_wait_grep() {
	local i=0 max=$(($3 * 10))
	while ! grep -q "$2" "$1" 2>/dev/null; do
		[ $i -ge $max ] && return 1
		sleep 0.1; i=$((i + 1))
	done
	return 0
}
