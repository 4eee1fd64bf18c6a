#!/bin/bash
# SPDX-License-Identifier: MIT
#
# make bench: boot the board once (vfpga_run=bench, with QEMU's intel-iommu
# for vfio-pci) and measure side by side, in that one boot, interrupt
# handling (bare handler, kernel plugin, user mode through vfpga.ko, VFIO,
# UIO), DMA with completion in the plugin and in user mode, the guest's
# and the host's memcpy, kp_call against a plain ioctl and the highest
# paced rate the plugin sustains, and one user-logic register access,
# the built-in reference design against a plug-in (the boards of
# scripts/user-logic-boards.sh are added) and the RTL sample (its board,
# boards/rtl-sample.board, is added too, and its generator's ping-pong
# storm runs through the kernel plugin beside board 0's), and stream
# loopback packets of 4 KiB to 4 MiB (a streaming board is added too); on
# the host, the cycles per second the verilated RTL sample simulates.
# Figures, never pass/fail:
# exits non-zero only when the boot itself fails.  Writes
# build/bench/results.json, summary.md (printed at the end) and PNG plots;
# docs/benchmarks.md says how to read them.
#
# Tuning (environment): VFPGA_BENCH_RUNS (5), VFPGA_BENCH_COUNT (200000
# interrupts per in-kernel storm), VFPGA_BENCH_UCOUNT (50000 per user-mode
# storm), VFPGA_BENCH_SIZES (bytes, comma-separated), VFPGA_BENCH_STEPS
# (kp,user,call,dma,paced,axil,stream,bare,uio,vfio,memcpy; default all),
# VFPGA_TIMEOUT (seconds for the boot, default 840).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/bench
RUNS=${VFPGA_BENCH_RUNS:-5}
SIZES=${VFPGA_BENCH_SIZES:-4096,16384,65536,262144,1048576,4194304,16777216,67108864}
start=$(date +%s.%N)

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.dat "$OUT/results.json" "$OUT/summary.md"

echo "bench: host memcpy"
# shellcheck disable=SC2046
"$TOP/build/tests/bench/bench_memcpy" host "$RUNS" $(echo "$SIZES" | tr , ' ') \
	>"$OUT/host.jsonl" || { echo "bench: host memcpy failed" >&2; exit 1; }

echo "bench: RTL sample, simulated cycles per second"
"$TOP/build/rtl/vfpga_rtl_sample_tb" --bench 20000000 "$RUNS" >"$OUT/rtl.jsonl" ||
	{ echo "bench: RTL cycles failed" >&2; exit 1; }
cat "$OUT/rtl.jsonl" >>"$OUT/host.jsonl"

# The machine, as the host sees it; the guest adds its own side.
qemu_version=$("$TOP/build/qemu/qemu-system-x86_64" --version | head -n 1)
cpu_model=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)
cat >"$OUT/machine.json" <<EOT
{"cpu_model": "$cpu_model", "host_cores": $(nproc), "host_kernel": "$(uname -r)",
 "host_os": "$(. /etc/os-release && echo "$PRETTY_NAME")",
 "qemu_version": "$qemu_version", "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "host_loadavg": "$(cut -d' ' -f1-3 /proc/loadavg)",
 "runs": $RUNS}
EOT

echo "bench: booting the board (vfpga_run=bench, intel-iommu)"
append="intel_iommu=on iommu=pt vfpga_bench_runs=$RUNS vfpga_bench_sizes=$SIZES"
[ -n "${VFPGA_BENCH_COUNT:-}" ] && append="$append vfpga_bench_count=$VFPGA_BENCH_COUNT"
[ -n "${VFPGA_BENCH_UCOUNT:-}" ] && append="$append vfpga_bench_ucount=$VFPGA_BENCH_UCOUNT"
[ -n "${VFPGA_BENCH_STEPS:-}" ] && append="$append vfpga_bench_steps=$VFPGA_BENCH_STEPS"
VFPGA_TIMEOUT=${VFPGA_TIMEOUT:-840} VFPGA_APPEND="$append ${VFPGA_APPEND:-}" \
	"$TOP/scripts/boot-guest.sh" bench "$OUT/guest" -device intel-iommu \
	$("$TOP/scripts/user-logic-boards.sh") \
	-device pcie-root-port,id=rp4,bus=pcie.0,chassis=5,slot=5,addr=4.0 \
	-device "vfpga,id=board4,bus=rp4,card-mem-size=16M,$("$TOP/scripts/board-props.sh" streaming)" \
	-device pcie-root-port,id=rp6,bus=pcie.0,chassis=7,slot=7,addr=6.0 \
	-device vfpga,id=board6,bus=rp6,"$("$TOP/scripts/board-props.sh" rtl-sample)" \
	>"$OUT/boot.log" 2>&1
rc=$?
sed 's/^/  /' "$OUT/boot.log"
accel=$(tr a-z A-Z <"$OUT/guest/accel" 2>/dev/null)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
sed -i "s/^ \"runs\"/ \"accel\": \"${accel:-unknown}\", \"host_loadavg_end\": \"$load_end\", \"runs\"/" \
	"$OUT/machine.json"

python3 "$TOP/scripts/bench-report.py" --guest "$OUT/guest/results.txt" \
	--host "$OUT/host.jsonl" --machine "$OUT/machine.json" --out "$OUT" ||
	rc=1

printf 'bench: results in %s/results.json, summary in %s/summary.md\n' "$OUT" "$OUT"
printf 'bench: total wall time %.0f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
exit $rc
