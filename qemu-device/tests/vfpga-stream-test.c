/*
 * QTest: AXI4-Stream channels (PG195 streaming mode) and the reference
 * design's stream loopback and packet generator.
 *
 * - identity: the h2c-stream / c2h-stream channels' identifiers carry
 *   the stream bit, the others do not; CAPS says STREAM only on a board
 *   with stream channels; a bad mask is refused in one sentence;
 * - descriptor walks: H2C descriptors with and without EOP become
 *   packets; each C2H descriptor is closed full or at a packet's end,
 *   with its writeback (magic 0x52b4, EOP, length) at its source
 *   address; packets from 1 byte to 4 MiB come back whole;
 * - back-pressure: a full FIFO (or HOLD) stalls H2C, BUSY, until C2H
 *   drains it; a C2H with no data waits, RUN cleared stops it and the
 *   channel works afterwards;
 * - bad stream descriptors stop the channel with the IP's error bits;
 * - descriptor credits: a channel in credit mode fetches one descriptor
 *   per credit and waits without;
 * - the packet generator: size, count, pattern, rate, and the packets it
 *   drops (counted) while C2H has no descriptor;
 * - migration: packets in the FIFO, a stalled H2C descriptor and the
 *   generator's run continue on the destination (what a stream may not
 *   bring: vfpga-migration-stream-test).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"

#define MACHINE     "-machine q35 -nodefaults -m 64M " FW_ARGS " "
#define STREAM_PROPS "dma-channels=2,h2c-stream=1,c2h-stream=1"

/* Where the C2H descriptors' buffers and writebacks go. */
#define C2H_DESC    (DESC_ADDR + 0x8000)
#define WB_ADDR     0x180000ull
#define C2H_BUF     0x800000ull

/* Register reads (main-loop turns) a stalled channel must stay stalled. */
#define TURNS       500

static QTestState *stream_start(const char *extra)
{
    QTestState *qts = qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0,"
                                  STREAM_PROPS "%s", extra);

    board_setup(qts, BOARD_BDF);
    return qts;
}

static uint8_t pattern(uint64_t i, uint8_t seed)
{
    return (i * 13 + seed) ^ (i >> 8);
}

static void fill(QTestState *qts, uint64_t addr, size_t len, uint8_t seed)
{
    g_autofree uint8_t *buf = g_malloc(len);
    size_t i;

    for (i = 0; i < len; i++) {
        buf[i] = pattern(i, seed);
    }
    qtest_memwrite(qts, addr, buf, len);
}

static void assert_filled(QTestState *qts, uint64_t addr, size_t len,
                          uint8_t seed, uint64_t from)
{
    g_autofree uint8_t *buf = g_malloc(len);
    size_t i;

    qtest_memread(qts, addr, buf, len);
    for (i = 0; i < len; i++) {
        if (buf[i] != pattern(from + i, seed)) {
            g_test_message("byte %zu of %zu: 0x%02x, not 0x%02x", i, len,
                           buf[i], pattern(from + i, seed));
            g_assert_not_reached();
        }
    }
}

/* One H2C descriptor per entry of @len, EOP where @eop says, one chain. */
static void h2c_chain(QTestState *qts, const uint32_t *len, const bool *eop,
                      unsigned n)
{
    uint64_t src = DATA_ADDR;
    unsigned i;

    for (i = 0; i < n; i++) {
        uint32_t flags = (eop[i] ? XDMA_DESC_EOP : 0) |
                         (i == n - 1 ? LAST_FLAGS : 0);

        desc_write(qts, DESC_ADDR + i * 32, flags, len[i], src, 0,
                   i == n - 1 ? 0 : DESC_ADDR + (i + 1) * 32);
        src += len[i];
    }
}

/* @n C2H descriptors of @len bytes each, writebacks zeroed. */
static void c2h_chain(QTestState *qts, uint32_t len, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        desc_write(qts, C2H_DESC + i * 32, i == n - 1 ? LAST_FLAGS : 0, len,
                   WB_ADDR + i * sizeof(struct xdma_c2h_wb),
                   C2H_BUF + (uint64_t)i * len,
                   i == n - 1 ? 0 : C2H_DESC + (i + 1) * 32);
        qtest_writeq(qts, WB_ADDR + i * sizeof(struct xdma_c2h_wb), 0);
    }
}

static void assert_wb(QTestState *qts, unsigned i, uint32_t len, bool eop)
{
    uint64_t at = WB_ADDR + i * sizeof(struct xdma_c2h_wb);

    g_assert_cmphex(qtest_readl(qts, at), ==,
                    (XDMA_C2H_WB_MAGIC << XDMA_C2H_WB_MAGIC_SHIFT) |
                    (eop ? XDMA_C2H_WB_EOP : 0));
    g_assert_cmpuint(qtest_readl(qts, at + 4), ==, len);
}

static uint32_t run(QTestState *qts, bool c2h, uint64_t desc)
{
    chan_start(qts, c2h, 0, desc, 0, CTRL_LOG_ALL);
    return chan_wait_idle(qts, c2h, 0, 0);
}

