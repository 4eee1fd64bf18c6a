#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Run the whole guest suite in one lane: a kernel, and what QEMU and the
# kernel command line add (tests/lanes/NAME.lane).  make test-lane
# LANE=NAME runs one, make test-matrix every lane.
#
#   lane.sh NAME...
#
# A lane whose kernel is not the default one gets the driver, the plugins
# and the test programs built against that kernel's headers, and an
# initramfs of its own, under build/lanes/NAME/.  Each lane prints
#   guest-NAME: N passed, N failed[, N skipped]
# and the boot's lines; with more than one lane, a total follows.  Logs:
# build/test-logs/lanes/NAME/ (results.txt, serial.log).  Exit status 1
# when any lane failed.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$TOP/build
LOGS=$BUILD/test-logs/lanes
[ $# -gt 0 ] || { echo "usage: lane.sh NAME... (lanes: $(cd "$TOP/tests/lanes" && ls ./*.lane | sed 's|^\./||; s|\.lane$||' | tr '\n' ' '))" >&2; exit 2; }

mkdir -p "$LOGS"
# shellcheck source=suite-report.sh
. "$TOP/scripts/suite-report.sh"
failed=0

die_lane() {		# NAME MESSAGE
	echo "guest-$1: 0 passed, 1 failed"
	echo "  lane $1: $2" >&2
	total_fail=$((total_fail + 1))
	failed=1
}

# Build what lane NAME boots; sets KERNEL and INITRD.
prepare() {		# NAME
	local name=$1 kdir out abi
	case $LANE_KERNEL in
	6.12)
		KERNEL=$BUILD/kernel/vmlinuz
		INITRD=$BUILD/guest/initramfs.cpio.gz
		return 0 ;;
	6.1)
		abi=$(cat "$BUILD/kernel-abi-6.1")
		"$TOP/guest-image/fetch-kernel.sh" "$abi" "$BUILD/kernel-6.1" --image ||
			return 1
		kdir=$BUILD/kernel-6.1 ;;
	built)
		kdir=$BUILD/kernel-$name
		# suite:SUITE is the newest linux-source-X.Y that Debian
		# suite ships, fetched and cached by fetch-suite-source.sh.
		case $LANE_KERNEL_SOURCE in
		suite:*)
			LANE_KERNEL_SOURCE=$("$TOP/guest-image/fetch-suite-source.sh" \
				"${LANE_KERNEL_SOURCE#suite:}") || return 1 ;;
		esac
		# shellcheck disable=SC2046
		"$TOP/guest-image/build-kernel.sh" "$name" "$LANE_KERNEL_SOURCE" "$kdir" \
			$(for c in $LANE_KERNEL_CONFIGS; do
				echo "$TOP/guest-image/kernel-configs/$c.config"; done) ||
			return 1 ;;
	*)
		echo "lane $name: unknown LANE_KERNEL=$LANE_KERNEL" >&2
		return 1 ;;
	esac
	out=$BUILD/lanes/$name
	make -s -C "$TOP/driver" KDIR="$kdir/build" OUT="$out/driver" ||
		return 1
	make -s -C "$TOP/tests" OUT="$out/tests" LIBO="$BUILD/userlib" \
		KDIR="$kdir/build" DRIVER_OUT="$out/driver" || return 1
	# The upstream XDMA driver is 6.12's; its suite is the xdma-upstream
	# boot's, not part of a lane.
	VFPGA_DRIVER_OUT=$out/driver VFPGA_TESTS_OUT=$out/tests \
		VFPGA_KERNEL_DIR=$kdir VFPGA_XDMA_OUT= VFPGA_XDMA_GLUE_OUT= \
		VFPGA_XDMA_CLIENT_OUT= \
		"$TOP/guest-image/build-initramfs.sh" "$out/initramfs.cpio.gz" ||
		return 1
	KERNEL=$kdir/vmlinuz
	INITRD=$out/initramfs.cpio.gz
}

for name in "$@"; do
	lane=$TOP/tests/lanes/$name.lane
	[ -f "$lane" ] || { die_lane "$name" "no lane file $lane"; continue; }
	LANE_KERNEL=6.12 LANE_QEMU_ARGS="" LANE_APPEND="" LANE_DESCRIPTION=""
	LANE_KERNEL_SOURCE="" LANE_KERNEL_CONFIGS="" LANE_MEM=512 LANE_TIMEOUT=1200
	# shellcheck disable=SC1090
	. "$lane"
	t=$(date +%s)
	prepare "$name" >"$BUILD/lane-$name-build.log" 2>&1 ||
		{ die_lane "$name" "build failed; see $BUILD/lane-$name-build.log"; continue; }
	built=$(($(date +%s) - t))

	run=$LOGS/$name
	start=$(date +%s)
	VFPGA_KERNEL=$KERNEL VFPGA_INITRD=$INITRD VFPGA_QEMU_FIRST=$LANE_QEMU_ARGS \
		VFPGA_GUEST_MEM=$LANE_MEM VFPGA_TIMEOUT=${VFPGA_TIMEOUT:-$LANE_TIMEOUT} \
		VFPGA_APPEND="$LANE_APPEND ${VFPGA_APPEND:-}" \
		"$TOP/scripts/boot-guest.sh" test "$run" >"$run.boot.log" 2>&1
	rc=$?
	# A boot that never reported leaves no TAP: an empty one fails.
	[ -f "$run/results.txt" ] || : >"$run/results.txt"
	report "guest-$name" "$run/results.txt" $rc || failed=1
	# Debian's images say their ABI in their name; ours, in the build.
	release=$(readlink "$KERNEL" | sed -n 's|.*/vmlinuz-||p')
	[ -n "$release" ] ||
		release=$(cat "$(dirname "$KERNEL")/build/include/config/kernel.release" 2>/dev/null)
	echo "  lane $name: $LANE_DESCRIPTION; kernel $release; built in $built s, ran $(($(date +%s) - start)) s"
	grep -h '^kernel .*: built in' "$BUILD/lane-$name-build.log" | sed 's/^/  /'
	grep -h '^# kernel-log: ' "$run/results.txt" 2>/dev/null | sed 's/^# /  /'
	grep -h '^boot:' "$run.boot.log" | sed 's/^/  /'
done

[ $# -gt 1 ] && echo "lanes total: $total_pass passed, $total_fail failed"
report_failures
exit $failed
