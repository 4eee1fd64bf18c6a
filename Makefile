# SPDX-License-Identifier: MIT
#
# vfpga: every layer builds with its own tool; this file only delegates.
#   make run    boot the emulated board and run the demo
#   make test   build what is missing, then run every test suite
#   make bench  measure interrupts, DMA and calls (figures, not pass/fail)
#   make fuzz   fuzz the device model for FUZZ_SECONDS (libFuzzer, ASan, UBSan)
#   make test-migration  migrate the running guest under load
#   make test-boards  the presets of boards/ with the board, DMA and plugin suites
#   make test-rtl  the RTL sample (Verilog through Verilator) with more suites
# Everything built lands in build/ (git-ignored).

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
JOBS ?= 2

all: guest

# Set-up is idempotent and quick when there is nothing to do.
setup:
	@$(TOP)/scripts/setup.sh

qemu: setup
	@JOBS=$(JOBS) $(TOP)/scripts/qemu-build.sh

kselftest: setup
	@$(TOP)/scripts/kselftest-headers.sh

# The guest's kernel (image and headers), and 6.1's headers: the driver
# must build against both Debian kernels.
kernel: setup
	@$(TOP)/guest-image/fetch-kernel.sh $$(cat $(BUILD)/kernel-abi) \
		$(BUILD)/kernel --image
	@$(TOP)/guest-image/fetch-kernel.sh $$(cat $(BUILD)/kernel-abi-6.1) \
		$(BUILD)/kernel-6.1

driver: kernel
	@$(MAKE) -s -C driver OUT=$(BUILD)/driver

# Linux's upstream XDMA driver, built unmodified, our glue that gives it
# the board, and the dmaengine client the xdma-upstream suite drives.
xdma-upstream: kernel
	@$(TOP)/scripts/xdma-upstream.sh

xdma-glue: kernel
	@$(MAKE) -s -C driver/xdma-glue OUT=$(BUILD)/xdma-glue

xdma-client: xdma-upstream
	@$(MAKE) -s -C tests/guest/xdma-upstream/client OUT=$(BUILD)/xdma-client

userlib:
	@$(MAKE) -s -C userlib OUT=$(BUILD)/userlib

# User-logic plug-ins QEMU loads (-device vfpga,user-logic=PATH): the
# checksum sample and what the qtests load.
user-logic:
	@$(MAKE) -s -C user-logic OUT=$(BUILD)/user-logic

# Verilog user logic through Verilator (rtl/, include/vfpga/vfpga-rtl.mk,
# docs/rtl.md): the RTL sample's plug-in, the bridge's test design, and
# their host tests (which tests/ puts beside the others).
rtl: setup
	@$(MAKE) -s -C rtl OUT=$(BUILD)/rtl

# The checksum sample's kernel plugin, which links against the driver.
user-logic-kp: driver
	@$(MAKE) -s -C user-logic/checksum/kp OUT=$(BUILD)/user-logic/kp \
		VFPGA_SYMVERS=$(BUILD)/driver/Module.symvers

# tests/ also builds the plugin project `vfpga new-plugin` writes, which
# links against the driver.
tests: userlib kselftest driver rtl
	@$(MAKE) -s -C tests OUT=$(BUILD)/tests LIBO=$(BUILD)/userlib

guest: qemu driver xdma-glue xdma-client userlib user-logic user-logic-kp \
		rtl tests
	@$(TOP)/guest-image/build-initramfs.sh $(BUILD)/guest/initramfs.cpio.gz

# run and test hold build/.lock: two of them at once in one tree would
# rebuild the guest image and write the logs under each other.
LOCKED = mkdir -p $(BUILD) && flock $(BUILD)/.lock $(MAKE) --no-print-directory

run:
	@$(LOCKED) run-locked

# What the machine gives (accelerator and why, cores, QEMU, guest kernel),
# before anything is measured; it stops here when VFPGA_ACCEL=kvm cannot be had.
MACHINE = $(TOP)/scripts/machine.sh

run-locked: guest
	@$(MACHINE)
	@$(TOP)/scripts/boot-guest.sh demo $(BUILD)/run; rc=$$?; \
		cat $(BUILD)/run/results.txt; exit $$rc

