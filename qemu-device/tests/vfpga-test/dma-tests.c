/*
 * vfpga qtests: DMA.
 *
 * XDMA transfers: chains of random lengths, alignments and descriptor
 * blocks, every channel at once, completion counts and events, poll-mode
 * writeback, the channel interrupt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"
#include "tests.h"

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
    QTestState *qts = b->qts;
    uint64_t dst_span = seg_span(seg, n, !c2h) - dst_base;
    g_autofree uint8_t *want = g_malloc(dst_span);
    g_autofree uint8_t *got = g_malloc(dst_span);
    uint64_t dst_bus = c2h ? dst_base : b->card + dst_base;
    uint64_t first;
    uint32_t adj, st;
    unsigned i;

    memset(want, dst_fill, dst_span);
    qtest_memset(qts, dst_bus, dst_fill, dst_span);
    for (i = 0; i < n; i++) {
        uint64_t src = (c2h ? seg[i].card : seg[i].host) - src_base;
        uint64_t dst = (c2h ? seg[i].host : seg[i].card) - dst_base;

        memcpy(want + dst, data + src, seg[i].len);
    }
    adj = chain_write_blocks(b, c2h, seg, n, LAST_FLAGS, &first);
    chan_clear_status(qts, c2h, ch);
    board_chan_start(b, c2h, ch, first, adj, CTRL_LOG_ALL);
    st = board_chan_wait(b, c2h, ch);
    g_assert_cmphex(st, ==, STAT_DONE);
    g_assert_cmpuint(chan_read(qts, c2h, ch, XDMA_CHAN_COMPLETED_DESC), ==, n);
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
    board_assert_alive(b);
    board_free(b);
}

/* Every channel at once, both directions. */
static void test_dma_channels(void)
{
    Board *b = board_boot("card-mem-size=16M");
    QTestState *qts = b->qts;
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
    qtest_memset(qts, back, 0, b->card_size);
    qtest_memset(qts, b->card, 0, b->card_size);

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
            board_chan_start(b, dir, ch, desc, 0, CTRL_LOG_ALL);
        }
        for (ch = 0; ch < XDMA_MAX_CHANNELS; ch++) {
            g_assert_cmphex(board_chan_wait(b, dir, ch), ==, STAT_DONE);
            g_assert_cmpuint(chan_read(qts, dir, ch,
                                       XDMA_CHAN_COMPLETED_DESC), ==, n[ch]);
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
            chan_clear_status(qts, dir, ch);
        }
    }
    board_free(b);
}

/* COMPLETED_DESC and the events a chain's flags ask for. */
static void test_dma_completion(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    Seg seg[5];
    unsigned i;

    for (i = 0; i < 5; i++) {
        seg[i] = (Seg) { b->buf + i * 1000, i * 1000, 1000 };
    }
    /* Only STOPPED on the last one: DESC_STOPPED alone. */
    chain_write(b, b->desc, false, seg, 5, XDMA_DESC_STOPPED);
    g_assert_cmphex(board_chan_run(b, false, 0, b->desc, CTRL_LOG_ALL), ==,
                    XDMA_STAT_DESC_STOPPED);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 5);
    /* RUN stays set after a STOPPED descriptor */
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_CONTROL) &
                    XDMA_CTRL_RUN, ==, XDMA_CTRL_RUN);

    /* COMPLETED on a middle descriptor too: both events. */
    chan_clear_status(qts, false, 0);
    chain_write(b, b->desc, false, seg, 5, XDMA_DESC_STOPPED);
    desc_write_control(qts, b->desc + 2 * 32,
                       XDMA_DESC_CONTROL(2, XDMA_DESC_COMPLETED), 1000,
                       seg[2].host, seg[2].card, b->desc + 3 * 32);
    g_assert_cmphex(board_chan_run(b, false, 0, b->desc, CTRL_LOG_ALL), ==,
                    STAT_DONE);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 5);

    /* Events are logged only when CONTROL enables them. */
    chan_clear_status(qts, false, 0);
    chain_write(b, b->desc, false, seg, 5, LAST_FLAGS);
    g_assert_cmphex(board_chan_run(b, false, 0, b->desc,
                                   XDMA_STAT_DESC_STOPPED),
                    ==, XDMA_STAT_DESC_STOPPED);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 5);
    chan_clear_status(qts, false, 0);
    g_assert_cmphex(board_chan_run(b, false, 0, b->desc, 0), ==, 0);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 5);

    /* Setting RUN again zeroes the count: a one-descriptor chain. */
    chain_write(b, b->desc, false, seg, 1, LAST_FLAGS);
    g_assert_cmphex(board_chan_run(b, false, 0, b->desc, CTRL_LOG_ALL), ==,
                    STAT_DONE);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);

    /* RW1C and read-to-clear */
    chan_write(qts, false, 0, XDMA_CHAN_STATUS,
               XDMA_STAT_DESC_STOPPED | 0xff000001);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_DESC_COMPLETED);
    chan_write(qts, false, 0, XDMA_CHAN_STATUS, 0);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_DESC_COMPLETED);
    chan_write(qts, false, 0, XDMA_CHAN_STATUS_RC, 0xffffffff);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_DESC_COMPLETED);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS_RC), ==,
                    XDMA_STAT_DESC_COMPLETED);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==, 0);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS_RC), ==, 0);
    /* COMPLETED_DESC is read-only */
    reg_assert_ro(qts,
                  DMA_BAR + chan_offset(false, 0, XDMA_CHAN_COMPLETED_DESC),
                  0);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    board_free(b);
}

