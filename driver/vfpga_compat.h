/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfpga core driver: what differs between the kernels it builds against
 * (Debian's 6.1 and 6.12).  Everything else is written for 6.12.
 */
#ifndef VFPGA_COMPAT_H
#define VFPGA_COMPAT_H

#include <linux/pci.h>

/* 6.8 renamed the legacy interrupt flag. */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

#endif /* VFPGA_COMPAT_H */
