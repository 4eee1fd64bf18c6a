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
#include "qemu/timer.h"
#include "system/runstate.h"
#include "vfpga_regs.h"

#define TYPE_VFPGA "vfpga"
OBJECT_DECLARE_SIMPLE_TYPE(VFPGAState, VFPGA)

/* Register array sizes: one 32-bit slot per offset up to the last register. */
#define VFPGA_USER_R_MAX        (VFPGA_IRQGEN_STALLED_US / 4 + 1)
#define VFPGA_XDMA_IRQ_R_MAX    (XDMA_IRQ_CHAN_VEC_NUM / 4 + \
                                 XDMA_IRQ_CHAN_VEC_REGS)
#define VFPGA_XDMA_CONFIG_R_MAX (XDMA_CONFIG_IDENTIFIER / 4 + 1)
#define VFPGA_CHAN_R_MAX        (XDMA_CHAN_INTR_ENABLE_W1C / 4 + 1)
#define VFPGA_SGDMA_R_MAX       (XDMA_SGDMA_DESC_CREDIT / 4 + 1)

/*
 * A block of 32-bit registers described by a RegisterAccessInfo table.
 * The MMIO handlers in vfpga-regs.c decode an offset to its RegisterInfo and
 * report accesses to holes as guest errors.
 */
/* A PG195 register of a block that the model does not implement. */
typedef struct VFPGAUnimpReg {
    hwaddr addr;
    const char *name;
} VFPGAUnimpReg;

typedef struct VFPGARegBlock {
    const char *name;
    RegisterInfo *info;
    unsigned nr_regs;
    /* Real registers not modelled: LOG_UNIMP, not a guest error. */
    const VFPGAUnimpReg *unimp;
    unsigned nr_unimp;
} VFPGARegBlock;

/*
 * One XDMA channel (H2C or C2H): its channel and SGDMA register blocks and
 * the engine state that walks its descriptor chain.
 */
typedef struct VFPGAChannel {
    VFPGAState *s;
    bool c2h;
    unsigned index;                 /* channel number in its direction */
    char name[8];                   /* "h2c0" */
    char sgdma_name[16];            /* "h2c0-sgdma" */

    uint32_t regs[VFPGA_CHAN_R_MAX];
    RegisterInfo regs_info[VFPGA_CHAN_R_MAX];
    VFPGARegBlock block;
    MemoryRegion mr;

    uint32_t sgdma_regs[VFPGA_SGDMA_R_MAX];
    RegisterInfo sgdma_regs_info[VFPGA_SGDMA_R_MAX];
    VFPGARegBlock sgdma_block;
    MemoryRegion sgdma_mr;

    /* Engine state, migrated with the channel. */
    bool busy;
    bool have_desc;                 /* desc fetched, not yet completed */
    bool timed;                     /* timing model: desc's time charged */
    uint64_t desc_addr;             /* address of desc / the next one */
    uint32_t chain_len;             /* descriptors since RUN, saturating */
    uint32_t adj_left;              /* more descriptors at +32 in block */
    uint32_t desc_done;             /* bytes of desc already moved */
    uint32_t desc_control;          /* desc, in host byte order */
    uint32_t desc_bytes;
    uint64_t desc_src;
    uint64_t desc_dst;
    uint64_t desc_next;

    /*
     * Moves on every start, stop, reset and unrealize: the engine compares
     * it across callouts (DMA, interrupts) to learn that its channel was
     * taken from under it.  Not migrated.
     */
    uint32_t gen;

    QEMUBH *bh;
    QEMUTimer *timer;
} VFPGAChannel;

struct VFPGAState {
    PCIDevice parent_obj;

    MemoryRegion user_bar;
    MemoryRegion dma_bar;           /* container: XDMA blocks and MSI-X */
    MemoryRegion xdma_unimp_mr;     /* background: blocks not modelled */
    MemoryRegion xdma_irq_mr;
    MemoryRegion xdma_config_mr;
    MemoryRegion card_mem;
    MemoryRegion sgdma_common_mr;
    MemoryRegion removed_mr[3];     /* all-ones overlays, one per BAR */

    uint32_t user_regs[VFPGA_USER_R_MAX];
    RegisterInfo user_regs_info[VFPGA_USER_R_MAX];
    VFPGARegBlock user_block;

    uint32_t xdma_irq_regs[VFPGA_XDMA_IRQ_R_MAX];
    RegisterInfo xdma_irq_regs_info[VFPGA_XDMA_IRQ_R_MAX];
    VFPGARegBlock xdma_irq_block;

    uint32_t xdma_config_regs[VFPGA_XDMA_CONFIG_R_MAX];
    RegisterInfo xdma_config_regs_info[VFPGA_XDMA_CONFIG_R_MAX];
    VFPGARegBlock xdma_config_block;

    uint32_t sgdma_common_regs[1];
    RegisterInfo sgdma_common_regs_info[1];
    VFPGARegBlock sgdma_common_block;

    VFPGAChannel h2c[XDMA_MAX_CHANNELS];
    VFPGAChannel c2h[XDMA_MAX_CHANNELS];
    uint8_t *card_ptr;              /* host view of card memory */
    VMChangeStateEntry *vmstate;

