# The public headers of this tree against Debian's (libcpg-dev and
# libcorosync-common-dev, found by package, never by search path): the
# probe's output must be identical.
. "$top_srcdir/tests/debian_files.sh"
ours="$top_builddir/tests/abi/abi_probe_ours"

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
# Debian's headers alone in a directory of their own, searched first: an
# installed copy of ours in /usr/local/include cannot stand in for them
mkdir "$tmp/corosync"
for ph in libcpg-dev:cpg.h libcorosync-common-dev:corotypes.h \
	libcorosync-common-dev:corodefs.h libcorosync-common-dev:hdb.h; do
	if ! deb_file "${ph%%:*}" "*/corosync/${ph#*:}"; then
		[ "$DEB_OURS" = 1 ] && { echo "FAIL: $DEB_WHY" >&2; exit 1; }
		echo "SKIP: $DEB_WHY" >&2
		exit 77
	fi
	cp "$DEB_FILE" "$tmp/corosync/" || exit 99
done
${CC:-cc} -I"$tmp" -o "$tmp/abi_probe_sys" "$top_srcdir/tests/abi/abi_probe.c" ||
	{ echo "FAIL: the probe does not compile against Debian's headers" >&2; exit 1; }
"$tmp/abi_probe_sys" >abi_probe_sys.out || exit 1
"$ours" >abi_probe_ours.out || exit 1
lines=$(wc -l <abi_probe_ours.out)
if [ "$lines" -lt 100 ]; then
	echo "FAIL: probe printed only $lines lines" >&2
	exit 1
fi
if ! diff -u abi_probe_sys.out abi_probe_ours.out; then
	echo "FAIL: the headers differ from Debian's in ABI" >&2
	exit 1
fi
echo "ABI identical to Debian's headers ($lines facts)"
