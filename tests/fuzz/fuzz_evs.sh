#!/bin/sh
# libFuzzer on the EVS request handler: validation and dispatch into the
# real EVS layer (tests/fuzz/fuzz_evs.c), seeded with one well-formed request
# of every id.  Budget: CPGD_FUZZ_SECONDS (tests/fuzz/fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_init evs
f="$top_srcdir/tests/fuzz" d="$top_srcdir/daemon"
fuzz_build_daemon "$FUZZ_WORK/fuzz_evs" "$f/fuzz_evs.c" "$f/fuzz_order.c" \
	"$d"/ipc/ipc_evs.c "$d"/ipc/ipc_evs_codec.c \
	"$d"/evs/evs.c "$d"/evs/evs_deliver.c "$d"/evs/evs_group.c "$d"/evs/evs_msg.c \
	"$d"/util/wire.c "$d"/util/log.c
fuzz_seed "$f/fuzz_evs_seed.c"
fuzz_run "$FUZZ_WORK/fuzz_evs" "$FUZZ_WORK/corpus" -max_len=8192
