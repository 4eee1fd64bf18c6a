#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The accelerator is proven, not assumed (scripts/accel.sh): on this
# machine the probe's verdict is reached for real and cached; a probe made
# to fail on purpose (a guest kernel that cannot boot) falls back to TCG
# with its reason in one line, and the board still boots; VFPGA_ACCEL=kvm
# where KVM cannot be had fails at once with a clear error and status 126,
# without starting the guest; a /dev/kvm that is not writable is noticed
# before any boot.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$TOP/build/test-logs/pipeline
ACCEL=$TOP/scripts/accel.sh
BOOT=$TOP/scripts/boot-guest.sh
. "$TOP/tests/lib/tap.sh"
mkdir -p "$RUN"

# A kernel image no machine can boot: QEMU refuses it, under KVM or not.
BROKEN=$RUN/broken-vmlinuz
head -c 65536 /dev/urandom >"$BROKEN"

# The verdict for this machine, probed afresh, then taken from the cache.
# Either verdict is right; the message must say which and why, in one line.
probe_real() {
	local out err ms
	rm -f "$TOP"/build/accel/verdict-*
	ms=$(date +%s%N)
	out=$("$ACCEL" 2>"$RUN/accel-real.err") || { cat "$RUN/accel-real.err"; return 1; }
	ms=$((($(date +%s%N) - ms) / 1000000))
	err=$(cat "$RUN/accel-real.err")
	echo "# accelerator probe: $out, uncached $ms ms: $err" >"$RUN/accel-real.figure"
	[ "$(wc -l <<<"$err")" -eq 1 ] || { echo "more than one line: $err"; return 1; }
	case $out in
	kvm) grep -q '^boot: accelerator KVM (probe booted to /init in [0-9]* ms)$' <<<"$err" ;;
	tcg) grep -q '^boot: KVM unusable here (.*); using TCG$' <<<"$err" ;;
	*) echo "verdict '$out'"; return 1 ;;
	esac || { echo "unexpected message: $err"; return 1; }
	echo "$out" >"$RUN/accel-real.verdict"
}

probe_cached() {
	local out err ms
	ms=$(date +%s%N)
	out=$("$ACCEL" 2>"$RUN/accel-cached.err")
	ms=$((($(date +%s%N) - ms) / 1000000))
	err=$(cat "$RUN/accel-cached.err")
	[ "$out" = "$(cat "$RUN/accel-real.verdict")" ] || { echo "cached verdict $out differs"; return 1; }
	grep -q 'cached in build/accel/verdict-' <<<"$err" || { echo "not from the cache: $err"; return 1; }
	echo "# accelerator probe: cached $ms ms" >>"$RUN/accel-real.figure"
}

probe_fails_on_purpose() {
	local out err
	out=$(VFPGA_ACCEL_PROBE_KERNEL=$BROKEN "$ACCEL" 2>"$RUN/accel-broken.err") || return 1
	err=$(cat "$RUN/accel-broken.err")
	echo "$err"
	[ "$out" = tcg ] || { echo "verdict $out with a kernel that cannot boot"; return 1; }
	[ "$(wc -l <<<"$err")" -eq 1 ] || return 1
	grep -q '^boot: KVM unusable here (.*); using TCG$' <<<"$err"
}

# The whole fallback: a failed probe, then the board boots under TCG.
boot_after_fallback() {
	local out rc
	out=$(VFPGA_ACCEL_PROBE_KERNEL=$BROKEN "$BOOT" demo "$RUN/fallback" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 0 ] && [ "$(cat "$RUN/fallback/accel")" = tcg ] &&
		grep -q '^boot: KVM unusable here' <<<"$out" &&
		grep -q '^verify: 1048576 bytes identical' "$RUN/fallback/results.txt"
}

# kvm asked for and not to be had: status 126 in seconds, the guest never
# started, and the reason on one line.
kvm_required_fails() {
	local out rc start
	start=$(date +%s)
	out=$(VFPGA_ACCEL=kvm VFPGA_ACCEL_PROBE_KERNEL=$BROKEN "$BOOT" demo "$RUN/kvm-required" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 126 ] && [ $(($(date +%s) - start)) -lt 30 ] &&
		grep -q '^boot: VFPGA_ACCEL=kvm but KVM is unusable here (' <<<"$out" &&
		[ ! -e "$RUN/kvm-required/serial.log" ]
}

tcg_never_probes() {
	local out err
	out=$(VFPGA_ACCEL=tcg VFPGA_ACCEL_PROBE_KERNEL=$BROKEN "$ACCEL" 2>"$RUN/accel-tcg.err") || return 1
	err=$(cat "$RUN/accel-tcg.err")
	[ "$out" = tcg ] && [ "$err" = "boot: accelerator TCG (VFPGA_ACCEL=tcg)" ] ||
		{ echo "$out: $err"; return 1; }
}

bad_value_refused() {
	local out rc
	out=$(VFPGA_ACCEL=fast "$BOOT" demo "$RUN/bad-accel" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 126 ] && grep -q 'VFPGA_ACCEL=fast: expected kvm, tcg or auto' <<<"$out"
}

# As on a machine whose /dev/kvm is read-only to us: in a private mount
# namespace, an empty file bound read-only over /dev/kvm.
kvm_not_writable() {
	local out
	out=$(unshare -m sh -c '
		: >"$0/fake-kvm" &&
		mount --bind "$0/fake-kvm" /dev/kvm &&
		mount -o remount,bind,ro /dev/kvm &&
		exec "$1"' "$RUN" "$ACCEL" 2>&1 >/dev/null)
	echo "$out"
	grep -q '^boot: KVM unusable here (/dev/kvm is not read-write for .*); using TCG$' <<<"$out"
}

tap_plan 8
t "probe reaches a verdict on this machine" probe_real
t "probe verdict is cached" probe_cached
cat "$RUN/accel-real.figure" 2>/dev/null
t "probe made to fail falls back to TCG in one line" probe_fails_on_purpose
t "board boots after the fallback" boot_after_fallback
t "VFPGA_ACCEL=kvm without KVM fails at once (126)" kvm_required_fails
t "VFPGA_ACCEL=tcg never probes" tcg_never_probes
t "bad VFPGA_ACCEL refused" bad_value_refused
if [ -e /dev/kvm ]; then
	t "read-only /dev/kvm noticed before a boot" kvm_not_writable
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n read-only /dev/kvm noticed before a boot # SKIP no /dev/kvm here"
fi
exit "$tap_failed"
