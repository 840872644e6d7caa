#!/bin/sh
# Malformed histories: histcheck must exit 2 and name file:line and a reason.
hc="${top_builddir:?}/tests/sim/histcheck"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0

# expect LINE REASON-SUBSTRING: the history is on stdin
expect() {
	n=$((n + 1))
	cat >"$tmp/h$n.hist"
	"$hc" "$tmp/h$n.hist" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q "h$n.hist:$1: .*$2" "$tmp/err"; then
		echo "FAIL: case $n: exit $rc, expected 2 with 'h$n.hist:$1: ...$2'"
		cat "$tmp/h$n.hist" "$tmp/out" "$tmp/err"
		fail=1
	else
		echo "ok: case $n: $(cat "$tmp/err")"
	fi
}

expect 2 "unknown event" <<'H'
0 1 start 1
5 1 frobnicate
10 - end
H
expect 2 "bad msgid" <<'H'
0 1 start 1
5 1 send 1.1 agreed
10 - end
H
expect 2 "bad msgid" <<'H'
0 1 start 1
5 1 send 1.0.1 agreed
10 - end
H
expect 2 "bad guarantee" <<'H'
0 1 start 1
5 1 send 1.1.1 fast
10 - end
H
expect 1 "bad time" <<'H'
x1 1 start 1
10 - end
H
expect 2 "bad node" <<'H'
0 1 start 1
1 n2 start 1
10 - end
H
expect 2 "not strictly ascending" <<'H'
0 1 start 1
1 1 conf reg 1:4 2,1
10 - end
H
expect 2 "bad ring id" <<'H'
0 1 start 1
1 1 conf reg 1-4 1
10 - end
H
expect 2 "trailing text" <<'H'
0 1 start 1
1 1 crash now
10 - end
H
expect 2 "node '-' only" <<'H'
0 1 start 1
1 - crash
10 - end
H
expect 2 "takes node '-'" <<'H'
0 1 start 1
10 1 end
H
expect 1 "incarnation >= 1" <<'H'
0 1 start 0
10 - end
H
expect 2 "before its first start" <<'H'
# a node's first event must be its start
0 1 conf reg 1:4 1
1 1 start 1
10 - end
H
expect 3 "counter 3, expected 2" <<'H'
0 1 start 1
1 1 send 1.1.1 agreed
2 1 send 1.1.3 agreed
10 - end
H
expect 2 "sends 2.1.1" <<'H'
0 1 start 1
1 1 send 2.1.1 agreed
10 - end
H
expect 3 "time of node 1 goes backwards" <<'H'
0 1 start 1
5 1 send 1.1.1 agreed
3 1 crash
10 - end
H
expect 3 "without a crash" <<'H'
0 1 start 1
1 2 start 1
2 1 start 2
10 - end
H
expect 3 "incarnation 1 of node 1 not above 1" <<'H'
0 1 start 1
1 1 crash
2 1 start 1
10 - end
H
expect 2 "event after end" <<'H'
0 1 start 1
20 1 crash
10 - end
H
expect 3 "after crash without start" <<'H'
0 1 start 1
1 1 crash
2 1 deliver 1.1.1 agreed
10 - end
H
# no end line at all: reported against the file
n=$((n + 1))
printf '0 1 start 1\n' >"$tmp/h$n.hist"
"$hc" "$tmp/h$n.hist" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -ne 2 ] || ! grep -q "h$n.hist: no 'end' line" "$tmp/err"; then
	echo "FAIL: case $n (no end): exit $rc"; cat "$tmp/err"; fail=1
else
	echo "ok: case $n: $(cat "$tmp/err")"
fi
# a file that does not exist, and a bad option
"$hc" "$tmp/does-not-exist.hist" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: missing file not exit 2"; fail=1; }
"$hc" --bound-us x "$tmp/h1.hist" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: bad option value not exit 2"; fail=1; }
exit $fail