/* The channel stays BUSY, with @done descriptors completed. */
static void assert_stalled(QTestState *qts, bool c2h, uint32_t done)
{
    unsigned i;

    for (i = 0; i < TURNS; i++) {
        g_assert_cmphex(chan_read(qts, c2h, 0, XDMA_CHAN_STATUS) &
                        XDMA_STAT_BUSY, ==, XDMA_STAT_BUSY);
    }
    g_assert_cmpuint(chan_read(qts, c2h, 0, XDMA_CHAN_COMPLETED_DESC), ==,
                     done);
}

/* ---- identity ------------------------------------------------------------ */

static void test_identity(void)
{
    QTestState *qts = stream_start("");
    unsigned ch;

    for (ch = 0; ch < 2; ch++) {
        uint32_t st = ch ? 0 : XDMA_ID_STREAM;

        g_assert_cmphex(chan_read(qts, false, ch, XDMA_CHAN_IDENTIFIER), ==,
                        chan_id(false, ch) | st);
        g_assert_cmphex(chan_read(qts, true, ch, XDMA_CHAN_IDENTIFIER), ==,
                        chan_id(true, ch) | st);
        g_assert_cmphex(sgdma_read(qts, false, ch, XDMA_SGDMA_IDENTIFIER),
                        ==, sgdma_id(false, ch) | st);
        g_assert_cmphex(sgdma_read(qts, true, ch, XDMA_SGDMA_IDENTIFIER),
                        ==, sgdma_id(true, ch) | st);
    }
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_CAPS) & VFPGA_CAP_STREAM,
                    ==, VFPGA_CAP_STREAM);
    g_assert_cmphex(board_user_read(qts, VFPGA_STREAM_FIFO_LIMIT), ==,
                    VFPGA_STREAM_FIFO_MAX);
    g_assert_cmphex(board_user_read(qts, VFPGA_STREAM_GEN_SIZE), ==,
                    VFPGA_STREAM_GEN_SIZE_DEFAULT);
    qtest_quit(qts);

    /* The reference board: no stream bit, no stream block. */
    qts = qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0");
    board_setup(qts, BOARD_BDF);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_IDENTIFIER), ==,
                    chan_id(false, 0));
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_CAPS) & VFPGA_CAP_STREAM,
                    ==, 0);
    g_assert_cmphex(board_user_read(qts, VFPGA_STREAM_FIFO_LIMIT), ==, 0);
    qtest_quit(qts);
}

static void assert_refused(const char *props, const char *sentence)
{
    g_autofree char *args = g_strdup_printf("-device vfpga,%s", props);
    g_autofree char *err = NULL;
    int status = qemu_run_status(MACHINE, args, &err);

    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_nonnull(strstr(err, sentence));
    g_assert_cmpstr(strchr(err, '\n') + 1, ==, "");
}

static void test_refusals(void)
{
    assert_refused("dma-channels=1,h2c-stream=2", "vfpga: h2c-stream must "
                   "be a mask of the board's H2C channels, 0 to 0x1");
    assert_refused("h2c-channels=2,c2h-channels=0,c2h-stream=1",
                   "vfpga: c2h-stream must be a mask of the board's C2H "
                   "channels, 0 to 0x0");
    assert_refused("dma-channels=4,h2c-stream=0x10", "vfpga: h2c-stream "
                   "must be a mask of the board's H2C channels, 0 to 0xf");
}

/* ---- descriptor walks ---------------------------------------------------- */

/*
 * H2C: 100 bytes, then 50 with EOP, then 30 with EOP: packets of 150
 * and 30.  C2H: four 64-byte buffers take 64, 64, 22 (EOP) and 30 (EOP).
 */
static void test_eop_placement(void)
{
    static const uint32_t len[] = { 100, 50, 30 };
    static const bool eop[] = { false, true, true };
    QTestState *qts = stream_start("");
    uint32_t st;

    fill(qts, DATA_ADDR, 180, 1);
    h2c_chain(qts, len, eop, 3);
    st = run(qts, false, DESC_ADDR);
    g_assert_cmphex(st & XDMA_STAT_ERRORS, ==, 0);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==,
                     3);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_H2C_PACKETS), ==, 2);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LEVEL), ==, 180);

    c2h_chain(qts, 64, 4);
    st = run(qts, true, C2H_DESC);
    g_assert_cmphex(st & XDMA_STAT_ERRORS, ==, 0);
    g_assert_cmphex(st & STAT_DONE, ==, STAT_DONE);
    g_assert_cmpuint(chan_read(qts, true, 0, XDMA_CHAN_COMPLETED_DESC), ==,
                     4);
    assert_wb(qts, 0, 64, false);
    assert_wb(qts, 1, 64, false);
    assert_wb(qts, 2, 22, true);
    assert_wb(qts, 3, 30, true);
    assert_filled(qts, C2H_BUF, 150, 1, 0);
    assert_filled(qts, C2H_BUF + 3 * 64, 30, 1, 150);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_C2H_PACKETS), ==, 2);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_C2H_BYTES), ==, 180);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LEVEL), ==, 0);
    qtest_quit(qts);
}

