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
 *  - int_at_irql runs in the board's interrupt handler: no sleeping, no
 *    allocation with GFP_KERNEL, keep it short.  On a standard kernel
 *    that is hard-IRQ context.  On PREEMPT_RT (and with threadirqs) it
 *    is the vector's interrupt thread, irq/N-..., at SCHED_FIFO: the core
 *    does not ask for a hard handler (IRQF_NO_THREAD), so a plugin's
 *    vfpga_kp_lock and the core's own locks may sleep there and the
 *    plugin's work is preemptible, which is what a real-time system
 *    wants from a device it does not own.  A hard handler would force
 *    raw spinlocks on every plugin and run its code with preemption
 *    off.  The rules above hold in both, so one plugin source is right
 *    on both; tune the thread's priority with chrt where it matters.
 *    int_at_dpc stays a work item (system_highpri_wq), below the
 *    interrupt thread, and still gets the count of requests since it
 *    last ran (tests/guest/vfpga_irq_context_test.c).
 *
 * Errors: a callback returns 0 (call: a non-negative result) or a negative
 * errno, which reaches the user-mode caller unchanged.  Conventions for
 * call: -ENOMSG for a message id the plugin does not know, -EINVAL for a
 * bad request, -EMSGSIZE when the reply does not fit the out buffer.
 *
 * Lifetime: the core holds a reference on ops->owner for every open
 * handle, so a plugin cannot unload while a handle has it open.  A plugin
 * is opened only once its module is live, that is once its module_init
 * has returned 0: a module_init that fails after vfpga_kp_register() must
 * vfpga_kp_unregister() before it returns, and no handle can have it open
 * then.
 *
 * Removal: remove() of the board waits for every running call (it runs
 * under the lock that keeps the BARs mapped), so a callback must never
 * wait for the board without bound.  Wait with vfpga_kp_wait_until(),
 * which ends with -ENODEV when the board goes away, or check
 * vfpga_kp_dying() at least every few milliseconds in a loop.  int_at_dpc
 * and int_disable are flushed by remove() too; event(REMOVED) follows.
 *
 * One source, two modes: a plugin includes only this header and its
 * message header, and the same .c file also builds into a user-mode
 * object that libvfpga hosts (vfpga_kp_open_mode(..., VFPGA_KP_USER, ...)).
 * Outside the kernel this header takes the kernel types and macros a
 * plugin uses (u32, THIS_MODULE, module_init, memcpy, errno values...) and
 * the lock from vfpga_kp_user.h; everything else, the
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
#include "vfpga_kp_user.h"	/* what a plugin takes from the kernel */
#endif

#include "vfpga_export.h"	/* the calls: EXPORT_SYMBOL_GPL or libvfpga's */

#include "vfpga_regs.h"
#include "uapi/vfpga.h"	/* VFPGA_KP_NAME_SIZE, VFPGA_KP_MSG_MAX */

/* One open of a plugin on one board (opaque). */
struct vfpga_kp_handle;

/**
 * enum vfpga_kp_event - what &vfpga_kp_ops.event is told
 * @VFPGA_KP_EVENT_REMOVED: the board is gone; no more access
 * @VFPGA_KP_EVENT_UNLOAD: the plugin unregisters (no handle)
 */
enum vfpga_kp_event {
	VFPGA_KP_EVENT_REMOVED = 1,
	VFPGA_KP_EVENT_UNLOAD,
};

