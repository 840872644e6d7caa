# Shared by the libFuzzer scripts: find clang with libFuzzer, build a target,
# replay the kept regression inputs, then fuzz for a budget.
#
#   . "$top_srcdir/tests/fuzz/fuzz_lib.sh"
#   fuzz_init NAME            work dir $FUZZ_WORK; exits 77 without libFuzzer
#   fuzz_build OUT SRC... [compiler args]
#   fuzz_request_target NAME SRC...   all of it for a target of the daemon's
#                             request handlers: fuzz_NAME.c and fuzz_order.c
#                             built with the daemon's SRC (paths below
#                             daemon/), seeded by fuzz_NAME_seed.c
#   fuzz_run OUT CORPUS_DIR [libFuzzer args]
#
# Budget per target: CPGD_FUZZ_SECONDS (default 10; the old FUZZ_SECONDS is
# read too), e.g. CPGD_FUZZ_SECONDS=600 make check TESTS=... for a long run.
# Every input that once crashed a target is kept in
# tests/fuzz/regress/NAME/ and replayed before fuzzing.
: "${top_srcdir:?}" "${top_builddir:?}"
CLANG=${CLANG:-clang}
FUZZ_SECONDS=${CPGD_FUZZ_SECONDS:-${FUZZ_SECONDS:-10}}
FUZZ_CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

fuzz_init() {
	FUZZ_NAME="$1"
	FUZZ_WORK="$top_builddir/tests/fuzz/$FUZZ_NAME.work"
	rm -rf "$FUZZ_WORK"
	mkdir -p "$FUZZ_WORK" || exit 99
	if ! command -v "$CLANG" >/dev/null 2>&1; then
		echo "SKIP: $CLANG not installed"
		exit 77
	fi
	printf '%s\n' '#include <stddef.h>' \
		'int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n) { (void)d; (void)n; return 0; }' \
		>"$FUZZ_WORK/probe.c"
	if ! "$CLANG" -fsanitize=fuzzer,address "$FUZZ_WORK/probe.c" \
		-o "$FUZZ_WORK/probe" 2>"$FUZZ_WORK/probe.err"; then
		echo "SKIP: $CLANG cannot build libFuzzer targets (libclang-rt missing?): $(head -n 1 "$FUZZ_WORK/probe.err")"
		exit 77
	fi
}

fuzz_build() {
	local out="$1"; shift
	"$CLANG" $FUZZ_CFLAGS "$@" -o "$out" \
		|| { echo "FAIL: building $out"; exit 1; }
}

fuzz_request_target() {
	local name="$1" f="$top_srcdir/tests/fuzz" src="" s; shift
	# sources relative to daemon/ (../wire/wire.c for the cursor)
	for s in "$@"; do src="$src $top_srcdir/daemon/$s"; done
	fuzz_init "$name"
	# shellcheck disable=SC2086 # $src: paths without spaces, one a word
	fuzz_build "$FUZZ_WORK/fuzz_$name" -I"$top_srcdir/daemon" -I"$top_srcdir" \
		-I"$top_builddir" -I"$top_srcdir/include" $(pkg-config --cflags libqb) \
		"$f/fuzz_$name.c" "$f/fuzz_order.c" $src $(pkg-config --libs libqb)
	mkdir -p "$FUZZ_WORK/corpus"
	"$CLANG" -o "$FUZZ_WORK/seed" "$f/fuzz_${name}_seed.c" &&
		"$FUZZ_WORK/seed" "$FUZZ_WORK/corpus" || { echo "FAIL: seeds"; exit 1; }
	fuzz_run "$FUZZ_WORK/fuzz_$name" "$FUZZ_WORK/corpus" -max_len=8192
}

fuzz_run() {
	local bin="$1" corpus="$2" rc f regress="$top_srcdir/tests/fuzz/regress/$FUZZ_NAME"
	shift 2
	if [ -d "$regress" ] && [ -n "$(ls -A "$regress")" ]; then
		# each kept input once, then into the corpus to start from
		"$bin" "$@" "$regress"/* >"$FUZZ_WORK/regress.log" 2>&1 || {
			tail -n 40 "$FUZZ_WORK/regress.log"
			echo "FAIL: a kept regression input of $FUZZ_NAME fails again"
			exit 1
		}
		echo "$(ls "$regress" | wc -l) regression input(s) pass"
		cp "$regress"/* "$corpus"/
	fi
	# a generous per-input timeout: on a loaded 2-core machine a run can
	# stall for seconds without any input being slow
	(cd "$FUZZ_WORK" && "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=60 \
		-rss_limit_mb=2048 -print_final_stats=1 "$@" "$corpus" \
		>"$FUZZ_WORK/fuzz.log" 2>&1)
	rc=$?
	tail -n 15 "$FUZZ_WORK/fuzz.log"
	if [ $rc != 0 ]; then
		grep -A 30 -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error' \
			"$FUZZ_WORK/fuzz.log" | head -n 60
		for f in "$FUZZ_WORK"/crash-* "$FUZZ_WORK"/leak-* "$FUZZ_WORK"/timeout-* \
			"$FUZZ_WORK"/oom-*; do
			[ -e "$f" ] || continue
			echo "input: $f (keep it in tests/fuzz/regress/$FUZZ_NAME/ once fixed)"
			od -A d -t x1 "$f" | head -n 20
		done
		echo "FAIL: the fuzzer found a problem in $FUZZ_NAME (exit $rc)"
		exit 1
	fi
	return 0
}
