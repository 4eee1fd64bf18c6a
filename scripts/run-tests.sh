#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Run every test suite and print one line per suite,
#   <suite>: N passed, N failed[, N skipped]
# then "total: N passed, N failed".  Exit status 1 when anything failed.
# Each suite's full log stays in build/test-logs/.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LOGS=$TOP/build/test-logs
mkdir -p "$LOGS"
# shellcheck source=suite-report.sh
. "$TOP/scripts/suite-report.sh"

# host: programs that need no board
: >"$LOGS/host.log"
rc=0
for t in "$TOP"/build/tests/host/*; do
	"$t" >>"$LOGS/host.log" 2>&1 || rc=1
done
report host "$LOGS/host.log" $rc

# qtest: the device model alone, driven by QEMU's qtest protocol, one
# program per qemu-device/tests/*-test.c (vfpga-board-test reads the
# presets of boards/); prints the DMA throughput it measured
: >"$LOGS/qtest.log"
rc=0
for t in "$TOP"/qemu-device/tests/*-test.c; do
	# In a subshell, so that a program that aborts is reported in the log.
	(QTEST_QEMU_BINARY="$TOP/build/qemu/qemu-system-x86_64" \
		VFPGA_BOARDS_DIR="$TOP/boards" timeout 600 \
		"$TOP/build/qemu/tests/qtest/$(basename "$t" .c)" --tap || exit 1) \
		>>"$LOGS/qtest.log" 2>&1 || rc=1
done
report qtest "$LOGS/qtest.log" $rc
grep -h '^# throughput ' "$LOGS/qtest.log" | sed 's/^# /  /'

# guest: boot the board and run every in-guest suite
"$TOP/scripts/boot-guest.sh" test "$LOGS/guest" >"$LOGS/guest-boot.log" 2>&1
rc=$?
cp "$LOGS/guest/results.txt" "$LOGS/guest.log" 2>/dev/null || : >"$LOGS/guest.log"
report guest "$LOGS/guest.log" $rc
# How the boot went (and where its log is), and the measured rates, each
# naming the accelerator it was measured under.
grep -h '^boot:' "$LOGS/guest-boot.log" | sed 's/^/  /'
accel=$(tr a-z A-Z <"$LOGS/guest/accel" 2>/dev/null)
grep -h '^# irq burst\|^# kp storm\|^# kp call\|^# storm ' "$LOGS/guest.log" |
	sed "s/^# /  /; s/\$/ [${accel:-?}]/"

# xdma-upstream: the board driven by Linux's own XDMA driver (xdma.ko, built
# unmodified) through driver/xdma-glue and the suite's dmaengine client
# (tests/guest/xdma-upstream/client), in a boot of its own
X=$LOGS/xdma-upstream
"$TOP/scripts/boot-guest.sh" xdma-upstream "$X" -d guest_errors -D "$X/qemu.log" \
	>"$X-boot.log" 2>&1
rc=$?
cp "$X/results.txt" "$X.log" 2>/dev/null || : >"$X.log"
report xdma-upstream "$X.log" $rc
grep -h '^boot:' "$X-boot.log" | sed 's/^/  /'
accel=$(tr a-z A-Z <"$X/accel" 2>/dev/null)
grep -h '^# xdma rate' "$X.log" | sed "s/^# /  /; s/\$/ [${accel:-?}]/"
[ -s "$X/qemu.log" ] && echo "  model's guest-error log: $(wc -l <"$X/qemu.log") lines in $X/qemu.log"

# user-logic: boards whose user logic is a shared object QEMU loads
# (build/user-logic/): the checksum sample and the project `vfpga
# new-board` writes, added beside the two reference boards, in a boot of
# their own
U=$LOGS/user-logic
"$TOP/scripts/boot-guest.sh" user-logic "$U" $("$TOP/scripts/user-logic-boards.sh") \
	>"$U-boot.log" 2>&1
rc=$?
cp "$U/results.txt" "$U.log" 2>/dev/null || : >"$U.log"
report user-logic "$U.log" $rc
grep -h '^boot:' "$U-boot.log" | sed 's/^/  /'

# rtl: the RTL sample (rtl/sample/, through Verilator and the RTL bridge)
# as board 0 (boards/rtl-sample.board), the board and kernel-plugin
# suites in MSI-X mode, with the guest-error log where the bridge reports
# a misbehaving design (make test-rtl runs more: scripts/rtl-test.sh)
R=$LOGS/rtl
rm -rf "$R"
mkdir -p "$R"
VFPGA_BOARD=rtl-sample \
	VFPGA_APPEND="vfpga_only=vfpga_test,vfpga_kp_test vfpga_modes=msix" \
	"$TOP/scripts/boot-guest.sh" test "$R" -d guest_errors -D "$R/qemu.log" \
	>"$R-boot.log" 2>&1
rc=$?
cp "$R/results.txt" "$R.log" 2>/dev/null || : >"$R.log"
report rtl "$R.log" $rc
grep -h '^boot:' "$R-boot.log" | sed 's/^/  /'
grep -h '^# irq burst' "$R.log" | sed 's/^# /  /; s/$/ [RTL]/'
bridge=$(grep -c '^vfpga: [^:]*: rtl ' "$R/qemu.log" 2>/dev/null)
[ "${bridge:-0}" -gt 0 ] && echo "  RTL bridge: $bridge lines in $R/qemu.log"

# pipeline: the boot machinery notices guests that go wrong, and proves
# the accelerator rather than assuming it
: >"$LOGS/pipeline.log"
rc=0
for t in boot_failures accel_probe; do
	"$TOP/tests/pipeline/$t.sh" >>"$LOGS/pipeline.log" 2>&1 || rc=1
done
report pipeline "$LOGS/pipeline.log" $rc
grep -h '^# accelerator probe' "$LOGS/pipeline.log" | sed 's/^# /  /'

echo "total: $total_pass passed, $total_fail failed"
report_failures
[ "$total_fail" -eq 0 ]
