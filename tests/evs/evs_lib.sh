# Shared by tests/evs/evs_*3.sh: EVS history clients on a cluster of real
# cpgd daemons (cluster_harness.sh, cpg_lib.sh).  Source after those.

EV_CLIENT="$top_builddir/tests/evs/evs_histclient"

# ev_client N INC FILE ARGS...: start an EVS history client on node N in
# the background (stderr in FILE.err); sets EV_CPID
ev_client() {
	local n="$1" inc="$2" file="$3"; shift 3
	ip netns exec "$(ch_ns "$n")" "$EV_CLIENT" -n "$n" -i "$inc" -o "$file" "$@" 2>>"$file.err" &
	EV_CPID=$!
	H_PIDS="$H_PIDS $EV_CPID"
}

# ev_wait_joined FILE...: every client has joined its groups
ev_wait_joined() {
	local f
	for f in "$@"; do
		h_wait_grep "$f" "^# joined " 20 || { cl_logs; h_fail "${f##*/} did not join"; }
	done
}

# ev_filter OBS GROUPS: the msgids OBS delivered whose target set (the
# k-th message of a sender goes to {a} {a,b} {b,c} {c} in turn) meets
# GROUPS ("a,c"), in delivery order
ev_filter() {
	awk -v groups="$2" '
	BEGIN { n = split(groups, g, ","); for (i = 1; i <= n; i++) want[g[i]] = 1
		set[0] = "a"; set[1] = "a,b"; set[2] = "b,c"; set[3] = "c" }
	$3 == "deliver" { split($4, id, "."); k = (id[3] - 1) % 4
		m = split(set[k], t, ","); hit = 0
		for (i = 1; i <= m; i++) if (t[i] in want) hit = 1
		if (hit) print $4 }' "$1"
}
