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
#include <linux/stddef.h>
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
	bool plugin_first;		/* one user line, a vector of its own */
	atomic64_t handled;
	atomic64_t not_mine;
};

/* One XDMA channel: one transfer at a time, completed by its interrupt. */
/* A channel's own chain: one page of descriptors, for every short transfer. */
#define VFPGA_CHAN_CHAIN_SIZE	PAGE_SIZE
#define VFPGA_CHAN_CHAIN_DESCS	(VFPGA_CHAN_CHAIN_SIZE / sizeof(struct xdma_desc))

struct vfpga_chan {
	struct vfpga_dev *vd;
	bool c2h;
	unsigned int index;
	void __iomem *regs;		/* channel block */
	void __iomem *sgdma;		/* its SGDMA block */
	struct mutex lock;		/* held for a whole transfer */
	struct completion done;
	u32 status;			/* STATUS_RC, read by the handler */
	u64 irq_ns;			/* ... and when (vfpga_dma_stamps) */
	__le32 *wb;			/* poll-mode writeback word */
	dma_addr_t wb_dma;
	struct xdma_desc *chain;	/* reused for short chains, under @lock */
	dma_addr_t chain_dma;
	/*
	 * The engine would not stop (BUSY after RUN was cleared): the
	 * channel is never started again, and what its last transfer used
	 * (@kept: chain, pinned pages) is never freed while it may still
	 * be read or written.  Under @lock.
	 */
	bool dead;
	struct list_head kept;
	/* AXI4-Stream mode: its identifier has the stream bit. */
	bool stream;
};

/*
 * Where a transfer's time goes (vfpga_dma_stages.c): the stamps one
 * transfer takes, and each path's sums.
 */
enum vfpga_dma_path {
	VFPGA_DMA_PATH_KP,		/* vfpga_kp_dma_xfer() */
	VFPGA_DMA_PATH_IOCTL,		/* VFPGA_DMA_XFER */
	VFPGA_DMA_PATHS
};

#define VFPGA_DMA_STAGES	6

struct vfpga_dma_stamps {
	/*
	 * ktime_get_ns() at: entry, the RUN write, its return, the handler
	 * reading the channel's status, the waiter running again, the
	 * channel stopped and checked, the return.
	 */
	u64 ns[VFPGA_DMA_STAGES + 1];
};

struct vfpga_dma_stages {
	atomic64_t transfers;
	atomic64_t ns[VFPGA_DMA_STAGES];
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
	bool gone;			/* WRITE_ONCE / READ_ONCE */
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
	/*
	 * Set by remove() (under @lock and @map_lock for writing), which then
	 * frees every DMA buffer's memory and mapping: after it nothing calls
	 * the DMA API for this board again, and a file's close() only frees
	 * bookkeeping.
	 */
	bool revoked;

	/* Open files, so that remove() can revoke their mappings. */
	struct mutex files_lock;
	struct list_head files;

	/*
	 * The BARs and their roles, found by probing (vfpga_main.c): the
	 * config BAR holds the XDMA config block's identifier at 0x3000,
	 * the user BAR is the other 32-bit memory BAR, the card BAR (or
	 * none: -1) a 64-bit prefetchable one.
	 */
	void __iomem *bar[PCI_STD_NUM_BARS];
	unsigned int user_bar;
	unsigned int config_bar;
	int card_bar;
	void __iomem *user;		/* bar[user_bar] */
	void __iomem *xdma;		/* bar[config_bar] */
	/*
	 * The DMA's card address space: the card BAR's size, or without
	 * one the card_size module parameter.
	 */
	resource_size_t card_size;
	/*
	 * The user logic is the reference design (VFPGA_ID_MAGIC at its
	 * offset 0): it has the interrupt generator and fault registers
	 * the driver may use.  Other user logic gets none of that.
	 */
	bool ref_logic;

	u32 irq_mode;			/* VFPGA_IRQ_MODE_* */
	unsigned int num_vectors;
	struct vfpga_vector *vectors;
	u8 line_vector[VFPGA_USER_IRQ_LINES];
	wait_queue_head_t irq_wq;
	/* VFPGA_IRQGEN_START: one caller checks and programs at a time. */
	struct mutex irqgen_lock;

	/*
	 * Kernel plugins: the handle that has the user interrupts (read by
	 * the interrupt handler under kp_irq_lock, set under kp_int_mutex
	 * too), and where VFPGA_KP_WAIT callers and plugins in
	 * vfpga_kp_wait_until() sleep.
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
	/*
	 * Channels, from the engines' identifier registers.  Their bits in
	 * CHAN_INT_REQ: H2C 0..num_h2c-1, then C2H from num_h2c on.
	 */
	unsigned int num_h2c;
	unsigned int num_c2h;
	struct vfpga_chan h2c[XDMA_MAX_CHANNELS];
	struct vfpga_chan c2h[XDMA_MAX_CHANNELS];

