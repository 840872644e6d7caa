# Reusable shell functions to run Debian's real corosync for interop tests.
#
# Source tests/harness.sh first (h_init, h_ns_new, h_in, h_fail), then this
# file.  corosync's lock file, run directory and state directory are fixed
# paths, so each corosync runs in a private mount namespace (unshare -m) with
# tmpfs over /run, /var/lib/corosync and /var/log/corosync, inside a network
# namespace of its own: it never touches the host's corosync or cpgd.
#
#   c_have_corosync           exit 77 (SKIP) with a reason when not installed
#   c_write_conf FILE         single-node config: nodeid 1, 127.0.0.1, knet
#   c_run_corosync NS CONF LOG  corosync with CONF in NS; sets C_LAST_PID
#   c_start_corosync NS NAME  start corosync in NS; sets C_LAST_PID/C_LAST_DIR
#   c_wait_ready NS SECONDS CMD...
#                             poll CMD (a client that exits 0 once
#                             cpg_initialize succeeds) until it does
#   c_stop_corosync PID       stop one corosync (SIGTERM, then SIGKILL)

C_PIDS=""

c_have_corosync() {
	if ! command -v corosync >/dev/null 2>&1 && [ ! -x /usr/sbin/corosync ]; then
		h_log "SKIP: corosync is not installed (Debian package corosync)"
		exit 77
	fi
	if ! command -v unshare >/dev/null 2>&1; then
		h_log "SKIP: unshare(1) is not available"
		exit 77
	fi
}

c_corosync_bin() {
	command -v corosync 2>/dev/null || echo /usr/sbin/corosync
}

c_write_conf() {
	cat >"$1" <<'EOF'
totem {
	version: 2
	cluster_name: cpgd-interop
	transport: knet
	crypto_cipher: none
	crypto_hash: none
	token: 1000
}
nodelist {
	node {
		nodeid: 1
		name: node1
		ring0_addr: 127.0.0.1
	}
}
quorum {
	provider: corosync_votequorum
}
logging {
	to_stderr: yes
	to_logfile: no
	to_syslog: no
	timestamp: off
	debug: off
}
EOF
}

# c_run_corosync NS CONF LOG: corosync -f -c CONF in NS, its output added to LOG,
# in a private mount namespace, so the tmpfs mounts vanish with the
# process; sets C_LAST_PID.
c_run_corosync() {
	ip netns exec "$1" unshare -m --propagation private sh -c '
		set -e
		mount -t tmpfs -o mode=0755 tmpfs /run
		mkdir -p /run/corosync /run/lock
		if [ ! -L /var/run ] && [ -d /var/run ]; then
			mount -t tmpfs -o mode=0755 tmpfs /var/run
		fi
		mkdir -p /var/lib/corosync /var/log/corosync
		mount -t tmpfs -o mode=0700 tmpfs /var/lib/corosync
		mount -t tmpfs -o mode=0700 tmpfs /var/log/corosync
		exec "$0" -f -c "$1"
	' "$(c_corosync_bin)" "$2" >>"$3" 2>&1 &
	C_LAST_PID=$!
	C_PIDS="$C_PIDS $C_LAST_PID"
	H_PIDS="$H_PIDS $C_LAST_PID"
}

# c_start_corosync NS NAME: corosync -f in NS with a config of its own under
# $H_TMP/NAME.
c_start_corosync() {
	local ns="$1" name="$2"
	local dir="$H_TMP/$name"
	mkdir -p "$dir"
	c_write_conf "$dir/corosync.conf"
	c_run_corosync "$ns" "$dir/corosync.conf" "$dir/corosync.log"
	C_LAST_DIR="$dir"
}

# c_wait_ready NS SECONDS CMD...: corosync serves once CMD (a client that
# exits 0 when cpg_initialize succeeds) does; bounded by SECONDS.
c_wait_ready() {
	local ns="$1" max=$(($2 * 10)) i=0
	shift 2
	while ! ip netns exec "$ns" "$@" >/dev/null 2>&1; do
		if ! kill -0 "$C_LAST_PID" 2>/dev/null; then
			cat "$C_LAST_DIR/corosync.log" >&2
			h_fail "corosync exited before serving"
		fi
		i=$((i + 1))
		if [ $i -ge $max ]; then
			cat "$C_LAST_DIR/corosync.log" >&2
			h_fail "corosync did not serve within $2 s"
		fi
		sleep 0.1
	done
}

c_stop_corosync() {
	local pid="$1" i=0
	kill -TERM "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}
