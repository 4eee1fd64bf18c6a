/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfpga core driver: what differs between the kernels it builds against
 * (Debian's 6.1 and 6.12).  Everything else is written for 6.12.  Every
 * kernel-version check of the driver lives here, with its version and
 * reason.
 */
#ifndef VFPGA_COMPAT_H
#define VFPGA_COMPAT_H

#include <linux/pci.h>

/* 6.8 renamed the legacy interrupt flag. */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/* 6.3 made vm_flags read-only outside of these helpers. */
#include <linux/version.h>
#if KERNEL_VERSION(6, 3, 0) > LINUX_VERSION_CODE
#include <linux/mm.h>
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

/*
 * 6.11 added pcim_iomap_region() (request and map one BAR, managed) and
 * deprecated pcim_iomap_regions() and pcim_iomap_table() for it.
 */
#if KERNEL_VERSION(6, 11, 0) > LINUX_VERSION_CODE
#include <linux/bits.h>
#include <linux/io.h>
static inline void __iomem *pcim_iomap_region(struct pci_dev *pdev, int bar,
					      const char *name)
{
	int ret = pcim_iomap_regions(pdev, BIT(bar), name);

	return ret ? IOMEM_ERR_PTR(ret) : pcim_iomap_table(pdev)[bar];
}
#endif

#endif /* VFPGA_COMPAT_H */
