/*
 * QTest testcase for the vfpga board
 *
 * Checks the device model against its specification, docs/register-map.md
 * and include/vfpga_regs.h: PCI identity, the reset value and access rules
 * of every register, XDMA transfers and their errors, the interrupt
 * generator, MSI-X delivery and masking, fault injection, resets and the
 * DMA timing model; and prints the DMA throughput seen through qtest.
 *
 * Each test boots its own machine.  Assertions are non-fatal: a test that
 * finds the model at odds with the specification is reported as failed
 * with the values seen, and the remaining tests still run.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/host-utils.h"
#include "qemu/units.h"
#include "libqtest.h"
#include "libqos/libqos-pc.h"
#include "libqos/pci-pc.h"
#include "qobject/qdict.h"
#include "standard-headers/linux/pci_regs.h"
#include "vfpga_regs.h"

#define FPGA_DEVFN      QPCI_DEVFN(4, 0)
#define FPGA_QOM        "/machine/peripheral/fpga"
#define FW_ARGS         "-L /usr/share/seabios -L /usr/share/qemu"

/* How long a DMA run may take in wall-clock time before the test gives up. */
#define WAIT_US         (20 * G_USEC_PER_SEC)

/* MSI-X messages land in guest RAM: vector v writes MSG_DATA(v) at msg + 4v */
#define MSG_DATA(v)     (0x5a00u + (v))

/* Every status event enabled for logging, as a driver does. */
#define CTRL_LOG_ALL    XDMA_STAT_EVENTS
/* A chain that ends normally: its last descriptor has STOPPED|COMPLETED. */
#define LAST_FLAGS      (XDMA_DESC_STOPPED | XDMA_DESC_COMPLETED)
#define STAT_DONE       (XDMA_STAT_DESC_STOPPED | XDMA_STAT_DESC_COMPLETED)

/* Guest addresses that are not backed by anything. */
#define UNBACKED_ADDR   0x1000000000ull     /* 64 GiB */

#define BAR_USER        VFPGA_BAR_USER
#define BAR_DMA         VFPGA_BAR_DMA
#define BAR_MEM         VFPGA_BAR_CARD_MEM

typedef struct Board {
    QOSState *qs;
    QTestState *qts;
    QPCIDevice *dev;
    QPCIBar bar[3];
    uint64_t bar_size[3];
    uint64_t card_size;
    unsigned nr_chan;           /* DMA channels per direction */
    unsigned nr_vec;            /* MSI-X table entries, 0 without MSI-X */
    uint8_t exp_cap;            /* PCI Express capability */
    bool timed;                 /* timing model on: transfers need clock */
    uint64_t msg;               /* guest RAM where MSI-X messages land */
    uint64_t desc;              /* guest RAM for descriptors, 64 KiB */
    uint64_t buf;               /* guest RAM for small transfers, 1 MiB */
    GRand *rand;
} Board;

/* One descriptor's worth of a transfer. */
typedef struct Seg {
    uint64_t host;              /* bus address in guest RAM */
    uint64_t card;              /* offset in card memory */
    uint32_t len;
} Seg;

/* ---- registers ----------------------------------------------------------- */

static uint32_t rd(Board *b, int bar, uint64_t off)
{
    return qpci_io_readl(b->dev, b->bar[bar], off);
}

static void wr(Board *b, int bar, uint64_t off, uint32_t val)
{
    qpci_io_writel(b->dev, b->bar[bar], off, val);
}

static uint32_t ur(Board *b, unsigned off)
{
    return rd(b, BAR_USER, off);
}

static void uw(Board *b, unsigned off, uint32_t val)
{
    wr(b, BAR_USER, off, val);
}

static uint32_t ir(Board *b, unsigned off)
{
    return rd(b, BAR_DMA, XDMA_IRQ_BASE + off);
}

static void iw(Board *b, unsigned off, uint32_t val)
{
    wr(b, BAR_DMA, XDMA_IRQ_BASE + off, val);
}

static unsigned chan_off(bool c2h, unsigned ch, unsigned reg)
{
    return (c2h ? XDMA_C2H_BASE : XDMA_H2C_BASE) + ch * XDMA_CHAN_STRIDE +
           reg;
}

static unsigned sgdma_off(bool c2h, unsigned ch, unsigned reg)
{
    return (c2h ? XDMA_C2H_SGDMA_BASE : XDMA_H2C_SGDMA_BASE) +
           ch * XDMA_CHAN_STRIDE + reg;
}

static uint32_t cr(Board *b, bool c2h, unsigned ch, unsigned reg)
{
    return rd(b, BAR_DMA, chan_off(c2h, ch, reg));
}

static void cw(Board *b, bool c2h, unsigned ch, unsigned reg, uint32_t val)
{
    wr(b, BAR_DMA, chan_off(c2h, ch, reg), val);
}

static uint32_t sr(Board *b, bool c2h, unsigned ch, unsigned reg)
{
    return rd(b, BAR_DMA, sgdma_off(c2h, ch, reg));
}

static void sw(Board *b, bool c2h, unsigned ch, unsigned reg, uint32_t val)
{
    wr(b, BAR_DMA, sgdma_off(c2h, ch, reg), val);
}

/* The channel's bit in CHAN_INT_REQ: H2C channels first, then C2H. */
static uint32_t chan_line(Board *b, bool c2h, unsigned ch)
{
    return 1u << (c2h ? b->nr_chan + ch : ch);
}

static uint32_t chan_id(bool c2h, unsigned ch)
{
    return XDMA_ID_SUBSYSTEM |
           XDMA_ID_TARGET(c2h ? XDMA_TARGET_C2H : XDMA_TARGET_H2C) |
           (ch << 8) | XDMA_ID_VERSION;
}

static uint32_t sgdma_id(bool c2h, unsigned ch)
{
    return XDMA_ID_SUBSYSTEM |
           XDMA_ID_TARGET(c2h ? XDMA_TARGET_C2H_SGDMA :
                                XDMA_TARGET_H2C_SGDMA) |
           (ch << 8) | XDMA_ID_VERSION;
}

static uint64_t time_ns(Board *b)
{
    uint64_t lo = ur(b, VFPGA_USER_TIME_LO);

    return lo | (uint64_t)ur(b, VFPGA_USER_TIME_HI) << 32;
}

static uint64_t last_raise_ns(Board *b)
{
    uint64_t lo = ur(b, VFPGA_IRQGEN_LAST_RAISE_LO);

    return lo | (uint64_t)ur(b, VFPGA_IRQGEN_LAST_RAISE_HI) << 32;
}

/* The board answers: QEMU is alive and BAR0 decodes. */
static void assert_alive(Board *b)
{
    g_assert_cmphex(ur(b, VFPGA_USER_ID), ==, VFPGA_ID_MAGIC);
    g_assert_cmphex(ir(b, XDMA_IRQ_IDENTIFIER), ==,
                    XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_IRQ) |
                    XDMA_ID_VERSION);
}

/* ---- MSI-X --------------------------------------------------------------- */

static uint64_t msix_entry(unsigned v)
{
    return XDMA_MSIX_TABLE_OFFSET + v * PCI_MSIX_ENTRY_SIZE;
}

static void msix_mask(Board *b, unsigned v, bool masked)
{
    wr(b, BAR_DMA, msix_entry(v) + PCI_MSIX_ENTRY_VECTOR_CTRL,
       masked ? PCI_MSIX_ENTRY_CTRL_MASKBIT : 0);
}

/*
 * Enable MSI-X on BAR1 as mapped (qpci_msix_enable would map the BAR
 * again) and point every vector at its own word of guest RAM.
 */
static void msix_setup(Board *b)
{
    uint8_t cap = qpci_find_capability(b->dev, PCI_CAP_ID_MSIX, 0);
    uint16_t flags;
    uint32_t table, pba;
    unsigned v;

    b->nr_vec = 0;
    if (!cap) {
        return;
    }
    flags = qpci_config_readw(b->dev, cap + PCI_MSIX_FLAGS);
    b->nr_vec = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
    qpci_config_writew(b->dev, cap + PCI_MSIX_FLAGS,
                       (flags | PCI_MSIX_FLAGS_ENABLE) &
                       ~PCI_MSIX_FLAGS_MASKALL);
    table = qpci_config_readl(b->dev, cap + PCI_MSIX_TABLE);
    pba = qpci_config_readl(b->dev, cap + PCI_MSIX_PBA);
    b->dev->msix_table_bar = b->bar[table & PCI_MSIX_FLAGS_BIRMASK];
    b->dev->msix_table_off = table & ~PCI_MSIX_FLAGS_BIRMASK;
    b->dev->msix_pba_bar = b->bar[pba & PCI_MSIX_FLAGS_BIRMASK];
    b->dev->msix_pba_off = pba & ~PCI_MSIX_FLAGS_BIRMASK;
    b->dev->msix_enabled = true;

    for (v = 0; v < b->nr_vec; v++) {
        uint64_t addr = b->msg + 4 * v;

        wr(b, BAR_DMA, msix_entry(v) + PCI_MSIX_ENTRY_LOWER_ADDR, addr);
        wr(b, BAR_DMA, msix_entry(v) + PCI_MSIX_ENTRY_UPPER_ADDR,
           addr >> 32);
        wr(b, BAR_DMA, msix_entry(v) + PCI_MSIX_ENTRY_DATA, MSG_DATA(v));
        msix_mask(b, v, false);
    }
}

/* Was a message sent on vector @v since the last look?  Consumes it. */
static bool msg_take(Board *b, unsigned v)
{
    uint32_t word = qtest_readl(b->qts, b->msg + 4 * v);

    if (!word) {
        return false;
    }
    g_assert_cmphex(word, ==, MSG_DATA(v));
    qtest_writel(b->qts, b->msg + 4 * v, 0);
    return true;
}

/* No message on any vector. */
static void assert_no_msg(Board *b)
{
    uint32_t words[VFPGA_MSIX_VECTORS];
    unsigned v;

    qtest_memread(b->qts, b->msg, words, sizeof(words));
    for (v = 0; v < VFPGA_MSIX_VECTORS; v++) {
        if (words[v]) {
            g_test_message("unexpected message on vector %u", v);
        }
        g_assert_cmphex(words[v], ==, 0);
    }
}

/* Vector of user line @line and of channel interrupt @line. */
static void map_user_line(Board *b, unsigned line, unsigned vec)
{
    unsigned reg = XDMA_IRQ_USER_VEC_NUM + 4 * (line / 4);
    uint32_t val = ir(b, reg);

    val &= ~(XDMA_IRQ_VEC_MASK << XDMA_IRQ_VEC_SHIFT(line));
    iw(b, reg, val | vec << XDMA_IRQ_VEC_SHIFT(line));
}

static void map_chan_line(Board *b, unsigned line, unsigned vec)
{
    unsigned reg = XDMA_IRQ_CHAN_VEC_NUM + 4 * (line / 4);
    uint32_t val = ir(b, reg);

    val &= ~(XDMA_IRQ_VEC_MASK << XDMA_IRQ_VEC_SHIFT(line));
    iw(b, reg, val | vec << XDMA_IRQ_VEC_SHIFT(line));
}

/* ---- the board ----------------------------------------------------------- */

/* Memory decoding and bus mastering on, BARs where they were. */
static void board_enable(Board *b)
{
    static const uint8_t bar_reg[] = {
        PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_1, PCI_BASE_ADDRESS_2,
    };
    int i;

    for (i = 0; i < 3; i++) {
        qpci_config_writel(b->dev, bar_reg[i], b->bar[i].addr);
    }
    qpci_config_writel(b->dev, PCI_BASE_ADDRESS_3, 0);
    qpci_device_enable(b->dev);
}

/*
 * Boot a q35 machine with the board at 00:04.0 (QOM path FPGA_QOM), its
 * BARs mapped, memory and bus mastering on and, if it has MSI-X, every
 * vector set up.  @props are extra device properties ("" for none).
 */
static Board *board_boot_ram(const char *ram, const char *props)
{
    Board *b = g_new0(Board, 1);
    unsigned ch;
    int i;

    b->qs = qtest_pc_boot("-machine q35 -nodefaults -m %s " FW_ARGS
                          " -device vfpga,id=fpga,addr=04.0%s%s",
                          ram, *props ? "," : "", props);
    b->qts = b->qs->qts;
    b->dev = qpci_device_find(b->qs->pcibus, FPGA_DEVFN);
    g_assert(b->dev);
    for (i = 0; i < 3; i++) {
        b->bar[i] = qpci_iomap(b->dev, i, &b->bar_size[i]);
    }
    board_enable(b);
    b->exp_cap = qpci_find_capability(b->dev, PCI_CAP_ID_EXP, 0);
    b->card_size = b->bar_size[BAR_MEM];
    b->timed = strstr(props, "dma-bandwidth-mbps") ||
               strstr(props, "dma-desc-latency-ns");

    b->msg = guest_alloc(&b->qs->alloc, 4 * VFPGA_MSIX_VECTORS);
    qtest_memset(b->qts, b->msg, 0, 4 * VFPGA_MSIX_VECTORS);
    b->desc = guest_alloc(&b->qs->alloc, 64 * KiB);
    g_assert(!(b->desc & 0xfff));
    b->buf = guest_alloc(&b->qs->alloc, 1 * MiB);
    msix_setup(b);

    /* Find the channels by their identifiers, as Linux's xdma does. */
    for (ch = 0; ch < XDMA_MAX_CHANNELS; ch++) {
        if (cr(b, false, ch, XDMA_CHAN_IDENTIFIER) != chan_id(false, ch)) {
            break;
        }
    }
    b->nr_chan = ch;
    b->rand = g_rand_new_with_seed(0x76667061);
    return b;
}

static Board *board_boot(const char *props)
{
    return board_boot_ram("256M", props);
}

static void board_free(Board *b)
{
    assert_alive(b);
    g_rand_free(b->rand);
    g_free(b->dev);
    qtest_shutdown(b->qs);
    g_free(b);
}

/* After a reset the BARs are unmapped and MSI-X is off: map them again. */
static void board_reinit(Board *b)
{
    board_enable(b);
    qtest_memset(b->qts, b->msg, 0, 4 * VFPGA_MSIX_VECTORS);
    msix_setup(b);
}

static void system_reset(Board *b)
{
    qtest_qmp_assert_success(b->qts, "{ 'execute': 'system_reset' }");
    qtest_qmp_eventwait(b->qts, "RESET");
}

/*
 * Function-level reset through the PCI Express capability (found at boot:
 * a removed board has no capability list to walk).
 */
static void flr(Board *b)
{
    uint8_t cap = b->exp_cap;
    uint16_t ctl;

    g_assert(cap);
    ctl = qpci_config_readw(b->dev, cap + PCI_EXP_DEVCTL);
    qpci_config_writew(b->dev, cap + PCI_EXP_DEVCTL,
                       ctl | PCI_EXP_DEVCTL_BCR_FLR);
}

static void qom_set_bool(Board *b, const char *prop, bool val)
{
    qtest_qmp_assert_success(b->qts, "{ 'execute': 'qom-set', 'arguments':"
                             " { 'path': %s, 'property': %s, 'value': %i } }",
                             FPGA_QOM, prop, val);
}

static bool qom_get_bool(Board *b, const char *prop)
{
    QDict *rsp = qtest_qmp(b->qts, "{ 'execute': 'qom-get', 'arguments':"
                           " { 'path': %s, 'property': %s } }",
                           FPGA_QOM, prop);
    bool val;

    g_assert(qdict_haskey(rsp, "return"));
    val = qdict_get_bool(rsp, "return");
    qobject_unref(rsp);
    return val;
}

/* ---- data ---------------------------------------------------------------- */

static void fill_random(GRand *r, uint8_t *buf, size_t len)
{
    size_t i;

    for (i = 0; i + 4 <= len; i += 4) {
        uint32_t x = g_rand_int(r);

        memcpy(buf + i, &x, 4);
    }
    for (; i < len; i++) {
        buf[i] = g_rand_int(r);
    }
}

/*
 * Guest memory in pieces: qtest sends a buffer as one base64 line, and
 * both ends search a growing line for its end, so big lines cost
 * quadratic time.
 */
#define MEM_CHUNK   (32 * KiB)

static void mem_write(Board *b, uint64_t addr, const void *buf, size_t len)
{
    size_t off, n;

    for (off = 0; off < len; off += n) {
        n = MIN(len - off, MEM_CHUNK);
        qtest_bufwrite(b->qts, addr + off, (const uint8_t *)buf + off, n);
    }
}

static void mem_read(Board *b, uint64_t addr, void *buf, size_t len)
{
    size_t off, n;

    for (off = 0; off < len; off += n) {
        n = MIN(len - off, MEM_CHUNK);
        qtest_bufread(b->qts, addr + off, (uint8_t *)buf + off, n);
    }
}

static void card_write(Board *b, uint64_t off, const void *buf, size_t len)
{
    mem_write(b, b->bar[BAR_MEM].addr + off, buf, len);
}

static void card_read(Board *b, uint64_t off, void *buf, size_t len)
{
    mem_read(b, b->bar[BAR_MEM].addr + off, buf, len);
}

/* Byte for byte; on a mismatch, say where. */
static void assert_same(const char *what, const uint8_t *want,
                        const uint8_t *got, size_t len)
{
    size_t i;

    for (i = 0; i < len && want[i] == got[i]; i++) {
        /* nothing */
    }
    if (i < len) {
        g_test_message("%s: first difference at byte %zu of %zu: "
                       "0x%02x instead of 0x%02x", what, i, len, got[i],
                       want[i]);
    }
    g_assert_cmpuint(i, ==, len);
}

/* ---- descriptors and runs ------------------------------------------------ */

static void desc_fill(struct xdma_desc *d, uint32_t control, uint32_t bytes,
                      uint64_t src, uint64_t dst, uint64_t next)
{
    d->control = cpu_to_le32(control);
    d->bytes = cpu_to_le32(bytes);
    d->src_addr = cpu_to_le64(src);
    d->dst_addr = cpu_to_le64(dst);
    d->next_desc = cpu_to_le64(next);
}

