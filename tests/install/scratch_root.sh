# Scratch root for tests that install things as root: an overlay of this
# machine's root filesystem whose writes all land in a tmpfs, mounted in a
# mount namespace of the test's own, with its own /run, /tmp and /dev (only
# the harmless device nodes).  Packages installed and caches written there
# never reach the machine; everything vanishes when the test exits.
#
# Source it after tests/harness.sh, then:
#   sr_enter "$@"   first thing: re-runs the script in a private mount
#                   namespace (skips, exit 77, where that is not possible)
#   h_init; sr_mount    sets SR_ROOT; run things there with chroot
#   sr_bind DIR     makes DIR of this machine (a build tree) visible at the
#                   same path inside, read-write

SR_DIR=""
SR_ROOT=""

sr_enter() {
	[ -n "${CPGD_SR_INNER:-}" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "${0##*/}: SKIP: needs root for a mount namespace" >&2
		exit 77
	fi
	if ! unshare -m --propagation private true 2>/dev/null; then
		echo "${0##*/}: SKIP: cannot create a mount namespace (unshare -m)" >&2
		exit 77
	fi
	CPGD_SR_INNER=1 exec unshare -m --propagation private "${BASH:-sh}" "$0" "$@"
}

sr_umount() {
	[ -n "$SR_DIR" ] || return 0
	umount -R -l "$SR_DIR" 2>/dev/null
	rmdir "$SR_DIR" 2>/dev/null
	SR_DIR=""
}

sr_mount() {
	local d
	SR_DIR=$(mktemp -d /tmp/cpgd-root.XXXXXX) || h_fail "mktemp"
	trap 'sr_umount; h_cleanup' EXIT
	mount -t tmpfs -o mode=0755 tmpfs "$SR_DIR" || h_fail "tmpfs on $SR_DIR"
	mkdir "$SR_DIR/upper" "$SR_DIR/work" "$SR_DIR/root"
	if ! mount -t overlay overlay \
		-o "lowerdir=/,upperdir=$SR_DIR/upper,workdir=$SR_DIR/work" \
		"$SR_DIR/root" 2>"$H_TMP/overlay.err"; then
		h_log "SKIP: cannot mount an overlay of /: $(cat "$H_TMP/overlay.err")"
		exit 77
	fi
	SR_ROOT="$SR_DIR/root"
	mount -t proc proc "$SR_ROOT/proc" || h_fail "proc in the scratch root"
	mount -t tmpfs -o mode=0755 tmpfs "$SR_ROOT/run" || h_fail "its /run"
	mount -t tmpfs -o mode=1777 tmpfs "$SR_ROOT/tmp" || h_fail "its /tmp"
	mount -t tmpfs -o mode=0755 tmpfs "$SR_ROOT/dev" || h_fail "its /dev"
	for d in null zero full random urandom; do
		touch "$SR_ROOT/dev/$d"
		mount --bind "/dev/$d" "$SR_ROOT/dev/$d" || h_fail "its /dev/$d"
	done
	mkdir -m 1777 "$SR_ROOT/dev/shm"
	ln -s /proc/self/fd "$SR_ROOT/dev/fd"
	# no service of this machine is started or stopped from inside
	printf '#!/bin/sh\nexit 101\n' >"$SR_ROOT/usr/sbin/policy-rc.d"
	chmod 755 "$SR_ROOT/usr/sbin/policy-rc.d"
}

sr_bind() {
	mkdir -p "$SR_ROOT$1" && mount --bind "$1" "$SR_ROOT$1" ||
		h_fail "cannot bind $1 into the scratch root"
}
