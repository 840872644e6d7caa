#!/bin/sh
# Interop (a): a program linked against Debian's unchanged libcpg, run
# against cpgd: every API scenario and concurrent members.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/ipc/scenarios.sh"
h_init
CPGTEST="$top_builddir/tests/interop/cpgtest_sys"
lib=$(ldd "$CPGTEST" | sed -n 's/.*libcpg\.so\.4 => \([^ ]*\).*/\1/p')
case "$lib" in
/lib/*|/usr/lib/*) ;;
*) h_fail "cpgtest_sys uses libcpg from '$lib', not the system's" ;;
esac
ipc_api_scenarios
ns=$(h_ns_new deb)
h_start_cpgd "$ns" deb
ipc_members "$ns" deb 3 3 100 2000
ipc_members "$ns" debbig 2 1 2 2500000
