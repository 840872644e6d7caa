# Network namespaces on bridges, for tests that need real links.
#
# Source after tests/harness.sh and call h_init first.  Layout:
#   a "switch" namespace cpgd-$$-sw holding one bridge per link (br0, br1..)
#   node namespaces cpgd-$$-n1 .. nN, each with one veth per link: "l0",
#   "l1".. inside the node, its peer "n<N>l<L>" on bridge br<L> in the switch
#   addresses 10.213.<L>.<N>/24 on link L of node N
# Everything lives inside namespaces this run created (names carry $$), so
# parallel runs do not collide and h_cleanup's namespace deletion removes it
# all, pass or fail.  Cutting a link is `ch_link_down N L` (the switch side
# of the veth goes down; the node side stays up, as when a cable is pulled
# elsewhere).

CH_SW=""

# ch_net_init NODES LINKS
ch_net_init() {
	local nodes="$1" links="$2" n l ns
	# not $(h_ns_new ...): a subshell would lose h_ns_new's record of the
	# namespace, and h_cleanup would leave it behind
	h_ns_new sw >/dev/null
	CH_SW="cpgd-$$-sw"
	l=0
	while [ "$l" -lt "$links" ]; do
		ip -n "$CH_SW" link add "br$l" type bridge || h_fail "bridge br$l"
		ip -n "$CH_SW" link set "br$l" up || h_fail "br$l up"
		l=$((l + 1))
	done
	n=1
	while [ "$n" -le "$nodes" ]; do
		h_ns_new "n$n" >/dev/null
		ns=$(ch_ns "$n")
		l=0
		while [ "$l" -lt "$links" ]; do
			ip -n "$ns" link add "l$l" type veth peer name "n${n}l$l" netns "$CH_SW" ||
				h_fail "veth n${n}l$l"
			ip -n "$CH_SW" link set "n${n}l$l" master "br$l" || h_fail "attach n${n}l$l"
			ip -n "$CH_SW" link set "n${n}l$l" up || h_fail "n${n}l$l up"
			ip -n "$ns" addr add "10.213.$l.$n/24" dev "l$l" || h_fail "addr n$n l$l"
			ip -n "$ns" link set "l$l" up || h_fail "l$l up in n$n"
			l=$((l + 1))
		done
		n=$((n + 1))
	done
}

# ch_ns N: the namespace of node N
ch_ns() { echo "cpgd-$$-n$1"; }

# ch_addr N L: the address of node N on link L
ch_addr() { echo "10.213.$2.$1"; }

ch_link_down() { ip -n "$CH_SW" link set "n${1}l$2" down; }
ch_link_up() { ip -n "$CH_SW" link set "n${1}l$2" up; }

# ch_nodelist NODES LINKS: a nodelist section for this layout
ch_nodelist() {
	local nodes="$1" links="$2" n l
	echo "nodelist {"
	n=1
	while [ "$n" -le "$nodes" ]; do
		echo "	node {"
		echo "		nodeid: $n"
		echo "		name: n$n"
		l=0
		while [ "$l" -lt "$links" ]; do
			echo "		ring${l}_addr: $(ch_addr "$n" "$l")"
			l=$((l + 1))
		done
		echo "	}"
		n=$((n + 1))
	done
	echo "}"
}