	struct vfpga_dma_stages dma_stages[VFPGA_DMA_PATHS];
	struct dentry *dma_stages_dentry;	/* vfpga/dma-stages/<board> */
};

/* What one open file holds. */
struct vfpga_file {
	struct vfpga_dev *vd;
	struct file *file;
	struct list_head node;		/* in vd->files */
	struct mutex lock;		/* bufs and sgbufs */
	spinlock_t seen_lock;
	/* Coherent and SG buffers by id, 0..VFPGA_DMA_BUFS_MAX - 1 each. */
	struct xarray bufs;
	struct xarray sgbufs;
	u64 seen[VFPGA_MAX_VECTORS];	/* handled count at the last wait */
	struct xarray kp_handles;	/* open plugins, by handle id */
	u32 user_ack_lines;		/* taken with VFPGA_USER_ACK_TAKE */
};

/* A coherent DMA buffer of one file. */
struct vfpga_buf {
	u32 id;
	size_t size;
	void *cpu;			/* NULL once freed at remove() */
	dma_addr_t dma;
	atomic_t maps;			/* live mmap()s */
	atomic_t users;			/* transfers using it */
	struct vfpga_chan *wedged;	/* used by the last run of a dead one */
};

static inline bool vfpga_dying(struct vfpga_dev *vd)
{
	return READ_ONCE(vd->dying) || READ_ONCE(vd->gone);
}

/* vfpga_core.c */
/*
 * Is the board gone (all-ones where its ID should be)?  The first time,
 * mark it gone and wake everyone waiting on it.
 */
bool vfpga_check_gone(struct vfpga_dev *vd);
/*
 * The mapped address of a @width-byte register at @offset of BAR @bar:
 * 0, or -EINVAL (width, alignment), -ENXIO (no such BAR), -ERANGE.
 */
int vfpga_bar_addr(struct vfpga_dev *vd, unsigned int bar, u64 offset,
		   unsigned int width, void __iomem **addr);
int __vfpga_get_arg(void *karg, size_t minsz, size_t ksz, unsigned long uarg,
		    bool no_flags);
/*
 * Copy ioctl argument *@karg in from @uarg by the rules of
 * include/vfpga/uapi/vfpga.h: @last names the last field of the struct's
 * first version (the least argsz accepted), so that the struct can grow
 * without failing older callers.  vfpga_get_arg() also fails any flag;
 * vfpga_copy_arg() leaves the flags to the caller.
 */
#define __vfpga_arg(karg, last, uarg, no_flags) ({			\
	typeof(karg) __karg = (karg);					\
	__vfpga_get_arg(__karg, offsetofend(typeof(*__karg), last),	\
			sizeof(*__karg), uarg, no_flags);		\
})
#define vfpga_get_arg(karg, last, uarg) __vfpga_arg(karg, last, uarg, true)
#define vfpga_copy_arg(karg, last, uarg) __vfpga_arg(karg, last, uarg, false)
/* Copy @karg (@ksz bytes, argsz as the caller gave it) back: at most argsz. */
int vfpga_put_arg(unsigned long uarg, const void *karg, size_t ksz);

/*
 * Counted events, "count, then wake": the waker adds to @count and wakes
 * @wq; each waiter claims what arrived since @seen (guarded by @lock
 * between waiters), so a burst is never collapsed into one event.
 */
struct vfpga_count_wait {
	wait_queue_head_t *wq;
	atomic64_t *count;
	u64 *seen;
	spinlock_t *lock;		/* guards *seen between waiters */
	bool *closed;			/* or NULL: the waited-on thing closed */
};

/*
 * Wait up to @timeout_ms for events past *@cw->seen and claim them:
 * 0 with @count (claimed now) and @total (ever); -EINTR on a signal,
 * -ENODEV when the board goes away, -EINVAL once *@cw->closed is set,
 * -ETIMEDOUT.
 */
int vfpga_wait_count(struct vfpga_dev *vd, const struct vfpga_count_wait *cw,
		     unsigned int timeout_ms, u64 *count, u64 *total);

/* A channel's bit in CHAN_INT_REQ: every H2C channel, then the C2H ones. */
static inline unsigned int vfpga_chan_line(struct vfpga_dev *vd, bool c2h,
					   unsigned int index)
{
	return c2h ? vd->num_h2c + index : index;
}

static inline unsigned int vfpga_num_chans(struct vfpga_dev *vd, bool c2h)
{
	return c2h ? vd->num_c2h : vd->num_h2c;
}

/* vfpga_irq.c */
int vfpga_irq_setup(struct vfpga_dev *vd, const char *mode);
int vfpga_irq_wait(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vfpga_irq_wait *w);
bool vfpga_irq_pending(struct vfpga_dev *vd, struct vfpga_file *vf);
int vfpga_irq_user_ack(struct vfpga_dev *vd, struct vfpga_file *vf,
		       struct vfpga_irq_user_ack *ua);
void vfpga_irq_user_ack_release(struct vfpga_dev *vd, struct vfpga_file *vf);
void vfpga_irq_sync_chan(struct vfpga_dev *vd, unsigned int line);

