/*
 * vfpga: the XDMA IRQ block and interrupt delivery.
 *
 * As in the XDMA IP, user interrupt lines and DMA channel interrupts are
 * gated by enable masks (with W1S/W1C aliases) and steered to MSI-X or MSI
 * vectors by the vector-number registers.  Messages are sent on the rising
 * edge of a line's pending bit; with neither MSI-X nor MSI enabled the
 * board falls back to a level-triggered INTx that is asserted while any
 * line is pending.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/host-utils.h"
#include "hw/registerfields.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "vfpga.h"
#include "trace.h"

REG32(IDENTIFIER, XDMA_IRQ_IDENTIFIER)
REG32(USER_INT_EN, XDMA_IRQ_USER_INT_EN)
REG32(USER_INT_EN_W1S, XDMA_IRQ_USER_INT_EN_W1S)
REG32(USER_INT_EN_W1C, XDMA_IRQ_USER_INT_EN_W1C)
REG32(CHAN_INT_EN, XDMA_IRQ_CHAN_INT_EN)
REG32(CHAN_INT_EN_W1S, XDMA_IRQ_CHAN_INT_EN_W1S)
REG32(CHAN_INT_EN_W1C, XDMA_IRQ_CHAN_INT_EN_W1C)
REG32(USER_INT_REQ, XDMA_IRQ_USER_INT_REQ)
REG32(CHAN_INT_REQ, XDMA_IRQ_CHAN_INT_REQ)
REG32(USER_INT_PEND, XDMA_IRQ_USER_INT_PEND)
REG32(CHAN_INT_PEND, XDMA_IRQ_CHAN_INT_PEND)
REG32(USER_VEC_NUM0, XDMA_IRQ_USER_VEC_NUM + 0x0)
REG32(USER_VEC_NUM1, XDMA_IRQ_USER_VEC_NUM + 0x4)
REG32(USER_VEC_NUM2, XDMA_IRQ_USER_VEC_NUM + 0x8)
REG32(USER_VEC_NUM3, XDMA_IRQ_USER_VEC_NUM + 0xc)
REG32(CHAN_VEC_NUM0, XDMA_IRQ_CHAN_VEC_NUM + 0x0)
REG32(CHAN_VEC_NUM1, XDMA_IRQ_CHAN_VEC_NUM + 0x4)

#define USER_LINES_MASK     MAKE_64BIT_MASK(0, VFPGA_USER_IRQ_LINES)
#define CHAN_LINES_MASK     0xffu       /* 4 H2C and 4 C2H channels */
#define VEC_NUM_RSVD        0xe0e0e0e0u /* bits 7:5 of every byte */

static VFPGAState *vfpga_of(RegisterInfo *reg)
{
    return VFPGA(reg->opaque);
}

/* Send one message on @vector, unless a fault swallows it. */
void vfpga_irq_send_vector(VFPGAState *s, unsigned vector)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    unsigned nr;

    if ((s->faults & VFPGA_FAULT_SURPRISE_REMOVAL) ||
        (!msix_enabled(pdev) && !msi_enabled(pdev))) {
        return;
    }
    nr = msix_enabled(pdev) ? s->msix_vectors : msi_nr_vectors_allocated(pdev);
    if (vector >= nr) {
        /* The message would address a vector the host never set up. */
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: message for vector %u but "
                      "only %u are enabled; dropped\n", vector, nr);
        trace_vfpga_err_irq_bad_vector(vector, nr);
        return;
    }
    if (vfpga_fault_take(s, VFPGA_FAULT_DROP_MSI)) {
        trace_vfpga_fault_msi_dropped(vector);
        return;
    }
    if (msix_enabled(pdev)) {
        trace_vfpga_irq_msix(vector);
        msix_notify(pdev, vector);
    } else {
        trace_vfpga_irq_msi(vector);
        msi_notify(pdev, vector);
    }
}

/* Vector of line @line in a block of XDMA vector-number registers. */
static unsigned vfpga_xdma_irq_vector(VFPGAState *s, unsigned first_reg,
                                      unsigned line)
{
    uint32_t map = s->xdma_irq_regs[first_reg + line / 4];

    return (map >> XDMA_IRQ_VEC_SHIFT(line)) & XDMA_IRQ_VEC_MASK;
}

