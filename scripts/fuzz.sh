#!/bin/bash
# SPDX-License-Identifier: MIT
#
# make fuzz: QEMU's generic-fuzz target against the vfpga model.
#
#   scripts/fuzz.sh                 build, then fuzz for $FUZZ_SECONDS (60)
#   scripts/fuzz.sh build           build qemu-fuzz-x86_64 only
#   scripts/fuzz.sh minimize CRASH  shrink a crash input and write its qtest
#                                   trace and a C reproducer next to it
#
# The fuzzer is QEMU's own qemu-fuzz-x86_64, built with clang's libFuzzer,
# ASan and UBSan from the QEMU tree scripts/qemu-build.sh prepares (the
# orig tarball, the vfpga device linked in), in a build directory of its
# own: build/fuzz/qemu, configured with --enable-fuzzing and a minimal
# feature set, so the normal build in build/qemu is untouched.
#
# What is fuzzed (qemu-device/fuzz/README.md): both board shapes on q35,
# every MMIO range behind their BARs, their PCI config space, and DMA into
# guest memory, which generic-fuzz fills from patterns in the input.  The
# dictionary and the seed inputs come from the register map.  The corpus
# grows in build/fuzz/corpus, so a second run continues the first; crashes
# land in build/fuzz/crashes/.  The exit status is 1 when a crash was found.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$TOP/build
SRC=$BUILD/qemu-src
FUZZ=$BUILD/fuzz
OBJ=$FUZZ/qemu
BIN=$OBJ/qemu-fuzz-x86_64
CONF=$TOP/qemu-device/fuzz
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}

log() { echo "fuzz: $*" >&2; }
die() { echo "fuzz: $*" >&2; exit 1; }

# Both boards on q35's root bus, where generic-fuzz maps BARs (it looks for
# fuzzed devices on bus 0 only): board0 is the reference board (4+4
# channels, 32 MSI-X vectors, the untimed engine); board1 the smallest one
# (1+1 channels, MSI only, the timed engine, a short per-turn chain).
# board0's dma-max-chain is 256, not 65,536: a ring of tiny descriptors runs
# until RUN is cleared, 65,536 fetches per main-loop turn, and took 17 s an
# input under ASan (0.7 s with 256), which starved the fuzzer.
# One line: generic-fuzz passes it through wordexp(), which refuses newlines.
BOARD0=vfpga,id=board0,addr=04.0,card-mem-size=1M,dma-max-chain=256
BOARD1=vfpga,id=board1,addr=05.0,card-mem-size=64K,dma-channels=1,msix-vectors=0
BOARD1=$BOARD1,dma-bandwidth-mbps=1000,dma-desc-latency-ns=500,dma-max-chain=16
QEMU_FUZZ_ARGS="-M q35 -nodefaults -L /usr/share/seabios -L /usr/share/qemu"
QEMU_FUZZ_ARGS="$QEMU_FUZZ_ARGS -device $BOARD0 -device $BOARD1"
QEMU_FUZZ_OBJECTS="vfpga*"
export QEMU_FUZZ_ARGS QEMU_FUZZ_OBJECTS
# Fill each guest-memory range once per command, as the predefined configs
# do: the trace of a crash then replays the same DMA.
export QEMU_AVOID_DOUBLE_FETCH=1
# Leaks in QEMU's start-up are not the model's; UBSan findings are crashes.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
# llvm-14's symbolizer (setup.sh installs llvm-14, which has no plain
# llvm-symbolizer on PATH).
[ ! -x /usr/lib/llvm-14/bin/llvm-symbolizer ] ||
	export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer

build() {
	local args t0=$SECONDS
	command -v clang >/dev/null ||
		die "clang is missing; run scripts/setup.sh (make setup)."
	"$TOP/scripts/qemu-build.sh" --source
	args="--python=/usr/bin/python3 --cc=clang --cxx=clang++
 --target-list=x86_64-softmmu --without-default-features
 --without-default-devices --with-devices-x86_64=vfpga
 --enable-fuzzing --enable-asan --enable-ubsan --disable-tcg --enable-kvm
 --disable-docs --disable-werror --disable-install-blobs"
	mkdir -p "$FUZZ"
	# One build at a time in build/fuzz, as scripts/qemu-build.sh does.
	exec 8>"$FUZZ/build.lock"
	flock 8
	if [ ! -f "$OBJ/build.ninja" ] ||
	   [ "$(cat "$OBJ/.vfpga-configure-args" 2>/dev/null)" != "$args" ]; then
		log "configuring $OBJ"
		rm -rf "$OBJ" && mkdir -p "$OBJ"
		# shellcheck disable=SC2086
		(cd "$OBJ" && "$SRC/configure" $args >"$FUZZ/configure.log" 2>&1) ||
			die "configure failed; see $FUZZ/configure.log"
		echo "$args" >"$OBJ/.vfpga-configure-args"
	fi
	log "building qemu-fuzz-x86_64 (ninja -j${JOBS:-2})"
	ninja -C "$OBJ" -j"${JOBS:-2}" qemu-fuzz-x86_64 >"$FUZZ/build.log" 2>&1 ||
		{ tail -n 30 "$FUZZ/build.log" >&2; die "build failed; see $FUZZ/build.log"; }
	flock -u 8
	log "ready: $BIN (build took $((SECONDS - t0)) s)"
}

