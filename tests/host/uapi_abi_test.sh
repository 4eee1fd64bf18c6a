#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The ioctl header compiles to one layout for i386 and x86-64 callers, and
# its mmap offsets are within a 32-bit process's reach: uapi_abi_check.c
# built both ways (its assertions fail the build), and libvfpga's sources
# built for i386 as its Makefile builds them.  gcc-multilib
# (scripts/setup.sh) gives -m32.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"

CHECK=$TOP/tests/host/uapi_abi_check.c
cc_abi() {		# FLAGS...
	cc -std=c11 -Wall -Wextra -Werror -I"$TOP/include/vfpga" "$@" \
		-c "$CHECK" -o "$TMP/check.o"
}

# libvfpga's sources for i386, with the library's own flags.
libvfpga_m32() {
	local f
	for f in "$TOP"/userlib/src/*.c; do
		cc -m32 -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Wall \
			-Werror -I"$TOP/include/vfpga" -c "$f" \
			-o "$TMP/$(basename "$f" .c).o" ||
			return 1
	done
}

tap_plan 4
t "uapi layout and mmap offsets, x86-64" cc_abi -m64
t "uapi layout and mmap offsets, i386" cc_abi -m32
t "uapi mmap offsets fit a 64-bit off_t, i386" cc_abi -m32 \
	-D_FILE_OFFSET_BITS=64
t "libvfpga builds for i386" libvfpga_m32
exit "$tap_failed"
