#!/bin/sh
# libFuzzer on cpgd-tool's reading of the daemon's reply with jansson and its
# printing (tests/fuzz/fuzz_tool_json.c), seeded with sample replies.
# Budget: CPGD_FUZZ_SECONDS (tests/fuzz/fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_init tool_json
JANSSON_FLAGS=$(pkg-config --cflags --libs jansson) || {
	echo "FAIL: pkg-config knows no jansson"; exit 1; }
fuzz_build "$FUZZ_WORK/fuzz_tool_json" \
	-I"$top_srcdir" -I"$top_srcdir/daemon" -I"$top_srcdir/tools" -I"$top_builddir" \
	"$top_srcdir/tests/fuzz/fuzz_tool_json.c" \
	"$top_srcdir/daemon/status/status_json.c" \
	"$top_srcdir/daemon/status/status_build.c" \
	"$top_srcdir/tools/cpgd_tool_json.c" "$top_srcdir/tools/cpgd_tool_fmt.c" \
	$JANSSON_FLAGS
mkdir -p "$FUZZ_WORK/corpus"
cp "$top_srcdir"/tests/fuzz/seed/tool_json/* "$FUZZ_WORK/corpus/"
fuzz_run "$FUZZ_WORK/fuzz_tool_json" "$FUZZ_WORK/corpus" -max_len=4096
