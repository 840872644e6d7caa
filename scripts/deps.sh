#!/bin/sh
# Installs what cpgd needs to build and test on Debian 12, when it is missing.
set -e
PKGS="build-essential autoconf automake libtool pkg-config libqb-dev libknet-dev
libnss3-dev libsystemd-dev check iproute2 procps clang libclang-rt-14-dev valgrind systemd
corosync libcpg4 libcpg-dev libcorosync-common-dev man-db groff-base jq passwd util-linux"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" \
		|| missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