static void desc_write(Board *b, uint64_t at, uint32_t control,
                       uint32_t bytes, uint64_t src, uint64_t dst,
                       uint64_t next)
{
    struct xdma_desc d;

    desc_fill(&d, control, bytes, src, dst, next);
    qtest_memwrite(b->qts, at, &d, sizeof(d));
}

/*
 * Write a chain for @seg[0..n) at @at in blocks of one: each descriptor
 * names the next, adjacent counts are 0 (DESC_ADJ must be 0 too), and the
 * last one has @last_flags.
 */
static void chain_write(Board *b, uint64_t at, bool c2h, const Seg *seg,
                        unsigned n, uint32_t last_flags)
{
    g_autofree struct xdma_desc *d = g_new0(struct xdma_desc, n);
    unsigned i;

    for (i = 0; i < n; i++) {
        desc_fill(&d[i], XDMA_DESC_CONTROL(0, i == n - 1 ? last_flags : 0),
                  seg[i].len, c2h ? seg[i].card : seg[i].host,
                  c2h ? seg[i].host : seg[i].card,
                  at + (i + 1) * sizeof(*d));
    }
    mem_write(b, at, d, n * sizeof(*d));
}

#define POISON_NEXT     0xbadbadbadbad0008ull   /* unaligned, unbacked */

/*
 * Write a chain for @seg[0..n) as XDMA blocks of random sizes (1 to 64),
 * each in its own 4 KiB page of the 64 KiB at b->desc, at a random place
 * that keeps it inside the page.  A block's last descriptor names the
 * next block and its size minus one; the other descriptors' next_desc is
 * poison, which the engine must not follow.  Returns the first block's
 * DESC_ADJ and its address in @first.
 */
static uint32_t chain_write_blocks(Board *b, bool c2h, const Seg *seg,
                                   unsigned n, uint32_t last_flags,
                                   uint64_t *first)
{
    enum { PAGES = 16, PER_PAGE = 4096 / sizeof(struct xdma_desc) };
    unsigned size[PAGES], nb = 0, i, j, k = 0;
    uint64_t addr[PAGES];
    int page[PAGES];

    g_assert(n <= PAGES);
    for (i = 0; i < n; i += size[nb++]) {
        size[nb] = g_rand_int_range(b->rand, 1, MIN(n - i, 64) + 1);
    }
    for (j = 0; j < PAGES; j++) {
        page[j] = j;
    }
    for (j = 0; j < PAGES; j++) {
        int x = g_rand_int_range(b->rand, j, PAGES), t = page[j];

        page[j] = page[x];
        page[x] = t;
    }
    for (j = 0; j < nb; j++) {
        addr[j] = b->desc + page[j] * 4096 +
                  g_rand_int_range(b->rand, 0, PER_PAGE - size[j] + 1) *
                  sizeof(struct xdma_desc);
    }
    for (j = 0; j < nb; j++) {
        for (i = 0; i < size[j]; i++, k++) {
            bool last_in_block = i == size[j] - 1;
            uint32_t adj = last_in_block && j + 1 < nb ? size[j + 1] - 1 : 0;
            uint64_t next = !last_in_block ? POISON_NEXT :
                            j + 1 < nb ? addr[j + 1] : 0;

            desc_write(b, addr[j] + i * sizeof(struct xdma_desc),
                       XDMA_DESC_CONTROL(adj, k == n - 1 ? last_flags : 0),
                       seg[k].len, c2h ? seg[k].card : seg[k].host,
                       c2h ? seg[k].host : seg[k].card, next);
        }
    }
    *first = addr[0];
    return size[0] - 1;
}

/* Program a channel and set RUN (after clearing it). */
static void chan_start(Board *b, bool c2h, unsigned ch, uint64_t desc,
                       uint32_t adj, uint32_t control)
{
    cw(b, c2h, ch, XDMA_CHAN_CONTROL, 0);
    sw(b, c2h, ch, XDMA_SGDMA_DESC_LO, desc);
    sw(b, c2h, ch, XDMA_SGDMA_DESC_HI, desc >> 32);
    sw(b, c2h, ch, XDMA_SGDMA_DESC_ADJ, adj);
    cw(b, c2h, ch, XDMA_CHAN_CONTROL, control | XDMA_CTRL_RUN);
    if (b->timed) {
        /*
         * Let the bottom half that fetches the first descriptor run (each
         * access is a main-loop turn) before the test moves the clock.
         */
        cr(b, c2h, ch, XDMA_CHAN_STATUS);
        cr(b, c2h, ch, XDMA_CHAN_STATUS);
    }
}

/*
 * Wait until the channel is no longer busy and return its STATUS.  The
 * engine runs in a bottom half: every register read lets the main loop
 * turn.  With the timing model on, virtual time must pass too.
 */
static uint32_t chan_wait(Board *b, bool c2h, unsigned ch)
{
    gint64 end = g_get_monotonic_time() + WAIT_US;
    uint32_t st;

    for (;;) {
        st = cr(b, c2h, ch, XDMA_CHAN_STATUS);
        if (!(st & XDMA_STAT_BUSY) || g_get_monotonic_time() > end) {
            break;
        }
        if (b->timed) {
            qtest_clock_step(b->qts, 100 * 1000);
        }
    }
    if (st & XDMA_STAT_BUSY) {
        g_test_message("%s%u still busy after %d s", c2h ? "c2h" : "h2c",
                       ch, (int)(WAIT_US / G_USEC_PER_SEC));
    }
    g_assert_cmphex(st & XDMA_STAT_BUSY, ==, 0);
    return st;
}

/*
 * Let @ns of virtual time pass in 100 us steps, with a main-loop turn
 * (a register read) after each: a timed descriptor's time only schedules
 * the engine's bottom half, which runs when the main loop turns.
 */
static void clock_step_turns(Board *b, uint64_t ns)
{
    uint64_t step;

    for (; ns; ns -= step) {
        step = MIN(ns, 100 * 1000);
        qtest_clock_step(b->qts, step);
        ur(b, VFPGA_USER_ID);
    }
}

static uint32_t chan_run(Board *b, bool c2h, unsigned ch, uint64_t desc,
                         uint32_t control)
{
    chan_start(b, c2h, ch, desc, 0, control);
    return chan_wait(b, c2h, ch);
}

static void chan_clear_status(Board *b, bool c2h, unsigned ch)
{
    cw(b, c2h, ch, XDMA_CHAN_STATUS, XDMA_STAT_EVENTS);
    g_assert_cmphex(cr(b, c2h, ch, XDMA_CHAN_STATUS), ==, 0);
}

/*
 * A correct transfer on the channel: three descriptors (4096, 5000 and
 * 904 bytes) between b->buf and card offset @card, checked byte for byte.
 * Clears the channel's status first and leaves it clear.
 */
static void assert_transfer_ok_at(Board *b, bool c2h, unsigned ch,
                                  uint64_t card)
{
    static const uint32_t lens[] = { 4096, 5000, 904 };
    enum { TOTAL = 4096 + 5000 + 904 };
    uint8_t want[TOTAL], got[TOTAL];
    Seg seg[3];
    uint64_t off = 0;
    unsigned i;

    for (i = 0; i < 3; i++) {
        seg[i] = (Seg) { b->buf + off, card + off, lens[i] };
        off += lens[i];
    }
    fill_random(b->rand, want, TOTAL);
    if (c2h) {
        card_write(b, card, want, TOTAL);
        qtest_memset(b->qts, b->buf, 0, TOTAL);
    } else {
        mem_write(b, b->buf, want, TOTAL);
    }
    chan_clear_status(b, c2h, ch);
    chain_write(b, b->desc, c2h, seg, 3, LAST_FLAGS);
    g_assert_cmphex(chan_run(b, c2h, ch, b->desc, CTRL_LOG_ALL), ==,
                    STAT_DONE);
    g_assert_cmpuint(cr(b, c2h, ch, XDMA_CHAN_COMPLETED_DESC), ==, 3);
    if (c2h) {
        mem_read(b, b->buf, got, TOTAL);
    } else {
        card_read(b, card, got, TOTAL);
    }
    assert_same(c2h ? "c2h data in host memory" : "h2c data in card memory",
                want, got, TOTAL);
    chan_clear_status(b, c2h, ch);
}

static void assert_transfer_ok(Board *b, bool c2h, unsigned ch)
{
    assert_transfer_ok_at(b, c2h, ch, 0);
}

/* ==== 1. PCI identity and registers ======================================= */

static void test_pci_identity(void)
{
    Board *b = board_boot("");
    QPCIDevice *d = b->dev;
    uint8_t cap;
    uint16_t flags;

    g_assert_cmphex(qpci_config_readw(d, PCI_VENDOR_ID), ==,
                    VFPGA_PCI_VENDOR_ID);
    g_assert_cmphex(qpci_config_readw(d, PCI_DEVICE_ID), ==,
                    VFPGA_PCI_DEVICE_ID);
    g_assert_cmphex(qpci_config_readb(d, PCI_REVISION_ID), ==,
                    VFPGA_PCI_REVISION);
    g_assert_cmphex(qpci_config_readw(d, PCI_CLASS_DEVICE), ==, 0xff00);
    g_assert_cmphex(qpci_config_readb(d, PCI_CLASS_PROG), ==, 0);
    g_assert_cmphex(qpci_config_readb(d, PCI_INTERRUPT_PIN), ==, 1);
    /* README: subsystem 1af4:1100 */
    g_assert_cmphex(qpci_config_readw(d, PCI_SUBSYSTEM_VENDOR_ID), ==,
                    0x1af4);
    g_assert_cmphex(qpci_config_readw(d, PCI_SUBSYSTEM_ID), ==, 0x1100);
    g_assert_cmphex(qpci_config_readw(d, PCI_STATUS) & PCI_STATUS_CAP_LIST,
                    ==, PCI_STATUS_CAP_LIST);

    /* BARs: 0 and 1 32-bit memory of 64 KiB, 2 64-bit prefetchable. */
    g_assert_cmphex(b->bar_size[0], ==, VFPGA_BAR_USER_SIZE);
    g_assert_cmphex(b->bar_size[1], ==, VFPGA_BAR_DMA_SIZE);
    g_assert_cmphex(b->bar_size[2], ==, VFPGA_CARD_MEM_DEFAULT_SIZE);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_0) & 0xf, ==,
                    PCI_BASE_ADDRESS_SPACE_MEMORY |
                    PCI_BASE_ADDRESS_MEM_TYPE_32);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_1) & 0xf, ==,
                    PCI_BASE_ADDRESS_SPACE_MEMORY |
                    PCI_BASE_ADDRESS_MEM_TYPE_32);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_2) & 0xf, ==,
                    PCI_BASE_ADDRESS_SPACE_MEMORY |
                    PCI_BASE_ADDRESS_MEM_TYPE_64 |
                    PCI_BASE_ADDRESS_MEM_PREFETCH);
    /* No BAR 4 or 5: they do not take an address. */
    qpci_config_writel(d, PCI_BASE_ADDRESS_4, 0xffffffff);
    qpci_config_writel(d, PCI_BASE_ADDRESS_5, 0xffffffff);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_4), ==, 0);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_5), ==, 0);

    /* PCI Express with FLR */
    cap = qpci_find_capability(d, PCI_CAP_ID_EXP, 0);
    g_assert_cmphex(cap, !=, 0);
    if (cap) {
        g_assert_cmphex(qpci_config_readl(d, cap + PCI_EXP_DEVCAP) &
                        PCI_EXP_DEVCAP_FLR, ==, PCI_EXP_DEVCAP_FLR);
    }
    /* MSI: 64-bit, up to 32 vectors */
    cap = qpci_find_capability(d, PCI_CAP_ID_MSI, 0);
    g_assert_cmphex(cap, !=, 0);
    if (cap) {
        flags = qpci_config_readw(d, cap + PCI_MSI_FLAGS);
        g_assert_cmphex(flags & PCI_MSI_FLAGS_64BIT, ==, PCI_MSI_FLAGS_64BIT);
        g_assert_cmphex((flags & PCI_MSI_FLAGS_QMASK) >> 1, ==, 5);
    }
    /* MSI-X: 32 vectors, table and PBA in BAR1 where XDMA has them */
    cap = qpci_find_capability(d, PCI_CAP_ID_MSIX, 0);
    g_assert_cmphex(cap, !=, 0);
    if (cap) {
        flags = qpci_config_readw(d, cap + PCI_MSIX_FLAGS);
        g_assert_cmpuint((flags & PCI_MSIX_FLAGS_QSIZE) + 1, ==,
                         VFPGA_MSIX_VECTORS);
        g_assert_cmphex(qpci_config_readl(d, cap + PCI_MSIX_TABLE), ==,
                        XDMA_MSIX_TABLE_OFFSET | BAR_DMA);
        g_assert_cmphex(qpci_config_readl(d, cap + PCI_MSIX_PBA), ==,
                        XDMA_MSIX_PBA_OFFSET | BAR_DMA);
    }
    g_assert_cmpuint(b->nr_chan, ==, XDMA_MAX_CHANNELS);
    board_free(b);
}

/* The card memory BAR follows card-mem-size; msix-vectors and msi too. */
static void test_pci_properties(void)
{
    Board *b = board_boot("card-mem-size=16M,msix-vectors=4,msi=off,"
                          "dma-channels=2");

    g_assert_cmphex(b->bar_size[BAR_MEM], ==, 16 * MiB);
    g_assert_cmpuint(b->nr_vec, ==, 4);
    g_assert_cmphex(qpci_find_capability(b->dev, PCI_CAP_ID_MSI, 0), ==, 0);
    g_assert_cmpuint(b->nr_chan, ==, 2);
    board_free(b);

    b = board_boot("msix-vectors=0");
    g_assert_cmphex(qpci_find_capability(b->dev, PCI_CAP_ID_MSIX, 0), ==, 0);
    board_free(b);
}

typedef struct RegVal {
    unsigned off;
    uint32_t val;
} RegVal;

/*
 * Every register at its reset value.  TIME runs, and the W1S/W1C
 * aliases of channel blocks have no read value in the specification.
 */
static void assert_reset_values(Board *b)
{
    static const RegVal user[] = {
        { VFPGA_USER_ID, VFPGA_ID_MAGIC },
        { VFPGA_USER_VERSION, VFPGA_VERSION(0, 1, 0) },
        { VFPGA_USER_SCRATCH, 0 },
        { VFPGA_USER_CAPS, VFPGA_CAP_IRQGEN | VFPGA_CAP_IRQGEN_PACED |
                           VFPGA_CAP_DMA | VFPGA_CAP_FAULT },
        { VFPGA_USER_FAULT, 0 },
        { VFPGA_USER_FAULT_VECTOR, 0 },
        { VFPGA_IRQGEN_CTRL, 0 },
        { VFPGA_IRQGEN_STATUS, 0 },
        { VFPGA_IRQGEN_LINE, 0 },
        { VFPGA_IRQGEN_COUNT, 0 },
        { VFPGA_IRQGEN_RAISED, 0 },
        { VFPGA_IRQGEN_ACKED, 0 },
        { VFPGA_IRQGEN_ACK, 0 },
        { VFPGA_IRQGEN_MODE, 0 },
        { VFPGA_IRQGEN_RATE, 0 },
        { VFPGA_IRQGEN_DURATION_US, 0 },
        { VFPGA_IRQGEN_OVERRUN, 0 },
        { VFPGA_IRQGEN_QUEUE_DEPTH, 0 },
        { VFPGA_IRQGEN_LAST_RAISE_LO, 0 },
        { VFPGA_IRQGEN_LAST_RAISE_HI, 0 },
        { VFPGA_IRQGEN_QUEUED, 0 },
        { VFPGA_IRQGEN_STALLED_US, 0 },
    };
    static const RegVal irq[] = {
        { XDMA_IRQ_IDENTIFIER, 0x1fc20006 },
        { XDMA_IRQ_USER_INT_EN, 0 },
        { XDMA_IRQ_USER_INT_EN_W1S, 0 },
        { XDMA_IRQ_USER_INT_EN_W1C, 0 },
        { XDMA_IRQ_CHAN_INT_EN, 0 },
        { XDMA_IRQ_CHAN_INT_EN_W1S, 0 },
        { XDMA_IRQ_CHAN_INT_EN_W1C, 0 },
        { XDMA_IRQ_USER_INT_REQ, 0 },
        { XDMA_IRQ_CHAN_INT_REQ, 0 },
        { XDMA_IRQ_USER_INT_PEND, 0 },
        { XDMA_IRQ_CHAN_INT_PEND, 0 },
        { XDMA_IRQ_USER_VEC_NUM + 0x0, 0 },
        { XDMA_IRQ_USER_VEC_NUM + 0x4, 0 },
        { XDMA_IRQ_USER_VEC_NUM + 0x8, 0 },
        { XDMA_IRQ_USER_VEC_NUM + 0xc, 0 },
        { XDMA_IRQ_CHAN_VEC_NUM + 0x0, 0 },
        { XDMA_IRQ_CHAN_VEC_NUM + 0x4, 0 },
    };
    static const RegVal chan[] = {
        { XDMA_CHAN_CONTROL, 0 },
        { XDMA_CHAN_STATUS, 0 },
        { XDMA_CHAN_STATUS_RC, 0 },
        { XDMA_CHAN_COMPLETED_DESC, 0 },
        { XDMA_CHAN_ALIGNMENTS, XDMA_ALIGNMENTS_VALUE },
        { XDMA_CHAN_POLL_WB_LO, 0 },
        { XDMA_CHAN_POLL_WB_HI, 0 },
        { XDMA_CHAN_INTR_ENABLE, 0 },
    };
    static const RegVal sgdma[] = {
        { XDMA_SGDMA_DESC_LO, 0 },
        { XDMA_SGDMA_DESC_HI, 0 },
        { XDMA_SGDMA_DESC_ADJ, 0 },
        { XDMA_SGDMA_DESC_CREDIT, 0 },
    };
    unsigned i, ch;
    int dir;

    for (i = 0; i < ARRAY_SIZE(user); i++) {
        if (ur(b, user[i].off) != user[i].val) {
            g_test_message("BAR0 0x%04x: 0x%08x, reset value 0x%08x",
                           user[i].off, ur(b, user[i].off), user[i].val);
        }
        g_assert_cmphex(ur(b, user[i].off), ==, user[i].val);
    }
    for (i = 0; i < ARRAY_SIZE(irq); i++) {
        if (ir(b, irq[i].off) != irq[i].val) {
            g_test_message("IRQ block 0x%02x: 0x%08x, reset value 0x%08x",
                           irq[i].off, ir(b, irq[i].off), irq[i].val);
        }
        g_assert_cmphex(ir(b, irq[i].off), ==, irq[i].val);
    }
    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_IDENTIFIER), ==,
                            chan_id(dir, ch));
            for (i = 0; i < ARRAY_SIZE(chan); i++) {
                uint32_t v = cr(b, dir, ch, chan[i].off);

                if (v != chan[i].val) {
                    g_test_message("%s%u 0x%02x: 0x%08x, reset value 0x%08x",
                                   dir ? "c2h" : "h2c", ch, chan[i].off, v,
                                   chan[i].val);
                }
                g_assert_cmphex(v, ==, chan[i].val);
            }
            g_assert_cmphex(sr(b, dir, ch, XDMA_SGDMA_IDENTIFIER), ==,
                            sgdma_id(dir, ch));
            for (i = 0; i < ARRAY_SIZE(sgdma); i++) {
                uint32_t v = sr(b, dir, ch, sgdma[i].off);

                if (v != sgdma[i].val) {
                    g_test_message("%s%u-sgdma 0x%02x: 0x%08x, reset value "
                                   "0x%08x", dir ? "c2h" : "h2c", ch,
                                   sgdma[i].off, v, sgdma[i].val);
                }
                g_assert_cmphex(v, ==, sgdma[i].val);
            }
        }
    }
    g_assert_cmphex(rd(b, BAR_DMA, XDMA_CONFIG_BASE), ==, 0x1fc30006);
    g_assert_cmphex(rd(b, BAR_DMA, XDMA_SGDMA_COMMON_BASE), ==, 0x1fc60006);
}

