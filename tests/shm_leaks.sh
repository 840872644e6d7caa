#!/bin/sh
# Proves that this make check left no libqb shared memory behind: every
# /dev/shm/qb-* file, or directory holding files, that a program of this
# build tree made during the run (shm_watch.sh saw it appear) and that
# outlived every process named in it is a leak and fails.  An empty qb-*
# directory is listed, not failed: libqb 2.0.x clients remove the files of
# a server killed with SIGKILL but leave its directory behind.  Runs last
# (leaks.am makes its log depend on every other test's).
#   shm_leaks.sh --pids NAME    prints the process ids NAME holds
shm=${CPGD_SHM_DIR:-/dev/shm}

# pids NAME: qb-SERVERPID-CLIENTPID-N-XXXXXX for a connection,
# qb-NAME-PID-blackbox-* for a flight recorder; other shapes: any number
pids() {
	case "$1" in
	qb-[0-9]*-[0-9]*-[0-9]*-*)
		echo "$1" | cut -d- -f2,3 | tr - ' ' ;;
	qb-*-[0-9]*-blackbox-*)
		echo "$1" | sed 's/^qb-.*-\([0-9][0-9]*\)-blackbox-.*/\1/' ;;
	*)
		echo "$1" | tr -c '0-9' ' ' ;;
	esac
}
if [ "${1:-}" = --pids ]; then
	pids "$2"
	exit 0
fi

: "${top_builddir:?}"
dir="$top_builddir/tests"
if [ ! -r "$dir/shm_start.txt" ] || [ ! -r "$dir/shm_ours.txt" ]; then
	echo "ERROR: $dir/shm_start.txt or shm_ours.txt is missing: run this" \
		"test through make check (leaks.am starts shm_watch.sh)"
	exit 99
fi

alive() {
	local p
	for p in $(pids "$1"); do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

# leaks [empty]: this run's entries no running process holds (with
# "empty": only the empty directories, otherwise all but those)
leaks() {
	sort -u "$dir/shm_ours.txt" | while read -r e; do
		[ -e "$shm/$e" ] || continue
		alive "$e" && continue
		if [ -d "$shm/$e" ] && [ -z "$(ls -A "$shm/$e" 2>/dev/null)" ]; then
			[ "${1:-}" = empty ] && echo "$e"
		else
			[ "${1:-}" = empty ] || echo "$e"
		fi
	done
}

echo "$(sort -u "$dir/shm_ours.txt" | wc -l) libqb entries made by this run's programs"
found=$(leaks)
# a server tidies up just after its client went away: give it a moment
i=0
while [ -n "$found" ] && [ $i -lt 10 ]; do
	sleep 0.5
	found=$(leaks)
	i=$((i + 1))
done
empty=$(leaks empty)
if [ -n "$empty" ]; then
	echo "note: $(echo "$empty" | wc -l) empty libqb directories left after a" \
		"server was killed (libqb's client keeps them):" $empty
fi
[ -z "$found" ] && exit 0
echo "FAIL: this run left $(echo "$found" | wc -l) libqb entries in $shm:"
for e in $found; do
	echo "  $e ($(stat -c '%y' "$shm/$e" 2>/dev/null | cut -d. -f1))"
done
exit 1
