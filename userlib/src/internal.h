/* SPDX-License-Identifier: MIT */
#ifndef LIBVFPGA_INTERNAL_H
#define LIBVFPGA_INTERNAL_H

#include "libvfpga.h"

struct vfpga_device {
	int fd;
};

/* ioctl() that returns 0 / the ioctl's value, or -errno. */
int vfpga_ioctl(struct vfpga_device *dev, unsigned long cmd, void *arg);

#endif
