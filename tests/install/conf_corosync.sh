#!/bin/sh
# Our configuration examples are corosync.conf files: corosync's own
# configuration check (corosync -t, which parses and exits without starting
# anything) accepts init/cpgd.conf.example and the EXAMPLES section of
# cpgd.conf(5), with a key from cpgd-keygen.  Runs inside a network
# namespace of its own, where one node address of each example is local.
set -u
: "${top_builddir:?}" "${top_srcdir:?}"
. "$top_srcdir/tests/harness.sh"

command -v corosync >/dev/null 2>&1 || {
	h_log "SKIP: corosync is not installed (Debian package corosync)"
	exit 77
}
h_init
KEYGEN="$top_builddir/tools/cpgd-keygen"
[ -x "$KEYGEN" ] || h_fail "$KEYGEN was not built"
"$KEYGEN" -k "$H_TMP/authkey" > /dev/null || h_fail "cpgd-keygen failed"

# The copies differ only where this run needs it: our key, messages on
# stderr instead of the host's syslog.
adapt() {
	sed -e "s|keyfile: /etc/cpgd/authkey|keyfile: $H_TMP/authkey|" \
	    -e 's|to_syslog: yes|to_syslog: no|' \
	    -e 's|to_stderr: no|to_stderr: yes|'
}
adapt < "$top_srcdir/init/cpgd.conf.example" > "$H_TMP/example.conf"
# The first .EX/.EE block after .SH EXAMPLES, roff escapes undone.
sed -n '/^\.SH EXAMPLES/,$p' "$top_srcdir/man/cpgd.conf.5" \
	| sed -n '/^\.EX$/,/^\.EE$/{/^\.E[XE]$/d;p;}' | awk '/^\.EE/{exit} {print}' \
	| sed -e 's/\\-/-/g' -e 's/\\e/\\/g' | adapt > "$H_TMP/man.conf"
grep -q '^nodelist' "$H_TMP/man.conf" || h_fail "no example found in cpgd.conf(5)"

check() { # name file local-address
	# not ns=$(h_ns_new ...): a subshell would not record the namespace
	# for the cleanup
	h_ns_new "$1" > /dev/null
	ns="cpgd-$$-$1"
	h_in "$ns" ip addr add "$3/32" dev lo || h_fail "address $3 in $ns"
	if ! h_in "$ns" timeout 20 corosync -t -c "$2" > "$H_TMP/$1.out" 2>&1; then
		cat "$H_TMP/$1.out" >&2
		h_fail "corosync -t rejects the $1 example"
	fi
	h_log "corosync -t accepts the $1 example"
}
check file "$H_TMP/example.conf" 192.0.2.11
check man "$H_TMP/man.conf" 192.0.2.1
exit 0
