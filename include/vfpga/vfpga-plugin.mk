# SPDX-License-Identifier: GPL-2.0
#
# How a vfpga plugin builds: one source, $(PLUGIN).c, into a kernel module
# and into a user-mode object that libvfpga hosts (vfpga_kp.h says why one
# source serves both).  The sample plugin, the test plugin and the project
# `vfpga new-plugin` writes all include this file; `make install` puts it
# beside the headers, in PREFIX/include/vfpga/, so that a plugin builds
# from an installed vfpga as it does in the source tree.
#
# Include it after the including Makefile's first target, having set:
#   PLUGIN           the plugin's name: $(PLUGIN).c is the source that builds
#                    in both modes, $(PLUGIN).ko the module (its Kbuild names
#                    the objects, and may add kernel-only modules)
#   PLUGIN_DIR       the folder of the plugin's sources: Kbuild, *.c, *.h
#   PLUGIN_HDRS      the plugin's public headers, the messages it shares with
#                    its callers (may be empty)
#   PLUGIN_OUT       where kbuild builds the module: $(PLUGIN_DIR) itself, or
#                    a folder of its own, which then gets links to the sources
#   PLUGIN_USER_OUT  where the user-mode object goes
#   KDIR             the kernel build tree
#   VFPGA_SYMVERS    the vfpga driver's Module.symvers (the symbols of
#                    vfpga_kp.h)
# It gives:
#   VFPGA_INCLUDE      this folder, the headers a plugin compiles against
#   VFPGA_HDRS         those headers, as prerequisites
#   VFPGA_USER_CFLAGS  the flags of user-mode code built against them
#   $(PLUGIN_OUT)/$(PLUGIN).ko       the module
#   $(PLUGIN_USER_OUT)/$(PLUGIN).o   the user-mode object, and beside it
#   $(PLUGIN_USER_OUT)/include/      the plugin's public headers, what a
#                                    program that calls it compiles against
#   VFPGA_PLUGIN_USER  the last two, the files of the user-mode build

VFPGA_INCLUDE := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VFPGA_HDRS := $(wildcard $(VFPGA_INCLUDE)/*.h $(VFPGA_INCLUDE)/uapi/*.h)
VFPGA_USER_CFLAGS := -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra \
	-I$(VFPGA_INCLUDE)
CFLAGS ?= -O2 -g

PLUGIN_SRCS := $(PLUGIN_DIR)/Kbuild \
	$(wildcard $(PLUGIN_DIR)/*.c $(PLUGIN_DIR)/*.h)
VFPGA_PLUGIN_USER := $(PLUGIN_USER_OUT)/$(PLUGIN).o \
	$(addprefix $(PLUGIN_USER_OUT)/include/,$(notdir $(PLUGIN_HDRS)))

# Kernel code leaves callback parameters unused.
$(PLUGIN_USER_OUT)/$(PLUGIN).o: $(PLUGIN_SRCS) $(VFPGA_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VFPGA_USER_CFLAGS) -Wno-unused-parameter -I$(PLUGIN_DIR) \
		$(CFLAGS) -c -o $@ $(PLUGIN_DIR)/$(PLUGIN).c

$(PLUGIN_USER_OUT)/include/%.h: $(PLUGIN_DIR)/%.h
	@mkdir -p $(@D)
	cp $< $@

# kbuild runs in KDIR: every path it gets is absolute.
$(PLUGIN_OUT)/$(PLUGIN).ko: $(PLUGIN_SRCS) $(VFPGA_HDRS) \
		$(wildcard $(VFPGA_SYMVERS))
	@test -f "$(VFPGA_SYMVERS)" || { echo "$(PLUGIN): no vfpga driver" \
		"Module.symvers: set VFPGA_SYMVERS=PATH (it has the symbols" \
		"of vfpga_kp.h)" >&2; exit 1; }
	@mkdir -p $(PLUGIN_OUT)
	@[ "$(abspath $(PLUGIN_OUT))" = "$(abspath $(PLUGIN_DIR))" ] || \
		for f in $(PLUGIN_SRCS); do ln -sf $$f $(PLUGIN_OUT)/; done
	@# kbuild reruns modpost only for its own inputs, not for the driver's
	@# Module.symvers: without this a plugin keeps the symbol versions of
	@# the driver it was first built against, and no longer loads.
	@rm -f $(PLUGIN_OUT)/Module.symvers
	$(MAKE) -C $(KDIR) M=$(abspath $(PLUGIN_OUT)) \
		VFPGA_INCLUDE=$(VFPGA_INCLUDE) \
		KBUILD_EXTRA_SYMBOLS=$(abspath $(VFPGA_SYMVERS)) modules
