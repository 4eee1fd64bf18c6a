#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Boot the emulated vfpga boards: QEMU (ours, with two vfpga devices, each
# behind a PCIe root port), Debian's 6.12 kernel and our initramfs, running
# ACTION (demo, test or shell; see guest-image/init).  Board 0
# (/dev/vfpga0) is the one every suite uses; board 1 (/dev/vfpga1, 16 MiB
# of card memory) is there for the tests of several boards.  The two root
# ports are functions 0 and 1 of one slot, so that their INTx pins meet
# on one interrupt line: the boards share an IRQ in INTx mode.  The root
# ports hot-plug natively (pciehp, which every guest kernel here has).
# The guest reaches QEMU's QMP monitor on its third serial port
# (/dev/ttyS2, IRQ 5): that port's chardev is a socket the monitor's own
# chardev connects to, so the lifecycle suite can device_del and
# device_add a board through QMP itself.
#
#   boot-guest.sh ACTION RUN_DIR [extra QEMU args...]
#
# $VFPGA_BOARD names the preset board 0 is (boards/NAME.board, default
# reference; docs/boards.md): its properties follow board 0's own
# card-mem-size=128M, and the guest's driver is told that size for a board
# without a card-memory BAR (vfpga_card_size= on the command line).
# $VFPGA_APPEND is added to the kernel command line; for a focused test
# boot, VFPGA_APPEND="vfpga_only=vfpga_kp_test vfpga_modes=msix" runs one
# suite in one interrupt mode (see guest-image/init).
# RUN_DIR receives serial.log (the console) and results.txt (what the guest
# reported on its results channel).  Exit status: the guest's own status;
# 124 when the guest overran its time limit ($VFPGA_TIMEOUT seconds,
# default 600); 125 when the guest never reached /init or stopped without
# reporting (panic, oops in init, early power-off); 126 when the
# accelerator asked for ($VFPGA_ACCEL=kvm) cannot run a guest here, or
# QEMU or the kernel is missing.  The accelerator is proven by
# scripts/accel.sh, not assumed from /dev/kvm; RUN_DIR/accel names it.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
ACTION=${1:?usage: boot-guest.sh ACTION RUN_DIR [QEMU args]}
RUN=${2:?usage: boot-guest.sh ACTION RUN_DIR [QEMU args]}
shift 2
QEMU=$TOP/build/qemu/qemu-system-x86_64
# A kernel lane (scripts/lane.sh) boots its own kernel and initramfs, and
# may add devices that must exist before the boards ($VFPGA_QEMU_FIRST: an
# IOMMU, which a PCI device only sees when it is created after it), and
# give the guest more memory ($VFPGA_GUEST_MEM MiB, default 512).
KERNEL=${VFPGA_KERNEL:-$TOP/build/kernel/vmlinuz}
INITRD=${VFPGA_INITRD:-$TOP/build/guest/initramfs.cpio.gz}
TIMEOUT=${VFPGA_TIMEOUT:-600}

mkdir -p "$RUN"
rm -f "$RUN/serial.log" "$RUN/results.txt"

BOARD=${VFPGA_BOARD:-reference}
board_props=$("$TOP/scripts/board-props.sh" "$BOARD") || exit 126
echo "boot: board 0 is the $BOARD board${board_props:+ ($board_props)}"

accel=$("$TOP/scripts/accel.sh" 2>&1 >"$RUN/accel")
accel_rc=$?
echo "$accel"
[ $accel_rc -eq 0 ] || exit 126
case $(cat "$RUN/accel") in
kvm) ACCEL=(-accel kvm -cpu host) ;;
*) ACCEL=(-accel tcg,thread=multi) ;;
esac

CONSOLE=(-chardev "file,id=con,path=$RUN/serial.log")
if [ "$ACTION" = shell ]; then
	CONSOLE=(-chardev "stdio,id=con,mux=on,logfile=$RUN/serial.log,signal=off")
fi

# no_timer_check: on a loaded TCG host the kernel's early check that the
# IO-APIC timer ticks can miss its window, and 7.x then panics ("IO-APIC
# + timer doesn't work"); QEMU's timer does work, as on most VM images.
start=$(date +%s.%N)
timeout -k 10 "$TIMEOUT" "$QEMU" \
	-M q35 "${ACCEL[@]}" -smp 2 -m "${VFPGA_GUEST_MEM:-512}" \
	-nodefaults -display none -vga none -no-reboot \
	-L /usr/share/seabios -L /usr/share/qemu \
	-kernel "$KERNEL" -initrd "$INITRD" \
	-append "console=ttyS0 panic=-1 loglevel=6 no_timer_check vfpga_run=$ACTION vfpga_board=$BOARD vfpga_card_size=128M ${VFPGA_APPEND:-}" \
	"${CONSOLE[@]}" -serial chardev:con \
	-chardev "file,id=res,path=$RUN/results.txt" -serial chardev:res \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-chardev "socket,id=qmp-guest,path=$RUN/qmp.sock,server=on,wait=off" \
	-device isa-serial,index=2,iobase=0x3e8,irq=5,chardev=qmp-guest \
	-chardev "socket,id=qmp,path=$RUN/qmp.sock" -mon chardev=qmp,mode=control \
	-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off \
	${VFPGA_QEMU_FIRST:-} \
	-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1,addr=1.0,multifunction=on \
	-device "vfpga,id=board0,bus=rp0,card-mem-size=128M${board_props:+,$board_props}" \
	-device pcie-root-port,id=rp1,bus=pcie.0,chassis=2,slot=2,addr=1.1 \
	-device vfpga,id=board1,bus=rp1,card-mem-size=16M \
	"$@"
qemu_rc=$?
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
printf 'boot: guest ran %.1f s wall; console log %s\n' "$elapsed" \
	"$RUN/serial.log"

tr -d '\r' <"$RUN/results.txt" >"$RUN/results.tmp" 2>/dev/null &&
	mv "$RUN/results.tmp" "$RUN/results.txt"

if [ $qemu_rc -eq 124 ] || [ $qemu_rc -eq 137 ]; then
	echo "boot: guest did not finish within ${TIMEOUT} s (hung?); see $RUN/serial.log" >&2
	exit 124
fi
if ! grep -q '^vfpga-init: started' "$RUN/results.txt" 2>/dev/null; then
	echo "boot: guest never reached /init (QEMU exit $qemu_rc); see $RUN/serial.log" >&2
	exit 125
fi
status=$(sed -n 's/^vfpga-exit: \([0-9]*\)$/\1/p' "$RUN/results.txt" | tail -n 1)
if [ -z "$status" ]; then
	echo "boot: guest stopped without reporting (panic?); see $RUN/serial.log" >&2
	exit 125
fi
# isa-debug-exit makes QEMU exit with (status << 1) | 1.
if [ $qemu_rc -ne $(((status << 1) | 1)) ]; then
	echo "boot: warning: QEMU exit $qemu_rc does not match guest status $status" >&2
fi
exit "$status"
