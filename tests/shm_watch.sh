#!/bin/sh
# Started by make check (leaks.am) ahead of the first test, in the
# background: writes the /dev/shm/qb-* entries there now to shm_start.txt,
# then, for as long as make (MAKEPID) runs, adds to shm_ours.txt each new
# entry whose server or client is a program of this build tree, so that
# shm_leaks.sh blames this run for its own entries only, not for those of
# other trees' tests on the same machine.
#   shm_watch.sh DIR MAKEPID
dir="$1" makepid="$2"
shm=${CPGD_SHM_DIR:-/dev/shm}
build=$(cd "${top_builddir:?}" && pwd -P)
list() { (cd "$shm" && ls -d qb-* 2>/dev/null) | sort; }
list >"$dir/shm_start.txt.tmp"
: >"$dir/shm_ours.txt"
cp "$dir/shm_start.txt.tmp" "$dir/shm_seen.txt"
mv "$dir/shm_start.txt.tmp" "$dir/shm_start.txt"

# ours NAME: a process named in NAME (see shm_leaks.sh) runs a program of
# this build tree
ours() {
	local p exe
	for p in $(sh "$(dirname "$0")/shm_leaks.sh" --pids "$1"); do
		exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
		case "$exe" in "$build"/*) return 0 ;; esac
	done
	return 1
}

while kill -0 "$makepid" 2>/dev/null; do
	list | comm -13 "$dir/shm_seen.txt" - >"$dir/shm_new.txt"
	if [ -s "$dir/shm_new.txt" ]; then
		while read -r e; do
			ours "$e" && echo "$e" >>"$dir/shm_ours.txt"
		done <"$dir/shm_new.txt"
		sort -m "$dir/shm_seen.txt" "$dir/shm_new.txt" >"$dir/shm_seen.txt.tmp"
		mv "$dir/shm_seen.txt.tmp" "$dir/shm_seen.txt"
	fi
	sleep 0.2
done
rm -f "$dir/shm_new.txt" "$dir/shm_seen.txt"
