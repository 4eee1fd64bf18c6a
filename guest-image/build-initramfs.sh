#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Build the guest's initramfs: static busybox, /init, the vfpga driver,
# the statically linked vfpga tool and the in-guest test programs.
#   build-initramfs.sh OUTPUT.cpio.gz
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: build-initramfs.sh OUTPUT.cpio.gz}
ROOT=$(dirname "$OUT")/rootfs

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,lib/modules,usr/libexec/vfpga/tests,usr/libexec/vfpga/last-tests}
cp /bin/busybox "$ROOT/bin/busybox"
cp "$TOP/guest-image/init" "$ROOT/init"
cp "$TOP/build/driver/vfpga.ko" "$TOP/build/driver/kp-sample/vfpga_kp_sample.ko" \
	"$TOP/build/driver/kp-kptest/vfpga_kp_kptest.ko" "$ROOT/lib/modules/"
# Linux's upstream XDMA driver, our glue and their tests (vfpga_run=xdma-upstream)
mkdir -p "$ROOT/usr/libexec/vfpga/xdma-upstream"
cp "$TOP/build/xdma-upstream/xdma.ko" "$TOP/build/xdma-glue/vfpga_xdma_glue.ko" \
	"$ROOT/lib/modules/"
cp "$TOP/build/tests/xdma-upstream/"* "$ROOT/usr/libexec/vfpga/xdma-upstream/"
cp "$TOP/build/userlib/vfpga-static" "$ROOT/bin/vfpga"
cp "$TOP/build/tests/guest/"* "$ROOT/usr/libexec/vfpga/tests/"
cp "$TOP/build/tests/guest-last/"* "$ROOT/usr/libexec/vfpga/last-tests/"
# The plugin project vfpga new-plugin writes (tests/guest/vfpga_scaffold_test.sh)
mkdir -p "$ROOT/usr/libexec/vfpga/scaffold"
cp "$TOP/build/tests/scaffold/guest/"* "$ROOT/usr/libexec/vfpga/scaffold/"
# make bench (vfpga_run=bench): its programs, the bare handler, and the
# guest kernel's UIO and VFIO modules it compares against (decompressed:
# busybox insmod takes plain .ko files).
mkdir -p "$ROOT/usr/libexec/vfpga/bench" "$ROOT/lib/modules/bench"
cp "$TOP/build/tests/bench/"* "$ROOT/usr/libexec/vfpga/bench/"
cp "$TOP/build/driver/bench/vfpga_bare.ko" "$ROOT/lib/modules/"
KMOD=$(echo "$TOP"/build/kernel/root/lib/modules/*/kernel)
for m in drivers/uio/uio drivers/uio/uio_pci_generic virt/lib/irqbypass \
	drivers/vfio/vfio drivers/vfio/vfio_iommu_type1 \
	drivers/vfio/pci/vfio-pci-core drivers/vfio/pci/vfio-pci; do
	xz -dc "$KMOD/$m.ko.xz" >"$ROOT/lib/modules/bench/${m##*/}.ko"
done

(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --owner=0:0) |
	gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
