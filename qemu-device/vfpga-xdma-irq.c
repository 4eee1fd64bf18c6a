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

/*
 * The lines this board has: "user-irq-lines" user lines, one channel
 * interrupt per channel.  Enable bits of the others do not exist.
 */
static uint32_t vfpga_user_lines(VFPGAState *s)
{
    return MAKE_64BIT_MASK(0, s->user_irq_lines);
}

static uint32_t vfpga_chan_lines(VFPGAState *s)
{
    return MAKE_64BIT_MASK(0, s->num_h2c + s->num_c2h);
}

/*
 * A channel's bit in CHAN_INT_REQ and its enable and vector-number
 * registers: every H2C channel first, then the C2H channels, packed, as
 * the XDMA IP numbers them (2 H2C and 1 C2H: C2H0 is bit 2).
 */
unsigned vfpga_xdma_chan_line(VFPGAState *s, bool c2h, unsigned index)
{
    return c2h ? s->num_h2c + index : index;
}
#define VEC_NUM_RSVD        0xe0e0e0e0u /* bits 7:5 of every byte */

static VFPGAState *vfpga_of(RegisterInfo *reg)
{
    return VFPGA(reg->opaque);
}

/*
 * The number of vectors a message may use, or 0 when the board can send
 * none (removed, or neither MSI-X nor MSI enabled).
 */
static unsigned vfpga_irq_nr_vectors(VFPGAState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);

    if (s->faults & VFPGA_FAULT_SURPRISE_REMOVAL) {
        return 0;
    }
    if (msix_enabled(pdev)) {
        return s->msix_vectors;
    }
    return msi_enabled(pdev) ? msi_nr_vectors_allocated(pdev) : 0;
}

/* Send one message on @vector as it is, if the board can. */
void vfpga_irq_notify(VFPGAState *s, unsigned vector)
{
    PCIDevice *pdev = PCI_DEVICE(s);

    if (vector >= vfpga_irq_nr_vectors(s)) {
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

/* Send one message on @vector, unless a fault swallows, repeats or holds it. */
void vfpga_irq_send_vector(VFPGAState *s, unsigned vector)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    unsigned nr;

    if ((s->faults & VFPGA_FAULT_SURPRISE_REMOVAL) ||
        (!msix_enabled(pdev) && !msi_enabled(pdev))) {
        return;
    }
    nr = vfpga_irq_nr_vectors(s);
    if (vector >= nr) {
        /* The message would address a vector the host never set up. */
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: message for vector %u but "
                      "only %u are enabled; dropped\n", vector, nr);
        trace_vfpga_err_irq_bad_vector(vector, nr);
        return;
    }
    vfpga_campaign_event(s, VFPGA_CAMPAIGN_MSG);
    if (vfpga_fault_take(s, VFPGA_FAULT_DROP_MSI)) {
        trace_vfpga_fault_msi_dropped(vector);
        return;
    }
    if (vfpga_fault_hold_msi(s, vector)) {
        return;
    }
    vfpga_irq_notify(s, vector);
    if (vfpga_fault_take(s, VFPGA_FAULT_DUP_MSI)) {
        trace_vfpga_fault_msi_dup(vector);
        vfpga_irq_notify(s, vector);
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
    uint32_t acks = user & ~s->user_lines_signalled;

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
    /*
     * usr_irq_ack: the user logic learns that its request went out, last,
     * when this update is complete (the logic may answer by moving its
     * lines, which updates again).
     */
    if (s->faults & VFPGA_FAULT_SURPRISE_REMOVAL) {
        return;
    }
    while (acks) {
        vfpga_ul_irq_ack(s, ctz32(acks));
        acks &= acks - 1;
    }
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

/*
 * The user logic drives usr_irq_req[@line]; the IP has only
 * "user-irq-lines" of them, and a request on a line past those goes
 * nowhere.
 */
void vfpga_xdma_irq_set_user_line(VFPGAState *s, unsigned line, bool level)
{
    if (line >= s->user_irq_lines) {
        if (level) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfpga: user logic raised user "
                          "line %u but the board has %u; ignored\n", line,
                          s->user_irq_lines);
            trace_vfpga_err_irq_no_user_line(line, s->user_irq_lines);
        }
        return;
    }
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

/* The enable bits of lines the board has; the others read 0. */
static uint64_t vfpga_user_en_prew(RegisterInfo *reg, uint64_t val)
{
    return val & vfpga_user_lines(vfpga_of(reg));
}

static uint64_t vfpga_chan_en_prew(RegisterInfo *reg, uint64_t val)
{
    return val & vfpga_chan_lines(vfpga_of(reg));
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
    val &= en_reg == R_USER_INT_EN ? vfpga_user_lines(s) : vfpga_chan_lines(s);
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
        .rsvd = ~USER_LINES_MASK, .pre_write = vfpga_user_en_prew,
        .post_write = vfpga_irq_en_postw,
    },{ .name = "USER_INT_EN_W1S", .addr = A_USER_INT_EN_W1S,
        .post_write = vfpga_user_en_w1s_postw,
        .post_read = vfpga_user_en_alias_postr,
    },{ .name = "USER_INT_EN_W1C", .addr = A_USER_INT_EN_W1C,
        .post_write = vfpga_user_en_w1c_postw,
        .post_read = vfpga_user_en_alias_postr,
    },{ .name = "CHAN_INT_EN", .addr = A_CHAN_INT_EN,
        .rsvd = ~CHAN_LINES_MASK, .pre_write = vfpga_chan_en_prew,
        .post_write = vfpga_irq_en_postw,
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
