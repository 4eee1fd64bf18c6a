#!/bin/bash
# SPDX-License-Identifier: MIT
#
# One line saying what this machine gives the guest, printed first by make
# run, make test and make bench, so that every figure after it can be read
# against it:
#   machine: accelerator TCG (KVM unusable here: ...), 2 host cores,
#   QEMU 10.0.2, guest kernel 6.12.95+deb12-amd64
# Exit status 2 when the accelerator asked for ($VFPGA_ACCEL) is unusable.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
QEMU=$TOP/build/qemu/qemu-system-x86_64

why=$("$TOP/scripts/accel.sh" 2>&1 >/dev/null)
rc=$?
# "boot: accelerator KVM (why)" or "boot: KVM unusable here (why); using TCG"
case $why in
"boot: accelerator "*) accel=${why#boot: accelerator } ;;
"boot: KVM unusable here "*)
	accel="TCG (KVM unusable here: ${why#boot: KVM unusable here (}"
	accel=${accel%; using TCG} ;;
*) accel="none (${why#boot: })" ;;
esac
qemu=$("$QEMU" --version 2>/dev/null | sed -n '1s/^QEMU emulator version \([^ ]*\).*/\1/p')
kernel=$(readlink "$TOP/build/kernel/vmlinuz" 2>/dev/null | sed 's|.*/vmlinuz-||')
echo "machine: accelerator $accel, $(nproc) host cores, QEMU ${qemu:-not built}, guest kernel ${kernel:-not fetched}"
exit $rc
