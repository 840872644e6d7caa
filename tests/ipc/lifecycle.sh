#!/bin/sh
# cpgd's life: options, two daemons in two namespaces at once, one per
# namespace, ring sequence kept across restarts, SIGTERM closes clients'
# connections and removes the pid file.
. "$top_srcdir/tests/harness.sh"
h_init
CPGD="$top_builddir/daemon/cpgd"
CPGTEST="$top_builddir/tests/ipc/cpgtest"

"$CPGD" -h >/dev/null || h_fail "-h"
"$CPGD" -v | grep -q '^cpgd ' || h_fail "-v"
"$CPGD" --no-such-option 2>/dev/null && h_fail "a bad option was accepted"
"$CPGD" -f -l loud 2>/dev/null && h_fail "a bad log level was accepted"
"$CPGD" -f -n 0 2>/dev/null && h_fail "node id 0 was accepted"

ns1=$(h_ns_new one)
ns2=$(h_ns_new two)
h_start_cpgd "$ns1" one -n 7
p1=$H_LAST_PID
h_start_cpgd "$ns2" two
p2=$H_LAST_PID
h_in "$ns1" "$CPGTEST" errors || h_fail "daemon one"
h_in "$ns2" "$CPGTEST" basic || h_fail "daemon two"

# a second daemon in the same namespace cannot take the service
mkdir -p "$H_TMP/dup/run" "$H_TMP/dup/state"
h_conf_single 7 "$H_TMP/dup/cpgd.conf"
# (it must exit on its own with an error: timeout's 124 means it kept
# running, above 124 that it died of a signal (an abort is no refusal), and
# the log must say why it stopped)
h_in "$ns1" timeout 10 "$CPGD" -f -c "$H_TMP/dup/cpgd.conf" \
	--run-dir "$H_TMP/dup/run" --state-dir "$H_TMP/dup/state" \
	>"$H_TMP/dup.log" 2>&1
rc=$?
case $rc in
0) h_fail "a second cpgd in one namespace started and exited 0" ;;
124) cat "$H_TMP/dup.log" >&2; h_fail "a second cpgd in one namespace kept running" ;;
12[5-9]|1[3-9][0-9]|2[0-9][0-9]) cat "$H_TMP/dup.log" >&2; h_fail "the second cpgd crashed (exit $rc) instead of refusing" ;;
esac
grep -q 'cannot serve IPC "cpg": Address already in use' "$H_TMP/dup.log" ||
	{ cat "$H_TMP/dup.log" >&2; h_fail "the second cpgd (exit $rc) did not say the service was taken"; }
[ -e "$H_TMP/dup/run/cpgd.pid" ] && h_fail "the refused daemon left a pid file"

# SIGTERM: a joined client sees its connection close
h_in "$ns2" "$CPGTEST" hold held >"$H_TMP/hold.out" 2>&1 &
hp=$!
h_wait_grep "$H_TMP/hold.out" '^joined' 10 || h_fail "hold did not join"
h_stop_cpgd "$p2" || h_fail "cpgd did not stop cleanly on SIGTERM"
i=0
while kill -0 $hp 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $hp 2>/dev/null && h_fail "client not told that the daemon stopped"
grep -q '^closed' "$H_TMP/hold.out" || h_fail "client did not see the close"
[ -e "$H_TMP/two/run/cpgd.pid" ] && h_fail "pid file left behind"

# restart: the ring sequence goes on from where it was
seq1=$(cat "$H_TMP/two/state/ring-seq")
h_start_cpgd "$ns2" two
seq2=$(cat "$H_TMP/two/state/ring-seq")
[ "$seq2" -gt "$seq1" ] || h_fail "ring sequence went from $seq1 to $seq2"
h_in "$ns2" "$CPGTEST" model || h_fail "model after restart"
h_stop_cpgd "$H_LAST_PID" || h_fail "second stop"
h_alive "$p1"
