#!/bin/sh
# CPG and EVS share one agreed order across three real daemons: with a CPG
# and an EVS sender on every node at once, each daemon's delivery trace
# (subsystems "cpg", "evs" and "order" at trace level), turned into a
# history, passes the checker with both services' messages interleaved in
# it, and each client's own deliveries are exactly that order's messages
# of its service.
#   EVMIX_COUNT: messages per sender (default 300)
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"
. "$top_srcdir/tests/evs/evs_lib.sh"

cl_init "$EV_CLIENT" "$CL_CLIENT" "$CL_CHECK"
count=${EVMIX_COUNT:-300}
ch_net_init 3 1
cl_conf "$H_TMP/c0.conf" 3 1
# the delivery traces of both services and the multiplexer's
# configuration trace
awk '{ print } /^logging \{/ { split("order cpg evs", sub_)
	for (i = 1; i <= 3; i++) {
		print "\tlogger_subsys {"; print "\t\tsubsys: " sub_[i]
		print "\t\tdebug: trace"; print "\t}" } }' "$H_TMP/c0.conf" >"$H_TMP/c.conf"
for n in 1 2 3; do cl_start "$n" "$H_TMP/c.conf"; done
cl_wait_ring 3 30 || { cl_logs; h_fail "no 3-node ring within 30 s"; }

# EVS senders (incarnation 2 in their msgids) wait for the go file and
# send as fast as flow control lets them; CPG senders (incarnation 1) wait
# for the group's three members and send 200 a second, so the EVS burst
# falls within their stream
pids=""
for n in 1 2 3; do
	ev_client "$n" 2 "$H_TMP/evs.$n" -G "$H_TMP/go" -c "$count" -s 100 -q 3000
	pids="$pids $EV_CPID"
done
ev_wait_joined "$H_TMP/evs.1" "$H_TMP/evs.2" "$H_TMP/evs.3"
for n in 1 2 3; do
	cl_client "$n" 1 "$H_TMP/cpg.$n" -g mix -w 3 -c "$count" -r 200 -s 64 -q 3000
	pids="$pids $CL_CPID"
done
# go once every CPG sender has its three members, so both services send
# at the same time
for n in 1 2 3; do
	h_wait_grep "$H_TMP/cpg.$n" "^# confchg .* members=[0-9:]*,[0-9:]*,[0-9:]* " 20 ||
		{ cl_logs; h_fail "the CPG client on node $n has no three members"; }
done
touch "$H_TMP/go"
n=1
for pid in $pids; do
	wait "$pid" || { cat "$H_TMP"/*.err >&2; cl_logs; h_fail "client $n exited $?"; }
	n=$((n + 1))
done
echo "$(cl_now) - end" >"$H_TMP/clients.end"
total=$((count * 3))
for n in 1 2 3; do
	for s in cpg evs; do
		got=$(grep -c " deliver " "$H_TMP/$s.$n")
		[ "$got" = "$total" ] || { cl_logs; h_fail "$s client on node $n delivered $got of $total"; }
	done
done
"$CL_CHECK" "$H_TMP"/cpg.[123] "$H_TMP/clients.end" >&2 || h_fail "the CPG clients' histories fail the checker"
"$CL_CHECK" "$H_TMP"/evs.[123] "$H_TMP/clients.end" >&2 || h_fail "the EVS clients' histories fail the checker"

# Each daemon's trace becomes a history of node N: every configuration and
# every test message (its first bytes are its client msgid) in trace order.
# A message gets the msgid N.1.K when it is the K-th of node N's in N's own
# trace (Totem keeps a node's messages in the order they were sent, and a
# sender delivers its own), with its send line just before that delivery.
for n in 1 2 3; do
	grep -E " (deliver (cpg|evs) node|mux conf) " "$H_TMP/node$n/cpgd.log" >"$H_TMP/trace.$n" ||
		h_fail "node $n logged no delivery trace"
done
awk -v dir="$H_TMP" '
function field(name,   i) { for (i = 1; i < NF; i++) if ($i == name) return $(i + 1); return "" }
FNR == 1 { f++; node = (f - 1) % 3 + 1; t = 10 }
/ deliver (cpg|evs) node / {
	svc = field("deliver"); from = field("node"); head = field("head")
	if (head !~ /^[0-9]+\.[12]\.[0-9]+$/) next	# not a test message
	split(head, h, ".")
	if (h[1] != from || (h[2] == 1) != (svc == "cpg")) {
		print "node " node ": " svc " message " head " from node " from > "/dev/stderr"; bad = 1; exit 1
	}
	key = svc " " head
	if (f <= 3) {
		if (from == node) id[key] = node ".1." (++own[node])
		next
	}
	if (!(key in id)) {
		print "node " node " delivered " key ", not delivered by its sender" > "/dev/stderr"; bad = 1; exit 1
	}
	out = dir "/mix." node
	if (from == node)
		print t++, node, "send", id[key], "agreed" > out
	print t++, node, "deliver", id[key], "agreed" > out
	print svc, head > (dir "/order." node)
	if (svc != last[node]) switches[node]++
	last[node] = svc
	next
}
/ mux conf / {
	if (f <= 3) next
	out = dir "/mix." node
	if (!started[node]++) print 1, node, "start", 1 > out
	print t++, node, "conf", field("conf"), field("ring"), field("members") > out
}
END {
	if (bad) exit 1
	for (n = 1; n <= 3; n++) print n, switches[n] + 0 > (dir "/switches")
}' "$H_TMP"/trace.[123] "$H_TMP"/trace.[123] || h_fail "the traces do not make histories"
echo "100000000000 - end" >"$H_TMP/mix.end"
"$CL_CHECK" "$H_TMP"/mix.[123] "$H_TMP/mix.end" >&2 ||
	h_fail "the daemons' CPG and EVS deliveries fail the checker"
for n in 1 2 3; do
	got=$(grep -c " deliver " "$H_TMP/mix.$n")
	[ "$got" = $((total * 2)) ] || h_fail "node $n traced $got of $((total * 2)) messages"
	# one service to the other and back: not two blocks one after the other
	sw=$(awk -v n="$n" '$1 == n { print $2 }' "$H_TMP/switches")
	[ "$sw" -ge 10 ] || { cl_logs; h_fail "node $n: CPG and EVS messages interleaved only $sw times"; }
	# what each client got is its service's part of that order
	for s in cpg evs; do
		awk -v s="$s" '$1 == s { print $2 }' "$H_TMP/order.$n" >"$H_TMP/want.$s.$n"
		awk '$3 == "deliver" { print $4 }' "$H_TMP/$s.$n" >"$H_TMP/got.$s.$n"
		cmp -s "$H_TMP/want.$s.$n" "$H_TMP/got.$s.$n" || {
			diff "$H_TMP/want.$s.$n" "$H_TMP/got.$s.$n" | head >&2
			h_fail "the $s client on node $n got its messages in another order than its daemon delivered them"
		}
	done
	h_log "node $n: $got messages, CPG and EVS interleaved $sw times"
done
exit 0
