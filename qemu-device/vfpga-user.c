/*
 * vfpga: the reference design, the user logic built into QEMU.
 *
 * Identification, a scratch register, the device clock, the fault
 * injection and campaign registers and the interrupt generator, which
 * drives the XDMA user interrupt lines the way FPGA logic drives
 * usr_irq_req.  It is one implementation of the user-logic interface
 * (include/vfpga/vfpga_user_logic.h; vfpga-ulogic.c is the host side):
 * the board uses it unless its "user-logic" property names a plug-in.
 * Being built in, it keeps its state in the board's own fields, which
 * migrate with the device, and leaves memory-mapped DMA to card memory.
 * On a board with stream channels it has a stream loopback and a packet
 * generator too (vfpga-user-stream.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/host-utils.h"
#include "qemu/main-loop.h"
#include "qapi/error.h"
#include "hw/registerfields.h"
#include "vfpga.h"
#include "trace.h"

REG32(ID, VFPGA_USER_ID)
REG32(VERSION, VFPGA_USER_VERSION)
REG32(SCRATCH, VFPGA_USER_SCRATCH)
REG32(CAPS, VFPGA_USER_CAPS)
REG32(TIME_LO, VFPGA_USER_TIME_LO)
REG32(TIME_HI, VFPGA_USER_TIME_HI)
REG32(FAULT, VFPGA_USER_FAULT)
REG32(FAULT_VECTOR, VFPGA_USER_FAULT_VECTOR)
REG32(CAMPAIGN_SEED, VFPGA_CAMPAIGN_SEED)
REG32(CAMPAIGN_RATE, VFPGA_CAMPAIGN_RATE)
REG32(CAMPAIGN_MASK, VFPGA_CAMPAIGN_MASK)
REG32(CAMPAIGN_EVENTS, VFPGA_CAMPAIGN_EVENTS)
REG32(CAMPAIGN_INJECTED, VFPGA_CAMPAIGN_INJECTED)
REG32(CAMPAIGN_LAST, VFPGA_CAMPAIGN_LAST)
REG32(IRQGEN_CTRL, VFPGA_IRQGEN_CTRL)
REG32(IRQGEN_STATUS, VFPGA_IRQGEN_STATUS)
REG32(IRQGEN_LINE, VFPGA_IRQGEN_LINE)
REG32(IRQGEN_COUNT, VFPGA_IRQGEN_COUNT)
REG32(IRQGEN_RAISED, VFPGA_IRQGEN_RAISED)
REG32(IRQGEN_ACKED, VFPGA_IRQGEN_ACKED)
REG32(IRQGEN_ACK, VFPGA_IRQGEN_ACK)
REG32(IRQGEN_MODE, VFPGA_IRQGEN_MODE)
REG32(IRQGEN_RATE, VFPGA_IRQGEN_RATE)
REG32(IRQGEN_DURATION_US, VFPGA_IRQGEN_DURATION_US)
REG32(IRQGEN_OVERRUN, VFPGA_IRQGEN_OVERRUN)
REG32(IRQGEN_QUEUE_DEPTH, VFPGA_IRQGEN_QUEUE_DEPTH)
REG32(IRQGEN_QUEUED, VFPGA_IRQGEN_QUEUED)
REG32(IRQGEN_STALLED_US, VFPGA_IRQGEN_STALLED_US)
REG32(IRQGEN_LAST_RAISE_LO, VFPGA_IRQGEN_LAST_RAISE_LO)
REG32(IRQGEN_LAST_RAISE_HI, VFPGA_IRQGEN_LAST_RAISE_HI)

/* The paced generator looks at the clock at most this often... */
#define VFPGA_IRQGEN_MIN_TICK_NS    20000
/* ... and, while beats are still to come, at least this often. */
#define VFPGA_IRQGEN_LOOK_NS        (10 * 1000 * 1000)
/*
 * A look this much later than the previous one means QEMU itself did not
 * run (the host stopped it, or the main loop starved): not the guest's
 * doing.  Observed here: guests frozen for 1.5 to 8 s under load.
 */
