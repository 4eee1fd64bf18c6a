/*
 * vfpga qtests: DMA errors.
 *
 * Broken chains, one per case, each with its exact status, count,
 * writeback and interrupt; descriptor loops and clearing RUN while busy.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qemu/host-utils.h"
#include "vfpga-qtest.h"
#include "tests.h"

/* A guest address that is not backed by anything: 64 GiB. */
#define UNBACKED_ADDR   0x1000000000ull

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
    desc_write_control(b->qts, b->desc, control, len, c2h ? card : host,
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
    desc_write_control(b->qts, b->desc + 32, 0x4bad0000 | LAST_FLAGS, 4096,
                       b->buf, 0, 0);
    desc_write(b->qts, b->desc, 0, 4096, b->buf, 4096, b->desc + 32);
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
                    USER_BAR, 0);
}

static uint64_t build_host_bar1(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 64,
                    DMA_BAR + XDMA_IRQ_BASE, 0);
}

static uint64_t build_host_bar2(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 4096,
                    b->card + 8192, 0);
}

/* Host range that starts in RAM and ends in the board's BAR0. */
static uint64_t build_host_into_bar0(Board *b, bool c2h)
{
    return one_desc(b, c2h, XDMA_DESC_CONTROL(0, LAST_FLAGS), 0x20000,
                    USER_BAR - 0x10000, 0);
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
    desc_write(b->qts, b->desc + 72, LAST_FLAGS, 16, b->buf, 0, 0);
    return b->desc + 72;
}

static uint64_t build_next_unaligned(Board *b, bool c2h)
{
    desc_write(b->qts, b->desc + 48, LAST_FLAGS, 16, b->buf, 0, 0);
    desc_write(b->qts, b->desc, 0, 16, b->buf, 0, b->desc + 48);
    return b->desc;
}

static uint64_t build_desc_unbacked(Board *b, bool c2h)
{
    return UNBACKED_ADDR;
}

static uint64_t build_next_unbacked(Board *b, bool c2h)
{
    desc_write(b->qts, b->desc, 0, 16, b->buf, 0, UNBACKED_ADDR + 0x1000);
    return b->desc;
}

static uint64_t build_desc_in_bar0(Board *b, bool c2h)
{
    return USER_BAR;
}

/* A block of two at the end of a page: the second would be in the next. */
static uint64_t build_block_crosses_4k(Board *b, bool c2h)
{
    desc_write(b->qts, b->desc + 4096 - 32, 0, 16, b->buf, 0, POISON_NEXT);
    desc_write(b->qts, b->desc + 4096, LAST_FLAGS, 16, b->buf, 16, 0);
    sgdma_write(b->qts, c2h, 2 % b->nr_chan, XDMA_SGDMA_DESC_ADJ, 1);
    return b->desc + 4096 - 32;
}

/* A good block of one naming a next block of 3 that crosses 4 KiB. */
static uint64_t build_next_block_crosses_4k(Board *b, bool c2h)
{
    unsigned i;

    for (i = 0; i < 3; i++) {
        desc_write(b->qts, b->desc + 8192 - 64 + 32 * i,
                   i == 2 ? LAST_FLAGS : 0, 16, b->buf, 16 * i, POISON_NEXT);
    }
    desc_write_control(b->qts, b->desc, XDMA_DESC_CONTROL(2, 0), 16, b->buf,
                       64, b->desc + 8192 - 64);
    return b->desc;
}

