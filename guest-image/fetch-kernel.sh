#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Fetch a Debian kernel's headers (to build our modules against) and, with
# --image, its image (the guest's kernel): unpacked under OUTDIR rather
# than installed, so the host keeps its own kernel, initramfs-tools and
# /boot untouched.  The .debs are cached in $VFPGA_CACHE/debs.
#
#   fetch-kernel.sh ABI OUTDIR [--image]
#
# OUTDIR/build is the headers' kbuild directory, OUTDIR/vmlinuz the image.
# Prints nothing when everything is in place.
set -euo pipefail

ABI=${1:?usage: fetch-kernel.sh ABI OUTDIR [--image]}
OUT=${2:?usage: fetch-kernel.sh ABI OUTDIR [--image]}
IMAGE=${3:-}
ROOT=$OUT/root
CACHE=${VFPGA_CACHE:-/var/cache/vfpga}/debs

# Headers alone are also satisfied by an unpacking that has the image.
[ -f "$OUT/.done-$ABI$IMAGE" ] || [ -f "$OUT/.done-$ABI--image" ] && exit 0

# The headers package names its common part and kbuild in its Depends.
PKGS="linux-headers-$ABI $(apt-cache depends "linux-headers-$ABI" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-headers-[^ ]*-common\|linux-kbuild-[^ ]*\)$/\1/p' |
	sort -u | tr '\n' ' ')"
[ "$(wc -w <<<"$PKGS")" -ge 3 ] ||
	{ echo "kernel: apt knows no linux-headers-$ABI; run scripts/setup.sh" >&2; exit 1; }
[ "$IMAGE" = --image ] && PKGS="$PKGS linux-image-$ABI"

mkdir -p "$CACHE"
for p in $PKGS; do
	if ! ls "$CACHE/${p}_"*.deb >/dev/null 2>&1; then
		echo "kernel: downloading $p"
		(cd "$CACHE" && apt-get download -q -o APT::Sandbox::User=root "$p" \
			>"$CACHE/download.log" 2>&1) ||
			{ echo "kernel: cannot download $p from the Debian archive" >&2; exit 1; }
	fi
done

echo "kernel: unpacking $ABI under ${OUT#"$PWD"/}"
rm -rf "$OUT"
mkdir -p "$ROOT"
for p in $PKGS; do
	dpkg-deb -x "$(ls "$CACHE/${p}_"*.deb | sort -V | tail -n 1)" "$ROOT"
done
# The arch headers include the common ones by absolute path.
sed -i "s|^include /usr/src/|include $ROOT/usr/src/|" \
	"$ROOT/usr/src/linux-headers-$ABI/Makefile"
ln -sfn "root/usr/src/linux-headers-$ABI" "$OUT/build"
[ "$IMAGE" = --image ] && ln -sfn "root/boot/vmlinuz-$ABI" "$OUT/vmlinuz"
touch "$OUT/.done-$ABI$IMAGE"
