/*
 * vfpga: XDMA channel and SGDMA register blocks.
 *
 * Each H2C or C2H channel has a channel block (control with RUN, status
 * with its read-to-clear copy, completed-descriptor count, poll-mode
 * writeback address, interrupt enable mask) and an SGDMA block holding the
 * address of the first descriptor.  The engine itself is in
 * vfpga-xdma-engine.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "migration/vmstate.h"
#include "vfpga-xdma-chan.h"
#include "trace.h"

/*
 * Control bits a guest may set: RUN, the event enables, poll-mode WB and
 * the C2H stream writeback's disable.
 */
#define CONTROL_WRITABLE    (XDMA_CTRL_RUN | XDMA_STAT_EVENTS | \
                             XDMA_CTRL_NON_INCR_ADDR | \
                             XDMA_CTRL_POLL_MODE_WB | \
                             XDMA_CTRL_C2H_ST_WB_DISABLE)

static VFPGAChannel *chan_of(RegisterInfo *reg)
{
    return reg->opaque;
}

static unsigned vfpga_chan_line(VFPGAChannel *c)
{
    return vfpga_xdma_chan_line(c->s, c->c2h, c->index);
}

static void vfpga_chan_update_irq(VFPGAChannel *c)
{
    bool level = c->regs[R_STATUS] & c->regs[R_INTR_ENABLE] &
                 XDMA_STAT_EVENTS;

    vfpga_xdma_irq_set_chan_line(c->s, vfpga_chan_line(c), level);
}

/* Log events the control register enables, and request the interrupt. */
void vfpga_chan_event(VFPGAChannel *c, uint32_t events)
{
    c->regs[R_STATUS] |= events & c->regs[R_CONTROL] & XDMA_STAT_EVENTS;
    vfpga_chan_update_irq(c);
}

/* Every way of writing CONTROL ends here: RUN edges start and stop. */
static void vfpga_chan_set_control(VFPGAChannel *c, uint32_t val)
{
    uint32_t old = c->regs[R_CONTROL];

    if (val & XDMA_CTRL_NON_INCR_ADDR) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: %s: non-incrementing "
                      "address mode is not supported; bit ignored\n",
                      c->name);
        trace_vfpga_err_chan_non_incr(c->name);
        val &= ~XDMA_CTRL_NON_INCR_ADDR;
    }
    c->regs[R_CONTROL] = val & CONTROL_WRITABLE;

    if (!(old & XDMA_CTRL_RUN) && (val & XDMA_CTRL_RUN)) {
        vfpga_engine_start(c);
    } else if ((old & XDMA_CTRL_RUN) && !(val & XDMA_CTRL_RUN)) {
        /* PG195: credits clear on the falling edge of RUN. */
        c->sgdma_regs[R_SGDMA_DESC_CREDIT] = 0;
        vfpga_engine_stop(c);
    }
}

static uint64_t vfpga_chan_control_prew(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);

    vfpga_chan_set_control(c, val);
    return c->regs[R_CONTROL];
}

static void vfpga_chan_control_w1s_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);

    c->regs[R_CONTROL_W1S] = 0;
    vfpga_chan_set_control(c, c->regs[R_CONTROL] | val);
}

static void vfpga_chan_control_w1c_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);

    c->regs[R_CONTROL_W1C] = 0;
    vfpga_chan_set_control(c, c->regs[R_CONTROL] & ~val);
}

static uint64_t vfpga_chan_control_alias_postr(RegisterInfo *reg,
                                               uint64_t val)
{
    return chan_of(reg)->regs[R_CONTROL];
}

static uint64_t vfpga_chan_identifier_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);

    return XDMA_ID_SUBSYSTEM |
           XDMA_ID_TARGET(c->c2h ? XDMA_TARGET_C2H : XDMA_TARGET_H2C) |
           (c->stream ? XDMA_ID_STREAM : 0) |
           (c->index << 8) | XDMA_ID_VERSION;
}