/* Packets of 1 byte to 4 MiB, each into one C2H buffer, come back whole. */
static void test_packet_sizes(void)
{
    static const uint32_t sizes[] = {
        1, 7, 8, 4096, 65537, 1 * MiB, 4 * MiB,
    };
    QTestState *qts = stream_start("");
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(sizes); i++) {
        uint32_t size = sizes[i];
        uint32_t buf = ROUND_UP(size, XDMA_ST_DATA_BYTES);
        bool eop = true;
        uint32_t st;

        fill(qts, DATA_ADDR, size, i);
        h2c_chain(qts, &size, &eop, 1);
        st = run(qts, false, DESC_ADDR);
        g_assert_cmphex(st & XDMA_STAT_ERRORS, ==, 0);

        c2h_chain(qts, buf, 1);
        st = run(qts, true, C2H_DESC);
        g_assert_cmphex(st & XDMA_STAT_ERRORS, ==, 0);
        assert_wb(qts, 0, size, true);
        assert_filled(qts, C2H_BUF, size, i, 0);
    }
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_C2H_PACKETS), ==,
                     ARRAY_SIZE(sizes));
    qtest_quit(qts);
}

/* A C2H write-back disabled (control bit 27): data only. */
static void test_wb_disabled(void)
{
    QTestState *qts = stream_start("");
    uint32_t len = 16;
    bool eop = true;

    fill(qts, DATA_ADDR, len, 9);
    h2c_chain(qts, &len, &eop, 1);
    run(qts, false, DESC_ADDR);
    c2h_chain(qts, 64, 1);
    chan_start(qts, true, 0, C2H_DESC, 0,
               CTRL_LOG_ALL | XDMA_CTRL_C2H_ST_WB_DISABLE);
    g_assert_cmphex(chan_wait_idle(qts, true, 0, 0) & XDMA_STAT_ERRORS, ==,
                    0);
    g_assert_cmphex(qtest_readq(qts, WB_ADDR), ==, 0);
    assert_filled(qts, C2H_BUF, len, 9, 0);
    qtest_quit(qts);
}

/* ---- back-pressure ------------------------------------------------------- */

/* A full FIFO stalls H2C until C2H drains it; nothing is lost. */
static void test_backpressure_fifo(void)
{
    QTestState *qts = stream_start("");
    uint32_t len = 10000;
    bool eop = true;
    uint32_t st;

    board_user_write(qts, VFPGA_STREAM_FIFO_LIMIT, 4096);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LIMIT), ==,
                     4096);
    /* Out of range: ignored. */
    board_user_write(qts, VFPGA_STREAM_FIFO_LIMIT, 0);
    board_user_write(qts, VFPGA_STREAM_FIFO_LIMIT, VFPGA_STREAM_FIFO_MAX + 1);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LIMIT), ==,
                     4096);

    fill(qts, DATA_ADDR, len, 3);
    h2c_chain(qts, &len, &eop, 1);
    chan_start(qts, false, 0, DESC_ADDR, 0, CTRL_LOG_ALL);
    assert_stalled(qts, false, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LEVEL), ==, 4096);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_H2C_BACKPRESSURE), >,
                     0);

    c2h_chain(qts, 16384, 1);
    st = run(qts, true, C2H_DESC);
    g_assert_cmphex(st & XDMA_STAT_ERRORS, ==, 0);
    st = chan_wait_idle(qts, false, 0, 0);
    g_assert_cmphex(st & STAT_DONE, ==, STAT_DONE);
    assert_wb(qts, 0, len, true);
    assert_filled(qts, C2H_BUF, len, 3, 0);
    qtest_quit(qts);
}

/* HOLD (tready low) stalls H2C; clearing it lets the descriptor finish. */
static void test_backpressure_hold(void)
{
    QTestState *qts = stream_start("");
    uint32_t len = 16, bp;
    bool eop = true;

    board_user_write(qts, VFPGA_STREAM_CTRL, VFPGA_STREAM_CTRL_HOLD);
    fill(qts, DATA_ADDR, len, 4);
    h2c_chain(qts, &len, &eop, 1);
    chan_start(qts, false, 0, DESC_ADDR, 0, CTRL_LOG_ALL);
    assert_stalled(qts, false, 0);
    bp = board_user_read(qts, VFPGA_STREAM_H2C_BACKPRESSURE);
    g_assert_cmpuint(bp, >, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LEVEL), ==, 0);

    board_user_write(qts, VFPGA_STREAM_CTRL, 0);
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0) & STAT_DONE, ==,
                    STAT_DONE);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LEVEL), ==, len);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_H2C_BACKPRESSURE), ==,
                     bp);
    qtest_quit(qts);
}

/*
 * A C2H with no data waits, BUSY, writing nothing; RUN cleared stops it
 * (IDLE_STOPPED) and the channel then takes a packet as usual.
 */
