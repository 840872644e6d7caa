# The public headers of this tree against the system's (Debian's libcpg-dev
# and libcorosync-common-dev): the probe's output must be identical.
sys="$top_builddir/tests/abi/abi_probe_sys"
ours="$top_builddir/tests/abi/abi_probe_ours"

if [ ! -f /usr/include/corosync/cpg.h ]; then
	echo "SKIP: /usr/include/corosync/cpg.h missing (install libcpg-dev)" >&2
	exit 77
fi
"$sys" >abi_probe_sys.out || exit 1
"$ours" >abi_probe_ours.out || exit 1
lines=$(wc -l <abi_probe_ours.out)
if [ "$lines" -lt 100 ]; then
	echo "FAIL: probe printed only $lines lines" >&2
	exit 1
fi
if ! diff -u abi_probe_sys.out abi_probe_ours.out; then
	echo "FAIL: the headers differ from the system's in ABI" >&2
	exit 1
fi
echo "ABI identical ($lines facts)"