#define VFPGA_IRQGEN_STALL_NS       (100 * 1000 * 1000)

static VFPGAState *vfpga_of(RegisterInfo *reg)
{
    return VFPGA(reg->opaque);
}

static void vfpga_irqgen_raise(VFPGAState *s)
{
    /* Rotating: every raise after the first moves to the next line. */
    if (s->irqgen.rotate && s->user_regs[R_IRQGEN_RAISED]) {
        s->irqgen.line = (s->irqgen.line + 1) % VFPGA_USER_IRQ_LINES;
    }
    vfpga_campaign_event(s, VFPGA_CAMPAIGN_IRQ_RAISE);
    s->user_regs[R_IRQGEN_RAISED]++;
    s->irqgen.pending = true;
    s->irqgen.last_raise_ns = vfpga_now_ns(s);
    trace_vfpga_irqgen_raise(s->irqgen.line, s->user_regs[R_IRQGEN_RAISED]);
    vfpga_ul_host_ops.usr_irq_req((struct vfpga_ul_host *)s, s->irqgen.line,
                                  true);
}

static void vfpga_irqgen_withdraw(VFPGAState *s)
{
    if (s->irqgen.pending) {
        s->irqgen.pending = false;
        vfpga_ul_host_ops.usr_irq_req((struct vfpga_ul_host *)s,
                                      s->irqgen.line, false);
    }
}

/* Beats [0, due) of a paced run have fallen due by device time @now. */
static uint64_t vfpga_irqgen_beats_due(VFPGAState *s, uint64_t now)
{
    uint64_t due = muldiv64(now - s->irqgen.start_ns, s->irqgen.rate,
                            NANOSECONDS_PER_SECOND) + 1;

    return MIN(due, s->irqgen.beats);
}

/*
 * Account every beat that fell due since the last look: the first one
 * raises if nothing is pending, the rest wait in the event queue while it
 * has room and are overruns beyond.  Device time, not how often this
 * runs, decides how many beats there were.  The queue is what lets an
 * emulated board keep a fixed rate at all: QEMU's timers fire late by
 * the host's scheduling, so beats come due in bunches.
 *
 * The timer only runs while nothing is pending, to raise the next beat;
 * while an interrupt is pending, its acknowledge and every read of the
 * generator's counters account for the beats meanwhile.  Not waking the
 * main loop once per beat matters under TCG: at 100,000 beats/s those
 * wake-ups alone took the vCPUs' time.
 */
static void vfpga_irqgen_account(VFPGAState *s)
{
    uint64_t now, done, due, missed, room, next;

    if (!s->irqgen.running || s->irqgen.mode != VFPGA_IRQGEN_MODE_PACED) {
        return;
    }
    now = vfpga_now_ns(s);
    if (now - s->irqgen.last_look_ns > VFPGA_IRQGEN_STALL_NS) {
        /*
         * The emulator stalled: pause the schedule for the stall, as the
         * virtual clock pauses with the VM, rather than count beats no
         * guest could have handled as overruns.  Shown in STALLED_US.
         */
        uint64_t stall = now - s->irqgen.last_look_ns - VFPGA_IRQGEN_LOOK_NS;

        s->irqgen.start_ns += stall;
        s->user_regs[R_IRQGEN_STALLED_US] += stall / 1000;
        trace_vfpga_irqgen_stall(stall);
    }
    s->irqgen.last_look_ns = now;
    done = (uint64_t)s->user_regs[R_IRQGEN_RAISED] +
           s->user_regs[R_IRQGEN_QUEUED] + s->user_regs[R_IRQGEN_OVERRUN];
    due = vfpga_irqgen_beats_due(s, now);
    if (due > done) {
        missed = due - done;
        if (!s->irqgen.pending) {
            vfpga_irqgen_raise(s);
            missed--;
        }
        room = s->irqgen.queue_depth - s->user_regs[R_IRQGEN_QUEUED];
        room = MIN(room, missed);
        s->user_regs[R_IRQGEN_QUEUED] += room;
        missed -= room;
        if (missed) {
            s->user_regs[R_IRQGEN_OVERRUN] += missed;
            trace_vfpga_irqgen_overrun(s->user_regs[R_IRQGEN_OVERRUN]);
        }
        done = due;
    }
    if (done >= s->irqgen.beats) {
        /* The acknowledges raise what the queue still holds. */
        s->irqgen.running = s->user_regs[R_IRQGEN_QUEUED] != 0;
        timer_del(s->irqgen.timer);
        return;
    }
    /*
     * Beat number @done falls due at start + done / rate seconds; at
     * most one wake-up per MIN_TICK, beats in between queue up.  While
     * one is pending its acknowledge looks, and the timer only keeps
     * watch, every LOOK_NS, so that a stall can be told from a slow guest.
     */
    next = s->irqgen.start_ns + muldiv64(done, NANOSECONDS_PER_SECOND,
                                         s->irqgen.rate);
    if (s->irqgen.pending || next > now + VFPGA_IRQGEN_LOOK_NS) {
        int64_t armed = timer_expire_time_ns(s->irqgen.timer);

        /*
         * Keep watch with the timer already armed, if it fires in time:
         * re-arming it on every acknowledge would wake the main loop
         * once per interrupt, which slowed 100k/s storms to 50k/s.
         */
        if (armed >= 0 && armed <= (int64_t)(now + VFPGA_IRQGEN_LOOK_NS +
                                             s->clock_origin_ns)) {
            return;
        }
        next = now + VFPGA_IRQGEN_LOOK_NS;
    }
    next = MAX(next, now + VFPGA_IRQGEN_MIN_TICK_NS);
    timer_mod(s->irqgen.timer, next + s->clock_origin_ns);
}

