/*
 * vfpga: the XDMA engine of one channel.
 *
 * Setting RUN starts a walk of the descriptor chain in host memory.  The
 * walk runs in a bottom half, outside the vCPU's MMIO path, and moves at
 * most VFPGA_ENGINE_SLICE bytes per turn of the main loop so that a 64 MiB
 * transfer never stalls the guest.  Data moves with QEMU's PCI DMA API
 * straight between guest memory and the card memory's RAM.  With the
 * timing model on, each descriptor completes only after its latency plus
 * its bytes at the configured bandwidth of virtual time.
 *
 * Descriptors come in blocks, as in XDMA: a block is its first descriptor
 * and the "adjacent" ones that follow it at 32-byte steps (SGDMA DESC_ADJ
 * for the first block); the block's last descriptor names the next block
 * (next_desc) and how many descriptors are adjacent to that one (its
 * Nxt_adj field).  A block may not cross a 4 KiB boundary.
 *
 * Every value read from a descriptor is checked; a bad one stops the
 * channel with the status bit XDMA uses, a guest-error log line and a
 * trace event.
 *
 * Descriptor fetches, data and writebacks are memory-only transactions:
 * a guest that aims them at config space (ECAM), the LAPIC or any
 * device's registers, the board's own included, gets a DMA error instead
 * of running that device's code inside the transfer.  Raising the
 * channel's interrupt still runs foreign code (an MSI-X message goes
 * wherever the guest pointed it), so after every callout the engine
 * checks that its channel was not reset, stopped or unrealized meanwhile
 * (c->gen moved) and, if it was, leaves the channel alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/bswap.h"
#include "qemu/units.h"
#include "hw/pci/pci.h"
#include "system/dma.h"
#include "system/runstate.h"
#include "vfpga.h"
#include "trace.h"

#define VFPGA_ENGINE_SLICE  (1 * MiB)

/* Normal memory only: never another device's (or our own) registers. */
static const MemTxAttrs vfpga_engine_attrs = { .memory = true };

static PCIDevice *pdev_of(VFPGAChannel *c)
{
    return PCI_DEVICE(c->s);
}

static bool vfpga_engine_timed(VFPGAChannel *c)
{
    return c->s->dma_bandwidth_mbps || c->s->dma_desc_latency_ns;
}

static MemTxResult vfpga_engine_dma(VFPGAChannel *c, uint64_t addr,
                                    void *buf, uint64_t len,
                                    DMADirection dir)
{
    return pci_dma_rw(pdev_of(c), addr, buf, len, dir, vfpga_engine_attrs);
}

/*
 * Log @events and raise the channel interrupt; false if that reset,
 * stopped or unrealized the channel (the message ran foreign code).
 */
static bool vfpga_engine_event(VFPGAChannel *c, uint32_t events)
{
    uint32_t gen = c->gen;

    vfpga_chan_event(c, events);
    return c->gen == gen;
}

/* Write the completed count (and error flag) to host memory if asked. */
static void vfpga_engine_writeback(VFPGAChannel *c, bool error)
{
    uint32_t word;

    if (!(vfpga_chan_control(c) & XDMA_CTRL_POLL_MODE_WB)) {
        return;
    }
    word = cpu_to_le32((vfpga_chan_completed(c) & XDMA_WB_COUNT_MASK) |
                       (error ? XDMA_WB_ERROR : 0));
    if (vfpga_engine_dma(c, vfpga_chan_poll_wb_addr(c), &word, sizeof(word),
                         DMA_DIRECTION_FROM_DEVICE) != MEMTX_OK) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: %s: poll-mode writeback to "
                      "0x%" PRIx64 " failed\n", c->name,
                      vfpga_chan_poll_wb_addr(c));
        trace_vfpga_err_dma(c->name, "writeback", vfpga_chan_poll_wb_addr(c),
                            sizeof(word));
    }
}

/* Ends the run: anything still holding the old c->gen must let go. */
static void vfpga_engine_idle(VFPGAChannel *c)
{
    c->gen++;
    c->busy = false;
    c->have_desc = false;
    c->timed = false;
    qemu_bh_cancel(c->bh);
    timer_del(c->timer);
}

/* Stop the channel on a guest mistake: log it and report @status. */
static void G_GNUC_PRINTF(3, 4)
vfpga_engine_fail(VFPGAChannel *c, uint32_t status, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    qemu_log_mask(LOG_GUEST_ERROR, "vfpga: %s: descriptor at 0x%" PRIx64
                  ": %s\n", c->name, c->desc_addr, msg);
    trace_vfpga_err_engine(c->name, c->desc_addr, status, msg);
    vfpga_engine_idle(c);
    if (vfpga_engine_event(c, status)) {
        vfpga_engine_writeback(c, true);
    }
}

