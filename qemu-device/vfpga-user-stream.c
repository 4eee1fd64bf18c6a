/*
 * vfpga: the reference design's AXI4-Stream side.
 *
 * On a board with stream channels (h2c-stream / c2h-stream) the built-in
 * user logic has a stream block at VFPGA_STREAM_CTRL of the user BAR and
 * sits behind the stream ports of channel 0:
 *  - a loopback: H2C stream 0 into a FIFO (FIFO_LIMIT bytes of at most
 *    VFPGA_STREAM_FIFO_MAX), out of C2H stream 0, packet boundaries kept.
 *    A full FIFO (or CTRL_HOLD) is back-pressure on H2C 0, counted;
 *  - a packet generator on C2H stream 0 (CTRL_GEN): GEN_COUNT packets of
 *    GEN_SIZE bytes at GEN_RATE per second of device time, each dropped
 *    and counted when the previous one was not yet taken.
 * Other H2C streams are sinks that take everything; other C2H streams
 * never have data.  include/vfpga/vfpga_regs.h and docs/register-map.md
 * describe the registers.  All of it migrates (vmstate_vfpga_ref_stream):
 * the bytes and packet boundaries in the FIFO, the generator's run; the
 * engines keep the rest in their descriptors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/host-utils.h"
#include "hw/registerfields.h"
#include "migration/vmstate.h"
#include "vfpga.h"
#include "trace.h"

#define ST(reg)     (VFPGA_STREAM_##reg - VFPGA_STREAM_CTRL)

REG32(ST_CTRL, ST(CTRL))
REG32(ST_FIFO_LIMIT, ST(FIFO_LIMIT))
REG32(ST_FIFO_LEVEL, ST(FIFO_LEVEL))
REG32(ST_H2C_PACKETS, ST(H2C_PACKETS))
REG32(ST_H2C_BYTES, ST(H2C_BYTES))
REG32(ST_H2C_BACKPRESSURE, ST(H2C_BACKPRESSURE))
REG32(ST_C2H_PACKETS, ST(C2H_PACKETS))
REG32(ST_C2H_BYTES, ST(C2H_BYTES))
REG32(ST_GEN_SIZE, ST(GEN_SIZE))
REG32(ST_GEN_RATE, ST(GEN_RATE))
REG32(ST_GEN_COUNT, ST(GEN_COUNT))
REG32(ST_GEN_SENT, ST(GEN_SENT))
REG32(ST_GEN_BACKPRESSURE, ST(GEN_BACKPRESSURE))

static VFPGAState *vfpga_of(RegisterInfo *reg)
{
    return reg->opaque;
}

static bool vfpga_st_has(VFPGAState *s, bool c2h)
{
    return (c2h ? s->c2h_stream : s->h2c_stream) & 1;
}

/* tready / tvalid rose on channel 0 of one direction. */
static void vfpga_st_ready(VFPGAState *s, bool c2h)
{
    if (vfpga_st_has(s, c2h)) {
        vfpga_engine_stream_ready(c2h ? &s->c2h[0] : &s->h2c[0]);
    }
}

static bool vfpga_st_gen_on(VFPGAState *s)
{
    return s->stream.regs[R_ST_CTRL] & VFPGA_STREAM_CTRL_GEN;
}

/* ---- the packet generator ------------------------------------------------ */

/* All GEN_COUNT packets are out (or dropped): nothing more falls due. */
static bool vfpga_st_gen_done(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;

    return st->gen_count && st->gen_beats >= st->gen_count;
}

/* Packet @gen_beats falls due: ready it, or drop it if C2H 0 lags. */
static void vfpga_st_gen_beat(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;

    st->gen_beats++;
    if (st->gen_ready) {
        st->regs[R_ST_GEN_BACKPRESSURE]++;
        return;
    }
    st->gen_ready = true;
    st->gen_off = 0;
    vfpga_st_ready(s, true);
}