/* A block of 4 ending a page exactly is fine. */
static uint64_t build_block_ends_page(Board *b, bool c2h)
{
    unsigned i;

    for (i = 0; i < 4; i++) {
        desc_write(b->qts, b->desc + 4096 - 128 + 32 * i,
                   i == 3 ? LAST_FLAGS : 0, 16, b->buf, 16 * i, POISON_NEXT);
    }
    sgdma_write(b->qts, c2h, 2 % b->nr_chan, XDMA_SGDMA_DESC_ADJ, 3);
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
    QTestState *qts = b->qts;
    bool error = e->status & XDMA_STAT_ERRORS;
    uint64_t wb = b->buf + 768 * KiB;
    unsigned ch = 2 % b->nr_chan;
    unsigned vec = 3;
    uint64_t first;
    uint32_t st;

    irq_map_chan_line(qts, ctz32(board_chan_line(b, e->c2h, ch)), vec);
    board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN, 0xff);
    chan_write(qts, e->c2h, ch, XDMA_CHAN_INTR_ENABLE, XDMA_STAT_EVENTS);
    chan_write(qts, e->c2h, ch, XDMA_CHAN_POLL_WB_LO, wb);
    chan_write(qts, e->c2h, ch, XDMA_CHAN_POLL_WB_HI, wb >> 32);
    qtest_writel(qts, wb, 0xdeadbeef);

    sgdma_write(qts, e->c2h, ch, XDMA_SGDMA_DESC_ADJ, 0);
    first = e->build(b, e->c2h);
    board_chan_start(b, e->c2h, ch, first,
                     sgdma_read(qts, e->c2h, ch, XDMA_SGDMA_DESC_ADJ),
                     CTRL_LOG_ALL | XDMA_CTRL_POLL_MODE_WB);
    st = board_chan_wait(b, e->c2h, ch);
    g_assert_cmphex(st, ==, e->status);
    g_assert_cmpuint(chan_read(qts, e->c2h, ch, XDMA_CHAN_COMPLETED_DESC), ==,
                     e->completed);
    g_assert_cmphex(qtest_readl(qts, wb), ==,
                    e->completed | (error ? XDMA_WB_ERROR : 0));
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==,
                    board_chan_line(b, e->c2h, ch));
    g_assert_true(msix_msg_take(b, vec));
    msix_assert_no_msg(b);
    /* The error is in STATUS_RC too, which clears it and the request. */
    g_assert_cmphex(chan_read(qts, e->c2h, ch, XDMA_CHAN_STATUS_RC), ==,
                    e->status);
    g_assert_cmphex(chan_read(qts, e->c2h, ch, XDMA_CHAN_STATUS), ==, 0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==, 0);

    board_assert_alive(b);
    chan_write(qts, e->c2h, ch, XDMA_CHAN_INTR_ENABLE, 0);
    board_assert_transfer_ok(b, e->c2h, ch);
    board_assert_transfer_ok(b, !e->c2h, ch);
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
    QTestState *qts = b->qts;
    gint64 end = g_get_monotonic_time() + WAIT_US;

    desc_write(qts, b->desc, 0, 1, c2h ? 0 : b->buf, c2h ? b->buf : 0, b->desc);
    board_chan_start(b, c2h, 0, b->desc, 0, CTRL_LOG_ALL);
    while (chan_read(qts, c2h, 0, XDMA_CHAN_COMPLETED_DESC) <= 70000 &&
           g_get_monotonic_time() < end) {
        /* each read is a main-loop turn */
    }
    g_assert_cmpuint(chan_read(qts, c2h, 0, XDMA_CHAN_COMPLETED_DESC), >,
                     70000);
    g_assert_cmphex(chan_read(qts, c2h, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_BUSY);
    chan_write(qts, c2h, 0, XDMA_CHAN_CONTROL, CTRL_LOG_ALL);
    g_assert_cmphex(board_chan_wait(b, c2h, 0), ==, XDMA_STAT_IDLE_STOPPED);
    chan_clear_status(qts, c2h, 0);
    board_assert_transfer_ok(b, c2h, 0);
    board_free(b);
}

/* Clearing RUN while busy: IDLE_STOPPED (timing model keeps it busy). */
static void test_dma_idle_stopped(void)
{
    Board *b = board_boot("dma-bandwidth-mbps=100");
    QTestState *qts = b->qts;
    Seg seg[4];
    unsigned i;

    for (i = 0; i < 4; i++) {
        seg[i] = (Seg) { b->buf + i * 200000, i * 200000, 200000 };
    }
    qtest_memset(qts, b->card, 0xee, 800000);
    chain_write(b, b->desc, false, seg, 4, LAST_FLAGS);
    board_chan_start(b, false, 0, b->desc, 0, CTRL_LOG_ALL);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_BUSY);
    /* 200000 bytes at 100 MB/s: 2 ms each */
    qtest_clock_step(qts, 3 * 1000 * 1000);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_BUSY);
    chan_write(qts, false, 0, XDMA_CHAN_CONTROL_W1C, XDMA_CTRL_RUN);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_IDLE_STOPPED);
    qtest_clock_step(qts, 20 * 1000 * 1000);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_IDLE_STOPPED);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    /* Nothing of the last descriptor reached card memory */
    g_assert_cmphex(qtest_readl(qts, b->card + 700000), ==,
                    0xeeeeeeee);
    board_assert_transfer_ok(b, false, 0);
    board_free(b);
}

void vfpga_test_add_dma_errors(void)
{
    static const bool no = false, yes = true;
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(err_cases); i++) {
        g_autofree char *path = g_strdup_printf("/vfpga/dma-error/%s",
                                                err_cases[i].name);

        qtest_add_data_func(path, &err_cases[i], test_dma_error);
    }
    qtest_add_data_func("/vfpga/dma/loop", &no, test_dma_loop);
    qtest_add_data_func("/vfpga/dma/loop-c2h", &yes, test_dma_loop);
    qtest_add_func("/vfpga/dma/idle-stopped", test_dma_idle_stopped);
}
