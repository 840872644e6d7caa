# Our libcpg.so.4 against a real corosync 3.1.x (Debian's package), started
# single-node inside a network and mount namespace of its own.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/interop/corosync_harness.sh"

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

h_in "$ns" "$check" -n 1 -g "interop-$$"
rc=$?
c_stop_corosync "$C_LAST_PID"
if [ $rc -ne 0 ]; then
	h_log "corosync log:"
	cat "$C_LAST_DIR/corosync.log" >&2
	h_fail "cpg_api_check against corosync"
fi
exit 0
