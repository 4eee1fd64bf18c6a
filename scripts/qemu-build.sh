#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Build QEMU 10.0 (Debian's source) with the vfpga device linked in.
#
#   1. fetch qemu_<ver>.orig.tar.xz from Debian's archive (checked by sha256,
#      cached in $VFPGA_CACHE so a second clone need not download it again);
#   2. unpack it under build/qemu-src;
#   3. link qemu-device/ into the tree (scripts/qemu-link-device.sh);
#   4. configure once into build/qemu, then let ninja rebuild incrementally:
#      qemu-system-x86_64, then the device's qtests tests/qtest/vfpga-*-test.
#
# Only step 4 runs when the tree is already there: editing qemu-device/*.c
# recompiles one file and relinks.  Steps 2-4 hold build/qemu.lock (flock),
# so concurrent callers build one after the other; always build through this
# script, never with ninja on build/qemu directly.
#
# "qemu-build.sh --source" stops after step 3: the tree is ready for another
# build directory (scripts/fuzz.sh configures build/fuzz from it).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$TOP/build
SRC=$BUILD/qemu-src
OBJ=$BUILD/qemu
CACHE=${VFPGA_CACHE:-/var/cache/vfpga}
SUITE=bookworm-backports

log() { echo "qemu: $*" >&2; }
die() { echo "qemu: $*" >&2; exit 1; }

fetch_orig() {
	local line url name sha
	line=$(cd /tmp && apt-get source --print-uris "qemu/$SUITE" 2>/dev/null |
		grep "^'.*orig\.tar\.xz'" | head -n 1) ||
		die "apt knows no qemu source in $SUITE; run scripts/setup.sh first."
	url=$(echo "$line" | awk '{print $1}' | tr -d "'")
	name=$(echo "$line" | awk '{print $2}')
	sha=$(echo "$line" | awk '{print $4}' | sed 's/^SHA256://')
	mkdir -p "$CACHE"
	if ! echo "$sha  $CACHE/$name" | sha256sum -c --status 2>/dev/null; then
		log "downloading $name"
		curl -fsSL -o "$CACHE/$name.part" "$url" ||
			die "download of $url failed; is the Debian archive reachable?"
		echo "$sha  $CACHE/$name.part" | sha256sum -c --status ||
			die "$name: sha256 mismatch"
		mv "$CACHE/$name.part" "$CACHE/$name"
	fi
	echo "$CACHE/$name"
}

# One build at a time: two ninja runs (or a configure and a ninja) in the
# same build directory corrupt it.  Everything that touches build/qemu-src
# or build/qemu runs under this lock; a second caller waits for the first.
mkdir -p "$BUILD"
exec 9>"$BUILD/qemu.lock"
if ! flock -n 9; then
	log "waiting for another QEMU build to finish ($BUILD/qemu.lock)"
	flock 9
fi

if [ ! -f "$SRC/.unpacked" ]; then
	tarball=$(fetch_orig)
	log "unpacking $(basename "$tarball")"
	rm -rf "$SRC" && mkdir -p "$SRC"
	tar -xJf "$tarball" -C "$SRC" --strip-components=1
	touch "$SRC/.unpacked"
fi

"$TOP/scripts/qemu-link-device.sh" "$SRC"
# The +ds tarball has no edk2 blobs; do not ask meson to unpack them.  Only
# when not done yet: sed -i rewrites the file, and a new meson.build makes
# every build directory of this tree reconfigure.
if grep -q "unpack_edk2_blobs = bzip2.found()" "$SRC/meson.build"; then
	sed -i "s/unpack_edk2_blobs = bzip2.found()/unpack_edk2_blobs = false/" \
		"$SRC/meson.build"
fi
[ "${1:-}" != --source ] || exit 0

# KVM is built in and used when /dev/kvm is usable; TCG otherwise.
CONFIGURE_ARGS="--python=/usr/bin/python3 --target-list=x86_64-softmmu
 --without-default-features --without-default-devices
 --with-devices-x86_64=vfpga --enable-kvm --enable-tcg --disable-docs
 --disable-werror --disable-install-blobs --enable-trace-backends=log"

if [ ! -f "$OBJ/build.ninja" ] ||
   [ "$(cat "$OBJ/.vfpga-configure-args" 2>/dev/null)" != "$CONFIGURE_ARGS" ]; then
	log "configuring"
	mkdir -p "$OBJ"
	# shellcheck disable=SC2086
	(cd "$OBJ" && "$SRC/configure" $CONFIGURE_ARGS \
		>"$BUILD/qemu-configure.log" 2>&1) ||
		die "configure failed; see $BUILD/qemu-configure.log"
	echo "$CONFIGURE_ARGS" >"$OBJ/.vfpga-configure-args"
fi

log "building (ninja -j${JOBS:-2})"
ninja -C "$OBJ" -j"${JOBS:-2}" qemu-system-x86_64 >"$BUILD/qemu-build.log" 2>&1 ||
	{ tail -n 30 "$BUILD/qemu-build.log" >&2; die "build failed; see $BUILD/qemu-build.log"; }
log "ready: $OBJ/qemu-system-x86_64"

# The device's qtests (qemu-device/tests/*-test.c, built against libqos).
QTESTS=$(for t in "$TOP"/qemu-device/tests/*-test.c; do
	echo "tests/qtest/$(basename "$t" .c)"; done)
# shellcheck disable=SC2086
ninja -C "$OBJ" -j"${JOBS:-2}" $QTESTS >>"$BUILD/qemu-build.log" 2>&1 ||
	{ tail -n 30 "$BUILD/qemu-build.log" >&2; die "qtest build failed; see $BUILD/qemu-build.log"; }
log "ready: the qtests $(echo $QTESTS | sed 's|tests/qtest/||g')"