/* Writing @val to a read-only register changes nothing. */
static void assert_ro(Board *b, int bar, unsigned off, uint32_t val)
{
    uint32_t before = rd(b, bar, off);

    wr(b, bar, off, val);
    g_assert_cmphex(rd(b, bar, off), ==, before);
}

/* Read-write: @mask are the bits that exist, the others read 0. */
static void assert_rw(Board *b, int bar, unsigned off, uint32_t mask)
{
    static const uint32_t pat[] = { 0xffffffff, 0xa5a5a5a5, 0x5a5a5a5a, 0 };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(pat); i++) {
        wr(b, bar, off, pat[i]);
        if (rd(b, bar, off) != (pat[i] & mask)) {
            g_test_message("BAR%d 0x%04x: wrote 0x%08x, read 0x%08x, "
                           "expected 0x%08x", bar, off, pat[i],
                           rd(b, bar, off), pat[i] & mask);
        }
        g_assert_cmphex(rd(b, bar, off), ==, pat[i] & mask);
    }
}

/* No register: reads 0, writes ignored. */
static void assert_hole(Board *b, int bar, unsigned off)
{
    wr(b, bar, off, 0xffffffff);
    if (rd(b, bar, off)) {
        g_test_message("BAR%d 0x%04x: hole reads 0x%08x", bar, off,
                       rd(b, bar, off));
    }
    g_assert_cmphex(rd(b, bar, off), ==, 0);
}

static void test_regs_reset(void)
{
    Board *b = board_boot("");

    assert_reset_values(b);
    board_free(b);
}

static void test_regs_user(void)
{
    Board *b = board_boot("");
    static const unsigned ro[] = {
        VFPGA_USER_ID, VFPGA_USER_VERSION, VFPGA_USER_CAPS,
        VFPGA_IRQGEN_STATUS, VFPGA_IRQGEN_RAISED, VFPGA_IRQGEN_ACKED,
        VFPGA_IRQGEN_OVERRUN, VFPGA_IRQGEN_LAST_RAISE_LO,
        VFPGA_IRQGEN_LAST_RAISE_HI, VFPGA_IRQGEN_QUEUED,
        VFPGA_IRQGEN_STALLED_US,
    };
    static const unsigned holes[] = {
        0x18, 0x1c, 0x28, 0x2c, 0x30, 0xfc, 0x140, 0x200,
        0x1000, 0x8000, 0xfffc,
    };
    uint64_t t0, t1;
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(ro); i++) {
        assert_ro(b, BAR_USER, ro[i], 0xffffffff);
        assert_ro(b, BAR_USER, ro[i], 0x12345678);
    }
    assert_rw(b, BAR_USER, VFPGA_USER_SCRATCH, 0xffffffff);
    assert_rw(b, BAR_USER, VFPGA_IRQGEN_COUNT, 0xffffffff);
    assert_rw(b, BAR_USER, VFPGA_IRQGEN_RATE, 0xffffffff);
    assert_rw(b, BAR_USER, VFPGA_IRQGEN_DURATION_US, 0xffffffff);
    assert_rw(b, BAR_USER, VFPGA_IRQGEN_QUEUE_DEPTH, 0xffffffff);
    /* MODE: 0 ping-pong, 1 paced */
    assert_rw(b, BAR_USER, VFPGA_IRQGEN_MODE,
              VFPGA_IRQGEN_MODE_PACED | VFPGA_IRQGEN_MODE_ROTATE);

    /* LINE: 0 to 15; a larger value is refused and the old one stays. */
    for (i = 0; i < VFPGA_USER_IRQ_LINES; i++) {
        uw(b, VFPGA_IRQGEN_LINE, i);
        g_assert_cmpuint(ur(b, VFPGA_IRQGEN_LINE), ==, i);
    }
    uw(b, VFPGA_IRQGEN_LINE, 5);
    uw(b, VFPGA_IRQGEN_LINE, VFPGA_USER_IRQ_LINES);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_LINE), ==, 5);
    uw(b, VFPGA_IRQGEN_LINE, 0xffffffff);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_LINE), ==, 5);
    uw(b, VFPGA_IRQGEN_LINE, 0);

    /* Write-only command registers read as 0. */
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    g_assert_cmphex(ur(b, VFPGA_IRQGEN_CTRL), ==, 0);
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_cmphex(ur(b, VFPGA_IRQGEN_ACK), ==, 0);
    g_assert_cmphex(ur(b, VFPGA_IRQGEN_ACKED), ==, 0);
    g_assert_cmphex(ur(b, VFPGA_IRQGEN_STATUS), ==, 0);

    /* FAULT: bits 5:0 (4 fires at once, 5 removes the board: not here) */
    uw(b, VFPGA_USER_FAULT, 0xffffffcf);
    g_assert_cmphex(ur(b, VFPGA_USER_FAULT), ==, 0x0f);
    uw(b, VFPGA_USER_FAULT, VFPGA_FAULT_DMA_READ);
    g_assert_cmphex(ur(b, VFPGA_USER_FAULT), ==, VFPGA_FAULT_DMA_READ);
    uw(b, VFPGA_USER_FAULT, 0);
    g_assert_cmphex(ur(b, VFPGA_USER_FAULT), ==, 0);
    uw(b, VFPGA_USER_FAULT_VECTOR, 7);
    g_assert_cmphex(ur(b, VFPGA_USER_FAULT_VECTOR), ==, 7);
    uw(b, VFPGA_USER_FAULT_VECTOR, 0);

    /* TIME: the virtual clock in ns; writes do not set it. */
    t0 = time_ns(b);
    assert_ro(b, BAR_USER, VFPGA_USER_TIME_HI, 0xffffffff);
    uw(b, VFPGA_USER_TIME_LO, 0xffffffff);
    uw(b, VFPGA_USER_TIME_HI, 0xffffffff);
    g_assert_cmpuint(time_ns(b), ==, t0);
    qtest_clock_step(b->qts, 123456789);
    t1 = time_ns(b);
    g_assert_cmpuint(t1 - t0, ==, 123456789);
    /* TIME_HI is the word latched by the last TIME_LO read. */
    qtest_clock_step(b->qts, 5ull << 32);
    g_assert_cmphex(ur(b, VFPGA_USER_TIME_HI), ==, t1 >> 32);
    g_assert_cmpuint(time_ns(b), ==, t1 + (5ull << 32));

    for (i = 0; i < ARRAY_SIZE(holes); i++) {
        assert_hole(b, BAR_USER, holes[i]);
    }
    board_free(b);
}

/*
 * RW registers narrower than 32 bits keep exactly their field:
 * FAULT_VECTOR bits 4:0, DESC_CREDIT bits 9:0; the rest reads 0.
 */
static void test_regs_full_width(void)
{
    Board *b = board_boot("");
    unsigned ch;
    int dir;

    assert_rw(b, BAR_USER, VFPGA_USER_FAULT_VECTOR, 0x1f);
    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            assert_rw(b, BAR_DMA, sgdma_off(dir, ch, XDMA_SGDMA_DESC_CREDIT),
                      0x3ff);
        }
    }
    board_free(b);
}

static void test_regs_xdma_irq(void)
{
    Board *b = board_boot("");
    static const unsigned ro[] = {
        XDMA_IRQ_IDENTIFIER, XDMA_IRQ_USER_INT_REQ, XDMA_IRQ_CHAN_INT_REQ,
        XDMA_IRQ_USER_INT_PEND, XDMA_IRQ_CHAN_INT_PEND,
    };
    static const unsigned holes[] = {
        0x1c, 0x20, 0x3c, 0x50, 0x7c, 0x90, 0x9c, 0xa8, 0xac, 0xb0, 0x100,
        0xffc,
    };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(ro); i++) {
        assert_ro(b, BAR_DMA, XDMA_IRQ_BASE + ro[i], 0xffffffff);
    }
    /* Enable masks: 16 user lines, 8 channel interrupts. */
    assert_rw(b, BAR_DMA, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 0xffff);
    assert_rw(b, BAR_DMA, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN, 0xff);

    /* W1S and W1C act on the mask and read as it. */
    iw(b, XDMA_IRQ_USER_INT_EN, 0x0f0f);
    iw(b, XDMA_IRQ_USER_INT_EN_W1S, 0xfff0f0f0);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_EN), ==, 0xffff);
    iw(b, XDMA_IRQ_USER_INT_EN_W1C, 0x0000300f);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_EN), ==, 0xcff0);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_EN_W1S), ==, 0xcff0);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_EN_W1C), ==, 0xcff0);
    iw(b, XDMA_IRQ_USER_INT_EN_W1S, 0);
    iw(b, XDMA_IRQ_USER_INT_EN_W1C, 0);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_EN), ==, 0xcff0);

    iw(b, XDMA_IRQ_CHAN_INT_EN, 0x81);
    iw(b, XDMA_IRQ_CHAN_INT_EN_W1S, 0xffff0f00 | 0x06);
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_EN), ==, 0x87);
    iw(b, XDMA_IRQ_CHAN_INT_EN_W1C, 0x03);
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_EN), ==, 0x84);
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_EN_W1S), ==, 0x84);
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_EN_W1C), ==, 0x84);

    /* Enabling lines that request nothing makes nothing pending. */
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_PEND), ==, 0);
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_PEND), ==, 0);
    iw(b, XDMA_IRQ_USER_INT_EN, 0);
    iw(b, XDMA_IRQ_CHAN_INT_EN, 0);

    /* Vector numbers: 5 bits in each byte. */
    for (i = 0; i < XDMA_IRQ_USER_VEC_REGS; i++) {
        assert_rw(b, BAR_DMA, XDMA_IRQ_BASE + XDMA_IRQ_USER_VEC_NUM + 4 * i,
                  0x1f1f1f1f);
    }
    for (i = 0; i < XDMA_IRQ_CHAN_VEC_REGS; i++) {
        assert_rw(b, BAR_DMA, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_VEC_NUM + 4 * i,
                  0x1f1f1f1f);
    }
    for (i = 0; i < ARRAY_SIZE(holes); i++) {
        assert_hole(b, BAR_DMA, XDMA_IRQ_BASE + holes[i]);
    }
    assert_no_msg(b);
    board_free(b);
}

static void test_regs_xdma_chan(void)
{
    Board *b = board_boot("");
    static const unsigned holes[] = {
        0x10, 0x3c, 0x50, 0x84, 0x9c, 0xa0, 0xfc,
    };
    static const unsigned sgdma_holes[] = {
        0x04, 0x40, 0x7c, 0x90, 0xfc,
    };
    const uint32_t ctrl_bits = CTRL_LOG_ALL | XDMA_CTRL_POLL_MODE_WB;
    unsigned ch, i;
    int dir;

    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            unsigned base = chan_off(dir, ch, 0);

            g_test_message("%s%u", dir ? "c2h" : "h2c", ch);
            assert_ro(b, BAR_DMA, base + XDMA_CHAN_IDENTIFIER, 0xffffffff);
            assert_ro(b, BAR_DMA, base + XDMA_CHAN_COMPLETED_DESC, 0xffff);
            assert_ro(b, BAR_DMA, base + XDMA_CHAN_ALIGNMENTS, 0xffffffff);
            assert_ro(b, BAR_DMA, base + XDMA_CHAN_STATUS_RC, 0xffffffff);
            /* STATUS: nothing logged, BUSY is read-only */
            assert_ro(b, BAR_DMA, base + XDMA_CHAN_STATUS, 0xffffffff);

            /*
             * CONTROL without RUN: event enables and poll-mode writeback
             * stick, reserved bits read 0.  Bit 25 (non-incrementing
             * addresses, unsupported) is left out of the comparison.
             */
            cw(b, dir, ch, XDMA_CHAN_CONTROL, ~XDMA_CTRL_RUN);
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_CONTROL) &
                            ~XDMA_CTRL_NON_INCR_ADDR, ==, ctrl_bits);
            cw(b, dir, ch, XDMA_CHAN_CONTROL, 0);
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_CONTROL), ==, 0);
            cw(b, dir, ch, XDMA_CHAN_CONTROL_W1S, XDMA_CTRL_POLL_MODE_WB |
               XDMA_STAT_DESC_STOPPED | XDMA_STAT_READ_ERROR);
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_CONTROL), ==,
                            XDMA_CTRL_POLL_MODE_WB | XDMA_STAT_DESC_STOPPED |
                            XDMA_STAT_READ_ERROR);
            cw(b, dir, ch, XDMA_CHAN_CONTROL_W1C, XDMA_STAT_DESC_STOPPED |
               XDMA_STAT_READ_ERROR_UR);
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_CONTROL), ==,
                            XDMA_CTRL_POLL_MODE_WB |
                            (XDMA_STAT_READ_ERROR & ~XDMA_STAT_READ_ERROR_UR));
            cw(b, dir, ch, XDMA_CHAN_CONTROL, 0);
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_STATUS), ==, 0);

            assert_rw(b, BAR_DMA, base + XDMA_CHAN_POLL_WB_LO, 0xffffffff);
            assert_rw(b, BAR_DMA, base + XDMA_CHAN_POLL_WB_HI, 0xffffffff);

            /* INTR_ENABLE: the event bits */
            assert_rw(b, BAR_DMA, base + XDMA_CHAN_INTR_ENABLE,
                      XDMA_STAT_EVENTS);
            cw(b, dir, ch, XDMA_CHAN_INTR_ENABLE_W1S, 0xffffffff);
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_INTR_ENABLE), ==,
                            XDMA_STAT_EVENTS);
            cw(b, dir, ch, XDMA_CHAN_INTR_ENABLE_W1C, XDMA_STAT_EVENTS &
               ~STAT_DONE);
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_INTR_ENABLE), ==,
                            STAT_DONE);
            cw(b, dir, ch, XDMA_CHAN_INTR_ENABLE_W1C, XDMA_STAT_DESC_STOPPED);
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_INTR_ENABLE), ==,
                            XDMA_STAT_DESC_COMPLETED);
            cw(b, dir, ch, XDMA_CHAN_INTR_ENABLE, 0);
            for (i = 0; i < ARRAY_SIZE(holes); i++) {
                assert_hole(b, BAR_DMA, base + holes[i]);
            }

            base = sgdma_off(dir, ch, 0);
            assert_ro(b, BAR_DMA, base + XDMA_SGDMA_IDENTIFIER, 0xffffffff);
            assert_rw(b, BAR_DMA, base + XDMA_SGDMA_DESC_LO, 0xffffffff);
            assert_rw(b, BAR_DMA, base + XDMA_SGDMA_DESC_HI, 0xffffffff);
            assert_rw(b, BAR_DMA, base + XDMA_SGDMA_DESC_ADJ,
                      XDMA_DESC_ADJ_MASK);
            wr(b, BAR_DMA, base + XDMA_SGDMA_DESC_CREDIT, 0x155);
            g_assert_cmphex(rd(b, BAR_DMA, base + XDMA_SGDMA_DESC_CREDIT), ==,
                            0x155);
            wr(b, BAR_DMA, base + XDMA_SGDMA_DESC_CREDIT, 0);
            for (i = 0; i < ARRAY_SIZE(sgdma_holes); i++) {
                assert_hole(b, BAR_DMA, base + sgdma_holes[i]);
            }
        }
    }
    /* Nothing ran, nothing was requested. */
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, 0);
    assert_reset_values(b);
    board_free(b);
}

