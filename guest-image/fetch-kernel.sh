#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Fetch the guest's kernel: Debian's 6.12 image and the headers to build our
# module against, unpacked under build/kernel/ rather than installed, so the
# host keeps its own kernel, initramfs-tools and /boot untouched.  The .debs
# are cached in $VFPGA_CACHE/debs.  Prints nothing when all is in place.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
ABI=$(cat "$TOP/build/kernel-abi" 2>/dev/null) ||
	{ echo "kernel: no guest kernel chosen yet; run scripts/setup.sh" >&2; exit 1; }
OUT=$TOP/build/kernel
ROOT=$OUT/root
CACHE=${VFPGA_CACHE:-/var/cache/vfpga}/debs
BASE=${ABI%-amd64}		# 6.12.95+deb12
PKGS="linux-image-$ABI linux-headers-$ABI linux-headers-$BASE-common linux-kbuild-$BASE"

[ -f "$OUT/.done-$ABI" ] && exit 0

mkdir -p "$CACHE"
for p in $PKGS; do
	if ! ls "$CACHE/${p}_"*.deb >/dev/null 2>&1; then
		echo "kernel: downloading $p"
		(cd "$CACHE" && apt-get download -q -o APT::Sandbox::User=root "$p" \
			>"$CACHE/download.log" 2>&1) ||
			{ echo "kernel: cannot download $p from the Debian archive" >&2; exit 1; }
	fi
done

echo "kernel: unpacking $ABI under build/kernel"
rm -rf "$OUT"
mkdir -p "$ROOT"
for p in $PKGS; do
	dpkg-deb -x "$(ls "$CACHE/${p}_"*.deb | sort -V | tail -n 1)" "$ROOT"
done
# The arch headers include the common ones by absolute path.
sed -i "s|^include /usr/src/|include $ROOT/usr/src/|" \
	"$ROOT/usr/src/linux-headers-$ABI/Makefile"
ln -sfn "root/usr/src/linux-headers-$ABI" "$OUT/build"
ln -sfn "root/boot/vmlinuz-$ABI" "$OUT/vmlinuz"
touch "$OUT/.done-$ABI"
