# SPDX-License-Identifier: MIT
#
# How a vfpga user-logic plug-in builds: C sources against
# vfpga_user_logic.h into one shared object, which QEMU loads with
#   -device vfpga,user-logic=PATH/NAME.so
# The sample (user-logic/checksum/) and the project `vfpga new-board`
# writes include this file; `make -C userlib install` puts it beside the
# headers, in PREFIX/include/vfpga/, so that a plug-in builds from an
# installed vfpga as it does in the source tree.
#
# Include it after the including Makefile's first target, having set:
#   UL_NAME   the plug-in's name: $(UL_OUT)/$(UL_NAME).so
#   UL_SRCS   its C sources (and UL_HDRS, its headers, as prerequisites)
#   UL_OUT    where the shared object goes
# It gives:
#   VFPGA_INCLUDE      this folder, the headers a plug-in compiles against
#   VFPGA_UL_CFLAGS    the flags a plug-in's sources compile with (callbacks
#                      may leave parameters unused)
#   VFPGA_UL_LDFLAGS   the flags it links with: a shared object that
#                      exports vfpga_user_logic_entry() only and leaves no
#                      symbol undefined (everything from the board comes
#                      through struct vfpga_ul_host_ops)
#   VFPGA_UL_SO        $(UL_OUT)/$(UL_NAME).so, built by the rule below

VFPGA_INCLUDE := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VFPGA_UL_CFLAGS := -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden \
	-Wall -Wextra -Wno-unused-parameter -I$(VFPGA_INCLUDE)
VFPGA_UL_LDFLAGS := -shared -Wl,-z,defs
CFLAGS ?= -O2 -g
VFPGA_UL_SO := $(UL_OUT)/$(UL_NAME).so

$(VFPGA_UL_SO): $(UL_SRCS) $(UL_HDRS) $(VFPGA_INCLUDE)/vfpga_user_logic.h
	@mkdir -p $(@D)
	$(CC) $(VFPGA_UL_CFLAGS) $(CFLAGS) $(VFPGA_UL_LDFLAGS) -o $@ \
		$(UL_SRCS) $(LDLIBS)
