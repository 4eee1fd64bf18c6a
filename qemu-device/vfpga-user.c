/*
 * vfpga: BAR0, the user logic (the FPGA application's AXI-Lite registers).
 *
 * Identification, a scratch register and the interrupt generator, which
 * drives the XDMA user interrupt lines the way FPGA logic drives usr_irq_req.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/registerfields.h"
#include "vfpga.h"
#include "trace.h"

REG32(ID, VFPGA_USER_ID)
REG32(VERSION, VFPGA_USER_VERSION)
REG32(SCRATCH, VFPGA_USER_SCRATCH)
REG32(CAPS, VFPGA_USER_CAPS)
REG32(IRQGEN_CTRL, VFPGA_IRQGEN_CTRL)
REG32(IRQGEN_STATUS, VFPGA_IRQGEN_STATUS)
REG32(IRQGEN_LINE, VFPGA_IRQGEN_LINE)
REG32(IRQGEN_COUNT, VFPGA_IRQGEN_COUNT)
REG32(IRQGEN_RAISED, VFPGA_IRQGEN_RAISED)
REG32(IRQGEN_ACKED, VFPGA_IRQGEN_ACKED)
REG32(IRQGEN_ACK, VFPGA_IRQGEN_ACK)

static VFPGAState *vfpga_of(RegisterInfo *reg)
{
    return VFPGA(reg->opaque);
}

static void vfpga_irqgen_raise(VFPGAState *s)
{
    s->user_regs[R_IRQGEN_RAISED]++;
    s->irqgen_pending = true;
    trace_vfpga_irqgen_raise(s->irqgen_line, s->user_regs[R_IRQGEN_RAISED]);
    vfpga_xdma_irq_set_user_line(s, s->irqgen_line, true);
}

static void vfpga_irqgen_withdraw(VFPGAState *s)
{
    if (s->irqgen_pending) {
        s->irqgen_pending = false;
        vfpga_xdma_irq_set_user_line(s, s->irqgen_line, false);
    }
}

static void vfpga_irqgen_ctrl_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    /* Command bits are self-clearing: CTRL always reads as zero. */
    s->user_regs[R_IRQGEN_CTRL] = 0;

    if (val & VFPGA_IRQGEN_CTRL_STOP) {
        trace_vfpga_irqgen_stop(s->user_regs[R_IRQGEN_RAISED],
                                s->user_regs[R_IRQGEN_ACKED]);
        s->irqgen_running = false;
        vfpga_irqgen_withdraw(s);
    }
    if (val & VFPGA_IRQGEN_CTRL_START) {
        vfpga_irqgen_withdraw(s);
        s->irqgen_line = s->user_regs[R_IRQGEN_LINE];
        s->user_regs[R_IRQGEN_RAISED] = 0;
        s->user_regs[R_IRQGEN_ACKED] = 0;
        s->irqgen_running = s->user_regs[R_IRQGEN_COUNT] != 0;
        trace_vfpga_irqgen_start(s->irqgen_line, s->user_regs[R_IRQGEN_COUNT]);
        if (s->irqgen_running) {
            vfpga_irqgen_raise(s);
        }
    }
}

static uint64_t vfpga_irqgen_line_prew(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    if (val >= VFPGA_USER_IRQ_LINES) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: IRQGEN_LINE %" PRIu64
                      " out of range (0..%d), ignored\n", val,
                      VFPGA_USER_IRQ_LINES - 1);
        trace_vfpga_err_irqgen_bad_line(val);
        return s->user_regs[R_IRQGEN_LINE];
    }
    return val;
}

static void vfpga_irqgen_ack_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    s->user_regs[R_IRQGEN_ACK] = 0;
    if (!(val & VFPGA_IRQGEN_ACK_BIT)) {
        return;
    }
    if (!s->irqgen_pending) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "vfpga: IRQGEN_ACK with no interrupt pending\n");
        trace_vfpga_err_irqgen_ack_idle();
        return;
    }

    vfpga_irqgen_withdraw(s);
    s->user_regs[R_IRQGEN_ACKED]++;
    trace_vfpga_irqgen_ack(s->user_regs[R_IRQGEN_ACKED]);

    if (s->user_regs[R_IRQGEN_ACKED] >= s->user_regs[R_IRQGEN_COUNT]) {
        s->irqgen_running = false;
    } else if (s->irqgen_running) {
        /* Ping-pong: the next one follows its predecessor's acknowledge. */
        vfpga_irqgen_raise(s);
    }
}

static uint64_t vfpga_irqgen_status_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    return (s->irqgen_running || s->irqgen_pending ?
            VFPGA_IRQGEN_STATUS_BUSY : 0) |
           (s->irqgen_pending ? VFPGA_IRQGEN_STATUS_PENDING : 0);
}

static const RegisterAccessInfo vfpga_user_regs_info[] = {
    {   .name = "ID", .addr = A_ID,
        .reset = VFPGA_ID_MAGIC, .ro = UINT32_MAX,
    },{ .name = "VERSION", .addr = A_VERSION,
        .reset = VFPGA_VERSION_CURRENT, .ro = UINT32_MAX,
    },{ .name = "SCRATCH", .addr = A_SCRATCH,
    },{ .name = "CAPS", .addr = A_CAPS,
        .reset = VFPGA_CAP_IRQGEN, .ro = UINT32_MAX,
    },{ .name = "IRQGEN_CTRL", .addr = A_IRQGEN_CTRL,
        .rsvd = ~(uint32_t)(VFPGA_IRQGEN_CTRL_START | VFPGA_IRQGEN_CTRL_STOP),
        .post_write = vfpga_irqgen_ctrl_postw,
    },{ .name = "IRQGEN_STATUS", .addr = A_IRQGEN_STATUS,
        .ro = UINT32_MAX,
        .post_read = vfpga_irqgen_status_postr,
    },{ .name = "IRQGEN_LINE", .addr = A_IRQGEN_LINE,
        .pre_write = vfpga_irqgen_line_prew,
    },{ .name = "IRQGEN_COUNT", .addr = A_IRQGEN_COUNT,
    },{ .name = "IRQGEN_RAISED", .addr = A_IRQGEN_RAISED,
        .ro = UINT32_MAX,
    },{ .name = "IRQGEN_ACKED", .addr = A_IRQGEN_ACKED,
        .ro = UINT32_MAX,
    },{ .name = "IRQGEN_ACK", .addr = A_IRQGEN_ACK,
        .rsvd = ~(uint32_t)VFPGA_IRQGEN_ACK_BIT,
        .post_write = vfpga_irqgen_ack_postw,
    }
};

void vfpga_user_init(VFPGAState *s)
{
    vfpga_reg_block_init(&s->user_block, "user",
                         vfpga_user_regs_info,
                         ARRAY_SIZE(vfpga_user_regs_info),
                         s->user_regs_info, s->user_regs,
                         ARRAY_SIZE(s->user_regs), s);
    memory_region_init_io(&s->user_bar, OBJECT(s), &vfpga_reg_block_ops,
                          &s->user_block, "vfpga-user", VFPGA_BAR_USER_SIZE);
}

void vfpga_user_reset(VFPGAState *s)
{
    s->irqgen_running = false;
    s->irqgen_pending = false;
    s->irqgen_line = 0;
    vfpga_reg_block_reset(&s->user_block);
}