static uint64_t vfpga_st_gen_due_ns(VFPGAState *s, uint64_t beat)
{
    return s->stream.gen_start_ns +
           muldiv64(beat, NANOSECONDS_PER_SECOND, s->stream.gen_rate);
}

/* Paced: every packet due by now, then the timer for the next one. */
static void vfpga_st_gen_account(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;
    uint64_t now = vfpga_now_ns(s);

    while (!vfpga_st_gen_done(s) &&
           vfpga_st_gen_due_ns(s, st->gen_beats) <= now) {
        vfpga_st_gen_beat(s);
    }
    if (!vfpga_st_gen_done(s)) {
        timer_mod(st->gen_timer, s->clock_origin_ns +
                  vfpga_st_gen_due_ns(s, st->gen_beats));
    }
}

static void vfpga_st_gen_bh(void *opaque)
{
    VFPGAState *s = opaque;

    if (vfpga_st_gen_on(s) && s->stream.gen_rate) {
        vfpga_st_gen_account(s);
    }
}

/* The timer only schedules the guarded bottom half (as the irqgen's). */
static void vfpga_st_gen_tick(void *opaque)
{
    VFPGAState *s = opaque;

    qemu_bh_schedule(s->stream.gen_bh);
}

static void vfpga_st_gen_stop(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;

    timer_del(st->gen_timer);
    qemu_bh_cancel(st->gen_bh);
    st->gen_ready = false;
    st->gen_off = 0;
}

static void vfpga_st_gen_start(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;

    st->gen_size = st->regs[R_ST_GEN_SIZE];
    st->gen_rate = st->regs[R_ST_GEN_RATE];
    st->gen_count = st->regs[R_ST_GEN_COUNT];
    st->regs[R_ST_GEN_SENT] = 0;
    st->regs[R_ST_GEN_BACKPRESSURE] = 0;
    st->gen_beats = 0;
    st->gen_ready = false;
    st->gen_off = 0;
    st->gen_start_ns = vfpga_now_ns(s);
    trace_vfpga_st_gen_start(st->gen_size, st->gen_rate, st->gen_count);
    if (st->gen_rate) {
        vfpga_st_gen_account(s);
    } else {
        vfpga_st_gen_beat(s);
    }
}

/* C2H 0 takes up to @len bytes of the generated packet. */
static size_t vfpga_st_gen_give(VFPGAState *s, uint8_t *buf, size_t len,
                                bool *last)
{
    VFPGARefStream *st = &s->stream;
    uint32_t n = st->regs[R_ST_GEN_SENT];
    size_t i, give;

    if (!st->gen_ready) {
        return 0;
    }
    give = MIN(len, st->gen_size - st->gen_off);
    for (i = 0; i < give; i++) {
        buf[i] = n + st->gen_off + i;
    }
    st->gen_off += give;
    if (st->gen_off == st->gen_size) {
        *last = true;
        st->gen_ready = false;
        st->regs[R_ST_GEN_SENT]++;
        if (!st->gen_rate && !vfpga_st_gen_done(s)) {
            /* Flat out: the next packet is there at once. */
            vfpga_st_gen_beat(s);
        }
    }
    return give;
}

/* ---- the loopback FIFO --------------------------------------------------- */

static uint32_t vfpga_st_level(VFPGAState *s)
{
    return s->stream.regs[R_ST_FIFO_LEVEL];
}

static void vfpga_st_fifo_clear(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;

    g_queue_clear(&st->packets);
    st->head = 0;
    st->open_len = 0;
    st->regs[R_ST_FIFO_LEVEL] = 0;
}