/*
 * A raise sends a message, which may be aimed at this board's own
 * registers, so it must run under the device's re-entrancy guard: the
 * timer leaves it to the (guarded) bottom half.  While an interrupt is
 * pending the look raises nothing and sends nothing, and it must happen
 * on time, or a slow acknowledge would look like an emulator stall.
 */
static void vfpga_irqgen_tick(void *opaque)
{
    VFPGAState *s = opaque;

    if (s->irqgen.pending) {
        vfpga_irqgen_account(s);
    } else {
        qemu_bh_schedule(s->irqgen.bh);
    }
}

static void vfpga_irqgen_bh(void *opaque)
{
    vfpga_irqgen_account(opaque);
}

/* START: a run that cannot start is a guest error and changes nothing. */
static void vfpga_irqgen_start(VFPGAState *s)
{
    uint32_t mode = s->user_regs[R_IRQGEN_MODE];
    bool paced = mode & VFPGA_IRQGEN_MODE_PACED;
    uint32_t count = s->user_regs[R_IRQGEN_COUNT];
    uint32_t rate = s->user_regs[R_IRQGEN_RATE];
    uint64_t beats = count;

    if (paced) {
        if (!rate) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfpga: paced IRQGEN start "
                          "with RATE 0 ignored\n");
            trace_vfpga_err_irqgen_bad_start("rate 0");
            return;
        }
        if (!count) {
            /* Beats at 0, 1/rate, ... that fall inside the duration. */
            beats = DIV_ROUND_UP((uint64_t)s->user_regs[R_IRQGEN_DURATION_US] *
                                 rate, 1000000);
        }
        if (!beats) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfpga: paced IRQGEN start "
                          "with neither COUNT nor DURATION_US ignored\n");
            trace_vfpga_err_irqgen_bad_start("no count or duration");
            return;
        }
        if (s->user_regs[R_IRQGEN_QUEUE_DEPTH] > VFPGA_IRQGEN_QUEUE_MAX) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfpga: paced IRQGEN start "
                          "with QUEUE_DEPTH %u > %u ignored\n",
                          s->user_regs[R_IRQGEN_QUEUE_DEPTH],
                          VFPGA_IRQGEN_QUEUE_MAX);
            trace_vfpga_err_irqgen_bad_start("queue depth");
            return;
        }
    }

    vfpga_irqgen_withdraw(s);
    timer_del(s->irqgen.timer);
    s->irqgen.mode = mode & VFPGA_IRQGEN_MODE_PACED;
    s->irqgen.rotate = mode & VFPGA_IRQGEN_MODE_ROTATE;
    s->irqgen.line = s->user_regs[R_IRQGEN_LINE];
    s->irqgen.rate = rate;
    s->irqgen.queue_depth = paced ? s->user_regs[R_IRQGEN_QUEUE_DEPTH] : 0;
    s->irqgen.beats = beats;
    s->user_regs[R_IRQGEN_RAISED] = 0;
    s->user_regs[R_IRQGEN_ACKED] = 0;
    s->user_regs[R_IRQGEN_OVERRUN] = 0;
    s->user_regs[R_IRQGEN_QUEUED] = 0;
    s->user_regs[R_IRQGEN_STALLED_US] = 0;
    s->irqgen.running = beats != 0;
    trace_vfpga_irqgen_start(mode, s->irqgen.line, count, rate);
    if (!s->irqgen.running) {
        return;
    }
    if (paced) {
        s->irqgen.start_ns = vfpga_now_ns(s);
        s->irqgen.last_look_ns = s->irqgen.start_ns;
        vfpga_irqgen_account(s);
    } else {
        vfpga_irqgen_raise(s);
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
        vfpga_user_stop_irqgen(s);
        vfpga_irqgen_withdraw(s);
        /* What waited is dropped: it counts as missed. */
        s->user_regs[R_IRQGEN_OVERRUN] += s->user_regs[R_IRQGEN_QUEUED];
        s->user_regs[R_IRQGEN_QUEUED] = 0;
    }
    if (val & VFPGA_IRQGEN_CTRL_START) {
        vfpga_irqgen_start(s);
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
    if (!s->irqgen.pending) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "vfpga: IRQGEN_ACK with no interrupt pending\n");
        trace_vfpga_err_irqgen_ack_idle();
        return;
    }

    /* Beats that fell due while this one was pending queue or overrun. */
    vfpga_irqgen_account(s);
    vfpga_irqgen_withdraw(s);
    s->user_regs[R_IRQGEN_ACKED]++;
    trace_vfpga_irqgen_ack(s->user_regs[R_IRQGEN_ACKED]);

    if (s->irqgen.mode == VFPGA_IRQGEN_MODE_PACED) {
        /* A queued beat is raised by the acknowledge of its predecessor. */
        if (s->user_regs[R_IRQGEN_QUEUED]) {
            s->user_regs[R_IRQGEN_QUEUED]--;
            vfpga_irqgen_raise(s);
        }
        vfpga_irqgen_account(s);
        return;
    }
    if (!s->irqgen.running) {
        return;
    }
    if (s->user_regs[R_IRQGEN_ACKED] >= s->irqgen.beats) {
        s->irqgen.running = false;
    } else {
        /* Ping-pong: the next one follows its predecessor's acknowledge. */
        vfpga_irqgen_raise(s);
    }
}

