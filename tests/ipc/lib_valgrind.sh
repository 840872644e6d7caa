#!/bin/sh
# The threaded library against a real cpgd under the valgrind tool of
# CPGD_VALGRIND_TOOL (make check-memcheck, make check-helgrind): cpgtest's
# scenarios with several threads on one handle, a blocking dispatcher,
# the basic calls and zero-copy buffers; helgrind checks the lock order of
# lib/cpg_inst.h and every shared field, memcheck every access and leak.
# Not in make check (slow); needs root for the namespace.
. "$top_srcdir/tests/harness.sh"
h_init
CPGD_VALGRIND_TOOL=${CPGD_VALGRIND_TOOL:-helgrind}
export CPGD_VALGRIND_TOOL
ns=$(h_ns_new libvg)
h_start_cpgd "$ns" libvg
for s in ${CPGD_VALGRIND_SCENARIOS:-threads dispatch basic zcb}; do
	h_log "scenario $s under $CPGD_VALGRIND_TOOL"
	h_in "$ns" sh "$top_srcdir/tests/valgrind.sh" \
		"$top_builddir/tests/ipc/cpgtest" "$s"
	rc=$?
	[ $rc = 77 ] && exit 77
	[ $rc = 0 ] || h_fail "scenario $s under $CPGD_VALGRIND_TOOL (exit $rc)"
	h_alive "$H_LAST_PID"
done
exit 0
