#!/bin/sh
# The manual: every public function has its page, every page is shipped,
# every page renders without a warning, and each function page shows the
# prototype exactly as Debian's corosync header (libcpg-dev, found by
# package) declares it.  A part that cannot run here makes the test SKIP
# once the rest has passed; a failure stays a failure.
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/debian_files.sh"
MAN="$top_srcdir/man"
fail=0
skipped=""
err() { printf 'man.sh: FAIL: %s\n' "$*" >&2; fail=1; }
skip_part() { printf 'man.sh: not checked: %s\n' "$*" >&2; skipped="$skipped; $*"; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The 20 functions of libcpg.so.4, plus any the project's header declares.
funcs="cpg_initialize cpg_model_initialize cpg_finalize cpg_fd_get
cpg_dispatch cpg_join cpg_leave cpg_mcast_joined cpg_membership_get
cpg_local_get cpg_context_get cpg_context_set cpg_max_atomic_msgsize_get
cpg_flow_control_state_get cpg_zcb_alloc cpg_zcb_free cpg_zcb_mcast_joined
cpg_iteration_initialize cpg_iteration_next cpg_iteration_finalize"
own_h="$top_srcdir/include/corosync/cpg.h"
if [ -f "$own_h" ]; then
	funcs="$funcs $(sed -n 's/^cs_error_t[[:space:]]*\(cpg_[a-z_]*\).*/\1/p' "$own_h")"
fi
funcs=$(printf '%s\n' $funcs | sort -u)
[ "$(printf '%s\n' "$funcs" | wc -l)" -ge 20 ] || err "function list is short"

# Renderers that report warnings: groff with all warnings on, and man-db's
# man as a reader's system runs it.
command -v groff >/dev/null 2>&1 || {
	[ $fail -eq 0 ] || exit 1
	echo "man.sh: SKIP: groff is not installed (Debian package groff-base)" >&2
	exit 77
}
command -v man >/dev/null 2>&1 ||
	skip_part "rendering by man(1): man-db is not installed"
render_check() {
	LC_ALL=C.UTF-8 groff -man -t -ww -z -Tutf8 "$1" 2>&1
	if command -v man >/dev/null 2>&1; then
		LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
			man --warnings -E UTF-8 -l -Tutf8 -Z "$1" 2>&1 >/dev/null
	fi
}
as_text() { groff -man -t -Tascii -P-cbou "$1" 2>/dev/null; }

# Shipped pages: what man/Makefile.am lists must be exactly what man/ holds.
sed -n '/^dist_man_MANS/,/^$/p' "$MAN/Makefile.am" | tr -d '\\' | tr ' \t' '\n\n' \
	| grep -E '\.[1-8]$' | sort > "$tmp/listed"
(cd "$MAN" && ls | grep -E '\.[1-8]$' | sort) > "$tmp/present"
if ! cmp -s "$tmp/listed" "$tmp/present"; then
	err "man/Makefile.am and man/ disagree:"
	diff "$tmp/listed" "$tmp/present" >&2
fi
for p in cpg_overview.8 cpgd.8 cpgd.conf.5 cpgd-keygen.8; do
	grep -qx "$p" "$tmp/listed" || err "$p is not in dist_man_MANS"
done

for f in $funcs; do
	grep -qx "$f.3" "$tmp/listed" || err "$f.3 is not in dist_man_MANS"
	[ -f "$MAN/$f.3" ] || err "no man page for $f"
done

for page in $(cat "$tmp/present"); do
	path="$MAN/$page"
	out=$(render_check "$path")
	[ -z "$out" ] || err "$page renders with warnings: $out"
	# .TH must name the page and its section as the file name does.
	name=${page%.*}; sec=${page##*.}
	th=$(sed -n 's/^\.TH[[:space:]]*//p' "$path" | head -n 1)
	set -- $th
	want=$(printf '%s' "$name" | tr 'a-z' 'A-Z' | sed 's/-/\\-/g')
	[ "${1:-}" = "$want" ] || [ "${1:-}" = "$(printf '%s' "$name" | tr 'a-z' 'A-Z')" ] \
		|| err "$page: .TH names '${1:-}'"
	[ "${2:-}" = "$sec" ] || err "$page: .TH section '${2:-}' is not $sec"
	as_text "$path" > "$tmp/text"
	for s in NAME DESCRIPTION "SEE ALSO"; do
		grep -qx "$s" "$tmp/text" || err "$page has no $s section"
	done
done

# Function pages: synopsis with the header's prototype, and return values.
sys_h=""
if deb_file libcpg-dev "*/corosync/cpg.h"; then
	sys_h=$DEB_FILE
elif [ "$DEB_OURS" = 1 ]; then
	err "$DEB_WHY"
else
	skip_part "synopses against Debian's cpg.h: $DEB_WHY"
fi
for f in $funcs; do
	path="$MAN/$f.3"
	[ -f "$path" ] || continue
	as_text "$path" > "$tmp/text"
	grep -qx "RETURN VALUE" "$tmp/text" || err "$f.3 has no RETURN VALUE section"
	grep -q "CS_OK" "$tmp/text" || err "$f.3 does not mention CS_OK"
	sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' "$tmp/text" | tr -d ' \t\n' > "$tmp/syn"
	grep -q '#include<corosync/cpg.h>' "$tmp/syn" || err "$f.3: synopsis lacks the #include"
	if [ -n "$sys_h" ]; then
		proto=$(awk -v f="$f" '
			$0 ~ "^cs_error_t[ \t]+" f "[ \t]*\\(" { on = 1 }
			on { print; if ($0 ~ /;/) exit }' "$sys_h" | tr -d ' \t\n')
		if [ -z "$proto" ]; then
			err "$f is not declared in $sys_h"
		elif ! grep -qF -- "$proto" "$tmp/syn"; then
			err "$f.3: synopsis does not match $sys_h ($proto)"
		fi
	fi
done

# Every option a built program lists in its -h output is in its page's
# OPTIONS section.  (cpgd is checked once the daemon is built.)
for prog in tools/cpgd-keygen:cpgd-keygen.8 daemon/cpgd:cpgd.8; do
	exe="${top_builddir:-.}/${prog%%:*}"; page=${prog#*:}
	if [ ! -x "$exe" ]; then
		skip_part "$exe not built; its options not compared with $page"
		continue
	fi
	as_text "$MAN/$page" | sed -n '/^OPTIONS$/,/^[A-Z][A-Z ]*$/p' > "$tmp/opts"
	"$exe" -h 2>&1 | grep -oE '(^|[[ ,|])--?[a-zA-Z][a-zA-Z-]*' \
		| sed 's/^[[ ,|]//' | sort -u > "$tmp/hopts"
	[ -s "$tmp/hopts" ] || err "$exe -h lists no options"
	for o in $(cat "$tmp/hopts"); do
		grep -qE -- "(^|[ ,])$o([ ,]|$)" "$tmp/opts" || err "$page does not document $o"
	done
done

# Every CS_*/CPG_* name the pages use must exist in the headers (Debian's
# and ours: a name only ours defines must still be documented right), or be
# an environment variable the library reads.
hdrs="$sys_h"
deb_file libcorosync-common-dev "*/corosync/corotypes.h" && hdrs="$hdrs $DEB_FILE"
for h in "$top_srcdir/include/corosync/corotypes.h" "$top_srcdir/include/corosync/cpg.h"; do
	[ -f "$h" ] && hdrs="$hdrs $h"
done
if [ -n "$hdrs" ]; then
	grep -ohE '\b(CS|CPG)_[A-Z0-9_]+\b' $hdrs | sort -u > "$tmp/defined"
	# and the environment variables the library reads (getenv in lib/)
	sed -n 's/.*getenv("\(\(CS\|CPG\)_[A-Z0-9_]*\)").*/\1/p' \
		"$top_srcdir"/lib/*.c | sort -u >> "$tmp/defined"
	for page in $(cat "$tmp/present"); do
		# (.TH carries the page title in capitals, not a constant)
		for n in $(grep -v '^\.TH' "$MAN/$page" | grep -ohE '\b(CS|CPG)_[A-Z0-9_]+\b' | sort -u); do
			grep -qx "$n" "$tmp/defined" || err "$page names $n, which the headers do not define"
		done
	done
fi

[ $fail -eq 0 ] || exit 1
if [ -n "$skipped" ]; then
	echo "man.sh: SKIP: the rest passed, but not checked:${skipped#;}" >&2
	exit 77
fi
echo "man.sh: $(wc -l < "$tmp/present") pages checked, $(printf '%s\n' "$funcs" | wc -l) functions covered against $sys_h"
exit 0
