#!/bin/bash
# SPDX-License-Identifier: MIT
#
# vfpga new-plugin: the project it writes is complete and builds as a
# user would build it: the kernel module against the guest kernel and the
# driver's Module.symvers, the user-mode object and the test programs
# without a warning, against the source tree and against an installed
# vfpga; the plugin is checkpatch --strict clean as generated; bad names
# and occupied directories are refused with the tool's exit statuses
# (2 bad command line, 1 failure).  (The guest runs the project:
# tests/guest/vfpga_scaffold_test.sh.)  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
V=$TOP/build/userlib/vfpga
KDIR=$TOP/build/kernel/build
SYMVERS=$TOP/build/driver/Module.symvers
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"

P=$TMP/hostdemo
FILES="hostdemo.c hostdemo.h hostdemo_test.c Kbuild Makefile README.md .gitignore"
CHECKPATCH="perl $TOP/build/kselftest/scripts/checkpatch.pl --no-tree --strict --quiet"
LONG=abcdefghijklmnopqrstuvwxyz_0123	# 31 characters, the longest name

exits_with() {		# STATUS COMMAND...
	local want=$1 got
	shift
	"$@"
	got=$?
	[ "$got" -eq "$want" ] || { echo "exit status $got, expected $want"; return 1; }
}

all_files() {		# DIR
	local f
	for f in $FILES; do
		test -s "$1/$f" || { echo "missing: $f"; return 1; }
	done
	[ "$(ls -A "$1" | wc -l)" -eq 7 ] || { ls -A "$1"; return 1; }
	! grep -rn '@NAME' "$1" || { echo "placeholder left"; return 1; }
}

# Each file is its template with the placeholders replaced, byte for
# byte: the embedding (embed-templates.sh) loses nothing.
same_as_templates() {	# DIR NAME
	local f out upper
	upper=$(tr a-z A-Z <<<"$2")
	for f in "$TOP"/userlib/cli/plugin-template/*.in; do
		out=$(basename "$f" .in)
		out=${out/#dot-/.}
		out=${out//@NAME@/$2}
		sed -e "s/@NAME_UPPER@/$upper/g" -e "s/@NAME@/$2/g" "$f" |
			cmp - "$1/$out" || return 1
	done
}

# Only the generated files are there (after make clean).
only_sources() {	# DIR
	[ "$(ls -A "$1" | LC_ALL=C sort | tr '\n' ' ')" = \
	  "$(echo $FILES | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ')" ] ||
		{ ls -A "$1"; return 1; }
}

module_built() {	# DIR: hostdemo.ko, linked against the core's symbols
	test -f "$1/hostdemo.ko" &&
		[ "$(modinfo -F depends "$1/hostdemo.ko")" = vfpga ] &&
		[ "$(modinfo -F name "$1/hostdemo.ko")" = hostdemo ]
}

user_built() {		# DIR
	test -x "$1/hostdemo_test" && test -x "$1/user/hostdemo_test" &&
		nm "$1/user/hostdemo.o" | grep -q ' U vfpga_kp_register$' &&
		nm "$1/user/hostdemo_test" | grep -q " plugin_ops$" &&
		! nm "$1/hostdemo_test" | grep -q " plugin_ops$"
}

# An installed vfpga: make install, which puts include/vfpga/ in
# PREFIX/include/vfpga/; the project then builds from that alone.
install_prefix() {	# PREFIX
	make -s -C "$TOP/userlib" OUT="$TOP/build/userlib" PREFIX="$1" install
}

tap_plan 26

# Generation
t "new-plugin writes the project into DIR" "$V" new-plugin hostdemo "$P"
t "every file, no placeholder left" all_files "$P"
t "every file is its template, byte for byte" same_as_templates "$P" hostdemo
t "DIR defaults to ./NAME" sh -c "cd '$TMP' && '$V' new-plugin other >/dev/null && test -f other/other.c"
t "an existing empty DIR is fine" sh -c "mkdir '$TMP/empty' && '$V' new-plugin other '$TMP/empty' >/dev/null && test -f '$TMP/empty/other.c'"
t "the longest name (31 characters)" "$V" new-plugin "$LONG" "$TMP/long"

# Refusals: 2 for the command line, 1 when DIR is taken
t "no NAME: usage, exit 2" exits_with 2 "$V" new-plugin
t "too many arguments: exit 2" exits_with 2 "$V" new-plugin a b c
for bad in 9lives MyDev my-dev 'a b' vfpga_mine "${LONG}4" ''; do
	t "bad NAME '$bad': exit 2" exits_with 2 "$V" new-plugin "$bad" "$TMP/bad"
done
t "nothing written for a bad NAME" test ! -e "$TMP/bad"
before=$(cd "$P" && md5sum $FILES)
t "non-empty DIR: refused, exit 1" exits_with 1 "$V" new-plugin hostdemo "$P"
t "a refused DIR is left as it was" test "$before" = "$(cd "$P" && md5sum $FILES)"
# A write that fails (file size limit) takes back what the run wrote.
t "a failed write: exit 1, DIR and its parents removed" \
	sh -c "trap '' XFSZ; ulimit -f 2; $(declare -f exits_with)
		exits_with 1 '$V' new-plugin big '$TMP/big/sub' && test ! -e '$TMP/big'"

# Builds against the source tree
t "kernel module builds (guest kernel, driver's Module.symvers)" \
	make -s -C "$P" VFPGA_DIR="$TOP" KDIR="$KDIR" VFPGA_SYMVERS="$SYMVERS"
t "user-mode object and test programs build, warning-free" \
	make -s -C "$P" VFPGA_DIR="$TOP" CFLAGS="-O2 -g -Werror" test-prog user
t "module depends on vfpga; user/ holds the user-mode plugin" \
	sh -c "$(declare -f module_built user_built); module_built '$P' && user_built '$P'"
t "checkpatch --strict clean as generated" $CHECKPATCH -f "$P/hostdemo.c" \
	"$P/hostdemo.h" "$TMP/long/$LONG.c" "$TMP/long/$LONG.h"
t "make clean leaves the sources only" \
	sh -c "make -s -C '$P' clean && $(declare -f only_sources); FILES='$FILES'; only_sources '$P'"

# Builds against an installed vfpga (the Makefile's default layout)
t "against an installed vfpga: module, programs, user mode" \
	sh -c "$(declare -f install_prefix module_built user_built); TOP='$TOP'
		install_prefix '$TMP/prefix' >/dev/null &&
		make -s -C '$P' VFPGA_DIR='$TMP/prefix' KDIR='$KDIR' VFPGA_SYMVERS='$SYMVERS' &&
		make -s -C '$P' VFPGA_DIR='$TMP/prefix' CFLAGS='-O2 -g -Werror' test-prog user &&
		module_built '$P' && user_built '$P'"
t "without vfpga headers the Makefile says what is missing" \
	sh -c "make -s -C '$P' clean; ! make -s -C '$P' VFPGA_DIR='$TMP/none' user 2>'$TMP/err' &&
		grep -q 'no vfpga headers in VFPGA_DIR' '$TMP/err'"
exit "$tap_failed"