/* Blocks that hold only an identifier, absent channels, the gaps. */
static void test_regs_xdma_layout(void)
{
    Board *b = board_boot("dma-channels=2");
    static const unsigned holes[] = {
        /* absent channels 2 and 3 and their SGDMA blocks */
        0x0200, 0x0204, 0x0240, 0x0300, 0x1200, 0x1240, 0x1300,
        0x4200, 0x4280, 0x5300, 0x5380,
        /* beyond channel 3, in the config and common blocks, block 7 */
        0x0400, 0x0f00, 0x1400, 0x3004, 0x3100, 0x3ffc, 0x4400, 0x6004,
        0x6100, 0x7000, 0x7ffc,
        /* between the MSI-X table and PBA, and after the PBA */
        0x8200, 0x8800, 0x8fdc, 0x9000, 0xfffc,
    };
    unsigned i;

    g_assert_cmpuint(b->nr_chan, ==, 2);
    g_assert_cmphex(cr(b, true, 1, XDMA_CHAN_IDENTIFIER), ==, 0x1fc10106);
    g_assert_cmphex(sr(b, false, 0, XDMA_SGDMA_IDENTIFIER), ==, 0x1fc40006);
    g_assert_cmphex(sr(b, true, 1, XDMA_SGDMA_IDENTIFIER), ==, 0x1fc50106);
    assert_ro(b, BAR_DMA, XDMA_CONFIG_BASE, 0xffffffff);
    assert_ro(b, BAR_DMA, XDMA_SGDMA_COMMON_BASE, 0xffffffff);
    g_assert_cmphex(rd(b, BAR_DMA, XDMA_CONFIG_BASE), ==, 0x1fc30006);
    g_assert_cmphex(rd(b, BAR_DMA, XDMA_SGDMA_COMMON_BASE), ==, 0x1fc60006);
    for (i = 0; i < ARRAY_SIZE(holes); i++) {
        assert_hole(b, BAR_DMA, holes[i]);
    }
    /* Two channels per direction: C2H channel n is interrupt 2 + n. */
    cw(b, true, 1, XDMA_CHAN_INTR_ENABLE, STAT_DONE);
    assert_transfer_ok(b, true, 1);
    cw(b, true, 1, XDMA_CHAN_INTR_ENABLE, 0);
    board_free(b);
}

/*
 * Only aligned 32-bit accesses are valid; others, and accesses at the last
 * bytes of each BAR and just past it, must not bring QEMU down.  BAR2 is
 * memory: any size works there.
 */
/* BAR0 takes 64-bit reads: a LO/HI pair whole, low word first. */
static void test_regs_user_64bit(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    uint64_t bar = b->bar[BAR_USER].addr, t0, t1;

    t0 = qtest_readq(qts, bar + VFPGA_USER_TIME_LO);
    qtest_clock_step(qts, 5ull << 32);      /* past a carry into HI */
    t1 = qtest_readq(qts, bar + VFPGA_USER_TIME_LO);
    g_assert_cmpuint(t1 - t0, ==, 5ull << 32);
    g_assert_cmpuint(t1 >> 32, >=, 5);
    /* ID and VERSION at 0x0 read as one 64-bit word */
    g_assert_cmphex(qtest_readq(qts, bar + VFPGA_USER_ID), ==,
                    VFPGA_ID_MAGIC | (uint64_t)VFPGA_VERSION_CURRENT << 32);
    /* A 64-bit write is two 32-bit writes. */
    qtest_writeq(qts, bar + VFPGA_USER_SCRATCH, 0x1122334455667788ull);
    g_assert_cmphex(qtest_readl(qts, bar + VFPGA_USER_SCRATCH), ==,
                    0x55667788);
    board_free(b);
}

static void test_regs_access_widths(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    uint64_t card = b->bar[BAR_MEM].addr, size;
    int bar;

    for (bar = 0; bar < 3; bar++) {
        uint64_t base = b->bar[bar].addr;
        static const unsigned offs[] = { 0, 1, 2, 3, 6, 8 };
        unsigned i;

        size = b->bar_size[bar];
        for (i = 0; i < ARRAY_SIZE(offs); i++) {
            g_test_message("BAR%d+0x%x: b 0x%x w 0x%x q 0x%" PRIx64, bar,
                           offs[i], qtest_readb(qts, base + offs[i]),
                           qtest_readw(qts, base + offs[i]),
                           qtest_readq(qts, base + offs[i]));
        }
        qtest_readb(qts, base + size - 1);
        qtest_readw(qts, base + size - 2);
        qtest_readw(qts, base + size - 1);
        qtest_readl(qts, base + size - 4);
        qtest_readl(qts, base + size - 2);
        qtest_readq(qts, base + size - 8);
        qtest_readq(qts, base + size - 4);
        qtest_readb(qts, base + size);
        qtest_readl(qts, base + size);
        qtest_readq(qts, base + size);
        if (bar != BAR_MEM) {
            qtest_writeb(qts, base + size - 1, 0xff);
            qtest_writew(qts, base + size - 2, 0xffff);
            qtest_writel(qts, base + size - 4, 0xffffffff);
            qtest_writeq(qts, base + size - 8, ~0ull);
            qtest_writeq(qts, base + size - 4, ~0ull);
        }
        assert_alive(b);
    }

    /* Narrow and wide writes to registers */
    qtest_writeb(qts, b->bar[BAR_USER].addr + VFPGA_USER_SCRATCH + 1, 0x12);
    qtest_writew(qts, b->bar[BAR_USER].addr + VFPGA_USER_SCRATCH + 2, 0x1234);
    qtest_writeb(qts, b->bar[BAR_USER].addr + VFPGA_USER_ID, 0);
    qtest_writew(qts, b->bar[BAR_USER].addr + VFPGA_USER_VERSION, 0);
    qtest_writeq(qts, b->bar[BAR_USER].addr + VFPGA_USER_ID, 0);
    qtest_writeb(qts, b->bar[BAR_DMA].addr + XDMA_IRQ_BASE +
                 XDMA_IRQ_USER_INT_EN + 3, 0xff);
    qtest_writew(qts, b->bar[BAR_DMA].addr + XDMA_IRQ_BASE +
                 XDMA_IRQ_CHAN_VEC_NUM + 1, 0xffff);
    qtest_writeb(qts, b->bar[BAR_DMA].addr + XDMA_MSIX_TABLE_OFFSET + 1, 1);
    qtest_writeb(qts, b->bar[BAR_DMA].addr + XDMA_MSIX_PBA_OFFSET, 0xff);
    g_test_message("after narrow writes: SCRATCH 0x%08x USER_INT_EN 0x%08x",
                   ur(b, VFPGA_USER_SCRATCH), ir(b, XDMA_IRQ_USER_INT_EN));
    g_assert_cmphex(ur(b, VFPGA_USER_ID), ==, VFPGA_ID_MAGIC);
    g_assert_cmphex(ur(b, VFPGA_USER_VERSION), ==, VFPGA_VERSION(0, 1, 0));

    /* BAR2 is memory: every width, up to its last byte. */
    size = b->card_size;
    qtest_writeb(qts, card + 1, 0xa1);
    qtest_writew(qts, card + 2, 0xb2c3);
    qtest_writel(qts, card + 4, 0xd4e5f607);
    qtest_writeq(qts, card + 8, 0x0123456789abcdefull);
    g_assert_cmphex(qtest_readb(qts, card + 1), ==, 0xa1);
    g_assert_cmphex(qtest_readw(qts, card + 2), ==, 0xb2c3);
    g_assert_cmphex(qtest_readl(qts, card + 4), ==, 0xd4e5f607);
    g_assert_cmphex(qtest_readq(qts, card + 8), ==, 0x0123456789abcdefull);
    g_assert_cmphex(qtest_readl(qts, card + 1), ==, 0x07b2c3a1);
    qtest_writeq(qts, card + size - 8, 0x1122334455667788ull);
    qtest_writeb(qts, card + size - 1, 0x99);
    g_assert_cmphex(qtest_readq(qts, card + size - 8), ==,
                    0x9922334455667788ull);
    g_assert_cmphex(qtest_readw(qts, card + size - 2), ==, 0x9922);
    g_assert_cmphex(qtest_readb(qts, card + size - 1), ==, 0x99);
    qtest_writeb(qts, card + size, 0x55);
    qtest_writeq(qts, card + size, ~0ull);
    assert_alive(b);
    board_free(b);
}

/* ==== 2. DMA ============================================================== */

/* Random length, spread over the scales: 1 byte to 4 MiB - 1. */
static uint32_t random_len(GRand *r)
{
    unsigned bits = g_rand_int_range(r, 0, 22);

    return (1u << bits) + g_rand_int_range(r, 0, 1u << bits);
}

/*
 * Lay out up to @max segments of the given or random lengths: card
 * offsets from @card_base upwards, host addresses from @host_base, each
 * after a random gap so that alignments vary.  Stops before either area
 * overflows.  Returns the number of segments.
 */
static unsigned layout(GRand *r, Seg *seg, unsigned max,
                       const uint32_t *lens, unsigned nr_lens,
                       uint64_t host_base, uint64_t host_size,
                       uint64_t card_base, uint64_t card_size)
{
    uint64_t host = g_rand_int_range(r, 0, 4096);
    uint64_t card = g_rand_int_range(r, 0, 4096);
    unsigned n;

    for (n = 0; n < max; n++) {
        uint32_t len = n < nr_lens ? lens[n] : random_len(r);

        if (host + len > host_size || card + len > card_size) {
            break;
        }
        seg[n] = (Seg) { host_base + host, card_base + card, len };
        host += len + g_rand_int_range(r, 0, 4096);
        card += len + g_rand_int_range(r, 0, 256);
    }
    return n;
}

static uint64_t seg_span(const Seg *seg, unsigned n, bool card)
{
    return card ? seg[n - 1].card + seg[n - 1].len :
                  seg[n - 1].host + seg[n - 1].len;
}

/*
 * One chain through a channel, checked byte for byte over the whole span
 * it touches: the segments hold the data, the gaps their old contents.
 * @data is the image of the source span (host for H2C, card for C2H),
 * already in place.
 */
static void run_and_check(Board *b, bool c2h, unsigned ch, const Seg *seg,
                          unsigned n, const uint8_t *data, uint64_t src_base,
                          uint64_t dst_base, uint8_t dst_fill)
{
    uint64_t dst_span = seg_span(seg, n, !c2h) - dst_base;
    g_autofree uint8_t *want = g_malloc(dst_span);
    g_autofree uint8_t *got = g_malloc(dst_span);
    uint64_t dst_bus = c2h ? dst_base : b->bar[BAR_MEM].addr + dst_base;
    uint64_t first;
    uint32_t adj, st;
    unsigned i;

    memset(want, dst_fill, dst_span);
    qtest_memset(b->qts, dst_bus, dst_fill, dst_span);
    for (i = 0; i < n; i++) {
        uint64_t src = (c2h ? seg[i].card : seg[i].host) - src_base;
        uint64_t dst = (c2h ? seg[i].host : seg[i].card) - dst_base;

        memcpy(want + dst, data + src, seg[i].len);
    }
    adj = chain_write_blocks(b, c2h, seg, n, LAST_FLAGS, &first);
    chan_clear_status(b, c2h, ch);
    chan_start(b, c2h, ch, first, adj, CTRL_LOG_ALL);
    st = chan_wait(b, c2h, ch);
    g_assert_cmphex(st, ==, STAT_DONE);
    g_assert_cmpuint(cr(b, c2h, ch, XDMA_CHAN_COMPLETED_DESC), ==, n);
    mem_read(b, dst_bus, got, dst_span);
    assert_same(c2h ? "c2h: host span" : "h2c: card span", want, got,
                dst_span);
}

/*
 * Chains of random lengths, host and card alignments and descriptor
 * blocks (adjacent counts), host to card and back, each round on other
 * channels.
 */
static void test_dma_random(void)
{
    Board *b = board_boot("card-mem-size=16M");
    static const uint32_t edges[][8] = {
        { 1, 2, 3, 31, 32, 33, 63, 64 },
        { 4095, 4096, 4097, MiB - 1, MiB, MiB + 1, 3 * MiB + 7, 5 },
    };
    enum { ROUNDS = 6, MAX_SEGS = 16 };
    const uint64_t host_size = 12 * MiB;
    /* The way back has the same lengths and other gaps: room for them. */
    uint64_t host = guest_alloc(&b->qs->alloc, 2 * host_size +
                                (MAX_SEGS + 1) * 4096);
    uint64_t back = host + host_size;
    g_autofree uint8_t *data = g_malloc(host_size);
    g_autofree uint8_t *card = g_malloc(b->card_size);
    unsigned round;

    for (round = 0; round < ROUNDS; round++) {
        unsigned h2c = round % b->nr_chan, c2h = (round + 1) % b->nr_chan;
        Seg seg[MAX_SEGS], ret[MAX_SEGS];
        unsigned n, i, max = g_rand_int_range(b->rand, 1, MAX_SEGS + 1);
        uint64_t span, back_off;

        n = layout(b->rand, seg, round < 2 ? 8 : max,
                   round < 2 ? edges[round] : NULL, round < 2 ? 8 : 0,
                   host, host_size, 0, b->card_size);
        g_assert_cmpuint(n, >, 0);
        span = seg_span(seg, n, false) - host;
        g_test_message("round %u: %u descriptors, h2c%u then c2h%u, "
                       "%" PRIu64 " bytes of host span", round, n, h2c, c2h,
                       span);

        /* host -> card */
        fill_random(b->rand, data, span);
        mem_write(b, host, data, span);
        run_and_check(b, false, h2c, seg, n, data, host, 0, round);

        /* ... and back, to other host addresses of other alignments */
        card_read(b, 0, card, seg_span(seg, n, true));
        back_off = g_rand_int_range(b->rand, 0, 4096);
        for (i = 0; i < n; i++) {
            ret[i] = seg[i];
            ret[i].host = back + back_off;
            back_off += seg[i].len + g_rand_int_range(b->rand, 0, 4096);
        }
        run_and_check(b, true, c2h, ret, n, card, 0, back, 0xc3);
    }
    assert_alive(b);
    board_free(b);
}

/* Every channel at once, both directions. */
static void test_dma_channels(void)
{
    Board *b = board_boot("card-mem-size=16M");
    const uint64_t quarter = b->card_size / XDMA_MAX_CHANNELS;
    uint64_t host = guest_alloc(&b->qs->alloc, 2 * b->card_size);
    uint64_t back = host + b->card_size;
    g_autofree uint8_t *data = g_malloc(b->card_size);
    g_autofree uint8_t *got = g_malloc(quarter);
    Seg seg[XDMA_MAX_CHANNELS][4];
    unsigned n[XDMA_MAX_CHANNELS], ch, i;
    int dir;

    g_assert_cmpuint(b->nr_chan, ==, XDMA_MAX_CHANNELS);
    fill_random(b->rand, data, b->card_size);
    mem_write(b, host, data, b->card_size);
    qtest_memset(b->qts, back, 0, b->card_size);
    qtest_memset(b->qts, b->bar[BAR_MEM].addr, 0, b->card_size);

    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < XDMA_MAX_CHANNELS; ch++) {
            uint64_t desc = b->desc + ch * 1024;

            /* The same card offsets both ways; host offsets = card ones. */
            if (!dir) {
                n[ch] = layout(b->rand, seg[ch], 4, NULL, 0, 0, quarter,
                               ch * quarter, quarter);
                for (i = 0; i < n[ch]; i++) {
                    seg[ch][i].host = host + seg[ch][i].card;
                }
            } else {
                for (i = 0; i < n[ch]; i++) {
                    seg[ch][i].host = back + seg[ch][i].card;
                }
            }
            g_assert_cmpuint(n[ch], >, 0);
            chain_write(b, desc, dir, seg[ch], n[ch], LAST_FLAGS);
            chan_start(b, dir, ch, desc, 0, CTRL_LOG_ALL);
        }
        for (ch = 0; ch < XDMA_MAX_CHANNELS; ch++) {
            g_assert_cmphex(chan_wait(b, dir, ch), ==, STAT_DONE);
            g_assert_cmpuint(cr(b, dir, ch, XDMA_CHAN_COMPLETED_DESC), ==,
                             n[ch]);
            for (i = 0; i < n[ch]; i++) {
                uint64_t off = seg[ch][i].card;

                if (dir) {
                    mem_read(b, back + off, got, seg[ch][i].len);
                } else {
                    card_read(b, off, got, seg[ch][i].len);
                }
                assert_same(dir ? "c2h back in host memory" :
                            "h2c in card memory", data + off, got,
                            seg[ch][i].len);
            }
            chan_clear_status(b, dir, ch);
        }
    }
    board_free(b);
}

/* COMPLETED_DESC and the events a chain's flags ask for. */
static void test_dma_completion(void)
{
    Board *b = board_boot("");
    Seg seg[5];
    unsigned i;

    for (i = 0; i < 5; i++) {
        seg[i] = (Seg) { b->buf + i * 1000, i * 1000, 1000 };
    }
    /* Only STOPPED on the last one: DESC_STOPPED alone. */
    chain_write(b, b->desc, false, seg, 5, XDMA_DESC_STOPPED);
    g_assert_cmphex(chan_run(b, false, 0, b->desc, CTRL_LOG_ALL), ==,
                    XDMA_STAT_DESC_STOPPED);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 5);
    /* RUN stays set after a STOPPED descriptor */
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_CONTROL) & XDMA_CTRL_RUN, ==,
                    XDMA_CTRL_RUN);

    /* COMPLETED on a middle descriptor too: both events. */
    chan_clear_status(b, false, 0);
    chain_write(b, b->desc, false, seg, 5, XDMA_DESC_STOPPED);
    desc_write(b, b->desc + 2 * 32,
               XDMA_DESC_CONTROL(2, XDMA_DESC_COMPLETED), 1000, seg[2].host,
               seg[2].card, b->desc + 3 * 32);
    g_assert_cmphex(chan_run(b, false, 0, b->desc, CTRL_LOG_ALL), ==,
                    STAT_DONE);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 5);

    /* Events are logged only when CONTROL enables them. */
    chan_clear_status(b, false, 0);
    chain_write(b, b->desc, false, seg, 5, LAST_FLAGS);
    g_assert_cmphex(chan_run(b, false, 0, b->desc, XDMA_STAT_DESC_STOPPED),
                    ==, XDMA_STAT_DESC_STOPPED);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 5);
    chan_clear_status(b, false, 0);
    g_assert_cmphex(chan_run(b, false, 0, b->desc, 0), ==, 0);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 5);

    /* Setting RUN again zeroes the count: a one-descriptor chain. */
    chain_write(b, b->desc, false, seg, 1, LAST_FLAGS);
    g_assert_cmphex(chan_run(b, false, 0, b->desc, CTRL_LOG_ALL), ==,
                    STAT_DONE);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);

    /* RW1C and read-to-clear */
    cw(b, false, 0, XDMA_CHAN_STATUS, XDMA_STAT_DESC_STOPPED | 0xff000001);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_DESC_COMPLETED);
    cw(b, false, 0, XDMA_CHAN_STATUS, 0);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_DESC_COMPLETED);
    cw(b, false, 0, XDMA_CHAN_STATUS_RC, 0xffffffff);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_DESC_COMPLETED);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS_RC), ==,
                    XDMA_STAT_DESC_COMPLETED);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==, 0);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS_RC), ==, 0);
    /* COMPLETED_DESC is read-only */
    assert_ro(b, BAR_DMA, chan_off(false, 0, XDMA_CHAN_COMPLETED_DESC), 0);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    board_free(b);
}

