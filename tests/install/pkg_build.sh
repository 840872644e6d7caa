#!/bin/sh
# The Debian packages build with `dpkg-buildpackage -b -uc -us` from an
# export of the tree (make distdir) and hold what they must: libraries with
# their soname links, headers, pkg-config files, the unit, the conffile,
# manual pages; their control fields let them stand in for Debian's libcpg4
# and libcorosync-common4; lintian finds no error and no warning.  Leaves
# the packages in tests/install/pkg.out for pkg_root.sh.
set -u
me=pkg_build.sh
fail() { echo "$me: FAIL: $*" >&2; exit 1; }
skip() { echo "$me: SKIP: $*" >&2; exit 77; }
out="$top_builddir/tests/install/pkg.out"
rm -rf "$out"

if sed -n 's/^CFLAGS = //p' "$top_builddir/Makefile" | grep -q -- -fsanitize; then
	skip "the packages build without sanitizers whatever this tree is; the run without them builds and checks them"
fi
missing=""
for t in dpkg-buildpackage dpkg-deb dh dh_autoreconf lintian objdump; do
	command -v "$t" >/dev/null || missing="$missing $t"
done
[ -z "$missing" ] || skip "missing packaging tools:$missing (scripts/deps.sh installs them)"

tmp=$(mktemp -d /tmp/cpgd-pkg.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL
ver=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")
arch=$(dpkg --print-architecture)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
src="$tmp/cpgd-$ver"

# A clean export: what make dist would ship, nothing of this build.
make -s -C "$top_builddir" distdir distdir="$(realpath -m --relative-to="$top_builddir" "$src")" \
	>"$tmp/dist.log" 2>&1 || { cat "$tmp/dist.log"; fail "make distdir"; }
[ -f "$src/debian/control" ] || fail "debian/ is not in the distributed tree"
start=$(date +%s)
(cd "$src" && env -u top_builddir -u top_srcdir DEB_BUILD_OPTIONS="nocheck parallel=2" \
	dpkg-buildpackage -b -uc -us) >"$tmp/build.log" 2>&1 ||
	{ tail -n 60 "$tmp/build.log"; fail "dpkg-buildpackage -b -uc -us"; }
echo "$me: packages built in $(($(date +%s) - start)) s"

deb() { echo "$tmp/${1}_${ver}_$arch.deb"; }
mkdir "$tmp/x"
for p in cpgd libcpgd4 libcpgd-dev; do
	[ -f "$(deb $p)" ] || fail "no package $p ($(ls "$tmp"))"
	dpkg-deb -x "$(deb $p)" "$tmp/x/$p" && dpkg-deb -e "$(deb $p)" "$tmp/x/$p/DEBIAN" ||
		fail "cannot unpack $p"
done
# has PKG PATH: the package holds that file (or link)
has() { [ -e "$tmp/x/$1/$2" ] || [ -L "$tmp/x/$1/$2" ] || fail "$1 lacks /$2"; }
field() { dpkg-deb -f "$(deb "$1")" "$2"; }

# libcpgd4: each library, its soname link to it, nothing else
L="$tmp/x/libcpgd4/usr/lib/$ma"
for lib in libcpg libcorosync_common libevs; do
	link="$L/$lib.so.4"
	[ -L "$link" ] || fail "libcpgd4: $lib.so.4 is not a link"
	real=$(readlink "$link")
	case "$real" in "$lib.so.4."*) ;; *) fail "libcpgd4: $lib.so.4 -> $real" ;; esac
	[ -f "$L/$real" ] && [ ! -L "$L/$real" ] || fail "libcpgd4: $real is not a file"
	soname=$(objdump -p "$L/$real" | sed -n 's/^ *SONAME *//p')
	[ "$soname" = "$lib.so.4" ] || fail "libcpgd4: $real has soname '$soname'"
	# the development link points to the same file
	dev=$(readlink "$tmp/x/libcpgd-dev/usr/lib/$ma/$lib.so") ||
		fail "libcpgd-dev lacks $lib.so"
	[ "$dev" = "$real" ] || fail "libcpgd-dev: $lib.so -> $dev, not $real"
	has libcpgd-dev "usr/lib/$ma/pkgconfig/$lib.pc"
	v=$(PKG_CONFIG_PATH="$tmp/x/libcpgd-dev/usr/lib/$ma/pkgconfig" \
		pkg-config --variable=libdir "$lib")
	[ "$v" = "/usr/lib/$ma" ] || fail "libcpgd-dev: $lib.pc gives libdir '$v'"
