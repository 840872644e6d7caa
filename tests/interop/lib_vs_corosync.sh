# Our libcpg.so.4 against a real corosync 3.1.x (Debian's package), started
# single-node inside a network and mount namespace of its own.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/interop/corosync_harness.sh"
. "$top_srcdir/tests/debian_files.sh"

h_init
c_have_corosync
check="$top_builddir/tests/interop/cpg_api_check"

ns=$(h_ns_new corosync)

# the client must really run with the library built here
lib=$(h_in "$ns" "$check" --which) || h_fail "cpg_api_check --which"
case "$lib" in
"$top_builddir"/lib/.libs/libcpg.so*) ;;
*) h_fail "cpg_api_check runs with $lib, not this tree's libcpg" ;;
esac

h_in "$ns" "$check" --no-daemon || h_fail "initialize without a daemon"

c_start_corosync "$ns" corosync
c_wait_ready "$ns" 20 "$check" --probe

h_in "$ns" "$check" -n 1 -g "interop-$$" 2>"$H_TMP/check.err"
rc=$?
# the library never writes to stderr (nor does the check client)
if [ -s "$H_TMP/check.err" ]; then
	cat "$H_TMP/check.err" >&2
	h_log "something wrote to stderr"
	rc=1
fi

# the checks themselves, against corosync's own library (which survives
# neither the bad-argument nor the thread checks: -R)
if [ $rc -eq 0 ]; then
	ref="$top_builddir/tests/interop/cpg_api_check_ref"
	# Debian's by package, not by place: after a `make install` ours
	# would be found first, in /usr/local/lib
	reflib=$(h_in "$ns" "$ref" --which) || h_fail "cpg_api_check_ref --which"
	deb_owned libcpg4 "$reflib" ||
		h_fail "cpg_api_check_ref does not run with Debian's libcpg: $DEB_WHY"
	h_in "$ns" "$ref" -R -n 1 -g "interop-ref-$$"
	rc=$?
fi

# drop-in: that binary, linked against corosync's libcpg, runs unchanged
# on this tree's library (all checks, as it no longer crashes on them)
if [ $rc -eq 0 ]; then
	ours="$top_builddir/lib/.libs"
	case "$(h_in "$ns" env LD_LIBRARY_PATH="$ours" "$ref" --which)" in
	"$ours"/libcpg.so*) ;;
	*) h_fail "LD_LIBRARY_PATH did not put this tree's libcpg first" ;;
	esac
	h_in "$ns" env LD_LIBRARY_PATH="$ours" "$ref" -n 1 -g "interop-dropin-$$"
	rc=$?
fi
# the example program of the README
if [ $rc -eq 0 ]; then
	h_in "$ns" "$top_builddir/examples/cpg_demo" "demo-$$" 3 >"$H_TMP/demo.out" 2>&1
	if [ $? -ne 0 ] || ! grep -q "received all 3 of our messages" "$H_TMP/demo.out" ||
	   [ "$(grep -c '^deliver' "$H_TMP/demo.out")" -ne 3 ]; then
		cat "$H_TMP/demo.out" >&2
		h_log "cpg_demo failed"
		rc=1
	fi
fi
# a client blocked in dispatch when the daemon goes away
if [ $rc -eq 0 ]; then
	h_in "$ns" "$check" -g "gone-$$" --until-gone >"$H_TMP/gone.out" 2>&1 &
	gone=$!
	i=0
	while ! grep -q '^ready' "$H_TMP/gone.out" && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
fi
c_stop_corosync "$C_LAST_PID"
if [ $rc -eq 0 ]; then
	i=0
	while kill -0 "$gone" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill -KILL "$gone" 2>/dev/null
	wait "$gone"
	grc=$?
	cat "$H_TMP/gone.out"
	if [ $grc -ne 0 ] || ! grep -q '^PASS: finalize without daemon' "$H_TMP/gone.out"; then
		h_log "client did not survive the daemon going away"
		rc=1
	fi
fi
if [ $rc -ne 0 ]; then
	h_log "corosync log:"
	cat "$C_LAST_DIR/corosync.log" >&2
	h_fail "cpg_api_check against corosync"
fi
exit 0
