#!/bin/sh
# cpgd-tool against a live cluster of three real cpgd daemons with two knet
# links each (tests/cluster/cluster_harness.sh), plain and --json output,
# the JSON checked with json_valid and jq:
#   - groups and members cluster-wide: four members in three groups on
#     three nodes, each listed on every node with its pid and node id;
#   - the ring: the same id on every node, members 1 2 3, this node marked;
#   - links: every node lists both links to both other nodes, enabled and
#     connected, with the addresses of the layout; a cut link shows as not
#     connected on the other nodes and comes back;
#   - counters: the same names plain and in JSON; a join on node 2 moves
#     node 2's sent_msgs and every node's delivered_msgs; the Totem packet
#     size is a whole number of the frames knet's path MTU discovery found;
#   - each node logs the warning for a cluster without crypto, once;
#   - SIGTERM on node 3: its member sees the connection close, and the
#     other nodes list neither node 3 in the ring nor its member.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

TOOL="$top_builddir/tools/cpgd-tool"
MEMBER="$top_builddir/tests/tool/tool_member"
JSONOK="$top_builddir/tests/tool/json_valid"
OUT="$H_TMP/out"

h_init
h_need "$TOOL" "$MEMBER" "$JSONOK" "$top_builddir/daemon/cpgd"
if ! command -v jq >/dev/null 2>&1; then
	h_log "SKIP: jq is not installed (scripts/deps.sh installs it)"
	exit 77
fi

fail() { cl_logs; h_fail "$*"; }
# tool N ARGS...: cpgd-tool on node N into $OUT
tool() {
	n_="$1"; shift
	h_in "$(ch_ns "$n_")" "$TOOL" "$@" >"$OUT" 2>"$H_TMP/err" ||
		{ cat "$H_TMP/err" >&2; fail "node $n_: cpgd-tool $* failed"; }
}
json() {
	tool "$@"
	"$JSONOK" <"$OUT" || { cat "$OUT" >&2; fail "node $1: invalid JSON from cpgd-tool $*"; }
	jq -e . <"$OUT" >/dev/null || fail "node $1: jq rejects the JSON of cpgd-tool $*"
}
# jqe N FILTER WHAT: the JSON in $OUT makes FILTER true
jqe() { jq -e "$2" <"$OUT" >/dev/null || { jq . <"$OUT" >&2; fail "node $1: $3"; }; }

ch_net_init 3 2
cl_conf "$H_TMP/c.conf" 3 2
for n in 1 2 3; do cl_start "$n" "$H_TMP/c.conf"; done
cl_wait_ring 3 30 || fail "no 3-node ring within 30 s"
cl_wait_links 3 2 20 || fail "not every link connected within 20 s"

# the crypto warning, once per node
for n in 1 2 3; do
	c=$(grep -c "warning: crypto_cipher and crypto_hash are none" "$H_TMP/node$n/cpgd.log")
	[ "$c" = 1 ] || fail "node $n: $c crypto warnings, want 1"
done

