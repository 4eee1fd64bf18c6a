#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Link qemu-device/ into a QEMU source tree as hw/vfpga: a symlink plus one
# line each in hw/meson.build, hw/Kconfig and the trace subdirectories, and
# the device configuration file.  The device's qtests, qemu-device/tests/
# *-test.c, are linked into tests/qtest and added to the x86_64 qtests
# (built with libqos, with include/vfpga/ on the include path for
# vfpga_regs.h), each with the board helpers they share and the folder of
# its own files if it has one.
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

# The qtests: every qemu-device/tests/NAME-test.c is the main file of a
# program, tests/qtest/NAME-test, one of the x86_64 qtests.  Every program
# is built with vfpga-qtest.c, the board helpers they share, and with the
# files of qemu-device/tests/NAME-test/ when a program has such a folder.
# The files and folders are linked into tests/qtest ("NAME.h" is looked up
# there), and each program has two lines in tests/qtest/meson.build: the
# test in qtests_x86_64 (libqos and qemuutil come with every qtest) and an
# entry in the qtests table with its other sources and hw/vfpga/include
# (qemu-device/include, a link to include/vfpga/), where vfpga_regs.h is.
# The table is assigned further down than qtests_x86_64, so the entry goes
# just before it is used; an entry that lists other files than it should
# is replaced.
QTEST_MESON=$SRC/tests/qtest/meson.build
QTESTS=$TOP/qemu-device/tests
# A qtest removed from the tree (or absent on the branch now checked out)
# leaves its links and lines behind, and meson then fails on a missing
# file: take those out first.
for link in "$SRC"/tests/qtest/*; do
	if [ -L "$link" ] && [ ! -e "$link" ]; then rm -f "$link"; fi
done
hooked=$(sed -n "s/^qtests_x86_64 += config_all_devices.has_key('CONFIG_VFPGA') ? \['\(.*\)'\] : \[\]$/\1/p" \
	"$QTEST_MESON")
for name in $hooked; do
	[ ! -e "$QTESTS/$name.c" ] || continue
	sed -i "/^qtests_x86_64 += .*\['$name'\]/d; /^qtests += {'$name'/d" \
		"$QTEST_MESON"
done
# The user-logic plug-ins' register headers (vfpga-ulogic-test.c drives
# the checksum sample): "user-logic/..." from tests/qtest.
ln -sfn "$TOP/user-logic" "$SRC/tests/qtest/user-logic"
for file in "$QTESTS"/*.[ch]; do
	ln -sfn "$file" "$SRC/tests/qtest/$(basename "$file")"
done
for dir in "$QTESTS"/*/; do
	[ -d "$dir" ] || continue
	ln -sfn "${dir%/}" "$SRC/tests/qtest/$(basename "$dir")"
done
for test in "$QTESTS"/*-test.c; do
	name=$(basename "$test" .c)
	sources="'vfpga-qtest.c'"
	for file in "$QTESTS/$name"/*.c; do
		[ -e "$file" ] && sources="$sources, '$name/$(basename "$file")'"
	done
	entry="qtests += {'$name': [declare_dependency(include_directories: include_directories('../../hw/vfpga/include')), $sources]}"
	grep -q "^qtests_x86_64 += .*\['$name'\]" "$QTEST_MESON" ||
		sed -i "s|^qtests_x86_64 = qtests_i386$|&\nqtests_x86_64 += config_all_devices.has_key('CONFIG_VFPGA') ? ['$name'] : []|" \
			"$QTEST_MESON"
	if ! grep -qxF "$entry" "$QTEST_MESON"; then
		sed -i "/^qtests += {'$name'/d" "$QTEST_MESON"
		sed -i "s|^qtest_executables = {}$|$entry\n&|" "$QTEST_MESON"
	fi
	grep -q "^qtests_x86_64 += .*\['$name'\]" "$QTEST_MESON" &&
		grep -qxF "$entry" "$QTEST_MESON" ||
		{ echo "qemu-link-device: cannot hook $name into $QTEST_MESON" >&2; exit 1; }
done
