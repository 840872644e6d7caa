# The start of a benchmark script run by hand (compare.sh, profile.sh):
# finds the source tree and the build directory ($top_builddir, default
# ./_build), sources the harnesses and bench_lib.sh, and refuses to run
# without root (network namespaces).  Sourced as
#   . "$(dirname "$0")/bench_init.sh"
# after the script's options are read; the script calls h_init next.
B_NAME=$(basename "$0")
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
top_builddir=$(cd "${top_builddir:-./_build}" 2>/dev/null && pwd) ||
	{ echo "$B_NAME: no build directory (set top_builddir)" >&2; exit 2; }
export top_srcdir top_builddir
B_BUILD="$top_builddir"

. "$top_srcdir/tests/harness.sh"
. "$top_srcdir/tests/cluster/cluster_harness.sh"
. "$top_srcdir/tests/interop/corosync_harness.sh"
. "$top_srcdir/tests/bench/bench_lib.sh"

[ "$(id -u)" = 0 ] || { echo "$B_NAME: run as root (network namespaces)" >&2; exit 2; }