static void test_c2h_no_data(void)
{
    QTestState *qts = stream_start("");
    uint32_t len = 24, st;
    bool eop = true;

    c2h_chain(qts, 64, 1);
    chan_start(qts, true, 0, C2H_DESC, 0, CTRL_LOG_ALL);
    assert_stalled(qts, true, 0);
    g_assert_cmphex(qtest_readq(qts, WB_ADDR), ==, 0);
    chan_write(qts, true, 0, XDMA_CHAN_CONTROL, CTRL_LOG_ALL);
    st = chan_read(qts, true, 0, XDMA_CHAN_STATUS);
    g_assert_cmphex(st, ==, XDMA_STAT_IDLE_STOPPED);
    chan_clear_status(qts, true, 0);

    fill(qts, DATA_ADDR, len, 5);
    h2c_chain(qts, &len, &eop, 1);
    run(qts, false, DESC_ADDR);
    c2h_chain(qts, 64, 1);
    st = run(qts, true, C2H_DESC);
    g_assert_cmphex(st & XDMA_STAT_ERRORS, ==, 0);
    assert_wb(qts, 0, len, true);
    assert_filled(qts, C2H_BUF, len, 5, 0);
    qtest_quit(qts);
}

/*
 * RUN cleared in the middle of a packet: what the descriptor took is
 * gone with it, without a writeback; the rest of the packet goes to the
 * next run, which ends at its EOP.
 */
static void test_c2h_cancel_mid_packet(void)
{
    QTestState *qts = stream_start("");
    uint32_t len = 4096, st;
    bool eop = false;

    /* Half a packet so far: no EOP yet. */
    fill(qts, DATA_ADDR, 2 * len, 6);
    h2c_chain(qts, &len, &eop, 1);
    run(qts, false, DESC_ADDR);
    c2h_chain(qts, 8192, 1);
    chan_start(qts, true, 0, C2H_DESC, 0, CTRL_LOG_ALL);
    assert_stalled(qts, true, 0);
    chan_write(qts, true, 0, XDMA_CHAN_CONTROL, CTRL_LOG_ALL);
    g_assert_cmphex(chan_read(qts, true, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_IDLE_STOPPED);
    g_assert_cmphex(qtest_readq(qts, WB_ADDR), ==, 0);
    assert_filled(qts, C2H_BUF, len, 6, 0);

    /* The second half, with EOP: the next run gets that much. */
    eop = true;
    desc_write(qts, DESC_ADDR, LAST_FLAGS | XDMA_DESC_EOP, len,
               DATA_ADDR + len, 0, 0);
    run(qts, false, DESC_ADDR);
    c2h_chain(qts, 8192, 1);
    st = run(qts, true, C2H_DESC);
    g_assert_cmphex(st & XDMA_STAT_ERRORS, ==, 0);
    assert_wb(qts, 0, len, true);
    assert_filled(qts, C2H_BUF, len, 6, len);
    qtest_quit(qts);
}

/* ---- bad descriptors ----------------------------------------------------- */

static void assert_fails(QTestState *qts, bool c2h, uint64_t desc,
                         uint32_t error)
{
    uint32_t st;

    chan_clear_status(qts, c2h, 0);
    st = run(qts, c2h, desc);
    g_assert_cmphex(st & XDMA_STAT_ERRORS, ==, error);
    g_assert_cmpuint(chan_read(qts, c2h, 0, XDMA_CHAN_COMPLETED_DESC), ==,
                     0);
}

static void test_bad_descriptors(void)
{
    QTestState *qts = stream_start("");
    uint32_t len = 32;
    bool eop = true;

    /* C2H: a buffer that is not whole stream beats. */
    desc_write(qts, C2H_DESC, LAST_FLAGS, 12, WB_ADDR, C2H_BUF, 0);
    assert_fails(qts, true, C2H_DESC, XDMA_STAT_INVALID_LENGTH);
    /* C2H: length 0, bad magic. */
    desc_write(qts, C2H_DESC, LAST_FLAGS, 0, WB_ADDR, C2H_BUF, 0);
    assert_fails(qts, true, C2H_DESC, XDMA_STAT_INVALID_LENGTH);
    desc_write_control(qts, C2H_DESC, 0x12340000 | LAST_FLAGS, 64, WB_ADDR,
                       C2H_BUF, 0);
    assert_fails(qts, true, C2H_DESC, XDMA_STAT_MAGIC_STOPPED);
    /* C2H: writeback or buffer in the board's own BAR, a wrapping buffer. */
    desc_write(qts, C2H_DESC, LAST_FLAGS, 64, DMA_BAR, C2H_BUF, 0);
    assert_fails(qts, true, C2H_DESC, XDMA_STAT_WRITE_ERROR_DECERR);
    desc_write(qts, C2H_DESC, LAST_FLAGS, 64, WB_ADDR, USER_BAR, 0);
    assert_fails(qts, true, C2H_DESC, XDMA_STAT_WRITE_ERROR_DECERR);
    desc_write(qts, C2H_DESC, LAST_FLAGS, 64, WB_ADDR, UINT64_MAX - 31, 0);
    assert_fails(qts, true, C2H_DESC, XDMA_STAT_WRITE_ERROR_DECERR);
    /* C2H: an unaligned descriptor. */
    assert_fails(qts, true, C2H_DESC + 8, XDMA_STAT_DESC_ERROR_UR);

    /* H2C: source in the board's own BAR or wrapping, length 0. */
    desc_write(qts, DESC_ADDR, LAST_FLAGS | XDMA_DESC_EOP, len, USER_BAR, 0,
               0);
    assert_fails(qts, false, DESC_ADDR, XDMA_STAT_READ_ERROR_UR);
    desc_write(qts, DESC_ADDR, LAST_FLAGS | XDMA_DESC_EOP, len,
               UINT64_MAX - 15, 0, 0);
    assert_fails(qts, false, DESC_ADDR, XDMA_STAT_READ_ERROR_UR);
    desc_write(qts, DESC_ADDR, LAST_FLAGS | XDMA_DESC_EOP, 0, DATA_ADDR, 0,
               0);
    assert_fails(qts, false, DESC_ADDR, XDMA_STAT_INVALID_LENGTH);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_H2C_BYTES), ==, 0);

    /* The channels still work. */
    fill(qts, DATA_ADDR, len, 7);
    h2c_chain(qts, &len, &eop, 1);
    chan_clear_status(qts, false, 0);
    g_assert_cmphex(run(qts, false, DESC_ADDR) & XDMA_STAT_ERRORS, ==, 0);
    c2h_chain(qts, 64, 1);
    chan_clear_status(qts, true, 0);
    g_assert_cmphex(run(qts, true, C2H_DESC) & XDMA_STAT_ERRORS, ==, 0);
    assert_wb(qts, 0, len, true);
    qtest_quit(qts);
}

