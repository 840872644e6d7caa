#!/bin/sh
# Programs that send faster than they read are held back, never
# disconnected, with this project's libcpg and with Debian's unchanged one:
# (a) a flood from one thread beside cpg_dispatch(CS_DISPATCH_BLOCKING) in
# another, 64 B to 1 MB messages, nothing lost, order checked, also with a
# deliver callback slow enough to fall behind for certain (1 KiB and up);
# (b) ~1 MiB messages with one cpg_dispatch(CS_DISPATCH_ALL) per send;
# (c) a member that never reads is still closed, alone, and the others keep
# a third of their rate (cpgflood stuck: the median over five members of
# the rate beside each against the rate alone just before and after it).
# The daemon's memory stays bounded throughout.
#
# CPGD_FLOOD_SECONDS (default 1) is the time of each run of (a), two per
# size, and the least time of (b); CPGD_FLOOD_MIB (default 200) the least
# that (b) sends.  The soak: CPGD_FLOOD_SECONDS=60 CPGD_FLOOD_MIB=2048.
. "$top_srcdir/tests/harness.sh"
h_init
secs=${CPGD_FLOOD_SECONDS:-1}
mib=${CPGD_FLOOD_MIB:-200}
OURS="$top_builddir/tests/ipc/cpgflood"
SYS="$top_builddir/tests/ipc/cpgflood_sys"

# Debian's library, pinned by the path its package installed
deb=$(dpkg -L libcpg4 2>/dev/null | grep '/libcpg\.so\.4$' | head -n 1)
[ -n "$deb" ] || { h_log "SKIP: Debian's libcpg4 is not installed"; exit 77; }
debdir=$(dirname "$deb")
got=$(LD_LIBRARY_PATH="$debdir" ldd "$SYS" | sed -n 's/.*libcpg\.so\.4 => \([^ ]*\).*/\1/p')
[ "$(readlink -f "$got")" = "$(readlink -f "$deb")" ] \
	|| h_fail "cpgflood_sys loads libcpg from '$got', not Debian's $deb"

# The daemon's resident memory may grow by the 64 MiB event bound of one
# connection, the backlog and libqb's rings; AddressSanitizer's quarantine
# and redzones come on top (as in misbehave.sh).
bound=160
ldd "$top_builddir/daemon/cpgd" | grep -q libasan && bound=$((160 + 256 + 64))

# run NS DAEMON_PID LABEL CMD...: run a client, check the daemon stays up
# and within the memory bound; with FC=1, a client that was held back must
# have seen cpg_flow_control_state_get() say so.
run() {
	local ns="$1" dpid="$2" label="$3" log rss0 max cpid rc holds0
	shift 3
	log="$H_TMP/$label.out"
	rss0=$(h_rss_kib "$dpid")
	holds0=$(grep -c "holding the senders back" "$dlog")
	h_in "$ns" env LD_LIBRARY_PATH="${LDLP:-}" "$@" >"$log" 2>&1 &
	cpid=$!
	h_peak_rss "$dpid" "$cpid"
	max=$H_PEAK_RSS
	wait "$cpid"; rc=$?
	cat "$log"
	[ $rc = 0 ] || h_fail "$label failed"
	h_alive "$dpid"
	h_log "$label: daemon RSS $rss0 KiB, at most $max KiB"
	[ $((max - rss0)) -le $((bound * 1024)) ] \
		|| h_fail "$label: the daemon grew by $((max - rss0)) KiB, over $bound MiB"
	if [ "${FC:-0}" = 1 ] &&
	   [ "$(grep -c "holding the senders back" "$dlog")" -gt "$holds0" ]; then
		grep -q "flow control seen on: yes" "$log" \
			|| h_fail "$label: held back, but the flow-control state never said so"
	fi
}

for lib in ours sys; do
	ns=$(h_ns_new "bp$lib")
	if [ $lib = ours ]; then
		# our library knows the flow-control event: it must say "on"
		h_start_cpgd "$ns" "bp$lib" --flow-events
		prog=$OURS FC=1 LDLP=
	else
		h_start_cpgd "$ns" "bp$lib"
		prog=$SYS FC=0 LDLP=$debdir
	fi
	dpid=$H_LAST_PID
	dlog="$H_LAST_DIR/cpgd.log"
	for size in 64 1024 16384 262144 1000000; do
		run "$ns" "$dpid" "flood-$lib-$size" "$prog" flood $size "$secs"
		# the same with a reader that is slower than the sender for
		# certain: it must be held back, not disconnected (not for
		# 64 B: 8 MiB of them take long to read that slowly)
		[ $size = 64 ] && continue
		run "$ns" "$dpid" "slowflood-$lib-$size" env \
			CPGFLOOD_READ_DELAY_US=$((20 + size / 250)) \
			"$prog" flood $size "$secs"
	done
	run "$ns" "$dpid" "alldispatch-$lib" "$prog" alldispatch 1044480 "$mib" "$secs"
	if grep -q "closing connection" "$dlog"; then
		grep "closing connection" "$dlog" >&2
		h_fail "$lib: a client that reads was disconnected"
	fi
	grep -q "holding the senders back" "$dlog" \
		|| h_fail "$lib: no connection ever held the senders back"
	# (c): five members that never read, one after the other; each is
	# closed, and only they are
	fc=$FC FC=0
	run "$ns" "$dpid" "stuck-$lib" "$prog" stuck 5
	FC=$fc
	[ "$(grep -c "client does not read its events" "$dlog")" = 5 ] \
		|| h_fail "$lib: not each of the 5 members that never read was closed"
	[ "$(grep -c "closing connection" "$dlog")" = 5 ] \
		|| h_fail "$lib: more than the stuck members were closed"
	h_in "$ns" "$top_builddir/tests/ipc/cpgtest" basic || h_fail "basic after $lib"
done
exit 0
