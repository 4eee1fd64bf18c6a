# SPDX-License-Identifier: MIT
#
# vfpga: every layer builds with its own tool; this file only delegates.
#   make run    boot the emulated board and run the demo
#   make test   build what is missing, then run every test suite
#   make bench  measure interrupts, DMA and calls (figures, not pass/fail)
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

# Linux's upstream XDMA driver, built unmodified, and our glue that gives
# it the board: the xdma-upstream suite.
xdma-upstream: kernel
	@$(TOP)/scripts/xdma-upstream.sh

xdma-glue: xdma-upstream
	@$(MAKE) -s -C driver/xdma-glue OUT=$(BUILD)/xdma-glue

userlib:
	@$(MAKE) -s -C userlib OUT=$(BUILD)/userlib

# tests/ also builds the plugin project `vfpga new-plugin` writes, which
# links against the driver.
tests: userlib kselftest driver
	@$(MAKE) -s -C tests OUT=$(BUILD)/tests LIBO=$(BUILD)/userlib

guest: qemu driver xdma-glue userlib tests
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

# Benchmarks: figures, never pass/fail, not part of test (scripts/bench.sh,
# docs/benchmarks.md): build/bench/results.json, summary.md, plots.
bench:
	@$(LOCKED) bench-locked

bench-locked: guest
	@$(MACHINE)
	@$(TOP)/scripts/bench.sh

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
		$(BUILD)/xdma-glue $(BUILD)/bench

# Also drops the QEMU tree and build (a rebuild takes about 5 minutes).
distclean:
	rm -rf $(BUILD)

.PHONY: all setup qemu kernel kselftest driver xdma-upstream xdma-glue userlib \
	tests guest run run-locked test test-locked bench bench-locked shell \
	fresh-check test-lane test-lane-locked test-matrix test-matrix-locked \
	clean distclean
