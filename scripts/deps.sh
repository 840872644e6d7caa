#!/bin/sh
# Installs what cpgd needs to build and test on Debian 12, when it is missing.
set -e
PKGS="build-essential autoconf automake libtool pkg-config libqb-dev libknet-dev
libnss3-dev libsystemd-dev libjansson-dev check iproute2 procps clang libclang-rt-14-dev valgrind systemd
corosync libcpg4 libcpg-dev libcorosync-common-dev man-db groff-base jq passwd util-linux
dpkg-dev debhelper dh-autoreconf lintian apt"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" \
		|| missing="$missing $p"
done
# tests/install/pkg_root.sh switches a scratch root back to Debian's
# libcpg4 and libcorosync-common4 from apt's copies of their package files.
uncached=""
arch=$(dpkg --print-architecture)
for p in libcpg4 libcorosync-common4; do
	v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null | sed 's/:/%3a/')
	[ -n "$v" ] && [ -f "/var/cache/apt/archives/${p}_${v}_$arch.deb" ] || uncached="$uncached $p"
done
[ -z "$missing" ] && [ -z "$uncached" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	if [ -n "$missing" ]; then
		echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
		exit 1
	fi
	echo "deps.sh: not in apt's cache:$uncached (tests/install/pkg_root.sh skips)" >&2
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
[ -z "$missing" ] || apt-get install -y -q --no-install-recommends $missing
[ -z "$uncached" ] || apt-get install -y -q --reinstall --download-only $uncached
