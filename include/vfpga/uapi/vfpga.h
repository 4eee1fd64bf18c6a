/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vfpga driver user-space interface.
 *
 * Every ioctl below except VFPGA_GET_API_VERSION takes a pointer to a
 * struct that starts with argsz and flags.  User space sets argsz to
 * sizeof(struct) and flags to 0.  Structs grow only at the end, so that
 * callers built against any version work with any driver:
 *  - the driver accepts any argsz from the end of the struct's last field
 *    of its first version on (for every struct here: its size today),
 *    and fails a smaller one with -EINVAL;
 *  - of a larger struct than it knows it reads what it knows and
 *    requires the rest to be zero (a field it does not know, -EINVAL
 *    otherwise); of a smaller one it takes the missing fields as zero;
 *  - it writes back at most argsz bytes;
 *  - an unknown flag is -EINVAL, and so is a pad field that is not zero
 *    on input (pads may get a meaning later).
 * Unknown commands fail with -ENOTTY.  All structs have the same layout
 * for 32- and 64-bit (i386) callers, explicit padding included.
 */
#ifndef _UAPI_VFPGA_H
#define _UAPI_VFPGA_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * 1: mmap offsets are 32-bit regions (0 had 40-bit ones, out of reach of
 * a 32-bit process), struct vfpga_info is 96 bytes for i386 callers too.
 * (struct vfpga_info has grown to 128, then 136 bytes since, and
 * VFPGA_DMA_STREAM has come, by the rules above: no new version.)
 */
#define VFPGA_API_VERSION	1

#define VFPGA_MAGIC		0xBF
#define VFPGA_BASE		0

/**
 * VFPGA_GET_API_VERSION - _IO(VFPGA_MAGIC, VFPGA_BASE + 0)
 *
 * Report the version of this interface. No argument.
 * Return: VFPGA_API_VERSION.
 */
#define VFPGA_GET_API_VERSION	_IO(VFPGA_MAGIC, VFPGA_BASE + 0)

#define VFPGA_NUM_BARS		6

/* irq_mode values */
#define VFPGA_IRQ_MODE_INTX	1
#define VFPGA_IRQ_MODE_MSI	2
#define VFPGA_IRQ_MODE_MSIX	3

/* shape_flags */
#define VFPGA_INFO_SHAPE	(1u << 0)	/* the shape fields are filled */
#define VFPGA_INFO_REF_LOGIC	(1u << 1)	/* user logic: the reference */
#define VFPGA_INFO_STREAM	(1u << 2)	/* h2c_stream, c2h_stream filled */

/**
 * VFPGA_GET_INFO - _IO(VFPGA_MAGIC, VFPGA_BASE + 1)
 *
 * Describe the board: PCI identity, what its user logic reports, the
 * interrupt mode and vectors in use, and the size of every BAR (0 where the
 * board has none); since the board-shape fields (argsz 128): the DMA
 * channels of each direction, which BAR has which role, and the card
 * memory the DMA engine reaches.  A driver that fills them sets
 * VFPGA_INFO_SHAPE in @shape_flags (an older one leaves them 0);
 * VFPGA_INFO_REF_LOGIC says the user logic is the reference design
 * (VFPGA_ID_MAGIC), with its interrupt generator and fault registers.
 * @card_size is the card BAR's size or, on a board without a card BAR,
 * the driver's card_size module parameter (0: no DMA).  Since argsz 136,
 * with VFPGA_INFO_STREAM: which channels are AXI4-Stream channels (their
 * engines' identifiers have the stream bit); VFPGA_DMA_XFER refuses them,
 * VFPGA_DMA_STREAM takes only them.
 * Return: 0 on success, -EINVAL for bad argsz or flags, -EFAULT for a bad
 * pointer, -ENODEV once the board is gone.
 */
