#!/bin/sh
# Build tests/tool/fuzz_tool_json.c with clang's libFuzzer and AddressSanitizer
# and run it for a short budget (CPGD_FUZZ_SECONDS, default 15), seeded with
# sample replies.  Skips (77) when clang or its libFuzzer runtime is not
# installed.
: "${top_srcdir:?}" "${top_builddir:?}"
CLANG=${CLANG:-clang}
SECONDS_BUDGET=${CPGD_FUZZ_SECONDS:-15}
OUT="$top_builddir/tests/tool/fuzz_tool_json"
WORK=$(mktemp -d /tmp/cpgd-fuzz-tool.XXXXXX) || exit 99
trap 'rm -rf "$WORK"' EXIT

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "SKIP: $CLANG not installed"
	exit 77
fi
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' \
	>"$WORK/probe.c"
if ! "$CLANG" -fsanitize=fuzzer,address "$WORK/probe.c" -o "$WORK/probe" 2>"$WORK/probe.err"; then
	echo "SKIP: $CLANG cannot build libFuzzer targets: $(head -1 "$WORK/probe.err")"
	exit 77
fi

"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$top_srcdir" -I"$top_srcdir/daemon" -I"$top_srcdir/tools" -I"$top_builddir" \
	"$top_srcdir/tests/tool/fuzz_tool_json.c" \
	"$top_srcdir/daemon/status/status_json.c" \
	"$top_srcdir/tools/cpgd_tool_json.c" "$top_srcdir/tools/cpgd_tool_fmt.c" \
	-o "$OUT" || { echo "FAIL: building the fuzz target"; exit 1; }

mkdir -p "$WORK/corpus"
cp "$top_srcdir"/tests/tool/fuzz_seed/* "$WORK/corpus/"

cd "$WORK" || exit 99
"$OUT" -max_total_time="$SECONDS_BUDGET" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
	-print_final_stats=1 "$WORK/corpus" >"$WORK/fuzz.log" 2>&1
rc=$?
tail -15 "$WORK/fuzz.log"
if [ "$rc" != 0 ]; then
	ls "$WORK"/crash-* "$WORK"/leak-* "$WORK"/timeout-* 2>/dev/null | while read -r f; do
		echo "input: $f"; od -c "$f" | head -20
	done
	echo "FAIL: the fuzzer found a problem (exit $rc)"
	exit 1
fi
exit 0
