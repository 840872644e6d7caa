#!/bin/sh
# libFuzzer on the Totem decoder and engine (tests/fuzz/fuzz_totem_wire.c),
# seeded with real packets from a short simulated run.  Budget:
# CPGD_FUZZ_SECONDS (tests/fuzz/fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_init totem_wire
src="$top_srcdir/daemon/totem"
fuzz_build "$FUZZ_WORK/fuzz_totem_wire" -I"$top_srcdir/daemon" -I"$top_srcdir" -I"$top_builddir" \
	"$top_srcdir/tests/fuzz/fuzz_totem_wire.c" "$src"/totem_wire.c \
	"$src"/totem_store.c "$src"/totem_order.c "$src"/totem_token.c \
	"$src"/totem_memb.c "$src"/totem_engine.c "$top_srcdir"/wire/wire.c
mkdir -p "$FUZZ_WORK/corpus"
if [ -x "$top_builddir/tests/sim/totemsim" ]; then
	"$top_builddir/tests/sim/totemsim" --seed 1 --nodes 3 --faults none \
		--duration 300 --dump-packets "$FUZZ_WORK/corpus" --quiet >/dev/null || true
fi
fuzz_run "$FUZZ_WORK/fuzz_totem_wire" "$FUZZ_WORK/corpus" -max_len=4096