struct vfpga_info {
	__u32 argsz;
	__u32 flags;
	__u16 vendor;
	__u16 device;
	__u16 subsystem_vendor;
	__u16 subsystem_device;
	__u32 revision;
	__u32 board_id;		/* user logic ID register */
	__u32 board_version;	/* user logic VERSION register */
	__u32 board_caps;	/* user logic CAPS register */
	__u32 irq_mode;		/* VFPGA_IRQ_MODE_* */
	__u32 num_vectors;	/* interrupt vectors allocated */
	__u32 pad[2];		/* bar_size at 48 on i386 too */
	__u64 bar_size[VFPGA_NUM_BARS];
	/* The board's shape (argsz 128 on) */
	__u32 shape_flags;	/* VFPGA_INFO_* */
	__u32 num_h2c;		/* H2C channels */
	__u32 num_c2h;		/* C2H channels */
	__u32 user_bar;		/* BAR of the user logic */
	__u32 config_bar;	/* BAR of the XDMA registers */
	__s32 card_bar;		/* BAR showing card memory, -1: none */
	__u64 card_size;	/* bytes of card memory DMA reaches */
	/* The channels' modes (argsz 136 on, VFPGA_INFO_STREAM) */
	__u32 h2c_stream;	/* bit n: H2C channel n is AXI4-Stream */
	__u32 c2h_stream;	/* bit n: C2H channel n is AXI4-Stream */
};

#define VFPGA_GET_INFO		_IO(VFPGA_MAGIC, VFPGA_BASE + 1)

/**
 * VFPGA_REG_READ - _IO(VFPGA_MAGIC, VFPGA_BASE + 2)
 * VFPGA_REG_WRITE - _IO(VFPGA_MAGIC, VFPGA_BASE + 3)
 *
 * Read or write one register of @width bytes (1, 2, 4 or 8) at @offset in
 * memory BAR @bar.  @offset must be a multiple of @width.
 * The config BAR, the DMA engine's registers (BAR 1 of the reference
 * board; VFPGA_GET_INFO's config_bar), needs CAP_SYS_RAWIO (for mmap() too):
 * whoever programs its descriptors makes the board read and write any bus
 * address.
 * Return: 0 on success; -EINVAL for bad argsz, flags, width or alignment;
 * -ENXIO for a BAR the board does not have; -ERANGE when the access does
 * not fit inside the BAR; -EPERM for the config BAR without
 * CAP_SYS_RAWIO; -EFAULT for a bad pointer; -ENODEV once the board is gone.
 */
struct vfpga_reg {
	__u32 argsz;
	__u32 flags;
	__u32 bar;
	__u32 width;
	__u64 offset;
	__u64 value;		/* out for READ, in for WRITE */
};

#define VFPGA_REG_READ		_IO(VFPGA_MAGIC, VFPGA_BASE + 2)
#define VFPGA_REG_WRITE		_IO(VFPGA_MAGIC, VFPGA_BASE + 3)

/**
 * VFPGA_IRQGEN_START - _IO(VFPGA_MAGIC, VFPGA_BASE + 4)
 *
 * Make the user logic's interrupt generator raise @count interrupts on user
 * line @line, each after the driver acknowledged the previous one.  The
 * driver reports in @vector which of its vectors the line is routed to.
 * Return: 0 on success; -EINVAL for bad argsz or flags, a line outside
 * 0..15 or a zero count; -EOPNOTSUPP when the user logic is not the
 * reference design (it has no generator); -EBUSY while a previous run is
 * still going; -EFAULT for a bad pointer; -ENODEV once the board is gone.
 */
struct vfpga_irqgen {
	__u32 argsz;
	__u32 flags;
	__u32 line;		/* in */
	__u32 count;		/* in */
	__u32 vector;		/* out */
	__u32 pad;
};

#define VFPGA_IRQGEN_START	_IO(VFPGA_MAGIC, VFPGA_BASE + 4)

/**
 * VFPGA_IRQ_COUNT - _IO(VFPGA_MAGIC, VFPGA_BASE + 5)
 *
 * Read the driver's counters of vector @vector: interrupts handled (the
 * board had a line pending) and interrupts that were not the board's
 * (possible only on a shared INTx line).  Counters run from driver load.
 * Return: 0 on success; -EINVAL for bad argsz or flags or a vector outside
 * 0..num_vectors-1; -EFAULT for a bad pointer; -ENODEV once the board is
 * gone.
 */
struct vfpga_irq_count {
	__u32 argsz;
	__u32 flags;
	__u32 vector;		/* in */
	__u32 pad;
	__u64 handled;		/* out */
	__u64 not_mine;		/* out */
};

#define VFPGA_IRQ_COUNT		_IO(VFPGA_MAGIC, VFPGA_BASE + 5)

