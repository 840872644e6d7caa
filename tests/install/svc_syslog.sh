#!/bin/sh
# Logging to syslog as the logging section says: cpgd runs in a mount
# namespace of its own whose /dev is a fresh tmpfs (null, zero, urandom and
# shm bound in from the real one) with the test's datagram socket
# (notify_listen) as /dev/log, so nothing reaches the machine's syslog.
#   1. syslog_facility local3, syslog_priority notice: "<157>" (local3 =
#      19 * 8, notice = 5) on the "serving" line, with ident cpgd[pid];
#      no info lines;
#   2. SIGHUP with syslog_facility local5 and syslog_priority warning:
#      a warning arrives as "<172>" (21 * 8 + 4), notice lines no more;
#   3. SIGHUP with to_syslog no: nothing more arrives.
. "$top_srcdir/tests/harness.sh"

LISTEN="$top_builddir/tests/install/notify_listen"

h_init
h_need "$LISTEN"
command -v unshare >/dev/null 2>&1 || { h_log "SKIP: no unshare (util-linux)"; exit 77; }
NS=$(h_ns_new syslog)
C="$H_TMP/c.conf"
OUT="$H_TMP/syslog.out"
D="$H_TMP/d"
mkdir -p "$D/run" "$D/state" "$H_TMP/olddev"
: >"$OUT"

conf() {
	h_conf_single 1 "$C"
	{ echo "logging {"; for l in "$@"; do echo "	$l"; done; echo "}"; } >>"$C"
}
conf "to_stderr: yes" "to_syslog: yes" "syslog_facility: local3" "syslog_priority: notice"

# the whole mount set-up happens in the new mount namespace only
ip netns exec "$NS" unshare -m --propagation private sh -c '
	set -e
	mount --rbind /dev "$1/olddev"
	mount -t tmpfs -o mode=0755 cpgd-test-dev /dev
	for f in null zero random urandom; do
		touch "/dev/$f"; mount --bind "$1/olddev/$f" "/dev/$f"
	done
	mkdir /dev/shm; mount --bind "$1/olddev/shm" /dev/shm
	"$2" /dev/log "$3" &
	echo $! >"$1/listen.pid"
	i=0; while [ ! -S /dev/log ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	exec "$4" -f -c "$5" --run-dir "$1/d/run" --state-dir "$1/d/state"
' sh "$H_TMP" "$LISTEN" "$OUT" "$top_builddir/daemon/cpgd" "$C" >"$D/cpgd.log" 2>&1 &
H_PIDS="$H_PIDS $!"
h_wait_file "$D/run/cpgd.pid" 10 || { cat "$D/cpgd.log" >&2; h_fail "cpgd did not start"; }
PID=$(cat "$D/run/cpgd.pid")
H_PIDS="$H_PIDS $PID $(cat "$H_TMP/listen.pid")"

# 1.
h_wait_grep "$OUT" "serving" 5 || { cat "$OUT" "$D/cpgd.log" >&2; h_fail "no serving line through syslog"; }
grep -q "^pid=$PID <157>.* cpgd\[$PID\]: \[main\] cpgd .* serving" "$OUT" ||
	{ cat "$OUT" >&2; h_fail "serving line not <157> (local3.notice) from cpgd[$PID]"; }
grep -q "info: server name" "$D/cpgd.log" || h_fail "stderr lacks the info lines (logfile_priority info)"
grep -q "server name" "$OUT" && h_fail "info lines through syslog at syslog_priority notice"

# 2.
conf "to_stderr: yes" "to_syslog: yes" "syslog_facility: local5" "syslog_priority: warning" \
	"logger_subsys {" "	subsys: NOSUCH" "	debug: on" "}"
lines=$(wc -l <"$OUT")
kill -HUP "$PID"
h_wait_grep "$OUT" "logger_subsys NOSUCH" 5 || { cat "$OUT" >&2; h_fail "no warning through syslog after SIGHUP"; }
grep -q "^pid=$PID <172>.*\[config\] logger_subsys NOSUCH" "$OUT" ||
	{ cat "$OUT" >&2; h_fail "warning not <172> (local5.warning)"; }
h_wait_grep "$D/cpgd.log" "SIGHUP: logging section" 5 || h_fail "no SIGHUP line on stderr"
tail -n +$((lines + 1)) "$OUT" | grep -q "SIGHUP: logging section" &&
	h_fail "a notice line through syslog at syslog_priority warning"

# 3.
conf "to_stderr: yes" "to_syslog: no"
lines=$(wc -l <"$OUT")
kill -HUP "$PID"
h_wait_grep "$D/cpgd.log" "SIGHUP: .*applied.*" 5 || h_fail "no SIGHUP line"
i=0
while [ "$(grep -c "SIGHUP: logging section" "$D/cpgd.log")" -lt 2 ]; do
	[ $i -gt 50 ] && h_fail "second SIGHUP not applied"
	sleep 0.1; i=$((i + 1))
done
kill -TERM "$PID"
h_wait_gone "$PID" 10 || h_fail "cpgd did not stop"
[ "$(wc -l <"$OUT")" = "$lines" ] || { cat "$OUT" >&2; h_fail "syslog lines after to_syslog: no"; }
exit 0
