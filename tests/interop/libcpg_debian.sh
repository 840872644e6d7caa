#!/bin/sh
# Interop (a): a program linked against Debian's unchanged libcpg, run
# against cpgd: every API scenario and concurrent members.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/ipc/scenarios.sh"
h_init
CPGTEST="$top_builddir/tests/interop/cpgtest_sys"
. "$top_srcdir/tests/debian_files.sh"
lib=$(ldd "$CPGTEST" | sed -n 's/.*libcpg\.so\.4 => \([^ ]*\).*/\1/p')
[ -n "$lib" ] || h_fail "cpgtest_sys is not linked with libcpg.so.4"
# Debian's by package, not by place: after a `make install` ours would be
# found first, in /usr/local/lib
deb_owned libcpg4 "$lib" || h_fail "cpgtest_sys does not run with Debian's libcpg: $DEB_WHY"
# Not "threads": Debian's libcpg does not serialise concurrent sends on one
# handle, so under load two threads' requests interleave in libqb's shared
# ring and cpgd rightly closes the connection ("request header does not
# match its length").  Our library locks per handle; tests/ipc runs it.
ipc_api_scenarios basic errors model zcb dispatch procdown
ns=$(h_ns_new deb)
h_start_cpgd "$ns" deb
ipc_members "$ns" deb 3 3 100 2000
# Debian's library reassembles per connection: two large senders at once
# work because cpgd hands each message to a connection in one piece
ipc_members "$ns" debbig 3 2 3 2500000