/* Send a message for each line that just became pending. */
static void vfpga_xdma_irq_signal(VFPGAState *s, uint32_t rising,
                                  unsigned first_vec_reg)
{
    while (rising) {
        vfpga_irq_send_vector(s, vfpga_xdma_irq_vector(s, first_vec_reg,
                                                       ctz32(rising)));
        rising &= rising - 1;
    }
}

void vfpga_xdma_irq_update(VFPGAState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    uint32_t user = s->xdma_irq_regs[R_USER_INT_REQ] &
                    s->xdma_irq_regs[R_USER_INT_EN];
    uint32_t chan = s->xdma_irq_regs[R_CHAN_INT_REQ] &
                    s->xdma_irq_regs[R_CHAN_INT_EN];

    if (s->faults & VFPGA_FAULT_SURPRISE_REMOVAL) {
        /* Gone from the bus: it can neither assert INTx nor send. */
        pci_set_irq(pdev, 0);
    } else if (msix_enabled(pdev) || msi_enabled(pdev)) {
        pci_set_irq(pdev, 0);
        vfpga_xdma_irq_signal(s, user & ~s->user_lines_signalled,
                              R_USER_VEC_NUM0);
        vfpga_xdma_irq_signal(s, chan & ~s->chan_lines_signalled,
                              R_CHAN_VEC_NUM0);
    } else {
        trace_vfpga_irq_intx(user || chan);
        pci_set_irq(pdev, user || chan);
    }
    s->user_lines_signalled = user;
    s->chan_lines_signalled = chan;
}

static void vfpga_xdma_irq_set_line(VFPGAState *s, unsigned reg,
                                    unsigned line, bool level)
{
    uint32_t old = s->xdma_irq_regs[reg];

    s->xdma_irq_regs[reg] = deposit32(old, line, 1, level);
    if (s->xdma_irq_regs[reg] != old) {
        vfpga_xdma_irq_update(s);
    }
}

void vfpga_xdma_irq_set_user_line(VFPGAState *s, unsigned line, bool level)
{
    vfpga_xdma_irq_set_line(s, R_USER_INT_REQ, line, level);
}

void vfpga_xdma_irq_set_chan_line(VFPGAState *s, unsigned line, bool level)
{
    vfpga_xdma_irq_set_line(s, R_CHAN_INT_REQ, line, level);
}

void vfpga_xdma_irq_post_load(VFPGAState *s)
{
    /* Everything pending was signalled before the state was saved. */
    s->user_lines_signalled = s->xdma_irq_regs[R_USER_INT_REQ] &
                              s->xdma_irq_regs[R_USER_INT_EN];
    s->chan_lines_signalled = s->xdma_irq_regs[R_CHAN_INT_REQ] &
                              s->xdma_irq_regs[R_CHAN_INT_EN];
}

static void vfpga_irq_en_postw(RegisterInfo *reg, uint64_t val)
{
    vfpga_xdma_irq_update(vfpga_of(reg));
}

/*
 * The W1S/W1C aliases act on the enable register and read back as it;
 * the alias itself holds no state.
 */
static void vfpga_en_alias_postw(RegisterInfo *reg, uint64_t val,
                                 unsigned en_reg, bool set)
{
    VFPGAState *s = vfpga_of(reg);

    /* Ones written to lines that do not exist are ignored, as in XDMA. */
    val &= en_reg == R_USER_INT_EN ? USER_LINES_MASK : CHAN_LINES_MASK;
    *(uint32_t *)reg->data = 0;
    if (set) {
        s->xdma_irq_regs[en_reg] |= val;
    } else {
        s->xdma_irq_regs[en_reg] &= ~val;
    }
    vfpga_xdma_irq_update(s);
}

static void vfpga_user_en_w1s_postw(RegisterInfo *reg, uint64_t val)
{
    vfpga_en_alias_postw(reg, val, R_USER_INT_EN, true);
}

static void vfpga_user_en_w1c_postw(RegisterInfo *reg, uint64_t val)
{
    vfpga_en_alias_postw(reg, val, R_USER_INT_EN, false);
}

static void vfpga_chan_en_w1s_postw(RegisterInfo *reg, uint64_t val)
{
    vfpga_en_alias_postw(reg, val, R_CHAN_INT_EN, true);
}