size_t vfpga_ref_h2c_stream(void *ul, unsigned int chan, const void *buf,
                            size_t len, bool last)
{
    VFPGAState *s = ul;
    VFPGARefStream *st = &s->stream;
    uint32_t level = vfpga_st_level(s), limit, tail;
    size_t take, first;

    if (chan) {
        /* Any other H2C stream: a sink that takes everything. */
        st->regs[R_ST_H2C_BYTES] += len;
        st->regs[R_ST_H2C_PACKETS] += last;
        return len;
    }
    if (st->regs[R_ST_CTRL] & VFPGA_STREAM_CTRL_HOLD) {
        st->regs[R_ST_H2C_BACKPRESSURE]++;
        return 0;
    }
    limit = st->regs[R_ST_FIFO_LIMIT];
    take = level < limit ? MIN(len, limit - level) : 0;
    if (take < len) {
        st->regs[R_ST_H2C_BACKPRESSURE]++;
    }
    if (!take) {
        return 0;
    }
    tail = (st->head + level) % VFPGA_STREAM_FIFO_MAX;
    first = MIN(take, VFPGA_STREAM_FIFO_MAX - tail);
    memcpy(st->fifo + tail, buf, first);
    memcpy(st->fifo, (const uint8_t *)buf + first, take - first);
    st->regs[R_ST_FIFO_LEVEL] += take;
    st->regs[R_ST_H2C_BYTES] += take;
    st->open_len += take;
    if (last && take == len) {
        g_queue_push_tail(&st->packets, GUINT_TO_POINTER(st->open_len));
        st->open_len = 0;
        st->regs[R_ST_H2C_PACKETS]++;
    }
    if (!vfpga_st_gen_on(s)) {
        vfpga_st_ready(s, true);
    }
    return take;
}

size_t vfpga_ref_c2h_stream(void *ul, unsigned int chan, void *buf,
                            size_t len, bool *last)
{
    VFPGAState *s = ul;
    VFPGARefStream *st = &s->stream;
    uint32_t avail, head_len = 0;
    size_t give, first;

    if (chan) {
        return 0;
    }
    if (vfpga_st_gen_on(s)) {
        give = vfpga_st_gen_give(s, buf, len, last);
    } else {
        /* The oldest whole packet, or what came of the one still open. */
        if (!g_queue_is_empty(&st->packets)) {
            head_len = GPOINTER_TO_UINT(g_queue_peek_head(&st->packets));
            avail = head_len;
        } else {
            avail = st->open_len;
        }
        give = MIN(len, avail);
        if (!give) {
            return 0;
        }
        first = MIN(give, VFPGA_STREAM_FIFO_MAX - st->head);
        memcpy(buf, st->fifo + st->head, first);
        memcpy((uint8_t *)buf + first, st->fifo, give - first);
        st->head = (st->head + give) % VFPGA_STREAM_FIFO_MAX;
        st->regs[R_ST_FIFO_LEVEL] -= give;
        if (head_len) {
            if (give == head_len) {
                g_queue_pop_head(&st->packets);
                *last = true;
            } else {
                g_queue_peek_head_link(&st->packets)->data =
                    GUINT_TO_POINTER(head_len - give);
            }
        } else {
            st->open_len -= give;
        }
        /* Room again for H2C 0. */
        vfpga_st_ready(s, false);
    }
    if (give) {
        st->regs[R_ST_C2H_BYTES] += give;
        st->regs[R_ST_C2H_PACKETS] += *last;
    }
    return give;
}

/* ---- registers ----------------------------------------------------------- */

static void vfpga_st_ctrl_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);
    uint32_t old = s->stream.ctrl_latched;

    s->stream.ctrl_latched = val;
    if (!(old & VFPGA_STREAM_CTRL_GEN) && (val & VFPGA_STREAM_CTRL_GEN)) {
        vfpga_st_gen_start(s);
    } else if ((old & VFPGA_STREAM_CTRL_GEN) &&
               !(val & VFPGA_STREAM_CTRL_GEN)) {
        vfpga_st_gen_stop(s);
        /* The loopback FIFO feeds C2H 0 again. */
        vfpga_st_ready(s, true);
    }
    if ((old & VFPGA_STREAM_CTRL_HOLD) && !(val & VFPGA_STREAM_CTRL_HOLD)) {
        vfpga_st_ready(s, false);
    }
}