/* vfpga_dma.c */
int vfpga_dma_setup(struct vfpga_dev *vd);
void vfpga_dma_irq(struct vfpga_dev *vd, u32 chan_lines);
int vfpga_dma_stream(struct vfpga_dev *vd, struct vfpga_dma_stream *s,
		     void *kbuf);
int vfpga_dma_xfer(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vfpga_dma_xfer *x);
/*
 * One descriptor chain for vfpga_dma_run(): between card memory at @card
 * and host memory, the mapped table @sgt from @sg_off or, when @sgt is
 * NULL, the contiguous range at @dma.
 */
struct vfpga_dma_req {
	bool c2h;
	unsigned int channel;
	struct sg_table *sgt;
	u64 sg_off;
	dma_addr_t dma;
	u64 card;
	u64 len;
	bool poll;			/* wait by polling the writeback word */
	/* Out: filled by vfpga_dma_run() */
	u32 status;			/* the channel's, at the end */
	u64 ndesc;			/* the chain's length */
	struct vfpga_chan *wedged;	/* the channel, if it would not stop */
	/* The caller stamps ns[0]; vfpga_dma_run() the run's stages. */
	struct vfpga_dma_stamps stamps;
};

int vfpga_dma_run(struct vfpga_dev *vd, struct vfpga_dma_req *req);
struct vfpga_chan *vfpga_dma_chan(struct vfpga_dev *vd, bool c2h,
				  unsigned int channel);
void vfpga_dma_wake_all(struct vfpga_dev *vd);
void vfpga_dma_remove(struct vfpga_dev *vd);
int vfpga_buf_alloc(struct vfpga_dev *vd, struct vfpga_file *vf,
		    struct vfpga_dma_buf *b);
int vfpga_buf_free(struct vfpga_dev *vd, struct vfpga_file *vf, u32 id);
void vfpga_buf_free_all(struct vfpga_dev *vd, struct vfpga_file *vf);
void vfpga_buf_unmap_all(struct vfpga_dev *vd, struct vfpga_file *vf);
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

/* vfpga_kp_dma.c: the DMA buffers one plugin handle holds */
struct vfpga_kp_dma_bufs {
	struct mutex lock;		/* the list, gone, each buffer's unmapped */
	struct list_head list;
	bool gone;			/* unmapped for good: no more buffers */
};

void vfpga_kp_dma_init(struct vfpga_kp_dma_bufs *bufs);
void vfpga_kp_dma_release(struct vfpga_kp_handle *h);
void vfpga_kp_dma_unmap_all(struct vfpga_kp_handle *h);

/* vfpga_kp_handle.c: plugin handles, the VFPGA_KP_* ioctls */
struct vfpga_dev *vfpga_kp_dev(struct vfpga_kp_handle *h);
struct vfpga_kp_dma_bufs *vfpga_kp_bufs(struct vfpga_kp_handle *h);
long vfpga_kp_ioctl(struct vfpga_dev *vd, struct vfpga_file *vf,
		    unsigned int cmd, unsigned long uarg);
void vfpga_kp_file_release(struct vfpga_dev *vd, struct vfpga_file *vf);

/* vfpga_kp_irq.c: the user interrupts given to a plugin */
bool vfpga_kp_irq(struct vfpga_dev *vd);

/* vfpga_kp_remove.c: telling plugins the board is gone */
void vfpga_kp_board_gone(struct vfpga_dev *vd);
void vfpga_kp_board_removed(struct vfpga_dev *vd);
void vfpga_kp_gone_work(struct work_struct *work);

/* vfpga_kp_registry.c: the registry, what plugins call, their figures */
struct vfpga_kp_plugin;
void vfpga_kp_plugin_stats(struct vfpga_kp_plugin *p,
			   struct vfpga_kp_stats *st);

/* vfpga_dma_claim.c: one device-writable mapping of a cacheline */
int vfpga_dma_claim(struct page **pages, unsigned long nr,
		    unsigned int offset, u64 len);
void vfpga_dma_unclaim(struct page **pages, unsigned long nr,
		       unsigned int offset, u64 len);

/* vfpga_dma_stages.c */
void vfpga_dma_stages_add(struct vfpga_dev *vd, enum vfpga_dma_path path,
			  struct vfpga_dma_stamps *st);
void vfpga_dma_stages_debugfs_add(struct vfpga_dev *vd);
void vfpga_dma_stages_debugfs_remove(struct vfpga_dev *vd);

/* vfpga_kp_debugfs.c: vfpga/ in debugfs */
void vfpga_kp_debugfs_init(void);
void vfpga_kp_debugfs_exit(void);
struct dentry *vfpga_debugfs_stages_dir(void);
struct dentry *vfpga_kp_debugfs_add(const char *name,
				    struct vfpga_kp_plugin *p);
void vfpga_kp_debugfs_remove(struct dentry *d);

#endif /* VFPGA_DRV_H */