/* Does [addr, addr + len) touch one of the board's own BARs? */
static bool vfpga_engine_hits_own_bar(VFPGAChannel *c, uint64_t addr,
                                      uint64_t len)
{
    PCIDevice *pdev = pdev_of(c);
    int bar;

    for (bar = 0; bar < PCI_NUM_REGIONS - 1; bar++) {
        pcibus_t base = pci_get_bar_addr(pdev, bar);
        uint64_t size = pdev->io_regions[bar].size;

        if (size && base != PCI_BAR_UNMAPPED &&
            addr < base + size && base < addr + len) {
            return true;
        }
    }
    return false;
}

/* Fetch and check the descriptor at c->desc_addr. */
static bool vfpga_engine_fetch(VFPGAChannel *c)
{
    VFPGAState *s = c->s;
    struct xdma_desc d;
    uint64_t card, host, len;

    if (c->desc_addr & (XDMA_DESC_ALIGN - 1)) {
        vfpga_engine_fail(c, XDMA_STAT_DESC_ERROR_UR,
                          "not %d-byte aligned", XDMA_DESC_ALIGN);
        return false;
    }
    if ((c->desc_addr & 0xfff) + (uint64_t)c->adj_left * sizeof(d) > 0xfe0) {
        vfpga_engine_fail(c, XDMA_STAT_DESC_ERROR_UR, "block of %u "
                          "adjacent descriptors crosses a 4 KiB boundary",
                          c->adj_left + 1);
        return false;
    }
    if (vfpga_engine_hits_own_bar(c, c->desc_addr, sizeof(d)) ||
        vfpga_engine_dma(c, c->desc_addr, &d, sizeof(d),
                         DMA_DIRECTION_TO_DEVICE) != MEMTX_OK) {
        vfpga_engine_fail(c, XDMA_STAT_DESC_ERROR_UR, "cannot be fetched");
        return false;
    }
    /* Counts every descriptor since RUN, for the trace; never wraps. */
    if (c->chain_len < UINT32_MAX) {
        c->chain_len++;
    }

    c->desc_control = le32_to_cpu(d.control);
    c->desc_bytes = le32_to_cpu(d.bytes);
    c->desc_src = le64_to_cpu(d.src_addr);
    c->desc_dst = le64_to_cpu(d.dst_addr);
    c->desc_next = le64_to_cpu(d.next_desc);
    c->desc_done = 0;
    trace_vfpga_engine_desc(c->name, c->desc_addr, c->desc_control,
                            c->desc_bytes, c->desc_src, c->desc_dst,
                            c->desc_next);

    if (vfpga_fault_take(s, VFPGA_FAULT_DESC_MAGIC)) {
        c->desc_control ^= 1u << XDMA_DESC_MAGIC_SHIFT;
    }
    if ((c->desc_control >> XDMA_DESC_MAGIC_SHIFT) != XDMA_DESC_MAGIC) {
        vfpga_engine_fail(c, XDMA_STAT_MAGIC_STOPPED, "bad magic 0x%04x",
                          c->desc_control >> XDMA_DESC_MAGIC_SHIFT);
        return false;
    }

    len = c->desc_bytes & XDMA_DESC_LEN_MASK;
    if (!len) {
        vfpga_engine_fail(c, XDMA_STAT_INVALID_LENGTH, "length 0");
        return false;
    }
    card = c->c2h ? c->desc_src : c->desc_dst;
    host = c->c2h ? c->desc_dst : c->desc_src;
    if (card >= s->card_mem_size || len > s->card_mem_size - card) {
        vfpga_engine_fail(c, c->c2h ? XDMA_STAT_READ_ERROR_UR :
                                      XDMA_STAT_WRITE_ERROR_DECERR,
                          "card range 0x%" PRIx64 "+0x%" PRIx64
                          " outside card memory", card, len);
        return false;
    }
    if (host + len < host || host + len - 1 < host) {
        vfpga_engine_fail(c, c->c2h ? XDMA_STAT_WRITE_ERROR_DECERR :
                                      XDMA_STAT_READ_ERROR_UR,
                          "host range 0x%" PRIx64 "+0x%" PRIx64
                          " wraps past 2^64", host, len);
        return false;
    }
    if (vfpga_engine_hits_own_bar(c, host, len)) {
        vfpga_engine_fail(c, c->c2h ? XDMA_STAT_WRITE_ERROR_DECERR :
                                      XDMA_STAT_READ_ERROR_UR,
                          "host range 0x%" PRIx64 "+0x%" PRIx64
                          " is the board's own BAR", host, len);
        return false;
    }
    c->have_desc = true;
    return true;
}

