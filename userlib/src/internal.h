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
	unsigned int user_bar;		/* from VFPGA_GET_INFO at open */
	bool ref_logic;			/* the reference user logic */
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

/* Plugins in user mode (kp_user.c): the vfpga_kp_* calls of kp.c. */
struct vfpga_kp_handle;
int vfpga_kp_user_open(struct vfpga_device *dev, const char *name,
		       struct vfpga_kp_handle **h);
int vfpga_kp_user_call(struct vfpga_kp_handle *h, uint32_t msg,
		       const void *in, size_t in_len, void *out,
		       size_t *out_len);
int vfpga_kp_user_int_enable(struct vfpga_kp_handle *h);
int vfpga_kp_user_int_disable(struct vfpga_kp_handle *h);
int vfpga_kp_user_wait(struct vfpga_kp_handle *h, unsigned int timeout_ms,
		       struct vfpga_irq_event *ev);
int vfpga_kp_user_close(struct vfpga_kp_handle *h);
/* An ioctl on @dev said -ENODEV: tell the plugins on its board, once. */
void vfpga_kp_user_board_gone(struct vfpga_device *dev);
struct vfpga_device *vfpga_kp_user_dev(struct vfpga_kp_handle *h);

/* The DMA buffers a user-mode plugin handle holds (kp_user_dma.c). */
struct kp_user_dma_bufs {
	pthread_mutex_t lock;
	pthread_cond_t idle;		/* a buffer's last transfer ended */
	struct kp_user_dma *list;
};

struct kp_user_dma_bufs *vfpga_kp_user_bufs(struct vfpga_kp_handle *h);
void vfpga_kp_user_dma_release(struct vfpga_kp_handle *h);

#endif
