#!/bin/sh
# Builds cpgd and shows it working: the daemon on its embedded single-node
# default, and the example program joining a group, sending messages and
# printing what it receives.  As root the demo runs in a private network
# namespace, so it cannot disturb a corosync or cpgd already running here.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
sh scripts/deps.sh
autoreconf -fi >/dev/null
mkdir -p _build && cd _build
[ -f Makefile ] || "$top/configure" >/dev/null
make -j2 >/dev/null
tmp=$(mktemp -d /tmp/cpgd-demo.XXXXXX)
run=""
if [ "$(id -u)" = 0 ] && ip netns add "cpgd-demo-$$" 2>/dev/null; then
	ip -n "cpgd-demo-$$" link set lo up
	run="ip netns exec cpgd-demo-$$"
fi
cleanup() {
	[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "$run" ] && ip netns delete "cpgd-demo-$$"
	rm -rf "$tmp"
}
trap cleanup EXIT
$run ./daemon/cpgd -f --run-dir "$tmp/run" --state-dir "$tmp/state" 2>"$tmp/cpgd.log" &
pid=$!
i=0
while [ ! -s "$tmp/run/cpgd.pid" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { cat "$tmp/cpgd.log"; exit 1; }
	sleep 0.1
done
echo "cpgd is running (pid $pid); the example program joins group 'demo':"
$run ./examples/cpg_demo demo 5
echo "the EVS example joins groups alpha and beta, sends to gamma and to alpha:"
$run ./examples/evs_demo
