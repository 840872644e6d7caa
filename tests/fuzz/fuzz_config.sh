#!/bin/sh
# libFuzzer on the configuration parser (tests/fuzz/fuzz_config.c), seeded
# with our sample configurations and corosync's installed one.  Budget:
# CPGD_FUZZ_SECONDS (tests/fuzz/fuzz_lib.sh).
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_init config
src="$top_srcdir/daemon/config"
fuzz_build "$FUZZ_WORK/fuzz_config" -I"$top_srcdir/daemon" -I"$top_builddir" \
	"$top_srcdir/tests/fuzz/fuzz_config.c" "$src"/config.c "$src"/config_cursor.c \
	"$src"/config_parse.c "$src"/config_sections.c "$src"/config_values.c \
	"$src"/config_finish.c "$src"/config_local.c "$src"/config_key.c "$src"/config_startup.c
mkdir -p "$FUZZ_WORK/corpus"
cp "$top_srcdir"/tests/unit/config_data/*.conf "$FUZZ_WORK/corpus/"
[ -r /etc/corosync/corosync.conf ] && cp /etc/corosync/corosync.conf "$FUZZ_WORK/corpus/corosync.conf"
fuzz_run "$FUZZ_WORK/fuzz_config" "$FUZZ_WORK/corpus" -max_len=4096 \
	-dict="$top_srcdir/tests/fuzz/fuzz_config.dict"
