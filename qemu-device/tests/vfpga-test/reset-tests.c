/*
 * vfpga qtests: reset and the timing model.
 *
 * FLR and system reset in the middle of transfers; the DMA timing model
 * (bandwidth, per-descriptor latency, both).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"
#include "tests.h"

/* Make as many registers as possible differ from their reset values. */
static void dirty_registers(Board *b)
{
    QTestState *qts = b->qts;
    unsigned ch;
    int dir;

    board_user_write(qts, VFPGA_USER_SCRATCH, 0xabcdef01);
    board_user_write(qts, VFPGA_USER_FAULT_VECTOR, 9);
    board_user_write(qts, VFPGA_USER_FAULT,
                     VFPGA_FAULT_DROP_MSI | VFPGA_FAULT_DMA_READ);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 0xffff);
    board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN, 0xff);
    for (ch = 0; ch < XDMA_IRQ_USER_VEC_REGS; ch++) {
        board_irq_write(qts, XDMA_IRQ_USER_VEC_NUM + 4 * ch, 0x01020304);
    }
    for (ch = 0; ch < XDMA_IRQ_CHAN_VEC_REGS; ch++) {
        board_irq_write(qts, XDMA_IRQ_CHAN_VEC_NUM + 4 * ch, 0x05060708);
    }
    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            chan_write(qts, dir, ch, XDMA_CHAN_POLL_WB_LO, b->buf + 900 * KiB);
            chan_write(qts, dir, ch, XDMA_CHAN_POLL_WB_HI, 0);
            chan_write(qts, dir, ch, XDMA_CHAN_INTR_ENABLE, XDMA_STAT_EVENTS);
            chan_write(qts, dir, ch, XDMA_CHAN_CONTROL, XDMA_CTRL_POLL_MODE_WB |
                       CTRL_LOG_ALL);
            sgdma_write(qts, dir, ch, XDMA_SGDMA_DESC_LO, 0x1000);
            sgdma_write(qts, dir, ch, XDMA_SGDMA_DESC_HI, 1);
            sgdma_write(qts, dir, ch, XDMA_SGDMA_DESC_ADJ, 3);
            sgdma_write(qts, dir, ch, XDMA_SGDMA_DESC_CREDIT, 5);
        }
    }
    /* A paced generator running, never acknowledged */
    board_user_write(qts, VFPGA_IRQGEN_LINE, 4);
    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    board_user_write(qts, VFPGA_IRQGEN_RATE, 1000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 0);
    board_user_write(qts, VFPGA_IRQGEN_DURATION_US, 1000000);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
}

