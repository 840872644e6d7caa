#!/bin/sh
# libFuzzer on the EVS request handler: validation and dispatch into the
# real EVS layer (tests/fuzz/fuzz_evs.c), seeded with one well-formed request
# of every id.  Budget: CPGD_FUZZ_SECONDS (tests/fuzz/fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_init evs
d="$top_srcdir/daemon"
fuzz_build "$FUZZ_WORK/fuzz_evs" -I"$d" -I"$top_srcdir" -I"$top_builddir" -I"$top_srcdir/include" \
	$(pkg-config --cflags libqb) \
	"$top_srcdir/tests/fuzz/fuzz_evs.c" "$d"/ipc/ipc_evs.c "$d"/ipc/ipc_evs_codec.c \
	"$d"/evs/evs.c "$d"/evs/evs_deliver.c "$d"/evs/evs_group.c "$d"/evs/evs_msg.c \
	"$top_srcdir"/wire/wire.c "$d"/util/log.c $(pkg-config --libs libqb)
mkdir -p "$FUZZ_WORK/corpus"
"$CLANG" -o "$FUZZ_WORK/seed" "$top_srcdir/tests/fuzz/fuzz_evs_seed.c" \
	&& "$FUZZ_WORK/seed" "$FUZZ_WORK/corpus" || { echo "FAIL: seeds"; exit 1; }
fuzz_run "$FUZZ_WORK/fuzz_evs" "$FUZZ_WORK/corpus" -max_len=8192