static uint64_t vfpga_chan_status_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);

    return c->regs[R_STATUS] | (c->busy ? XDMA_STAT_BUSY : 0);
}

static void vfpga_chan_status_postw(RegisterInfo *reg, uint64_t val)
{
    vfpga_chan_update_irq(chan_of(reg));
}

/* The read-to-clear copy: returns the status and clears its events. */
static uint64_t vfpga_chan_status_rc_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);
    uint32_t status = c->regs[R_STATUS] | (c->busy ? XDMA_STAT_BUSY : 0);

    c->regs[R_STATUS] = 0;
    vfpga_chan_update_irq(c);
    return status;
}

static void vfpga_chan_intr_enable_postw(RegisterInfo *reg, uint64_t val)
{
    vfpga_chan_update_irq(chan_of(reg));
}

static void vfpga_chan_intr_w1s_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);

    c->regs[R_INTR_ENABLE_W1S] = 0;
    c->regs[R_INTR_ENABLE] |= val & XDMA_STAT_EVENTS;
    vfpga_chan_update_irq(c);
}

static void vfpga_chan_intr_w1c_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);

    c->regs[R_INTR_ENABLE_W1C] = 0;
    c->regs[R_INTR_ENABLE] &= ~val;
    vfpga_chan_update_irq(c);
}

static uint64_t vfpga_chan_intr_alias_postr(RegisterInfo *reg, uint64_t val)
{
    return chan_of(reg)->regs[R_INTR_ENABLE];
}

static const RegisterAccessInfo vfpga_chan_regs_info[] = {
    {   .name = "IDENTIFIER", .addr = A_IDENTIFIER, .ro = UINT32_MAX,
        .post_read = vfpga_chan_identifier_postr,
    },{ .name = "CONTROL", .addr = A_CONTROL,
        .pre_write = vfpga_chan_control_prew,
    },{ .name = "CONTROL_W1S", .addr = A_CONTROL_W1S,
        .post_write = vfpga_chan_control_w1s_postw,
        .post_read = vfpga_chan_control_alias_postr,
    },{ .name = "CONTROL_W1C", .addr = A_CONTROL_W1C,
        .post_write = vfpga_chan_control_w1c_postw,
        .post_read = vfpga_chan_control_alias_postr,
    },{ .name = "STATUS", .addr = A_STATUS,
        .w1c = XDMA_STAT_EVENTS, .ro = ~XDMA_STAT_EVENTS,
        .post_read = vfpga_chan_status_postr,
        .post_write = vfpga_chan_status_postw,
    },{ .name = "STATUS_RC", .addr = A_STATUS_RC, .ro = UINT32_MAX,
        .post_read = vfpga_chan_status_rc_postr,
    },{ .name = "COMPLETED_DESC", .addr = A_COMPLETED_DESC,
        .ro = UINT32_MAX,
    },{ .name = "ALIGNMENTS", .addr = A_ALIGNMENTS, .ro = UINT32_MAX,
        .reset = XDMA_ALIGNMENTS_VALUE,
    },{ .name = "POLL_WB_LO", .addr = A_POLL_WB_LO,
    },{ .name = "POLL_WB_HI", .addr = A_POLL_WB_HI,
    },{ .name = "INTR_ENABLE", .addr = A_INTR_ENABLE,
        .rsvd = ~XDMA_STAT_EVENTS,
        .post_write = vfpga_chan_intr_enable_postw,
    },{ .name = "INTR_ENABLE_W1S", .addr = A_INTR_ENABLE_W1S,
        .post_write = vfpga_chan_intr_w1s_postw,
        .post_read = vfpga_chan_intr_alias_postr,
    },{ .name = "INTR_ENABLE_W1C", .addr = A_INTR_ENABLE_W1C,
        .post_write = vfpga_chan_intr_w1c_postw,
        .post_read = vfpga_chan_intr_alias_postr,
    },
};

