#!/bin/sh
# Logging as the configuration's logging section says, and again after
# SIGHUP:
#   1. to_logfile with timestamp hires: lines with the time to the
#      millisecond; to_stderr no: nothing on stderr; no debug lines;
#   2. SIGHUP after editing the section: a new logfile path, fileline, and
#      logger_subsys { subsys: IPC, debug: on }: the IPC layer's debug
#      lines appear (with file:line) in the new file only, no other
#      subsystem's debug lines; the old file gets nothing more; a log line
#      says the rest of the file is not applied;
#   3. the same path again after the file was moved away (rotation): SIGHUP
#      opens a new file; timestamp on: to the second; timestamp off;
#   4. an invalid file on SIGHUP: logging unchanged, cpgd runs on;
#   5. -l on the command line wins over the section; an unknown
#      logger_subsys is one warning; a single node with crypto off gets no
#      crypto warning;
#   6. cpgd detached (no -f) logs to its logfile.
. "$top_srcdir/tests/harness.sh"

MEMBER="$top_builddir/tests/tool/tool_member"

h_init
h_need "$MEMBER"
NS=$(h_ns_new log)
C="$H_TMP/c.conf"

# conf LOGGING-LINES...: a single node, node id 1, with this logging section
conf() {
	h_conf_single 1 "$C"
	{ echo "logging {"; for l in "$@"; do echo "	$l"; done; echo "}"; } >>"$C"
}
# member NAME: a client joins group NAME and leaves again
member() {
	ip netns exec "$NS" "$MEMBER" "$1" >"$H_TMP/member.$1" 2>&1 &
	h_wait_grep "$H_TMP/member.$1" "^joined " 10 || h_fail "member $1 did not join"
	kill -TERM "$(sed -n 's/^joined //p' "$H_TMP/member.$1")"
	wait $!
}
# hup PATTERN FILE: SIGHUP and wait for PATTERN in FILE
hup() {
	kill -HUP "$PID"
	h_wait_grep "$2" "$1" 5 || { cat "$2" "$H_TMP/log/cpgd.log" >&2; h_fail "after SIGHUP: no '$1' in $2"; }
}
no() { ! grep -q -e "$1" "$2" || { grep -e "$1" "$2" >&2; h_fail "$3"; }; }

D='[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'

# 1.
conf "to_stderr: no" "to_syslog: no" "to_logfile: yes" "logfile: $H_TMP/one.log" \
	"timestamp: hires"
h_start_cpgd "$NS" log -c "$C"
PID=$H_LAST_PID
h_wait_grep "$H_TMP/one.log" "\[main\] notice: cpgd .* serving" 5 || h_fail "no serving line in the logfile"
grep -q "^$D\.[0-9][0-9][0-9] \[main\] notice: cpgd .* serving" "$H_TMP/one.log" ||
	{ cat "$H_TMP/one.log" >&2; h_fail "logfile lines lack a hires timestamp"; }
no "serving" "$H_TMP/log/cpgd.log" "to_stderr: no, yet lines on stderr"
member a
no "debug:" "$H_TMP/one.log" "debug lines with debug off"

# 2.
conf "to_stderr: no" "to_syslog: no" "to_logfile: yes" "logfile: $H_TMP/two.log" \
	"fileline: on" "logger_subsys {" "	subsys: IPC" "	debug: on" "}"
hup "SIGHUP: logging section of .* applied; the other sections are not changed" "$H_TMP/two.log"
lines_one=$(wc -l <"$H_TMP/one.log")
member b
h_wait_grep "$H_TMP/two.log" "\[ipc\] debug: .*ipc_server\.c:[0-9]* connection from pid" 5 ||
	{ cat "$H_TMP/two.log" >&2; h_fail "no IPC debug line with file:line after SIGHUP"; }
no "\] debug:" "$(grep -v '\[ipc\] debug:' "$H_TMP/two.log" >"$H_TMP/rest"; echo "$H_TMP/rest")" \
	"debug lines of another subsystem than IPC"
[ "$(wc -l <"$H_TMP/one.log")" = "$lines_one" ] || h_fail "the old logfile still gets lines"

# 3.
mv "$H_TMP/two.log" "$H_TMP/two.log.1"
conf "to_stderr: no" "to_syslog: no" "to_logfile: yes" "logfile: $H_TMP/two.log" \
	"timestamp: on"
hup "SIGHUP: logging section" "$H_TMP/two.log"
grep -q "^$D \[main\] notice: SIGHUP" "$H_TMP/two.log" ||
	{ cat "$H_TMP/two.log" >&2; h_fail "timestamp on: not to the second"; }
member c
no "debug:" "$H_TMP/two.log" "IPC debug lines still there after logger_subsys went"
conf "to_stderr: yes" "to_syslog: no" "to_logfile: yes" "logfile: $H_TMP/two.log" \
	"timestamp: off"
hup "^\[main\] notice: SIGHUP: logging section" "$H_TMP/two.log"
grep -q "^\[main\] notice: SIGHUP: logging section" "$H_TMP/log/cpgd.log" ||
	h_fail "to_stderr: yes after SIGHUP: nothing on stderr"

# 4.
echo "totem {" >"$C"
hup "SIGHUP: .*; logging unchanged" "$H_TMP/two.log"
h_alive "$PID"
h_stop_cpgd "$PID" || h_fail "cpgd did not stop"

# 5.
conf "to_stderr: no" "to_syslog: no" "to_logfile: yes" "logfile: $H_TMP/five.log" \
	"debug: on" "logger_subsys {" "	subsys: NOSUCH" "	debug: on" "}"
h_start_cpgd "$NS" log -c "$C" -l warning
PID=$H_LAST_PID
h_wait_grep "$H_TMP/five.log" "\[config\] warning: logger_subsys NOSUCH: no such subsystem" 5 ||
	{ cat "$H_TMP/five.log" >&2; h_fail "no warning for an unknown logger_subsys"; }
[ "$(grep -c "logger_subsys NOSUCH" "$H_TMP/five.log")" = 1 ] || h_fail "not one warning for NOSUCH"
member d
no "notice:\|info:\|debug:" "$H_TMP/five.log" "-l warning, yet lines below warning"
no "crypto" "$H_TMP/five.log" "a crypto warning for a single node"
h_stop_cpgd "$PID" || h_fail "cpgd did not stop"

# 6.
conf "to_stderr: yes" "to_syslog: no" "to_logfile: yes" "logfile: $H_TMP/six.log"
rm -f "$H_TMP/log/run/cpgd.pid"
ip netns exec "$NS" "$top_builddir/daemon/cpgd" -c "$C" --run-dir "$H_TMP/log/run" \
	--state-dir "$H_TMP/log/state" >"$H_TMP/six.out" 2>&1 || h_fail "cpgd without -f failed"
h_wait_file "$H_TMP/log/run/cpgd.pid" 10 || h_fail "detached cpgd wrote no pid file"
PID=$(cat "$H_TMP/log/run/cpgd.pid")
H_PIDS="$H_PIDS $PID"
h_wait_grep "$H_TMP/six.log" "serving" 5 || h_fail "detached cpgd: nothing in its logfile"
[ -s "$H_TMP/six.out" ] && { cat "$H_TMP/six.out" >&2; h_fail "detached cpgd wrote to the terminal"; }
# not a child of this shell: h_stop_cpgd cannot wait for it
kill -TERM "$PID"
h_wait_gone "$PID" 10 || h_fail "detached cpgd did not stop"
grep -q "\[main\] notice: stopped" "$H_TMP/six.log" || h_fail "detached cpgd: no 'stopped' line"
exit 0
