/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfpga core driver: what the kernel-plugin files share (vfpga_kp_*.c):
 * a registered plugin, an open handle, and the calls between the files.
 *   vfpga_kp_registry.c  the registry, and the calls exported to plugins
 *   vfpga_kp_irq.c       the user interrupts: int_at_irql, int_at_dpc
 *   vfpga_kp_handle.c    handles and the VFPGA_KP_* ioctls
 *   vfpga_kp_remove.c    telling plugins that the board is gone
 *   vfpga_kp_dma.c       DMA buffers and transfers for plugins
 */
#ifndef VFPGA_KP_PRIV_H
#define VFPGA_KP_PRIV_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "vfpga_drv.h"
#include "vfpga_kp.h"

/* Time spent in one callback, summed over every handle of a plugin. */
struct vfpga_kp_timing {
	u64 count;
	u64 total_ns;
	u64 max_ns;
	u64 hist[VFPGA_KP_HIST_BUCKETS];
};

struct vfpga_kp_plugin {
	struct list_head node;
	const struct vfpga_kp_ops *ops;
	spinlock_t stats_lock;		/* the fields below */
	u64 calls;
	struct vfpga_kp_timing irql;
	struct vfpga_kp_timing dpc;
	bool irql_warned;
	struct dentry *debugfs;		/* vfpga/plugins/<name> */
};

struct vfpga_kp_handle {
	struct vfpga_dev *vd;
	const struct vfpga_kp_ops *ops;
	struct vfpga_kp_plugin *plugin;
	void *ctx;
	struct kref ref;
	struct mutex int_lock;		/* int_enabled, closed */
	bool int_enabled;
	/*
	 * VFPGA_KP_CLOSE (or close()) took the handle from its file: it can
	 * no longer get the interrupts, and its VFPGA_KP_WAIT callers leave.
	 * Other threads of the file may still hold references for a while.
	 */
	bool closed;
	struct work_struct dpc_work;
	atomic_t dpc_requests;		/* since int_at_dpc last ran */
	atomic64_t wakeups;
	spinlock_t seen_lock;		/* seen, between waiters */
	u64 seen;			/* wakeups at the last wait */
	struct vfpga_kp_dma_bufs dma;	/* vfpga_kp_dma_alloc()ed */
};

/* vfpga_kp_registry.c */
struct vfpga_kp_plugin *vfpga_kp_plugin_get(const char *name);
void vfpga_kp_account(struct vfpga_kp_plugin *p, struct vfpga_kp_timing *t,
		      u64 ns);

/* vfpga_kp_irq.c */
void vfpga_kp_dpc(struct work_struct *work);
int vfpga_kp_int_enable(struct vfpga_kp_handle *h);
void vfpga_kp_int_disable(struct vfpga_kp_handle *h);

#endif /* VFPGA_KP_PRIV_H */