/* A size in 1..VFPGA_STREAM_FIFO_MAX; anything else is refused. */
static uint64_t vfpga_st_size_prew(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = vfpga_of(reg);
    unsigned idx = reg->access->addr / 4;

    if (!val || val > VFPGA_STREAM_FIFO_MAX) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: stream %s must be 1 to %u; "
                      "0x%" PRIx64 " ignored\n", reg->access->name,
                      VFPGA_STREAM_FIFO_MAX, val);
        return s->stream.regs[idx];
    }
    return val;
}

static void vfpga_st_limit_postw(RegisterInfo *reg, uint64_t val)
{
    vfpga_st_ready(vfpga_of(reg), false);
}

#define ST_RO_REG(reg) \
    { .name = #reg, .addr = A_ST_##reg, .ro = UINT32_MAX }

static const RegisterAccessInfo vfpga_st_regs_info[] = {
    {   .name = "CTRL", .addr = A_ST_CTRL,
        .rsvd = ~(uint32_t)(VFPGA_STREAM_CTRL_GEN | VFPGA_STREAM_CTRL_HOLD),
        .post_write = vfpga_st_ctrl_postw,
    },{ .name = "FIFO_LIMIT", .addr = A_ST_FIFO_LIMIT,
        .reset = VFPGA_STREAM_FIFO_MAX,
        .pre_write = vfpga_st_size_prew,
        .post_write = vfpga_st_limit_postw,
    },
    ST_RO_REG(FIFO_LEVEL),
    ST_RO_REG(H2C_PACKETS),
    ST_RO_REG(H2C_BYTES),
    ST_RO_REG(H2C_BACKPRESSURE),
    ST_RO_REG(C2H_PACKETS),
    ST_RO_REG(C2H_BYTES),
    {   .name = "GEN_SIZE", .addr = A_ST_GEN_SIZE,
        .reset = VFPGA_STREAM_GEN_SIZE_DEFAULT,
        .pre_write = vfpga_st_size_prew,
    },{ .name = "GEN_RATE", .addr = A_ST_GEN_RATE,
    },{ .name = "GEN_COUNT", .addr = A_ST_GEN_COUNT,
    },
    ST_RO_REG(GEN_SENT),
    ST_RO_REG(GEN_BACKPRESSURE),
};

bool vfpga_ref_stream_decodes(VFPGAState *s, uint32_t addr)
{
    return s->stream.present && addr >= VFPGA_STREAM_CTRL &&
           addr <= VFPGA_STREAM_GEN_BACKPRESSURE;
}

uint32_t vfpga_ref_stream_read(VFPGAState *s, uint32_t addr)
{
    if (vfpga_st_gen_on(s) && s->stream.gen_rate) {
        vfpga_st_gen_account(s);
    }
    return vfpga_reg_block_ops.read(&s->stream.block,
                                    addr - VFPGA_STREAM_CTRL, 4);
}

void vfpga_ref_stream_write(VFPGAState *s, uint32_t addr, uint32_t val)
{
    vfpga_reg_block_ops.write(&s->stream.block, addr - VFPGA_STREAM_CTRL,
                              val, 4);
}

/* ---- migration ----------------------------------------------------------- */

static void vfpga_st_mig_free(VFPGARefStream *st)
{
    g_free(st->mig_fifo);
    g_free(st->mig_packets);
    st->mig_fifo = NULL;
    st->mig_packets = NULL;
    st->mig_level = 0;
    st->mig_npackets = 0;
}

static bool vfpga_st_needed(void *opaque)
{
    return ((VFPGAState *)opaque)->stream.present;
}

/* The ring as what it holds, oldest byte first; whole packets' lengths. */
static int vfpga_st_pre_save(void *opaque)
{
    VFPGAState *s = opaque;
    VFPGARefStream *st = &s->stream;
    uint32_t level = vfpga_st_level(s), first, i = 0;
    GList *l;

    vfpga_st_mig_free(st);
    st->mig_level = level;
    st->mig_fifo = g_malloc(level);
    first = MIN(level, VFPGA_STREAM_FIFO_MAX - st->head);
    memcpy(st->mig_fifo, st->fifo + st->head, first);
    memcpy(st->mig_fifo + first, st->fifo, level - first);
    st->mig_npackets = g_queue_get_length(&st->packets);
    st->mig_packets = g_new(uint32_t, st->mig_npackets);
    for (l = st->packets.head; l; l = l->next) {
        st->mig_packets[i++] = GPOINTER_TO_UINT(l->data);
    }
    return 0;
}

static int vfpga_st_post_save(void *opaque)
{
    vfpga_st_mig_free(&((VFPGAState *)opaque)->stream);
    return 0;
}

static int vfpga_st_pre_load(void *opaque)
{
    vfpga_st_mig_free(&((VFPGAState *)opaque)->stream);
    return 0;
}

/* Checked before the load allocates what the stream says it holds. */
static bool vfpga_st_level_valid(void *opaque, int version_id)
{
    VFPGARefStream *st = &((VFPGAState *)opaque)->stream;

    /* A board without the block has no FIFO to load into. */
    return st->present && st->mig_level <= VFPGA_STREAM_FIFO_MAX &&
           st->mig_level == st->regs[R_ST_FIFO_LEVEL];
}

/* Every whole packet has a byte at least. */
static bool vfpga_st_npackets_valid(void *opaque, int version_id)
{
    VFPGARefStream *st = &((VFPGAState *)opaque)->stream;

    return st->mig_npackets <= st->mig_level;
}

static bool vfpga_st_size_ok(uint32_t v)
{
    return v && v <= VFPGA_STREAM_FIFO_MAX;
}

/*
 * Beats the paced generator may owe at the load: it accounts for them at
 * every due time, so a real stream owes few; this bounds the catch-up
 * loop a forged one could ask for.
 */
#define VFPGA_ST_GEN_MAX_BEHIND     (1u << 20)

/* The generator's run is one a guest could have started. */
static bool vfpga_st_gen_valid(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;
    uint64_t now = vfpga_now_ns(s), due;

    if (!vfpga_st_gen_on(s)) {
        return !st->gen_ready && !st->gen_off;
    }
    /* A packet given whole stays at gen_off == gen_size until the next. */
    if (!vfpga_st_size_ok(st->gen_size) || st->gen_off > st->gen_size ||
        (st->gen_ready && st->gen_off == st->gen_size) ||
        (st->gen_count && st->gen_beats > st->gen_count) ||
        st->regs[R_ST_GEN_SENT] > st->gen_beats) {
        return false;
    }
    if (!st->gen_rate || st->gen_start_ns >= now) {
        return true;
    }
    due = muldiv64(now - st->gen_start_ns, st->gen_rate,
                   NANOSECONDS_PER_SECOND);
    return due <= st->gen_beats ||
           due - st->gen_beats <= VFPGA_ST_GEN_MAX_BEHIND;
}

static int vfpga_st_post_load(void *opaque, int version_id)
{
    VFPGAState *s = opaque;
    VFPGARefStream *st = &s->stream;
    uint32_t ctrl = st->regs[R_ST_CTRL], i;
    uint64_t sum = st->open_len;
    int ret = -EINVAL;

    if (!st->present) {
        goto out;
    }
    for (i = 0; i < st->mig_npackets; i++) {
        if (!st->mig_packets[i]) {
            goto out;
        }
        sum += st->mig_packets[i];
    }
    if (sum != st->mig_level ||
        ctrl & ~(uint32_t)(VFPGA_STREAM_CTRL_GEN | VFPGA_STREAM_CTRL_HOLD) ||
        st->ctrl_latched != ctrl ||
        !vfpga_st_size_ok(st->regs[R_ST_FIFO_LIMIT]) ||
        !vfpga_st_size_ok(st->regs[R_ST_GEN_SIZE]) ||
        !vfpga_st_gen_valid(s)) {
        goto out;
    }
    g_queue_clear(&st->packets);
    if (st->mig_level) {
        memcpy(st->fifo, st->mig_fifo, st->mig_level);
    }
    st->head = 0;
    for (i = 0; i < st->mig_npackets; i++) {
        g_queue_push_tail(&st->packets, GUINT_TO_POINTER(st->mig_packets[i]));
    }
    /* The paced run accounts for what fell due and re-arms its timer. */
    if (vfpga_st_gen_on(s) && st->gen_rate) {
        qemu_bh_schedule(st->gen_bh);
    }
    ret = 0;
out:
    if (ret) {
        error_report("vfpga: the stream block's state in the migration "
                     "stream is not one the board can be in");
    }
    vfpga_st_mig_free(st);
    return ret;
}

const VMStateDescription vmstate_vfpga_ref_stream = {
    .name = "vfpga/ref-stream",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_st_needed,
    .pre_save = vfpga_st_pre_save,
    .post_save = vfpga_st_post_save,
    .pre_load = vfpga_st_pre_load,
    .post_load = vfpga_st_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(stream.regs, VFPGAState, VFPGA_STREAM_R_MAX),
        VMSTATE_UINT32(stream.open_len, VFPGAState),
        VMSTATE_UINT32(stream.ctrl_latched, VFPGAState),
        VMSTATE_UINT32(stream.gen_size, VFPGAState),
        VMSTATE_UINT32(stream.gen_rate, VFPGAState),
        VMSTATE_UINT32(stream.gen_count, VFPGAState),
        VMSTATE_UINT32(stream.gen_off, VFPGAState),
        VMSTATE_BOOL(stream.gen_ready, VFPGAState),
        VMSTATE_UINT64(stream.gen_start_ns, VFPGAState),
        VMSTATE_UINT64(stream.gen_beats, VFPGAState),
        VMSTATE_TIMER_PTR(stream.gen_timer, VFPGAState),
        VMSTATE_UINT32(stream.mig_level, VFPGAState),
        VMSTATE_VALIDATE("FIFO level", vfpga_st_level_valid),
        VMSTATE_VBUFFER_ALLOC_UINT32(stream.mig_fifo, VFPGAState, 0, NULL,
                                     stream.mig_level),
        VMSTATE_UINT32(stream.mig_npackets, VFPGAState),
        VMSTATE_VALIDATE("FIFO packets", vfpga_st_npackets_valid),
        VMSTATE_VARRAY_UINT32_ALLOC(stream.mig_packets, VFPGAState,
                                    stream.mig_npackets, 0,
                                    vmstate_info_uint32, uint32_t),
        VMSTATE_END_OF_LIST()
    },
};