# libFuzzer's options common to every run.
FUZZER_OPTS=(-dict="$CONF/vfpga.dict" -timeout=30 -rss_limit_mb=4096
	-max_len=4096)

# Seeds from the register map (qemu-device/fuzz/vfpga-seeds.py): an input
# that reads every fuzzed range once, replayed with generic-fuzz's qtest
# log, tells which range index is which register block.
make_seeds() {
	rm -rf "$FUZZ/seeds"
	python3 "$CONF/vfpga-seeds.py" probe "$FUZZ/probe"
	QTEST_LOG=1 FUZZ_SERIALIZE_QTEST=1 "$BIN" --fuzz-target=generic-fuzz \
		"$FUZZ/probe" >"$FUZZ/probe.log" 2>&1 ||
		{ tail -n 20 "$FUZZ/probe.log" >&2; die "the probe run failed; see $FUZZ/probe.log"; }
	python3 "$CONF/vfpga-seeds.py" seeds "$FUZZ/probe.log" "$FUZZ/seeds"
}

run() {
	local logf=$FUZZ/fuzz.log rc=0 crashes
	mkdir -p "$FUZZ/corpus" "$FUZZ/crashes"
	make_seeds
	log "fuzzing both boards for ${SECONDS_TO_RUN} s (log: $logf)"
	"$BIN" --fuzz-target=generic-fuzz "${FUZZER_OPTS[@]}" \
		-max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 \
		-artifact_prefix="$FUZZ/crashes/" \
		"$FUZZ/corpus" "$FUZZ/seeds" >"$logf" 2>&1 || rc=$?
	# libFuzzer's own summary: executions, their rate, the corpus.
	awk '/^stat::number_of_executed_units:/ { n = $2 }
	     /^stat::average_exec_per_sec:/ { r = $2 }
	     /^(#[0-9]+).*(DONE|pulse|NEW|REDUCE)/ { last = $0 }
	     END { if (n != "") printf "fuzz: %d executions, %d/s\n", n, r
		   if (last != "") print "fuzz: last status: " last }' "$logf" >&2
	# Crashes, timeouts and out-of-memory inputs; not libFuzzer's slow units.
	crashes=$(find "$FUZZ/crashes" -type f -newer "$FUZZ/seeds" \
		\( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
		grep -m 1 -A 25 'ERROR: \|runtime error:\|Assertion\|SUMMARY:' "$logf" >&2 || tail -n 30 "$logf" >&2
		die "crash found (exit $rc); inputs in $FUZZ/crashes/; shrink one with scripts/fuzz.sh minimize FILE"
	fi
	log "no crash; corpus $(find "$FUZZ/corpus" -type f | wc -l) inputs in $FUZZ/corpus"
}

# A crash input to a qtest trace: libFuzzer shrinks it, generic-fuzz replays
# it with its qtest log on, QEMU's oss-fuzz scripts put the DMA fills before
# the access that triggers them and print a C function for a qtest.
minimize() {
	local crash=$1 small=$1.min trace=$1.trace
	[ -f "$crash" ] || die "no such input: $crash"
	log "shrinking $crash"
	"$BIN" --fuzz-target=generic-fuzz "${FUZZER_OPTS[@]}" -minimize_crash=1 \
		-max_total_time=60 -exact_artifact_path="$small" "$crash" \
		>"$crash.minimize.log" 2>&1 || true
	[ -f "$small" ] || cp "$crash" "$small"
	# GLib's timer warnings land between a "[DMA] " tag and its write and
	# break reorder_fuzzer_qtest_trace.py: drop them, join the tag back.
	QTEST_LOG=1 FUZZ_SERIALIZE_QTEST=1 "$BIN" --fuzz-target=generic-fuzz \
		"$small" 2>&1 | perl -0pe \
		's/[^\n]*GLib: g_timer_elapsed: assertion [^\n]*failed//g;
		 s/((?:\[DMA\] |\[DOUBLE-FETCH\] )+)\n/$1/g' >"$trace.raw" || true
	python3 "$SRC/scripts/oss-fuzz/reorder_fuzzer_qtest_trace.py" "$trace.raw" \
		>"$trace"
	# The reproducers run the normal build (make qemu) as generic-fuzz ran
	# its machine.
	export QEMU_PATH=$BUILD/qemu/qemu-system-x86_64
	export QEMU_ARGS="-display none -machine accel=qtest -m 512M $QEMU_FUZZ_ARGS"
	python3 "$SRC/scripts/oss-fuzz/output_reproducer.py" -bash "$trace" \
		>"$crash.sh"
	python3 "$SRC/scripts/oss-fuzz/output_reproducer.py" -c \
		-name "test_fuzz_$(basename "$crash" | tr -c 'a-zA-Z0-9\n' _ | cut -c1-40)" \
		"$trace" >"$crash.c"
	log "$(grep -c . "$trace") qtest commands: $trace; replay: bash $crash.sh; qtest function: $crash.c"
}

case "${1:-}" in
"") build; run ;;
build) build ;;
minimize) [ -x "$BIN" ] || build; minimize "${2:?usage: fuzz.sh minimize FILE}" ;;
*) die "usage: fuzz.sh [build | minimize FILE]" ;;
esac
