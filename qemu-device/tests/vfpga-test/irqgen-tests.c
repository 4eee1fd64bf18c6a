/*
 * vfpga qtests: the interrupt generator.
 *
 * The interrupt generator: ping-pong, paced (with its duration, its event
 * queue and bad starts) and rotating runs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "vfpga-qtest.h"
#include "tests.h"

static void test_irqgen_pingpong(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    const unsigned line = 6, vec = 21;
    uint64_t t;
    unsigned i;

    irqgen_setup(b, line, vec);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_VEC_NUM + 4), ==,
                    21 << 16);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 3);
    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PINGPONG);

    /* ACK with nothing pending does nothing. */
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, 0, 0, 0);
    msix_assert_no_msg(b);

    t = board_time_ns(qts);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 1; i <= 3; i++) {
        irqgen_assert(b, IRQGEN_BUSY_PENDING, i, i - 1);
        g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==,
                        1u << line);
        g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_PEND), ==,
                        1u << line);
        g_assert_true(msix_msg_take(b, vec));
        msix_assert_no_msg(b);
        /* LAST_RAISE and TIME share the clock: the latency is exact. */
        g_assert_cmpuint(board_last_raise_ns(qts), ==, t);
        qtest_clock_step(qts, 1000 * i);
        g_assert_cmpuint(board_time_ns(qts) - board_last_raise_ns(qts), ==,
                         1000 * i);
        t += 1000 * i;
        /* Only bit 0 acknowledges. */
        board_user_write(qts, VFPGA_IRQGEN_ACK, 0);
        irqgen_assert(b, IRQGEN_BUSY_PENDING, i, i - 1);
        board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    }
    irqgen_assert(b, 0, 3, 3);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 0);
    msix_assert_no_msg(b);
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, 0, 3, 3);
    msix_assert_no_msg(b);

    /* A bad LINE is refused; START latches LINE. */
    board_user_write(qts, VFPGA_IRQGEN_LINE, 16);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_LINE), ==, line);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 2);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 1, 0);
    g_assert_true(msix_msg_take(b, vec));
    board_user_write(qts, VFPGA_IRQGEN_LINE, 2);
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 2, 1);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 1u << line);
    g_assert_true(msix_msg_take(b, vec));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, 0, 2, 2);

    /* STOP withdraws the request; the counters stay. */
    board_user_write(qts, VFPGA_IRQGEN_LINE, line);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 10);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msix_msg_take(b, vec));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msix_msg_take(b, vec));
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 2, 1);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    irqgen_assert(b, 0, 2, 1);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 0);
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, 0, 2, 1);
    msix_assert_no_msg(b);

    /* START with COUNT 0 raises nothing. */
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 0);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    irqgen_assert(b, 0, 0, 0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 0);
    msix_assert_no_msg(b);

    /* A longer run: every interrupt is one message. */
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 200);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 0; i < 200; i++) {
        g_assert_true(msix_msg_take(b, vec));
        board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    }
    irqgen_assert(b, 0, 200, 200);
    msix_assert_no_msg(b);
    board_free(b);
}