/* Poll-mode writeback: COMPLETED_DESC | bit 31 on error, where asked. */
static void test_dma_poll_writeback(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    uint64_t wb = b->buf + 512 * KiB;
    uint32_t word;
    Seg seg[4];
    unsigned i;
    int dir;

    for (dir = 0; dir < 2; dir++) {
        for (i = 0; i < 4; i++) {
            seg[i] = (Seg) { b->buf + i * 4096, 8192 + i * 4096, 4096 };
        }
        chan_write(qts, dir, 1, XDMA_CHAN_POLL_WB_LO, wb);
        chan_write(qts, dir, 1, XDMA_CHAN_POLL_WB_HI, wb >> 32);

        /* A chain that ends well */
        qtest_writel(qts, wb, 0xdeadbeef);
        chain_write(b, b->desc, dir, seg, 4, LAST_FLAGS);
        g_assert_cmphex(board_chan_run(b, dir, 1, b->desc, CTRL_LOG_ALL |
                                       XDMA_CTRL_POLL_MODE_WB), ==, STAT_DONE);
        g_assert_cmphex(qtest_readl(qts, wb), ==, 4);
        chan_clear_status(qts, dir, 1);

        /* An error on the third descriptor: 2 | bit 31 */
        qtest_writel(qts, wb, 0xdeadbeef);
        desc_write_control(qts, b->desc + 2 * 32, 0x12340000, 4096, 0, 0,
                           b->desc + 3 * 32);
        g_assert_cmphex(board_chan_run(b, dir, 1, b->desc, CTRL_LOG_ALL |
                                       XDMA_CTRL_POLL_MODE_WB), ==,
                        XDMA_STAT_MAGIC_STOPPED);
        word = qtest_readl(qts, wb);
        g_assert_cmphex(word, ==, 2 | XDMA_WB_ERROR);
        chan_clear_status(qts, dir, 1);

        /* Without POLL_MODE_WB nothing is written. */
        qtest_writel(qts, wb, 0xdeadbeef);
        chain_write(b, b->desc, dir, seg, 4, LAST_FLAGS);
        g_assert_cmphex(board_chan_run(b, dir, 1, b->desc, CTRL_LOG_ALL), ==,
                        STAT_DONE);
        g_assert_cmphex(qtest_readl(qts, wb), ==, 0xdeadbeef);
        chan_clear_status(qts, dir, 1);
    }
    board_free(b);
}