/*
 * mmap() offsets.  A BAR maps at VFPGA_BAR_MMAP_OFFSET(bar), a DMA buffer
 * at the offset VFPGA_DMA_ALLOC returned; lengths are whole pages, from
 * the region's start.  The config BAR maps for CAP_SYS_RAWIO only (-EPERM
 * otherwise), as VFPGA_REG_READ says.  Regions are 4 GiB apart: the last
 * one ends below 2^39, so a 32-bit process reaches every one through
 * mmap2 (a 64-bit off_t: build with _FILE_OFFSET_BITS=64, as libvfpga
 * does).
 */
#define VFPGA_MMAP_REGION_SHIFT		32
#define VFPGA_BAR_MMAP_OFFSET(bar)	((__u64)(bar) << VFPGA_MMAP_REGION_SHIFT)
#define VFPGA_DMA_MMAP_REGION_FIRST	8

/**
 * VFPGA_IRQ_WAIT - _IO(VFPGA_MAGIC, VFPGA_BASE + 6)
 *
 * Wait until vector @vector has had interrupts this file has not yet been
 * told about, for at most @timeout_ms (0: do not block).  Nothing is ever
 * collapsed: @count says how many arrived since this file's previous wait
 * on the vector, @lost how many of those the caller got no wake-up of its
 * own for (count - 1), @total how many since the driver was loaded.
 * poll() reports POLLIN while any vector has such interrupts.
 * Return: 0; -ETIMEDOUT when none arrived in time; -EINTR on a signal;
 * -EINVAL for bad argsz or flags or vector; -EFAULT; -ENODEV once the
 * board is gone.
 */
struct vfpga_irq_wait {
	__u32 argsz;
	__u32 flags;
	__u32 vector;		/* in */
	__u32 timeout_ms;	/* in */
	__u64 count;		/* out */
	__u64 lost;		/* out */
	__u64 total;		/* out */
};

#define VFPGA_IRQ_WAIT		_IO(VFPGA_MAGIC, VFPGA_BASE + 6)

/**
 * VFPGA_DMA_ALLOC - _IO(VFPGA_MAGIC, VFPGA_BASE + 7)
 * VFPGA_DMA_FREE - _IO(VFPGA_MAGIC, VFPGA_BASE + 8)
 *
 * Allocate a DMA-coherent, physically contiguous buffer of @size bytes
 * (rounded up to pages, at most VFPGA_DMA_BUF_MAX), owned by this file;
 * map it with mmap() at @mmap_offset.  FREE takes @id back.  Coherent
 * buffers need no sync.
 * Return: 0; -EINVAL for bad argsz, flags or size, or an unknown id;
 * -ENOMEM; -ENOSPC when the file holds VFPGA_DMA_BUFS_MAX buffers;
 * -EFAULT for a bad pointer; -EBUSY (FREE) while the buffer is mapped or
 * in a transfer, or for good once a transfer that used it left its channel
 * dead (VFPGA_DMA_XFER); -ENODEV once the board is gone.
 */
#define VFPGA_DMA_BUF_MAX	(4ULL << 20)	/* the page allocator's largest block */
#define VFPGA_DMA_BUFS_MAX	64

struct vfpga_dma_buf {
	__u32 argsz;
	__u32 flags;
	__u32 id;		/* out for ALLOC, in for FREE */
	__u32 pad;
	__u64 size;		/* in for ALLOC */
	__u64 mmap_offset;	/* out */
};

#define VFPGA_DMA_ALLOC		_IO(VFPGA_MAGIC, VFPGA_BASE + 7)
#define VFPGA_DMA_FREE		_IO(VFPGA_MAGIC, VFPGA_BASE + 8)

/* dir values */
#define VFPGA_DMA_H2C		0	/* host memory to card memory */
#define VFPGA_DMA_C2H		1	/* card memory to host memory */

/* vfpga_dma_xfer flags */
#define VFPGA_XFER_USER_PTR	(1u << 0)	/* host side is @user_addr */
#define VFPGA_XFER_POLL		(1u << 1)	/* complete by poll-mode writeback */
#define VFPGA_XFER_SG_BUF	(1u << 2)	/* host side is SG buffer @buf_id */