/* Paced: every 1e9 / RATE ns, RAISED + OVERRUN = beats due. */
static void test_irqgen_paced(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    const unsigned line = 15, vec = 31;
    uint64_t start;
    unsigned i;

    irqgen_setup(b, line, vec);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_VEC_NUM + 12), ==,
                    31u << 24);
    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);

    /* Never acknowledged: one raise, the rest overruns. */
    board_user_write(qts, VFPGA_IRQGEN_RATE, 100000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 1000);
    start = board_time_ns(qts);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 1, 0);
    g_assert_true(msix_msg_take(b, vec));
    /* 5 ms + 5 us: beats 0..500 are due */
    qtest_clock_step(qts, 5005000);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 500);
    qtest_clock_step(qts, 15 * 1000 * 1000);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 1, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 999);
    g_assert_cmpuint(board_last_raise_ns(qts), ==, start);
    msix_assert_no_msg(b);
    /* Acknowledges never raise in paced mode. */
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, 0, 1, 1);
    msix_assert_no_msg(b);

    /* Acknowledged promptly between beats: no overrun. */
    board_user_write(qts, VFPGA_IRQGEN_RATE, 10000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 20);
    start = board_time_ns(qts);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 0);
    for (i = 0; i < 20; i++) {
        irqgen_assert(b, IRQGEN_BUSY_PENDING, i + 1, i);
        g_assert_true(msix_msg_take(b, vec));
        g_assert_cmpuint(board_last_raise_ns(qts), ==, start + i * 100000);
        qtest_clock_step(qts, 30000);
        g_assert_cmpuint(board_time_ns(qts) - board_last_raise_ns(qts), ==,
                         30000);
        board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        g_assert_cmphex(board_user_read(qts, VFPGA_IRQGEN_STATUS), ==,
                        i < 19 ? VFPGA_IRQGEN_STATUS_BUSY : 0);
        qtest_clock_step(qts, 70000);
    }
    irqgen_assert(b, 0, 20, 20);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 0);
    qtest_clock_step(qts, 10 * 1000 * 1000);
    irqgen_assert(b, 0, 20, 20);
    msix_assert_no_msg(b);

    /* The rate: 1000/s for 50.5 ms, acknowledged every 10 ms. */
    board_user_write(qts, VFPGA_IRQGEN_RATE, 1000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 100);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    qtest_clock_step(qts, 500 * 1000);
    for (i = 0; i < 5; i++) {
        qtest_clock_step(qts, 10 * 1000 * 1000);
        board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    }
    /*
     * At 50.5 ms beats 0..50 are due: raised at 0, 11, 21, 31 and 41 ms
     * (the first beat after each acknowledge), acknowledged at 10.5,
     * 20.5 .. 50.5 ms; the others overran.
     */
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_RAISED) +
                     board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 51);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_RAISED), ==, 5);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_ACKED), ==, 5);
    g_assert_cmphex(board_user_read(qts, VFPGA_IRQGEN_STATUS), ==,
                    VFPGA_IRQGEN_STATUS_BUSY);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    irqgen_assert(b, 0, 5, 5);
    qtest_clock_step(qts, 100 * 1000 * 1000);
    irqgen_assert(b, 0, 5, 5);
    msix_msg_take(b, vec);
    msix_assert_no_msg(b);

    /* RATE 0 is refused: START does nothing. */
    board_user_write(qts, VFPGA_IRQGEN_RATE, 0);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    irqgen_assert(b, 0, 5, 5);
    msix_assert_no_msg(b);
    board_free(b);
}

/* Paced with COUNT 0: DURATION_US decides how long it runs. */
static void test_irqgen_paced_duration(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    unsigned i;

    irqgen_setup(b, 0, 1);
    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    board_user_write(qts, VFPGA_IRQGEN_RATE, 1000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 0);
    board_user_write(qts, VFPGA_IRQGEN_DURATION_US, 10000);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 0; i < 30; i++) {
        if (msix_msg_take(b, 1)) {
            board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        }
        qtest_clock_step(qts, 500 * 1000);
    }
    /* 10 ms at 1000/s: beats at 0, 1, ... 9 ms */
    irqgen_assert(b, 0, 10, 10);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 0);
    msix_assert_no_msg(b);

    /* Not acknowledged: 1 raise, 9 overruns, still pending. */
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    qtest_clock_step(qts, 50 * 1000 * 1000);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 1, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 9);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    msix_msg_take(b, 1);
    board_free(b);
}

/*
 * DURATION_US that is not a whole number of beats: 1500 us at 1000/s
 * has beats due at 0 and 1 ms.
 */
static void test_irqgen_paced_duration_partial(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;

    irqgen_setup(b, 0, 1);
    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    board_user_write(qts, VFPGA_IRQGEN_RATE, 1000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 0);
    board_user_write(qts, VFPGA_IRQGEN_DURATION_US, 1500);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    qtest_clock_step(qts, 10 * 1000 * 1000);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_RAISED) +
                     board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 2);

    /* 500 us at 1000/s: only the beat at 0, which falls in the run. */
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    board_user_write(qts, VFPGA_IRQGEN_DURATION_US, 500);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    qtest_clock_step(qts, 10 * 1000 * 1000);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_RAISED) +
                     board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 1);
    board_free(b);
}

/*
 * A paced START with both COUNT and DURATION_US 0 "is a guest error and
 * does nothing": an interrupt already pending stays pending.
 */
static void test_irqgen_paced_bad_start(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;

    irqgen_setup(b, 3, 4);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 2);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 1, 0);
    g_assert_true(msix_msg_take(b, 4));

    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    board_user_write(qts, VFPGA_IRQGEN_RATE, 1000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 0);
    board_user_write(qts, VFPGA_IRQGEN_DURATION_US, 0);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 1, 0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 1u << 3);
    /* The ping-pong run goes on. */
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 2, 1);
    board_free(b);
}

