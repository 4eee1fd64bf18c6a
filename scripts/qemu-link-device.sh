#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Link qemu-device/ into a QEMU source tree as hw/vfpga: a symlink plus one
# line each in hw/meson.build, hw/Kconfig and the trace subdirectories, and
# the device configuration file.  Safe to run again: it changes nothing
# that is already in place.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
SRC=${1:?usage: qemu-link-device.sh QEMU_SOURCE_DIR}

append_once() {		# FILE LINE
	grep -qxF "$2" "$1" || echo "$2" >>"$1"
}

ln -sfn "$TOP/qemu-device" "$SRC/hw/vfpga"
ln -sfn "$TOP/qemu-device/vfpga.mak" \
	"$SRC/configs/devices/x86_64-softmmu/vfpga.mak"
append_once "$SRC/hw/meson.build" "subdir('vfpga')"
append_once "$SRC/hw/Kconfig" "source vfpga/Kconfig"
grep -q "'hw/vfpga'," "$SRC/meson.build" ||
	sed -i "s|^    'hw/misc',$|&\n    'hw/vfpga',|" "$SRC/meson.build"
grep -q "'hw/vfpga'," "$SRC/meson.build" ||
	{ echo "qemu-link-device: cannot hook trace-events into meson.build" >&2; exit 1; }