/**
 * struct vfpga_kp_ops - a plugin: its name and its callbacks
 * @owner: THIS_MODULE
 * @name: what VFPGA_KP_OPEN looks for; fewer than VFPGA_KP_NAME_SIZE bytes
 * @ctx_size: the per-handle context, zeroed, passed to every callback as
 *	@ctx
 * @init: once, at registration; an error fails vfpga_kp_register()
 * @open: a user handle opens the plugin; an error fails VFPGA_KP_OPEN
 * @close: the handle's last reference goes (VFPGA_KP_CLOSE or close())
 * @call: message @msg with @in_size bytes at @in; the reply goes to @out,
 *	which holds *@out_size bytes: set *@out_size to the bytes written.
 *	Returns a non-negative result or a negative errno.  remove() waits
 *	for a running call: wait for the board only with
 *	vfpga_kp_wait_until() (see "Removal").
 * @int_enable: before the plugin gets the board's user interrupts
 *	(VFPGA_KP_INT_ENABLE); an error refuses them
 * @int_disable: after it has given them back
 * @int_at_irql: interrupt context (see "Contexts"), for an interrupt on a
 *	user line: acknowledge the device and return true if the interrupt
 *	was the plugin's; set *@run_dpc to have @int_at_dpc run.  False
 *	leaves it to the core.
 * @int_at_dpc: deferred, process context: @count @int_at_irql calls asked
 *	for it since its last run.  Returns how many times to wake user mode
 *	(VFPGA_KP_WAIT); 0 wakes nobody.
 * @event: the board or the plugin goes (&enum vfpga_kp_event); @h and
 *	@ctx are NULL for VFPGA_KP_EVENT_UNLOAD
 *
 * Every callback may be NULL: a NULL @call answers -ENOMSG, a NULL
 * @int_at_irql leaves every interrupt to the core.
 */
struct vfpga_kp_ops {
	struct module *owner;
	const char *name;
	size_t ctx_size;

	int (*init)(void);
	int (*open)(struct vfpga_kp_handle *h, void *ctx);
	void (*close)(struct vfpga_kp_handle *h, void *ctx);
	int (*call)(struct vfpga_kp_handle *h, void *ctx, u32 msg,
		    const void *in, size_t in_size, void *out,
		    size_t *out_size);
	int (*int_enable)(struct vfpga_kp_handle *h, void *ctx);
	void (*int_disable)(struct vfpga_kp_handle *h, void *ctx);
	bool (*int_at_irql)(struct vfpga_kp_handle *h, void *ctx,
			    bool *run_dpc);
	unsigned int (*int_at_dpc)(struct vfpga_kp_handle *h, void *ctx,
				   unsigned int count);
	void (*event)(struct vfpga_kp_handle *h, void *ctx,
		      enum vfpga_kp_event event);
};

/**
 * vfpga_kp_register() - make a plugin available to VFPGA_KP_OPEN
 * @ops: the plugin; must stay valid until vfpga_kp_unregister()
 *
 * Process context, from the plugin's module_init.  Runs @ops->init.
 *
 * Return: 0; -EINVAL (an empty or too long name; in kernel mode, no
 * owner either), -EEXIST (a plugin of that name is registered), -ENOMEM
 * (kernel mode), -ENOSPC (user mode: the host's table is full), or what
 * @ops->init returned.
 */
VFPGA_EXPORT
int vfpga_kp_register(const struct vfpga_kp_ops *ops);

/**
 * vfpga_kp_unregister() - take a plugin out of the registry
 * @ops: what was given to vfpga_kp_register()
 *
 * Process context, from the plugin's module_exit (no handle has it open
 * then: each holds the module), or from a module_init that fails after
 * registering.  Tells the plugin VFPGA_KP_EVENT_UNLOAD.  Does nothing for
 * @ops that is not registered.
 */
VFPGA_EXPORT
void vfpga_kp_unregister(const struct vfpga_kp_ops *ops);

/**
 * vfpga_kp_dying() - is the handle's board going away?
 * @h: the handle
 *
 * Any context.  Once true it stays true: remove() has begun (and waits
 * for the callback that asks), or the board stopped answering (surprise
 * removal).  A callback that loops on the board checks it.
 *
 * Return: true when the board is going or gone.
 */
VFPGA_EXPORT
bool vfpga_kp_dying(struct vfpga_kp_handle *h);

/**
 * vfpga_kp_wait_until() - sleep until a condition, or until the board goes
 * @h: the handle
 * @done: the condition; called with @arg, possibly several times and in
 *	a sleeping task's state: it must not sleep (vfpga_kp_lock() is fine)
 * @arg: passed to @done
 * @timeout_ms: the longest wait; 0 checks once and does not sleep
 *
 * Process context only (open, close, call, int_at_dpc).  The way for a
 * callback to wait for its board, e.g. for an interrupt its int_at_irql
 * or int_at_dpc will see: whoever makes @done true calls vfpga_kp_wake().
 * The wait ends as soon as the board is going away, so that remove()
 * does not wait on it (see "Removal" above).
 *
 * Return: 0 when @done(@arg) is true; -ENODEV when the board is going or
 * gone; -ETIMEDOUT; -EINTR on a signal (kernel mode).
 */
