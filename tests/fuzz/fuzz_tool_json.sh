#!/bin/sh
# libFuzzer on cpgd-tool's JSON reader and formatter
# (tests/fuzz/fuzz_tool_json.c), seeded with sample replies.  Budget:
# CPGD_FUZZ_SECONDS (tests/fuzz/fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_init tool_json
fuzz_build "$FUZZ_WORK/fuzz_tool_json" \
	-I"$top_srcdir" -I"$top_srcdir/daemon" -I"$top_srcdir/tools" -I"$top_builddir" \
	"$top_srcdir/tests/fuzz/fuzz_tool_json.c" \
	"$top_srcdir/daemon/status/status_json.c" \
	"$top_srcdir/tools/cpgd_tool_json.c" "$top_srcdir/tools/cpgd_tool_fmt.c"
mkdir -p "$FUZZ_WORK/corpus"
cp "$top_srcdir"/tests/fuzz/seed/tool_json/* "$FUZZ_WORK/corpus/"
fuzz_run "$FUZZ_WORK/fuzz_tool_json" "$FUZZ_WORK/corpus" -max_len=4096