/* Move up to @budget bytes of the current descriptor; false on error. */
static bool vfpga_engine_move(VFPGAChannel *c, uint64_t budget,
                              uint64_t *moved)
{
    VFPGAState *s = c->s;
    uint64_t len = c->desc_bytes & XDMA_DESC_LEN_MASK;
    uint64_t n = MIN(len - c->desc_done, budget);
    uint64_t card = (c->c2h ? c->desc_src : c->desc_dst) + c->desc_done;
    uint64_t host = (c->c2h ? c->desc_dst : c->desc_src) + c->desc_done;
    MemTxResult r;

    /* Injected faults: the source read or the destination write fails. */
    if (vfpga_fault_take(s, VFPGA_FAULT_DMA_READ)) {
        vfpga_engine_fail(c, XDMA_STAT_READ_ERROR_UR, "injected read "
                          "error");
        return false;
    }
    if (vfpga_fault_take(s, VFPGA_FAULT_DMA_WRITE)) {
        vfpga_engine_fail(c, XDMA_STAT_WRITE_ERROR_DECERR, "injected write "
                          "error");
        return false;
    }
    if (c->c2h) {
        r = vfpga_engine_dma(c, host, s->card_ptr + card, n,
                             DMA_DIRECTION_FROM_DEVICE);
        if (r != MEMTX_OK) {
            vfpga_engine_fail(c, XDMA_STAT_WRITE_ERROR_DECERR, "host write "
                              "0x%" PRIx64 "+0x%" PRIx64 " failed", host, n);
            return false;
        }
    } else {
        r = vfpga_engine_dma(c, host, s->card_ptr + card, n,
                             DMA_DIRECTION_TO_DEVICE);
        /*
         * The copy went straight to the card's RAM, past the memory
         * API: tell migration (and display/TCG users) it changed, even
         * the part a failed read may have written.
         */
        memory_region_set_dirty(&s->card_mem, card, n);
        if (r != MEMTX_OK) {
            vfpga_engine_fail(c, XDMA_STAT_READ_ERROR_UR, "host read "
                              "0x%" PRIx64 "+0x%" PRIx64 " failed", host, n);
            return false;
        }
    }
    c->desc_done += n;
    *moved = n;
    return true;
}

/* The current descriptor is done: count it, signal it, go to the next. */
static void vfpga_engine_complete(VFPGAChannel *c)
{
    uint32_t flags = c->desc_control;
    uint32_t events = 0;

    vfpga_chan_set_completed(c, vfpga_chan_completed(c) + 1);
    c->have_desc = false;
    c->timed = false;
    if (flags & XDMA_DESC_COMPLETED) {
        events |= XDMA_STAT_DESC_COMPLETED;
    }
    if (flags & XDMA_DESC_STOPPED) {
        events |= XDMA_STAT_DESC_STOPPED;
        vfpga_engine_idle(c);
        trace_vfpga_engine_done(c->name, vfpga_chan_completed(c));
    } else if (c->adj_left) {
        /* The next descriptor of this block sits right after this one. */
        c->desc_addr += sizeof(struct xdma_desc);
        c->adj_left--;
    } else {
        c->desc_addr = c->desc_next;
        c->adj_left = (flags >> XDMA_DESC_ADJ_SHIFT) & XDMA_DESC_ADJ_MASK;
    }
    if (events && vfpga_engine_event(c, events)) {
        vfpga_engine_writeback(c, false);
    }
}

static uint64_t vfpga_engine_desc_time_ns(VFPGAChannel *c)
{
    uint64_t len = c->desc_bytes & XDMA_DESC_LEN_MASK;
    uint64_t ns = c->s->dma_desc_latency_ns;

    if (c->s->dma_bandwidth_mbps) {
        /* MB/s is bytes per microsecond. */
        ns += muldiv64(len, 1000, c->s->dma_bandwidth_mbps);
    }
    return ns;
}

/*
 * One turn of the main loop: at most VFPGA_ENGINE_SLICE bytes and
 * dma-max-chain descriptors, then the bottom half runs again.  A ring
 * that never ends (Linux's cyclic DMA) runs until RUN is cleared.
 */