/* A paced run's counters are brought up to date when read. */
static uint64_t vfpga_irqgen_counter_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    vfpga_irqgen_account(s);
    return s->user_regs[reg->access->addr / 4];
}

static uint64_t vfpga_irqgen_status_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    vfpga_irqgen_account(s);
    return (s->irqgen.running || s->irqgen.pending ?
            VFPGA_IRQGEN_STATUS_BUSY : 0) |
           (s->irqgen.pending ? VFPGA_IRQGEN_STATUS_PENDING : 0);
}

/* The stream block is there only on a board with stream channels. */
static uint64_t vfpga_caps_postr(RegisterInfo *reg, uint64_t val)
{
    return val | (vfpga_of(reg)->stream.present ? VFPGA_CAP_STREAM : 0);
}

/* 64-bit counters read as LO then HI: reading LO latches HI. */
static uint64_t vfpga_time_lo_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);
    uint64_t now = vfpga_now_ns(s);

    s->time_hi_latch = now >> 32;
    return (uint32_t)now;
}

static uint64_t vfpga_time_hi_postr(RegisterInfo *reg, uint64_t val)
{
    return vfpga_of(reg)->time_hi_latch;
}

static uint64_t vfpga_last_raise_lo_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    s->last_raise_hi_latch = s->irqgen.last_raise_ns >> 32;
    return (uint32_t)s->irqgen.last_raise_ns;
}