/* The channel interrupt: CHAN_INT_REQ = STATUS & INTR_ENABLE, via MSI-X. */
static void test_dma_interrupt(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    unsigned line, ch;
    int dir;

    /* H2C n -> vector 8 + n, C2H n -> vector 12 + n */
    for (line = 0; line < 2 * b->nr_chan; line++) {
        irq_map_chan_line(qts, line, 8 + line);
    }
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_VEC_NUM), ==, 0x0b0a0908);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_VEC_NUM + 4), ==,
                    0x0f0e0d0c);
    board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN, 0xff);

    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            unsigned vec = 8 + (dir ? b->nr_chan : 0) + ch;
            uint32_t bit = board_chan_line(b, dir, ch);

            /* No INTR_ENABLE: status logged, nothing requested. */
            board_assert_transfer_ok(b, dir, ch);
            msix_assert_no_msg(b);

            chan_write(qts, dir, ch, XDMA_CHAN_INTR_ENABLE,
                       XDMA_STAT_DESC_STOPPED);
            msix_assert_no_msg(b);
            board_assert_transfer_ok_at(b, dir, ch, 64 * KiB);
            /* assert_transfer_ok_at cleared the status: request gone */
            g_assert_true(msix_msg_take(b, vec));
            msix_assert_no_msg(b);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==, 0);

            /* Left pending: the request and its pending bit show it. */
            chain_write(b, b->desc, dir, (Seg[]) {
                { b->buf, 0, 512 } }, 1, LAST_FLAGS);
            g_assert_cmphex(board_chan_run(b, dir, ch, b->desc, CTRL_LOG_ALL),
                            ==, STAT_DONE);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==,
                            bit);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_PEND), ==,
                            bit);
            g_assert_true(msix_msg_take(b, vec));
            /* Clearing an event that is not enabled changes nothing. */
            chan_write(qts, dir, ch, XDMA_CHAN_STATUS,
                       XDMA_STAT_DESC_COMPLETED);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==,
                            bit);
            /* INTR_ENABLE gates the request */
            chan_write(qts, dir, ch, XDMA_CHAN_INTR_ENABLE_W1C,
                       XDMA_STAT_DESC_STOPPED);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==, 0);
            msix_assert_no_msg(b);
            chan_write(qts, dir, ch, XDMA_CHAN_INTR_ENABLE_W1S,
                       XDMA_STAT_DESC_STOPPED);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==,
                            bit);
            g_assert_true(msix_msg_take(b, vec));
            /* CHAN_INT_EN gates the pending bit and the message */
            board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN_W1C, bit);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==,
                            bit);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_PEND), ==, 0);
            msix_assert_no_msg(b);
            board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN_W1S, bit);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_PEND), ==,
                            bit);
            g_assert_true(msix_msg_take(b, vec));
            /* Reading STATUS_RC clears the request. */
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_STATUS_RC), ==,
                            XDMA_STAT_DESC_STOPPED);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==, 0);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_PEND), ==, 0);

            /* Masked vector: pending bit, delivered when unmasked. */
            msix_mask(qts, vec, true);
            g_assert_true(qpci_msix_masked(b->dev, vec));
            g_assert_cmphex(board_chan_run(b, dir, ch, b->desc, CTRL_LOG_ALL),
                            ==, STAT_DONE);
            g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_PEND), ==,
                            bit);
            msix_assert_no_msg(b);
            g_assert_true(qpci_msix_pending(b->dev, vec));
            msix_mask(qts, vec, false);
            g_assert_false(qpci_msix_pending(b->dev, vec));
            g_assert_true(msix_msg_take(b, vec));
            chan_clear_status(qts, dir, ch);
            chan_write(qts, dir, ch, XDMA_CHAN_INTR_ENABLE, 0);
            msix_assert_no_msg(b);
        }
    }
    board_free(b);
}

void vfpga_test_add_dma(void)
{
    qtest_add_func("/vfpga/dma/random", test_dma_random);
    qtest_add_func("/vfpga/dma/channels", test_dma_channels);
    qtest_add_func("/vfpga/dma/completion", test_dma_completion);
    qtest_add_func("/vfpga/dma/poll-writeback", test_dma_poll_writeback);
    qtest_add_func("/vfpga/dma/interrupt", test_dma_interrupt);
}
