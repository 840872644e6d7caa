#!/bin/sh
# Every libevs function has its man page, shipped, whose synopsis shows the
# prototype exactly as <corosync/evs.h> declares it, with its return
# values; evs_overview(8) is shipped.  (man.sh renders every page.)
: "${top_srcdir:?}"
MAN="$top_srcdir/man"
hdr="$top_srcdir/include/corosync/evs.h"
fail=0
err() { printf 'evs_man.sh: FAIL: %s\n' "$*" >&2; fail=1; }
command -v groff >/dev/null 2>&1 || {
	echo "evs_man.sh: SKIP: groff is not installed (Debian package groff-base)" >&2
	exit 77
}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
sed -n '/^dist_man_MANS/,/^$/p' "$MAN/Makefile.am" | tr -d '\\' | tr ' \t' '\n\n' \
	| grep -E '\.[1-8]$' | sort >"$tmp/listed"
grep -qx evs_overview.8 "$tmp/listed" || err "evs_overview.8 is not in dist_man_MANS"
funcs=$(sed -n 's/^cs_error_t[[:space:]]*\(evs_[a-z_]*\).*/\1/p' "$hdr")
[ "$(printf '%s\n' $funcs | wc -l)" = 11 ] || err "evs.h does not declare 11 functions"
for f in $funcs; do
	path="$MAN/$f.3"
	grep -qx "$f.3" "$tmp/listed" || err "$f.3 is not in dist_man_MANS"
	[ -f "$path" ] || { err "no man page for $f"; continue; }
	groff -man -t -Tascii -P-cbou "$path" 2>/dev/null >"$tmp/text"
	grep -qx "RETURN VALUE" "$tmp/text" || err "$f.3 has no RETURN VALUE section"
	grep -q "CS_OK" "$tmp/text" || err "$f.3 does not mention CS_OK"
	grep -q "evs_overview(8)" "$tmp/text" || err "$f.3 does not refer to evs_overview(8)"
	sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' "$tmp/text" | tr -d ' \t\n' >"$tmp/syn"
	grep -q '#include<corosync/evs.h>' "$tmp/syn" || err "$f.3: synopsis lacks the #include"
	proto=$(awk -v f="$f" '
		$0 ~ "^cs_error_t[ \t]+" f "[ \t]*\\(" { on = 1 }
		on { print; if ($0 ~ /;/) exit }' "$hdr" | tr -d ' \t\n')
	grep -qF -- "$proto" "$tmp/syn" || err "$f.3: synopsis does not match evs.h ($proto)"
	grep -q "$f.3" "$MAN/evs_overview.8" 2>/dev/null ||
		grep -q "BR $f (3)" "$MAN/evs_overview.8" || err "evs_overview.8 does not list $f"
done
[ $fail -eq 0 ] && echo "evs_man.sh: $(printf '%s\n' $funcs | wc -l) functions covered"
exit $fail
