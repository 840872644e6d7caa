#!/bin/sh
# `make install` (no DESTDIR) refreshes the loader's cache, so that a program
# linked to libcpg.so.4 loads the installed library at once, and `make
# uninstall` switches it back; with DESTDIR no ldconfig runs at all (a stub
# first on PATH records every call).  All of it in a scratch root: this
# machine's own loader cache is never written (checked as well).
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/install/scratch_root.sh"
sr_enter "$@"
h_init
# what this machine's own loader cache gives for our libraries
host_cache() { ldconfig -p | grep -E 'libcpg|libcorosync_common'; }
host_before=$(host_cache)
sr_mount
sr_bind "$top_srcdir"
case "$top_builddir/" in "$top_srcdir"/*) ;; *) sr_bind "$top_builddir" ;; esac
unset MAKEFLAGS MFLAGS MAKELEVEL

mkvar() { sed -n "s|^$1 = ||p" "$top_builddir/Makefile" | head -n 1; }
prefix=$(mkvar prefix)
libdir=$(mkvar libdir | sed "s|\${exec_prefix}|$prefix|; s|\${prefix}|$prefix|")

# a program of someone else's, linked to libcpg.so.4 (no run path)
printf '%s\n' '#include <corosync/cpg.h>' \
	'int main(void) { cpg_handle_t h; cpg_callbacks_t cb = { 0 };' \
	'return cpg_initialize(&h, &cb) == CS_OK ? 0 : 1; }' >"$H_TMP/prog.c"
${CC:-cc} -o "$SR_ROOT/tmp/prog" -I"$top_srcdir/include" "$H_TMP/prog.c" \
	-L"$top_builddir/lib/.libs" -lcpg || h_fail "cannot build the program"
# loads: the file the loader's cache gives the program for libcpg.so.4
loads() {
	chroot "$SR_ROOT" ldd /tmp/prog | sed -n 's/^[[:space:]]*libcpg\.so\.4 => \([^ ]*\) .*/\1/p'
}
inroot() { chroot "$SR_ROOT" sh -c "cd '$top_builddir' && $*" >"$H_TMP/out" 2>&1; }

before=$(loads)
[ "$before" = "$libdir/libcpg.so.4" ] &&
	h_fail "$libdir/libcpg.so.4 is loaded before the install; cannot tell"
inroot make install || { cat "$H_TMP/out"; h_fail "make install failed"; }
after=$(loads)
[ "$after" = "$libdir/libcpg.so.4" ] || {
	cat "$H_TMP/out"; chroot "$SR_ROOT" ldd /tmp/prog
	h_fail "after make install the program loads '$after', not $libdir/libcpg.so.4"
}
grep -q "the loader's cache resolves libcpg.so.4 to: $libdir/libcpg.so.4" "$H_TMP/out" ||
	{ cat "$H_TMP/out"; h_fail "make install does not say which library programs load"; }
inroot make uninstall || { cat "$H_TMP/out"; h_fail "make uninstall failed"; }
[ "$(loads)" = "$before" ] ||
	h_fail "after make uninstall the program loads '$(loads)', not '$before' again"

# a staged install: a stub ldconfig first on PATH records any call
mkdir -p "$SR_ROOT/tmp/stub"
printf '#!/bin/sh\necho "ldconfig $*" >>/tmp/stub/calls\n' >"$SR_ROOT/tmp/stub/ldconfig"
chmod +x "$SR_ROOT/tmp/stub/ldconfig"
inroot PATH=/tmp/stub:\$PATH make install DESTDIR=/tmp/dest ||
	{ cat "$H_TMP/out"; h_fail "make install DESTDIR=... failed"; }
[ -e "$SR_ROOT/tmp/dest$libdir/libcpg.so.4" ] || h_fail "DESTDIR install has no libcpg.so.4"
[ -e "$SR_ROOT/tmp/stub/calls" ] &&
	h_fail "make install DESTDIR=... ran: $(cat "$SR_ROOT/tmp/stub/calls")"
grep -q "not refreshing this machine's loader cache" "$H_TMP/out" ||
	{ cat "$H_TMP/out"; h_fail "make install DESTDIR=... does not say it skips the cache"; }
inroot PATH=/tmp/stub:\$PATH make uninstall DESTDIR=/tmp/dest ||
	{ cat "$H_TMP/out"; h_fail "make uninstall DESTDIR=... failed"; }
[ -e "$SR_ROOT/tmp/stub/calls" ] &&
	h_fail "make uninstall DESTDIR=... ran: $(cat "$SR_ROOT/tmp/stub/calls")"
# the same stub does record the step of a plain install
inroot PATH=/tmp/stub:\$PATH make install || { cat "$H_TMP/out"; h_fail "make install failed"; }
grep -qx "ldconfig " "$SR_ROOT/tmp/stub/calls" ||
	h_fail "the stub saw no cache refresh: $(cat "$SR_ROOT/tmp/stub/calls")"

[ "$(host_cache)" = "$host_before" ] ||
	h_fail "this machine's loader cache changed: $(host_cache)"
exit 0
