#!/bin/sh
# libFuzzer on the EVS request handler: validation and dispatch into the
# real EVS layer (tests/fuzz/fuzz_evs.c), seeded with one well-formed request
# of every id.  Budget: CPGD_FUZZ_SECONDS (tests/fuzz/fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_request_target evs ipc/ipc_evs.c ipc/ipc_evs_codec.c \
	evs/evs.c evs/evs_deliver.c evs/evs_group.c evs/evs_msg.c \
	../wire/wire.c util/log.c
