/* SPDX-License-Identifier: MIT */
/*
 * libvfpga: user-space access to vfpga boards through the vfpga driver.
 *
 * Conventions, everywhere in this library:
 *  - a function that can fail returns 0 (or a count) on success and a
 *    negative errno value on failure; vfpga_strerror() explains the value;
 *  - there is no global library state: everything hangs off one opaque
 *    struct vfpga_device, which one thread at a time may use unless a
 *    function says otherwise;
 *  - a struct vfpga_device lives from vfpga_open() to vfpga_close().
 */
#ifndef LIBVFPGA_H
#define LIBVFPGA_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "vfpga_export.h"	/* VFPGA_EXPORT: the library's API */

#ifdef __cplusplus
extern "C" {
#endif

struct vfpga_device;

#define VFPGA_MAX_BARS	6

enum vfpga_irq_mode {
	VFPGA_IRQ_INTX = 1,
	VFPGA_IRQ_MSI = 2,
	VFPGA_IRQ_MSIX = 3,
};

struct vfpga_device_info {
	uint16_t vendor;
	uint16_t device;
	uint16_t subsystem_vendor;
	uint16_t subsystem_device;
	uint32_t revision;
	uint32_t board_id;		/* user logic ID register */
	uint32_t board_version;		/* user logic VERSION register */
	uint32_t board_caps;		/* user logic CAPS register */
	enum vfpga_irq_mode irq_mode;
	uint32_t num_vectors;
	uint64_t bar_size[VFPGA_MAX_BARS];	/* 0: no such BAR */
	/*
	 * The board's shape, as the driver found it (docs/boards.md).  With
	 * a driver too old to say, @shape is false and the rest is the
	 * reference board's.
	 */
	bool shape;
	bool ref_logic;			/* user logic: the reference design */
	uint32_t num_h2c;		/* H2C DMA channels */
	uint32_t num_c2h;		/* C2H DMA channels */
	unsigned int user_bar;		/* BAR of the user logic */
	unsigned int config_bar;	/* BAR of the XDMA registers */
	int card_bar;			/* BAR showing card memory, -1: none */
	uint64_t card_size;		/* card memory DMA reaches, bytes */
	/*
	 * AXI4-Stream channels (bit n: channel n), which move data with
	 * vfpga_stream_write()/vfpga_stream_read() only; 0 with a driver
	 * too old to say.
	 */
	uint32_t h2c_stream;
	uint32_t c2h_stream;
};

/*
 * Open board @index (/dev/vfpga<index>).
 * Returns 0 and sets *@dev, or -ENOENT (no such board), -EACCES (no
 * permission), -ENODEV (the node is not a vfpga board, or its board is
 * being unbound or removed), -EPROTO (the driver speaks another API
 * version), -ENOMEM.
 */
VFPGA_EXPORT
int vfpga_open(unsigned int index, struct vfpga_device **dev);

/*
 * As vfpga_open(), for the board at PCI address @pci_address
 * ("0000:01:00.0", or "01:00.0" in PCI domain 0).  Returns -ENOENT when no
 * vfpga board sits there.
 */
VFPGA_EXPORT
int vfpga_open_pci(const char *pci_address, struct vfpga_device **dev);

/*
 * Write @dev's PCI address ("0000:01:00.0") into @buf of @len bytes.
 * Returns 0, -ERANGE (buf too small), -ENOENT (no sysfs entry).
 */
VFPGA_EXPORT
int vfpga_pci_address(struct vfpga_device *dev, char *buf, size_t len);

/* As vfpga_open(), for a device node given by path. */
VFPGA_EXPORT
int vfpga_open_path(const char *path, struct vfpga_device **dev);

/* Close @dev and free it; NULL is ignored. */
VFPGA_EXPORT
void vfpga_close(struct vfpga_device *dev);

/* Returns 0 and fills *@info, or a negative errno. */
VFPGA_EXPORT
int vfpga_get_info(struct vfpga_device *dev, struct vfpga_device_info *info);

/*
 * Read or write a register of @width bytes (1, 2, 4 or 8) at @offset in
 * BAR @bar.  Returns 0, or -EINVAL (bad width or misaligned offset),
 * -ENXIO (no such BAR), -ERANGE (outside the BAR), -ENODEV (board gone).
 */
VFPGA_EXPORT
int vfpga_reg_read(struct vfpga_device *dev, unsigned int bar,
		   uint64_t offset, unsigned int width, uint64_t *value);
VFPGA_EXPORT
int vfpga_reg_write(struct vfpga_device *dev, unsigned int bar,
		    uint64_t offset, unsigned int width, uint64_t value);

/* 32-bit shorthands for the common case. */
VFPGA_EXPORT
int vfpga_reg_read32(struct vfpga_device *dev, unsigned int bar,
		     uint64_t offset, uint32_t *value);
VFPGA_EXPORT
int vfpga_reg_write32(struct vfpga_device *dev, unsigned int bar,
		      uint64_t offset, uint32_t value);

/*
 * Start the user logic's interrupt generator: @count interrupts on user
 * line @line, handled and acknowledged by the driver.  Sets *@vector (may
 * be NULL) to the driver vector the line is routed to.  Returns 0, or
 * -EINVAL (line > 15 or count 0), -EBUSY (a run is still going),
 * -EOPNOTSUPP (the user logic is not the reference design: it has no
 * generator).
 */
VFPGA_EXPORT
int vfpga_irqgen_start(struct vfpga_device *dev, unsigned int line,
		       uint32_t count, unsigned int *vector);

/*
 * Wait until the interrupt generator has raised and seen acknowledged all
 * it was asked for, polling every millisecond for at most @timeout_ms.
 * Sets *@raised and *@acked (either may be NULL) to the device counters.
 * Returns 0, -ETIMEDOUT (still busy), -EOPNOTSUPP (the user logic is not
 * the reference design), or another negative errno.
 */
VFPGA_EXPORT
int vfpga_irqgen_wait(struct vfpga_device *dev, unsigned int timeout_ms,
		      uint32_t *raised, uint32_t *acked);

/*
 * Driver counters of vector @vector since driver load: interrupts handled
 * and interrupts that were not the board's (shared INTx).  Either pointer
 * may be NULL.  Returns 0 or -EINVAL (no such vector).
 */
VFPGA_EXPORT
int vfpga_irq_count(struct vfpga_device *dev, unsigned int vector,
		    uint64_t *handled, uint64_t *not_mine);

/*
 * Map BAR @bar into this process (uncached; register access without a
 * system call).  Sets *@addr and *@len.  Returns 0, or -ENXIO (no such
 * BAR), -ENODEV, or another negative errno from mmap().  The mapping lives
 * until vfpga_bar_unmap() or vfpga_close().
 */
VFPGA_EXPORT
int vfpga_bar_map(struct vfpga_device *dev, unsigned int bar,
		  volatile void **addr, uint64_t *len);
VFPGA_EXPORT
void vfpga_bar_unmap(struct vfpga_device *dev, unsigned int bar);

/* Accessors for a mapped BAR; @offset must be aligned and in range. */
static inline uint32_t vfpga_mmio_read32(volatile void *bar, uint64_t offset)
{
	return *(volatile uint32_t *)((volatile char *)bar + offset);
}

static inline void vfpga_mmio_write32(volatile void *bar, uint64_t offset,
				      uint32_t value)
{
	*(volatile uint32_t *)((volatile char *)bar + offset) = value;
}

/* What vfpga_irq_wait() reports: WinDriver's counter semantics. */
struct vfpga_irq_event {
	uint64_t count;		/* interrupts since this handle's last wait */
	uint64_t lost;		/* of those, ones without a wake-up: count - 1 */
	uint64_t total;		/* since the driver was loaded */
};

/*
 * Wait up to @timeout_ms (0: just look) for interrupts on vector @vector
 * that this handle has not been told about.  Safe to call from one thread
 * per vector while other threads use the handle.  Returns 0 and fills
 * *@ev; -ETIMEDOUT; -EINTR on a signal; -EINVAL for a bad vector; -ENODEV.
 */
VFPGA_EXPORT
int vfpga_irq_wait(struct vfpga_device *dev, unsigned int vector,
		   unsigned int timeout_ms, struct vfpga_irq_event *ev);

/*
 * Interrupt callbacks, WinDriver's InterruptEnable: a thread of the
 * library's waits on @vector and calls @cb(@ctx, &event) for every wake-up
 * (event.count says how many interrupts arrived since the previous call).
 * Returns 0, -EBUSY (this vector has a callback already), -EINVAL, or a
 * negative errno from pthread_create.  vfpga_irq_disable() stops and
 * joins the thread (not from inside @cb); vfpga_close() disables all.
 */
typedef void (*vfpga_irq_cb)(void *ctx, const struct vfpga_irq_event *ev);
VFPGA_EXPORT
int vfpga_irq_enable(struct vfpga_device *dev, unsigned int vector,
		     vfpga_irq_cb cb, void *ctx);
VFPGA_EXPORT
int vfpga_irq_disable(struct vfpga_device *dev, unsigned int vector);

/*
 * User-mode acknowledgement, one wake-up per interrupt (as UIO with INTx):
 * after vfpga_irq_user_ack_take(), the driver no longer acknowledges the
 * interrupt generator for user lines @lines (a bitmask of lines 0..15):
 * its handler masks a line that fires and wakes vfpga_irq_wait() callers.
 * The program handles the interrupt (for instance writes IRQGEN_ACK
 * through a vfpga_bar_map() mapping), then calls vfpga_irq_unmask(); an
 * interrupt still requested then arrives as a new one.
 * vfpga_irq_user_ack_give() (or vfpga_close()) hands the lines back.
 * Each sets *@owned (may be NULL) to the lines this handle has taken.
 * Returns 0; -EINVAL (@lines empty or above line 15; unmask or give of
 * lines this handle has not taken); -EBUSY (take: a kernel plugin has the
 * user interrupts, or another handle has one of the lines); -ENODEV.
 */
VFPGA_EXPORT
int vfpga_irq_user_ack_take(struct vfpga_device *dev, uint32_t lines,
			    uint32_t *owned);
VFPGA_EXPORT
int vfpga_irq_unmask(struct vfpga_device *dev, uint32_t lines);
VFPGA_EXPORT
int vfpga_irq_user_ack_give(struct vfpga_device *dev, uint32_t lines,
			    uint32_t *owned);

/* The handle's file descriptor, readable (poll) when interrupts wait. */
VFPGA_EXPORT
int vfpga_fd(struct vfpga_device *dev);

/* DMA */

struct vfpga_buffer;

/*
 * A DMA-coherent, physically contiguous buffer of at least @size bytes
 * (at most 4 MiB: physically contiguous), mapped into this process.  Returns 0 and sets *@buf;
 * -EINVAL, -ENOMEM, -ENOSPC (64 buffers per handle), -ENODEV.
 */
VFPGA_EXPORT
int vfpga_buffer_alloc(struct vfpga_device *dev, uint64_t size,
		       struct vfpga_buffer **buf);
/*
 * A scatter-gather buffer over @len bytes of this process's memory at
 * @addr (any alignment): pinned and mapped for DMA until freed, so that
 * transfers need not pin it each time.  Unlike a coherent buffer it needs
 * vfpga_buffer_sync() around transfers.  Returns 0 and sets *@buf;
 * -EINVAL, -EFAULT (memory that cannot be pinned), -ENOMEM, -ENOSPC,
 * -ENODEV.
 */
VFPGA_EXPORT
int vfpga_buffer_map_user(struct vfpga_device *dev, void *addr, uint64_t len,
			  struct vfpga_buffer **buf);

enum vfpga_sync {
	VFPGA_SYNC_CPU = 1,	/* after the board wrote it, before reading */
	VFPGA_SYNC_DEVICE = 2,	/* after writing it, before the board reads */
};

/* Make @buf coherent for the CPU or the board (no-op when coherent). */
VFPGA_EXPORT
int vfpga_buffer_sync(struct vfpga_buffer *buf, enum vfpga_sync dir);

/*
 * Free @buf (NULL is ignored); returns 0, or -EBUSY while a transfer uses
 * it (nothing is freed then), or another negative errno.
 */
VFPGA_EXPORT
int vfpga_buffer_free(struct vfpga_buffer *buf);
VFPGA_EXPORT
void *vfpga_buffer_ptr(const struct vfpga_buffer *buf);
VFPGA_EXPORT
uint64_t vfpga_buffer_size(const struct vfpga_buffer *buf);

/* Transfer options. */
#define VFPGA_DMA_POLL	(1u << 0)	/* complete by polling, not interrupt */

/*
 * Host to card (write) and card to host (read) through DMA channel
 * @channel, blocking until done.  The host side is user memory of any
 * alignment (pinned scatter-gather for the transfer) or, for the _buf
 * forms, a coherent buffer at @buf_offset.  Channels run in parallel;
 * these are thread-safe.  Returns 0, or -EINVAL (bad channel, length 0,
 * bad flags), -ERANGE (outside card memory or the buffer), -EFAULT,
 * -EBUSY (a read into memory sharing a cacheline with memory a device is
 * writing: another read's or a mapped vfpga_buffer's), -ENOMEM,
 * -EIO (the engine reported an error; *@status, if not NULL, has the
 * channel status), -ETIMEDOUT, -EINTR, -ENODEV.
 */
VFPGA_EXPORT
int vfpga_dma_write(struct vfpga_device *dev, unsigned int channel,
		    uint64_t card_offset, const void *src, uint64_t len,
		    unsigned int flags, uint32_t *status);
VFPGA_EXPORT
int vfpga_dma_read(struct vfpga_device *dev, unsigned int channel,
		   uint64_t card_offset, void *dst, uint64_t len,
		   unsigned int flags, uint32_t *status);
/* vfpga_stream_write() option: the write ends a packet (EOP, tlast). */
#define VFPGA_STREAM_END	(1u << 0)

/*
 * AXI4-Stream channels (vfpga_device_info's h2c_stream and c2h_stream):
 * packets, not card addresses.  Each call moves at most 4 MiB and waits
 * at most @timeout_ms (0: the driver's default, 10 s).  These are
 * thread-safe; a channel takes one call at a time.
 *
 * vfpga_stream_write() gives @len bytes (1 to 4 MiB) to H2C stream
 * @channel; with VFPGA_STREAM_END the last of them ends the packet,
 * otherwise the packet goes on with the next write.
 *
 * vfpga_stream_read() takes at most one packet from C2H stream @channel
 * into @len bytes (8 to 4 MiB; only whole 8-byte stream beats of it are
 * used): *@got is what came and *@eop whether the packet ended there
 * (false: the packet was longer, and its rest comes with the next read).
 * A read never returns bytes of two packets.
 *
 * A timeout or a signal stops the channel and leaves it usable: bytes a
 * stopped read had taken are lost; a stopped write may have given part.
 * Returns 0, or -EINVAL (not a stream channel, bad length or flags),
 * -EFAULT, -ETIMEDOUT (no data, or no room on the card, in time), -EINTR,
 * -EIO (the engine reported an error: *@status, if not NULL, has the
 * channel status), -ENODEV.
 */
VFPGA_EXPORT
int vfpga_stream_write(struct vfpga_device *dev, unsigned int channel,
		       const void *src, uint64_t len, unsigned int flags,
		       unsigned int timeout_ms, uint32_t *status);
VFPGA_EXPORT
int vfpga_stream_read(struct vfpga_device *dev, unsigned int channel,
		      void *dst, uint64_t len, unsigned int timeout_ms,
		      uint64_t *got, bool *eop, uint32_t *status);

VFPGA_EXPORT
int vfpga_dma_write_buffer(struct vfpga_buffer *buf, uint64_t buf_offset,
			   unsigned int channel, uint64_t card_offset,
			   uint64_t len, unsigned int flags, uint32_t *status);
VFPGA_EXPORT
int vfpga_dma_read_buffer(struct vfpga_buffer *buf, uint64_t buf_offset,
			  unsigned int channel, uint64_t card_offset,
			  uint64_t len, unsigned int flags, uint32_t *status);

/*
 * Asynchronous transfers: vfpga_dma_submit() starts a vfpga_dma_write()
 * (@write true) or vfpga_dma_read() on a thread of the library and returns
 * at once; @done, if not NULL, is called with @ctx and the result when it
 * ends.  vfpga_dma_wait() waits for the end, returns the transfer's result
 * and frees @xfer.  Every submitted transfer must be waited for.  Reads
 * (C2H) that run at the same time must not share a cacheline (64 bytes)
 * of host memory with each other or with any other device-written
 * buffer: the DMA API forbids it (on a non-coherent host the CPU's
 * write-back of the shared line undoes the device's write), and the
 * debug lane's DMA-API checking reports it.  Returns 0 and sets *@xfer,
 * or -ENOMEM or another negative errno.
 */
struct vfpga_xfer;
typedef void (*vfpga_dma_cb)(void *ctx, int result, uint32_t status);
VFPGA_EXPORT
int vfpga_dma_submit(struct vfpga_device *dev, int write,
		     unsigned int channel, uint64_t card_offset, void *host,
		     uint64_t len, unsigned int flags, vfpga_dma_cb done,
		     void *ctx, struct vfpga_xfer **xfer);
VFPGA_EXPORT
int vfpga_dma_wait(struct vfpga_xfer *xfer, uint32_t *status);

/*
 * Kernel plugins (vfpga_kp.h): modules that handle the board's
 * interrupts and answer messages in the kernel.  A struct vfpga_kp is one
 * open of a plugin on one board handle: close it with vfpga_kp_close()
 * before that handle's vfpga_close().
 */
struct vfpga_kp;

#define VFPGA_KP_MSG_SIZE_MAX	4096	/* largest in or out buffer */

/*
 * Open plugin @name on @dev.  Returns 0 and sets *@kp; -ENOENT (no plugin
 * of that name is loaded), -EINVAL (NULL or empty name), -ENAMETOOLONG
 * (31 characters at most), -ENOSPC (64 open plugins per board handle),
 * -ENOMEM, or the plugin's own error from its open.
 */
VFPGA_EXPORT
int vfpga_kp_open(struct vfpga_device *dev, const char *name,
		  struct vfpga_kp **kp);

/*
 * Where a plugin runs.  The same plugin source builds as a kernel module
 * and as a user-mode object (built against vfpga_kp.h without
 * __KERNEL__, linked into the program: it registers itself before main);
 * every vfpga_kp_* call below works the same on either.  In user mode
 * vfpga_kp_call() is a direct function call with the kernel path's buffer
 * checks and errnos; vfpga_kp_int_enable() runs the plugin's int_at_irql
 * and int_at_dpc on libvfpga's interrupt threads (vfpga_irq_enable() on
 * every vector with user lines, so -EBUSY if one has a callback already),
 * after the driver has acknowledged each interrupt; the event callback is
 * not called.
 */
enum vfpga_kp_mode {
	VFPGA_KP_KERNEL = 0,	/* the module loaded into the kernel */
	VFPGA_KP_USER = 1,	/* the object linked into this program */
};

/*
 * vfpga_kp_open() in mode @mode; -EINVAL for an unknown mode, -ENOENT in
 * user mode when no plugin of that name is linked in.
 */
VFPGA_EXPORT
int vfpga_kp_open_mode(struct vfpga_device *dev, const char *name,
		       enum vfpga_kp_mode mode, struct vfpga_kp **kp);

/*
 * Send message @msg with @in_len bytes at @in to the plugin; its reply,
 * at most *@out_len bytes, goes to @out and *@out_len is set to its
 * length (@out_len may be NULL when no reply is expected).  Returns the
 * plugin's non-negative result, or -E2BIG (a buffer larger than
 * VFPGA_KP_MSG_SIZE_MAX), -EFAULT (bad buffer), or the plugin's error (by
 * convention -ENOMSG for an unknown message, -EMSGSIZE when the reply does
 * not fit, -EINVAL for a bad request).
 */
VFPGA_EXPORT
int vfpga_kp_call(struct vfpga_kp *kp, uint32_t msg, const void *in,
		  size_t in_len, void *out, size_t *out_len);

/*
 * Give the board's user interrupts to the plugin (its int_at_irql and
 * int_at_dpc run in the kernel), or take them back.  Returns 0, -EBUSY
 * (enable: a plugin handle of the board has them already), or the
 * plugin's error from its int_enable.
 */
VFPGA_EXPORT
int vfpga_kp_int_enable(struct vfpga_kp *kp);
VFPGA_EXPORT
int vfpga_kp_int_disable(struct vfpga_kp *kp);

/*
 * Wait up to @timeout_ms (0: just look) for the wake-ups the plugin's
 * int_at_dpc asked for: @ev->count since this handle's previous wait,
 * @ev->lost = count - 1, @ev->total since the open.  Returns 0,
 * -ETIMEDOUT, -EINTR, -ENODEV, or -EINVAL when vfpga_kp_close() of @kp on
 * another thread ends the wait (@kp is freed once that close returns).
 */
VFPGA_EXPORT
int vfpga_kp_wait(struct vfpga_kp *kp, unsigned int timeout_ms,
		  struct vfpga_irq_event *ev);

/*
 * The core's measurements of a plugin (kernel mode only), summed over
 * every handle of the plugin since it registered: calls to its call, and
 * per int_at_irql and int_at_dpc the runs, time, longest run and a
 * histogram: hist[i] counts runs shorter than 2^(i + 8) ns, the last
 * bucket every longer one.
 */
#define VFPGA_KP_PERF_BUCKETS 16

struct vfpga_kp_perf_time {
	uint64_t count;
	uint64_t total_ns;
	uint64_t max_ns;
	uint64_t hist[VFPGA_KP_PERF_BUCKETS];
};

struct vfpga_kp_perf {
	uint64_t calls;
	struct vfpga_kp_perf_time irql;
	struct vfpga_kp_perf_time dpc;
};

/*
 * Fill @perf for @kp's plugin.  Returns 0, -EINVAL (NULL argument or bad
 * handle), -EOPNOTSUPP for a plugin hosted in user mode: the core
 * measures plugins in the kernel only.
 */
VFPGA_EXPORT
int vfpga_kp_perf(struct vfpga_kp *kp, struct vfpga_kp_perf *perf);

/* Close @kp (NULL is ignored); returns 0 or a negative errno. */
VFPGA_EXPORT
int vfpga_kp_close(struct vfpga_kp *kp);

/* A sentence for a value returned by this library; never NULL. */
VFPGA_EXPORT
const char *vfpga_strerror(int err);

/* "MSI-X", "MSI", "INTx" or "unknown". */
VFPGA_EXPORT
const char *vfpga_irq_mode_name(enum vfpga_irq_mode mode);

#ifdef __cplusplus
}
#endif

#endif /* LIBVFPGA_H */
