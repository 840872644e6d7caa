#!/bin/sh
# Who may connect: root; users and groups named in uidgid sections of the
# configuration file or of files in uidgid.d next to it.  Three real users
# made for the test: one allowed by uid, one by gid (from uidgid.d), one not
# allowed at all.  The refused one gets EACCES from libqb and CS_ERR_ACCESS
# from cpg_initialize(), and the daemon logs why; an allowed one works, and
# its zero-copy request naming a root-owned file is refused.
. "$top_srcdir/tests/harness.sh"
h_init
command -v useradd >/dev/null && command -v setpriv >/dev/null \
	|| { h_log "SKIP: useradd or setpriv missing"; exit 77; }

U_UID="cpgdu$$" U_GID="cpgdg$$" U_NO="cpgdn$$"
access_cleanup() {
	h_cleanup
	for u in $U_UID $U_GID $U_NO; do
		userdel "$u" 2>/dev/null
		groupdel "$u" 2>/dev/null
	done
	rm -f "/dev/shm/cpgd-root-$$"
}
trap access_cleanup EXIT
for u in $U_UID $U_GID $U_NO; do
	useradd -r -M -U -s /usr/sbin/nologin "$u" || h_fail "useradd $u"
done

# the test programs, where the users can run them (the build tree may not be
# readable to them); libcpg next to them
chmod 755 "$H_TMP"
bin="$H_TMP/bin"
mkdir -p "$bin"
cp "$top_builddir/tests/ipc/hostile" "$bin/" || h_fail "copy hostile"
cp "$top_builddir/tests/ipc/.libs/cpginit" "$bin/" || h_fail "copy cpginit"
cp -P "$top_builddir"/lib/.libs/libcpg.so* "$bin/" || h_fail "copy libcpg"
chmod -R a+rX "$bin"

as() {
	local u="$1"; shift
	h_in "$ns" env LD_LIBRARY_PATH="$bin" setpriv --reuid="$u" \
		--regid="$(id -g "$u")" --clear-groups -- "$@"
}

ns=$(h_ns_new access)
dir="$H_TMP/access"
mkdir -p "$dir/uidgid.d"
h_conf_single 1 "$dir/cpgd.conf"
printf 'uidgid {\n\tuid: %s\n}\n' "$U_UID" >>"$dir/cpgd.conf"
printf 'uidgid {\n\tgid: %s\n}\n' "$U_GID" >"$dir/uidgid.d/extra"
h_start_cpgd "$ns" access -c "$dir/cpgd.conf"
pid=$H_LAST_PID

dd if=/dev/zero of="/dev/shm/cpgd-root-$$" bs=4096 count=1 2>/dev/null
chmod 644 "/dev/shm/cpgd-root-$$"

as "$U_NO" "$bin/hostile" refused || h_fail "$U_NO not refused by libqb"
as "$U_NO" "$bin/cpginit" denied || h_fail "$U_NO: cpg_initialize did not say CS_ERR_ACCESS"
grep -q "connection from uid $(id -u "$U_NO") gid $(id -g "$U_NO") refused" \
	"$dir/cpgd.log" || h_fail "no log line for the refused connection"
for u in $U_UID $U_GID; do
	as "$u" "$bin/hostile" allowed "/dev/shm/cpgd-root-$$" || h_fail "$u: raw"
	as "$u" "$bin/cpginit" ok || h_fail "$u: through libcpg"
done
h_in "$ns" env LD_LIBRARY_PATH="$bin" "$bin/cpginit" ok || h_fail "root refused"
h_alive "$pid"

# without uidgid sections only root gets in
ns2=$(h_ns_new closed)
h_start_cpgd "$ns2" closed
ns=$ns2
as "$U_UID" "$bin/cpginit" denied || h_fail "$U_UID let in without a uidgid section"
as "$U_GID" "$bin/hostile" refused || h_fail "$U_GID let in without a uidgid section"
h_in "$ns2" env LD_LIBRARY_PATH="$bin" "$bin/cpginit" ok || h_fail "root refused"
exit 0
