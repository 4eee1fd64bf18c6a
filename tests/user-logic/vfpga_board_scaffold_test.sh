#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The board project `vfpga new-board` writes, generated and built at build
# time by tests/Makefile (build/tests/board-scaffold/): QEMU loaded its
# plug-in into board3 (scripts/user-logic-boards.sh, from the project's
# preset), and its own guest program, which finds the board by its ID and
# checks its registers and interrupt, runs here.  Its TAP is this suite's.
exec /usr/libexec/vfpga/board-scaffold/board_demo_test