test:
	@$(LOCKED) test-locked

test-locked: guest
	@$(MACHINE)
	@$(TOP)/scripts/run-tests.sh

# Kernel lanes (tests/lanes/*.lane, scripts/lane.sh): the whole guest suite
# on another kernel, or behind a strict vIOMMU.  make test keeps the default.
LANES := $(basename $(notdir $(wildcard $(TOP)/tests/lanes/*.lane)))
LANE ?=

test-lane:
	@$(LOCKED) test-lane-locked

test-lane-locked: guest
	@test -n "$(LANE)" || { echo "make test-lane LANE=NAME; lanes: $(LANES)" >&2; exit 2; }
	@$(MACHINE)
	@$(TOP)/scripts/lane.sh $(LANE)

test-matrix:
	@$(LOCKED) test-matrix-locked

test-matrix-locked: guest
	@$(MACHINE)
	@$(TOP)/scripts/lane.sh $(LANES)

# The presets of boards/ other than the reference board, each board 0 of a
# guest running the board, DMA and kernel-plugin suites, and xdma-example
# with Linux's upstream XDMA driver too (scripts/boards-test.sh,
# docs/boards.md).
test-boards:
	@$(LOCKED) test-boards-locked

test-boards-locked: guest
	@$(MACHINE)
	@$(TOP)/scripts/boards-test.sh

# The RTL sample as board 0 with more of the guest suite, in every
# interrupt mode (scripts/rtl-test.sh, docs/rtl.md); make test runs a
# short lane of it.
test-rtl:
	@$(LOCKED) test-rtl-locked

test-rtl-locked: guest
	@$(MACHINE)
	@$(TOP)/scripts/rtl-test.sh

# Live migration under load (scripts/migration-test.sh): the running guest
# moves to a second QEMU while DMA and an interrupt storm run.
test-migration:
	@$(LOCKED) test-migration-locked

test-migration-locked: guest
	@$(MACHINE)
	@$(TOP)/scripts/migration-test.sh

# Benchmarks: figures, never pass/fail, not part of test (scripts/bench.sh,
# docs/benchmarks.md): build/bench/results.json, summary.md, plots.
bench:
	@$(LOCKED) bench-locked

bench-locked: guest
	@$(MACHINE)
	@$(TOP)/scripts/bench.sh

# QEMU's generic-fuzz target (libFuzzer, ASan, UBSan) against both board
# shapes for FUZZ_SECONDS (scripts/fuzz.sh, qemu-device/fuzz/): its own QEMU
# build in build/fuzz; the corpus stays there, so runs continue.
FUZZ_SECONDS ?= 60

fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) $(TOP)/scripts/fuzz.sh

# The README's commands in a minimal Debian 12 root that has nothing but
# what set-up installs (scripts/fresh-check.sh): the only check that sees a
# missing install step on a machine earlier work has filled.
fresh-check: setup
	@$(TOP)/scripts/fresh-check.sh

# An interactive shell on the board's console (Ctrl-A X quits QEMU).
shell: guest
	@$(TOP)/scripts/boot-guest.sh shell $(BUILD)/shell

clean:
	rm -rf $(BUILD)/driver $(BUILD)/userlib $(BUILD)/tests $(BUILD)/guest \
		$(BUILD)/run $(BUILD)/test-logs $(BUILD)/xdma-upstream \
		$(BUILD)/xdma-glue $(BUILD)/xdma-client $(BUILD)/bench \
		$(BUILD)/rtl

# Also drops the QEMU tree and build (a rebuild takes about 5 minutes).
distclean:
	rm -rf $(BUILD)

.PHONY: all setup qemu kernel kselftest driver xdma-upstream xdma-glue \
	xdma-client userlib user-logic user-logic-kp rtl tests guest run \
	run-locked test test-locked bench bench-locked shell fresh-check fuzz \
	test-lane test-lane-locked test-matrix test-matrix-locked \
	test-boards test-boards-locked test-rtl test-rtl-locked \
	test-migration test-migration-locked \
	clean distclean
