#!/bin/sh
# libFuzzer on the IPC request handler: validation and dispatch into the
# real CPG layer (tests/fuzz/fuzz_ipc.c), seeded with one well-formed
# request of every id.  Budget: CPGD_FUZZ_SECONDS (tests/fuzz/fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_init ipc
d="$top_srcdir/daemon"
fuzz_build "$FUZZ_WORK/fuzz_ipc" -I"$d" -I"$top_builddir" -I"$top_srcdir/include" \
	$(pkg-config --cflags libqb) \
	"$top_srcdir/tests/fuzz/fuzz_ipc.c" "$d"/ipc/ipc_codec.c "$d"/ipc/ipc_dispatch.c \
	"$d"/grp/grp.c "$d"/grp/grp_deliver.c "$d"/grp/grp_group.c "$d"/grp/grp_iter.c \
	"$d"/grp/grp_msg.c "$d"/ipc/ipc_zc.c "$d"/util/wire.c "$d"/util/log.c \
	$(pkg-config --libs libqb)
mkdir -p "$FUZZ_WORK/corpus"
"$CLANG" -o "$FUZZ_WORK/seed" "$top_srcdir/tests/fuzz/fuzz_ipc_seed.c" \
	&& "$FUZZ_WORK/seed" "$FUZZ_WORK/corpus" || { echo "FAIL: seeds"; exit 1; }
fuzz_run "$FUZZ_WORK/fuzz_ipc" "$FUZZ_WORK/corpus" -max_len=8192
