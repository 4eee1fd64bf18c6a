/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfpga core driver: state shared by its files.
 */
#ifndef VFPGA_DRV_H
#define VFPGA_DRV_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "vfpga_compat.h"
#include "vfpga_regs.h"
#include "uapi/vfpga.h"

/* Vectors: 16 user lines, then 4 H2C and 4 C2H channel interrupts. */
#define VFPGA_CHAN_LINES	(2 * XDMA_MAX_CHANNELS)
#define VFPGA_MAX_VECTORS	(VFPGA_USER_IRQ_LINES + VFPGA_CHAN_LINES)

/* One interrupt vector and the user and channel lines routed to it. */
struct vfpga_vector {
	struct vfpga_dev *vd;
	u32 user_lines;			/* bitmask of user lines */
	u32 chan_lines;			/* bitmask of CHAN_INT_REQ bits */
	atomic64_t handled;
	atomic64_t not_mine;
};

/* One XDMA channel: one transfer at a time, completed by its interrupt. */
struct vfpga_chan {
	struct vfpga_dev *vd;
	bool c2h;
	unsigned int index;
	void __iomem *regs;		/* channel block */
	void __iomem *sgdma;		/* its SGDMA block */
	struct mutex lock;		/* held for a whole transfer */
	struct completion done;
	u32 status;			/* STATUS_RC, read by the handler */
	__le32 *wb;			/* poll-mode writeback word */
	dma_addr_t wb_dma;
};

struct vfpga_dev {
	struct pci_dev *pdev;
	struct device dev;		/* /dev/vfpgaN; owns this struct */
	struct cdev cdev;

	/*
	 * Held for reading by every file operation that touches the board,
	 * for writing by remove() while it marks the board gone: after that
	 * no file operation reaches the (managed, soon unmapped) BARs.
	 * dying is set first, without the lock, so that sleepers wake up.
	 */
	struct rw_semaphore lock;
	bool gone;
	bool dying;
	/*
	 * BAR mappings are filled in by their fault handler, under this
	 * lock for reading; remove() takes it for writing to set @revoked
	 * before it zaps them, so no fault can insert a page after the zap.
	 * (A surprise removal only sets @gone: the BARs are still mapped and
	 * read all-ones, as on real hardware, so faults still fill them.)
	 * It is only ever taken inside mmap_lock (faults), never around user
	 * memory, unlike @lock (ioctls copy and pin user memory
	 * under it, so mmap() must not take @lock: ABBA with mmap_lock).
	 */
	struct rw_semaphore map_lock;
	bool revoked;

	/* Open files, so that remove() can revoke their mappings. */
	struct mutex files_lock;
	struct list_head files;

	void __iomem *bar[PCI_STD_NUM_BARS];
	void __iomem *user;		/* bar[VFPGA_BAR_USER] */
	void __iomem *xdma;		/* bar[VFPGA_BAR_DMA] */
	resource_size_t card_size;	/* BAR2: the DMA's card address space */

	u32 irq_mode;			/* VFPGA_IRQ_MODE_* */
	unsigned int num_vectors;
	struct vfpga_vector *vectors;
	u8 line_vector[VFPGA_USER_IRQ_LINES];
	wait_queue_head_t irq_wq;

	/*
	 * Kernel plugins: the handle that has the user interrupts (read by
	 * the interrupt handler under kp_irq_lock, set under kp_int_mutex
	 * too), and where VFPGA_KP_WAIT callers sleep.
	 */
	spinlock_t kp_irq_lock;
	struct mutex kp_int_mutex;	/* serialises setting kp_irq */
	struct vfpga_kp_handle *kp_irq;
	wait_queue_head_t kp_wq;
	/*
	 * The plugins have been told the board is gone (under files_lock):
	 * by kp_gone_work when it stops answering, else by remove().
	 */
	bool kp_removed;
	struct work_struct kp_gone_work;

	/*
	 * User lines whose interrupts user space acknowledges
	 * (VFPGA_IRQ_USER_ACK): the handler masks them instead.  Read by the
	 * handler without a lock, changed under kp_int_mutex.
	 */
	u32 user_ack_lines;

	/*
	 * Transfers between their start and their channel's stop: while
	 * there are none no channel can interrupt, and the handler need not
	 * read the channels' pending register (shared INTx pays for it on
	 * every other device's interrupt).
	 */
	atomic_t dma_running;
	unsigned int num_chans;		/* per direction */
	struct vfpga_chan h2c[XDMA_MAX_CHANNELS];
	struct vfpga_chan c2h[XDMA_MAX_CHANNELS];
};

/* What one open file holds. */
struct vfpga_file {
	struct vfpga_dev *vd;
	struct file *file;
	struct list_head node;		/* in vd->files */
	struct mutex lock;		/* bufs and sgbufs */
	spinlock_t seen_lock;
	struct list_head bufs;
	unsigned long buf_ids;		/* bitmap of ids in use */
	struct list_head sgbufs;
	unsigned long sgbuf_ids;
	u64 seen[VFPGA_MAX_VECTORS];	/* handled count at the last wait */
	struct xarray kp_handles;	/* open plugins, by handle id */
	u32 user_ack_lines;		/* taken with VFPGA_USER_ACK_TAKE */
};

