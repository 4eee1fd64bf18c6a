# SPDX-License-Identifier: MIT
#
# vfpga-rtl.mk as a makefile of its own, for `vfpga rtl build` and for
# builds with no Makefile of their own:
#   make -f .../include/vfpga/rtl/build.mk RTL_TOP=top RTL_SRCS="a.v b.sv" \
#        RTL_OUT=dir [RTL_NAME=name] [RTL_VFLAGS=...] [RTL_TRACE=1]

VFPGA_INCLUDE := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

all: rtl-plugin

include $(VFPGA_INCLUDE)/vfpga-rtl.mk

rtl-plugin: $(RTL_SO)

.PHONY: all rtl-plugin
