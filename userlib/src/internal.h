/* SPDX-License-Identifier: MIT */
#ifndef LIBVFPGA_INTERNAL_H
#define LIBVFPGA_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "libvfpga.h"

/* Interrupt vectors a handle can attach callbacks to (the driver's 24). */
#define VFPGA_MAX_CB_VECTORS	32

struct vfpga_irq_thread {
	pthread_t thread;
	bool running;
	volatile bool stop;
	unsigned int vector;
	vfpga_irq_cb cb;
	void *ctx;
	struct vfpga_device *dev;
};

#define VFPGA_MAX_BARS_MAPPED	6

struct vfpga_device {
	int fd;
	void *bar_map[VFPGA_MAX_BARS_MAPPED];
	uint64_t bar_len[VFPGA_MAX_BARS_MAPPED];
	pthread_mutex_t lock;		/* irq threads */
	struct vfpga_irq_thread irq[VFPGA_MAX_CB_VECTORS];
};

struct vfpga_buffer {
	struct vfpga_device *dev;
	uint32_t id;
	uint64_t size;
	void *ptr;
	bool user;		/* SG over user memory, not coherent */
};

/* ioctl() that returns 0 / the ioctl's value, or -errno. */
int vfpga_ioctl(struct vfpga_device *dev, unsigned long cmd, void *arg);

#endif