static void vfpga_chan_en_w1c_postw(RegisterInfo *reg, uint64_t val)
{
    vfpga_en_alias_postw(reg, val, R_CHAN_INT_EN, false);
}

static uint64_t vfpga_user_en_alias_postr(RegisterInfo *reg, uint64_t val)
{
    return vfpga_of(reg)->xdma_irq_regs[R_USER_INT_EN];
}

static uint64_t vfpga_chan_en_alias_postr(RegisterInfo *reg, uint64_t val)
{
    return vfpga_of(reg)->xdma_irq_regs[R_CHAN_INT_EN];
}

static uint64_t vfpga_user_pend_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    return s->xdma_irq_regs[R_USER_INT_REQ] & s->xdma_irq_regs[R_USER_INT_EN];
}

static uint64_t vfpga_chan_pend_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    return s->xdma_irq_regs[R_CHAN_INT_REQ] & s->xdma_irq_regs[R_CHAN_INT_EN];
}

#define VEC_NUM_REG(NAME) \
    { .name = #NAME, .addr = A_##NAME, .rsvd = VEC_NUM_RSVD }

static const RegisterAccessInfo vfpga_xdma_irq_regs_info[] = {
    {   .name = "IDENTIFIER", .addr = A_IDENTIFIER, .ro = UINT32_MAX,
        .reset = XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_IRQ) |
                 XDMA_ID_VERSION,
    },{ .name = "USER_INT_EN", .addr = A_USER_INT_EN,
        .rsvd = ~USER_LINES_MASK, .post_write = vfpga_irq_en_postw,
    },{ .name = "USER_INT_EN_W1S", .addr = A_USER_INT_EN_W1S,
        .post_write = vfpga_user_en_w1s_postw,
        .post_read = vfpga_user_en_alias_postr,
    },{ .name = "USER_INT_EN_W1C", .addr = A_USER_INT_EN_W1C,
        .post_write = vfpga_user_en_w1c_postw,
        .post_read = vfpga_user_en_alias_postr,
    },{ .name = "CHAN_INT_EN", .addr = A_CHAN_INT_EN,
        .rsvd = ~CHAN_LINES_MASK, .post_write = vfpga_irq_en_postw,
    },{ .name = "CHAN_INT_EN_W1S", .addr = A_CHAN_INT_EN_W1S,
        .post_write = vfpga_chan_en_w1s_postw,
        .post_read = vfpga_chan_en_alias_postr,
    },{ .name = "CHAN_INT_EN_W1C", .addr = A_CHAN_INT_EN_W1C,
        .post_write = vfpga_chan_en_w1c_postw,
        .post_read = vfpga_chan_en_alias_postr,
    },{ .name = "USER_INT_REQ", .addr = A_USER_INT_REQ, .ro = UINT32_MAX,
    },{ .name = "CHAN_INT_REQ", .addr = A_CHAN_INT_REQ, .ro = UINT32_MAX,
    },{ .name = "USER_INT_PEND", .addr = A_USER_INT_PEND, .ro = UINT32_MAX,
        .post_read = vfpga_user_pend_postr,
    },{ .name = "CHAN_INT_PEND", .addr = A_CHAN_INT_PEND, .ro = UINT32_MAX,
        .post_read = vfpga_chan_pend_postr,
    },
    VEC_NUM_REG(USER_VEC_NUM0),
    VEC_NUM_REG(USER_VEC_NUM1),
    VEC_NUM_REG(USER_VEC_NUM2),
    VEC_NUM_REG(USER_VEC_NUM3),
    VEC_NUM_REG(CHAN_VEC_NUM0),
    VEC_NUM_REG(CHAN_VEC_NUM1),
};

void vfpga_xdma_irq_init(VFPGAState *s)
{
    vfpga_reg_block_init(&s->xdma_irq_block, "xdma-irq",
                         vfpga_xdma_irq_regs_info,
                         ARRAY_SIZE(vfpga_xdma_irq_regs_info),
                         s->xdma_irq_regs_info, s->xdma_irq_regs,
                         ARRAY_SIZE(s->xdma_irq_regs), s);
    memory_region_init_io(&s->xdma_irq_mr, OBJECT(s), &vfpga_reg_block_ops,
                          &s->xdma_irq_block, "vfpga-xdma-irq", 0x1000);
}
