#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Print a board preset (boards/NAME.board, or a file given by path) as the
# property list of a -device option: one property=value a line in the
# file, '#' comments and blank lines dropped, joined by commas.
#   qemu-system-x86_64 ... -device vfpga,$(scripts/board-props.sh xdma-example)
# An empty preset (the reference board) prints nothing.  A user-logic
# path without a leading / is taken relative to the preset's folder.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: board-props.sh NAME|FILE}
case $name in
*/*) file=$name ;;
*) file=$TOP/boards/$name.board ;;
esac
if [ ! -f "$file" ]; then
	names=
	for f in "$TOP"/boards/*.board; do
		names="$names $(basename "$f" .board)"
	done
	echo "board-props: no preset '$name' (boards/:$names)" >&2
	exit 1
fi
dir=$(cd "$(dirname "$file")" && pwd)
sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' \
	-e "s|^user-logic=\([^/]\)|user-logic=$dir/\1|" "$file" | paste -sd, -
