/*
 * vfpga: the XDMA engine of one channel.
 *
 * Setting RUN starts a walk of the descriptor chain in host memory.  The
 * doorbell write itself walks a short chain (VFPGA_ENGINE_INLINE_*), so a
 * small transfer does not wait for the main loop to wake; the rest runs in
 * a bottom half, outside the vCPU's MMIO path, at most VFPGA_ENGINE_SLICE
 * bytes per turn of the main loop so that a 64 MiB transfer never stalls
 * the guest.  Data moves with QEMU's PCI DMA API
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
 * A channel in AXI4-Stream mode (the h2c-stream / c2h-stream properties)
 * walks the same chains but trades bytes with the user logic's stream
 * ports instead of card memory (PG195's streaming mode): H2C offers each
 * descriptor's bytes to the sink, with tlast on the last byte of a
 * descriptor with EOP; C2H fills each descriptor's buffer from the
 * source until it is full or a packet ends, then writes the descriptor's
 * writeback (magic 0x52b4, EOP, length) to its source address and moves
 * on.  A sink that takes less, or a source with nothing, stalls the
 * engine (BUSY) until the logic says it is ready again.
 *
 * Descriptor credits (the SGDMA common block's CREDIT_MODE): a channel
 * whose bit is set fetches a descriptor only for a credit of its
 * DESC_CREDIT register, and waits, BUSY, when it has none.
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
 * The stuck-busy fault (VFPGA_FAULT_STUCK_BUSY) wedges the channel whose
 * engine takes the next turn: it keeps BUSY set, moves nothing more,
 * raises no event and ignores RUN being cleared (or set again) until the
 * board is reset, as an engine hung on the bus would.
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
#include "vfpga-xdma-chan.h"
#include "trace.h"

#define VFPGA_ENGINE_SLICE  (1 * MiB)
/* What the doorbell write itself may run before the bottom half takes over. */
#define VFPGA_ENGINE_INLINE_BYTES   (64 * KiB)
#define VFPGA_ENGINE_INLINE_DESCS   16
/* The most a stream port is offered (or asked for) in one call. */
#define VFPGA_ENGINE_STREAM_BURST   (64 * KiB)

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
    uint64_t addr;
    uint32_t word;

    if (!(c->regs[R_CONTROL] & XDMA_CTRL_POLL_MODE_WB)) {
        return;
    }
    addr = deposit64(c->regs[R_POLL_WB_LO], 32, 32, c->regs[R_POLL_WB_HI]);
    word = cpu_to_le32((c->regs[R_COMPLETED_DESC] & XDMA_WB_COUNT_MASK) |
                       (error ? XDMA_WB_ERROR : 0));
    if (vfpga_engine_dma(c, addr, &word, sizeof(word),
                         DMA_DIRECTION_FROM_DEVICE) != MEMTX_OK) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: %s: poll-mode writeback to "
                      "0x%" PRIx64 " failed\n", c->name, addr);
        trace_vfpga_err_dma(c->name, "writeback", addr, sizeof(word));
    }
}