/* ---- descriptor credits -------------------------------------------------- */

static void test_credits(void)
{
    QTestState *qts = stream_start("");
    static const uint32_t len[] = { 16, 16, 16 };
    static const bool eop[] = { true, true, true };
    unsigned credit = XDMA_SGDMA_CREDIT_MODE;

    /* Out of credit mode a channel keeps no credits. */
    sgdma_write(qts, true, 0, XDMA_SGDMA_DESC_CREDIT, 5);
    g_assert_cmpuint(sgdma_read(qts, true, 0, XDMA_SGDMA_DESC_CREDIT), ==, 0);

    fill(qts, DATA_ADDR, 48, 8);
    h2c_chain(qts, len, eop, 3);
    run(qts, false, DESC_ADDR);

    board_dma_write(qts, XDMA_SGDMA_COMMON_BASE + XDMA_SGDMA_CREDIT_MODE_W1S,
                    XDMA_CREDIT_MODE_C2H(0));
    g_assert_cmphex(board_dma_read(qts, XDMA_SGDMA_COMMON_BASE + credit), ==,
                    XDMA_CREDIT_MODE_C2H(0));
    c2h_chain(qts, 64, 3);
    chan_start(qts, true, 0, C2H_DESC, 0, CTRL_LOG_ALL);
    /* No credit: nothing fetched. */
    assert_stalled(qts, true, 0);
    sgdma_write(qts, true, 0, XDMA_SGDMA_DESC_CREDIT, 1);
    while (chan_read(qts, true, 0, XDMA_CHAN_COMPLETED_DESC) < 1) {
        /* each read is a main-loop turn */
    }
    assert_stalled(qts, true, 1);
    g_assert_cmpuint(sgdma_read(qts, true, 0, XDMA_SGDMA_DESC_CREDIT), ==, 0);
    sgdma_write(qts, true, 0, XDMA_SGDMA_DESC_CREDIT, 2);
    g_assert_cmphex(chan_wait_idle(qts, true, 0, 0) & STAT_DONE, ==,
                    STAT_DONE);
    g_assert_cmpuint(chan_read(qts, true, 0, XDMA_CHAN_COMPLETED_DESC), ==,
                     3);
    assert_wb(qts, 2, 16, true);

    /* Credits saturate at 10 bits and clear when RUN falls. */
    chan_start(qts, true, 0, C2H_DESC, 0, CTRL_LOG_ALL);
    sgdma_write(qts, true, 0, XDMA_SGDMA_DESC_CREDIT, XDMA_CREDIT_MAX);
    sgdma_write(qts, true, 0, XDMA_SGDMA_DESC_CREDIT, XDMA_CREDIT_MAX);
    g_assert_cmpuint(sgdma_read(qts, true, 0, XDMA_SGDMA_DESC_CREDIT), <=,
                     XDMA_CREDIT_MAX);
    g_assert_cmpuint(sgdma_read(qts, true, 0, XDMA_SGDMA_DESC_CREDIT), >=,
                     XDMA_CREDIT_MAX - 1);
    chan_write(qts, true, 0, XDMA_CHAN_CONTROL, 0);
    g_assert_cmpuint(sgdma_read(qts, true, 0, XDMA_SGDMA_DESC_CREDIT), ==, 0);

    /* Credit mode off: a waiting engine goes on without credits. */
    board_dma_write(qts, XDMA_SGDMA_COMMON_BASE + XDMA_SGDMA_CREDIT_MODE_W1S,
                    XDMA_CREDIT_MODE_H2C(0));
    desc_write(qts, DESC_ADDR, LAST_FLAGS | XDMA_DESC_EOP, 16, DATA_ADDR, 0,
               0);
    chan_start(qts, false, 0, DESC_ADDR, 0, CTRL_LOG_ALL);
    assert_stalled(qts, false, 0);
    board_dma_write(qts, XDMA_SGDMA_COMMON_BASE + XDMA_SGDMA_CREDIT_MODE_W1C,
                    XDMA_CREDIT_MODE_H2C(0));
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0) & STAT_DONE, ==,
                    STAT_DONE);
    g_assert_cmphex(board_dma_read(qts, XDMA_SGDMA_COMMON_BASE + credit), ==,
                    XDMA_CREDIT_MODE_C2H(0));
    qtest_quit(qts);
}

