#!/bin/sh
# libFuzzer on the IPC request handler: validation and dispatch into the
# real CPG layer (tests/fuzz/fuzz_ipc.c), seeded with one well-formed
# request of every id.  Budget: CPGD_FUZZ_SECONDS (tests/fuzz/fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_request_target ipc ipc/ipc_codec.c ipc/ipc_dispatch.c ipc/ipc_events.c \
	grp/grp.c grp/grp_deliver.c grp/grp_group.c grp/grp_iter.c grp/grp_msg.c \
	ipc/ipc_zc.c ../wire/wire.c util/log.c
