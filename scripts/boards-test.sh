#!/bin/bash
# SPDX-License-Identifier: MIT
#
# make test-boards: every preset of boards/ but the reference board (make
# test's own) as board 0 of a guest, with the suites that exercise the
# board's shape: the board suite (vfpga_test: the shape the driver
# reports, registers, interrupts), the DMA suite and the kernel-plugin
# suite (on the streaming board the stream suite instead of those two),
# in MSI-X mode; and Linux's upstream XDMA driver with the
# xdma-upstream suite on the presets that have the 4+4 channels that
# suite drives (XDMA_UPSTREAM below).  One summary line per preset and
# boot, as run-tests.sh prints them, then "boards total: N passed, N
# failed".
#   boards-test.sh [PRESET...]
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LOGS=$TOP/build/test-logs/boards
mkdir -p "$LOGS"
# shellcheck source=suite-report.sh
. "$TOP/scripts/suite-report.sh"

SUITES=vfpga_test,vfpga_dma_test,vfpga_kp_test
XDMA_UPSTREAM=" xdma-example "
# The streaming board's stream channels take stream transfers only: the
# board suite and the stream suite run on it instead.
STREAM_SUITES=vfpga_test,vfpga_stream_test
if [ $# -eq 0 ]; then
	for f in "$TOP"/boards/*.board; do
		name=$(basename "$f" .board)
		[ "$name" = reference ] || set -- "$@" "$name"
	done
fi
for board in "$@"; do
	suites=$SUITES
	[ "$board" = streaming ] && suites=$STREAM_SUITES
	VFPGA_BOARD=$board \
		VFPGA_APPEND="vfpga_only=$suites vfpga_modes=msix" \
		"$TOP/scripts/boot-guest.sh" test "$LOGS/$board" \
		>"$LOGS/$board-boot.log" 2>&1
	rc=$?
	cp "$LOGS/$board/results.txt" "$LOGS/$board.log" 2>/dev/null ||
		: >"$LOGS/$board.log"
	report "board $board" "$LOGS/$board.log" $rc
	grep -h '^boot:' "$LOGS/$board-boot.log" | sed 's/^/  /'
	case $XDMA_UPSTREAM in *" $board "*) ;; *) continue ;; esac
	X=$LOGS/$board-xdma-upstream
	VFPGA_BOARD=$board "$TOP/scripts/boot-guest.sh" xdma-upstream "$X" \
		>"$X-boot.log" 2>&1
	rc=$?
	cp "$X/results.txt" "$X.log" 2>/dev/null || : >"$X.log"
	report "board $board xdma-upstream" "$X.log" $rc
	grep -h '^boot: guest ran' "$X-boot.log" | sed 's/^/  /'
done
echo "boards total: $total_pass passed, $total_fail failed"
report_failures
[ "$total_fail" -eq 0 ]
