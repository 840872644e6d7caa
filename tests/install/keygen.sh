#!/bin/sh
# cpgd-keygen: writes a random key of the asked size with mode 0400, never
# leaves a temporary file behind, keeps an existing key unless -f, rejects
# bad sizes, and fails cleanly when it cannot write.
set -u
: "${top_builddir:?}"
KEYGEN="$top_builddir/tools/cpgd-keygen"
fail=0
err() { printf 'keygen.sh: FAIL: %s\n' "$*" >&2; fail=1; }
[ -x "$KEYGEN" ] || { err "$KEYGEN was not built"; exit 1; }

tmp=$(mktemp -d) || exit 1
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

mode() { stat -c %a "$1"; }
size() { stat -c %s "$1"; }
# Only the key itself may be left in the directory.
only_key() {
	n=$(ls -A "$(dirname "$1")" | wc -l)
	[ "$n" -eq 1 ] || err "$(dirname "$1") holds $n entries: $(ls -A "$(dirname "$1")")"
}
check_key() { # file bytes
	[ -f "$1" ] || { err "$1 was not written"; return; }
	[ "$(mode "$1")" = 400 ] || err "$1 has mode $(mode "$1"), not 400"
	[ "$(size "$1")" = "$2" ] || err "$1 has $(size "$1") bytes, not $2"
	[ "$(stat -c %u "$1")" = "$(id -u)" ] || err "$1 is not owned by the caller"
	only_key "$1"
}

# Default size, and a missing last directory is created.
"$KEYGEN" -k "$tmp/a/authkey" > "$tmp/out" 2>&1 || err "default run failed: $(cat "$tmp/out")"
check_key "$tmp/a/authkey" 256
[ "$(mode "$tmp/a")" = 755 ] || err "created directory has mode $(mode "$tmp/a")"
# 256 random bytes hold about 160 distinct values; a constant or a short
# repeated pattern would not.
distinct=$(od -An -v -tu1 "$tmp/a/authkey" | tr -s ' ' '\n' | grep -v '^$' | sort -u | wc -l)
[ "$distinct" -ge 100 ] || err "key has only $distinct distinct bytes"

# Two keys differ.
"$KEYGEN" -k "$tmp/b/authkey" > /dev/null 2>&1 || err "second run failed"
check_key "$tmp/b/authkey" 256
cmp -s "$tmp/a/authkey" "$tmp/b/authkey" && err "two keys are identical"

# An existing key is kept without -f and replaced with it.
cp "$tmp/a/authkey" "$tmp/a.orig"
if "$KEYGEN" -k "$tmp/a/authkey" > /dev/null 2> "$tmp/err"; then
	err "overwrote an existing key without -f"
else
	[ $? -eq 1 ] || err "refusing to overwrite should exit 1"
	grep -q "already exists" "$tmp/err" || err "no 'already exists' message: $(cat "$tmp/err")"
fi
cmp -s "$tmp/a/authkey" "$tmp/a.orig" || err "refused overwrite still changed the key"
check_key "$tmp/a/authkey" 256
"$KEYGEN" -f -k "$tmp/a/authkey" > /dev/null 2>&1 || err "-f failed"
cmp -s "$tmp/a/authkey" "$tmp/a.orig" && err "-f did not replace the key"
check_key "$tmp/a/authkey" 256

# Sizes: bits with -l, bytes with -s, limits 128..4096 bytes.
for case in "-l 1024:128" "-l 32768:4096" "-l 4096:512" "-s 128:128" "-s 4096:4096" "-s 300:300"; do
	opt=${case%:*}; want=${case#*:}
	d="$tmp/size$want${opt% *}"
	"$KEYGEN" $opt -k "$d/k" > /dev/null 2>&1 || { err "$opt failed"; continue; }
	check_key "$d/k" "$want"
done
for opt in "-l 1016" "-l 1000" "-l 32776" "-l 0" "-l abc" "-l -2048" "-s 127" "-s 4097" "-s 12x" "-x" "-k" "extra"; do
	"$KEYGEN" $opt -k "$tmp/bad/k" > /dev/null 2>&1
	rc=$?
	[ $rc -eq 2 ] || err "'$opt' exited $rc, not 2"
	[ -e "$tmp/bad/k" ] && err "'$opt' wrote a key"
done
"$KEYGEN" -h > "$tmp/out" 2>&1 || err "-h failed"
grep -q "Usage" "$tmp/out" || err "-h prints no usage"

# Paths that cannot work: a file as the directory, a missing grandparent.
: > "$tmp/plain"
"$KEYGEN" -k "$tmp/plain/k" > /dev/null 2>&1 && err "wrote under a regular file"
"$KEYGEN" -k "$tmp/no/such/k" > /dev/null 2>&1 && err "created a directory tree"
[ -e "$tmp/no" ] && err "created $tmp/no"

# A directory the caller may not write to.  Root bypasses permissions, so
# as root the tool runs as nobody (setpriv) from a copy it can execute.
mkdir "$tmp/ro"
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		mkdir "$tmp/bin" && cp "$KEYGEN" "$tmp/bin/cpgd-keygen"
		chmod 755 "$tmp" "$tmp/bin" "$tmp/bin/cpgd-keygen" "$tmp/ro"
		run_ro() { setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/bin/cpgd-keygen" "$@"; }
	else
		err "running as root without setpriv: cannot test an unwritable directory"
		run_ro() { return 1; }
	fi
else
	chmod 555 "$tmp/ro"
	run_ro() { "$KEYGEN" "$@"; }
fi
if run_ro -k "$tmp/ro/k" > /dev/null 2> "$tmp/err"; then
	err "wrote into an unwritable directory"
else
	rc=$?
	[ $rc -eq 1 ] || err "unwritable directory: exit $rc, not 1 ($(cat "$tmp/err"))"
	grep -q "$tmp/ro" "$tmp/err" || err "error does not name the directory: $(cat "$tmp/err")"
fi
[ -z "$(ls -A "$tmp/ro")" ] || err "left files in the unwritable directory"

[ $fail -eq 0 ] && echo "keygen.sh: all checks passed"
exit $fail
