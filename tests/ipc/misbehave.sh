#!/bin/sh
# Misbehaving clients: a tight connect/disconnect loop, a sender killed in
# the middle of a fragmented message, one member that never reads while two
# others keep their rate (and the daemon's memory stays within the 64 MiB
# event queue bound of cpgd(8), with room for the allocator), and 2,000
# clients at once.  The daemon stays up and serves a library client after.
. "$top_srcdir/tests/harness.sh"
h_init
HOSTILE="$top_builddir/tests/ipc/hostile"
# 2,000 clients need more descriptors than the usual 1,024, in the daemon
# (one per connection) and in the client
h_need_files 8192
ns=$(h_ns_new misbehave)
h_start_cpgd "$ns" misbehave
pid=$H_LAST_PID
h_in "$ns" "$HOSTILE" connloop 300 || h_fail "connect loop"
h_alive "$pid"
h_in "$ns" "$HOSTILE" fragkill || h_fail "sender killed mid-message"
h_alive "$pid"
# AddressSanitizer keeps up to 256 MiB of freed memory in quarantine, and
# its redzones and shadow grow every allocation: the bound is for the
# allocator cpgd normally runs with
bound=96
ldd "$top_builddir/daemon/cpgd" | grep -q libasan && bound=$((96 + 256 + 64))
h_in "$ns" "$HOSTILE" stuck "$pid" "$bound" || h_fail "stuck member"
h_alive "$pid"
grep -q "client does not read its events" "$H_LAST_DIR/cpgd.log" \
	|| h_fail "the stuck member was not closed and logged"
h_in "$ns" "$HOSTILE" many 2000 || h_fail "2000 clients"
h_alive "$pid"
h_in "$ns" "$top_builddir/tests/ipc/cpgtest" basic || h_fail "basic after abuse"
n=$(ls /proc/"$pid"/fd | wc -l)
[ "$n" -lt 40 ] || h_fail "the daemon holds $n descriptors after every client left"
exit 0
