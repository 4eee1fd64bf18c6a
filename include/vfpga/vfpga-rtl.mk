# SPDX-License-Identifier: MIT
#
# How a team's RTL becomes a vfpga user-logic plug-in: Verilator turns
# the top (whose ports carry the XDMA IP's user-side names, PG195:
# axi_aclk, axi_aresetn, m_axil_*, usr_irq_req, usr_irq_ack) into a C++
# model, which is linked with the bridge (rtl/vfpga_rtl_bridge.cpp) into
# one shared object QEMU loads with
#   -device vfpga,user-logic=PATH/NAME.so[,user-logic-args=freq=...]
# docs/rtl.md describes the bridge; `vfpga rtl build TOP.v [FILES...]`
# runs this file.  Include it after the including Makefile's first
# target, having set:
#   RTL_TOP    the top module's name
#   RTL_SRCS   its Verilog/SystemVerilog sources (the top's file first)
#   RTL_OUT    where the plug-in goes: $(RTL_OUT)/$(RTL_NAME).so
#   RTL_NAME   the plug-in's name (default $(RTL_TOP); 1 to 31 characters)
#   RTL_VFLAGS more Verilator options (-I dirs, -G parameters, ...)
#   RTL_TRACE  1: build with FST waveforms (user-logic-args trace=PATH)
# The design must lint clean under verilator -Wall: every warning stops
# the build, named by its file and line.  Rebuilds are incremental: the
# model is verilated again when a source changes, and only what changed
# is compiled again.  It gives RTL_SO, the plug-in, and the rule for it.

VFPGA_INCLUDE ?= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VERILATOR ?= verilator
RTL_NAME ?= $(RTL_TOP)
RTL_TRACE ?= 0
RTL_OBJ := $(RTL_OUT)/$(RTL_NAME).obj
RTL_SO := $(RTL_OUT)/$(RTL_NAME).so
RTL_BRIDGE := $(VFPGA_INCLUDE)/rtl/vfpga_rtl_bridge.cpp
RTL_TRACE_FLAGS := $(if $(filter 1,$(RTL_TRACE)),--trace-fst --trace-structs)

ifeq ($(strip $(RTL_TOP)),)
$(error vfpga-rtl.mk: set RTL_TOP, the top module)
endif
ifeq ($(strip $(RTL_SRCS)),)
$(error vfpga-rtl.mk: set RTL_SRCS, the design's sources)
endif

# Verilating: the model's C++ and its makefile, which also builds the
# bridge and links them into a shared object (-o ... with -shared).
$(RTL_OBJ)/Vrtl_top.mk: $(RTL_SRCS) $(RTL_BRIDGE) $(MAKEFILE_LIST)
	@mkdir -p $(RTL_OBJ)
	@rm -f $(RTL_OBJ)/Vrtl_top.mk
	$(VERILATOR) --cc --exe -Wall -O3 --x-assign fast --x-initial fast \
		--top-module $(RTL_TOP) --prefix Vrtl_top -Mdir $(RTL_OBJ) \
		-o vfpga_rtl.so $(RTL_TRACE_FLAGS) \
		-CFLAGS "-fPIC -fvisibility=hidden -fvisibility-inlines-hidden -I$(VFPGA_INCLUDE) -include vfpga_rtl_ports.h" \
		-LDFLAGS "-shared -Wl,-z,defs" \
		$(RTL_VFLAGS) $(RTL_SRCS) $(RTL_BRIDGE)

# The ports the design has, read from the model's header, for the bridge.
$(RTL_OBJ)/vfpga_rtl_ports.h: $(RTL_OBJ)/Vrtl_top.mk $(VFPGA_INCLUDE)/rtl/ports.awk
	awk -v name=$(RTL_NAME) -v trace=$(filter 1,$(RTL_TRACE)) \
		-f $(VFPGA_INCLUDE)/rtl/ports.awk $(RTL_OBJ)/Vrtl_top.h >$@.tmp
	mv $@.tmp $@

$(RTL_SO): $(RTL_OBJ)/Vrtl_top.mk $(RTL_OBJ)/vfpga_rtl_ports.h \
		$(VFPGA_INCLUDE)/vfpga_user_logic.h
	$(MAKE) -s -C $(RTL_OBJ) -f Vrtl_top.mk OPT_FAST=-O2 OPT_GLOBAL=-O2 \
		VM_PARALLEL_BUILDS=1 vfpga_rtl.so >/dev/null
	cp $(RTL_OBJ)/vfpga_rtl.so $@.tmp
	mv $@.tmp $@
