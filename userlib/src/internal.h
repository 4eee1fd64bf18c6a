/* SPDX-License-Identifier: MIT */
#ifndef LIBVFPGA_INTERNAL_H
#define LIBVFPGA_INTERNAL_H

#include "libvfpga.h"

#define VFPGA_MAX_BARS_MAPPED	6

struct vfpga_device {
	int fd;
	void *bar_map[VFPGA_MAX_BARS_MAPPED];
	uint64_t bar_len[VFPGA_MAX_BARS_MAPPED];
};

struct vfpga_buffer {
	struct vfpga_device *dev;
	uint32_t id;
	uint64_t size;
	void *ptr;
};

/* ioctl() that returns 0 / the ioctl's value, or -errno. */
int vfpga_ioctl(struct vfpga_device *dev, unsigned long cmd, void *arg);

#endif
