#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The RTL sample (rtl/sample/, through Verilator and the RTL bridge,
# docs/rtl.md) as board 0 of a guest (boards/rtl-sample.board), with
# QEMU's guest-error log on, where the bridge reports a misbehaving
# design: make test-rtl, the board, DMA, kernel-plugin, storm,
# interrupt-context, user-ack and tool suites in every interrupt mode.
# One summary line, as run-tests.sh prints them (whose own rtl line is
# the short lane: the board and kernel-plugin suites in MSI-X mode).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LOGS=$TOP/build/test-logs
# shellcheck source=suite-report.sh
. "$TOP/scripts/suite-report.sh"

name=rtl-full
append="vfpga_only=vfpga_test,vfpga_dma_test,vfpga_kp_test,vfpga_storm_test,vfpga_irq_context_test,vfpga_irq_user_ack_test,vfpga_cli_test"
R=$LOGS/$name
rm -rf "$R"
mkdir -p "$R"
VFPGA_BOARD=rtl-sample VFPGA_APPEND="$append" \
	"$TOP/scripts/boot-guest.sh" test "$R" -d guest_errors -D "$R/qemu.log" \
	>"$R-boot.log" 2>&1
rc=$?
cp "$R/results.txt" "$R.log" 2>/dev/null || : >"$R.log"
report "$name" "$R.log" $rc
grep -h '^boot:' "$R-boot.log" | sed 's/^/  /'
grep -h '^# irq burst\|^# storm pingpong\|^# kp storm' "$R.log" | sed 's/^# /  /'
bridge=$(grep -c '^vfpga: [^:]*: rtl ' "$R/qemu.log" 2>/dev/null)
[ "${bridge:-0}" -gt 0 ] && echo "  RTL bridge: $bridge lines in $R/qemu.log"
report_failures
[ "$total_fail" -eq 0 ]
