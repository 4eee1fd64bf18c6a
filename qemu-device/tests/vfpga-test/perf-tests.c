/*
 * vfpga qtests: throughput.
 *
 * The DMA throughput seen through qtest, printed beside a host memcpy of
 * the same size (figures, not pass/fail).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"
#include "tests.h"

static double mb_per_s(uint64_t bytes, gint64 us)
{
    return us > 0 ? (double)bytes / us : 0;
}

/* Wall-clock time of @reps runs of the one-descriptor chain at b->desc. */
static gint64 time_runs(Board *b, bool c2h, unsigned reps, unsigned *bad)
{
    QTestState *qts = b->qts;
    gint64 t0 = g_get_monotonic_time();
    unsigned r;

    sgdma_write(qts, c2h, 0, XDMA_SGDMA_DESC_LO, b->desc);
    sgdma_write(qts, c2h, 0, XDMA_SGDMA_DESC_HI, b->desc >> 32);
    for (r = 0; r < reps; r++) {
        chan_write(qts, c2h, 0, XDMA_CHAN_CONTROL, 0);
        chan_write(qts, c2h, 0, XDMA_CHAN_CONTROL,
                   CTRL_LOG_ALL | XDMA_CTRL_RUN);
        if (board_chan_wait(b, c2h, 0) != STAT_DONE) {
            (*bad)++;
        }
        chan_write(qts, c2h, 0, XDMA_CHAN_STATUS, XDMA_STAT_EVENTS);
    }
    return g_get_monotonic_time() - t0;
}

static void test_dma_throughput(void)
{
    Board *b = board_boot_ram("512M", "card-mem-size=128M");
    QTestState *qts = b->qts;
    static const struct {
        uint64_t size;
        const char *name;
    } sizes[] = {
        { 4 * KiB, "4 KiB" }, { 64 * KiB, "64 KiB" }, { MiB, "1 MiB" },
        { 64 * MiB, "64 MiB" },
    };
    const uint64_t max = 64 * MiB;
    uint64_t host = guest_alloc(&b->qs->alloc, max);
    uint64_t card = b->card;
    uint8_t *src = g_malloc(max), *dst = g_malloc(max);
    unsigned i, bad = 0;

    memset(src, 0x3c, max);
    memset(dst, 0, max);
    qtest_memset(qts, host, 0x3c, max);
    g_test_message("throughput: one descriptor per run, RUN to !BUSY in "
                   "wall-clock time including qtest round trips; host "
                   "memcpy of the same size alongside");
    for (i = 0; i < ARRAY_SIZE(sizes); i++) {
        uint64_t size = sizes[i].size;
        unsigned reps = MIN(64, MAX(4, 256 * MiB / size));
        gint64 h2c_us, c2h_us, cpy_us, t0;
        unsigned r, cpy_reps;

        desc_write(qts, b->desc, LAST_FLAGS, size, host, 0, 0);
        h2c_us = time_runs(b, false, reps, &bad);
        g_assert_cmphex(qtest_readb(qts, card + size - 1), ==, 0x3c);

        qtest_writeb(qts, card + size - 1, 0xa9);
        desc_write(qts, b->desc, LAST_FLAGS, size, 0, host, 0);
        c2h_us = time_runs(b, true, reps, &bad);
        g_assert_cmphex(qtest_readb(qts, host + size - 1), ==, 0xa9);
        qtest_writeb(qts, host + size - 1, 0x3c);

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

void vfpga_test_add_perf(void)
{
    qtest_add_func("/vfpga/perf/throughput", test_dma_throughput);
}