/**
 * VFPGA_DMA_XFER - _IO(VFPGA_MAGIC, VFPGA_BASE + 9)
 *
 * Move @length bytes between card memory at @card_offset and host memory,
 * through XDMA channel @channel of direction @dir, and wait for the end.
 * The host side is coherent buffer @buf_id at @buf_offset; with
 * VFPGA_XFER_SG_BUF, SG buffer @buf_id at @buf_offset (the caller syncs it);
 * with VFPGA_XFER_USER_PTR, ordinary user memory at @user_addr (any
 * alignment; pinned and mapped scatter-gather for the transfer, synced
 * before return).  Completion comes from the channel interrupt, or with
 * VFPGA_XFER_POLL from the engine's writeback, polled.  Channels work in
 * parallel; a busy channel is waited for.
 * Return: 0 with @status the channel status; -EINVAL for bad argsz,
 * flags, dir, channel, zero length or unknown buffer, or an AXI4-Stream
 * channel (VFPGA_DMA_STREAM moves its data); -ERANGE when a
 * range does not fit card memory or the buffer; -EFAULT for bad user
 * memory; -E2BIG when user memory (VFPGA_XFER_USER_PTR) is longer than
 * VFPGA_DMA_PIN_MAX; -EBUSY when user memory a C2H transfer would write
 * shares a cacheline with memory mapped for a device to write (an SG
 * buffer, or another C2H transfer's, of any file or board: the DMA API
 * allows one such mapping of a line); -ENOMEM; -EIO when the engine
 * reported an error (see @status);
 * -ETIMEDOUT; -EINTR on a signal (the transfer is stopped); -ENODEV.
 * A channel whose engine does not stop when told (after a signal, a
 * timeout or an error) is dead: that transfer fails with -EIO, and so
 * does every later one on the channel until the driver is bound again
 * after a reset of the board; the other channels keep working.  The
 * memory the engine may still use is never freed (the driver logs it):
 * a buffer it used stays in the file (VFPGA_DMA_FREE and
 * VFPGA_DMA_SG_UNMAP say -EBUSY), pinned user memory stays pinned.
 */
struct vfpga_dma_xfer {
	__u32 argsz;
	__u32 flags;
	__u32 dir;		/* VFPGA_DMA_H2C or VFPGA_DMA_C2H */
	__u32 channel;
	__u64 card_offset;
	__u64 length;
	__u64 user_addr;	/* with VFPGA_XFER_USER_PTR */
	__u32 buf_id;		/* otherwise */
	__u32 status;		/* out: XDMA channel status */
	__u64 buf_offset;
	__u64 descriptors;	/* out: descriptors the chain used */
};

#define VFPGA_DMA_XFER		_IO(VFPGA_MAGIC, VFPGA_BASE + 9)

/* vfpga_dma_sg flags, for SYNC */
#define VFPGA_SYNC_FOR_CPU	1	/* after the device wrote, to read */
#define VFPGA_SYNC_FOR_DEVICE	2	/* after the CPU wrote, to transfer */

/**
 * VFPGA_DMA_SG_MAP - _IO(VFPGA_MAGIC, VFPGA_BASE + 10)
 * VFPGA_DMA_SG_UNMAP - _IO(VFPGA_MAGIC, VFPGA_BASE + 11)
 * VFPGA_DMA_SG_SYNC - _IO(VFPGA_MAGIC, VFPGA_BASE + 12)
 *
 * MAP pins @length bytes of user memory at @user_addr and maps them for
 * DMA, scatter-gather, until UNMAP or close: an SG buffer that DMA_XFER
 * uses (VFPGA_XFER_SG_BUF) without pinning again.  Its owner keeps it
 * coherent: SYNC with VFPGA_SYNC_FOR_DEVICE after the CPU wrote it and
 * before a transfer reads it, VFPGA_SYNC_FOR_CPU after a transfer wrote it
 * and before the CPU reads it.
 * An SG buffer is at most VFPGA_DMA_PIN_MAX bytes, pinned long-term and
 * charged against the caller's RLIMIT_MEMLOCK unless it has CAP_IPC_LOCK,
 * as RDMA's registered memory is (VmPin in /proc/PID/status), until UNMAP,
 * close or the board's removal.
 * Return: 0; -EINVAL for bad argsz or flags, zero length or an unknown
 * id; -E2BIG for a length above VFPGA_DMA_PIN_MAX; -EFAULT for memory
 * that cannot be pinned; -ENOMEM, also when RLIMIT_MEMLOCK would be
 * exceeded; -ENOSPC when the file holds VFPGA_DMA_BUFS_MAX SG buffers;
 * -EBUSY for MAP of memory that shares a cacheline (by physical page)
 * with memory mapped for a device to write: an SG buffer, or a C2H
 * transfer's, of any file or board, or the same page twice in this range
 * (the DMA API allows one such mapping of a line), for UNMAP while a
 * transfer uses the buffer (nothing is unmapped then), or for good once a
 * transfer that used it left its channel dead;
 * -ENODEV.
 */