/* ROTATE: each raise after the first on the next line, wrapping at 16. */
static void test_irqgen_rotate(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    static const unsigned lines[] = { 14, 15, 0, 1, 2 };
    unsigned i;

    for (i = 0; i < VFPGA_USER_IRQ_LINES; i++) {
        irq_map_user_line(qts, i, i);
    }
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1S, 0xffff);
    board_user_write(qts, VFPGA_IRQGEN_LINE, 14);
    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_ROTATE);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 5);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 0; i < ARRAY_SIZE(lines); i++) {
        irqgen_assert(b, IRQGEN_BUSY_PENDING, i + 1, i);
        g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==,
                        1u << lines[i]);
        g_assert_true(msix_msg_take(b, lines[i]));
        board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ) &
                        (1u << lines[i]), ==, 0);
    }
    irqgen_assert(b, 0, 5, 5);
    msix_assert_no_msg(b);
    /* LINE itself is not changed by the rotation. */
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_LINE), ==, 14);

    /* A plain ping-pong START rotates no more. */
    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PINGPONG);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 2);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msix_msg_take(b, 14));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msix_msg_take(b, 14));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, 0, 2, 2);
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
    QTestState *qts = b->qts;
    uint64_t t;
    unsigned i;

    irqgen_setup(b, 2, 3);
    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    board_user_write(qts, VFPGA_IRQGEN_RATE, 100000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 10);

    /* A depth beyond the limit refuses the start. */
    board_user_write(qts, VFPGA_IRQGEN_QUEUE_DEPTH, VFPGA_IRQGEN_QUEUE_MAX + 1);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    irqgen_assert(b, 0, 0, 0);
    msix_assert_no_msg(b);

    board_user_write(qts, VFPGA_IRQGEN_QUEUE_DEPTH, 4);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 1, 0);
    g_assert_true(msix_msg_take(b, 3));
    /* 95 us: beats 0..9 are due: one raised, four queued, five missed. */
    qtest_clock_step(qts, 95000);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_QUEUED), ==, 4);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 5);
    irqgen_assert(b, IRQGEN_BUSY_PENDING, 1, 0);
    /* Each acknowledge raises a queued beat at once, stamped then. */
    for (i = 1; i <= 4; i++) {
        board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        t = board_time_ns(qts);
        irqgen_assert(b, IRQGEN_BUSY_PENDING, 1 + i, i);
        g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_QUEUED), ==, 4 - i);
        g_assert_cmpuint(board_last_raise_ns(qts), ==, t);
        g_assert_true(msix_msg_take(b, 3));
    }
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, 0, 5, 5);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 5);
    msix_assert_no_msg(b);

    /* STOP drops what waits: it counts as missed. */
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msix_msg_take(b, 3));
    qtest_clock_step(qts, 25000);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_QUEUED), ==, 2);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_QUEUED), ==, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 2);
    irqgen_assert(b, 0, 1, 0);

    /*
     * A long wait for the acknowledge is the guest's: the generator keeps
     * watch while one is pending, so its clock sees no emulator stall and
     * the beats of those 300 ms overrun a full queue.
     */
    board_user_write(qts, VFPGA_IRQGEN_RATE, 1000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 1000);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msix_msg_take(b, 3));
    qtest_clock_step(qts, 300 * 1000 * 1000 + 500000);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_STALLED_US), ==, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_QUEUED), ==, 4);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 296);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);

    /* Kept up with, a queue changes nothing: every beat raises. */
    board_user_write(qts, VFPGA_IRQGEN_RATE, 10000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 10);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (i = 0; i < 10; i++) {
        g_assert_true(msix_msg_take(b, 3));
        board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        qtest_clock_step(qts, 100000);
    }
    irqgen_assert(b, 0, 10, 10);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_OVERRUN), ==, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_QUEUED), ==, 0);
    board_free(b);
}

void vfpga_test_add_irqgen(void)
{
    qtest_add_func("/vfpga/irqgen/pingpong", test_irqgen_pingpong);
    qtest_add_func("/vfpga/irqgen/paced", test_irqgen_paced);
    qtest_add_func("/vfpga/irqgen/paced-queue", test_irqgen_paced_queue);
    qtest_add_func("/vfpga/irqgen/rotate", test_irqgen_rotate);
    qtest_add_func("/vfpga/irqgen/paced-duration",
                   test_irqgen_paced_duration);
    qtest_add_func("/vfpga/irqgen/paced-duration-partial",
                   test_irqgen_paced_duration_partial);
    qtest_add_func("/vfpga/irqgen/paced-bad-start",
                   test_irqgen_paced_bad_start);
}