VFPGA_EXPORT
int vfpga_kp_wait_until(struct vfpga_kp_handle *h, bool (*done)(void *arg),
			void *arg, unsigned int timeout_ms);

/**
 * vfpga_kp_wake() - wake the vfpga_kp_wait_until() callers of a handle
 * @h: the handle
 *
 * Any context, int_at_irql too.  The handle's waiters check their
 * condition again (in kernel mode so do those of the board's other
 * handles: call it when a condition may have changed, not per byte).
 */
VFPGA_EXPORT
void vfpga_kp_wake(struct vfpga_kp_handle *h);

/**
 * vfpga_kp_int_acked() - did the core acknowledge this interrupt already?
 * @h: the handle
 *
 * For int_at_irql.  In kernel mode int_at_irql is the first to see an
 * interrupt, and checks and acknowledges it at the device itself.  In user
 * mode the core driver's handler has acknowledged it before libvfpga's
 * interrupt thread calls int_at_irql (a level INTx line would otherwise
 * fire until user space ran), so the device no longer shows it pending:
 * int_at_irql then takes it as its own without checking the device, and
 * skips its acknowledge.  Asking keeps one plugin source right in both
 * modes, and the host knows nothing of the device's registers.
 *
 * Return: true in user mode while int_at_irql runs for @h; false in
 * kernel mode and outside int_at_irql.
 */
#ifdef __KERNEL__
static inline bool vfpga_kp_int_acked(struct vfpga_kp_handle *h)
{
	return false;
}
#else
VFPGA_EXPORT
bool vfpga_kp_int_acked(struct vfpga_kp_handle *h);
#endif

/**
 * vfpga_kp_read32() - read a register of the handle's board
 * @h: the handle
 * @bar: any memory BAR of the board
 * @offset: byte offset in @bar, aligned to the access width
 *
 * The four accessors work in any context, the plugin's own timers and
 * threads too: remove() waits for accesses that have begun before it
 * lets the BARs go.  An access outside the BAR, misaligned, or after the
 * board is gone (removed, or found gone by a surprise removal) reads
 * all-ones and writes nothing.
 *
 * Return: the register's value, or all-ones.
 */
VFPGA_EXPORT
u32 vfpga_kp_read32(struct vfpga_kp_handle *h, unsigned int bar, u64 offset);

/**
 * vfpga_kp_write32() - write a register of the handle's board
 * @h: the handle
 * @bar: any memory BAR of the board
 * @offset: byte offset in @bar, 4-byte aligned
 * @value: what to write
 *
 * As vfpga_kp_read32(): any context; a bad access writes nothing.
 */
VFPGA_EXPORT
void vfpga_kp_write32(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u32 value);

/**
 * vfpga_kp_read64() - one 64-bit read of the handle's board
 * @h: the handle
 * @bar: any memory BAR of the board
 * @offset: byte offset in @bar, 8-byte aligned
 *
 * As vfpga_kp_read32().  On BAR0 it reads a LO/HI register pair, low word
 * first, in one access (vfpga_regs.h).
 *
 * Return: the value, or all-ones.
 */
VFPGA_EXPORT
u64 vfpga_kp_read64(struct vfpga_kp_handle *h, unsigned int bar, u64 offset);

/**
 * vfpga_kp_write64() - one 64-bit write to the handle's board
 * @h: the handle
 * @bar: any memory BAR of the board
 * @offset: byte offset in @bar, 8-byte aligned
 * @value: what to write
 *
 * As vfpga_kp_read32(): any context; a bad access writes nothing.
 */
VFPGA_EXPORT
void vfpga_kp_write64(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u64 value);

/**
 * struct vfpga_kp_dma_buf - a DMA buffer of a plugin
 * @cpu: the plugin's view of the buffer
 * @size: its size in bytes (the size asked for, rounded up to pages)
 *
 * DMA calls are for process context only (open, close, call, int_at_dpc):
 * they sleep.  A buffer is the plugin's memory that the board can reach;
 * the plugin reads and writes it through @cpu.  Up to 64 MiB; the core
 * frees what a handle still holds when it closes.  Both fields are for
 * the plugin to read: the core keeps its own copies and never trusts
 * these (a transfer outside the buffer as allocated is -ERANGE, whatever
 * @size says).
 *
 * Several transfers may run on one buffer at once, on different channels
 * and parts of it: each transfer does the cache maintenance of its own
 * part only.  vfpga_kp_dma_free() of a buffer waits for the transfers
 * running on it; a transfer that starts after the free is -EINVAL.
 */
