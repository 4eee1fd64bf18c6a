#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Print the QEMU arguments that add the boards with user-logic plug-ins
# to a boot (scripts/boot-guest.sh ACTION RUN $(user-logic-boards.sh)),
# each behind a root port of its own, after the two reference boards:
#   board2  the checksum sample (build/user-logic/checksum.so)
#   board3  the board of the project `vfpga new-board` writes, as
#           tests/Makefile generates and builds it
#           (build/tests/board-scaffold/board_demo/): its preset, through
#           the project's `make device-args`
# It fails, naming the file, when a plug-in has not been built.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CHECKSUM=$TOP/build/user-logic/checksum.so
PROJECT=$TOP/build/tests/board-scaffold/board_demo

for so in "$CHECKSUM" "$PROJECT/board_demo.so"; do
	[ -f "$so" ] || { echo "user-logic-boards: $so is not built (make guest)" >&2; exit 1; }
done
scaffold=$(make -s -C "$PROJECT" VFPGA_DIR="$TOP" device-args)
echo "-device pcie-root-port,id=rp2,bus=pcie.0,chassis=3,slot=3,addr=2.0" \
	"-device vfpga,id=board2,bus=rp2,card-mem-size=16M,user-logic=$CHECKSUM" \
	"-device pcie-root-port,id=rp3,bus=pcie.0,chassis=4,slot=4,addr=3.0" \
	"-device $scaffold,id=board3,bus=rp3"
