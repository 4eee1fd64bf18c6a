#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Install everything vfpga needs on a Debian 12 host: apt sources (deb-src and
# bookworm-backports), the packages that build QEMU, the guest and the tests,
# and Debian's 6.12 kernel headers.  Idempotent: a second run installs nothing
# and says so.  Backports packages are taken one at a time by name, never as a
# dependency tree (see docs/environment notes): "-t bookworm-backports" on a
# meta package would upgrade half the system.
set -euo pipefail

die() { echo "setup: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (try: sudo make setup)."
command -v apt-get >/dev/null && command -v dpkg-query >/dev/null ||
	die "needs a Debian system with apt; this host has no apt-get."
grep -q '^VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null ||
	die "needs Debian 12 (bookworm); /etc/os-release says otherwise."

SOURCES=/etc/apt/sources.list.d/vfpga-backports.sources
BACKPORTS=bookworm-backports

# Packages from bookworm itself.
# Each is named for what calls it; scripts/fresh-check.sh proves the list on
# a minimal Debian root, where nothing else is installed.
#   build and QEMU: build-essential pkg-config git python3 python3-venv
#     ninja-build flex bison libglib2.0-dev libpixman-1-dev libfdt-dev, curl
#     and ca-certificates (the orig tarball), xz-utils
#   modules against Debian's headers: kmod bc gcc-12 libelf1, dwarves
#     (pahole: the 6.12 headers generate BTF for every module), perl
#     (checkpatch), sparse (tests/host/driver_build_test.sh: make C=2)
#   the guest image and boots: busybox-static cpio gzip, seabios, util-linux
#     (flock), coreutils (timeout)
#   make bench: gnuplot-nox
#   make fresh-check: debootstrap
#   kernels we build (the debug lane): libelf-dev libssl-dev (objtool,
#     module signing), bc, flex, bison
#   make fuzz (scripts/fuzz.sh): clang, libclang-rt-14-dev (libFuzzer, ASan
#     and UBSan runtimes), llvm-14 (llvm-symbolizer for the crash reports)
#   Verilog user logic (rtl/, vfpga rtl build, docs/rtl.md): verilator
#     (bookworm's 5.006)
PKGS_BASE="build-essential pkg-config git python3 python3-venv ninja-build
flex bison libglib2.0-dev libpixman-1-dev libfdt-dev curl ca-certificates
xz-utils kmod bc gcc-12 libelf1 dwarves perl busybox-static cpio gzip
seabios util-linux coreutils gnuplot-nox debootstrap libelf-dev libssl-dev
clang libclang-rt-14-dev llvm-14 gcc-multilib sparse verilator"
# gcc-multilib: tests/host/uapi_abi_test.sh builds the ioctl header and a
# caller for i386 (-m32) too, so that a 32-bit process and a 64-bit kernel
# are proven to agree on every struct's layout and on the mmap offsets.
# Packages whose bookworm version is too old: taken one by one from backports.
PKGS_BPO="meson python3-pycotap qemu-system-data linux-source-6.12"

write_sources() {
	local uri
	uri=$(awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' \
		/etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$uri" ] || uri=http://deb.debian.org/debian
	cat >"$SOURCES" <<EOT
# Added by vfpga scripts/setup.sh: source packages and bookworm-backports.
Types: deb-src
URIs: $uri
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: $uri
Suites: $BACKPORTS
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
}

apt_update() {
	apt-get update -qq >/tmp/vfpga-apt-update.log 2>&1 ||
		die "apt-get update failed: the Debian archive is unreachable (see /tmp/vfpga-apt-update.log); fix the network or apt proxy and rerun."
	grep -qE '^(Err|W: Failed)' /tmp/vfpga-apt-update.log &&
		die "apt-get update could not reach the Debian archive (see /tmp/vfpga-apt-update.log); fix the network or apt proxy and rerun."
	return 0
}

# The newest kernel ABI of a suite, e.g. "6.12.95+deb12-amd64" in
# backports, "6.1.0-50-amd64" in bookworm.
kernel_abi() {		# SUITE
	apt-cache show "linux-image-amd64/$1" 2>/dev/null |
		sed -n 's/^Depends:.*linux-image-\([0-9][^ ,]*-amd64\).*/\1/p' |
		sort -V | tail -n 1
}

installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q 'ok installed'
}

updated=0
ensure_updated() {
	[ "$updated" = 1 ] || apt_update
	updated=1
}

if [ ! -f "$SOURCES" ]; then
	write_sources
	echo "setup: added $SOURCES (deb-src and $BACKPORTS)"
	ensure_updated
fi

missing=""
for p in $PKGS_BASE; do installed "$p" || missing="$missing $p"; done
missing_bpo=""
for p in $PKGS_BPO; do installed "$p" || missing_bpo="$missing_bpo $p"; done

# Kernels are not installed on the host: guest-image/fetch-kernel.sh
# unpacks them under build/.  Here we only choose them: the guest runs
# backports' 6.12; the driver must also build against bookworm's 6.1.
choose_kernel() {	# FILE SUITE
	local file=$1 abi
	[ -s "$file" ] && return 0
	ensure_updated
	abi=$(kernel_abi "$2")
	[ -n "$abi" ] || die "cannot find linux-image-amd64 in $2; check $SOURCES."
	mkdir -p "$(dirname "$file")"
	echo "$abi" >"$file"
}
BUILD=$(cd "$(dirname "$0")/.." && pwd)/build
choose_kernel "$BUILD/kernel-abi" "$BACKPORTS"
choose_kernel "$BUILD/kernel-abi-6.1" bookworm
abi=$(cat "$BUILD/kernel-abi")

if [ -z "$missing$missing_bpo" ]; then
	echo "setup: nothing to do: all packages present, guest kernel $abi"
	exit 0
fi

ensure_updated

export DEBIAN_FRONTEND=noninteractive
APT_LOG=/tmp/vfpga-apt-install.log
if [ -n "$missing" ]; then
	echo "setup: installing from bookworm:$missing"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >>"$APT_LOG" 2>&1 ||
		die "apt-get install failed for:$missing (see $APT_LOG)"
fi
for p in $missing_bpo; do
	echo "setup: installing $p from $BACKPORTS"
	spec="$p/$BACKPORTS"
	apt-get install -y -q --no-install-recommends "$spec" >>"$APT_LOG" 2>&1 ||
		die "apt-get install failed for $spec (see $APT_LOG)"
done

echo "setup: done: guest kernel $abi"