/* PG195's performance monitor, which the vendor driver reads. */
static const VFPGAUnimpReg vfpga_chan_unimp[] = {
    { 0xc0, "PERF_CTRL" },
    { 0xc4, "PERF_CYC_LO" },
    { 0xc8, "PERF_CYC_HI" },
    { 0xcc, "PERF_DAT_LO" },
    { 0xd0, "PERF_DAT_HI" },
    { 0xd4, "PERF_PND_LO" },
    { 0xd8, "PERF_PND_HI" },
};

static uint64_t vfpga_sgdma_identifier_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);

    return XDMA_ID_SUBSYSTEM |
           XDMA_ID_TARGET(c->c2h ? XDMA_TARGET_C2H_SGDMA :
                                   XDMA_TARGET_H2C_SGDMA) |
           (c->stream ? XDMA_ID_STREAM : 0) |
           (c->index << 8) | XDMA_ID_VERSION;
}

/*
 * A write adds credits (saturating at the 10-bit count); only a channel
 * in credit mode keeps them, as PG195 clears them when the mode is off.
 */
static uint64_t vfpga_sgdma_credit_prew(RegisterInfo *reg, uint64_t val)
{
    VFPGAChannel *c = chan_of(reg);
    uint32_t credits = c->sgdma_regs[R_SGDMA_DESC_CREDIT];

    if (!vfpga_engine_credit_mode(c)) {
        return 0;
    }
    credits = MIN(credits + (val & XDMA_CREDIT_MAX), XDMA_CREDIT_MAX);
    c->sgdma_regs[R_SGDMA_DESC_CREDIT] = credits;
    vfpga_engine_credit_kick(c);
    return credits;
}

static const RegisterAccessInfo vfpga_sgdma_regs_info[] = {
    {   .name = "IDENTIFIER", .addr = A_SGDMA_IDENTIFIER, .ro = UINT32_MAX,
        .post_read = vfpga_sgdma_identifier_postr,
    },{ .name = "DESC_LO", .addr = A_SGDMA_DESC_LO,
    },{ .name = "DESC_HI", .addr = A_SGDMA_DESC_HI,
    },{ .name = "DESC_ADJ", .addr = A_SGDMA_DESC_ADJ,
        .rsvd = ~XDMA_DESC_ADJ_MASK,
    },{ .name = "DESC_CREDIT", .addr = A_SGDMA_DESC_CREDIT,
        .rsvd = ~XDMA_CREDIT_MAX,
        .pre_write = vfpga_sgdma_credit_prew,
    },
};

void vfpga_chan_init(VFPGAState *s, VFPGAChannel *c, bool c2h,
                     unsigned index)
{
    Object *owner = OBJECT(s);

    c->s = s;
    c->c2h = c2h;
    c->index = index;
    c->stream = (c2h ? s->c2h_stream : s->h2c_stream) & (1u << index);
    snprintf(c->name, sizeof(c->name), "%s%u", c2h ? "c2h" : "h2c", index);
    snprintf(c->sgdma_name, sizeof(c->sgdma_name), "%s-sgdma", c->name);

    vfpga_reg_block_init(&c->block, c->name, vfpga_chan_regs_info,
                         ARRAY_SIZE(vfpga_chan_regs_info), c->regs_info,
                         c->regs, ARRAY_SIZE(c->regs), c);
    vfpga_reg_block_set_unimp(&c->block, vfpga_chan_unimp,
                              ARRAY_SIZE(vfpga_chan_unimp));
    memory_region_init_io(&c->mr, owner, &vfpga_reg_block_ops, &c->block,
                          c->name, XDMA_CHAN_STRIDE);

    vfpga_reg_block_init(&c->sgdma_block, c->sgdma_name,
                         vfpga_sgdma_regs_info,
                         ARRAY_SIZE(vfpga_sgdma_regs_info),
                         c->sgdma_regs_info, c->sgdma_regs,
                         ARRAY_SIZE(c->sgdma_regs), c);
    memory_region_init_io(&c->sgdma_mr, owner, &vfpga_reg_block_ops,
                          &c->sgdma_block, c->sgdma_name, XDMA_CHAN_STRIDE);
    vfpga_engine_init(c);

    /*
     * Channels the board does not have (past h2c-channels or
     * c2h-channels) are not decoded: their identifiers read 0, as a
     * missing engine's do in PG195.  They have their engine state all the
     * same: a stream from a board with more channels then loads into them
     * and is refused in post_load, not by an assertion on a missing timer.
     */
    if (index >= (c2h ? s->num_c2h : s->num_h2c)) {
        return;
    }
    memory_region_add_subregion(&s->dma_bar,
                                (c2h ? XDMA_C2H_BASE : XDMA_H2C_BASE) +
                                index * XDMA_CHAN_STRIDE, &c->mr);
    memory_region_add_subregion(&s->dma_bar,
                                (c2h ? XDMA_C2H_SGDMA_BASE :
                                       XDMA_H2C_SGDMA_BASE) +
                                index * XDMA_CHAN_STRIDE, &c->sgdma_mr);
}

