#!/bin/sh
# Runs one test under the valgrind tool CPGD_VALGRIND_TOOL (memcheck or
# helgrind): the LOG_COMPILER of make check-memcheck and check-helgrind
# (tests/valgrind.am), and the wrapper of tests/ipc/lib_valgrind.sh.  Any
# error the tool reports, in the program or in a process it forks (a Check
# test), fails the test; SKIP (77) without valgrind or in a sanitizer build.
#   valgrind.sh PROGRAM [ARGS...]
: "${top_builddir:?}" "${CPGD_VALGRIND_TOOL:?}"
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not installed"; exit 77; }
lt="$top_builddir/libtool"
if "$lt" --mode=execute ldd "$1" 2>/dev/null | grep -q libasan; then
	echo "SKIP: $1 is built with AddressSanitizer, which valgrind cannot run"
	exit 77
fi
case "$CPGD_VALGRIND_TOOL" in
memcheck)
	opts="--leak-check=full --show-leak-kinds=definite,indirect,possible"
	opts="$opts --errors-for-leak-kinds=definite,indirect,possible" ;;
helgrind)
	# valgrind's default suppressions stay: they cover glibc's own
	# internals (its mutexes, stdio), not this project's code
	opts="" ;;
*)
	echo "ERROR: CPGD_VALGRIND_TOOL is '$CPGD_VALGRIND_TOOL', not memcheck or helgrind"
	exit 99 ;;
esac
# ten times slower under the tool: Check's timeouts scaled to match
CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10}
export CK_TIMEOUT_MULTIPLIER
# 98: the tool found an error (a failure, not a hard error, for automake)
exec "$lt" --mode=execute valgrind -q --tool="$CPGD_VALGRIND_TOOL" \
	--error-exitcode=98 --num-callers=30 $opts "$@"