/* Credits hold a memory-mapped channel the same way. */
static void test_credits_mm(void)
{
    QTestState *qts = stream_start("");

    fill(qts, DATA_ADDR, 64, 2);
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 64, DATA_ADDR, 0, 0);
    board_dma_write(qts, XDMA_SGDMA_COMMON_BASE + XDMA_SGDMA_CREDIT_MODE,
                    XDMA_CREDIT_MODE_H2C(1));
    chan_start(qts, false, 1, DESC_ADDR, 0, CTRL_LOG_ALL);
    g_assert_cmphex(chan_read(qts, false, 1, XDMA_CHAN_STATUS) &
                    XDMA_STAT_BUSY, ==, XDMA_STAT_BUSY);
    g_assert_cmpuint(chan_read(qts, false, 1, XDMA_CHAN_COMPLETED_DESC), ==,
                     0);
    sgdma_write(qts, false, 1, XDMA_SGDMA_DESC_CREDIT, 1);
    g_assert_cmphex(chan_wait_idle(qts, false, 1, 0) & STAT_DONE, ==,
                    STAT_DONE);
    qtest_quit(qts);
}

/* ---- the packet generator ------------------------------------------------ */

static void assert_gen_packet(QTestState *qts, unsigned i, uint32_t n,
                              uint32_t size)
{
    g_autofree uint8_t *buf = g_malloc(size);
    uint32_t k;

    qtest_memread(qts, C2H_BUF + i * 128, buf, size);
    for (k = 0; k < size; k++) {
        g_assert_cmphex(buf[k], ==, (uint8_t)(n + k));
    }
}

static void test_generator(void)
{
    QTestState *qts = stream_start("");
    unsigned i;

    board_user_write(qts, VFPGA_STREAM_GEN_SIZE, 100);
    board_user_write(qts, VFPGA_STREAM_GEN_COUNT, 3);
    board_user_write(qts, VFPGA_STREAM_CTRL, VFPGA_STREAM_CTRL_GEN);
    c2h_chain(qts, 128, 4);
    chan_start(qts, true, 0, C2H_DESC, 0, CTRL_LOG_ALL);
    /* Three packets, then no more data: the fourth descriptor waits. */
    while (chan_read(qts, true, 0, XDMA_CHAN_COMPLETED_DESC) < 3) {
        /* each read is a main-loop turn */
    }
    assert_stalled(qts, true, 3);
    for (i = 0; i < 3; i++) {
        assert_wb(qts, i, 100, true);
        assert_gen_packet(qts, i, i, 100);
    }
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_GEN_SENT), ==, 3);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_GEN_BACKPRESSURE), ==,
                     0);
    chan_write(qts, true, 0, XDMA_CHAN_CONTROL, 0);
    qtest_quit(qts);
}

/*
 * Paced at 1000 packets/s with no C2H descriptor for 10 ms: the first
 * packet waits, the four after it are dropped and counted; the next C2H
 * run takes packet 0.
 */
static void test_generator_paced(void)
{
    QTestState *qts = stream_start("");

    board_user_write(qts, VFPGA_STREAM_GEN_SIZE, 64);
    board_user_write(qts, VFPGA_STREAM_GEN_COUNT, 5);
    board_user_write(qts, VFPGA_STREAM_GEN_RATE, 1000);
    board_user_write(qts, VFPGA_STREAM_CTRL, VFPGA_STREAM_CTRL_GEN);
    qtest_clock_step(qts, 10 * 1000 * 1000);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_GEN_BACKPRESSURE), ==,
                     4);
    c2h_chain(qts, 128, 1);
    g_assert_cmphex(run(qts, true, C2H_DESC) & XDMA_STAT_ERRORS, ==, 0);
    assert_wb(qts, 0, 64, true);
    assert_gen_packet(qts, 0, 0, 64);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_GEN_SENT), ==, 1);

    /* Taken as they come, none is dropped. */
    board_user_write(qts, VFPGA_STREAM_CTRL, 0);
    board_user_write(qts, VFPGA_STREAM_CTRL, VFPGA_STREAM_CTRL_GEN);
    c2h_chain(qts, 128, 5);
    chan_start(qts, true, 0, C2H_DESC, 0, CTRL_LOG_ALL);
    chan_wait_idle(qts, true, 0, 100 * 1000);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_GEN_SENT), ==, 5);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_GEN_BACKPRESSURE), ==,
                     0);
    assert_gen_packet(qts, 4, 4, 64);
    qtest_quit(qts);
}

