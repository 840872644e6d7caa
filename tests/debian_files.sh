# Debian's corosync files, found through the package database, never through
# search paths: after a `make install` of this tree ours sit in /usr/local
# and come first, so a search would compare ours with ours.
#
# deb_file PKG PATTERN: set DEB_FILE to the first file of installed package
# PKG whose path matches the shell PATTERN, with symlinks resolved; it must be owned
# by PKG (dpkg -S) and lie outside /usr/local and this tree.  Else return 1
# with the reason in DEB_WHY (a missing package or dpkg: the caller skips;
# a file that is ours or no package's: the caller fails, DEB_OURS=1).
# Call them directly, not in $(...): the variables would be lost.
# deb_owned PKG FILE: FILE (symlinks resolved) is a file of package PKG and
# not ours; 1 with DEB_WHY otherwise (DEB_OURS=1 when it is ours).

DEB_WHY=""
DEB_OURS=0
DEB_FILE=""

deb__ours() {
	case "$1" in
	/usr/local/*) return 0 ;;
	"${top_builddir:-/nonexistent}"/*|"${top_srcdir:-/nonexistent}"/*) return 0 ;;
	esac
	return 1
}

deb_owned() {
	local pkg="$1" real owner
	DEB_WHY="" DEB_OURS=0
	real=$(readlink -f "$2") || { DEB_WHY="$2 does not exist"; return 1; }
	if deb__ours "$real"; then
		DEB_WHY="$2 is $real, this project's file, not Debian's $pkg"
		DEB_OURS=1
		return 1
	fi
	command -v dpkg >/dev/null 2>&1 || { DEB_WHY="no dpkg on this machine"; return 1; }
	owner=$(dpkg -S "$real" 2>/dev/null | sed -n 's/^\([^:]*\)\(:[a-z0-9]*\)\{0,1\}: .*/\1/p' | head -n 1)
	if [ "$owner" != "$pkg" ]; then
		DEB_WHY="$real belongs to '${owner:-no package}', not to $pkg"
		DEB_OURS=1
		return 1
	fi
	return 0
}

deb_file() {
	local pkg="$1" pat="$2" f found=""
	DEB_WHY="" DEB_OURS=0 DEB_FILE=""
	command -v dpkg-query >/dev/null 2>&1 || { DEB_WHY="no dpkg on this machine"; return 1; }
	dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
		{ DEB_WHY="Debian package $pkg is not installed"; return 1; }
	for f in $(dpkg -L "$pkg" 2>/dev/null); do
		case "$f" in
		$pat) [ -f "$f" ] && { found="$f"; break; } ;;
		esac
	done
	[ -n "$found" ] || { DEB_WHY="package $pkg has no file $pat"; return 1; }
	deb_owned "$pkg" "$found" || return 1
	DEB_FILE=$(readlink -f "$found")
}