done
other=$(cd "$tmp/x/libcpgd4" && find . ! -type d | grep -v -e "^\./usr/lib/$ma/lib[^/]*\.so\.[0-9.]*\$" \
	-e '^\./usr/share/doc/libcpgd4/' -e '^\./usr/share/lintian/overrides/libcpgd4$' -e '^\./DEBIAN/')
[ -z "$other" ] || fail "libcpgd4 holds more than libraries: $other"

# libcpgd-dev: the headers as in the tree, one page per function, the overview
for h in cpg.h corotypes.h evs.h; do
	cmp -s "$top_srcdir/include/corosync/$h" "$tmp/x/libcpgd-dev/usr/include/corosync/$h" ||
		fail "libcpgd-dev: corosync/$h differs from the tree's"
done
for m in "$top_srcdir"/man/*.3; do
	has libcpgd-dev "usr/share/man/man3/${m##*/}.gz"
done
has libcpgd-dev usr/share/man/man8/cpg_overview.8.gz
has libcpgd-dev usr/share/man/man8/evs_overview.8.gz

# cpgd: programs, unit, configuration as a conffile, pages, example
for f in usr/sbin/cpgd usr/sbin/cpgd-tool usr/sbin/cpgd-keygen; do
	[ -x "$tmp/x/cpgd/$f" ] || fail "cpgd lacks the program /$f"
done
for f in lib/systemd/system/cpgd.service etc/cpgd/cpgd.conf \
	usr/share/man/man8/cpgd.8.gz usr/share/man/man5/cpgd.conf.5.gz \
	usr/share/man/man8/cpgd-tool.8.gz usr/share/man/man8/cpgd-keygen.8.gz \
	usr/share/doc/cpgd/cpgd.conf.example usr/share/doc/cpgd/copyright; do
	has cpgd "$f"
done
grep -qx 'ExecStart=/usr/sbin/cpgd -f' "$tmp/x/cpgd/lib/systemd/system/cpgd.service" ||
	fail "the unit does not start /usr/sbin/cpgd"
grep -qx /etc/cpgd/cpgd.conf "$tmp/x/cpgd/DEBIAN/conffiles" ||
	fail "/etc/cpgd/cpgd.conf is not a conffile"
grep -q "deb-systemd-helper enable 'cpgd.service'" "$tmp/x/cpgd/DEBIAN/postinst" ||
	fail "cpgd's postinst does not enable the unit"
# Type=notify: the daemon must be able to tell systemd it is ready
objdump -p "$tmp/x/cpgd/usr/sbin/cpgd" | grep -q 'NEEDED *libsystemd\.so\.0' ||
	fail "cpgd is built without libsystemd: the unit (Type=notify) would never start"

# control fields
for p in cpgd libcpgd4 libcpgd-dev; do
	[ "$(field $p Version)" = "$ver" ] || fail "$p has version $(field $p Version), configure says $ver"
	[ "$(field $p Architecture)" = "$arch" ] || fail "$p is not for $arch"
done
[ "$(field libcpgd4 Multi-Arch)" = same ] || fail "libcpgd4 is not Multi-Arch: same"
# rel PKG FIELD REGEX: an entry of that relation field matches
rel() {
	field "$1" "$2" | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -qx "$3" ||
		fail "$1 $2 lacks '$3': $(field "$1" "$2")"
}
for p in libcpg4 libcorosync-common4; do
	rel libcpgd4 Provides "$p (= [0-9][0-9.]*)"
	rel libcpgd4 Conflicts "$p"
	rel libcpgd4 Replaces "$p"
done
rel libcpgd4 Depends "libqb100 .*"
rel libcpgd-dev Depends "libcpgd4 (= $ver)"
rel libcpgd-dev Depends "libqb-dev"
rel libcpgd-dev Provides "libcpg-dev (= [0-9][0-9.]*)"
for p in libcpg-dev libcorosync-common-dev; do
	rel libcpgd-dev Conflicts "$p"
	rel libcpgd-dev Replaces "$p"
done
rel cpgd Depends "libknet1 .*"
rel cpgd Depends "libsystemd0.*"
rel cpgd Depends "libjansson4 .*"

# lintian: no error, no warning (the overrides say why for theirs)
lintian --fail-on error,warning "$tmp/cpgd_${ver}_$arch.changes" >"$tmp/lintian.log" 2>&1 ||
	{ cat "$tmp/lintian.log"; fail "lintian"; }
grep -E '^[EW]: ' "$tmp/lintian.log" && fail "lintian reports the above"

mkdir -p "$out" && cp "$(deb cpgd)" "$(deb libcpgd4)" "$(deb libcpgd-dev)" "$out/" ||
	fail "cannot keep the packages in $out"
exit 0
