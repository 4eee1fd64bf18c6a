#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The core driver and the sample and test kernel plugins build against both
# Debian kernels (bookworm's 6.1 and backports' 6.12) without a warning, the
# driver builds from its DKMS source tree the way dkms.conf says, all of it
# passes sparse (make C=2) with no warning, and both pass checkpatch
# --strict.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"

dkms_build() {		# KDIR
	local tree=$TMP/dkms/usr/src/vfpga-0.1.0
	make -s -C "$TOP/driver" dkms-source DESTDIR="$TMP/dkms" &&
		make -C "$1" M="$tree" modules && test -f "$tree/vfpga.ko"
}

# sparse on every file of the driver, the plugins and the bench module
# (C=2: whether or not it is rebuilt); any warning fails.
sparse_clean() {	# KDIR
	command -v sparse >/dev/null ||
		{ echo "sparse is not installed (make setup installs it)"; return 1; }
	make -C "$TOP/driver" KDIR="$1" OUT="$TMP/sparse" C=2 \
		>"$TMP/sparse.log" 2>&1 || { cat "$TMP/sparse.log"; return 1; }
	! grep -E ': (warning|error):' "$TMP/sparse.log"
}

tap_plan 13
t "builds against $(cat "$TOP/build/kernel-abi-6.1")" \
	make -C "$TOP/driver" KDIR="$TOP/build/kernel-6.1/build" OUT="$TMP/6.1"
t "sample plugin builds against $(cat "$TOP/build/kernel-abi-6.1")" \
	test -f "$TMP/6.1/kp-sample/vfpga_kp_sample.ko"
t "test plugin builds against $(cat "$TOP/build/kernel-abi-6.1")" \
	test -f "$TMP/6.1/kp-kptest/vfpga_kp_kptest.ko"
t "builds against $(cat "$TOP/build/kernel-abi")" \
	make -C "$TOP/driver" KDIR="$TOP/build/kernel/build" OUT="$TMP/6.12"
t "sample plugin builds against $(cat "$TOP/build/kernel-abi")" \
	test -f "$TMP/6.12/kp-sample/vfpga_kp_sample.ko"
t "test plugin builds against $(cat "$TOP/build/kernel-abi")" \
	test -f "$TMP/6.12/kp-kptest/vfpga_kp_kptest.ko"
t "builds from the DKMS source tree" dkms_build "$TOP/build/kernel/build"
t "sparse clean against $(cat "$TOP/build/kernel-abi")" \
	sparse_clean "$TOP/build/kernel/build"
# The same plugin source, for user mode, with no warning.
t "sample plugin builds for user mode, warning-free" \
	make -s -C "$TOP/driver/kp/sample" user USER_OUT="$TMP/kp-user" \
	CC="cc -Werror"
t "test plugin builds for user mode, warning-free" \
	make -s -C "$TOP/driver/kp/test-plugin" user \
	USER_OUT="$TMP/kptest-user" CC="cc -Werror"
CHECKPATCH="perl $TOP/build/kselftest/scripts/checkpatch.pl --no-tree --strict --quiet"
t "checkpatch --strict clean" $CHECKPATCH -f "$TOP"/driver/*.c \
	$(ls "$TOP"/driver/*.h | grep -v '/vfpga_compat\.h$') \
	"$TOP"/driver/xdma-glue/*.[ch] "$TOP"/include/vfpga/vfpga_kp.h \
	"$TOP"/include/vfpga/vfpga_export.h \
	"$TOP"/tests/guest/xdma-upstream/client/*.c \
	"$TOP"/driver/kp/sample/*.c "$TOP"/driver/kp/sample/*.h \
	"$TOP"/driver/kp/test-plugin/*.c "$TOP"/driver/kp/test-plugin/*.h \
	"$TOP"/driver/bench/*.c \
	"$TOP"/user-logic/checksum/kp/*.c "$TOP"/user-logic/checksum/kp/csum_kp.h
# The one place kernel-version checks belong (each with its version and
# reason), so there and only there checkpatch lets them be.
t "compat header checkpatch --strict clean but for its version checks" \
	$CHECKPATCH --ignore LINUX_VERSION_CODE -f "$TOP"/driver/vfpga_compat.h
# BIT() does not exist for user space: the uapi header cannot use it.
t "uapi header checkpatch --strict clean" $CHECKPATCH --ignore BIT_MACRO \
	-f "$TOP"/include/vfpga/uapi/vfpga.h
exit "$tap_failed"