#define VFPGA_DMA_PIN_MAX	(1ULL << 30)	/* bytes one pin may cover */

struct vfpga_dma_sg {
	__u32 argsz;
	__u32 flags;		/* SYNC: VFPGA_SYNC_*; otherwise 0 */
	__u32 id;		/* out for MAP, in for UNMAP and SYNC */
	__u32 pad;
	__u64 user_addr;	/* in for MAP */
	__u64 length;		/* in for MAP */
};

#define VFPGA_DMA_SG_MAP	_IO(VFPGA_MAGIC, VFPGA_BASE + 10)
#define VFPGA_DMA_SG_UNMAP	_IO(VFPGA_MAGIC, VFPGA_BASE + 11)
#define VFPGA_DMA_SG_SYNC	_IO(VFPGA_MAGIC, VFPGA_BASE + 12)

/*
 * Kernel plugins (vfpga_kp.h): modules that register with the
 * driver by name and handle the board's user interrupts and messages in
 * the kernel.  A handle is valid on the file that opened it, until
 * VFPGA_KP_CLOSE or close().  Every call below returns -EINVAL for bad
 * argsz or flags or a handle this file does not have, -EFAULT for a bad
 * pointer, -ENODEV once the board is gone.
 */
#define VFPGA_KP_NAME_SIZE	32	/* a plugin name, with its NUL */
#define VFPGA_KP_MSG_MAX	4096	/* the largest in or out buffer */
#define VFPGA_KP_HANDLES_MAX	64	/* open handles per file */

/**
 * VFPGA_KP_OPEN - _IO(VFPGA_MAGIC, VFPGA_BASE + 13)
 *
 * Open plugin @name (NUL-terminated) on this board; the plugin's open
 * callback runs.  The plugin cannot unload until the handle is closed.
 * Return: 0 and @handle; -ENOENT when no plugin has that name; -EINVAL
 * for a name without a NUL; -ENOSPC when the file holds
 * VFPGA_KP_HANDLES_MAX handles; the plugin's errno when its open fails.
 */
struct vfpga_kp_open {
	__u32 argsz;
	__u32 flags;
	char name[VFPGA_KP_NAME_SIZE];	/* in */
	__u32 handle;			/* out */
	__u32 pad;
};

#define VFPGA_KP_OPEN		_IO(VFPGA_MAGIC, VFPGA_BASE + 13)

/**
 * VFPGA_KP_CALL - _IO(VFPGA_MAGIC, VFPGA_BASE + 14)
 *
 * Send message @msg to the plugin of @handle: @in_size bytes at @in are
 * copied in, the plugin's reply (at most @out_size bytes) is copied to
 * @out and its length stored in @out_size.  Both sizes are at most
 * VFPGA_KP_MSG_MAX.
 * Return: 0 with @result the plugin's non-negative result; -E2BIG for a
 * buffer larger than VFPGA_KP_MSG_MAX; the plugin's errno (by convention
 * -ENOMSG for an unknown message, -EMSGSIZE for an out buffer too small,
 * -EINVAL for a bad request).  A bad @out pointer fails with -EFAULT after
 * the plugin ran.
 */
struct vfpga_kp_call {
	__u32 argsz;
	__u32 flags;
	__u32 handle;		/* in */
	__u32 msg;		/* in: the plugin's message id */
	__u64 in;		/* in: user pointer */
	__u64 out;		/* in: user pointer */
	__u32 in_size;		/* in */
	__u32 out_size;		/* in: room at @out; out: reply length */
	__u32 result;		/* out */
	__u32 pad;
};

#define VFPGA_KP_CALL		_IO(VFPGA_MAGIC, VFPGA_BASE + 14)

