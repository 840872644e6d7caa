#!/bin/sh
# Build the Totem decoder/engine fuzz target with clang's libFuzzer and run
# it for a short budget (FUZZ_SECONDS, default 20).  Skips (77) only when
# this machine has no clang with libFuzzer.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
secs=${FUZZ_SECONDS:-20}
src="$top_srcdir/daemon/totem"
out="$top_builddir/tests/sim/fuzz-out"
mkdir -p "$out/corpus" || exit 1
CLANG=${CLANG:-clang}
if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "SKIP: no clang"; exit 77
fi
probe="$out/probe.c"
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe"
if ! "$CLANG" -fsanitize=fuzzer "$probe" -o "$out/probe" 2>/dev/null; then
	echo "SKIP: $CLANG cannot link -fsanitize=fuzzer (libclang-rt missing)"; exit 77
fi
"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$top_srcdir/daemon" -o "$out/fuzz_totem_wire" \
	"$top_srcdir/tests/sim/fuzz_totem_wire.c" "$src"/totem_wire.c \
	"$src"/totem_store.c "$src"/totem_order.c "$src"/totem_token.c \
	"$src"/totem_memb.c "$src"/totem_engine.c || exit 1
# Seed the corpus with real packets from a short simulated run.
if [ -x "$top_builddir/tests/sim/totemsim" ] && [ -z "$(ls "$out/corpus")" ]; then
	"$top_builddir/tests/sim/totemsim" --seed 1 --nodes 3 --faults none \
		--duration 300 --dump-packets "$out/corpus" --quiet >/dev/null || true
fi
"$out/fuzz_totem_wire" -max_total_time="$secs" -max_len=4096 \
	-print_final_stats=1 "$out/corpus" >"$out/fuzz.log" 2>&1
rc=$?
tail -n 15 "$out/fuzz.log"
if [ $rc -ne 0 ]; then
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
echo "fuzz: 1 passed, 0 failed"
exit 0
