#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Build the guest's initramfs: static busybox, /init, the vfpga driver,
# the statically linked vfpga tool and the in-guest test programs.
#   build-initramfs.sh OUTPUT.cpio.gz
# A kernel lane (scripts/lane.sh) builds the modules and test programs for
# its own kernel and says where they are: $VFPGA_DRIVER_OUT (build/driver),
# $VFPGA_TESTS_OUT (build/tests), $VFPGA_KERNEL_DIR (build/kernel, whose
# UIO and VFIO modules make bench uses); the upstream XDMA driver, its glue
# and the glue's test client go in only when built ($VFPGA_XDMA_OUT,
# $VFPGA_XDMA_GLUE_OUT, $VFPGA_XDMA_CLIENT_OUT).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: build-initramfs.sh OUTPUT.cpio.gz}
ROOT=$(dirname "$OUT")/rootfs
DRV=${VFPGA_DRIVER_OUT:-$TOP/build/driver}
TESTS=${VFPGA_TESTS_OUT:-$TOP/build/tests}
KERNEL_DIR=${VFPGA_KERNEL_DIR:-$TOP/build/kernel}
XDMA=${VFPGA_XDMA_OUT-$TOP/build/xdma-upstream}
XDMA_GLUE=${VFPGA_XDMA_GLUE_OUT-$TOP/build/xdma-glue}
XDMA_CLIENT=${VFPGA_XDMA_CLIENT_OUT-$TOP/build/xdma-client}

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,lib/modules,usr/libexec/vfpga/tests,usr/libexec/vfpga/last-tests}
cp /bin/busybox "$ROOT/bin/busybox"
cp "$TOP/guest-image/init" "$ROOT/init"
cp "$DRV/vfpga.ko" "$DRV/kp-sample/vfpga_kp_sample.ko" \
	"$DRV/kp-kptest/vfpga_kp_kptest.ko" \
	"$DRV/kp-kptest/vfpga_kp_kptest_failinit.ko" "$ROOT/lib/modules/"
# Linux's upstream XDMA driver, our glue, its client and their tests
# (vfpga_run=xdma-upstream)
if [ -n "$XDMA" ] && [ -n "$XDMA_GLUE" ] && [ -n "$XDMA_CLIENT" ]; then
	mkdir -p "$ROOT/usr/libexec/vfpga/xdma-upstream"
	cp "$XDMA/xdma.ko" "$XDMA_GLUE/vfpga_xdma_glue.ko" \
		"$XDMA_CLIENT/vfpga_xdma_client.ko" "$ROOT/lib/modules/"
	cp "$TESTS/xdma-upstream/"* "$ROOT/usr/libexec/vfpga/xdma-upstream/"
fi
# Boards with user-logic plug-ins (vfpga_run=user-logic): their tests and
# the checksum sample's kernel plugin (built for the default kernel only:
# a lane's boot does not run them).
UL_KP=${VFPGA_UL_KP_OUT-$TOP/build/user-logic/kp}
if [ -d "$TESTS/user-logic" ]; then
	mkdir -p "$ROOT/usr/libexec/vfpga/user-logic"
	cp "$TESTS/user-logic/"* "$ROOT/usr/libexec/vfpga/user-logic/"
fi
if [ -n "$UL_KP" ] && [ -f "$UL_KP/csum_kp.ko" ]; then
	cp "$UL_KP/csum_kp.ko" "$ROOT/lib/modules/"
fi
if [ -d "$TESTS/board-scaffold/guest" ]; then
	mkdir -p "$ROOT/usr/libexec/vfpga/board-scaffold"
	cp "$TESTS/board-scaffold/guest/"* "$ROOT/usr/libexec/vfpga/board-scaffold/"
fi
cp "$TOP/build/userlib/vfpga-static" "$ROOT/bin/vfpga"
cp "$TESTS/guest/"* "$ROOT/usr/libexec/vfpga/tests/"
cp "$TESTS/guest-last/"* "$ROOT/usr/libexec/vfpga/last-tests/"
mkdir -p "$ROOT/usr/libexec/vfpga/loops"
cp "$TESTS/guest-loops/"* "$ROOT/usr/libexec/vfpga/loops/"
# The plugin project vfpga new-plugin writes (tests/guest/vfpga_scaffold_test.sh)
mkdir -p "$ROOT/usr/libexec/vfpga/scaffold"
cp "$TESTS/scaffold/guest/"* "$ROOT/usr/libexec/vfpga/scaffold/"
# make test-migration (vfpga_run=migrate): the load the guest runs
mkdir -p "$ROOT/usr/libexec/vfpga/migration"
cp "$TESTS/migration/"* "$ROOT/usr/libexec/vfpga/migration/"
# make bench (vfpga_run=bench): its programs, the bare handler, and the
# guest kernel's UIO and VFIO modules it compares against (decompressed:
# busybox insmod takes plain .ko files).
mkdir -p "$ROOT/usr/libexec/vfpga/bench" "$ROOT/lib/modules/bench"
cp "$TESTS/bench/"* "$ROOT/usr/libexec/vfpga/bench/"
cp "$DRV/bench/vfpga_bare.ko" "$ROOT/lib/modules/"
KMOD=$(echo "$KERNEL_DIR"/root/lib/modules/*/kernel)
for m in drivers/uio/uio drivers/uio/uio_pci_generic virt/lib/irqbypass \
	drivers/vfio/vfio drivers/vfio/vfio_iommu_type1 \
	drivers/vfio/pci/vfio-pci-core drivers/vfio/pci/vfio-pci; do
	if [ -f "$KMOD/$m.ko.xz" ]; then
		xz -dc "$KMOD/$m.ko.xz" >"$ROOT/lib/modules/bench/${m##*/}.ko"
	elif [ -f "$KMOD/$m.ko" ]; then
		cp "$KMOD/$m.ko" "$ROOT/lib/modules/bench/"
	elif [ -z "${VFPGA_KERNEL_DIR:-}" ]; then
		# The default kernel has them all (make bench needs them); a
		# lane's kernel may lay them out otherwise.
		echo "initramfs: $KMOD/$m.ko.xz missing" >&2
		exit 1
	fi
done

(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --owner=0:0) |
	gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