/* Poll-mode writeback: COMPLETED_DESC | bit 31 on error, where asked. */
static void test_dma_poll_writeback(void)
{
    Board *b = board_boot("");
    uint64_t wb = b->buf + 512 * KiB;
    uint32_t word;
    Seg seg[4];
    unsigned i;
    int dir;

    for (dir = 0; dir < 2; dir++) {
        for (i = 0; i < 4; i++) {
            seg[i] = (Seg) { b->buf + i * 4096, 8192 + i * 4096, 4096 };
        }
        cw(b, dir, 1, XDMA_CHAN_POLL_WB_LO, wb);
        cw(b, dir, 1, XDMA_CHAN_POLL_WB_HI, wb >> 32);

        /* A chain that ends well */
        qtest_writel(b->qts, wb, 0xdeadbeef);
        chain_write(b, b->desc, dir, seg, 4, LAST_FLAGS);
        g_assert_cmphex(chan_run(b, dir, 1, b->desc, CTRL_LOG_ALL |
                                 XDMA_CTRL_POLL_MODE_WB), ==, STAT_DONE);
        g_assert_cmphex(qtest_readl(b->qts, wb), ==, 4);
        chan_clear_status(b, dir, 1);

        /* An error on the third descriptor: 2 | bit 31 */
        qtest_writel(b->qts, wb, 0xdeadbeef);
        desc_write(b, b->desc + 2 * 32, 0x12340000, 4096, 0, 0,
                   b->desc + 3 * 32);
        g_assert_cmphex(chan_run(b, dir, 1, b->desc, CTRL_LOG_ALL |
                                 XDMA_CTRL_POLL_MODE_WB), ==,
                        XDMA_STAT_MAGIC_STOPPED);
        word = qtest_readl(b->qts, wb);
        g_assert_cmphex(word, ==, 2 | XDMA_WB_ERROR);
        chan_clear_status(b, dir, 1);

        /* Without POLL_MODE_WB nothing is written. */
        qtest_writel(b->qts, wb, 0xdeadbeef);
        chain_write(b, b->desc, dir, seg, 4, LAST_FLAGS);
        g_assert_cmphex(chan_run(b, dir, 1, b->desc, CTRL_LOG_ALL), ==,
                        STAT_DONE);
        g_assert_cmphex(qtest_readl(b->qts, wb), ==, 0xdeadbeef);
        chan_clear_status(b, dir, 1);
    }
    board_free(b);
}

/* The channel interrupt: CHAN_INT_REQ = STATUS & INTR_ENABLE, via MSI-X. */
static void test_dma_interrupt(void)
{
    Board *b = board_boot("");
    unsigned line, ch;
    int dir;

    /* H2C n -> vector 8 + n, C2H n -> vector 12 + n */
    for (line = 0; line < 2 * b->nr_chan; line++) {
        map_chan_line(b, line, 8 + line);
    }
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_VEC_NUM), ==, 0x0b0a0908);
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_VEC_NUM + 4), ==, 0x0f0e0d0c);
    iw(b, XDMA_IRQ_CHAN_INT_EN, 0xff);

    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            unsigned vec = 8 + (dir ? b->nr_chan : 0) + ch;
            uint32_t bit = chan_line(b, dir, ch);

            /* No INTR_ENABLE: status logged, nothing requested. */
            assert_transfer_ok(b, dir, ch);
            assert_no_msg(b);

            cw(b, dir, ch, XDMA_CHAN_INTR_ENABLE, XDMA_STAT_DESC_STOPPED);
            assert_no_msg(b);
            assert_transfer_ok_at(b, dir, ch, 64 * KiB);
            /* assert_transfer_ok_at cleared the status: request gone */
            g_assert_true(msg_take(b, vec));
            assert_no_msg(b);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, 0);

            /* Left pending: the request and its pending bit show it. */
            chain_write(b, b->desc, dir, (Seg[]) {
                { b->buf, 0, 512 } }, 1, LAST_FLAGS);
            g_assert_cmphex(chan_run(b, dir, ch, b->desc, CTRL_LOG_ALL),
                            ==, STAT_DONE);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, bit);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_PEND), ==, bit);
            g_assert_true(msg_take(b, vec));
            /* Clearing an event that is not enabled changes nothing. */
            cw(b, dir, ch, XDMA_CHAN_STATUS, XDMA_STAT_DESC_COMPLETED);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, bit);
            /* INTR_ENABLE gates the request */
            cw(b, dir, ch, XDMA_CHAN_INTR_ENABLE_W1C, XDMA_STAT_DESC_STOPPED);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, 0);
            assert_no_msg(b);
            cw(b, dir, ch, XDMA_CHAN_INTR_ENABLE_W1S, XDMA_STAT_DESC_STOPPED);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, bit);
            g_assert_true(msg_take(b, vec));
            /* CHAN_INT_EN gates the pending bit and the message */
            iw(b, XDMA_IRQ_CHAN_INT_EN_W1C, bit);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, bit);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_PEND), ==, 0);
            assert_no_msg(b);
            iw(b, XDMA_IRQ_CHAN_INT_EN_W1S, bit);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_PEND), ==, bit);
            g_assert_true(msg_take(b, vec));
            /* Reading STATUS_RC clears the request. */
            g_assert_cmphex(cr(b, dir, ch, XDMA_CHAN_STATUS_RC), ==,
                            XDMA_STAT_DESC_STOPPED);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, 0);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_PEND), ==, 0);

            /* Masked vector: pending bit, delivered when unmasked. */
            msix_mask(b, vec, true);
            g_assert_true(qpci_msix_masked(b->dev, vec));
            g_assert_cmphex(chan_run(b, dir, ch, b->desc, CTRL_LOG_ALL),
                            ==, STAT_DONE);
            g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_PEND), ==, bit);
            assert_no_msg(b);
            g_assert_true(qpci_msix_pending(b->dev, vec));
            msix_mask(b, vec, false);
            g_assert_false(qpci_msix_pending(b->dev, vec));
            g_assert_true(msg_take(b, vec));
            chan_clear_status(b, dir, ch);
            cw(b, dir, ch, XDMA_CHAN_INTR_ENABLE, 0);
            assert_no_msg(b);
        }
    }
    board_free(b);
}

/* ==== 3. DMA errors ======================================================= */

typedef struct ErrCase {
    const char *name;
    bool c2h;
    const char *props;          /* device properties */
    /* Writes the chain, returns the address of its first descriptor. */
    uint64_t (*build)(Board *b, bool c2h);
    uint32_t status;            /* STATUS afterwards, exactly */
    uint32_t completed;         /* COMPLETED_DESC afterwards */
} ErrCase;

/* One descriptor of @len bytes between host @host and card @card. */
static uint64_t one_desc(Board *b, bool c2h, uint32_t control, uint32_t len,
                         uint64_t host, uint64_t card)
{
    desc_write(b, b->desc, control, len, c2h ? card : host,
               c2h ? host : card, b->desc + 32);
    return b->desc;
}

static uint64_t build_bad_magic(Board *b, bool c2h)
{
    return one_desc(b, c2h, 0xad4c0000 | LAST_FLAGS, 4096, b->buf, 0);
}

/* A good descriptor, then a bad one. */
static uint64_t build_bad_magic_second(Board *b, bool c2h)
{
    desc_write(b, b->desc + 32, 0x4bad0000 | LAST_FLAGS, 4096,
               b->buf, 0, 0);
    desc_write(b, b->desc, XDMA_DESC_CONTROL(0, 0), 4096, b->buf, 4096,
               b->desc + 32);
    return b->desc;
}

static uint64_t build_chain(Board *b, bool c2h, unsigned n)
{
    g_autofree Seg *seg = g_new(Seg, n);
    unsigned i;

    for (i = 0; i < n; i++) {
        seg[i] = (Seg) { b->buf + i * 16, i * 16, 16 };
    }
    chain_write(b, b->desc, c2h, seg, n, LAST_FLAGS);
    return b->desc;
}

static uint64_t build_chain_8(Board *b, bool c2h)
{
    return build_chain(b, c2h, 8);
}

static uint64_t build_chain_9(Board *b, bool c2h)
{
    return build_chain(b, c2h, 9);
}

static uint64_t build_card_overflow(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 200, b->buf,
                    b->card_size - 100);
}

static uint64_t build_card_outside(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 1, b->buf,
                    b->card_size);
}

static uint64_t build_card_far(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 4096, b->buf,
                    0xfffffffffffff000ull);
}

static uint64_t build_host_wrap(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 0x200,
                    0xffffffffffffff00ull, 0);
}

static uint64_t build_host_bar0(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 64,
                    b->bar[BAR_USER].addr, 0);
}

static uint64_t build_host_bar1(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 64,
                    b->bar[BAR_DMA].addr + XDMA_IRQ_BASE, 0);
}

static uint64_t build_host_bar2(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 4096,
                    b->bar[BAR_MEM].addr + 8192, 0);
}

/* Host range that starts in RAM and ends in the board's BAR0. */
static uint64_t build_host_into_bar0(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 0x20000,
                    b->bar[BAR_USER].addr - 0x10000, 0);
}

static uint64_t build_host_unbacked(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 4096,
                    UNBACKED_ADDR, 0);
}

static uint64_t build_len0(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 0, b->buf, 0);
}

/* bytes is 27:0: a descriptor with only bit 28 set has length 0. */
static uint64_t build_len0_high_bits(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 0xf0000000,
                    b->buf, 0);
}

static uint64_t build_desc_unaligned(Board *b, bool c2h)
{
    one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 16, b->buf, 0);
    desc_write(b, b->desc + 72, XDMA_DESC_CONTROL(0, LAST_FLAGS), 16,
               b->buf, 0, 0);
    return b->desc + 72;
}

static uint64_t build_next_unaligned(Board *b, bool c2h)
{
    desc_write(b, b->desc + 48, XDMA_DESC_CONTROL(0, LAST_FLAGS), 16,
               b->buf, 0, 0);
    desc_write(b, b->desc, XDMA_DESC_CONTROL(0, 0), 16, b->buf, 0,
               b->desc + 48);
    return b->desc;
}

static uint64_t build_desc_unbacked(Board *b, bool c2h)
{
    return UNBACKED_ADDR;
}

static uint64_t build_next_unbacked(Board *b, bool c2h)
{
    desc_write(b, b->desc, XDMA_DESC_CONTROL(0, 0), 16, b->buf, 0,
               UNBACKED_ADDR + 0x1000);
    return b->desc;
}

static uint64_t build_desc_in_bar0(Board *b, bool c2h)
{
    return b->bar[BAR_USER].addr;
}

/* A block of two at the end of a page: the second would be in the next. */
static uint64_t build_block_crosses_4k(Board *b, bool c2h)
{
    desc_write(b, b->desc + 4096 - 32, XDMA_DESC_CONTROL(0, 0), 16, b->buf,
               0, POISON_NEXT);
    desc_write(b, b->desc + 4096, XDMA_DESC_CONTROL(0, LAST_FLAGS), 16,
               b->buf, 16, 0);
    sw(b, c2h, 2 % b->nr_chan, XDMA_SGDMA_DESC_ADJ, 1);
    return b->desc + 4096 - 32;
}

/* A good block of one naming a next block of 3 that crosses 4 KiB. */
static uint64_t build_next_block_crosses_4k(Board *b, bool c2h)
{
    unsigned i;

    for (i = 0; i < 3; i++) {
        desc_write(b, b->desc + 8192 - 64 + 32 * i,
                   XDMA_DESC_CONTROL(0, i == 2 ? LAST_FLAGS : 0), 16, b->buf,
                   16 * i, POISON_NEXT);
    }
    desc_write(b, b->desc, XDMA_DESC_CONTROL(2, 0), 16, b->buf, 64,
               b->desc + 8192 - 64);
    return b->desc;
}

/* A block of 4 ending a page exactly is fine. */
static uint64_t build_block_ends_page(Board *b, bool c2h)
{
    unsigned i;

    for (i = 0; i < 4; i++) {
        desc_write(b, b->desc + 4096 - 128 + 32 * i,
                   XDMA_DESC_CONTROL(0, i == 3 ? LAST_FLAGS : 0), 16, b->buf,
                   16 * i, POISON_NEXT);
    }
    sw(b, c2h, 2 % b->nr_chan, XDMA_SGDMA_DESC_ADJ, 3);
    return b->desc + 4096 - 128;
}

static const ErrCase err_cases[] = {
    { "bad-magic", false, "", build_bad_magic,
      XDMA_STAT_MAGIC_STOPPED, 0 },
    { "bad-magic-c2h", true, "", build_bad_magic,
      XDMA_STAT_MAGIC_STOPPED, 0 },
    { "bad-magic-second", false, "", build_bad_magic_second,
      XDMA_STAT_MAGIC_STOPPED, 1 },
    { "max-chain-exact", false, "dma-max-chain=8", build_chain_8,
      STAT_DONE, 8 },
    /* dma-max-chain bounds a main-loop turn, not the chain. */
    { "max-chain-over", false, "dma-max-chain=8", build_chain_9,
      STAT_DONE, 9 },
    { "card-overflow", false, "", build_card_overflow,
      XDMA_STAT_WRITE_ERROR_DECERR, 0 },
    { "card-overflow-c2h", true, "", build_card_overflow,
      XDMA_STAT_READ_ERROR_UR, 0 },
    { "card-outside", false, "", build_card_outside,
      XDMA_STAT_WRITE_ERROR_DECERR, 0 },
    { "card-far", false, "", build_card_far,
      XDMA_STAT_WRITE_ERROR_DECERR, 0 },
    { "card-far-c2h", true, "", build_card_far,
      XDMA_STAT_READ_ERROR_UR, 0 },
    { "host-wrap", false, "", build_host_wrap,
      XDMA_STAT_READ_ERROR_UR, 0 },
    { "host-wrap-c2h", true, "", build_host_wrap,
      XDMA_STAT_WRITE_ERROR_DECERR, 0 },
    { "host-bar0", false, "", build_host_bar0,
      XDMA_STAT_READ_ERROR_UR, 0 },
    { "host-bar0-c2h", true, "", build_host_bar0,
      XDMA_STAT_WRITE_ERROR_DECERR, 0 },
    { "host-bar1", false, "", build_host_bar1,
      XDMA_STAT_READ_ERROR_UR, 0 },
    { "host-bar2", false, "", build_host_bar2,
      XDMA_STAT_READ_ERROR_UR, 0 },
    { "host-bar2-c2h", true, "", build_host_bar2,
      XDMA_STAT_WRITE_ERROR_DECERR, 0 },
    { "host-into-bar0", false, "", build_host_into_bar0,
      XDMA_STAT_READ_ERROR_UR, 0 },
    { "host-unbacked", false, "", build_host_unbacked,
      XDMA_STAT_READ_ERROR_UR, 0 },
    { "host-unbacked-c2h", true, "", build_host_unbacked,
      XDMA_STAT_WRITE_ERROR_DECERR, 0 },
    { "len0", false, "", build_len0, XDMA_STAT_INVALID_LENGTH, 0 },
    { "len0-c2h", true, "", build_len0, XDMA_STAT_INVALID_LENGTH, 0 },
    { "len0-high-bits", false, "", build_len0_high_bits,
      XDMA_STAT_INVALID_LENGTH, 0 },
    { "desc-unaligned", false, "", build_desc_unaligned,
      XDMA_STAT_DESC_ERROR_UR, 0 },
    { "next-unaligned", true, "", build_next_unaligned,
      XDMA_STAT_DESC_ERROR_UR, 1 },
    { "desc-unbacked", false, "", build_desc_unbacked,
      XDMA_STAT_DESC_ERROR_UR, 0 },
    { "next-unbacked", true, "", build_next_unbacked,
      XDMA_STAT_DESC_ERROR_UR, 1 },
    { "desc-in-bar0", false, "", build_desc_in_bar0,
      XDMA_STAT_DESC_ERROR_UR, 0 },
    { "block-crosses-4k", false, "", build_block_crosses_4k,
      XDMA_STAT_DESC_ERROR_UR, 0 },
    { "next-block-crosses-4k", true, "", build_next_block_crosses_4k,
      XDMA_STAT_DESC_ERROR_UR, 1 },
    { "block-ends-page", true, "", build_block_ends_page, STAT_DONE, 4 },
};

/*
 * Run the broken chain on channel 2 with a channel interrupt and poll-mode
 * writeback armed: exact status, BUSY clear, the count, the writeback word
 * with its error bit, the interrupt; then a correct transfer works.
 */