/* Ends the run: anything still holding the old c->gen must let go. */
static void vfpga_engine_idle(VFPGAChannel *c)
{
    c->gen++;
    c->busy = false;
    c->have_desc = false;
    c->timed = false;
    c->st_wait = false;
    c->credit_wait = false;
    c->st_closed = false;
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

/* Is [addr, addr + len) a host range the engine may use? */
static bool vfpga_engine_host_ok(VFPGAChannel *c, uint64_t addr,
                                 uint64_t len)
{
    return addr + len - 1 >= addr &&
           !vfpga_engine_hits_own_bar(c, addr, len);
}

static bool vfpga_engine_c2h_wb_on(VFPGAChannel *c)
{
    return !(c->regs[R_CONTROL] & XDMA_CTRL_C2H_ST_WB_DISABLE);
}

/*
 * What a stream descriptor must be, past the checks every descriptor
 * gets: a host buffer the engine may use, and for C2H a whole number of
 * stream beats and a writeback address it may write.
 */
static bool vfpga_engine_check_stream(VFPGAChannel *c, uint64_t len)
{
    if (!c->c2h) {
        if (!vfpga_engine_host_ok(c, c->desc_src, len)) {
            vfpga_engine_fail(c, XDMA_STAT_READ_ERROR_UR, "host range 0x%"
                              PRIx64 "+0x%" PRIx64 " wraps past 2^64 or is "
                              "the board's own BAR", c->desc_src, len);
            return false;
        }
        return true;
    }
    if (len % XDMA_ST_DATA_BYTES) {
        vfpga_engine_fail(c, XDMA_STAT_INVALID_LENGTH, "C2H stream length "
                          "0x%" PRIx64 " is not a multiple of the %d-byte "
                          "stream width", len, XDMA_ST_DATA_BYTES);
        return false;
    }
    if (!vfpga_engine_host_ok(c, c->desc_dst, len)) {
        vfpga_engine_fail(c, XDMA_STAT_WRITE_ERROR_DECERR, "host range 0x%"
                          PRIx64 "+0x%" PRIx64 " wraps past 2^64 or is the "
                          "board's own BAR", c->desc_dst, len);
        return false;
    }
    if (vfpga_engine_c2h_wb_on(c) &&
        !vfpga_engine_host_ok(c, c->desc_src, sizeof(struct xdma_c2h_wb))) {
        vfpga_engine_fail(c, XDMA_STAT_WRITE_ERROR_DECERR, "writeback "
                          "address 0x%" PRIx64 " wraps past 2^64 or is the "
                          "board's own BAR", c->desc_src);
        return false;
    }
    return true;
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

    vfpga_campaign_event(s, VFPGA_CAMPAIGN_DESC_FETCH);
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
    if (vfpga_fault_take(s, VFPGA_FAULT_DMA_STRAY)) {
        /* An address the driver never mapped: the IOMMU has to say no. */
        if (c->c2h) {
            c->desc_dst = VFPGA_FAULT_STRAY_ADDR;
        } else {
            c->desc_src = VFPGA_FAULT_STRAY_ADDR;
        }
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: %s: injected stray DMA to "
                      "host address 0x%llx\n", c->name,
                      VFPGA_FAULT_STRAY_ADDR);
    }
    c->st_closed = false;
    if (c->stream) {
        if (!vfpga_engine_check_stream(c, len)) {
            return false;
        }
        c->have_desc = true;
        return true;
    }
    card = c->c2h ? c->desc_src : c->desc_dst;
    host = c->c2h ? c->desc_dst : c->desc_src;
    /* A user logic on the AXI4 path decodes card addresses itself. */
    if (!vfpga_ul_has_mm(s) &&
        (card >= s->card_mem_size || len > s->card_mem_size - card)) {
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

/*
 * Move @n bytes between host memory and a user logic's AXI4 slave
 * (vfpga_user_logic.h's mm_read/mm_write), through a bounce buffer.  The
 * logic may raise interrupts (foreign code): the caller checks c->gen,
 * and a failure is only reported on a channel still running this run.
 */
static bool vfpga_engine_move_ul(VFPGAChannel *c, uint64_t card,
                                 uint64_t host, uint64_t n, uint64_t *moved)
{
    VFPGAState *s = c->s;
    g_autofree uint8_t *buf = g_malloc(n);
    uint32_t gen = c->gen;
    enum vfpga_axi_resp resp;

    if (c->c2h) {
        resp = vfpga_ul_mm_read(s, card, buf, n);
        if (c->gen != gen) {
            return false;
        }
        if (resp != VFPGA_AXI_OKAY) {
            vfpga_engine_fail(c, resp == VFPGA_AXI_DECERR ?
                              XDMA_STAT_READ_ERROR_DECERR :
                              XDMA_STAT_READ_ERROR_SLVERR,
                              "user logic answered the card read 0x%"
                              PRIx64 "+0x%" PRIx64 " with %s", card, n,
                              resp == VFPGA_AXI_DECERR ? "DECERR" : "SLVERR");
            return false;
        }
        if (vfpga_engine_dma(c, host, buf, n, DMA_DIRECTION_FROM_DEVICE) !=
            MEMTX_OK) {
            vfpga_engine_fail(c, XDMA_STAT_WRITE_ERROR_DECERR, "host write "
                              "0x%" PRIx64 "+0x%" PRIx64 " failed", host, n);
            return false;
        }
    } else {
        if (vfpga_engine_dma(c, host, buf, n, DMA_DIRECTION_TO_DEVICE) !=
            MEMTX_OK) {
            vfpga_engine_fail(c, XDMA_STAT_READ_ERROR_UR, "host read "
                              "0x%" PRIx64 "+0x%" PRIx64 " failed", host, n);
            return false;
        }
        resp = vfpga_ul_mm_write(s, card, buf, n);
        if (c->gen != gen) {
            return false;
        }
        if (resp != VFPGA_AXI_OKAY) {
            vfpga_engine_fail(c, resp == VFPGA_AXI_DECERR ?
                              XDMA_STAT_WRITE_ERROR_DECERR :
                              XDMA_STAT_WRITE_ERROR_SLVERR,
                              "user logic answered the card write 0x%"
                              PRIx64 "+0x%" PRIx64 " with %s", card, n,
                              resp == VFPGA_AXI_DECERR ? "DECERR" : "SLVERR");
            return false;
        }
    }
    c->desc_done += n;
    *moved = n;
    return true;
}

/*
 * Close the C2H stream descriptor: its writeback says how many bytes the
 * buffer got and whether a packet ended there.  False if it failed.
 */
static bool vfpga_engine_c2h_close(VFPGAChannel *c, bool eop)
{
    struct xdma_c2h_wb wb;

    c->st_closed = true;
    trace_vfpga_engine_st_close(c->name, c->desc_done, eop);
    if (!vfpga_engine_c2h_wb_on(c)) {
        return true;
    }
    wb.status = cpu_to_le32((XDMA_C2H_WB_MAGIC << XDMA_C2H_WB_MAGIC_SHIFT) |
                            (eop ? XDMA_C2H_WB_EOP : 0));
    wb.length = cpu_to_le32(c->desc_done);
    if (vfpga_engine_dma(c, c->desc_src, &wb, sizeof(wb),
                         DMA_DIRECTION_FROM_DEVICE) != MEMTX_OK) {
        vfpga_engine_fail(c, XDMA_STAT_WRITE_ERROR_DECERR, "stream "
                          "writeback to 0x%" PRIx64 " failed", c->desc_src);
        return false;
    }
    return true;
}

/*
 * Trade up to @budget bytes of the current descriptor with the user
 * logic's stream port.  Nothing moved and no error: the port is not
 * ready, and the engine waits (c->st_wait) for stream_ready().  The logic
 * may call the host back (foreign code): the caller checks c->gen.
 */
static bool vfpga_engine_move_stream(VFPGAChannel *c, uint64_t budget,
                                     uint64_t *moved)
{
    VFPGAState *s = c->s;
    uint64_t len = c->desc_bytes & XDMA_DESC_LEN_MASK;
    uint64_t n = MIN(MIN(len - c->desc_done, budget),
                     VFPGA_ENGINE_STREAM_BURST);
    uint64_t host = (c->c2h ? c->desc_dst : c->desc_src) + c->desc_done;
    g_autofree uint8_t *buf = g_malloc(n);
    uint32_t gen = c->gen;
    bool last = false;
    size_t got;

    *moved = 0;
    if (c->c2h) {
        got = vfpga_ul_c2h_stream(s, c->index, buf, n, &last);
        if (c->gen != gen) {
            return false;
        }
        got = MIN(got, n);
        if (!got) {
            c->st_wait = true;
            trace_vfpga_engine_st_wait(c->name, c->desc_done);
            return true;
        }
        if (vfpga_engine_dma(c, host, buf, got, DMA_DIRECTION_FROM_DEVICE) !=
            MEMTX_OK) {
            vfpga_engine_fail(c, XDMA_STAT_WRITE_ERROR_DECERR, "host write "
                              "0x%" PRIx64 "+0x%zx failed", host, got);
            return false;
        }
        c->desc_done += got;
        *moved = got;
        if (last || c->desc_done == len) {
            return vfpga_engine_c2h_close(c, last);
        }
        return true;
    }
    if (vfpga_engine_dma(c, host, buf, n, DMA_DIRECTION_TO_DEVICE) !=
        MEMTX_OK) {
        vfpga_engine_fail(c, XDMA_STAT_READ_ERROR_UR, "host read 0x%" PRIx64
                          "+0x%" PRIx64 " failed", host, n);
        return false;
    }
    last = (c->desc_control & XDMA_DESC_EOP) && c->desc_done + n == len;
    got = vfpga_ul_h2c_stream(s, c->index, buf, n, last);
    if (c->gen != gen) {
        return false;
    }
    got = MIN(got, n);
    c->desc_done += got;
    *moved = got;
    if (got < n) {
        c->st_wait = true;
        trace_vfpga_engine_st_wait(c->name, c->desc_done);
    }
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
    vfpga_campaign_event(s, VFPGA_CAMPAIGN_DMA_MOVE);
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
    if (c->stream) {
        return vfpga_engine_move_stream(c, budget, moved);
    }
    if (vfpga_ul_has_mm(s)) {
        return vfpga_engine_move_ul(c, card, host, n, moved);
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

    c->regs[R_COMPLETED_DESC]++;
    c->have_desc = false;
    c->timed = false;
    if (flags & XDMA_DESC_COMPLETED) {
        events |= XDMA_STAT_DESC_COMPLETED;
    }
    if (flags & XDMA_DESC_STOPPED) {
        events |= XDMA_STAT_DESC_STOPPED;
        vfpga_engine_idle(c);
        trace_vfpga_engine_done(c->name, c->regs[R_COMPLETED_DESC]);
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
 * One turn: at most @budget bytes and @max_descs descriptors, then the
 * bottom half runs the rest.  A ring that never ends (Linux's cyclic DMA)
 * runs until RUN is cleared.
 */
static void vfpga_engine_turn(VFPGAChannel *c, uint64_t budget,
                              uint32_t max_descs)
{
    uint64_t moved;
    uint32_t gen = c->gen, fetched = 0;

    if (c->s->faults & VFPGA_FAULT_SURPRISE_REMOVAL) {
        vfpga_engine_idle(c);
        return;
    }
    if (!runstate_is_running()) {
        /* The VM change-state handler resumes the run. */
        return;
    }
    if (c->stuck) {
        return;
    }
    if (vfpga_fault_take(c->s, VFPGA_FAULT_STUCK_BUSY)) {
        c->stuck = true;
        trace_vfpga_engine_stuck(c->name, c->desc_addr);
        return;
    }
    while (c->busy && budget) {
        if (!c->have_desc) {
            if (fetched++ == max_descs) {
                break;
            }
            if (vfpga_engine_credit_mode(c)) {
                if (!c->sgdma_regs[R_SGDMA_DESC_CREDIT]) {
                    /* No credit: wait for the driver to give some. */
                    c->credit_wait = true;
                    trace_vfpga_engine_credit_wait(c->name, c->desc_addr);
                    return;
                }
                c->sgdma_regs[R_SGDMA_DESC_CREDIT]--;
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
        if (c->st_wait) {
            /* The stream port is not ready: stream_ready() resumes. */
            return;
        }
        budget -= MIN(moved, budget);
        if (c->desc_done == (c->desc_bytes & XDMA_DESC_LEN_MASK) ||
            c->st_closed) {
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
    vfpga_engine_turn(c, VFPGA_ENGINE_SLICE, c->s->dma_max_chain);
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
    if (c->stuck) {
        /* A wedged engine does not see RUN. */
        trace_vfpga_engine_stuck_ignores(c->name, "set");
        return;
    }
    c->gen++;
    c->regs[R_COMPLETED_DESC] = 0;
    c->desc_addr = deposit64(c->sgdma_regs[R_SGDMA_DESC_LO], 32, 32,
                             c->sgdma_regs[R_SGDMA_DESC_HI]);
    c->adj_left = c->sgdma_regs[R_SGDMA_DESC_ADJ] & XDMA_DESC_ADJ_MASK;
    c->chain_len = 0;
    c->have_desc = false;
    c->timed = false;
    c->busy = true;
    trace_vfpga_engine_start(c->name, c->desc_addr);
    /*
     * The doorbell is an MMIO write, so the device's re-entrancy guard is
     * already engaged: a short chain runs here and now, as the IP would
     * have started it by the time the write is posted, instead of waiting
     * for the main loop to wake.  What the inline budget leaves goes to
     * the bottom half.  Unlike vfpga_engine_run(), no reference is taken:
     * the flat view this write was dispatched through holds one on the
     * board until the vCPU leaves its RCU read-side section, and dropping
     * one of our own here would need a bottom half, that is the main-loop
     * wake-up this path exists to avoid.
     */
    vfpga_engine_turn(c, VFPGA_ENGINE_INLINE_BYTES,
                      MIN(VFPGA_ENGINE_INLINE_DESCS, c->s->dma_max_chain));
}

/* The stream's logic is ready again: a stalled engine resumes. */
void vfpga_engine_stream_ready(VFPGAChannel *c)
{
    if (c->busy && c->st_wait && !c->stuck) {
        c->st_wait = false;
        qemu_bh_schedule(c->bh);
    }
}

bool vfpga_engine_credit_mode(VFPGAChannel *c)
{
    uint32_t bit = c->c2h ? XDMA_CREDIT_MODE_C2H(c->index) :
                            XDMA_CREDIT_MODE_H2C(c->index);

    return c->s->sgdma_common_regs[XDMA_SGDMA_CREDIT_MODE / 4] & bit;
}

/* Credits came, or credit mode went: an engine waiting for them goes on. */
void vfpga_engine_credit_kick(VFPGAChannel *c)
{
    if (c->busy && c->credit_wait && !c->stuck) {
        c->credit_wait = false;
        qemu_bh_schedule(c->bh);
    }
}

/* RUN cleared: a busy engine stops where it is and says so. */
void vfpga_engine_stop(VFPGAChannel *c)
{
    if (c->stuck) {
        trace_vfpga_engine_stuck_ignores(c->name, "cleared");
        return;
    }
    if (c->busy) {
        vfpga_engine_idle(c);
        vfpga_chan_event(c, XDMA_STAT_IDLE_STOPPED);
    }
}

/* Reset: drop whatever is in flight without a word; unwedge. */
void vfpga_engine_cancel(VFPGAChannel *c)
{
    c->stuck = false;
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

    if ((c->desc_control >> XDMA_DESC_MAGIC_SHIFT) != XDMA_DESC_MAGIC ||
        !len || c->desc_done > len || host + len - 1 < host) {
        return false;
    }
    if (c->stream) {
        /* No card address; C2H: whole beats, and where its writeback goes. */
        return !c->c2h ||
               (!(len % XDMA_ST_DATA_BYTES) &&
                c->desc_src + sizeof(struct xdma_c2h_wb) - 1 >= c->desc_src);
    }
    return card < c->s->card_mem_size && len <= c->s->card_mem_size - card;
}

int vfpga_engine_post_load(VFPGAChannel *c)
{
    if (c->stuck) {
        /* Wedged: busy, and nothing left to schedule. */
        return c->busy ? 0 : -EINVAL;
    }
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
    if (c->busy && !c->st_wait &&
        !(c->timed && timer_pending(c->timer))) {
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
    c->stuck = false;
    vfpga_engine_idle(c);
    qemu_bh_delete(c->bh);
    timer_free(c->timer);
    c->bh = NULL;
    c->timer = NULL;
}
