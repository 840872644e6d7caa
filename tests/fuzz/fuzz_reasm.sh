#!/bin/sh
# libFuzzer on the library's fragment reassembly against a model of its
# rules (tests/fuzz/fuzz_reasm.c).  Budget: CPGD_FUZZ_SECONDS.
. "$top_srcdir/tests/fuzz/fuzz_lib.sh"
fuzz_init reasm
fuzz_build "$FUZZ_WORK/fuzz_reasm" -I"$top_srcdir/lib" -I"$top_builddir" \
	-I"$top_srcdir/include" "$top_srcdir/tests/fuzz/fuzz_reasm.c" \
	"$top_srcdir/lib/cpg_reasm.c"
mkdir -p "$FUZZ_WORK/corpus"
# one message of 3 fragments (first, continued, last) from one sender
printf '\001\001\011\000\003\000aaa\001\002\011\000\003\000bbb\001\003\011\000\003\000ccc' \
	>"$FUZZ_WORK/corpus/three"
fuzz_run "$FUZZ_WORK/fuzz_reasm" "$FUZZ_WORK/corpus" -max_len=4096