static void test_reset_mid_transfer(const void *opaque)
{
    bool use_flr = *(const bool *)opaque;
    Board *b = board_boot("dma-bandwidth-mbps=100,card-mem-size=16M");
    QTestState *qts = b->qts;
    const uint64_t card = b->card;
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
    board_user_write(qts, VFPGA_USER_FAULT, 0);
    chain_write(b, b->desc, false, h2c, 4, LAST_FLAGS);
    chain_write(b, b->desc + 4096, true, c2h, 4, LAST_FLAGS);
    board_chan_start(b, false, 0, b->desc, 0, CTRL_LOG_ALL);
    board_chan_start(b, true, 1, b->desc + 4096, 0, CTRL_LOG_ALL);
    /* 1 MiB at 100 MB/s is 10.49 ms, 512 KiB 5.24 ms */
    board_clock_step_turns(b, 12 * 1000 * 1000);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    g_assert_cmpuint(chan_read(qts, true, 1, XDMA_CHAN_COMPLETED_DESC), ==, 2);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_BUSY);
    g_assert_cmphex(chan_read(qts, true, 1, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_BUSY);
    g_assert_cmphex(board_user_read(qts, VFPGA_IRQGEN_STATUS), ==,
                    IRQGEN_BUSY_PENDING);
    board_user_write(qts, VFPGA_USER_FAULT, VFPGA_FAULT_DROP_MSI);

    if (use_flr) {
        board_flr(qts, BOARD_BDF, b->exp_cap);
    } else {
        board_system_reset(b);
    }
    board_reinit(b);
    board_assert_alive(b);
    board_assert_reset_values(b);

    /* Nothing in flight survived: let the chains' time pass. */
    qtest_clock_step(qts, 100 * 1000 * 1000);
    board_assert_reset_values(b);
    msix_assert_no_msg(b);
    /* h2c0 completed one descriptor, c2h1 two: no more. */
    g_assert_cmphex(qtest_readl(qts, card + MiB - 4), ==, 0x77777777);
    g_assert_cmphex(qtest_readl(qts, card + MiB), ==, 0xeeeeeeee);
    g_assert_cmphex(qtest_readl(qts, card + 4 * MiB - 4), ==, 0xeeeeeeee);
    g_assert_cmphex(qtest_readl(qts, host + 5 * MiB - 4), ==, 0x99999999);
    g_assert_cmphex(qtest_readl(qts, host + 5 * MiB), ==, 0xcccccccc);
    g_assert_cmphex(qtest_readl(qts, host + 6 * MiB - 4), ==, 0xcccccccc);

    /* The board works again, its generator too. */
    board_assert_transfer_ok(b, false, 0);
    board_assert_transfer_ok(b, true, 1);
    irqgen_setup(b, 0, 2);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 1);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msix_msg_take(b, 2));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
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
    QTestState *qts = b->qts;
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
            qtest_memset(qts, b->buf, 0xee, off);
        } else {
            mem_write(b, b->buf, data, off);
            qtest_memset(qts, b->card + 4096, 0xee, off);
        }
        chain_write(b, b->desc, dir, seg, N, LAST_FLAGS);
        start = board_time_ns(qts);
        board_chan_start(b, dir, 2, b->desc, 0, CTRL_LOG_ALL);
        g_assert_cmphex(chan_read(qts, dir, 2, XDMA_CHAN_STATUS), ==,
                        XDMA_STAT_BUSY);
        total = 0;
        for (i = 0; i < N; i++) {
            uint64_t t = tc->latency_ns;
            uint64_t dst = dir ? seg[i].host : b->card +
                                               seg[i].card;

            if (tc->mbps) {
                t += (uint64_t)lens[i] * 1000 / tc->mbps;
            }
            total += t;
            qtest_clock_step(qts, t - 1);
            g_assert_cmpuint(chan_read(qts, dir, 2, XDMA_CHAN_COMPLETED_DESC),
                             ==, i);
            g_assert_cmphex(chan_read(qts, dir, 2, XDMA_CHAN_STATUS), ==,
                            XDMA_STAT_BUSY);
            /* the data moves when the descriptor's time is up */
            g_assert_cmphex(qtest_readb(qts, dst + lens[i] - 1), ==, 0xee);
            qtest_clock_step(qts, 1);
            g_assert_cmpuint(chan_read(qts, dir, 2,
                                       XDMA_CHAN_COMPLETED_DESC), ==, i + 1);
            mem_read(b, dst, got, lens[i]);
            assert_same("data at completion",
                        data + (seg[i].host - b->buf), got, lens[i]);
        }
        g_assert_cmphex(chan_read(qts, dir, 2, XDMA_CHAN_STATUS), ==,
                        STAT_DONE);
        g_assert_cmpuint(board_time_ns(qts) - start, ==, total);
        g_test_message("%s %s: %u descriptors in %" PRIu64 " ns of virtual "
                       "time", tc->name, dir ? "c2h" : "h2c", N, total);
        chan_clear_status(qts, dir, 2);
    }
    g_free(data);
    g_free(got);
    board_free(b);
}

void vfpga_test_add_reset(void)
{
    static const bool no = false, yes = true;
    unsigned i;

    qtest_add_data_func("/vfpga/reset/flr-mid-transfer", &yes,
                        test_reset_mid_transfer);
    qtest_add_data_func("/vfpga/reset/system-mid-transfer", &no,
                        test_reset_mid_transfer);
    for (i = 0; i < ARRAY_SIZE(timing_cases); i++) {
        g_autofree char *path = g_strdup_printf("/vfpga/timing/%s",
                                                timing_cases[i].name);

        qtest_add_data_func(path, &timing_cases[i], test_dma_timing);
    }
}
