/* SPDX-License-Identifier: MIT */
/*
 * VFPGA_EXPORT marks a function of vfpga's API: everything libvfpga.h
 * declares, and outside the kernel the calls of vfpga_kp.h that libvfpga
 * implements for plugins in user mode.  libvfpga is built with
 * -fvisibility=hidden, so the shared library exports what is marked and
 * nothing else.  In the kernel the core module exports the plugin calls
 * with EXPORT_SYMBOL_GPL, and the mark is empty.
 *
 * libvfpga.h, vfpga_kp.h and vfpga_kp_user.h each include this header;
 * it includes nothing.
 */
#ifndef VFPGA_EXPORT_H
#define VFPGA_EXPORT_H

#ifdef __KERNEL__
#define VFPGA_EXPORT
#else
#define VFPGA_EXPORT __attribute__((visibility("default")))
#endif

#endif /* VFPGA_EXPORT_H */