# members: g1 on nodes 1 and 2, g2 on node 2, g3 on node 3
: >"$H_TMP/want"
for m in 1:g1 2:g2 3:g3 2:g1; do
	n=${m%%:*}; g=${m#*:}
	f="$H_TMP/member.$n.$g"
	ip netns exec "$(ch_ns "$n")" "$MEMBER" "$g" >"$f" 2>&1 &
	H_PIDS="$H_PIDS $!"
	h_wait_grep "$f" "^joined " 10 || fail "member $g on node $n did not join"
	echo "$g $(sed -n 's/^joined //p' "$f") $n" >>"$H_TMP/want"
done
sort -o "$H_TMP/want" "$H_TMP/want"
M3=$(sed -n 's/^joined //p' "$H_TMP/member.3.g3")

# groups_on N: node N lists exactly $H_TMP/want, plain and JSON (joins
# spread through the ring: tried again for 10 s)
groups_once() {
	tool "$1" groups
	awk 'NR == 1 { next } /^[^ ]/ { g = $0; next } { print g, $1, $2 }' "$OUT" |
		sort >"$H_TMP/got"
	cmp -s "$H_TMP/want" "$H_TMP/got" || return 1
	json "$1" groups --json
	jqe "$1" '(.groups | length) == ([.groups[].name] | unique | length)' "a group listed twice"
	jq -r '.groups[] | .name as $g | .members[] | "\($g) \(.pid) \(.nodeid)"' <"$OUT" |
		sort >"$H_TMP/got"
	cmp -s "$H_TMP/want" "$H_TMP/got"
}
groups_on() {
	local i=0
	until groups_once "$1"; do
		[ $i -gt 50 ] && { diff "$H_TMP/want" "$H_TMP/got" >&2; fail "node $1: groups differ (plain or JSON)"; }
		sleep 0.2; i=$((i + 1))
	done
}
for n in 1 2 3; do groups_on "$n"; done
h_log "groups: ok"

# the ring: the same on every node, plain and JSON (tried again when a
# ring change on a loaded machine falls between two questions)
ring_ok() {
	local n m want
	json 1 ring --json
	RID=$(jq -r '"\(.ring.rep).\(.ring.seq)"' <"$OUT")
	for n in 1 2 3; do
		json "$n" ring --json
		jq -e ".ring.members == [1,2,3] and .ring.this_nodeid == $n" <"$OUT" >/dev/null || return 1
		[ "$(jq -r '"\(.ring.rep).\(.ring.seq)"' <"$OUT")" = "$RID" ] || return 1
		tool "$n" ring
		grep -q "^Ring ID: *$RID " "$OUT" || return 1
		grep -q "^This node ID: *$n$" "$OUT" || fail "node $n: plain ring: this node ID"
		grep -q "^Members: *3$" "$OUT" || fail "node $n: plain ring: member count"
		for m in 1 2 3; do
			if [ "$m" = "$n" ]; then want="^ *$m (this node)$"; else want="^ *$m$"; fi
			grep -q "$want" "$OUT" || { cat "$OUT" >&2; fail "node $n: plain ring lacks '$want'"; }
		done
	done
}
i=0
until ring_ok; do
	[ $i -gt 20 ] && { cat "$OUT" >&2; fail "the nodes do not show one ring id $RID, plain and JSON"; }
	sleep 0.5; i=$((i + 1))
done
h_log "ring: ok"

# links: LINE "peer link enabled connected" per node, plain and JSON agree
# and match the layout's addresses
links_ok() {
	local n="$1" expect="$2" m l
	# JSON form and addresses are checked every time
	json "$n" links --json
	for m in 1 2 3; do
		[ "$m" = "$n" ] && continue
		for l in 0 1; do
			jqe "$n" "[.links[] | select(.nodeid == $m) | .links[] | select(.link == $l)] | length == 1" \
				"not one entry for node $m link $l"
			jqe "$n" ".links[] | select(.nodeid == $m) | .links[] | select(.link == $l) |
				.enabled == true and
				.src == \"$(ch_addr "$n" "$l"):$((5405 + l))\" and
				.dst == \"$(ch_addr "$m" "$l"):$((5405 + l))\" and
				(.latency_us | type) == \"number\"" \
				"node $m link $l: enabled or addresses wrong"
		done
	done
	jqe "$n" "[.links[].nodeid] | sort == ([1,2,3] - [$n])" "links list other nodes than the two peers"
	jq -r '.links[] | .nodeid as $m | .links[] | "\($m) \(.link) \(.connected)"' <"$OUT" |
		sort >"$H_TMP/jlinks"
	tool "$n" links
	awk 'NR > 1 { print $1, $2, ($4 == "yes" ? "true" : "false") }' "$OUT" | sort >"$H_TMP/plinks"
	# (a link may change between the two calls: the caller tries again)
	cmp -s "$H_TMP/jlinks" "$H_TMP/plinks" && cmp -s "$expect" "$H_TMP/jlinks"
}
# links_wait N EXPECT WHAT: links_ok within 20 s
links_wait() {
	local i=0
	until links_ok "$1" "$2"; do
		[ $i -gt 100 ] && { cat "$H_TMP/jlinks" "$H_TMP/plinks" >&2; fail "node $1: $3"; }
		sleep 0.2; i=$((i + 1))
	done
}
for n in 1 2 3; do
	{ for m in 1 2 3; do [ "$m" = "$n" ] || printf '%s 0 true\n%s 1 true\n' "$m" "$m"; done; } >"$H_TMP/want.$n"
	links_wait "$n" "$H_TMP/want.$n" "links not all connected, or plain and JSON differ"
done
# node 3's link 1 cut at the switch: nodes 1 and 2 see it down, link 0 up
ch_link_down 3 1
sed 's/^3 1 true$/3 1 false/' "$H_TMP/want.1" >"$H_TMP/cut.1"
sed 's/^3 1 true$/3 1 false/' "$H_TMP/want.2" >"$H_TMP/cut.2"
for n in 1 2; do
	links_wait "$n" "$H_TMP/cut.$n" "the cut link is not shown down (plain and JSON) within 20 s"
done
ch_link_up 3 1
cl_wait_links 3 2 30 || fail "links not all connected again within 30 s"
h_log "links: ok"

# counters
for n in 1 2 3; do
	json "$n" counters --json
	jq -r '.counters | keys[]' <"$OUT" | sort >"$H_TMP/jnames"
	for c in delivered_msgs delivered_bytes configurations flow_blocked_events sent_msgs \
		sent_bytes packets_in packets_out token_rotation_us token_rotation_max_us \
		token_timeout_us net_tx_packets net_tx_bytes net_tx_dropped \
		net_rx_packets net_rx_bytes net_rx_dropped net_payload_mtu totem_mtu \
		totem_backlog_msgs totem_backlog_bytes; do
		grep -qx "$c" "$H_TMP/jnames" || fail "node $n: no counter $c in JSON"
	done
	jqe "$n" '[.counters[] | type == "number" and . >= 0] | all' "counters are not all numbers"
	jqe "$n" '.counters.packets_in > 0 and .counters.net_rx_packets > 0 and .counters.configurations >= 1' \
		"counters show no traffic"
	# the path MTU reaches the engine: whole frames, up to netmtu's
	# default less cpgd's header, 65524 (knet may still be measuring:
	# up to 10 s)
	mtu_ok='.counters.net_payload_mtu > 0 and .counters.totem_mtu % .counters.net_payload_mtu == 0 and .counters.totem_mtu <= 65524 and .counters.totem_mtu > 65524 - .counters.net_payload_mtu'
	i=0
	until jq -e "$mtu_ok" <"$OUT" >/dev/null; do
		[ $i -ge 100 ] && jqe "$n" "$mtu_ok" "the Totem MTU does not follow the path MTU"
		sleep 0.1; i=$((i + 1))
		json "$n" counters --json
	done
	h_log "node $n: $(jq -r '"frames of \(.counters.net_payload_mtu) bytes, Totem packets of \(.counters.totem_mtu)"' <"$OUT")"
	eval "D$n=\$(jq .counters.delivered_msgs <\"\$OUT\")"
	[ "$n" = 2 ] && S2=$(jq .counters.sent_msgs <"$OUT")
	tool "$n" counters
	awk 'NR > 1 { print $1 }' "$OUT" | sort | diff "$H_TMP/jnames" - >&2 ||
		fail "node $n: plain and JSON counter names differ"
	awk 'NR > 1 && $2 !~ /^[0-9]+$/ { exit 1 }' "$OUT" || fail "node $n: a plain counter is not a number"
done
ip netns exec "$(ch_ns 2)" "$MEMBER" g4 >"$H_TMP/member.2.g4" 2>&1 &
H_PIDS="$H_PIDS $!"
h_wait_grep "$H_TMP/member.2.g4" "^joined " 10 || fail "member g4 did not join"
for n in 1 2 3; do
	i=0
	while :; do
		json "$n" counters --json
		eval "d=\$D$n"
		jq -e ".counters.delivered_msgs > $d" <"$OUT" >/dev/null && break
		[ $i -gt 50 ] && fail "node $n: delivered_msgs stays $d after a join on node 2"
		sleep 0.1; i=$((i + 1))
	done
done
json 2 counters --json
jqe 2 ".counters.sent_msgs > $S2" "sent_msgs stays $S2 after a join on node 2"
# the token of a quiet three-node ring goes round far within 75 % of its
# timeout: no warning (svc_token.sh checks that one comes when it should)
for n in 1 2 3; do
	grep "token rotation took" "$H_TMP/node$n/cpgd.log" >&2 && fail "node $n: a token rotation warning"
done
h_log "counters: ok"

# node 3 stops: its member sees the connection close; nodes 1 and 2 drop
# node 3 and its member
h_stop_cpgd "$CL_PID_3" || fail "node 3: cpgd did not stop cleanly on SIGTERM"
h_wait_grep "$H_TMP/member.3.g3" "^closed$" 5 || fail "node 3's member did not see its connection close"
for n in 1 2; do
	i=0
	while :; do
		json "$n" --json
		jq -e ".ring.members == [1,2] and ([.groups[].members[] | select(.pid == $M3)] | length == 0) and
			([.groups[].name] | index(\"g3\") == null)" <"$OUT" >/dev/null && break
		[ $i -gt 100 ] && { jq . <"$OUT" >&2; fail "node $n: node 3 or its member still listed 20 s after it stopped"; }
		sleep 0.2; i=$((i + 1))
	done
done
h_log "node 3 stopped: ok"
exit 0
