# Requests of ids the CPG protocol does not define get the very answer a real
# corosync 3.1 gives (response id, size, error) and the connection carries on
# (a LOCAL_GET after them is served), on cpgd as on corosync.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/interop/corosync_harness.sh"

h_init
c_have_corosync
probe="$top_builddir/tests/interop/cpg_rawreq"
ids="13 14 17 18 99 1000 65536 0x7fffffff -1 -100"

ns=$(h_ns_new cpgd)
h_start_cpgd "$ns" cpgd
h_in "$ns" "$probe" $ids >"$H_TMP/cpgd.out" 2>&1 ||
	{ cat "$H_TMP/cpgd.out" >&2; h_fail "probe failed on cpgd"; }
h_alive "$H_LAST_PID"
h_stop_cpgd "$H_LAST_PID" || h_fail "cpgd did not stop"

cns=$(h_ns_new corosync)
c_start_corosync "$cns" corosync
c_wait_ready "$cns" 20 "$probe" 4
h_in "$cns" "$probe" $ids >"$H_TMP/corosync.out" 2>&1 ||
	{ cat "$H_TMP/corosync.out" >&2; h_fail "probe failed on corosync"; }
c_stop_corosync "$C_LAST_PID"

cat "$H_TMP/cpgd.out" >&2
diff "$H_TMP/corosync.out" "$H_TMP/cpgd.out" >&2 ||
	h_fail "cpgd answers unknown requests unlike corosync"
# what both must show, so that two daemons that close alike cannot pass
grep -q '^local_get: res 7 size 32 error 1$' "$H_TMP/cpgd.out" ||
	h_fail "the connection did not carry on"
[ "$(grep -c 'error 7$' "$H_TMP/cpgd.out")" = 10 ] ||
	h_fail "not every unknown id was answered CS_ERR_INVALID_PARAM"
exit 0