/* boards/streaming.board (from $VFPGA_BOARDS_DIR) as a property list. */
static char *streaming_preset_props(void)
{
    const char *dir = g_getenv("VFPGA_BOARDS_DIR");
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GString *props = g_string_new("");
    unsigned i;

    g_assert_nonnull(dir);
    path = g_strdup_printf("%s/streaming.board", dir);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        g_strstrip(lines[i]);
        if (lines[i][0] && lines[i][0] != '#') {
            g_string_append_printf(props, ",%s", lines[i]);
        }
    }
    return g_string_free(props, false);
}

/*
 * The streaming preset boots as docs/boards.md says: channel 0 of each
 * direction a stream, channel 1 memory-mapped, the loopback working.
 */
static void test_preset(void)
{
    g_autofree char *props = streaming_preset_props();
    QTestState *qts;
    uint32_t len = 1000;
    bool eop = true;

    g_test_message("streaming:%s", props);
    qts = qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0%s", props);
    board_setup(qts, BOARD_BDF);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_IDENTIFIER), ==,
                    0x1fc08006);
    g_assert_cmphex(chan_read(qts, true, 0, XDMA_CHAN_IDENTIFIER), ==,
                    0x1fc18006);
    g_assert_cmphex(chan_read(qts, false, 1, XDMA_CHAN_IDENTIFIER), ==,
                    0x1fc00106);
    g_assert_cmphex(chan_read(qts, true, 1, XDMA_CHAN_IDENTIFIER), ==,
                    0x1fc10106);
    g_assert_cmphex(chan_read(qts, false, 2, XDMA_CHAN_IDENTIFIER), ==, 0);

    fill(qts, DATA_ADDR, len, 11);
    h2c_chain(qts, &len, &eop, 1);
    g_assert_cmphex(run(qts, false, DESC_ADDR) & XDMA_STAT_ERRORS, ==, 0);
    c2h_chain(qts, 1024, 1);
    g_assert_cmphex(run(qts, true, C2H_DESC) & XDMA_STAT_ERRORS, ==, 0);
    assert_wb(qts, 0, len, true);
    assert_filled(qts, C2H_BUF, len, 11, 0);

    /* Channel 1 is memory-mapped: H2C1 writes card memory. */
    desc_write(qts, DESC_ADDR, LAST_FLAGS, len, DATA_ADDR, 0x1000, 0);
    chan_start(qts, false, 1, DESC_ADDR, 0, CTRL_LOG_ALL);
    g_assert_cmphex(chan_wait_idle(qts, false, 1, 0) & XDMA_STAT_ERRORS, ==,
                    0);
    assert_filled(qts, CARD_BAR + 0x1000, len, 11, 0);
    qtest_quit(qts);
}

/* ---- reset and migration ------------------------------------------------- */

/* An FLR empties the FIFO and stops the generator. */
static void test_reset(void)
{
    QTestState *qts = stream_start("");
    uint32_t len = 40;
    bool eop = true;

    fill(qts, DATA_ADDR, len, 1);
    h2c_chain(qts, &len, &eop, 1);
    run(qts, false, DESC_ADDR);
    board_user_write(qts, VFPGA_STREAM_FIFO_LIMIT, 1024);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LEVEL), ==, len);
    board_flr(qts, BOARD_BDF, cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_EXP));
    board_setup(qts, BOARD_BDF);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LEVEL), ==, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_FIFO_LIMIT), ==,
                     VFPGA_STREAM_FIFO_MAX);
    g_assert_cmpuint(board_user_read(qts, VFPGA_STREAM_H2C_PACKETS), ==, 0);
    c2h_chain(qts, 64, 1);
    chan_start(qts, true, 0, C2H_DESC, 0, CTRL_LOG_ALL);
    assert_stalled(qts, true, 0);
    qtest_quit(qts);
}

/* Save @src to a file and load it into a new board of the same shape. */
static QTestState *stream_migrate(QTestState *src)
{
    g_autofree char *dir = g_dir_make_tmp("vfpga-stream-mig-XXXXXX", NULL);
    g_autofree char *file = g_strdup_printf("%s/state", dir);
    QTestState *dst;

    migrate_to_file(src, file);
    qtest_quit(src);
    dst = qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0,"
                      STREAM_PROPS " -incoming file:%s", file);
    g_assert_true(migrate_wait(dst));
    qtest_qmp_assert_success(dst, "{ 'execute': 'cont' }");
    unlink(file);
    rmdir(dir);
    return dst;
}

/*
 * Packets in flight migrate: the FIFO holds a whole packet and 500 bytes
 * of the next, whose H2C descriptor the FIFO's limit stalls.  On the
 * destination C2H takes both whole, and the stalled descriptor finishes
 * as soon as C2H makes room.
 */
