#!/bin/sh
# Proves that this make check left no libqb shared memory behind: every
# /dev/shm/qb-* file, or directory holding files, that appeared during the
# run (against the list taken before the first test, shm_start.txt) and
# outlived every process named in it is a leak and fails.  An empty qb-*
# directory is listed, not failed: libqb 2.0.x clients remove the files of
# a server killed with SIGKILL but leave its directory behind.  Runs last (leaks.am makes its log depend on every
# other test's).  Entries of processes still running are not leaks; on a
# shared machine, an entry leaked meanwhile by another tree's tests would be
# blamed on this run: the message names each one with its time.
: "${top_builddir:?}"
start="$top_builddir/tests/shm_start.txt"
shm=${CPGD_SHM_DIR:-/dev/shm}
if [ ! -r "$start" ]; then
	echo "ERROR: $start is missing: run this test through make check"
	exit 99
fi

# alive NAME: some process the entry's name holds is still running
# (qb-SERVERPID-CLIENTPID-N-XXXXXX for a connection, qb-NAME-PID-blackbox-*
# for a flight recorder; other shapes: any number in the name)
alive() {
	local pids p
	case "$1" in
	qb-[0-9]*-[0-9]*-[0-9]*-*)
		pids=$(echo "$1" | cut -d- -f2,3 | tr - ' ') ;;
	qb-*-[0-9]*-blackbox-*)
		pids=$(echo "$1" | sed 's/^qb-.*-\([0-9][0-9]*\)-blackbox-.*/\1/') ;;
	*)
		pids=$(echo "$1" | tr -c '0-9' ' ') ;;
	esac
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

# leaks [empty]: the new entries no running process holds (with "empty":
# only the empty directories, otherwise all but those)
leaks() {
	(cd "$shm" && ls -d qb-* 2>/dev/null) | sort | comm -13 "$start" - |
	while read -r e; do
		alive "$e" && continue
		if [ -d "$shm/$e" ] && [ -z "$(ls -A "$shm/$e" 2>/dev/null)" ]; then
			[ "${1:-}" = empty ] && echo "$e"
		else
			[ "${1:-}" = empty ] || echo "$e"
		fi
	done
}

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
rm -f "$start"
[ -z "$found" ] && exit 0
echo "FAIL: this run left $(echo "$found" | wc -l) libqb entries in $shm:"
for e in $found; do
	echo "  $e ($(stat -c '%y' "$shm/$e" 2>/dev/null | cut -d. -f1))"
done
exit 1
