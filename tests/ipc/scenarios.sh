# Shared by tests/ipc and tests/interop: run cpgtest scenarios built against
# one libcpg ($CPGTEST) against a fresh cpgd.  Sourced after harness.sh.

# ipc_api_scenarios [SCENARIO...]: every API call and the errors a library
# can see (by default all scenarios).
ipc_api_scenarios() {
	local ns s list="${*:-basic errors model zcb dispatch threads procdown}"
	ns=$(h_ns_new api)
	h_start_cpgd "$ns" api
	for s in $list; do
		h_log "scenario $s"
		h_in "$ns" "$CPGTEST" "$s" || h_fail "scenario $s"
		h_alive "$H_LAST_PID"
	done
}

# ipc_members NS GROUP N SENDERS MSGS SIZE: N members at once; all must
# print the same digest of the delivery order.
ipc_members() {
	local ns="$1" g="$2" n="$3" s="$4" m="$5" size="$6" i pids=""
	for i in $(seq 1 "$n"); do
		h_in "$ns" "$CPGTEST" member "$g" "$n" "$s" "$m" "$size" \
			>"$H_TMP/$g.$i.out" 2>"$H_TMP/$g.$i.err" &
		pids="$pids $!"
	done
	for i in $pids; do
		wait "$i" || { cat "$H_TMP/$g".*.err >&2; h_fail "a member of $g failed"; }
	done
	[ "$(cat "$H_TMP/$g".*.out | sort -u | wc -l)" = 1 ] || {
		cat "$H_TMP/$g".*.out >&2
		h_fail "members of $g saw different delivery orders"
	}
	grep -q " $((s * m))\$" "$H_TMP/$g.1.out" || h_fail "wrong message count in $g"
}