/**
 * VFPGA_KP_CLOSE - _IO(VFPGA_MAGIC, VFPGA_BASE + 15)
 * VFPGA_KP_INT_ENABLE - _IO(VFPGA_MAGIC, VFPGA_BASE + 16)
 * VFPGA_KP_INT_DISABLE - _IO(VFPGA_MAGIC, VFPGA_BASE + 17)
 *
 * CLOSE disables the handle's interrupts, runs the plugin's close and
 * forgets @handle.  INT_ENABLE gives the board's user interrupts to the
 * plugin of @handle: its int_at_irql acknowledges them instead of the
 * driver, its int_at_dpc runs deferred.  One handle per board at a time;
 * INT_DISABLE gives them back.
 * Return: 0; -EBUSY (INT_ENABLE) when a handle of the board has them
 * already; the plugin's errno when its int_enable fails.
 */
struct vfpga_kp_handle_arg {
	__u32 argsz;
	__u32 flags;
	__u32 handle;		/* in */
	__u32 pad;
};

#define VFPGA_KP_CLOSE		_IO(VFPGA_MAGIC, VFPGA_BASE + 15)
#define VFPGA_KP_INT_ENABLE	_IO(VFPGA_MAGIC, VFPGA_BASE + 16)
#define VFPGA_KP_INT_DISABLE	_IO(VFPGA_MAGIC, VFPGA_BASE + 17)

/**
 * VFPGA_KP_WAIT - _IO(VFPGA_MAGIC, VFPGA_BASE + 18)
 *
 * Wait up to @timeout_ms (0: do not block) for wake-ups of @handle's
 * plugin that this handle has not been told about: each int_at_dpc run
 * wakes user mode as many times as it returns.  As VFPGA_IRQ_WAIT:
 * @count wake-ups since the previous wait, @lost = count - 1, @total since
 * the handle was opened.
 * Return: 0; -ETIMEDOUT; -EINTR on a signal; -EINVAL also when another
 * thread closes the handle during the wait, which ends it at once.
 */
struct vfpga_kp_wait {
	__u32 argsz;
	__u32 flags;
	__u32 handle;		/* in */
	__u32 timeout_ms;	/* in */
	__u64 count;		/* out */
	__u64 lost;		/* out */
	__u64 total;		/* out */
};

#define VFPGA_KP_WAIT		_IO(VFPGA_MAGIC, VFPGA_BASE + 18)

/**
 * VFPGA_KP_STATS - _IO(VFPGA_MAGIC, VFPGA_BASE + 19)
 *
 * The core's measurements of @handle's plugin, summed over every handle
 * of that plugin since it registered: @calls to its call, and for
 * int_at_irql and int_at_dpc the runs, the time spent in them, the
 * longest run and a histogram: hist[i] counts runs shorter than
 * 2^(i + 8) ns (hist[0]: below 256 ns), the last bucket every longer one.
 * Return: 0; -EINVAL for a bad handle.
 */
#define VFPGA_KP_HIST_BUCKETS	16

struct vfpga_kp_timing_out {
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
	__u64 hist[VFPGA_KP_HIST_BUCKETS];
};

struct vfpga_kp_stats {
	__u32 argsz;
	__u32 flags;
	__u32 handle;		/* in */
	__u32 pad;
	__u64 calls;				/* out */
	struct vfpga_kp_timing_out irql;	/* out */
	struct vfpga_kp_timing_out dpc;		/* out */
};

#define VFPGA_KP_STATS		_IO(VFPGA_MAGIC, VFPGA_BASE + 19)

/**
 * VFPGA_IRQ_USER_ACK - _IO(VFPGA_MAGIC, VFPGA_BASE + 20)
 *
 * User space acknowledges the board's user interrupts itself, one wake-up
 * per interrupt, as UIO does for INTx.  @op says what to do with user
 * lines @lines (a bitmask of lines 0..15):
 *  - VFPGA_USER_ACK_TAKE: this file acknowledges @lines from now on.  The
 *    driver's handler no longer acknowledges the interrupt generator for
 *    them: it masks the pending line in the XDMA IRQ block
 *    (USER_INT_EN_W1C), counts the interrupt and wakes VFPGA_IRQ_WAIT
 *    callers.  User space then handles it (for instance reads the device
 *    clock and writes IRQGEN_ACK through its BAR0 mapping) and unmasks.
 *    Taking lines the file has already is allowed (and adds to them).
 *  - VFPGA_USER_ACK_UNMASK: re-enable @lines (taken by this file) after
 *    handling.  An interrupt still requested then arrives as a new one.
 *  - VFPGA_USER_ACK_GIVE: give @lines back to the driver and unmask them.
 * close() gives back every line the file has.  @owned returns the lines
 * the file has after the call.
 * Return: 0; -EINVAL for bad argsz or flags, an unknown @op, @lines empty
 * or with bits above line 15, or (UNMASK, GIVE) lines this file has not
 * taken; -EBUSY (TAKE) when a kernel plugin has the board's user
 * interrupts (VFPGA_KP_INT_ENABLE) or another file has taken any of
 * @lines; -EFAULT; -ENODEV once the board is gone.  While a file has
 * lines, VFPGA_KP_INT_ENABLE fails with -EBUSY.
 */
