# Shared by the cpgd-tool tests (tool_stub.sh, tool_cpgd.sh): checks of the
# output in $OUT.  Source after harness.sh; needs JSONOK (json_valid).

# has PATTERN WHAT: $OUT has a line matching PATTERN, else the test fails
# naming WHAT (the command that wrote it)
has() { grep -q -e "$1" "$OUT" || { cat "$OUT" >&2; h_fail "no '$1' in the output of $2"; }; }

# json_ok WHAT: $OUT is valid JSON (json_valid, and python3's json.tool
# where python3 runs), else the test fails naming WHAT
json_ok() {
	"$JSONOK" <"$OUT" || { cat "$OUT" >&2; h_fail "invalid JSON from $1"; }
	if command -v python3 >/dev/null 2>&1 && python3 -c '' 2>/dev/null; then
		python3 -m json.tool <"$OUT" >/dev/null ||
			h_fail "python3 rejects the JSON from $1"
	fi
}
