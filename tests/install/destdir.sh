#!/bin/sh
# `make install DESTDIR=...` puts everything in place, and a program built
# elsewhere with the installed pkg-config file compiles, links and runs
# against the installed daemon and library.
. "$top_srcdir/tests/harness.sh"
h_init
dest="$H_TMP/root"
make -s -C "$top_builddir" install DESTDIR="$dest" >"$H_TMP/install.log" 2>&1 ||
	{ cat "$H_TMP/install.log"; h_fail "make install DESTDIR failed"; }

# where configure put things, from the build's own Makefile
mkvar() { sed -n "s|^$1 = ||p" "$top_builddir/Makefile" | head -n 1; }
prefix=$(mkvar prefix)
libdir=$(mkvar libdir | sed "s|\${exec_prefix}|$prefix|; s|\${prefix}|$prefix|")
for f in \
	"$libdir/libcpg.so.4" "$libdir/libcpg.so" \
	"$libdir/libcorosync_common.so.4" "$libdir/libcorosync_common.so" \
	"$libdir/pkgconfig/libcpg.pc" "$libdir/pkgconfig/libcorosync_common.pc" \
	"$prefix/include/corosync/cpg.h" "$prefix/include/corosync/corotypes.h" \
	"$prefix/sbin/cpgd" "$prefix/sbin/cpgd-tool" "$prefix/sbin/cpgd-keygen" \
	"$prefix/share/man/man8/cpgd.8" "$prefix/share/man/man5/cpgd.conf.5" \
	"$prefix/share/man/man8/cpgd-tool.8" "$prefix/share/man/man8/cpgd-keygen.8" \
	"$prefix/share/man/man8/cpg_overview.8" \
	"$prefix/share/man/man3/cpg_mcast_joined.3" \
	"$prefix/share/doc/cpgd/cpgd.conf.example"; do
	[ -e "$dest$f" ] || h_fail "not installed: $f"
done
[ -n "$(find "$dest" -name cpgd.service)" ] || h_fail "not installed: cpgd.service"
n=$(ls "$dest$prefix/share/man/man3" | grep -c '^cpg_.*\.3$')
[ "$n" -eq 20 ] || h_fail "$n function pages installed, not 20"

# a program of someone else's, built with the installed pkg-config file
export PKG_CONFIG_SYSROOT_DIR="$dest"
export PKG_CONFIG_PATH="$dest$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs libcpg) || h_fail "pkg-config libcpg"
case "$flags" in *"$dest"*) ;; *) h_fail "pkg-config flags miss DESTDIR: $flags" ;; esac
${CC:-cc} -o "$H_TMP/prog" "$top_srcdir/tests/install/nodeid_prog.c" $flags || h_fail "cannot build with pkg-config"

h_ns_new inst >/dev/null
ns="cpgd-$$-inst"
mkdir -p "$H_TMP/d/run" "$H_TMP/d/state"
h_in "$ns" env LD_LIBRARY_PATH="$dest$libdir" "$dest$prefix/sbin/cpgd" -f -n 5 \
	--run-dir "$H_TMP/d/run" --state-dir "$H_TMP/d/state" >"$H_TMP/d/log" 2>&1 &
H_PIDS="$H_PIDS $!"
h_wait_file "$H_TMP/d/run/cpgd.pid" 10 || { cat "$H_TMP/d/log"; h_fail "installed cpgd not ready"; }
out=$(h_in "$ns" env LD_LIBRARY_PATH="$dest$libdir" "$H_TMP/prog") ||
	h_fail "the program failed against the installed daemon"
[ "$out" = "nodeid 5" ] || h_fail "unexpected output: $out"
ldd "$H_TMP/prog" | grep -q "libcpg.so.4" || h_fail "program not linked to libcpg.so.4"
LD_LIBRARY_PATH="$dest$libdir" ldd "$H_TMP/prog" | grep -q "$dest" ||
	h_fail "program does not load the installed libcpg"
exit 0
