#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Decide the accelerator for a guest boot, by proof rather than by the
# permission bits of /dev/kvm: a /dev/kvm can open, answer
# KVM_GET_API_VERSION and still be unable to run a guest (nested
# virtualisation without vmx/svm: QEMU aborts on an MSR, or stops with
# "KVM internal error" while the kernel decompresses).
#
#   accel.sh          print "kvm" or "tcg" on stdout, and one line on stderr
#                     saying which and why: "boot: accelerator KVM (...)",
#                     "boot: accelerator TCG (...)" or, when the probe
#                     failed, "boot: KVM unusable here (...); using TCG"
#
# $VFPGA_ACCEL chooses: auto (default) probes KVM and falls back to TCG with
# the reason; kvm probes and fails (exit 2, one line) when KVM cannot run our
# kernel; tcg never probes.
#
# The probe boots the guest kernel under KVM, with the CPU model the real
# boot uses, into a two-file initramfs whose /init prints a marker on the
# serial port and powers off.  It passes when the marker appears within
# $VFPGA_ACCEL_PROBE_TIMEOUT seconds (default 20).  Its verdict is cached in
# build/accel/ per host (boot id, host kernel), QEMU binary and guest kernel,
# so a boot pays for it once.  $VFPGA_ACCEL_PROBE_KERNEL replaces the kernel
# the probe boots: the pipeline suite gives it a broken one to make the
# probe fail on purpose.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
QEMU=${VFPGA_QEMU:-$TOP/build/qemu/qemu-system-x86_64}
# The default guest kernel, whichever kernel the boot itself runs: KVM is
# a property of the host and QEMU, and one probe serves every lane.
KERNEL=${VFPGA_ACCEL_PROBE_KERNEL:-$TOP/build/kernel/vmlinuz}
TIMEOUT=${VFPGA_ACCEL_PROBE_TIMEOUT:-20}
DIR=$TOP/build/accel
MARKER=vfpga-accel-probe-reached-init
# The CPU model a KVM boot uses; the probe must prove exactly this one.
KVM_ARGS="-accel kvm -cpu host"

say() { echo "boot: $*" >&2; }

choose_tcg() {		# WHY
	say "accelerator TCG ($1)"
	echo tcg
	exit 0
}

# KVM is unusable: fall back, or fail when KVM was asked for.
kvm_unusable() {	# WHY
	if [ "$want" = kvm ]; then
		say "VFPGA_ACCEL=kvm but KVM is unusable here ($1)"
		exit 2
	fi
	say "KVM unusable here ($1); using TCG"
	echo tcg
	exit 0
}

want=${VFPGA_ACCEL:-auto}
case $want in
auto | kvm) ;;
tcg) choose_tcg "VFPGA_ACCEL=tcg" ;;
*)
	say "VFPGA_ACCEL=$want: expected kvm, tcg or auto"
	exit 2 ;;
esac

[ -e /dev/kvm ] || kvm_unusable "no /dev/kvm"
# As root [ -w ] holds whatever the mode bits say; this only catches the
# plain cases (not root, a read-only bind mount) before paying for a boot.
{ [ -r /dev/kvm ] && [ -w /dev/kvm ]; } || kvm_unusable "/dev/kvm is not read-write for $(id -un)"
[ -x "$QEMU" ] || { say "no QEMU at $QEMU; build it first (make qemu)"; exit 2; }
[ -f "$KERNEL" ] || { say "no guest kernel at $KERNEL; fetch it first (make kernel)"; exit 2; }

# One verdict per host boot, host kernel, QEMU binary and guest kernel.
key=$( {
	cat /proc/sys/kernel/random/boot_id 2>/dev/null
	uname -r
	stat -L -c '%n %s %Y %i' "$QEMU" "$KERNEL"
	echo "$KVM_ARGS"
} | sha256sum | cut -c1-16)
cache=$DIR/verdict-$key
if [ -z "${VFPGA_ACCEL_PROBE_KERNEL:-}" ] && [ -s "$cache" ]; then
	read -r verdict why <"$cache"
	if [ "$verdict" = kvm ]; then
		say "accelerator KVM (probe passed, cached in ${cache#"$TOP"/})"
		echo kvm
		exit 0
	fi
	kvm_unusable "$why; cached in ${cache#"$TOP"/}"
