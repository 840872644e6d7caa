#!/bin/sh
# Every libcpg call and every error code a library sees, against a real cpgd.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/ipc/scenarios.sh"
h_init
CPGTEST="$top_builddir/tests/ipc/cpgtest"
ipc_api_scenarios
