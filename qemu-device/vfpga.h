/*
 * vfpga: an FPGA board behind an AMD/Xilinx XDMA-compatible PCIe front end.
 *
 * Internal state shared by the files of the model.  The guest-visible
 * register map is include/vfpga_regs.h (shared with driver and library).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_VFPGA_H
#define HW_VFPGA_H

#include "hw/pci/pci_device.h"
#include "hw/register.h"
#include "vfpga_regs.h"

#define TYPE_VFPGA "vfpga"
OBJECT_DECLARE_SIMPLE_TYPE(VFPGAState, VFPGA)

/* Register array sizes: one 32-bit slot per offset up to the last register. */
#define VFPGA_USER_R_MAX        (VFPGA_IRQGEN_ACK / 4 + 1)
#define VFPGA_XDMA_IRQ_R_MAX    (XDMA_IRQ_CHAN_VEC_NUM / 4 + \
                                 XDMA_IRQ_CHAN_VEC_REGS)
#define VFPGA_XDMA_CONFIG_R_MAX (XDMA_CONFIG_IDENTIFIER / 4 + 1)

/*
 * A block of 32-bit registers described by a RegisterAccessInfo table.
 * The MMIO handlers in vfpga-regs.c decode an offset to its RegisterInfo and
 * report accesses to holes as guest errors.
 */
typedef struct VFPGARegBlock {
    const char *name;
    RegisterInfo *info;
    unsigned nr_regs;
} VFPGARegBlock;

struct VFPGAState {
    PCIDevice parent_obj;

    MemoryRegion user_bar;
    MemoryRegion dma_bar;           /* container: XDMA blocks and MSI-X */
    MemoryRegion xdma_unimp_mr;     /* background: blocks not modelled */
    MemoryRegion xdma_irq_mr;
    MemoryRegion xdma_config_mr;
    MemoryRegion card_mem;

    uint32_t user_regs[VFPGA_USER_R_MAX];
    RegisterInfo user_regs_info[VFPGA_USER_R_MAX];
    VFPGARegBlock user_block;

    uint32_t xdma_irq_regs[VFPGA_XDMA_IRQ_R_MAX];
    RegisterInfo xdma_irq_regs_info[VFPGA_XDMA_IRQ_R_MAX];
    VFPGARegBlock xdma_irq_block;

    uint32_t xdma_config_regs[VFPGA_XDMA_CONFIG_R_MAX];
    RegisterInfo xdma_config_regs_info[VFPGA_XDMA_CONFIG_R_MAX];
    VFPGARegBlock xdma_config_block;

    /* Interrupt generator state that is not a register. */
    bool irqgen_running;
    bool irqgen_pending;            /* raised, awaiting its acknowledge */
    uint32_t irqgen_line;           /* latched from IRQGEN_LINE at start */

    /* User lines already signalled by message (MSI/MSI-X are edges). */
    uint32_t user_lines_signalled;

    /* Properties */
    uint64_t card_mem_size;
    uint32_t msix_vectors;
    bool msi;
};

/* vfpga-regs.c */
extern const MemoryRegionOps vfpga_reg_block_ops;
void vfpga_reg_block_init(VFPGARegBlock *block, const char *name,
                          const RegisterAccessInfo *access, unsigned nr_access,
                          RegisterInfo *info, uint32_t *regs,
                          unsigned nr_regs, void *opaque);
void vfpga_reg_block_reset(VFPGARegBlock *block);

/* vfpga-user.c: BAR0, the user logic */
void vfpga_user_init(VFPGAState *s);
void vfpga_user_reset(VFPGAState *s);

/* vfpga-xdma.c: BAR1, the XDMA register space */
void vfpga_xdma_init(VFPGAState *s);
void vfpga_xdma_reset(VFPGAState *s);

/* vfpga-xdma-irq.c: the XDMA IRQ block and interrupt delivery */
void vfpga_xdma_irq_init(VFPGAState *s);
void vfpga_xdma_irq_set_user_line(VFPGAState *s, unsigned line, bool level);
void vfpga_xdma_irq_update(VFPGAState *s);
void vfpga_xdma_irq_post_load(VFPGAState *s);

#endif
