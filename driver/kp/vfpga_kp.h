/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfpga kernel plugins: everything a plugin may call, and the callbacks it
 * gives the core.  A plugin is a module of its own that registers a struct
 * vfpga_kp_ops by name; user space opens it on a board (VFPGA_KP_OPEN),
 * sends it messages (VFPGA_KP_CALL) and lets it handle the board's user
 * interrupts without a switch to user mode per interrupt.
 *
 * Contexts:
 *  - init, open, close, call, int_enable, int_disable, event and
 *    int_at_dpc run in process context and may sleep;
 *  - int_at_irql runs in hard-IRQ context: no sleeping, no allocation
 *    with GFP_KERNEL, keep it short.
 *
 * Errors: a callback returns 0 (call: a non-negative result) or a negative
 * errno, which reaches the user-mode caller unchanged.  Conventions for
 * call: -ENOMSG for a message id the plugin does not know, -EINVAL for a
 * bad request, -EMSGSIZE when the reply does not fit the out buffer.
 *
 * Lifetime: the core holds a reference on ops->owner for every open
 * handle, so a plugin cannot unload while a handle has it open.
 *
 * One source, two modes: a plugin includes only this header and its
 * message header, and the same .c file also builds into a user-mode
 * object that libvfpga hosts (vfpga_kp_open_mode(..., VFPGA_KP_USER, ...)).
 * Outside the kernel this header takes the kernel types and macros a
 * plugin uses (u32, THIS_MODULE, module_init, memcpy, errno values...) and
 * the lock from userlib/include/vfpga_kp_user.h; everything else, the
 * callback table and the calls, is this one definition for both modes.
 * Switching here rather than shipping a second vfpga_kp.h for user mode
 * keeps the contract in one place, so the two modes cannot drift apart.
 */
#ifndef VFPGA_KP_H
#define VFPGA_KP_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include "vfpga_kp_user.h"
#endif

#include "vfpga_regs.h"
#include "uapi/vfpga.h"	/* VFPGA_KP_NAME_SIZE, VFPGA_KP_MSG_MAX */

/* One open of a plugin on one board (opaque). */
struct vfpga_kp_handle;

enum vfpga_kp_event {
	VFPGA_KP_EVENT_REMOVED = 1,	/* the board is gone; no more access */
	VFPGA_KP_EVENT_UNLOAD,		/* the plugin unregisters (no handle) */
};

struct vfpga_kp_ops {
	struct module *owner;		/* THIS_MODULE */
	const char *name;		/* what VFPGA_KP_OPEN looks for */
	size_t ctx_size;		/* per-handle context, zeroed */

	/* Once, at registration; an error fails vfpga_kp_register(). */
	int (*init)(void);
	/* A user handle opens the plugin; @ctx is its ctx_size bytes. */
	int (*open)(struct vfpga_kp_handle *h, void *ctx);
	void (*close)(struct vfpga_kp_handle *h, void *ctx);
	/*
	 * Message @msg with @in_size bytes at @in; the reply goes to @out,
	 * which holds *@out_size bytes: set *@out_size to the bytes written.
	 * Returns a non-negative result or a negative errno.
	 */
	int (*call)(struct vfpga_kp_handle *h, void *ctx, u32 msg,
		    const void *in, size_t in_size, void *out,
		    size_t *out_size);
	/* Before the plugin gets the board's user interrupts, and after. */
	int (*int_enable)(struct vfpga_kp_handle *h, void *ctx);
	void (*int_disable)(struct vfpga_kp_handle *h, void *ctx);
	/*
	 * Hard-IRQ context, for an interrupt on a user line: acknowledge the
	 * device and return true if the interrupt was the plugin's; set
	 * *@run_dpc to have int_at_dpc run.  False leaves it to the core.
	 */
	bool (*int_at_irql)(struct vfpga_kp_handle *h, void *ctx,
			    bool *run_dpc);
	/*
	 * Deferred, process context: @count int_at_irql calls asked for it
	 * since its last run.  Returns how many times to wake user mode
	 * (VFPGA_KP_WAIT); 0 wakes nobody.
	 */
	unsigned int (*int_at_dpc)(struct vfpga_kp_handle *h, void *ctx,
				   unsigned int count);
	/* @h and @ctx are NULL for VFPGA_KP_EVENT_UNLOAD. */
	void (*event)(struct vfpga_kp_handle *h, void *ctx,
		      enum vfpga_kp_event event);
};