struct vfpga_kp_dma_buf {
	void *cpu;
	size_t size;
};

/**
 * enum vfpga_kp_dma_dir - which way vfpga_kp_dma_xfer() moves data
 * @VFPGA_KP_DMA_H2C: buffer to card memory
 * @VFPGA_KP_DMA_C2H: card memory to buffer
 */
enum vfpga_kp_dma_dir {
	VFPGA_KP_DMA_H2C,
	VFPGA_KP_DMA_C2H,
};

/**
 * vfpga_kp_dma_alloc() - allocate a DMA buffer for the handle's board
 * @h: the handle
 * @size: bytes, up to 64 MiB; rounded up to pages
 * @buf: set to the buffer
 *
 * Process context.  The buffer is zeroed and belongs to @h: the core
 * frees it when the handle closes, if the plugin has not.
 *
 * Return: 0; -EINVAL (no @buf, @size 0 or too large), -ENOMEM, -ENODEV
 * (the board is going or gone).
 */
VFPGA_EXPORT
int vfpga_kp_dma_alloc(struct vfpga_kp_handle *h, size_t size,
		       struct vfpga_kp_dma_buf **buf);

/**
 * vfpga_kp_dma_free() - free a buffer of vfpga_kp_dma_alloc()
 * @h: the handle that allocated it
 * @buf: the buffer, or NULL (nothing is done)
 *
 * Process context.  Waits for the transfers running on @buf.  A pointer
 * that is not a buffer of @h is refused with a warning.
 */
VFPGA_EXPORT
void vfpga_kp_dma_free(struct vfpga_kp_handle *h,
		       struct vfpga_kp_dma_buf *buf);

/**
 * vfpga_kp_dma_xfer() - move data between a buffer and card memory
 * @h: the handle
 * @buf: a buffer of @h
 * @buf_offset: where in @buf
 * @dir: which way
 * @channel: the XDMA channel of that direction
 * @card_offset: where in card memory (BAR2)
 * @length: bytes
 * @status: if not NULL, gets the channel status
 *
 * Process context: one descriptor chain, completed by the channel's
 * interrupt, waited for here.  Cache maintenance of [@buf_offset,
 * @buf_offset + @length) is done here too.
 *
 * Return: 0; -EINVAL (direction, channel, zero length, not a buffer of
 * @h), -ERANGE (outside the buffer or card memory), -EIO (the engine
 * reported an error: see *@status), -ETIMEDOUT, -EINTR, -ENODEV.
 */
VFPGA_EXPORT
int vfpga_kp_dma_xfer(struct vfpga_kp_handle *h, struct vfpga_kp_dma_buf *buf,
		      size_t buf_offset, enum vfpga_kp_dma_dir dir,
		      unsigned int channel, u64 card_offset, size_t length,
		      u32 *status);

/*
 * vfpga_kp_stream_xfer() flag: the H2C transfer ends a packet (tlast).
 * The ioctl's own flag, so that a plugin's caller can name it too.
 */
#define VFPGA_KP_STREAM_EOP	VFPGA_STREAM_EOP

/**
 * vfpga_kp_stream_xfer() - one AXI4-Stream transfer through a buffer
 * @h: the handle
 * @buf: a buffer of @h
 * @buf_offset: where in @buf
 * @dir: H2C (the buffer to the stream) or C2H (the stream to the buffer)
 * @channel: a stream channel of that direction (&vfpga_info h2c_stream,
 *	c2h_stream)
 * @length: H2C, 1 byte to 4 MiB; C2H, room for 8 bytes to 4 MiB (whole
 *	8-byte beats of it are used)
 * @flags: H2C: VFPGA_KP_STREAM_EOP, or 0 to go on with the packet in the
 *	next transfer; C2H: 0
 * @timeout_ms: the longest wait for the stream; 0, the driver's 10 s
 * @done: if not NULL, the bytes given (H2C) or taken (C2H)
 * @eop: if not NULL, C2H: whether a packet ended at *@done
 * @status: if not NULL, gets the channel status
 *
 * Process context, like vfpga_kp_dma_xfer(), and the same as the
 * VFPGA_DMA_STREAM ioctl: a C2H transfer takes at most one packet and
 * never bytes of the next; a timeout or a signal stops the channel and
 * leaves it usable.  The bytes go through the core's bounce buffer, so
 * [@buf_offset, @buf_offset + @length) needs no cache maintenance.
 *
 * Return: 0; -EINVAL (direction, flags, not a stream channel, a length
 * the stream cannot take, not a buffer of @h), -ERANGE (outside the
 * buffer), -ETIMEDOUT, -EINTR, -EIO (the engine reported an error: see
 * *@status), -ENOMEM, -ENODEV.
 */