static void test_dma_error(const void *opaque)
{
    const ErrCase *e = opaque;
    Board *b = board_boot(e->props);
    bool error = e->status & XDMA_STAT_ERRORS;
    uint64_t wb = b->buf + 768 * KiB;
    unsigned ch = 2 % b->nr_chan;
    unsigned vec = 3;
    uint64_t first;
    uint32_t st;

    map_chan_line(b, ctz32(chan_line(b, e->c2h, ch)), vec);
    iw(b, XDMA_IRQ_CHAN_INT_EN, 0xff);
    cw(b, e->c2h, ch, XDMA_CHAN_INTR_ENABLE, XDMA_STAT_EVENTS);
    cw(b, e->c2h, ch, XDMA_CHAN_POLL_WB_LO, wb);
    cw(b, e->c2h, ch, XDMA_CHAN_POLL_WB_HI, wb >> 32);
    qtest_writel(b->qts, wb, 0xdeadbeef);

    sw(b, e->c2h, ch, XDMA_SGDMA_DESC_ADJ, 0);
    first = e->build(b, e->c2h);
    chan_start(b, e->c2h, ch, first,
               sr(b, e->c2h, ch, XDMA_SGDMA_DESC_ADJ),
               CTRL_LOG_ALL | XDMA_CTRL_POLL_MODE_WB);
    st = chan_wait(b, e->c2h, ch);
    g_assert_cmphex(st, ==, e->status);
    g_assert_cmpuint(cr(b, e->c2h, ch, XDMA_CHAN_COMPLETED_DESC), ==,
                     e->completed);
    g_assert_cmphex(qtest_readl(b->qts, wb), ==,
                    e->completed | (error ? XDMA_WB_ERROR : 0));
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==,
                    chan_line(b, e->c2h, ch));
    g_assert_true(msg_take(b, vec));
    assert_no_msg(b);
    /* The error is in STATUS_RC too, which clears it and the request. */
    g_assert_cmphex(cr(b, e->c2h, ch, XDMA_CHAN_STATUS_RC), ==, e->status);
    g_assert_cmphex(cr(b, e->c2h, ch, XDMA_CHAN_STATUS), ==, 0);
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, 0);

    assert_alive(b);
    cw(b, e->c2h, ch, XDMA_CHAN_INTR_ENABLE, 0);
    assert_transfer_ok(b, e->c2h, ch);
    assert_transfer_ok(b, !e->c2h, ch);
    board_free(b);
}

/*
 * A descriptor whose next is itself, as in a cyclic ring: it runs past
 * dma-max-chain (a bound per main-loop turn, not per run) until RUN is
 * cleared, which stops it with IDLE_STOPPED and no error.
 */
static void test_dma_loop(const void *opaque)
{
    bool c2h = *(const bool *)opaque;
    Board *b = board_boot("");
    gint64 end = g_get_monotonic_time() + WAIT_US;

    desc_write(b, b->desc, XDMA_DESC_CONTROL(0, 0), 1,
               c2h ? 0 : b->buf, c2h ? b->buf : 0, b->desc);
    chan_start(b, c2h, 0, b->desc, 0, CTRL_LOG_ALL);
    while (cr(b, c2h, 0, XDMA_CHAN_COMPLETED_DESC) <= 70000 &&
           g_get_monotonic_time() < end) {
        /* each read is a main-loop turn */
    }
    g_assert_cmpuint(cr(b, c2h, 0, XDMA_CHAN_COMPLETED_DESC), >, 70000);
    g_assert_cmphex(cr(b, c2h, 0, XDMA_CHAN_STATUS), ==, XDMA_STAT_BUSY);
    cw(b, c2h, 0, XDMA_CHAN_CONTROL, CTRL_LOG_ALL);
    g_assert_cmphex(chan_wait(b, c2h, 0), ==, XDMA_STAT_IDLE_STOPPED);
    chan_clear_status(b, c2h, 0);
    assert_transfer_ok(b, c2h, 0);
    board_free(b);
}

/* Clearing RUN while busy: IDLE_STOPPED (timing model keeps it busy). */
static void test_dma_idle_stopped(void)
{
    Board *b = board_boot("dma-bandwidth-mbps=100");
    Seg seg[4];
    unsigned i;

    for (i = 0; i < 4; i++) {
        seg[i] = (Seg) { b->buf + i * 200000, i * 200000, 200000 };
    }
    qtest_memset(b->qts, b->bar[BAR_MEM].addr, 0xee, 800000);
    chain_write(b, b->desc, false, seg, 4, LAST_FLAGS);
    chan_start(b, false, 0, b->desc, 0, CTRL_LOG_ALL);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==, XDMA_STAT_BUSY);
    /* 200000 bytes at 100 MB/s: 2 ms each */
    qtest_clock_step(b->qts, 3 * 1000 * 1000);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==, XDMA_STAT_BUSY);
    cw(b, false, 0, XDMA_CHAN_CONTROL_W1C, XDMA_CTRL_RUN);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_IDLE_STOPPED);
    qtest_clock_step(b->qts, 20 * 1000 * 1000);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_IDLE_STOPPED);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    /* Nothing of the last descriptor reached card memory */
    g_assert_cmphex(qtest_readl(b->qts, b->bar[BAR_MEM].addr + 700000), ==,
                    0xeeeeeeee);
    assert_transfer_ok(b, false, 0);
    board_free(b);
}

/* ==== 4. Interrupt generator ============================================== */

static void irqgen_setup(Board *b, unsigned line, unsigned vec)
{
    map_user_line(b, line, vec);
    iw(b, XDMA_IRQ_USER_INT_EN_W1S, 1u << line);
    uw(b, VFPGA_IRQGEN_LINE, line);
}

static void assert_irqgen(Board *b, uint32_t status, uint32_t raised,
                          uint32_t acked)
{
    g_assert_cmphex(ur(b, VFPGA_IRQGEN_STATUS), ==, status);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_RAISED), ==, raised);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_ACKED), ==, acked);
}

#define BUSY_PENDING    (VFPGA_IRQGEN_STATUS_BUSY | VFPGA_IRQGEN_STATUS_PENDING)

static void test_irqgen_pingpong(void)
{
    Board *b = board_boot("");
    const unsigned line = 6, vec = 21;
    uint64_t t;
    unsigned i;

    irqgen_setup(b, line, vec);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_VEC_NUM + 4), ==, 21 << 16);
    uw(b, VFPGA_IRQGEN_COUNT, 3);
    uw(b, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PINGPONG);

    /* ACK with nothing pending does nothing. */
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, 0, 0, 0);
    assert_no_msg(b);

    t = time_ns(b);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 1; i <= 3; i++) {
        assert_irqgen(b, BUSY_PENDING, i, i - 1);
        g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 1u << line);
        g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_PEND), ==, 1u << line);
        g_assert_true(msg_take(b, vec));
        assert_no_msg(b);
        /* LAST_RAISE and TIME share the clock: the latency is exact. */
        g_assert_cmpuint(last_raise_ns(b), ==, t);
        qtest_clock_step(b->qts, 1000 * i);
        g_assert_cmpuint(time_ns(b) - last_raise_ns(b), ==, 1000 * i);
        t += 1000 * i;
        /* Only bit 0 acknowledges. */
        uw(b, VFPGA_IRQGEN_ACK, 0);
        assert_irqgen(b, BUSY_PENDING, i, i - 1);
        uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    }
    assert_irqgen(b, 0, 3, 3);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 0);
    assert_no_msg(b);
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, 0, 3, 3);
    assert_no_msg(b);

    /* A bad LINE is refused; START latches LINE. */
    uw(b, VFPGA_IRQGEN_LINE, 16);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_LINE), ==, line);
    uw(b, VFPGA_IRQGEN_COUNT, 2);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    assert_irqgen(b, BUSY_PENDING, 1, 0);
    g_assert_true(msg_take(b, vec));
    uw(b, VFPGA_IRQGEN_LINE, 2);
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, BUSY_PENDING, 2, 1);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 1u << line);
    g_assert_true(msg_take(b, vec));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, 0, 2, 2);

    /* STOP withdraws the request; the counters stay. */
    uw(b, VFPGA_IRQGEN_LINE, line);
    uw(b, VFPGA_IRQGEN_COUNT, 10);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msg_take(b, vec));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msg_take(b, vec));
    assert_irqgen(b, BUSY_PENDING, 2, 1);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    assert_irqgen(b, 0, 2, 1);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 0);
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, 0, 2, 1);
    assert_no_msg(b);

    /* START with COUNT 0 raises nothing. */
    uw(b, VFPGA_IRQGEN_COUNT, 0);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    assert_irqgen(b, 0, 0, 0);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 0);
    assert_no_msg(b);

    /* A longer run: every interrupt is one message. */
    uw(b, VFPGA_IRQGEN_COUNT, 200);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 0; i < 200; i++) {
        g_assert_true(msg_take(b, vec));
        uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    }
    assert_irqgen(b, 0, 200, 200);
    assert_no_msg(b);
    board_free(b);
}

/* Paced: every 1e9 / RATE ns, RAISED + OVERRUN = beats due. */
static void test_irqgen_paced(void)
{
    Board *b = board_boot("");
    const unsigned line = 15, vec = 31;
    uint64_t start;
    unsigned i;

    irqgen_setup(b, line, vec);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_VEC_NUM + 12), ==, 31u << 24);
    uw(b, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);

    /* Never acknowledged: one raise, the rest overruns. */
    uw(b, VFPGA_IRQGEN_RATE, 100000);
    uw(b, VFPGA_IRQGEN_COUNT, 1000);
    start = time_ns(b);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    assert_irqgen(b, BUSY_PENDING, 1, 0);
    g_assert_true(msg_take(b, vec));
    /* 5 ms + 5 us: beats 0..500 are due */
    qtest_clock_step(b->qts, 5005000);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 500);
    qtest_clock_step(b->qts, 15 * 1000 * 1000);
    assert_irqgen(b, BUSY_PENDING, 1, 0);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 999);
    g_assert_cmpuint(last_raise_ns(b), ==, start);
    assert_no_msg(b);
    /* Acknowledges never raise in paced mode. */
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, 0, 1, 1);
    assert_no_msg(b);

    /* Acknowledged promptly between beats: no overrun. */
    uw(b, VFPGA_IRQGEN_RATE, 10000);
    uw(b, VFPGA_IRQGEN_COUNT, 20);
    start = time_ns(b);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 0);
    for (i = 0; i < 20; i++) {
        assert_irqgen(b, BUSY_PENDING, i + 1, i);
        g_assert_true(msg_take(b, vec));
        g_assert_cmpuint(last_raise_ns(b), ==, start + i * 100000);
        qtest_clock_step(b->qts, 30000);
        g_assert_cmpuint(time_ns(b) - last_raise_ns(b), ==, 30000);
        uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        g_assert_cmphex(ur(b, VFPGA_IRQGEN_STATUS), ==,
                        i < 19 ? VFPGA_IRQGEN_STATUS_BUSY : 0);
        qtest_clock_step(b->qts, 70000);
    }
    assert_irqgen(b, 0, 20, 20);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 0);
    qtest_clock_step(b->qts, 10 * 1000 * 1000);
    assert_irqgen(b, 0, 20, 20);
    assert_no_msg(b);

    /* The rate: 1000/s for 50.5 ms, acknowledged every 10 ms. */
    uw(b, VFPGA_IRQGEN_RATE, 1000);
    uw(b, VFPGA_IRQGEN_COUNT, 100);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    qtest_clock_step(b->qts, 500 * 1000);
    for (i = 0; i < 5; i++) {
        qtest_clock_step(b->qts, 10 * 1000 * 1000);
        uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    }
    /*
     * At 50.5 ms beats 0..50 are due: raised at 0, 11, 21, 31 and 41 ms
     * (the first beat after each acknowledge), acknowledged at 10.5,
     * 20.5 .. 50.5 ms; the others overran.
     */
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_RAISED) +
                     ur(b, VFPGA_IRQGEN_OVERRUN), ==, 51);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_RAISED), ==, 5);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_ACKED), ==, 5);
    g_assert_cmphex(ur(b, VFPGA_IRQGEN_STATUS), ==, VFPGA_IRQGEN_STATUS_BUSY);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    assert_irqgen(b, 0, 5, 5);
    qtest_clock_step(b->qts, 100 * 1000 * 1000);
    assert_irqgen(b, 0, 5, 5);
    msg_take(b, vec);
    assert_no_msg(b);

    /* RATE 0 is refused: START does nothing. */
    uw(b, VFPGA_IRQGEN_RATE, 0);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    assert_irqgen(b, 0, 5, 5);
    assert_no_msg(b);
    board_free(b);
}

/* Paced with COUNT 0: DURATION_US decides how long it runs. */
static void test_irqgen_paced_duration(void)
{
    Board *b = board_boot("");
    unsigned i;

    irqgen_setup(b, 0, 1);
    uw(b, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    uw(b, VFPGA_IRQGEN_RATE, 1000);
    uw(b, VFPGA_IRQGEN_COUNT, 0);
    uw(b, VFPGA_IRQGEN_DURATION_US, 10000);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 0; i < 30; i++) {
        if (msg_take(b, 1)) {
            uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        }
        qtest_clock_step(b->qts, 500 * 1000);
    }
    /* 10 ms at 1000/s: beats at 0, 1, ... 9 ms */
    assert_irqgen(b, 0, 10, 10);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 0);
    assert_no_msg(b);

    /* Not acknowledged: 1 raise, 9 overruns, still pending. */
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    qtest_clock_step(b->qts, 50 * 1000 * 1000);
    assert_irqgen(b, BUSY_PENDING, 1, 0);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 9);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    msg_take(b, 1);
    board_free(b);
}

/*
 * DURATION_US that is not a whole number of beats: 1500 us at 1000/s
 * has beats due at 0 and 1 ms.
 */
static void test_irqgen_paced_duration_partial(void)
{
    Board *b = board_boot("");

    irqgen_setup(b, 0, 1);
    uw(b, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    uw(b, VFPGA_IRQGEN_RATE, 1000);
    uw(b, VFPGA_IRQGEN_COUNT, 0);
    uw(b, VFPGA_IRQGEN_DURATION_US, 1500);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    qtest_clock_step(b->qts, 10 * 1000 * 1000);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_RAISED) +
                     ur(b, VFPGA_IRQGEN_OVERRUN), ==, 2);

    /* 500 us at 1000/s: only the beat at 0, which falls in the run. */
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    uw(b, VFPGA_IRQGEN_DURATION_US, 500);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    qtest_clock_step(b->qts, 10 * 1000 * 1000);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_RAISED) +
                     ur(b, VFPGA_IRQGEN_OVERRUN), ==, 1);
    board_free(b);
}

/*
 * A paced START with both COUNT and DURATION_US 0 "is a guest error and
 * does nothing": an interrupt already pending stays pending.
 */
static void test_irqgen_paced_bad_start(void)
{
    Board *b = board_boot("");

    irqgen_setup(b, 3, 4);
    uw(b, VFPGA_IRQGEN_COUNT, 2);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    assert_irqgen(b, BUSY_PENDING, 1, 0);
    g_assert_true(msg_take(b, 4));

    uw(b, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    uw(b, VFPGA_IRQGEN_RATE, 1000);
    uw(b, VFPGA_IRQGEN_COUNT, 0);
    uw(b, VFPGA_IRQGEN_DURATION_US, 0);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    assert_irqgen(b, BUSY_PENDING, 1, 0);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 1u << 3);
    /* The ping-pong run goes on. */
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, BUSY_PENDING, 2, 1);
    board_free(b);
}

/* ROTATE: each raise after the first on the next line, wrapping at 16. */
static void test_irqgen_rotate(void)
{
    Board *b = board_boot("");
    static const unsigned lines[] = { 14, 15, 0, 1, 2 };
    unsigned i;

    for (i = 0; i < VFPGA_USER_IRQ_LINES; i++) {
        map_user_line(b, i, i);
    }
    iw(b, XDMA_IRQ_USER_INT_EN_W1S, 0xffff);
    uw(b, VFPGA_IRQGEN_LINE, 14);
    uw(b, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_ROTATE);
    uw(b, VFPGA_IRQGEN_COUNT, 5);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 0; i < ARRAY_SIZE(lines); i++) {
        assert_irqgen(b, BUSY_PENDING, i + 1, i);
        g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 1u << lines[i]);
        g_assert_true(msg_take(b, lines[i]));
        uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ) & (1u << lines[i]),
                        ==, 0);
    }
    assert_irqgen(b, 0, 5, 5);
    assert_no_msg(b);
    /* LINE itself is not changed by the rotation. */
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_LINE), ==, 14);

    /* A plain ping-pong START rotates no more. */
    uw(b, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PINGPONG);
    uw(b, VFPGA_IRQGEN_COUNT, 2);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msg_take(b, 14));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msg_take(b, 14));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, 0, 2, 2);
    board_free(b);
}

/*
 * Paced with an event queue: beats due while one is pending wait there
 * and each acknowledge raises the next; beyond the queue's depth they are
 * overruns.  RAISED + QUEUED + OVERRUN = beats due throughout.
 */
static void test_irqgen_paced_queue(void)
{
    Board *b = board_boot("");
    uint64_t t;
    unsigned i;

    irqgen_setup(b, 2, 3);
    uw(b, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    uw(b, VFPGA_IRQGEN_RATE, 100000);
    uw(b, VFPGA_IRQGEN_COUNT, 10);

    /* A depth beyond the limit refuses the start. */
    uw(b, VFPGA_IRQGEN_QUEUE_DEPTH, VFPGA_IRQGEN_QUEUE_MAX + 1);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    assert_irqgen(b, 0, 0, 0);
    assert_no_msg(b);

    uw(b, VFPGA_IRQGEN_QUEUE_DEPTH, 4);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    assert_irqgen(b, BUSY_PENDING, 1, 0);
    g_assert_true(msg_take(b, 3));
    /* 95 us: beats 0..9 are due: one raised, four queued, five missed. */
    qtest_clock_step(b->qts, 95000);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_QUEUED), ==, 4);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 5);
    assert_irqgen(b, BUSY_PENDING, 1, 0);
    /* Each acknowledge raises a queued beat at once, stamped then. */
    for (i = 1; i <= 4; i++) {
        uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        t = time_ns(b);
        assert_irqgen(b, BUSY_PENDING, 1 + i, i);
        g_assert_cmpuint(ur(b, VFPGA_IRQGEN_QUEUED), ==, 4 - i);
        g_assert_cmpuint(last_raise_ns(b), ==, t);
        g_assert_true(msg_take(b, 3));
    }
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, 0, 5, 5);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 5);
    assert_no_msg(b);

    /* STOP drops what waits: it counts as missed. */
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msg_take(b, 3));
    qtest_clock_step(b->qts, 25000);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_QUEUED), ==, 2);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_QUEUED), ==, 0);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 2);
    assert_irqgen(b, 0, 1, 0);

    /*
     * A long wait for the acknowledge is the guest's: the generator keeps
     * watch while one is pending, so its clock sees no emulator stall and
     * the beats of those 300 ms overrun a full queue.
     */
    uw(b, VFPGA_IRQGEN_RATE, 1000);
    uw(b, VFPGA_IRQGEN_COUNT, 1000);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msg_take(b, 3));
    qtest_clock_step(b->qts, 300 * 1000 * 1000 + 500000);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_STALLED_US), ==, 0);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_QUEUED), ==, 4);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 296);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);

    /* Kept up with, a queue changes nothing: every beat raises. */
    uw(b, VFPGA_IRQGEN_RATE, 10000);
    uw(b, VFPGA_IRQGEN_COUNT, 10);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 0; i < 10; i++) {
        g_assert_true(msg_take(b, 3));
        uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        qtest_clock_step(b->qts, 100000);
    }
    assert_irqgen(b, 0, 10, 10);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_OVERRUN), ==, 0);
    g_assert_cmpuint(ur(b, VFPGA_IRQGEN_QUEUED), ==, 0);
    board_free(b);
}