/* A coherent DMA buffer of one file. */
struct vfpga_buf {
	struct list_head node;
	u32 id;
	size_t size;
	void *cpu;
	dma_addr_t dma;
	atomic_t maps;			/* live mmap()s */
	atomic_t users;			/* transfers using it */
};

static inline bool vfpga_dying(struct vfpga_dev *vd)
{
	return READ_ONCE(vd->dying) || READ_ONCE(vd->gone);
}

/* vfpga_irq.c */
int vfpga_irq_setup(struct vfpga_dev *vd, const char *mode);
int vfpga_irq_wait(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vfpga_irq_wait *w);
bool vfpga_irq_pending(struct vfpga_dev *vd, struct vfpga_file *vf);
int vfpga_irq_user_ack(struct vfpga_dev *vd, struct vfpga_file *vf,
		       struct vfpga_irq_user_ack *ua);
void vfpga_irq_user_ack_release(struct vfpga_dev *vd, struct vfpga_file *vf);

/* vfpga_dma.c */
int vfpga_dma_setup(struct vfpga_dev *vd);
void vfpga_dma_irq(struct vfpga_dev *vd, u32 chan_lines);
int vfpga_dma_xfer(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vfpga_dma_xfer *x);
int vfpga_dma_run(struct vfpga_dev *vd, bool c2h, unsigned int channel,
		  struct sg_table *sgt, u64 sg_off, dma_addr_t dma, u64 card,
		  u64 len, bool poll, u32 *status, u64 *ndesc);
void vfpga_dma_wake_all(struct vfpga_dev *vd);
int vfpga_buf_alloc(struct vfpga_dev *vd, struct vfpga_file *vf,
		    struct vfpga_dma_buf *b);
int vfpga_buf_free(struct vfpga_dev *vd, struct vfpga_file *vf, u32 id);
void vfpga_buf_free_all(struct vfpga_dev *vd, struct vfpga_file *vf);
int vfpga_buf_mmap(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vm_area_struct *vma, u32 id);
int vfpga_sgbuf_map(struct vfpga_dev *vd, struct vfpga_file *vf,
		    struct vfpga_dma_sg *m);
int vfpga_sgbuf_unmap(struct vfpga_dev *vd, struct vfpga_file *vf, u32 id);
int vfpga_sgbuf_sync(struct vfpga_dev *vd, struct vfpga_file *vf,
		     struct vfpga_dma_sg *m);

/* vfpga_cdev.c */
int vfpga_cdev_init(void);
void vfpga_cdev_exit(void);
int vfpga_dev_init(struct vfpga_dev *vd);
int vfpga_cdev_add(struct vfpga_dev *vd);
void vfpga_cdev_del(struct vfpga_dev *vd);
bool vfpga_check_gone(struct vfpga_dev *vd);
/*
 * The mapped address of a @width-byte register at @offset of BAR @bar:
 * 0, or -EINVAL (width, alignment), -ENXIO (no such BAR), -ERANGE.
 */
int vfpga_bar_addr(struct vfpga_dev *vd, unsigned int bar, u64 offset,
		   unsigned int width, void __iomem **addr);
int vfpga_get_arg(void *karg, size_t minsz, unsigned long uarg);
int vfpga_put_arg(unsigned long uarg, const void *karg, size_t minsz);

/* vfpga_kp_dma.c: the DMA buffers one plugin handle holds */
struct vfpga_kp_dma_bufs {
	struct mutex lock;		/* the list */
	struct list_head list;
};

void vfpga_kp_dma_init(struct vfpga_kp_dma_bufs *bufs);
void vfpga_kp_dma_release(struct vfpga_kp_handle *h);

/* vfpga_kp.c */
struct vfpga_dev *vfpga_kp_dev(struct vfpga_kp_handle *h);
struct vfpga_kp_dma_bufs *vfpga_kp_bufs(struct vfpga_kp_handle *h);
bool vfpga_kp_irq(struct vfpga_dev *vd);
long vfpga_kp_ioctl(struct vfpga_dev *vd, struct vfpga_file *vf,
		    unsigned int cmd, unsigned long uarg);
void vfpga_kp_file_release(struct vfpga_dev *vd, struct vfpga_file *vf);
void vfpga_kp_board_gone(struct vfpga_dev *vd);
void vfpga_kp_board_removed(struct vfpga_dev *vd);
void vfpga_kp_gone_work(struct work_struct *work);
struct vfpga_kp_plugin;
void vfpga_kp_plugin_stats(struct vfpga_kp_plugin *p,
			   struct vfpga_kp_stats *st);

/* vfpga_kp_debugfs.c */
void vfpga_kp_debugfs_init(void);
void vfpga_kp_debugfs_exit(void);
struct dentry *vfpga_kp_debugfs_add(const char *name,
				    struct vfpga_kp_plugin *p);
void vfpga_kp_debugfs_remove(struct dentry *d);

#endif /* VFPGA_DRV_H */
