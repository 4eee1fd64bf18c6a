/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vfpga driver user-space interface.
 *
 * Every ioctl below except VFPGA_GET_API_VERSION takes a pointer to a
 * struct that starts with argsz and flags.  User space sets argsz to
 * sizeof(struct) and flags to 0; the driver rejects an argsz smaller than
 * the struct it knows and any flag it does not know with -EINVAL, which lets
 * later versions grow the structs at the end.  Unknown commands fail with
 * -ENOTTY.  All structs have the same layout for 32- and 64-bit callers.
 */
#ifndef _UAPI_VFPGA_H
#define _UAPI_VFPGA_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VFPGA_API_VERSION	0

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

/**
 * VFPGA_GET_INFO - _IO(VFPGA_MAGIC, VFPGA_BASE + 1)
 *
 * Describe the board: PCI identity, what its user logic reports, the
 * interrupt mode and vectors in use, and the size of every BAR (0 where the
 * board has none).
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
	__u32 pad;
	__u64 bar_size[VFPGA_NUM_BARS];
};

#define VFPGA_GET_INFO		_IO(VFPGA_MAGIC, VFPGA_BASE + 1)

/**
 * VFPGA_REG_READ - _IO(VFPGA_MAGIC, VFPGA_BASE + 2)
 * VFPGA_REG_WRITE - _IO(VFPGA_MAGIC, VFPGA_BASE + 3)
 *
 * Read or write one register of @width bytes (1, 2, 4 or 8) at @offset in
 * memory BAR @bar.  @offset must be a multiple of @width.
 * Return: 0 on success; -EINVAL for bad argsz, flags, width or alignment;
 * -ENXIO for a BAR the board does not have; -ERANGE when the access does
 * not fit inside the BAR; -EFAULT for a bad pointer; -ENODEV once the
 * board is gone.
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
 * 0..15 or a zero count; -EBUSY while a previous run is still going;
 * -EFAULT for a bad pointer; -ENODEV once the board is gone.
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

#endif /* _UAPI_VFPGA_H */