static uint64_t vfpga_last_raise_hi_postr(RegisterInfo *reg, uint64_t val)
{
    return vfpga_of(reg)->last_raise_hi_latch;
}

static uint64_t vfpga_fault_postr(RegisterInfo *reg, uint64_t val)
{
    return vfpga_of(reg)->faults;
}

/* Writing FAULT arms the bits written as 1 and disarms the others. */
static void vfpga_fault_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    s->user_regs[R_FAULT] = 0;
    s->faults &= val | VFPGA_FAULT_SURPRISE_REMOVAL;
    vfpga_fault_arm(s, val);
}

static void vfpga_fault_vector_postw(RegisterInfo *reg, uint64_t val)
{
    vfpga_of(reg)->fault_vector = val;
}

/*
 * The campaign registers show the campaign's state, which a reset keeps
 * (vfpga-campaign.c); a value the campaign refuses is a guest error and
 * changes nothing.
 */
static uint64_t vfpga_campaign_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);

    switch (reg->access->addr) {
    case A_CAMPAIGN_SEED:
        return s->campaign_seed;
    case A_CAMPAIGN_RATE:
        return s->campaign_rate;
    case A_CAMPAIGN_MASK:
        return s->campaign_mask;
    case A_CAMPAIGN_EVENTS:
        return s->campaign_events;
    case A_CAMPAIGN_INJECTED:
        return s->campaign_injected;
    default:
        return s->campaign_last;
    }
}

static void vfpga_campaign_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);
    Error *err = NULL;

    *(uint32_t *)reg->data = 0;
    if (s->user_resetting) {
        /* register_reset() runs this too: a reset keeps the campaign. */
        return;
    }
    switch (reg->access->addr) {
    case A_CAMPAIGN_SEED:
        vfpga_campaign_set_seed(s, val, &err);
        break;
    case A_CAMPAIGN_RATE:
        vfpga_campaign_set_rate(s, val, &err);
        break;
    default:
        vfpga_campaign_set_mask(s, val, &err);
        break;
    }
    if (err) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s; write to %s ignored\n",
                      error_get_pretty(err), reg->access->name);
        trace_vfpga_err_campaign(reg->access->name, val);
        error_free(err);
    }
}

#define CAMPAIGN_REG(NAME) {                        \
    .name = #NAME, .addr = A_##NAME,                \
    .post_write = vfpga_campaign_postw,             \
    .post_read = vfpga_campaign_postr,              \
}
#define CAMPAIGN_RO_REG(NAME) {                     \
    .name = #NAME, .addr = A_##NAME,                \
    .ro = UINT32_MAX,                               \
    .post_read = vfpga_campaign_postr,              \
}

