#!/bin/sh
# libFuzzer on the daemon's reader of a client's request ring
# (tests/fuzz/fuzz_ring.c).  Budget: CPGD_FUZZ_SECONDS (fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_init ring
d="$top_srcdir/daemon"
fuzz_build "$FUZZ_WORK/fuzz_ring" -I"$d" -I"$top_srcdir" -I"$top_builddir" -I"$top_srcdir/include" \
	$(pkg-config --cflags libqb) \
	"$top_srcdir/tests/fuzz/fuzz_ring.c" "$d"/ipc/ipc_ring_parse.c "$top_srcdir"/wire/wire.c
mkdir -p "$FUZZ_WORK/corpus"
# a seed: an empty ring at 0 with one 48-byte MCAST written
printf '\000\000\000\000\000\000\000\000\060\000\000\000\000\000\000\000\002\000\000\000\000\000\000\000\060\000\000\000\000\000\000\000' \
	>"$FUZZ_WORK/corpus/one"
fuzz_run "$FUZZ_WORK/fuzz_ring" "$FUZZ_WORK/corpus" -max_len=4200