/* ==== 5. MSI-X masking, pending bits, vectors beyond the table ============ */

static void test_msix_user(void)
{
    Board *b = board_boot("");
    uint8_t cap = qpci_find_capability(b->dev, PCI_CAP_ID_MSIX, 0);
    uint16_t flags = qpci_config_readw(b->dev, cap + PCI_MSIX_FLAGS);
    unsigned line;

    /* Every line reaches its vector. */
    for (line = 0; line < VFPGA_USER_IRQ_LINES; line++) {
        map_user_line(b, line, 31 - line);
    }
    iw(b, XDMA_IRQ_USER_INT_EN, 0xffff);
    uw(b, VFPGA_IRQGEN_COUNT, 1);
    for (line = 0; line < VFPGA_USER_IRQ_LINES; line++) {
        uw(b, VFPGA_IRQGEN_LINE, line);
        uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
        g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 1u << line);
        g_assert_true(msg_take(b, 31 - line));
        assert_no_msg(b);
        uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    }

    /* USER_INT_EN gates: requested, not pending, no message. */
    uw(b, VFPGA_IRQGEN_LINE, 2);
    iw(b, XDMA_IRQ_USER_INT_EN_W1C, 1u << 2);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 1u << 2);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_PEND), ==, 0);
    assert_no_msg(b);
    /* enabling it makes it pending: one message, and only one */
    iw(b, XDMA_IRQ_USER_INT_EN_W1S, 1u << 2);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_PEND), ==, 1u << 2);
    g_assert_true(msg_take(b, 29));
    iw(b, XDMA_IRQ_USER_INT_EN_W1S, 1u << 2);
    iw(b, XDMA_IRQ_USER_INT_EN, 0xffff);
    assert_no_msg(b);
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);

    /* A masked vector: pending bit, delivered on unmask. */
    uw(b, VFPGA_IRQGEN_COUNT, 2);
    msix_mask(b, 29, true);
    g_assert_true(qpci_msix_masked(b->dev, 29));
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_PEND), ==, 1u << 2);
    assert_no_msg(b);
    g_assert_true(qpci_msix_pending(b->dev, 29));
    g_assert_false(qpci_msix_pending(b->dev, 28));
    msix_mask(b, 29, false);
    g_assert_false(qpci_msix_pending(b->dev, 29));
    g_assert_true(msg_take(b, 29));
    assert_no_msg(b);
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msg_take(b, 29));

    /* The function mask: same, for every vector. */
    qpci_config_writew(b->dev, cap + PCI_MSIX_FLAGS,
                       flags | PCI_MSIX_FLAGS_ENABLE |
                       PCI_MSIX_FLAGS_MASKALL);
    g_assert_true(qpci_msix_masked(b->dev, 29));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    assert_no_msg(b);
    g_assert_true(qpci_msix_pending(b->dev, 29));
    qpci_config_writew(b->dev, cap + PCI_MSIX_FLAGS,
                       (flags | PCI_MSIX_FLAGS_ENABLE) &
                       ~PCI_MSIX_FLAGS_MASKALL);
    g_assert_false(qpci_msix_pending(b->dev, 29));
    g_assert_true(msg_take(b, 29));
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    assert_no_msg(b);
    board_free(b);
}

/* msix-vectors=4: lines mapped to vectors 4..31 are dropped. */
static void test_msix_beyond_table(void)
{
    Board *b = board_boot("msix-vectors=4");
    uint8_t cap = qpci_find_capability(b->dev, PCI_CAP_ID_MSIX, 0);
    unsigned vec;

    g_assert_cmpuint(b->nr_vec, ==, 4);
    g_assert_cmpuint((qpci_config_readw(b->dev, cap + PCI_MSIX_FLAGS) &
                      PCI_MSIX_FLAGS_QSIZE) + 1, ==, 4);
    iw(b, XDMA_IRQ_USER_INT_EN, 1);
    uw(b, VFPGA_IRQGEN_COUNT, 1);
    for (vec = 4; vec < VFPGA_MSIX_VECTORS; vec += 9) {
        map_user_line(b, 0, vec);
        uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
        g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_PEND), ==, 1);
        assert_no_msg(b);
        g_assert_cmphex(rd(b, BAR_DMA, XDMA_MSIX_PBA_OFFSET), ==, 0);
        uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        assert_alive(b);
    }
    /* Channel interrupt on vector 31: dropped too */
    map_chan_line(b, 0, 31);
    iw(b, XDMA_IRQ_CHAN_INT_EN, 1);
    cw(b, false, 0, XDMA_CHAN_INTR_ENABLE, STAT_DONE);
    chain_write(b, b->desc, false, (Seg[]) { { b->buf, 0, 64 } }, 1,
                LAST_FLAGS);
    g_assert_cmphex(chan_run(b, false, 0, b->desc, CTRL_LOG_ALL), ==,
                    STAT_DONE);
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_PEND), ==, 1);
    assert_no_msg(b);
    chan_clear_status(b, false, 0);
    /* Spurious message on a vector beyond the table: dropped */
    uw(b, VFPGA_USER_FAULT_VECTOR, 17);
    uw(b, VFPGA_USER_FAULT, VFPGA_FAULT_SPURIOUS_MSI);
    assert_no_msg(b);
    /* Vector 3 still works */
    map_user_line(b, 0, 3);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msg_take(b, 3));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    board_free(b);
}

/* With neither MSI-X nor MSI, INTA is asserted while a user line pends. */
static void test_intx(void)
{
    Board *b = board_boot("msix-vectors=0");
    int gsi, found = -1;

    iw(b, XDMA_IRQ_USER_INT_EN, 1u << 9);
    uw(b, VFPGA_IRQGEN_LINE, 9);
    uw(b, VFPGA_IRQGEN_COUNT, 2);
    for (gsi = 16; gsi < 24; gsi++) {
        g_assert_false(qtest_get_irq(b->qts, gsi));
    }
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (gsi = 16; gsi < 24; gsi++) {
        if (qtest_get_irq(b->qts, gsi)) {
            g_assert_cmpint(found, ==, -1);
            found = gsi;
        }
    }
    g_assert_cmpint(found, >=, 16);
    if (found < 0) {
        board_free(b);
        return;
    }
    /* The line masked: deasserted; unmasked: asserted again. */
    iw(b, XDMA_IRQ_USER_INT_EN_W1C, 1u << 9);
    g_assert_false(qtest_get_irq(b->qts, found));
    iw(b, XDMA_IRQ_USER_INT_EN_W1S, 1u << 9);
    g_assert_true(qtest_get_irq(b->qts, found));
    /* Level: stays asserted across the acknowledge-and-raise. */
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(qtest_get_irq(b->qts, found));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_false(qtest_get_irq(b->qts, found));
    assert_no_msg(b);
    board_free(b);
}

/* ==== 6. Fault injection ================================================== */

/* Three 1000-byte descriptors between b->buf and card offset 0. */
static uint64_t good_chain(Board *b, bool c2h)
{
    Seg seg[3];
    unsigned i;

    for (i = 0; i < 3; i++) {
        seg[i] = (Seg) { b->buf + i * 1000, i * 1000, 1000 };
    }
    chain_write(b, b->desc, c2h, seg, 3, LAST_FLAGS);
    return b->desc;
}

/* Arm a fault through the FAULT register or the QOM property. */
static void fault_arm(Board *b, bool qom, const char *prop, uint32_t bit)
{
    if (qom) {
        qom_set_bool(b, prop, true);
    } else {
        uw(b, VFPGA_USER_FAULT, bit);
    }
}

static void assert_armed(Board *b, const char *prop, uint32_t bit,
                         bool armed)
{
    g_assert_cmphex(ur(b, VFPGA_USER_FAULT), ==, (armed ? bit : 0));
    g_assert_cmpint(qom_get_bool(b, prop), ==, armed);
}

/* A one-shot DMA fault: the next transfer fails with @status, once. */
static void check_dma_fault(Board *b, bool qom, const char *prop,
                            uint32_t bit, bool c2h, uint32_t status)
{
    unsigned ch = c2h ? 3 : 1;

    g_test_message("%s through %s on %s", prop, qom ? "qom-set" : "FAULT",
                   c2h ? "c2h" : "h2c");
    fault_arm(b, qom, prop, bit);
    assert_armed(b, prop, bit, true);
    g_assert_cmphex(chan_run(b, c2h, ch, good_chain(b, c2h), CTRL_LOG_ALL),
                    ==, status);
    g_assert_cmpuint(cr(b, c2h, ch, XDMA_CHAN_COMPLETED_DESC), ==, 0);
    assert_armed(b, prop, bit, false);
    /* If it did not fire, do not let it spoil what follows. */
    uw(b, VFPGA_USER_FAULT, 0);
    chan_clear_status(b, c2h, ch);
    /* fired once: the next transfers work */
    assert_transfer_ok(b, c2h, ch);
    assert_transfer_ok(b, !c2h, ch);
}

static void test_faults(const void *opaque)
{
    bool qom = *(const bool *)opaque;
    Board *b = board_boot("");

    check_dma_fault(b, qom, "fault-desc-magic", VFPGA_FAULT_DESC_MAGIC,
                    false, XDMA_STAT_MAGIC_STOPPED);
    check_dma_fault(b, qom, "fault-desc-magic", VFPGA_FAULT_DESC_MAGIC,
                    true, XDMA_STAT_MAGIC_STOPPED);
    check_dma_fault(b, qom, "fault-dma-read", VFPGA_FAULT_DMA_READ,
                    false, XDMA_STAT_READ_ERROR_UR);
    check_dma_fault(b, qom, "fault-dma-write", VFPGA_FAULT_DMA_WRITE,
                    true, XDMA_STAT_WRITE_ERROR_DECERR);

    /* Disarming: nothing fires. */
    fault_arm(b, qom, "fault-desc-magic", VFPGA_FAULT_DESC_MAGIC);
    if (qom) {
        qom_set_bool(b, "fault-desc-magic", false);
    } else {
        uw(b, VFPGA_USER_FAULT, 0);
    }
    assert_armed(b, "fault-desc-magic", VFPGA_FAULT_DESC_MAGIC, false);
    assert_transfer_ok(b, false, 0);

    /* DROP_MSI: the next message is lost, the request stays. */
    irqgen_setup(b, 1, 5);
    uw(b, VFPGA_IRQGEN_COUNT, 3);
    fault_arm(b, qom, "fault-drop-msi", VFPGA_FAULT_DROP_MSI);
    assert_armed(b, "fault-drop-msi", VFPGA_FAULT_DROP_MSI, true);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_PEND), ==, 1u << 1);
    assert_no_msg(b);
    assert_armed(b, "fault-drop-msi", VFPGA_FAULT_DROP_MSI, false);
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msg_take(b, 5));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msg_take(b, 5));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    assert_irqgen(b, 0, 3, 3);

    /* SPURIOUS_MSI: one message on FAULT_VECTOR, at once, no cause. */
    uw(b, VFPGA_USER_FAULT_VECTOR, 7);
    fault_arm(b, qom, "fault-spurious-msi", VFPGA_FAULT_SPURIOUS_MSI);
    g_assert_true(msg_take(b, 7));
    assert_no_msg(b);
    assert_armed(b, "fault-spurious-msi", VFPGA_FAULT_SPURIOUS_MSI, false);
    g_assert_cmphex(ir(b, XDMA_IRQ_USER_INT_REQ), ==, 0);
    g_assert_cmphex(ir(b, XDMA_IRQ_CHAN_INT_REQ), ==, 0);
    uw(b, VFPGA_USER_FAULT_VECTOR, 0);
    fault_arm(b, qom, "fault-spurious-msi", VFPGA_FAULT_SPURIOUS_MSI);
    g_assert_true(msg_take(b, 0));
    assert_no_msg(b);
    board_free(b);
}

/*
 * DMA_READ is "the next data read of a transfer" and READ_ERROR is "the
 * source could not be read: host memory for H2C, card memory for C2H":
 * armed before a C2H transfer it fails that transfer's card read.
 */
static void test_fault_dma_read_c2h(void)
{
    Board *b = board_boot("");

    check_dma_fault(b, false, "fault-dma-read", VFPGA_FAULT_DMA_READ,
                    true, XDMA_STAT_READ_ERROR_UR);
    board_free(b);
}

/* DMA_WRITE, "the next data write fails", in an H2C transfer (card side). */
static void test_fault_dma_write_h2c(void)
{
    Board *b = board_boot("");

    check_dma_fault(b, false, "fault-dma-write", VFPGA_FAULT_DMA_WRITE,
                    false, XDMA_STAT_WRITE_ERROR_DECERR);
    board_free(b);
}

/*
 * Surprise removal in the middle of a transfer: all-ones everywhere,
 * writes dropped, DMA stopped, sticky until the machine resets.
 */
static void test_fault_removal(const void *opaque)
{
    bool qom = *(const bool *)opaque;
    Board *b = board_boot("dma-bandwidth-mbps=100");
    QTestState *qts = b->qts;
    const uint32_t len = 500000;        /* 5 ms each at 100 MB/s */
    const uint64_t card = b->bar[BAR_MEM].addr;
    g_autofree uint8_t *data = g_malloc(4 * len);
    g_autofree uint8_t *got = g_malloc(4 * len);
    g_autofree uint8_t *want = g_malloc(4 * len);
    Seg seg[4];
    unsigned i;

    for (i = 0; i < 4; i++) {
        seg[i] = (Seg) { b->buf + i * (len / 2), i * len, len / 2 };
    }
    fill_random(b->rand, data, 2 * len);
    mem_write(b, b->buf, data, 2 * len);
    qtest_memset(qts, card, 0xee, 4 * len);
    qtest_writel(qts, card + 3 * MiB, 0x11111111);
    uw(b, VFPGA_USER_SCRATCH, 0x1234);

    chain_write(b, b->desc, false, seg, 4, LAST_FLAGS);
    chan_start(b, false, 0, b->desc, 0, CTRL_LOG_ALL);
    qtest_clock_step(qts, 3 * 1000 * 1000);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);

    fault_arm(b, qom, "surprise-removal", VFPGA_FAULT_SURPRISE_REMOVAL);
    g_assert_true(qom_get_bool(b, "surprise-removal"));
    g_assert_cmphex(ur(b, VFPGA_USER_ID), ==, 0xffffffff);
    g_assert_cmphex(ur(b, VFPGA_USER_SCRATCH), ==, 0xffffffff);
    g_assert_cmphex(ur(b, 0x1000), ==, 0xffffffff);
    g_assert_cmphex(qtest_readb(qts, b->bar[BAR_USER].addr + 1), ==, 0xff);
    g_assert_cmphex(ir(b, XDMA_IRQ_IDENTIFIER), ==, 0xffffffff);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==, 0xffffffff);
    g_assert_cmphex(rd(b, BAR_DMA, XDMA_MSIX_TABLE_OFFSET), ==, 0xffffffff);
    g_assert_cmphex(rd(b, BAR_DMA, 0xfffc), ==, 0xffffffff);
    g_assert_cmphex(qtest_readl(qts, card), ==, 0xffffffff);
    g_assert_cmphex(qtest_readq(qts, card + 3 * MiB), ==, ~0ull);
    g_assert_cmphex(qtest_readw(qts, card + b->card_size - 2), ==, 0xffff);
    g_assert_cmphex(qpci_config_readl(b->dev, PCI_VENDOR_ID), ==,
                    0xffffffff);
    g_assert_cmphex(qpci_config_readw(b->dev, PCI_COMMAND), ==, 0xffff);
    g_assert_cmphex(qpci_config_readb(b->dev, PCI_REVISION_ID), ==, 0xff);
    g_assert_cmphex(qpci_config_readl(b->dev, 0x80), ==, 0xffffffff);

    /* Writes are dropped. */
    uw(b, VFPGA_USER_SCRATCH, 0x5678);
    uw(b, VFPGA_USER_FAULT, 0);
    qtest_writel(qts, card + 3 * MiB, 0x22222222);
    /* Sticky: neither the property (refused) nor FLR brings it back. */
    qobject_unref(qtest_qmp_assert_failure_ref(b->qts,
                  "{ 'execute': 'qom-set', 'arguments': { 'path': %s, "
                  "'property': 'surprise-removal', 'value': false } }",
                  FPGA_QOM));
    g_assert_true(qom_get_bool(b, "surprise-removal"));
    g_assert_cmphex(ur(b, VFPGA_USER_ID), ==, 0xffffffff);
    flr(b);
    g_assert_cmphex(ur(b, VFPGA_USER_ID), ==, 0xffffffff);
    /* DMA stopped: let the rest of the chain's time pass. */
    qtest_clock_step(qts, 100 * 1000 * 1000);
    g_assert_cmphex(ur(b, VFPGA_USER_ID), ==, 0xffffffff);

    system_reset(b);
    board_reinit(b);
    assert_alive(b);
    g_assert_false(qom_get_bool(b, "surprise-removal"));
    assert_reset_values(b);
    g_assert_cmphex(qpci_config_readw(b->dev, PCI_VENDOR_ID), ==,
                    VFPGA_PCI_VENDOR_ID);
    /* Card memory: the first descriptor's data, then nothing more. */
    memset(want, 0xee, 4 * len);
    memcpy(want, data, len / 2);
    card_read(b, 0, got, 4 * len);
    assert_same("card memory after removal", want, got, 4 * len);
    g_assert_cmphex(qtest_readl(qts, card + 3 * MiB), ==, 0x11111111);
    assert_transfer_ok(b, false, 0);
    assert_transfer_ok(b, true, 0);
    board_free(b);
}