#define VFPGA_USER_ACK_TAKE	1
#define VFPGA_USER_ACK_UNMASK	2
#define VFPGA_USER_ACK_GIVE	3

struct vfpga_irq_user_ack {
	__u32 argsz;
	__u32 flags;
	__u32 op;		/* in: VFPGA_USER_ACK_* */
	__u32 lines;		/* in: bitmask of user lines */
	__u32 owned;		/* out: the lines this file has taken */
	__u32 pad;
};

#define VFPGA_IRQ_USER_ACK	_IO(VFPGA_MAGIC, VFPGA_BASE + 20)

/* vfpga_dma_stream flags (in, H2C) and eop (out, C2H) */
#define VFPGA_STREAM_EOP	(1u << 0)	/* the write ends a packet */

#define VFPGA_STREAM_MAX	(4ULL << 20)	/* bytes one call moves */
#define VFPGA_STREAM_WIDTH	8		/* C2H reads whole beats */

/**
 * VFPGA_DMA_STREAM - _IO(VFPGA_MAGIC, VFPGA_BASE + 21)
 *
 * One transfer on AXI4-Stream channel @channel of direction @dir
 * (VFPGA_INFO_STREAM says which are streams), from or to user memory at
 * @user_addr, waiting at most @timeout_ms (0: 10 s, and one more second
 * per 16 MiB).
 *  - H2C: write @length bytes (1 to VFPGA_STREAM_MAX) to the stream; with
 *    VFPGA_STREAM_EOP in @flags the last of them ends a packet (tlast),
 *    otherwise the packet goes on with the next write.  @done is @length.
 *  - C2H: read into @length bytes (VFPGA_STREAM_WIDTH to
 *    VFPGA_STREAM_MAX; only a whole number of 8-byte stream beats is
 *    used) at most one packet, or the part of one that fits: @done is
 *    what came, @eop 1 when the packet ended there (0: the rest of it
 *    comes with the next read).  Packet boundaries are kept: a read
 *    never returns bytes of two packets.
 * A timeout or a signal stops the channel, which works again for the
 * next call: what a stopped read had taken of a packet is lost (the
 * packet's remaining bytes come with the next read), what a stopped
 * write had given the card stays given.
 * Return: 0 with @done, @eop and @status (the channel status); -EINVAL
 * for bad argsz, flags, dir, channel, length or padding, or a channel
 * that is memory-mapped; -EFAULT for bad user memory; -ETIMEDOUT (nothing
 * came, or the card took nothing, in time); -EINTR on a signal; -EIO when
 * the engine reported an error (see @status) or its writeback is
 * malformed; -ENODEV.  A channel whose engine will not stop is dead, as
 * for VFPGA_DMA_XFER.
 */
struct vfpga_dma_stream {
	__u32 argsz;
	__u32 flags;		/* VFPGA_STREAM_EOP (H2C only) */
	__u32 dir;		/* VFPGA_DMA_H2C or VFPGA_DMA_C2H */
	__u32 channel;
	__u64 user_addr;
	__u64 length;		/* bytes to write, or room to read into */
	__u64 done;		/* out: bytes written or read */
	__u32 timeout_ms;	/* 0: the driver's default */
	__u32 status;		/* out: XDMA channel status */
	__u32 eop;		/* out, C2H: VFPGA_STREAM_EOP if a packet ended */
	__u32 pad;		/* must be 0 */
};

#define VFPGA_DMA_STREAM	_IO(VFPGA_MAGIC, VFPGA_BASE + 21)

#endif /* _UAPI_VFPGA_H */
