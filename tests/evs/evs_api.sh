#!/bin/sh
# Every libevs call and error code, overlapping groups, a non-member sender,
# EVS and CPG interleaved and fragmented messages, against a real cpgd.
. "$top_srcdir/tests/harness.sh"
h_init
EVSTEST="$top_builddir/tests/evs/evstest"
ns=$(h_ns_new evs)
h_start_cpgd "$ns" evs
for s in api overlap large; do
	h_log "scenario $s"
	h_in "$ns" "$EVSTEST" "$s" || h_fail "scenario $s"
	h_alive "$H_LAST_PID"
done
