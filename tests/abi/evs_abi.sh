#!/bin/sh
# libevs.so.4 exports exactly the 11 EVS functions at COROSYNC_EVS_2.0, each
# declared in <corosync/evs.h> and exercised by tests/evs; the public types
# have corosync 1.4's sizes, offsets and values; the header compiles with
# Debian's <corosync/hdb.h> included before or after it.
src="$top_srcdir/tests/abi"
lib="$top_builddir/lib/.libs/libevs.so.4"
hdr="$top_srcdir/include/corosync/evs.h"
rc=0
fail() { echo "FAIL: $*" >&2; rc=1; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

[ -f "$lib" ] || { echo "FAIL: $lib not built" >&2; exit 1; }
nm -D --with-symbol-versions --defined-only "$lib" |
	awk '$2 ~ /^[TDBRVWiu]$/ { print $3 }' | sed 's/@@*/@/' | sort >"$tmp/got"
sed 's/$/@COROSYNC_EVS_2.0/' "$src/evs_symbols.txt" | sort >"$tmp/want"
diff -u "$tmp/want" "$tmp/got" || fail "libevs.so.4 exports differ"
[ "$(wc -l <"$tmp/got")" -eq 11 ] || fail "libevs.so.4: not 11 exports"
so=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
[ "$so" = libevs.so.4 ] || fail "libevs soname $so"

for f in $(cat "$src/evs_symbols.txt"); do
	grep -Eq "^cs_error_t $f ?\(" "$hdr" || fail "$f is not declared in evs.h"
	grep -q "$f(" "$top_srcdir/tests/evs/evstest.c" ||
		fail "$f is not exercised by tests/evs/evstest"
done
grep -Eo '^cs_error_t evs_[a-z_]+' "$hdr" | awk '{ print $2 }' | sort >"$tmp/decl"
sort "$src/evs_symbols.txt" | diff -u - "$tmp/decl" ||
	fail "evs.h declares functions the library does not export"

"$top_builddir/tests/abi/evs_probe" >"$tmp/probe" || fail "evs_probe failed"
diff -u "$src/evs_abi.txt" "$tmp/probe" || fail "EVS types differ from corosync 1.4's"

# a program for corosync 1.4 includes hdb.h for hdb_handle_t, before or
# after evs.h; Debian ships it (libcorosync-common-dev)
if [ -f /usr/include/corosync/hdb.h ]; then
	for order in "hdb.h evs.h" "evs.h hdb.h" "corotypes.h evs.h"; do
		: >"$tmp/c.c"
		for h in $order; do
			echo "#include <corosync/$h>" >>"$tmp/c.c"
		done
		echo 'hdb_handle_t h; evs_handle_t e; int main(void) { return (int)(h + e); }' >>"$tmp/c.c"
		# ours first, then the system's hdb.h
		${CC:-cc} -Wall -Werror -c -o "$tmp/c.o" -I"$top_srcdir/include" \
			$(pkg-config --cflags libqb) "$tmp/c.c" ||
			fail "evs.h does not compile with: $order"
	done
else
	echo "note: no /usr/include/corosync/hdb.h; its order not checked" >&2
fi
exit $rc