VFPGA_EXPORT
int vfpga_kp_stream_xfer(struct vfpga_kp_handle *h,
			 struct vfpga_kp_dma_buf *buf, size_t buf_offset,
			 enum vfpga_kp_dma_dir dir, unsigned int channel,
			 size_t length, unsigned int flags,
			 unsigned int timeout_ms, size_t *done, bool *eop,
			 u32 *status);

/**
 * vfpga_kp_time_ns() - monotonic time
 *
 * Any context.
 *
 * Return: nanoseconds of the monotonic clock.
 */
VFPGA_EXPORT
u64 vfpga_kp_time_ns(void);

/**
 * enum vfpga_kp_level - how much a vfpga_kp_log() line matters
 * @VFPGA_KP_ERR: an error
 * @VFPGA_KP_WARN: a warning
 * @VFPGA_KP_INFO: for information
 * @VFPGA_KP_DEBUG: for debugging (kernel mode: KERN_DEBUG)
 */
enum vfpga_kp_level {
	VFPGA_KP_ERR,
	VFPGA_KP_WARN,
	VFPGA_KP_INFO,
	VFPGA_KP_DEBUG,
};

/**
 * vfpga_kp_log() - log a line tagged with the board and the plugin
 * @h: the handle, or NULL (a line tagged "vfpga plugin")
 * @level: how much it matters
 * @fmt: printf format, and its arguments
 *
 * Any context; rate-limit what an interrupt handler prints.
 */
__printf(3, 4)
VFPGA_EXPORT
void vfpga_kp_log(struct vfpga_kp_handle *h, enum vfpga_kp_level level,
		  const char *fmt, ...);
#define vfpga_kp_err(h, fmt, ...) \
	vfpga_kp_log(h, VFPGA_KP_ERR, fmt, ##__VA_ARGS__)
#define vfpga_kp_warn(h, fmt, ...) \
	vfpga_kp_log(h, VFPGA_KP_WARN, fmt, ##__VA_ARGS__)
#define vfpga_kp_info(h, fmt, ...) \
	vfpga_kp_log(h, VFPGA_KP_INFO, fmt, ##__VA_ARGS__)

#ifdef __KERNEL__
/**
 * struct vfpga_kp_lock - a lock shared by int_at_irql and everything else
 * @lock: taken with interrupts off
 * @flags: saved by the holder
 *
 * Interrupts are off while it is held (on PREEMPT_RT a sleeping lock,
 * with interrupts on and int_at_irql in a thread).  One holder at a time
 * keeps the saved flags.  Taken with vfpga_kp_lock() and released with
 * vfpga_kp_unlock(), after vfpga_kp_lock_init().  (User mode: a mutex,
 * see vfpga_kp_user.h.)
 */
struct vfpga_kp_lock {
	spinlock_t lock;		/* taken with interrupts off */
	unsigned long flags;		/* saved by the holder */
};

/**
 * vfpga_kp_lock_init() - initialise a &struct vfpga_kp_lock
 * @l: the lock
 */
static inline void vfpga_kp_lock_init(struct vfpga_kp_lock *l)
{
	spin_lock_init(&l->lock);
}

/**
 * vfpga_kp_lock() - take @l, with interrupts off
 * @l: the lock
 */
static inline void vfpga_kp_lock(struct vfpga_kp_lock *l)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->flags = flags;
}

/**
 * vfpga_kp_unlock() - release @l and restore the interrupts it saved
 * @l: the lock
 */
static inline void vfpga_kp_unlock(struct vfpga_kp_lock *l)
{
	spin_unlock_irqrestore(&l->lock, l->flags);
}
#endif /* __KERNEL__ */

#endif /* VFPGA_KP_H */