static void test_migration_in_flight(void)
{
    QTestState *src = stream_start(""), *dst;
    uint32_t len[2] = { 1000, 800 };
    bool eop[2] = { true, true };

    board_user_write(src, VFPGA_STREAM_FIFO_LIMIT, 1500);
    fill(src, DATA_ADDR, 1800, 21);
    h2c_chain(src, len, eop, 2);
    chan_start(src, false, 0, DESC_ADDR, 0, CTRL_LOG_ALL);
    assert_stalled(src, false, 1);
    g_assert_cmpuint(board_user_read(src, VFPGA_STREAM_FIFO_LEVEL), ==, 1500);

    dst = stream_migrate(src);
    g_assert_cmpuint(board_user_read(dst, VFPGA_STREAM_FIFO_LEVEL), ==, 1500);
    g_assert_cmpuint(board_user_read(dst, VFPGA_STREAM_FIFO_LIMIT), ==, 1500);
    g_assert_cmpuint(board_user_read(dst, VFPGA_STREAM_H2C_PACKETS), ==, 1);
    assert_stalled(dst, false, 1);

    c2h_chain(dst, 1024, 2);
    g_assert_cmphex(run(dst, true, C2H_DESC) & XDMA_STAT_ERRORS, ==, 0);
    assert_wb(dst, 0, 1000, true);
    assert_wb(dst, 1, 800, true);
    assert_filled(dst, C2H_BUF, 1000, 21, 0);
    assert_filled(dst, C2H_BUF + 1024, 800, 21, 1000);
    g_assert_cmphex(chan_wait_idle(dst, false, 0, 0) & XDMA_STAT_ERRORS, ==,
                    0);
    g_assert_cmpuint(chan_read(dst, false, 0, XDMA_CHAN_COMPLETED_DESC), ==,
                     2);
    g_assert_cmpuint(board_user_read(dst, VFPGA_STREAM_FIFO_LEVEL), ==, 0);
    g_assert_cmpuint(board_user_read(dst, VFPGA_STREAM_H2C_PACKETS), ==, 2);
    qtest_quit(dst);
}

/*
 * The generator's run migrates: packet 0 of three waits for C2H on the
 * source; the destination's C2H gets all three, numbered on from there.
 */
static void test_migration_generator(void)
{
    QTestState *src = stream_start(""), *dst;
    unsigned i;

    board_user_write(src, VFPGA_STREAM_GEN_SIZE, 100);
    board_user_write(src, VFPGA_STREAM_GEN_COUNT, 3);
    board_user_write(src, VFPGA_STREAM_CTRL, VFPGA_STREAM_CTRL_GEN);
    /* Half of packet 0 taken: C2H's descriptor is closed full at 48. */
    c2h_chain(src, 48, 1);
    g_assert_cmphex(run(src, true, C2H_DESC) & XDMA_STAT_ERRORS, ==, 0);
    assert_wb(src, 0, 48, false);

    dst = stream_migrate(src);
    c2h_chain(dst, 128, 4);
    chan_start(dst, true, 0, C2H_DESC, 0, CTRL_LOG_ALL);
    while (chan_read(dst, true, 0, XDMA_CHAN_COMPLETED_DESC) < 3) {
        /* each read is a main-loop turn */
    }
    assert_stalled(dst, true, 3);
    /* The rest of packet 0: bytes 48 to 99. */
    assert_wb(dst, 0, 52, true);
    for (i = 0; i < 52; i++) {
        g_assert_cmphex(qtest_readb(dst, C2H_BUF + i), ==, (uint8_t)(48 + i));
    }
    for (i = 1; i < 3; i++) {
        assert_wb(dst, i, 100, true);
        assert_gen_packet(dst, i, i, 100);
    }
    g_assert_cmpuint(board_user_read(dst, VFPGA_STREAM_GEN_SENT), ==, 3);
    chan_write(dst, true, 0, XDMA_CHAN_CONTROL, 0);
    qtest_quit(dst);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/vfpga/stream/identity", test_identity);
    qtest_add_func("/vfpga/stream/refusals", test_refusals);
    qtest_add_func("/vfpga/stream/eop-placement", test_eop_placement);
    qtest_add_func("/vfpga/stream/packet-sizes", test_packet_sizes);
    qtest_add_func("/vfpga/stream/wb-disabled", test_wb_disabled);
    qtest_add_func("/vfpga/stream/backpressure-fifo",
                   test_backpressure_fifo);
    qtest_add_func("/vfpga/stream/backpressure-hold",
                   test_backpressure_hold);
    qtest_add_func("/vfpga/stream/c2h-no-data", test_c2h_no_data);
    qtest_add_func("/vfpga/stream/c2h-cancel-mid-packet",
                   test_c2h_cancel_mid_packet);
    qtest_add_func("/vfpga/stream/bad-descriptors", test_bad_descriptors);
    qtest_add_func("/vfpga/stream/credits", test_credits);
    qtest_add_func("/vfpga/stream/credits-mm", test_credits_mm);
    qtest_add_func("/vfpga/stream/generator", test_generator);
    qtest_add_func("/vfpga/stream/generator-paced", test_generator_paced);
    qtest_add_func("/vfpga/stream/preset", test_preset);
    qtest_add_func("/vfpga/stream/reset", test_reset);
    qtest_add_func("/vfpga/stream/migration-in-flight",
                   test_migration_in_flight);
    qtest_add_func("/vfpga/stream/migration-generator",
                   test_migration_generator);
    return g_test_run();
}
