#!/bin/sh
# cpgd refuses a configuration it cannot run with: the real daemon, started
# in a network namespace of its own (node 1's address of the cluster
# layout), must exit non-zero at once, before serving anything (no pid
# file), naming the file -- and the line, where one line is at fault:
#   a nodelist without this host (no address of it, no node of its name)
#   an explicit --nodeid that the nodelist lacks
#   a node id used twice                         file:LINE
#   a line that does not parse                   file:LINE
#   a '}' that closes nothing                    file:LINE
#   385 nodes, one more than the largest cluster  file:LINE, the limit
# and it starts with a nodelist of 65 nodes (more than the 64 that node
# sets once held).
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

h_init
ch_net_init 1 1
NS=$(ch_ns 1)
mkdir -p "$H_TMP/run" "$H_TMP/state"

# node N with address A, as nodelist lines
node() { printf '\tnode {\n\t\tnodeid: %s\n\t\tname: cpgd-refuse-n%s\n\t\tring0_addr: %s\n\t}\n' "$1" "$1" "$2"; }
conf_head() { printf 'totem {\n\tversion: 2\n\tcluster_name: t\n\tcrypto_cipher: none\n\tcrypto_hash: none\n}\n'; }

# refuse NAME EXPECTED-REGEX [cpgd args]: cpgd with $H_TMP/NAME.conf must
# exit non-zero within 10 s with a message matching the regex on stderr
refuse() {
	local name="$1" re="$2" conf="$H_TMP/$1.conf" rc; shift 2
	rm -f "$H_TMP/run/cpgd.pid"
	timeout 10 ip netns exec "$NS" "$top_builddir/daemon/cpgd" -f \
		--run-dir "$H_TMP/run" --state-dir "$H_TMP/state" -c "$conf" "$@" \
		>"$H_TMP/$name.out" 2>&1
	rc=$?
	[ "$rc" = 124 ] && h_fail "$name: cpgd still running after 10 s"
	[ "$rc" != 0 ] || h_fail "$name: cpgd exited 0"
	[ -e "$H_TMP/run/cpgd.pid" ] && h_fail "$name: cpgd wrote its pid file"
	grep -q -- "$re" "$H_TMP/$name.out" ||
		h_fail "$name: exit $rc without a message like '$re': $(cat "$H_TMP/$name.out")"
	h_log "$name: exit $rc: $(head -n 1 "$H_TMP/$name.out")"
}

# our address is 10.213.0.1; the nodelist has only .2 and .3
{ conf_head; echo "nodelist {"; node 2 10.213.0.2; node 3 10.213.0.3; echo "}"; } >"$H_TMP/notme.conf"
refuse notme "^cpgd: $H_TMP/notme.conf: no node has an address of this host"
refuse notme "^cpgd: $H_TMP/notme.conf: nodeid 9 is not in the nodelist" --nodeid 9

# node id 2 twice (the second such node block starts at line 18)
{ conf_head; echo "nodelist {"; node 1 10.213.0.1; node 2 10.213.0.2; node 2 10.213.0.3; echo "}"; } >"$H_TMP/dup.conf"
refuse dup "^cpgd: $H_TMP/dup.conf:18: nodeid 2 is already used by the node at line 13"

# a key without its colon, line 3
printf 'totem {\n\tversion: 2\n\tcluster_name t\n}\n' >"$H_TMP/parse.conf"
{ echo "nodelist {"; node 1 10.213.0.1; echo "}"; } >>"$H_TMP/parse.conf"
refuse parse "^cpgd: $H_TMP/parse.conf:3: "

# one '}' too many, at the last line (14)
{ conf_head; echo "nodelist {"; node 1 10.213.0.1; echo "}"; echo "}"; } >"$H_TMP/brace.conf"
refuse brace "^cpgd: $H_TMP/brace.conf:14: "

# 385 nodes: this one and 384 others (addresses past the /24 are never
# used: the file is refused while it is read); the 385th node block starts
# at line 8 + 384 * 5
nodes() {
	local n=1
	while [ "$n" -le "$1" ]; do
		if [ "$n" -le 250 ]; then
			node "$n" "10.213.0.$n"
		else
			node "$n" "10.213.1.$((n - 250))"
		fi
		n=$((n + 1))
	done
}
{ conf_head; echo "nodelist {"; nodes 385; echo "}"; } >"$H_TMP/big.conf"
refuse big "^cpgd: $H_TMP/big.conf:$((8 + 384 * 5)): more than 384 nodes: cpgd supports clusters of at most 384 nodes"

# 65 nodes start (node 1 is this one, the others never answer)
{ conf_head; echo "nodelist {"; nodes 65; echo "}"; } >"$H_TMP/n65.conf"
h_start_cpgd "$NS" n65 -c "$H_TMP/n65.conf"
grep -q "more than\|ERROR\|error" "$H_LAST_DIR/cpgd.log" &&
	h_fail "n65: $(cat "$H_LAST_DIR/cpgd.log")"
# stopping takes knet a while per peer (several seconds for 64 peers
# under a sanitizer): up to 60 s here, and exit 0
kill -TERM "$H_LAST_PID"
i=0
while kill -0 "$H_LAST_PID" 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1; i=$((i + 1))
done
kill -0 "$H_LAST_PID" 2>/dev/null && h_fail "n65: cpgd still running 60 s after SIGTERM"
wait "$H_LAST_PID" || h_fail "n65: cpgd exited $? on SIGTERM: $(tail -n 5 "$H_LAST_DIR/cpgd.log")"
H_PIDS=$(echo "$H_PIDS" | sed "s/\b$H_LAST_PID\b//")
h_log "n65: started with 65 nodes, stopped in $((i / 10)).$((i % 10)) s"

# and the same daemon starts with a good file (the refusals are not a
# broken set-up)
{ conf_head; echo "nodelist {"; node 1 10.213.0.1; node 2 10.213.0.2; echo "}"; } >"$H_TMP/good.conf"
h_start_cpgd "$NS" good -c "$H_TMP/good.conf"
h_stop_cpgd "$H_LAST_PID" || h_fail "good: cpgd did not stop cleanly"
exit 0