void vfpga_chan_reset(VFPGAChannel *c)
{
    vfpga_engine_cancel(c);
    vfpga_reg_block_reset(&c->block);
    vfpga_reg_block_reset(&c->sgdma_block);
}

static bool vfpga_chan_engine_needed(void *opaque)
{
    VFPGAChannel *c = opaque;

    return c->busy;
}

static int vfpga_chan_post_load(void *opaque, int version_id)
{
    VFPGAChannel *c = opaque;

    if (c->index >= (c->c2h ? c->s->num_c2h : c->s->num_h2c)) {
        /* A channel this board does not have cannot be running. */
        return c->busy ? -EINVAL : 0;
    }
    /* Only a wedged engine runs with RUN cleared. */
    if (c->busy && !c->stuck && !(c->regs[R_CONTROL] & XDMA_CTRL_RUN)) {
        return -EINVAL;
    }
    return vfpga_engine_post_load(c);
}

/* A transfer in flight: where the engine is in its chain. */
static const VMStateDescription vmstate_vfpga_engine = {
    .name = "vfpga-channel/engine",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_chan_engine_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(have_desc, VFPGAChannel),
        VMSTATE_BOOL(timed, VFPGAChannel),
        VMSTATE_UINT64(desc_addr, VFPGAChannel),
        VMSTATE_UINT32(chain_len, VFPGAChannel),
        VMSTATE_UINT32(adj_left, VFPGAChannel),
        VMSTATE_UINT32(desc_done, VFPGAChannel),
        VMSTATE_UINT32(desc_control, VFPGAChannel),
        VMSTATE_UINT32(desc_bytes, VFPGAChannel),
        VMSTATE_UINT64(desc_src, VFPGAChannel),
        VMSTATE_UINT64(desc_dst, VFPGAChannel),
        VMSTATE_UINT64(desc_next, VFPGAChannel),
        VMSTATE_TIMER_PTR(timer, VFPGAChannel),
        VMSTATE_END_OF_LIST()
    },
};

static bool vfpga_chan_stuck_needed(void *opaque)
{
    VFPGAChannel *c = opaque;

    return c->stuck;
}

/* The stuck-busy fault fired on this channel. */
static const VMStateDescription vmstate_vfpga_stuck = {
    .name = "vfpga-channel/stuck",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_chan_stuck_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(stuck, VFPGAChannel),
        VMSTATE_END_OF_LIST()
    },
};

const VMStateDescription vmstate_vfpga_channel = {
    .name = "vfpga-channel",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = vfpga_chan_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, VFPGAChannel, VFPGA_CHAN_R_MAX),
        VMSTATE_UINT32_ARRAY(sgdma_regs, VFPGAChannel, VFPGA_SGDMA_R_MAX),
        VMSTATE_BOOL(busy, VFPGAChannel),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_vfpga_engine,
        &vmstate_vfpga_stuck,
        NULL
    },
};
