#!/bin/bash
# SPDX-License-Identifier: MIT
#
# libvfpga as a user gets it: `make install` into a staging DESTDIR, then
# every sample builds with nothing but pkg-config's flags and links against
# the shared library by its soname, and so do kernel plugins built for
# user mode (the sample and the test plugin, copied out of the tree as a
# plugin project would be): they compile against the installed plugin
# headers only, link into a program with the library, and register.
# TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"

samples=("$TOP"/userlib/samples/*.c)
plugins=("$TOP"/driver/kp/sample "$TOP"/driver/kp/test-plugin)
tap_plan $((4 + ${#samples[@]} + 2 * ${#plugins[@]}))
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

t "plugin headers installed" sh -c "cd '$STAGE/root/usr/include/vfpga' &&
	test -f libvfpga.h && test -f vfpga_export.h && test -f vfpga_kp.h &&
	test -f vfpga_kp_user.h && test -f vfpga_regs.h && test -f uapi/vfpga.h &&
	test -f vfpga-plugin.mk"
# A program that only hosts the plugin: its constructor registers it, and
# a failing init would say so on stderr.
cat >"$STAGE/host.c" <<'EOF'
#include <libvfpga.h>
int main(void) { return 0; }
EOF
for p in "${plugins[@]}"; do
	name=$(basename "$p")
	proj=$STAGE/plugin-$name
	mkdir -p "$proj"
	cp "$p"/*.c "$p"/*.h "$proj/"
	# The plugin's one source that builds in both modes: a kernel-only
	# module beside it (test-plugin's failinit) includes kernel headers.
	src=$(grep -L '#include <linux/' "$proj"/*.c)
	# shellcheck disable=SC2046
	t "plugin $name builds for user mode from the installed tree" \
		cc -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra -Werror \
		-Wno-unused-parameter -I"$proj" \
		$(pkg-config --cflags libvfpga) -c -o "$proj/plugin.o" $src
	t "plugin $name links with the library and registers" sh -c "
		cc -o '$proj/host' '$STAGE/host.c' '$proj/plugin.o' \
			$(pkg-config --cflags --libs libvfpga) -pthread &&
		out=\$(LD_LIBRARY_PATH='$STAGE/root/usr/lib' '$proj/host' 2>&1) &&
		test -z \"\$out\" || { echo \"\$out\"; exit 1; }"
done
exit "$tap_failed"