    /* Interrupt generator state that is not a register. */
    bool irqgen_running;
    bool irqgen_pending;            /* raised, awaiting its acknowledge */
    uint32_t irqgen_line;           /* latched from IRQGEN_LINE at start */
    uint32_t irqgen_mode;           /* latched from IRQGEN_MODE at start */
    bool irqgen_rotate;             /* latched MODE_ROTATE */
    uint64_t irqgen_start_ns;       /* paced: device time of beat 0 */
    uint64_t irqgen_last_look_ns;   /* paced: the last accounting */
    uint64_t irqgen_beats;          /* paced: beats in this run */
    uint32_t irqgen_rate;           /* paced: latched beats per second */
    uint32_t irqgen_queue_depth;    /* paced: latched QUEUE_DEPTH */
    uint64_t irqgen_last_raise_ns;
    QEMUTimer *irqgen_timer;
    QEMUBH *irqgen_bh;              /* the timer's work, guarded */

    /* Device clock: ns of QEMU's virtual clock since this origin. */
    int64_t clock_origin_ns;
    uint32_t time_hi_latch;
    uint32_t last_raise_hi_latch;

    /* Lines already signalled by message (MSI/MSI-X are edges). */
    uint32_t user_lines_signalled;
    uint32_t chan_lines_signalled;

    /* Armed faults (VFPGA_FAULT_*); SURPRISE_REMOVAL stays once set. */
    uint32_t faults;
    uint32_t fault_vector;

    /* Properties */
    uint64_t card_mem_size;
    uint32_t msix_vectors;
    bool msi;
    uint32_t dma_channels;
    uint32_t dma_max_chain;
    uint32_t dma_bandwidth_mbps;
    uint32_t dma_desc_latency_ns;
};

/* vfpga-regs.c */
extern const MemoryRegionOps vfpga_reg_block_ops;
extern const MemoryRegionOps vfpga_reg_block_ops_wide;
void vfpga_reg_block_init(VFPGARegBlock *block, const char *name,
                          const RegisterAccessInfo *access, unsigned nr_access,
                          RegisterInfo *info, uint32_t *regs,
                          unsigned nr_regs, void *opaque);
void vfpga_reg_block_reset(VFPGARegBlock *block);
void vfpga_reg_block_set_unimp(VFPGARegBlock *block,
                               const VFPGAUnimpReg *unimp, unsigned nr);

/* vfpga-user.c: BAR0, the user logic */
void vfpga_user_init(VFPGAState *s);
void vfpga_user_reset(VFPGAState *s);
void vfpga_user_stop_irqgen(VFPGAState *s);
int vfpga_user_post_load(VFPGAState *s);
void vfpga_user_exit(VFPGAState *s);

/* vfpga-xdma.c: BAR1, the XDMA register space */
void vfpga_xdma_init(VFPGAState *s);
void vfpga_xdma_reset(VFPGAState *s);
void vfpga_xdma_exit(VFPGAState *s);

/* vfpga-xdma-irq.c: the XDMA IRQ block and interrupt delivery */
void vfpga_xdma_irq_init(VFPGAState *s);
void vfpga_xdma_irq_set_user_line(VFPGAState *s, unsigned line, bool level);
void vfpga_xdma_irq_set_chan_line(VFPGAState *s, unsigned line, bool level);
void vfpga_xdma_irq_update(VFPGAState *s);
void vfpga_xdma_irq_post_load(VFPGAState *s);
void vfpga_irq_send_vector(VFPGAState *s, unsigned vector);

/* vfpga-xdma-chan.c: channel and SGDMA register blocks */
void vfpga_chan_init(VFPGAState *s, VFPGAChannel *c, bool c2h,
                     unsigned index);
void vfpga_chan_reset(VFPGAChannel *c);
void vfpga_chan_event(VFPGAChannel *c, uint32_t events);
uint64_t vfpga_chan_first_desc(VFPGAChannel *c);
uint32_t vfpga_chan_first_adj(VFPGAChannel *c);
void vfpga_chan_set_completed(VFPGAChannel *c, uint32_t count);
uint32_t vfpga_chan_completed(VFPGAChannel *c);
uint32_t vfpga_chan_control(VFPGAChannel *c);
uint64_t vfpga_chan_poll_wb_addr(VFPGAChannel *c);
extern const VMStateDescription vmstate_vfpga_channel;

/* vfpga-xdma-engine.c: walking descriptor chains and moving data */
void vfpga_engine_init(VFPGAChannel *c);
void vfpga_engine_start(VFPGAChannel *c);
void vfpga_engine_stop(VFPGAChannel *c);
void vfpga_engine_cancel(VFPGAChannel *c);
int vfpga_engine_post_load(VFPGAChannel *c);
void vfpga_engine_resume(VFPGAChannel *c);
void vfpga_engine_exit(VFPGAChannel *c);

/* vfpga-fault.c: fault injection and surprise removal */
void vfpga_fault_init(VFPGAState *s);
void vfpga_fault_exit(VFPGAState *s);
void vfpga_fault_class_init(ObjectClass *klass);
void vfpga_fault_arm(VFPGAState *s, uint32_t faults);
bool vfpga_fault_take(VFPGAState *s, uint32_t fault);
void vfpga_fault_reset(VFPGAState *s);
void vfpga_fault_post_load(VFPGAState *s);

/*
 * Take @mr out of its container, if it is in one.  In QEMU 10 a subregion
 * holds a reference on its owner: left in a container of the same board,
 * it would keep the unplugged board from ever being finalized.
 */
static inline void vfpga_del_subregion(MemoryRegion *mr)
{
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
}

/* Device clock, ns */
uint64_t vfpga_now_ns(VFPGAState *s);

#endif