static void vfpga_engine_turn(VFPGAChannel *c)
{
    uint64_t budget = VFPGA_ENGINE_SLICE, moved;
    uint32_t gen = c->gen, fetched = 0;

    if (c->s->faults & VFPGA_FAULT_SURPRISE_REMOVAL) {
        vfpga_engine_idle(c);
        return;
    }
    if (!runstate_is_running()) {
        /* The VM change-state handler resumes the run. */
        return;
    }
    while (c->busy && budget) {
        if (!c->have_desc) {
            if (fetched++ == c->s->dma_max_chain) {
                break;
            }
            if (!vfpga_engine_fetch(c) || c->gen != gen) {
                return;
            }
        }
        if (vfpga_engine_timed(c) && !c->timed) {
            /* Charge the descriptor's time first; move when it is up. */
            c->timed = true;
            timer_mod(c->timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                                vfpga_engine_desc_time_ns(c));
            return;
        }
        if (!vfpga_engine_move(c, budget, &moved) || c->gen != gen) {
            return;
        }
        budget -= MIN(moved, budget);
        if (c->desc_done == (c->desc_bytes & XDMA_DESC_LEN_MASK)) {
            vfpga_engine_complete(c);
            if (c->gen != gen) {
                return;
            }
        }
    }
    if (c->busy) {
        qemu_bh_schedule(c->bh);
    }
}

static void vfpga_engine_unref(void *opaque)
{
    object_unref(opaque);
}

static void vfpga_engine_run(void *opaque)
{
    VFPGAChannel *c = opaque;
    Object *obj = OBJECT(c->s);

    /*
     * A callout may unplug the board: keep its state until we return.
     * The reference goes only after the bottom half, whose re-entrancy
     * guard lives in the board and is written after we return.
     */
    object_ref(obj);
    vfpga_engine_turn(c);
    aio_bh_schedule_oneshot(qemu_get_aio_context(), vfpga_engine_unref, obj);
}

/*
 * A timed descriptor's time is up.  The timer only schedules the bottom
 * half: the engine must run under the device's re-entrancy guard, and
 * timer callbacks run outside it.
 */
static void vfpga_engine_timer_cb(void *opaque)
{
    VFPGAChannel *c = opaque;

    qemu_bh_schedule(c->bh);
}

void vfpga_engine_start(VFPGAChannel *c)
{
    c->gen++;
    vfpga_chan_set_completed(c, 0);
    c->desc_addr = vfpga_chan_first_desc(c);
    c->adj_left = vfpga_chan_first_adj(c);
    c->chain_len = 0;
    c->have_desc = false;
    c->timed = false;
    c->busy = true;
    trace_vfpga_engine_start(c->name, c->desc_addr);
    qemu_bh_schedule(c->bh);
}

/* RUN cleared: a busy engine stops where it is and says so. */
void vfpga_engine_stop(VFPGAChannel *c)
{
    if (c->busy) {
        vfpga_engine_idle(c);
        vfpga_chan_event(c, XDMA_STAT_IDLE_STOPPED);
    }
}

/* Reset: drop whatever is in flight without a word. */
void vfpga_engine_cancel(VFPGAChannel *c)
{
    vfpga_engine_idle(c);
}

/*
 * Check what the fetch checked of an in-flight descriptor: the stream is
 * not trusted (a card offset of 16 TiB would be used as it is).
 */
static bool vfpga_engine_desc_valid(VFPGAChannel *c)
{
    uint64_t len = c->desc_bytes & XDMA_DESC_LEN_MASK;
    uint64_t card = c->c2h ? c->desc_src : c->desc_dst;
    uint64_t host = c->c2h ? c->desc_dst : c->desc_src;

    return (c->desc_control >> XDMA_DESC_MAGIC_SHIFT) == XDMA_DESC_MAGIC &&
           len && c->desc_done <= len &&
           card < c->s->card_mem_size && len <= c->s->card_mem_size - card &&
           host + len - 1 >= host;
}

int vfpga_engine_post_load(VFPGAChannel *c)
{
    if (!c->busy) {
        return 0;
    }
    if (c->have_desc ? !vfpga_engine_desc_valid(c) : c->timed) {
        return -EINVAL;
    }
    /*
     * A timed descriptor whose time is still running resumes through its
     * migrated timer; anything else (including a timed one that was being
     * moved slice by slice) through the bottom half.
     */
    if (!(c->timed && timer_pending(c->timer))) {
        qemu_bh_schedule(c->bh);
    }
    return 0;
}

/* The VM runs again: the untimed engine waited for it. */
void vfpga_engine_resume(VFPGAChannel *c)
{
    if (c->busy && !(c->timed && timer_pending(c->timer))) {
        qemu_bh_schedule(c->bh);
    }
}

void vfpga_engine_init(VFPGAChannel *c)
{
    c->bh = qemu_bh_new_guarded(vfpga_engine_run, c,
                                &DEVICE(c->s)->mem_reentrancy_guard);
    c->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, vfpga_engine_timer_cb, c);
}

/* Unrealize, possibly from inside a callout of this channel's engine. */
void vfpga_engine_exit(VFPGAChannel *c)
{
    if (!c->bh) {
        return;
    }
    vfpga_engine_idle(c);
    qemu_bh_delete(c->bh);
    timer_free(c->timer);
    c->bh = NULL;
    c->timer = NULL;
}
