#!/bin/sh
# Redundant knet links under a real cpgd cluster: three nodes with two links
# each (default link mode and priorities).  Link 0 of node 2 is cut while
# every node sends: knet carries on over link 1 before Totem's token times
# out, so the membership must not change (no new ring on any daemon, no
# NODEDOWN in any client), every message is delivered everywhere, and the
# histories pass the checker.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/cluster/cpg_lib.sh"

COUNT=3000	# per client, at 300 a second: the cut falls mid-stream

cl_init
cl_ring 3 2
# both links up everywhere, else the cut could take the only one
cl_wait_links 3 2 30 || { cl_logs; h_fail "links not all connected within 30 s"; }
# knet takes a link that has just come up as down only after ten times its
# ping timeout at first, shortening that back over about ten seconds
# (cpgd(8), FAILURE DETECTION); a cut before then is found down after the
# token timeout, which is not what this test is about
sleep 11

pids=""
for n in 1 2 3; do
	cl_client "$n" 1 "$H_TMP/h.$n" -w 3 -c "$COUNT" -r 300 -s 300 -q 3000
	pids="$pids $CL_CPID"
done
# a third of the way in
h_wait_grep "$H_TMP/h.2" " send 2\.1\.1000 " 30 || { cl_logs; h_fail "node 2 did not get to send"; }
for n in 1 2 3; do
	eval "rings_$n=$(grep -c 'regular configuration' "$H_TMP/node$n/cpgd.log")"
done
ch_link_down 2 0 || h_fail "cut link"
h_log "link 0 of node 2 cut"
fail() { cat "$H_TMP"/h.*.err >&2; cl_logs; h_fail "$*"; }
cl_reap "$pids"
echo "$(cl_now) - end" >"$H_TMP/end"

# the cut was real
h_in "$(ch_ns 2)" "$top_builddir/tools/cpgd-tool" links >"$H_TMP/links.2" ||
	h_fail "cpgd-tool links on node 2"
grep -q "^ *1  *0 yes  *no " "$H_TMP/links.2" ||
	{ cat "$H_TMP/links.2" >&2; h_fail "link 0 from node 2 to node 1 still connected"; }
for n in 1 2 3; do
	r=$(grep -c 'regular configuration' "$H_TMP/node$n/cpgd.log")
	eval "r0=\$rings_$n"
	[ "$r" = "$r0" ] || { cl_logs; h_fail "node $n installed a new ring after the cut"; }
	[ "$(grep -c ' conf reg ' "$H_TMP/h.$n")" = 1 ] ||
		h_fail "client $n saw more than one ring"
	# (members leave with PROCDOWN as the clients finish)
	down=$(grep "^# confchg .* left=\([0-9:]*,\)*[0-9]*:[0-9]*:[34][, ]" "$H_TMP/h.$n")
	[ -z "$down" ] || h_fail "client $n saw a node go down or come up: $down"
	got=$(grep -c " deliver " "$H_TMP/h.$n")
	[ "$got" = $((COUNT * 3)) ] || h_fail "client $n delivered $got of $((COUNT * 3))"
done
"$CL_CHECK" --old-before-trans "$H_TMP"/h.[123] "$H_TMP/end" >&2 || { cl_logs; h_fail "histories fail the checker"; }
exit 0
