#!/bin/sh
# Runs histcheck over every hand-written history in histories/:
#  good-*.hist must pass (exit 0);
#  bad-<property>-*.hist must be rejected (exit 1) with every violation line
#  naming exactly <property>.
# Every property must have at least one bad history.  A line "# args: ..."
# in a history gives extra histcheck options for it.
hc="${top_builddir:?}/tests/sim/histcheck"
dir="${top_srcdir:?}/tests/sim/histories"
props="agreed-order no-duplicates no-invented self-delivery fifo virtual-synchrony safe-delivery config-consistency liveness agreed-holes fifo-holes safe-after-crash"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

run() {
	# shellcheck disable=SC2046
	"$hc" $(sed -n 's/^# *args: //p' "$1") "$1" >"$tmp/out" 2>"$tmp/err"
}

# The same history split into one file per node (and one for the global
# lines) must give the same verdict: exercises the merge of several files.
run_split() {
	rm -rf "$tmp/split"
	mkdir "$tmp/split"
	awk -v d="$tmp/split" '/^[ \t]*#/ || NF == 0 { next } { print > (d "/n" $2 ".hist") }' "$1"
	# shellcheck disable=SC2046
	"$hc" $(sed -n 's/^# *args: //p' "$1") "$tmp/split"/*.hist >"$tmp/sout" 2>"$tmp/serr"
}

# violated FILE: the properties checker output FILE reports violated, each
# once, sorted, one space after each
violated() { sed -n 's/^\([a-z-]*\): .*/\1/p' "$1" | sort -u | tr '\n' ' '; }

# rejected RC OUT ERR LABEL: histcheck exited RC with OUT and ERR (files
# in $tmp) reporting exactly the property $want; else says why, returns 1
rejected() {
	local got
	got=$(violated "$tmp/$2")
	[ "$1" -eq 1 ] && [ "$got" = "$want " ] && return 0
	echo "FAIL: $4: exit $1, properties '$got', expected exit 1 and '$want'"
	cat "$tmp/$2" "$tmp/$3"
	return 1
}

ngood=0
for f in "$dir"/good-*.hist; do
	[ -e "$f" ] || continue
	ngood=$((ngood + 1))
	run "$f"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: ${f##*/}: exit $rc, expected 0"
		cat "$tmp/out" "$tmp/err"
		fail=1
	else
		echo "ok: ${f##*/}: $(cat "$tmp/out")"
	fi
	run_split "$f"
	rc=$?
	if [ $rc -ne 0 ] || ! cmp -s "$tmp/out" "$tmp/sout"; then
		echo "FAIL: ${f##*/} split per node: exit $rc"
		cat "$tmp/sout" "$tmp/serr"
		fail=1
	fi
done

nbad=0
for f in "$dir"/bad-*.hist; do
	[ -e "$f" ] || continue
	nbad=$((nbad + 1))
	base=${f##*/}
	want=""
	for p in $props; do	# the longest name that matches: fifo-holes, not fifo
		case "${base#bad-}" in
		"$p"-*) [ ${#p} -gt ${#want} ] && want=$p ;;
		esac
	done
	if [ -z "$want" ]; then
		echo "FAIL: $base: name does not start with bad-<property>-"
		fail=1
		continue
	fi
	run "$f"
	if ! rejected $? out err "$base"; then
		fail=1
	elif grep -v '\.hist:[0-9]' "$tmp/out" | grep -q .; then
		echo "FAIL: $base: a violation line without a file:line reference"
		cat "$tmp/out"
		fail=1
	else
		echo "ok: $base: rejected: $(head -n 1 "$tmp/out")"
	fi
	run_split "$f"
	rejected $? sout serr "$base split per node" || fail=1
done

for p in $props; do
	set -- "$dir"/bad-"$p"-*.hist
	if [ ! -e "$1" ]; then
		echo "FAIL: no bad history for property $p"
		fail=1
	fi
done
# safe-after-crash compares times of different nodes: only with --one-clock.
f="$dir/bad-safe-after-crash-regular.hist"
"$hc" "$f" >"$tmp/out" 2>&1
if [ $? -ne 0 ] || ! grep -q 'safe-after-crash NOT checked' "$tmp/out"; then
	echo "FAIL: ${f##*/} without --one-clock: expected a pass that says safe-after-crash was not checked"
	cat "$tmp/out"
	fail=1
fi
# Without one clock a delivery long before the recovery that ends the
# configuration cannot be told from one of that recovery.
f="$dir/bad-agreed-holes-early.hist"
if ! "$hc" --old-before-trans "$f" >"$tmp/out" 2>&1; then
	echo "FAIL: ${f##*/} without --one-clock: expected a pass"
	cat "$tmp/out"
	fail=1
fi
# Recovery deliveries logged in the regular configuration are allowed only
# with --old-before-trans: the strict reading rejects them as holes (and
# the safe message as not stable, safe-delivery's strict rule 1).
f="$dir/good-holes-old-before-trans.hist"
"$hc" --one-clock "$f" >"$tmp/out" 2>/dev/null
got=$(violated "$tmp/out")
if [ "$got" != "agreed-holes safe-after-crash safe-delivery " ]; then
	echo "FAIL: ${f##*/} without --old-before-trans: properties '$got', expected agreed-holes, safe-after-crash, safe-delivery"
	cat "$tmp/out"
	fail=1
fi
# --ignore: the ignored property still shows in the counts but does not fail.
f="$dir/bad-fifo-gap.hist"
"$hc" --ignore fifo "$f" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -ne 0 ] || ! grep -q '^histcheck: fifo NOT checked' "$tmp/out" ||
   ! grep -q 'ignored 1 fifo violations' "$tmp/err"; then
	echo "FAIL: --ignore fifo on ${f##*/}: exit $rc"
	cat "$tmp/out" "$tmp/err"
	fail=1
fi
"$hc" --ignore safe-delivery "$f" >"$tmp/out" 2>"$tmp/err"
if [ $? -ne 1 ]; then
	echo "FAIL: --ignore of another property hid a fifo violation"
	fail=1
fi
# --regular-only: a history without transitional configurations (a CPG
# client's) may install regular after regular; other faults still count.
# (not the histories that need --safe-survivors or --settle-us)
for f in "$dir"/good-install-race.hist "$dir"/good-partition-merge.hist \
	 "$dir"/good-restart.hist; do
	grep -v ' conf trans ' "$f" >"$tmp/regonly.hist"
	if "$hc" "$tmp/regonly.hist" >/dev/null 2>&1; then
		echo "FAIL: ${f##*/} without its transitional lines passes without --regular-only"
		fail=1
	fi
	"$hc" --regular-only "$tmp/regonly.hist" >"$tmp/out" 2>&1 || {
		echo "FAIL: --regular-only rejects ${f##*/} without its transitional lines"
		cat "$tmp/out"
		fail=1
	}
done
"$hc" --regular-only "$dir/bad-config-consistency-self.hist" >"$tmp/out" 2>&1
if [ $? -ne 1 ]; then
	echo "FAIL: --regular-only hid a config-consistency violation"
	fail=1
fi

if [ $ngood -eq 0 ]; then
	echo "FAIL: no good histories"
	fail=1
fi
echo "$ngood good and $nbad bad histories checked"
exit $fail
