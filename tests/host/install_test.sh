#!/bin/bash
# SPDX-License-Identifier: MIT
#
# libvfpga as a user gets it: `make install` into a staging DESTDIR, then
# every sample builds with nothing but pkg-config's flags and links against
# the shared library by its soname.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"

samples=("$TOP"/userlib/samples/*.c)
tap_plan $((3 + ${#samples[@]}))
t install make -s -C "$TOP/userlib" OUT="$STAGE/build" PREFIX=/usr \
	DESTDIR="$STAGE/root" install
export PKG_CONFIG_SYSROOT_DIR=$STAGE/root
export PKG_CONFIG_LIBDIR=$STAGE/root/usr/lib/pkgconfig
t pkg-config pkg-config --exists libvfpga
t soname sh -c "objdump -p '$STAGE/root/usr/lib/libvfpga.so.0' | grep -q 'SONAME *libvfpga.so.0'"
for s in "${samples[@]}"; do
	# shellcheck disable=SC2046
	t "sample $(basename "$s" .c) builds" cc -std=c11 -Wall -Werror \
		-o "$STAGE/$(basename "$s" .c)" "$s" \
		$(pkg-config --cflags --libs libvfpga)
done
exit "$tap_failed"
