#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Fetch the newest kernel source a Debian suite ships (linux-source-X.Y)
# and print the path of its tarball, for guest-image/build-kernel.sh:
#
#   fetch-suite-source.sh SUITE		e.g. trixie-backports
#
# The suite is read through an apt configuration private to build/apt/
# SUITE/ (its own sources list, lists and cache), so the host's apt
# sources stay as they are.  Its index is refreshed at most once a day;
# the version is whatever linux-source-X.Y is newest there, not a number
# kept here.  The .deb and the tarball it carries are cached in
# $VFPGA_CACHE/debs and $VFPGA_CACHE/linux-source: a warm tree neither
# downloads nor (since the tarball keeps its name, size and time)
# rebuilds the kernel.  Without the archive, the newest tarball already
# cached for the suite is used.
set -euo pipefail

SUITE=${1:?usage: fetch-suite-source.sh SUITE}
TOP=$(cd "$(dirname "$0")/.." && pwd)
APTDIR=$TOP/build/apt/$SUITE
CACHE=${VFPGA_CACHE:-/var/cache/vfpga}
DEBS=$CACHE/debs
SRCS=$CACHE/linux-source/$SUITE
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$DEBS" "$SRCS"

# The mirror this machine already uses for Debian, or Debian's own.
mirror=$( { grep -rhs '^URIs:.*/debian$\|^deb .*/debian ' /etc/apt/sources.list /etc/apt/sources.list.d/ || :; } |
	sed -n 's/^URIs: *\([^ ]*\).*/\1/p; s/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\).*/\2/p' | head -n 1)
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror:-http://deb.debian.org/debian} $SUITE main" \
	>"$APTDIR/sources.list"
APT=(-o Dir::Etc::SourceList="$APTDIR/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache="$APTDIR/cache"
	-o Dir::State::Status=/dev/null -o APT::Sandbox::User=root)

cached() {		# the newest tarball already unpacked for SUITE
	find "$SRCS" -name 'linux-source-*.tar.xz' 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(find "$APTDIR/lists" -name '*Packages*' -mtime -1 2>/dev/null)" ]; then
	echo "kernel source: reading $SUITE's index" >&2
	if ! apt-get "${APT[@]}" -q update >"$APTDIR/update.log" 2>&1; then
		tar=$(cached)
		[ -n "$tar" ] || { echo "kernel source: cannot read $SUITE from ${mirror:-the archive}; see $APTDIR/update.log" >&2; exit 1; }
		echo "kernel source: $SUITE unreachable, using the cached $(basename "$tar")" >&2
		echo "$tar"
		exit 0
	fi
fi

pkg=$(apt-cache "${APT[@]}" pkgnames linux-source- |
	grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V | tail -n 1)
[ -n "$pkg" ] || { echo "kernel source: $SUITE has no linux-source-X.Y package" >&2; exit 1; }
ver=$(apt-cache "${APT[@]}" show "$pkg" | sed -n 's/^Version: //p' | sort -V | tail -n 1)
deb=$DEBS/${pkg}_${ver//:/%3a}_all.deb

if [ ! -f "$deb" ]; then
	echo "kernel source: downloading $pkg $ver from $SUITE" >&2
	(cd "$DEBS" && apt-get "${APT[@]}" -q download "$pkg=$ver" >"$APTDIR/download.log" 2>&1) ||
		{ echo "kernel source: cannot download $pkg $ver; see $APTDIR/download.log" >&2; exit 1; }
fi
dir=$SRCS/$ver
if [ ! -f "$dir/.done" ]; then
	rm -rf "$dir" && mkdir -p "$dir"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" --wildcards --strip-components=3 \
		"./usr/src/$pkg.tar.xz"
	touch "$dir/.done"
	# Older versions of this suite's source are stale.
	for old in "$SRCS"/*; do [ "$old" = "$dir" ] || rm -rf "$old"; done
fi
echo "$dir/$pkg.tar.xz"