static const RegisterAccessInfo vfpga_user_regs_info[] = {
    {   .name = "ID", .addr = A_ID,
        .reset = VFPGA_ID_MAGIC, .ro = UINT32_MAX,
    },{ .name = "VERSION", .addr = A_VERSION,
        .reset = VFPGA_VERSION_CURRENT, .ro = UINT32_MAX,
    },{ .name = "SCRATCH", .addr = A_SCRATCH,
    },{ .name = "CAPS", .addr = A_CAPS,
        .reset = VFPGA_CAP_IRQGEN | VFPGA_CAP_IRQGEN_PACED | VFPGA_CAP_DMA |
                 VFPGA_CAP_FAULT,
        .ro = UINT32_MAX,
        .post_read = vfpga_caps_postr,
    },{ .name = "TIME_LO", .addr = A_TIME_LO, .ro = UINT32_MAX,
        .post_read = vfpga_time_lo_postr,
    },{ .name = "TIME_HI", .addr = A_TIME_HI, .ro = UINT32_MAX,
        .post_read = vfpga_time_hi_postr,
    },{ .name = "FAULT", .addr = A_FAULT,
        .rsvd = ~VFPGA_FAULT_ALL,
        .post_write = vfpga_fault_postw,
        .post_read = vfpga_fault_postr,
    },{ .name = "FAULT_VECTOR", .addr = A_FAULT_VECTOR,
        .rsvd = ~(uint32_t)(VFPGA_MSIX_VECTORS - 1),
        .post_write = vfpga_fault_vector_postw,
    },
    CAMPAIGN_REG(CAMPAIGN_SEED),
    CAMPAIGN_REG(CAMPAIGN_RATE),
    CAMPAIGN_REG(CAMPAIGN_MASK),
    CAMPAIGN_RO_REG(CAMPAIGN_EVENTS),
    CAMPAIGN_RO_REG(CAMPAIGN_INJECTED),
    CAMPAIGN_RO_REG(CAMPAIGN_LAST),
    { .name = "IRQGEN_CTRL", .addr = A_IRQGEN_CTRL,
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
        .post_read = vfpga_irqgen_counter_postr,
    },{ .name = "IRQGEN_ACKED", .addr = A_IRQGEN_ACKED,
        .ro = UINT32_MAX,
    },{ .name = "IRQGEN_ACK", .addr = A_IRQGEN_ACK,
        .rsvd = ~(uint32_t)VFPGA_IRQGEN_ACK_BIT,
        .post_write = vfpga_irqgen_ack_postw,
    },{ .name = "IRQGEN_MODE", .addr = A_IRQGEN_MODE,
        .rsvd = ~(uint32_t)(VFPGA_IRQGEN_MODE_PACED |
                            VFPGA_IRQGEN_MODE_ROTATE),
    },{ .name = "IRQGEN_RATE", .addr = A_IRQGEN_RATE,
    },{ .name = "IRQGEN_DURATION_US", .addr = A_IRQGEN_DURATION_US,
    },{ .name = "IRQGEN_OVERRUN", .addr = A_IRQGEN_OVERRUN,
        .ro = UINT32_MAX,
        .post_read = vfpga_irqgen_counter_postr,
    },{ .name = "IRQGEN_QUEUE_DEPTH", .addr = A_IRQGEN_QUEUE_DEPTH,
    },{ .name = "IRQGEN_QUEUED", .addr = A_IRQGEN_QUEUED,
        .ro = UINT32_MAX,
        .post_read = vfpga_irqgen_counter_postr,
    },{ .name = "IRQGEN_STALLED_US", .addr = A_IRQGEN_STALLED_US,
        .ro = UINT32_MAX,
        .post_read = vfpga_irqgen_counter_postr,
    },{ .name = "IRQGEN_LAST_RAISE_LO", .addr = A_IRQGEN_LAST_RAISE_LO,
        .ro = UINT32_MAX,
        .post_read = vfpga_last_raise_lo_postr,
    },{ .name = "IRQGEN_LAST_RAISE_HI", .addr = A_IRQGEN_LAST_RAISE_HI,
        .ro = UINT32_MAX,
        .post_read = vfpga_last_raise_hi_postr,
    }
};

static void vfpga_user_init(VFPGAState *s)
{
    vfpga_reg_block_init(&s->user_block, "user",
                         vfpga_user_regs_info,
                         ARRAY_SIZE(vfpga_user_regs_info),
                         s->user_regs_info, s->user_regs,
                         ARRAY_SIZE(s->user_regs), s);
    s->irqgen.timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, vfpga_irqgen_tick, s);
    s->irqgen.bh = qemu_bh_new_guarded(vfpga_irqgen_bh, s,
                                       &DEVICE(s)->mem_reentrancy_guard);
}

/* Stop the generator's clock, as reset and surprise removal do. */
void vfpga_user_stop_irqgen(VFPGAState *s)
{
    s->irqgen.running = false;
    timer_del(s->irqgen.timer);
    qemu_bh_cancel(s->irqgen.bh);
}

