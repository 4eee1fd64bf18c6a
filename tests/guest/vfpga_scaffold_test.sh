#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The plugin project `vfpga new-plugin` writes, generated and built at
# build time by tests/Makefile (build/tests/scaffold/), run in the guest
# in both modes: its module loaded after the vfpga driver and its test
# program in kernel mode, then the same program linked with the plugin's
# user-mode object in user mode; each checks the plugin's version and
# that device and plugin counted a storm of interrupts alike.  TAP.
DIR=/usr/libexec/vfpga/scaffold
NAME=scaffold_demo
COUNT=10000
MODE=${VFPGA_IRQ_MODE:-?}
n=0
failed=0

t() {		# NAME COMMAND...
	name=$1
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
		failed=1
	fi
	[ -z "$out" ] || echo "$out" | sed 's/^/# /'
}

exits_with() {	# STATUS COMMAND...
	want=$1
	shift
	"$@"
	got=$?
	[ "$got" -eq "$want" ] || { echo "exit status $got, expected $want"; return 1; }
}

echo "TAP version 13"
echo "1..6"
t "kernel mode fails (exit 1) before $NAME.ko is loaded" \
	exits_with 1 "$DIR/${NAME}_test" kernel 1
t "user mode fails (exit 1) without the user-mode object linked in" \
	exits_with 1 "$DIR/${NAME}_test" user 1
t "insmod $NAME.ko" insmod "$DIR/$NAME.ko"
t "kernel mode: $COUNT interrupts counted by device and plugin ($MODE)" \
	"$DIR/${NAME}_test" kernel $COUNT
t "user mode: $COUNT interrupts counted by device and plugin ($MODE)" \
	"$DIR/${NAME}_test_user" user $COUNT
t "rmmod $NAME" rmmod "$NAME"
# Whatever failed, leave the driver free to unload.
grep -q "^$NAME " /proc/modules && rmmod "$NAME"
exit $failed