int vfpga_kp_register(const struct vfpga_kp_ops *ops);
void vfpga_kp_unregister(const struct vfpga_kp_ops *ops);

/*
 * Registers of any memory BAR of the handle's board, any context.  An
 * access outside the BAR, misaligned or after the board is gone reads
 * all-ones and writes nothing.
 */
u32 vfpga_kp_read32(struct vfpga_kp_handle *h, unsigned int bar, u64 offset);
void vfpga_kp_write32(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u32 value);
u64 vfpga_kp_read64(struct vfpga_kp_handle *h, unsigned int bar, u64 offset);
void vfpga_kp_write64(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u64 value);

/*
 * DMA, process context only (open, close, call, int_at_dpc): the calls
 * sleep.  A buffer is the plugin's memory that the board can reach; the
 * plugin reads and writes it through @cpu.  Up to 64 MiB; the core frees
 * what a handle still holds when it closes.
 */
struct vfpga_kp_dma_buf {
	void *cpu;			/* the plugin's view */
	size_t size;
};

enum vfpga_kp_dma_dir {
	VFPGA_KP_DMA_H2C,		/* buffer to card memory */
	VFPGA_KP_DMA_C2H,		/* card memory to buffer */
};

/* Returns 0 and sets *@buf; -EINVAL, -ENOMEM, -ENODEV. */
int vfpga_kp_dma_alloc(struct vfpga_kp_handle *h, size_t size,
		       struct vfpga_kp_dma_buf **buf);
void vfpga_kp_dma_free(struct vfpga_kp_handle *h,
		       struct vfpga_kp_dma_buf *buf);
/*
 * Move @length bytes between @buf at @buf_offset and card memory at
 * @card_offset on XDMA channel @channel, one descriptor chain completed
 * by the channel's interrupt, and wait for it.  Cache maintenance is
 * done here.  Returns 0; -EINVAL (direction, channel, zero length),
 * -ERANGE (outside the buffer or card memory), -EIO (the engine reported
 * an error: *@status, if not NULL, has the channel status), -ETIMEDOUT,
 * -EINTR, -ENODEV.
 */
int vfpga_kp_dma_xfer(struct vfpga_kp_handle *h, struct vfpga_kp_dma_buf *buf,
		      size_t buf_offset, enum vfpga_kp_dma_dir dir,
		      unsigned int channel, u64 card_offset, size_t length,
		      u32 *status);

/* Monotonic time in nanoseconds, any context. */
u64 vfpga_kp_time_ns(void);

enum vfpga_kp_level {
	VFPGA_KP_ERR,
	VFPGA_KP_WARN,
	VFPGA_KP_INFO,
	VFPGA_KP_DEBUG,
};

/*
 * Log a line tagged with the board and plugin (@h may be NULL).  Any
 * context; rate-limit what an interrupt handler prints.
 */
__printf(3, 4)
void vfpga_kp_log(struct vfpga_kp_handle *h, enum vfpga_kp_level level,
		  const char *fmt, ...);
#define vfpga_kp_err(h, fmt, ...) \
	vfpga_kp_log(h, VFPGA_KP_ERR, fmt, ##__VA_ARGS__)
#define vfpga_kp_warn(h, fmt, ...) \
	vfpga_kp_log(h, VFPGA_KP_WARN, fmt, ##__VA_ARGS__)
#define vfpga_kp_info(h, fmt, ...) \
	vfpga_kp_log(h, VFPGA_KP_INFO, fmt, ##__VA_ARGS__)

#ifdef __KERNEL__
/*
 * A lock shared by int_at_irql and everything else: interrupts are off
 * while it is held.  One holder at a time keeps the saved flags.  (User
 * mode: a mutex, see vfpga_kp_user.h.)
 */
struct vfpga_kp_lock {
	spinlock_t lock;		/* taken with interrupts off */
	unsigned long flags;		/* saved by the holder */
};

static inline void vfpga_kp_lock_init(struct vfpga_kp_lock *l)
{
	spin_lock_init(&l->lock);
}

static inline void vfpga_kp_lock(struct vfpga_kp_lock *l)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->flags = flags;
}

static inline void vfpga_kp_unlock(struct vfpga_kp_lock *l)
{
	spin_unlock_irqrestore(&l->lock, l->flags);
}
#endif /* __KERNEL__ */

#endif /* VFPGA_KP_H */