/* ==== 7. Reset and the timing model ======================================= */

/* Make as many registers as possible differ from their reset values. */
static void dirty_registers(Board *b)
{
    unsigned ch;
    int dir;

    uw(b, VFPGA_USER_SCRATCH, 0xabcdef01);
    uw(b, VFPGA_USER_FAULT_VECTOR, 9);
    uw(b, VFPGA_USER_FAULT, VFPGA_FAULT_DROP_MSI | VFPGA_FAULT_DMA_READ);
    iw(b, XDMA_IRQ_USER_INT_EN, 0xffff);
    iw(b, XDMA_IRQ_CHAN_INT_EN, 0xff);
    for (ch = 0; ch < XDMA_IRQ_USER_VEC_REGS; ch++) {
        iw(b, XDMA_IRQ_USER_VEC_NUM + 4 * ch, 0x01020304);
    }
    for (ch = 0; ch < XDMA_IRQ_CHAN_VEC_REGS; ch++) {
        iw(b, XDMA_IRQ_CHAN_VEC_NUM + 4 * ch, 0x05060708);
    }
    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            cw(b, dir, ch, XDMA_CHAN_POLL_WB_LO, b->buf + 900 * KiB);
            cw(b, dir, ch, XDMA_CHAN_POLL_WB_HI, 0);
            cw(b, dir, ch, XDMA_CHAN_INTR_ENABLE, XDMA_STAT_EVENTS);
            cw(b, dir, ch, XDMA_CHAN_CONTROL, XDMA_CTRL_POLL_MODE_WB |
               CTRL_LOG_ALL);
            sw(b, dir, ch, XDMA_SGDMA_DESC_LO, 0x1000);
            sw(b, dir, ch, XDMA_SGDMA_DESC_HI, 1);
            sw(b, dir, ch, XDMA_SGDMA_DESC_ADJ, 3);
            sw(b, dir, ch, XDMA_SGDMA_DESC_CREDIT, 5);
        }
    }
    /* A paced generator running, never acknowledged */
    uw(b, VFPGA_IRQGEN_LINE, 4);
    uw(b, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    uw(b, VFPGA_IRQGEN_RATE, 1000);
    uw(b, VFPGA_IRQGEN_COUNT, 0);
    uw(b, VFPGA_IRQGEN_DURATION_US, 1000000);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
}

static void test_reset_mid_transfer(const void *opaque)
{
    bool use_flr = *(const bool *)opaque;
    Board *b = board_boot("dma-bandwidth-mbps=100,card-mem-size=16M");
    QTestState *qts = b->qts;
    const uint64_t card = b->bar[BAR_MEM].addr;
    uint64_t host = guest_alloc(&b->qs->alloc, 8 * MiB);
    Seg h2c[4], c2h[4];
    unsigned i;

    /* h2c0: host 0-4M to card 0-4M; c2h1: card 8-10M to host 4-6M */
    for (i = 0; i < 4; i++) {
        h2c[i] = (Seg) { host + i * MiB, i * MiB, MiB };
        c2h[i] = (Seg) { host + 4 * MiB + i * 512 * KiB,
                         8 * MiB + i * 512 * KiB, 512 * KiB };
    }
    qtest_memset(qts, host, 0x77, 4 * MiB);
    qtest_memset(qts, host + 4 * MiB, 0xcc, 2 * MiB);
    qtest_memset(qts, card, 0xee, 4 * MiB);
    qtest_memset(qts, card + 8 * MiB, 0x99, 2 * MiB);

    dirty_registers(b);
    uw(b, VFPGA_USER_FAULT, 0);
    chain_write(b, b->desc, false, h2c, 4, LAST_FLAGS);
    chain_write(b, b->desc + 4096, true, c2h, 4, LAST_FLAGS);
    chan_start(b, false, 0, b->desc, 0, CTRL_LOG_ALL);
    chan_start(b, true, 1, b->desc + 4096, 0, CTRL_LOG_ALL);
    /* 1 MiB at 100 MB/s is 10.49 ms, 512 KiB 5.24 ms */
    clock_step_turns(b, 12 * 1000 * 1000);
    g_assert_cmpuint(cr(b, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    g_assert_cmpuint(cr(b, true, 1, XDMA_CHAN_COMPLETED_DESC), ==, 2);
    g_assert_cmphex(cr(b, false, 0, XDMA_CHAN_STATUS), ==, XDMA_STAT_BUSY);
    g_assert_cmphex(cr(b, true, 1, XDMA_CHAN_STATUS), ==, XDMA_STAT_BUSY);
    g_assert_cmphex(ur(b, VFPGA_IRQGEN_STATUS), ==, BUSY_PENDING);
    uw(b, VFPGA_USER_FAULT, VFPGA_FAULT_DROP_MSI);

    if (use_flr) {
        flr(b);
    } else {
        system_reset(b);
    }
    board_reinit(b);
    assert_alive(b);
    assert_reset_values(b);

    /* Nothing in flight survived: let the chains' time pass. */
    qtest_clock_step(qts, 100 * 1000 * 1000);
    assert_reset_values(b);
    assert_no_msg(b);
    /* h2c0 completed one descriptor, c2h1 two: no more. */
    g_assert_cmphex(qtest_readl(qts, card + MiB - 4), ==, 0x77777777);
    g_assert_cmphex(qtest_readl(qts, card + MiB), ==, 0xeeeeeeee);
    g_assert_cmphex(qtest_readl(qts, card + 4 * MiB - 4), ==, 0xeeeeeeee);
    g_assert_cmphex(qtest_readl(qts, host + 5 * MiB - 4), ==, 0x99999999);
    g_assert_cmphex(qtest_readl(qts, host + 5 * MiB), ==, 0xcccccccc);
    g_assert_cmphex(qtest_readl(qts, host + 6 * MiB - 4), ==, 0xcccccccc);

    /* The board works again, its generator too. */
    assert_transfer_ok(b, false, 0);
    assert_transfer_ok(b, true, 1);
    irqgen_setup(b, 0, 2);
    uw(b, VFPGA_IRQGEN_COUNT, 1);
    uw(b, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msg_take(b, 2));
    uw(b, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    board_free(b);
}

typedef struct TimingCase {
    const char *name;
    const char *props;
    uint32_t mbps;
    uint32_t latency_ns;
} TimingCase;

static const TimingCase timing_cases[] = {
    { "bandwidth", "dma-bandwidth-mbps=100", 100, 0 },
    { "latency", "dma-desc-latency-ns=300000", 0, 300000 },
    { "both", "dma-bandwidth-mbps=250,dma-desc-latency-ns=20000", 250,
      20000 },
};

/* Each descriptor completes latency + bytes / bandwidth after the last. */
static void test_dma_timing(const void *opaque)
{
    const TimingCase *tc = opaque;
    Board *b = board_boot(tc->props);
    static const uint32_t lens[] = { 100000, 250000, 7, 599999 };
    enum { N = ARRAY_SIZE(lens) };
    uint8_t *data = g_malloc(2 * MiB), *got = g_malloc(MiB);
    uint64_t start, total = 0;
    Seg seg[N];
    unsigned i, dir;

    for (dir = 0; dir < 2; dir++) {
        uint64_t off = 0;

        for (i = 0; i < N; i++) {
            seg[i] = (Seg) { b->buf + off, off + 4096, lens[i] };
            off += lens[i];
        }
        g_assert_cmpuint(off, <=, MiB);
        fill_random(b->rand, data, off);
        if (dir) {
            card_write(b, 4096, data, off);
            qtest_memset(b->qts, b->buf, 0xee, off);
        } else {
            mem_write(b, b->buf, data, off);
            qtest_memset(b->qts, b->bar[BAR_MEM].addr + 4096, 0xee, off);
        }
        chain_write(b, b->desc, dir, seg, N, LAST_FLAGS);
        start = time_ns(b);
        chan_start(b, dir, 2, b->desc, 0, CTRL_LOG_ALL);
        g_assert_cmphex(cr(b, dir, 2, XDMA_CHAN_STATUS), ==, XDMA_STAT_BUSY);
        total = 0;
        for (i = 0; i < N; i++) {
            uint64_t t = tc->latency_ns;
            uint64_t dst = dir ? seg[i].host : b->bar[BAR_MEM].addr +
                                               seg[i].card;

            if (tc->mbps) {
                t += (uint64_t)lens[i] * 1000 / tc->mbps;
            }
            total += t;
            qtest_clock_step(b->qts, t - 1);
            g_assert_cmpuint(cr(b, dir, 2, XDMA_CHAN_COMPLETED_DESC), ==, i);
            g_assert_cmphex(cr(b, dir, 2, XDMA_CHAN_STATUS), ==,
                            XDMA_STAT_BUSY);
            /* the data moves when the descriptor's time is up */
            g_assert_cmphex(qtest_readb(b->qts, dst + lens[i] - 1), ==, 0xee);
            qtest_clock_step(b->qts, 1);
            g_assert_cmpuint(cr(b, dir, 2, XDMA_CHAN_COMPLETED_DESC), ==,
                             i + 1);
            mem_read(b, dst, got, lens[i]);
            assert_same("data at completion",
                        data + (seg[i].host - b->buf), got, lens[i]);
        }
        g_assert_cmphex(cr(b, dir, 2, XDMA_CHAN_STATUS), ==, STAT_DONE);
        g_assert_cmpuint(time_ns(b) - start, ==, total);
        g_test_message("%s %s: %u descriptors in %" PRIu64 " ns of virtual "
                       "time", tc->name, dir ? "c2h" : "h2c", N, total);
        chan_clear_status(b, dir, 2);
    }
    g_free(data);
    g_free(got);
    board_free(b);
}

/* ==== 8. Throughput ======================================================= */

static double mb_per_s(uint64_t bytes, gint64 us)
{
    return us > 0 ? (double)bytes / us : 0;
}

/* Wall-clock time of @reps runs of the one-descriptor chain at b->desc. */
static gint64 time_runs(Board *b, bool c2h, unsigned reps, unsigned *bad)
{
    gint64 t0 = g_get_monotonic_time();
    unsigned r;

    sw(b, c2h, 0, XDMA_SGDMA_DESC_LO, b->desc);
    sw(b, c2h, 0, XDMA_SGDMA_DESC_HI, b->desc >> 32);
    for (r = 0; r < reps; r++) {
        cw(b, c2h, 0, XDMA_CHAN_CONTROL, 0);
        cw(b, c2h, 0, XDMA_CHAN_CONTROL, CTRL_LOG_ALL | XDMA_CTRL_RUN);
        if (chan_wait(b, c2h, 0) != STAT_DONE) {
            (*bad)++;
        }
        cw(b, c2h, 0, XDMA_CHAN_STATUS, XDMA_STAT_EVENTS);
    }
    return g_get_monotonic_time() - t0;
}

static void test_dma_throughput(void)
{
    Board *b = board_boot_ram("512M", "card-mem-size=128M");
    static const struct {
        uint64_t size;
        const char *name;
    } sizes[] = {
        { 4 * KiB, "4 KiB" }, { 64 * KiB, "64 KiB" }, { MiB, "1 MiB" },
        { 64 * MiB, "64 MiB" },
    };
    const uint64_t max = 64 * MiB;
    uint64_t host = guest_alloc(&b->qs->alloc, max);
    uint64_t card = b->bar[BAR_MEM].addr;
    uint8_t *src = g_malloc(max), *dst = g_malloc(max);
    unsigned i, bad = 0;

    memset(src, 0x3c, max);
    memset(dst, 0, max);
    qtest_memset(b->qts, host, 0x3c, max);
    g_test_message("throughput: one descriptor per run, RUN to !BUSY in "
                   "wall-clock time including qtest round trips; host "
                   "memcpy of the same size alongside");
    for (i = 0; i < ARRAY_SIZE(sizes); i++) {
        uint64_t size = sizes[i].size;
        unsigned reps = MIN(64, MAX(4, 256 * MiB / size));
        gint64 h2c_us, c2h_us, cpy_us, t0;
        unsigned r, cpy_reps;

        desc_write(b, b->desc, XDMA_DESC_CONTROL(0, LAST_FLAGS), size, host,
                   0, 0);
        h2c_us = time_runs(b, false, reps, &bad);
        g_assert_cmphex(qtest_readb(b->qts, card + size - 1), ==, 0x3c);

        qtest_writeb(b->qts, card + size - 1, 0xa9);
        desc_write(b, b->desc, XDMA_DESC_CONTROL(0, LAST_FLAGS), size, 0,
                   host, 0);
        c2h_us = time_runs(b, true, reps, &bad);
        g_assert_cmphex(qtest_readb(b->qts, host + size - 1), ==, 0xa9);
        qtest_writeb(b->qts, host + size - 1, 0x3c);

        /* memcpy: enough copies (256 MiB) for the clock to see them */
        cpy_reps = MAX(reps, 256 * MiB / size);
        t0 = g_get_monotonic_time();
        for (r = 0; r < cpy_reps; r++) {
            src[r % size] = r;
            memcpy(dst, src, size);
        }
        cpy_us = g_get_monotonic_time() - t0;
        g_assert_cmpuint(dst[(cpy_reps - 1) % size], ==,
                         (uint8_t)(cpy_reps - 1));

        g_test_message("throughput %-6s: h2c %7.1f MB/s, c2h %7.1f MB/s "
                       "(%u runs); host memcpy %7.1f MB/s", sizes[i].name,
                       mb_per_s(size * reps, h2c_us),
                       mb_per_s(size * reps, c2h_us), reps,
                       mb_per_s(size * cpy_reps, cpy_us));
    }
    g_assert_cmpuint(bad, ==, 0);
    g_free(src);
    g_free(dst);
    board_free(b);
}

int main(int argc, char **argv)
{
    static const bool no = false, yes = true;
    unsigned i;

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();

    qtest_add_func("/vfpga/pci/identity", test_pci_identity);
    qtest_add_func("/vfpga/pci/properties", test_pci_properties);
    qtest_add_func("/vfpga/regs/reset-values", test_regs_reset);
    qtest_add_func("/vfpga/regs/user", test_regs_user);
    qtest_add_func("/vfpga/regs/field-widths", test_regs_full_width);
    qtest_add_func("/vfpga/regs/xdma-irq", test_regs_xdma_irq);
    qtest_add_func("/vfpga/regs/xdma-channels", test_regs_xdma_chan);
    qtest_add_func("/vfpga/regs/xdma-layout", test_regs_xdma_layout);
    qtest_add_func("/vfpga/regs/access-widths", test_regs_access_widths);

    qtest_add_func("/vfpga/dma/random", test_dma_random);
    qtest_add_func("/vfpga/dma/channels", test_dma_channels);
    qtest_add_func("/vfpga/dma/completion", test_dma_completion);
    qtest_add_func("/vfpga/dma/poll-writeback", test_dma_poll_writeback);
    qtest_add_func("/vfpga/dma/interrupt", test_dma_interrupt);
    qtest_add_func("/vfpga/dma/idle-stopped", test_dma_idle_stopped);
    qtest_add_data_func("/vfpga/dma/loop", &no, test_dma_loop);
    qtest_add_data_func("/vfpga/dma/loop-c2h", &yes, test_dma_loop);
    for (i = 0; i < ARRAY_SIZE(err_cases); i++) {
        g_autofree char *path = g_strdup_printf("/vfpga/dma-error/%s",
                                                err_cases[i].name);

        qtest_add_data_func(path, &err_cases[i], test_dma_error);
    }

    qtest_add_func("/vfpga/irqgen/pingpong", test_irqgen_pingpong);
    qtest_add_func("/vfpga/irqgen/paced", test_irqgen_paced);
    qtest_add_func("/vfpga/irqgen/paced-queue", test_irqgen_paced_queue);
    qtest_add_func("/vfpga/regs/user-64bit", test_regs_user_64bit);
    qtest_add_func("/vfpga/irqgen/rotate", test_irqgen_rotate);
    qtest_add_func("/vfpga/irqgen/paced-duration",
                   test_irqgen_paced_duration);
    qtest_add_func("/vfpga/irqgen/paced-duration-partial",
                   test_irqgen_paced_duration_partial);
    qtest_add_func("/vfpga/irqgen/paced-bad-start",
                   test_irqgen_paced_bad_start);

    qtest_add_func("/vfpga/msix/user", test_msix_user);
    qtest_add_func("/vfpga/msix/beyond-table", test_msix_beyond_table);
    qtest_add_func("/vfpga/irq/intx", test_intx);

    qtest_add_data_func("/vfpga/fault/register", &no, test_faults);
    qtest_add_data_func("/vfpga/fault/qom", &yes, test_faults);
    qtest_add_func("/vfpga/fault/dma-read-c2h", test_fault_dma_read_c2h);
    qtest_add_func("/vfpga/fault/dma-write-h2c", test_fault_dma_write_h2c);
    qtest_add_data_func("/vfpga/fault/removal-register", &no,
                        test_fault_removal);
    qtest_add_data_func("/vfpga/fault/removal-qom", &yes,
                        test_fault_removal);

    qtest_add_data_func("/vfpga/reset/flr-mid-transfer", &yes,
                        test_reset_mid_transfer);
    qtest_add_data_func("/vfpga/reset/system-mid-transfer", &no,
                        test_reset_mid_transfer);
    for (i = 0; i < ARRAY_SIZE(timing_cases); i++) {
        g_autofree char *path = g_strdup_printf("/vfpga/timing/%s",
                                                timing_cases[i].name);

        qtest_add_data_func(path, &timing_cases[i], test_dma_timing);
    }

    qtest_add_func("/vfpga/perf/throughput", test_dma_throughput);
    return g_test_run();
}