fi

mkdir -p "$DIR"
# The initramfs: static busybox and an /init that prints the marker.
initrd=$DIR/probe-initrd.cpio.gz
if [ ! -s "$initrd" ] || [ /bin/busybox -nt "$initrd" ]; then
	root=$DIR/probe-root
	rm -rf "$root" && mkdir -p "$root/bin" "$root/dev"
	cp /bin/busybox "$root/bin/busybox" ||
		{ say "accelerator probe: no /bin/busybox (busybox-static; run scripts/setup.sh)"; exit 2; }
	cat >"$root/init" <<EOT
#!/bin/busybox sh
/bin/busybox mount -t devtmpfs devtmpfs /dev
echo $MARKER >/dev/ttyS0
/bin/busybox poweroff -f
EOT
	chmod +x "$root/init"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --owner=0:0) |
		gzip -1 >"$initrd.tmp" && mv "$initrd.tmp" "$initrd"
	rm -rf "$root"
fi

console=$DIR/probe-console.log
errlog=$DIR/probe-qemu.log
rm -f "$console" "$errlog"
start=$(date +%s%N)
# While QEMU runs, this shell's own stderr goes to a log of its own: bash
# reports a child that died of a signal ("line N: PID Aborted ...") at
# whatever command it reaps it, and that line would become the first
# words of the verdict that machine.sh and boot-guest.sh print.
exec 4>&2 2>"$DIR/probe-shell.log"
# shellcheck disable=SC2086
"$QEMU" -M q35 $KVM_ARGS -smp 1 -m 256 -nodefaults -display none -vga none \
	-no-reboot -L /usr/share/seabios -L /usr/share/qemu \
	-kernel "$KERNEL" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 quiet" \
	-chardev "file,id=con,path=$console" -serial chardev:con \
	</dev/null >"$errlog" 2>&1 &
pid=$!

# Wait for the marker, QEMU's exit, or a KVM error QEMU survives (it then
# sits paused forever, so waiting for the time-out would only waste it).
result=timeout
deadline=$(($(date +%s) + TIMEOUT))
while [ "$(date +%s)" -lt "$deadline" ]; do
	if grep -q "$MARKER" "$console" 2>/dev/null; then
		result=ok
		break
	fi
	if grep -q 'KVM internal error\|emulation failure' "$errlog" 2>/dev/null; then
		result=kvm-error
		break
	fi
	kill -0 "$pid" 2>/dev/null || { result=exited; break; }
	sleep 0.05
done
# A last look: QEMU may have printed the marker and exited in one step.
[ "$result" = exited ] && grep -q "$MARKER" "$console" 2>/dev/null && result=ok
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
qemu_rc=$?
exec 2>&4 4>&-
ms=$((($(date +%s%N) - start) / 1000000))

# QEMU's own words: its first error line, without the binary's path.
qemu_said() {
	{ grep -m 1 -i 'error\|fail\|assert' "$errlog" || grep -m 1 . "$errlog"; } 2>/dev/null |
		sed "s|^$QEMU: ||; s|^.*qemu-system-x86_64: ||" | cut -c1-160
}

case $result in
ok)
	why="booted to /init in $ms ms"
	verdict=kvm ;;
kvm-error)
	why="QEMU: $(qemu_said), after $ms ms"
	verdict=tcg ;;
exited)
	msg=$(qemu_said)
	why="QEMU exit $qemu_rc after $ms ms${msg:+: $msg}"
	verdict=tcg ;;
*)
	why="no marker from the guest within $TIMEOUT s"
	verdict=tcg ;;
esac

[ -z "${VFPGA_ACCEL_PROBE_KERNEL:-}" ] && echo "$verdict $why" >"$cache"
if [ "$verdict" = kvm ]; then
	say "accelerator KVM (probe $why)"
	echo kvm
	exit 0
fi
kvm_unusable "$why"
