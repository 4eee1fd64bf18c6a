#!/bin/bash
# SPDX-License-Identifier: MIT
#
# vfpga new-board: the user-logic project it writes is complete and
# builds as a user would build it, warning-free, against the source tree
# and against an installed vfpga: a shared object that exports the
# plug-in's entry point only and that QEMU's board realizes with (its
# qtree shows it loaded), and the guest program;
# its preset gives the -device option; bad names and occupied directories
# are refused with the tool's exit statuses (2 bad command line, 1
# failure).  (The guest runs the project: tests/user-logic/
# vfpga_board_scaffold_test.sh.)  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
V=$TOP/build/userlib/vfpga
QEMU=$TOP/build/qemu/qemu-system-x86_64
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"

P=$TMP/hostboard
FILES="hostboard.c hostboard_regs.h hostboard_test.c hostboard.board Makefile README.md .gitignore"

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

# Each file is its template with the placeholders replaced, byte for byte.
same_as_templates() {	# DIR NAME
	local f out upper
	upper=$(tr a-z A-Z <<<"$2")
	for f in "$TOP"/user-logic/board-template/*.in; do
		out=$(basename "$f" .in)
		out=${out/#dot-/.}
		out=${out//@NAME@/$2}
		sed -e "s/@NAME_UPPER@/$upper/g" -e "s/@NAME@/$2/g" "$f" |
			cmp - "$1/$out" || return 1
	done
}

# One symbol defined and exported, nothing left undefined but libc's.
so_built() {		# DIR
	[ "$(nm -D --defined-only "$1/hostboard.so" | awk '$2 == "T" { print $3 }')" = \
	  vfpga_user_logic_entry ] &&
		test -x "$1/hostboard_test"
}

# QEMU realizes a board with it: its qtree names the plug-in.
qemu_loads() {		# DIR
	local args id
	args=$(make -s -C "$1" VFPGA_DIR="$TOP" device-args) || return 1
	case $args in vfpga,*user-logic=/*hostboard.so*) ;; *) echo "$args"; return 1 ;; esac
	id=$(printf '%s\n' "info qtree" "quit" | timeout 30 "$QEMU" -M q35 \
		-accel tcg -nodefaults -display none -S -monitor stdio \
		-L /usr/share/seabios -L /usr/share/qemu \
		-device "$args,id=fpga" 2>&1) || { echo "$id"; return 1; }
	grep -q 'user-logic = "'"$1"'/hostboard.so"' <<<"$id" || { echo "$id"; return 1; }
}

install_prefix() {	# PREFIX
	make -s -C "$TOP/userlib" OUT="$TOP/build/userlib" PREFIX="$1" install
}

tap_plan 12

t "new-board writes the project into DIR" "$V" new-board hostboard "$P"
t "every file, no placeholder left" all_files "$P"
t "every file is its template, byte for byte" same_as_templates "$P" hostboard
t "no NAME: usage, exit 2" exits_with 2 "$V" new-board
for bad in 9lives my-dev vfpga_board; do
	t "bad NAME '$bad': exit 2" exits_with 2 "$V" new-board "$bad" "$TMP/bad"
done
t "non-empty DIR: refused, exit 1" exits_with 1 "$V" new-board hostboard "$P"
t "plug-in and guest program build, warning-free" \
	sh -c "make -s -C '$P' VFPGA_DIR='$TOP' CFLAGS='-O2 -g -Werror' &&
		make -s -C '$P' VFPGA_DIR='$TOP' CFLAGS='-O2 -g -Werror' test-prog"
t "the plug-in exports its entry point only" so_built "$P"
t "QEMU loads it from the preset's -device option" qemu_loads "$P"
t "against an installed vfpga: plug-in and guest program" \
	sh -c "$(declare -f install_prefix so_built); TOP='$TOP'
		install_prefix '$TMP/prefix' >/dev/null && make -s -C '$P' clean &&
		make -s -C '$P' VFPGA_DIR='$TMP/prefix' CFLAGS='-O2 -g -Werror' &&
		make -s -C '$P' VFPGA_DIR='$TMP/prefix' CFLAGS='-O2 -g -Werror' test-prog &&
		so_built '$P'"
exit "$tap_failed"