void vfpga_ref_stream_init(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;

    st->present = s->h2c_stream || s->c2h_stream;
    if (!st->present) {
        return;
    }
    vfpga_reg_block_init(&st->block, "user-stream", vfpga_st_regs_info,
                         ARRAY_SIZE(vfpga_st_regs_info), st->regs_info,
                         st->regs, ARRAY_SIZE(st->regs), s);
    st->fifo = g_malloc(VFPGA_STREAM_FIFO_MAX);
    g_queue_init(&st->packets);
    st->gen_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, vfpga_st_gen_tick, s);
    st->gen_bh = qemu_bh_new_guarded(vfpga_st_gen_bh, s,
                                     &DEVICE(s)->mem_reentrancy_guard);
}

void vfpga_ref_stream_reset(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;

    if (!st->present) {
        return;
    }
    vfpga_st_gen_stop(s);
    vfpga_st_fifo_clear(s);
    vfpga_reg_block_reset(&st->block);
    st->ctrl_latched = 0;
    st->gen_beats = 0;
}

void vfpga_ref_stream_exit(VFPGAState *s)
{
    VFPGARefStream *st = &s->stream;

    if (!st->present) {
        return;
    }
    g_queue_clear(&st->packets);
    g_free(st->fifo);
    st->fifo = NULL;
    vfpga_st_mig_free(st);
    timer_free(st->gen_timer);
    st->gen_timer = NULL;
    qemu_bh_delete(st->gen_bh);
    st->gen_bh = NULL;
    st->present = false;
}