static void vfpga_user_reset(VFPGAState *s)
{
    vfpga_user_stop_irqgen(s);
    s->irqgen.pending = false;
    s->irqgen.line = 0;
    s->irqgen.mode = VFPGA_IRQGEN_MODE_PINGPONG;
    s->irqgen.rotate = false;
    s->irqgen.beats = 0;
    s->irqgen.rate = 0;
    s->irqgen.queue_depth = 0;
    s->irqgen.start_ns = 0;
    s->irqgen.last_look_ns = 0;
    s->irqgen.last_raise_ns = 0;
    s->time_hi_latch = 0;
    s->last_raise_hi_latch = 0;
    s->user_resetting = true;
    vfpga_reg_block_reset(&s->user_block);
    s->user_resetting = false;
}

/*
 * A stream could hold what no guest can program: refuse it rather than
 * trip an assertion (a line past 15) or divide by zero (rate 0) later.
 */
int vfpga_user_post_load(VFPGAState *s)
{
    uint32_t modes = VFPGA_IRQGEN_MODE_PACED;

    if (s->irqgen.line >= VFPGA_USER_IRQ_LINES ||
        s->user_regs[R_IRQGEN_LINE] >= VFPGA_USER_IRQ_LINES ||
        (s->irqgen.mode & ~modes) ||
        s->user_regs[R_IRQGEN_QUEUE_DEPTH] > VFPGA_IRQGEN_QUEUE_MAX) {
        return -EINVAL;
    }
    if (s->irqgen.running && s->irqgen.mode == VFPGA_IRQGEN_MODE_PACED &&
        (!s->irqgen.rate ||
         s->irqgen.queue_depth > VFPGA_IRQGEN_QUEUE_MAX ||
         s->user_regs[R_IRQGEN_QUEUED] > s->irqgen.queue_depth)) {
        return -EINVAL;
    }
    return 0;
}

static void vfpga_user_exit(VFPGAState *s)
{
    timer_free(s->irqgen.timer);
    s->irqgen.timer = NULL;
    qemu_bh_delete(s->irqgen.bh);
    s->irqgen.bh = NULL;
}

/*
 * The reference design behind the user-logic interface.  The host handle
 * is the board itself, whose fields hold the design's registers.
 */
static void *vfpga_ref_create(struct vfpga_ul_host *host,
                              const struct vfpga_ul_host_ops *ops,
                              const struct vfpga_ul_board *board,
                              char *err, size_t err_len)
{
    VFPGAState *s = (VFPGAState *)host;

    vfpga_user_init(s);
    vfpga_ref_stream_init(s);
    return s;
}

static void vfpga_ref_destroy(void *ul)
{
    vfpga_ref_stream_exit(ul);
    vfpga_user_exit(ul);
}

static void vfpga_ref_reset(void *ul)
{
    vfpga_user_reset(ul);
    vfpga_ref_stream_reset(ul);
}

/* An AXI-Lite slave that answers a hole with zeros (OKAY). */
static enum vfpga_axi_resp vfpga_ref_axil_read(void *ul, uint32_t addr,
                                               uint32_t *data)
{
    VFPGAState *s = ul;

    if (vfpga_ref_stream_decodes(s, addr)) {
        *data = vfpga_ref_stream_read(s, addr);
    } else {
        *data = vfpga_reg_block_ops.read(&s->user_block, addr, 4);
    }
    return VFPGA_AXI_OKAY;
}

static enum vfpga_axi_resp vfpga_ref_axil_write(void *ul, uint32_t addr,
                                                uint32_t data)
{
    VFPGAState *s = ul;

    if (vfpga_ref_stream_decodes(s, addr)) {
        vfpga_ref_stream_write(s, addr, data);
    } else {
        vfpga_reg_block_ops.write(&s->user_block, addr, data, 4);
    }
    return VFPGA_AXI_OKAY;
}

const struct vfpga_user_logic vfpga_reference_logic = {
    .abi_version = VFPGA_UL_ABI_VERSION,
    .name = "reference",
    .create = vfpga_ref_create,
    .destroy = vfpga_ref_destroy,
    .reset = vfpga_ref_reset,
    .axil_read = vfpga_ref_axil_read,
    .axil_write = vfpga_ref_axil_write,
    .h2c_stream = vfpga_ref_h2c_stream,
    .c2h_stream = vfpga_ref_c2h_stream,
};
