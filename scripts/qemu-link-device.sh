#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Link qemu-device/ into a QEMU source tree as hw/vfpga: a symlink plus one
# line each in hw/meson.build, hw/Kconfig and the trace subdirectories, and
# the device configuration file.  The device's qtests, qemu-device/tests/
# *.c, are linked into tests/qtest and added to the x86_64 qtests (built
# with libqos, with include/ on the include path for vfpga_regs.h), with
# the header they share.
# Safe to run again: it changes nothing that is already in place.
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

# The qtests: every qemu-device/tests/NAME.c becomes tests/qtest/NAME.c,
# one of the x86_64 qtests.  Two lines each in tests/qtest/meson.build: the
# test in qtests_x86_64 (libqos and qemuutil come with every qtest) and an
# entry in the qtests table giving it hw/vfpga/include, where vfpga_regs.h
# is.  The table is assigned further down than qtests_x86_64, so the entry
# goes just before it is used.  The headers they share, qemu-device/tests/
# *.h, are linked next to them: "NAME.h" is looked up in tests/qtest.
QTEST_MESON=$SRC/tests/qtest/meson.build
for header in "$TOP"/qemu-device/tests/*.h; do
	ln -sfn "$header" "$SRC/tests/qtest/$(basename "$header")"
done
for test in "$TOP"/qemu-device/tests/*.c; do
	name=$(basename "$test" .c)
	ln -sfn "$test" "$SRC/tests/qtest/$name.c"
	grep -q "^qtests_x86_64 += .*\['$name'\]" "$QTEST_MESON" ||
		sed -i "s|^qtests_x86_64 = qtests_i386$|&\nqtests_x86_64 += config_all_devices.has_key('CONFIG_VFPGA') ? ['$name'] : []|" \
			"$QTEST_MESON"
	grep -q "^qtests += {'$name'" "$QTEST_MESON" ||
		sed -i "s|^qtest_executables = {}$|qtests += {'$name': declare_dependency(include_directories: include_directories('../../hw/vfpga/include'))}\n&|" \
			"$QTEST_MESON"
	grep -q "^qtests_x86_64 += .*\['$name'\]" "$QTEST_MESON" &&
		grep -q "^qtests += {'$name'" "$QTEST_MESON" ||
		{ echo "qemu-link-device: cannot hook $name into $QTEST_MESON" >&2; exit 1; }
done
