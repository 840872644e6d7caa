#!/bin/sh
# The packages that pkg_build.sh built, installed with apt in a scratch root
# that has Debian's corosync and libcpg4, take the place of libcpg4 and
# libcorosync-common4 with corosync still installed; there, a program
# linked to libcpg.so.4 (and Debian's corosync-cpgtool) loads cpgd's library
# and works against the packaged daemon on its shipped configuration; the
# unit is enabled; installing Debian's libcpg4 and libcorosync-common4 again
# switches the programs back.
. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/install/scratch_root.sh"
sr_enter "$@"
debs="$top_builddir/tests/install/pkg.out"
skip() { echo "pkg_root.sh: SKIP: $*" >&2; exit 77; }
ls "$debs"/libcpgd4_*.deb >/dev/null 2>&1 ||
	skip "no packages: pkg_build.sh did not build them (see its log)"
arch=$(dpkg --print-architecture)
# Debian's own packages, to switch back to: apt keeps the files it installed
# (scripts/deps.sh makes sure of it)
cached() {
	local v
	v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null) || return 1
	v=$(echo "$v" | sed 's/:/%3a/')
	ls "/var/cache/apt/archives/${1}_${v}_$arch.deb" 2>/dev/null
}
deb_cpg=$(cached libcpg4) && deb_common=$(cached libcorosync-common4) ||
	skip "Debian's libcpg4 and libcorosync-common4 must be installed and their package files in /var/cache/apt/archives (scripts/deps.sh)"
command -v corosync-cpgtool >/dev/null || skip "Debian's corosync is not installed"

# this machine's own packages and loader cache, to check they stay as they are
host_state() {
	dpkg-query -W -f='${binary:Package} ${Version} ${db:Status-Abbrev}\n' | grep -E 'cpg|corosync'
	ldconfig -p | grep -E 'libcpg|libcorosync_common'
}
host_before=$(host_state)

h_init
sr_mount
R="$SR_ROOT"
mkdir "$R/tmp/debs" "$R/tmp/debian"
cp "$debs"/*.deb "$R/tmp/debs/" && cp "$deb_cpg" "$deb_common" "$R/tmp/debian/" ||
	h_fail "cannot copy the packages into the scratch root"

inroot() { chroot "$R" env DEBIAN_FRONTEND=noninteractive "$@"; }
installed() { [ "$(inroot dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]; }
# owner PROGRAM LIB: the package of the file the program loads for LIB
owner() {
	local p real
	p=$(inroot ldd "$1" | sed -n "s/^[[:space:]]*$2 => \([^ ]*\) .*/\1/p")
	[ -n "$p" ] || { inroot ldd "$1" >&2; h_fail "$1 does not load $2"; }
	real=$(inroot readlink -f "$p")
	inroot dpkg-query -S "$real" 2>/dev/null | sed 's/:.*//'
}

# a program of someone else's, linked to libcpg.so.4
${CC:-cc} -o "$R/tmp/prog" -I"$top_srcdir/include" "$top_srcdir/tests/install/nodeid_prog.c" \
	-L"$top_builddir/lib/.libs" -lcpg || h_fail "cannot build the program"
[ "$(owner /tmp/prog libcpg.so.4)" = libcpg4 ] ||
	h_fail "before the install the program does not load Debian's libcpg4"

inroot apt-get install -y --no-install-recommends $(cd "$R" && ls tmp/debs/*.deb | sed "s|^|/|") >"$H_TMP/apt.log" 2>&1 ||
	{ cat "$H_TMP/apt.log"; h_fail "apt-get install of the packages"; }
for p in cpgd libcpgd4 libcpgd-dev corosync; do
	installed $p || { cat "$H_TMP/apt.log"; h_fail "$p is not installed"; }
done
for p in libcpg4 libcorosync-common4; do
	installed $p && h_fail "Debian's $p is still installed"
done
for prog in /tmp/prog /usr/sbin/corosync-cpgtool; do
	for lib in libcpg.so.4 libcorosync_common.so.4; do
		o=$(owner $prog $lib)
		[ "$o" = libcpgd4 ] || h_fail "$prog loads the $lib of '$o', not libcpgd4"
	done
done
[ -L "$R/etc/systemd/system/multi-user.target.wants/cpgd.service" ] ||
	h_fail "cpgd.service is not enabled"

# the packaged daemon on the shipped configuration, in a namespace
ns=$(h_ns_new root)
mkdir -p "$H_TMP/d"
ip netns exec "$ns" chroot "$R" /usr/sbin/cpgd -f >"$H_TMP/d/cpgd.log" 2>&1 &
pid=$!
H_PIDS="$H_PIDS $pid"
h_wait_file "$R/run/cpgd/cpgd.pid" 10 || { cat "$H_TMP/d/cpgd.log"; h_fail "the packaged cpgd is not ready"; }
grep -q "node id 1 of 1 (/etc/cpgd/cpgd.conf)" "$H_TMP/d/cpgd.log" ||
	{ cat "$H_TMP/d/cpgd.log"; h_fail "cpgd did not run on /etc/cpgd/cpgd.conf"; }
out=$(h_in "$ns" chroot "$R" /tmp/prog) || h_fail "the program failed against the packaged cpgd"
[ "$out" = "nodeid 1" ] || h_fail "the program says '$out'"
h_in "$ns" chroot "$R" corosync-cpgtool >"$H_TMP/cpgtool.out" 2>&1 ||
	{ cat "$H_TMP/cpgtool.out"; h_fail "corosync-cpgtool failed against the packaged cpgd"; }
h_stop_cpgd "$pid" || { cat "$H_TMP/d/cpgd.log"; h_fail "the packaged cpgd did not stop cleanly"; }

# back to Debian's libraries
inroot apt-get install -y --no-install-recommends $(cd "$R" && ls tmp/debian/*.deb | sed "s|^|/|") >"$H_TMP/apt.log" 2>&1 ||
	{ cat "$H_TMP/apt.log"; h_fail "apt-get install of Debian's libcpg4 and libcorosync-common4"; }
installed libcpgd4 && h_fail "libcpgd4 is still installed"
installed corosync || h_fail "corosync is no longer installed"
[ "$(owner /tmp/prog libcpg.so.4)" = libcpg4 ] &&
	[ "$(owner /tmp/prog libcorosync_common.so.4)" = libcorosync-common4 ] ||
	h_fail "the program does not load Debian's libraries again"
[ "$(host_state)" = "$host_before" ] ||
	h_fail "this machine's own packages or loader cache changed: $(host_state)"
exit 0
