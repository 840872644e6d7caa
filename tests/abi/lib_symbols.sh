# The libraries export exactly the public API: libcpg.so.4 the 20 cpg_*
# functions at COROSYNC_CPG_1.0, libcorosync_common.so.4 its three
# unversioned functions, with the names and version nodes that programs
# linked against the Debian libraries they replace ask for (libcpg4 and
# libcorosync-common4, found by package; without them: SKIP, never PASS).
. "$top_srcdir/tests/debian_files.sh"
src="$top_srcdir/tests/abi"
libdir="$top_builddir/lib/.libs"
rc=0
skipped=""

fail() { echo "FAIL: $*" >&2; rc=1; }

# exported (defined) dynamic symbols as NAME@VERSION, sorted
exports() {
	nm -D --with-symbol-versions --defined-only "$1" |
		awk '$2 ~ /^[TDBRVWiu]$/ { print $3 }' | sed 's/@@*/@/' | sort
}

soname() {
	objdump -p "$1" | awk '$1 == "SONAME" { print $2 }'
}

cpg="$libdir/libcpg.so.4"
common="$libdir/libcorosync_common.so.4"
[ -f "$cpg" ] || { echo "FAIL: $cpg not built" >&2; exit 1; }

sed 's/$/@COROSYNC_CPG_1.0/' "$src/cpg_symbols.txt" | sort >want_cpg.txt
exports "$cpg" | grep -v '^COROSYNC_CPG_1.0@' >got_cpg.txt
diff -u want_cpg.txt got_cpg.txt || fail "libcpg.so.4 exports differ"
[ "$(wc -l <got_cpg.txt)" -eq 20 ] || fail "libcpg.so.4: not 20 exports"
[ "$(soname "$cpg")" = libcpg.so.4 ] || fail "libcpg soname $(soname "$cpg")"

# every exported function is declared in the public header, and back
for f in $(cat "$src/cpg_symbols.txt"); do
	grep -Eq "^cs_error_t $f ?\(" "$top_srcdir/include/corosync/cpg.h" ||
		fail "$f is not declared in cpg.h"
done
grep -Eo '^cs_error_t cpg_[a-z_]+' "$top_srcdir/include/corosync/cpg.h" |
	awk '{ print $2 }' | sort >declared.txt
sort "$src/cpg_symbols.txt" | diff -u - declared.txt ||
	fail "cpg.h declares functions the library does not export"

# every exported function has API checks of its own against a real daemon
for f in $(cat "$src/cpg_symbols.txt"); do
	grep -q "$f(" "$top_srcdir/tests/interop/lib_vs_corosync_check.c" ||
		fail "$f is not exercised by tests/interop/cpg_api_check"
done

printf '%s\n' cs_strerror hdb_error_to_cs qb_to_cs_error >want_common.txt
exports "$common" >got_common.txt
diff -u want_common.txt got_common.txt || fail "libcorosync_common exports"
[ "$(soname "$common")" = libcorosync_common.so.4 ] ||
	fail "libcorosync_common soname $(soname "$common")"

# the same names as the libraries they replace, at the same version nodes
# (what a program linked against Debian's asks the loader for)
# deb_lib PKG NAME: Debian's library NAME, or "" (skipped, or failed when
# what is found is ours)
deb_lib() {
	if deb_file "$1" "*/$2"; then
		echo "comparing with $DEB_FILE ($1)" >&2
		return 0
	fi
	if [ "$DEB_OURS" = 1 ]; then
		fail "$DEB_WHY"
	else
		skipped="$skipped; $2 not compared: $DEB_WHY"
	fi
	DEB_FILE=""
}
# version nodes a library defines
nodes() {
	nm -D --with-symbol-versions --defined-only "$1" | awk '$2 == "A" { print $3 }' | sort
}
# deb_compare REF OURS: OURS exports what REF does, nothing more, each at
# REF's version node; a name REF exports without a version (a program
# linked against REF asks for the name alone, which the loader binds to
# the first version node) must be at REF's one version node in OURS.
deb_compare() {
	nodes "$1" >ref_nodes.txt
	nodes "$2" | diff -u ref_nodes.txt - || fail "version nodes differ from $1"
	exports "$1" >ref_raw.txt
	[ -s ref_raw.txt ] || fail "$1 exports nothing"
	if grep -qv @ ref_raw.txt && [ -s ref_nodes.txt ]; then
		[ "$(wc -l <ref_nodes.txt)" = 1 ] ||
			fail "$1: unversioned exports beside several version nodes"
		awk -v n="$(cat ref_nodes.txt)" '{ print (index($0, "@") ? $0 : $0 "@" n) }' \
			ref_raw.txt | sort >ref_exports.txt
	else
		cp ref_raw.txt ref_exports.txt
	fi
	# (not a version node's own symbol, NODE@NODE)
	exports "$2" | awk -F@ '!(NF == 2 && $1 == $2)' >our_exports.txt
	diff -u ref_exports.txt our_exports.txt || fail "exports differ from $1"
}
deb_lib libcpg4 libcpg.so.4
[ -n "$DEB_FILE" ] && deb_compare "$DEB_FILE" "$cpg"
deb_lib libcorosync-common4 libcorosync_common.so.4
[ -n "$DEB_FILE" ] && deb_compare "$DEB_FILE" "$common"
[ $rc = 0 ] || exit $rc
if [ -n "$skipped" ]; then
	echo "SKIP: the rest passed, but${skipped#;}" >&2
	exit 77
fi
exit 0
