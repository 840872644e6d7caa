# Every row of the argument-check table of cpg_overview(8), run with this
# tree's libcpg and with Debian's (corosync 3.1's) on cpgd and on a real
# corosync; and an unchanged corosync program (model field 0) on both.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/interop/corosync_harness.sh"

h_init
c_have_corosync
probe="$top_builddir/tests/interop/cpg_argcheck"
ours="$top_builddir/lib/.libs/libcpg.so.4"
# Debian's library by the package's own path, never one that a search
# path (/usr/local first) would find
deb=$(dpkg -L libcpg4 2>/dev/null | grep '/libcpg\.so\.4$' | head -n 1)
if [ -z "$deb" ] || [ ! -e "$deb" ]; then
	h_log "SKIP: Debian's libcpg4 is not installed"
	exit 77
fi
[ -e "$ours" ] || h_fail "no $ours: build the library first"

# linked programs: ours must run with this tree's library, the reference
# with Debian's
which_lib() {
	ldd "$1" | sed -n 's/.*libcpg\.so\.4 => \([^ ]*\).*/\1/p'
}
model0="$top_builddir/tests/interop/cpg_model0"
model0_ref="$top_builddir/tests/interop/cpg_model0_ref"
for p in "$model0_ref" "$top_builddir/tests/interop/cpg_api_check_ref"; do
	case "$(which_lib "$p")" in
	/lib/*|/usr/lib/*) ;;
	*) h_fail "${p##*/} uses libcpg from '$(which_lib "$p")'" ;;
	esac
done
# (cpg_model0 is libtool's wrapper: ask libtool to run ldd as it would run it)
case "$("$top_builddir/libtool" --mode=execute ldd "$model0" | sed -n 's/.*libcpg\.so\.4 => \([^ ]*\).*/\1/p')" in
"$top_builddir"/lib/.libs/libcpg.so*) ;;
*) h_fail "cpg_model0 does not run with this tree's libcpg" ;;
esac

rc=0
# run_table NS DAEMON: the table with both libraries
run_table() {
	local ns="$1" daemon="$2"
	h_log "table: this tree's libcpg on $daemon"
	h_in "$ns" "$probe" "$ours" >"$H_TMP/ours-$daemon.out" 2>&1 || rc=1
	grep -v '^PASS' "$H_TMP/ours-$daemon.out" >&2
	h_log "table: Debian's libcpg on $daemon"
	h_in "$ns" "$probe" --ref "$deb" >"$H_TMP/deb-$daemon.out" 2>&1 || rc=1
	grep -v '^PASS' "$H_TMP/deb-$daemon.out" >&2
	# both ran the library they were given
	grep -q "^library $(readlink -f "$ours")\$\|^library $ours\$" \
		"$H_TMP/ours-$daemon.out" || { h_log "ours: wrong library"; rc=1; }
	grep -q "^library $deb (reference)\$" "$H_TMP/deb-$daemon.out" ||
		{ h_log "Debian's: wrong library"; rc=1; }
}

# run_model0 NS DAEMON: the unchanged program, with this tree's library
# (the point) and with Debian's (the program is right for corosync's)
run_model0() {
	local ns="$1" daemon="$2" p
	for p in "$model0" "$model0_ref"; do
		if ! h_in "$ns" "$p" "model0-$daemon-$$" >"$H_TMP/m0.out" 2>&1 ||
		   ! grep -q '^delivered$' "$H_TMP/m0.out"; then
			cat "$H_TMP/m0.out" >&2
			h_log "FAIL: ${p##*/} (model field 0) on $daemon"
			rc=1
		else
			h_log "PASS: ${p##*/} (model field 0) on $daemon"
		fi
	done
}

ns=$(h_ns_new cpgd)
h_start_cpgd "$ns" cpgd
run_table "$ns" cpgd
run_model0 "$ns" cpgd
h_alive "$H_LAST_PID"
h_stop_cpgd "$H_LAST_PID" || h_fail "cpgd did not stop"

# finalize once the daemon is gone: the handle goes, the lost connection
# is reported (CS_ERR_LIBRARY), with either library
check="$top_builddir/tests/interop/cpg_api_check"
for c in "$check" "${check}_ref"; do
	out="$H_TMP/gone-${c##*/}.out"
	h_start_cpgd "$ns" "gone-${c##*/}"
	h_in "$ns" "$c" -g "gone-$$" --until-gone >"$out" 2>&1 &
	gone=$!
	h_wait_grep "$out" '^ready' 10 || h_fail "${c##*/} not ready"
	h_stop_cpgd "$H_LAST_PID" || h_fail "cpgd did not stop"
	wait "$gone" || rc=1
	grep -v '^PASS' "$out" >&2
	grep -q '^PASS: finalized without daemon' "$out" ||
		{ h_log "FAIL: ${c##*/}: finalize without daemon"; rc=1; }
done

cns=$(h_ns_new corosync)
c_start_corosync "$cns" corosync
c_wait_ready "$cns" 20 "$model0_ref" "ready-$$"
run_table "$cns" corosync
run_model0 "$cns" corosync
kill -0 "$C_LAST_PID" 2>/dev/null || { h_log "corosync died"; rc=1; }
c_stop_corosync "$C_LAST_PID"

[ $rc = 0 ] || h_fail "argument checks differ from the table"
exit 0
