/*
 * QTest: the stuck-busy fault (VFPGA_FAULT_STUCK_BUSY, fault-stuck-busy).
 *
 * Armed through the FAULT register or the QOM property, it fires on the
 * next turn of a running engine: that channel keeps STATUS.BUSY set,
 * moves nothing, raises no event and ignores RUN being cleared or set
 * again, while the other channels work; only a reset of the board (FLR
 * here) frees it.  A wedged channel migrates wedged.
 *
 * No firmware runs under qtest: the test programs the BARs itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"

#define MACHINE     "-machine q35 -nodefaults -m 64M " FW_ARGS " "

/* Register reads (main-loop turns) a run may take, or a wedge is given. */
#define TURNS       2000

static QTestState *machine_start(const char *extra)
{
    QTestState *qts = qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0"
                                  ",card-mem-size=1M %s", extra);

    board_setup(qts, BOARD_BDF);
    return qts;
}

/* The destination of a migration: the board as the source had it. */
static QTestState *machine_start_incoming(const char *incoming)
{
    return qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0"
                       ",card-mem-size=1M %s", incoming);
}

/* The channel stays BUSY with nothing logged for as long as we look. */
static void chan_assert_wedged(QTestState *qts, bool c2h, unsigned index)
{
    unsigned i;

    for (i = 0; i < TURNS; i++) {
        g_assert_cmphex(chan_read(qts, c2h, index, XDMA_CHAN_STATUS), ==,
                        XDMA_STAT_BUSY);
    }
    g_assert_cmpuint(chan_read(qts, c2h, index, XDMA_CHAN_COMPLETED_DESC),
                     ==, 0);
}

/* BUSY and no progress past @done for as long as we look. */
static void chan_assert_busy_for_long(QTestState *qts, bool c2h,
                                      unsigned index, uint32_t done)
{
    unsigned i;

    for (i = 0; i < TURNS; i++) {
        g_assert_cmphex(chan_read(qts, c2h, index, XDMA_CHAN_STATUS) &
                        XDMA_STAT_BUSY, ==, XDMA_STAT_BUSY);
    }
    g_assert_cmpuint(chan_read(qts, c2h, index, XDMA_CHAN_COMPLETED_DESC),
                     ==, done);
}

/* 4 KiB of @seed's pattern at DATA_ADDR, a descriptor to card @card. */
static void h2c_prepare(QTestState *qts, uint64_t desc, uint64_t card,
                        uint8_t seed)
{
    uint8_t buf[4096];
    unsigned i;

    for (i = 0; i < sizeof(buf); i++) {
        buf[i] = seed + i * 7;
    }
    qtest_memwrite(qts, DATA_ADDR, buf, sizeof(buf));
    desc_write(qts, desc, LAST_FLAGS, sizeof(buf), DATA_ADDR, card, 0);
}

static void card_assert(QTestState *qts, uint64_t card, uint8_t seed,
                        bool written)
{
    uint8_t buf[4096];
    unsigned i;

    qtest_memread(qts, CARD_BAR + card, buf, sizeof(buf));
    for (i = 0; i < sizeof(buf); i++) {
        g_assert_cmphex(buf[i], ==, written ? (uint8_t)(seed + i * 7) : 0);
    }
}

/* FLR, then the BARs mapped again. */
static void board_reset(QTestState *qts)
{
    board_flr(qts, BOARD_BDF, cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_EXP));
    board_setup(qts, BOARD_BDF);
}

static bool qom_get_armed(QTestState *qts)
{
    return board_qom_get_bool(qts, "fault-stuck-busy");
}

static void fault_arm(QTestState *qts, bool qom)
{
    if (qom) {
        board_qom_set_bool(qts, "fault-stuck-busy", true);
    } else {
        board_user_write(qts, VFPGA_USER_FAULT, VFPGA_FAULT_STUCK_BUSY);
    }
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==,
                    VFPGA_FAULT_STUCK_BUSY);
    g_assert(qom_get_armed(qts));
}

/*
 * Armed, the next channel started wedges before it moves a byte: RUN
 * cleared or set again changes nothing, another channel works, and an
 * FLR frees it.
 */
static void test_stuck_busy(const void *opaque)
{
    bool qom = *(const bool *)opaque;
    QTestState *qts = machine_start("");

    fault_arm(qts, qom);
    h2c_prepare(qts, DESC_ADDR, 0, 0x11);
    chan_start(qts, false, 0, DESC_ADDR, 0, XDMA_STAT_EVENTS);
    chan_assert_wedged(qts, false, 0);
    /* It fired once: disarmed, as every one-shot fault. */
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==, 0);
    g_assert(!qom_get_armed(qts));
    card_assert(qts, 0, 0x11, false);

    /* Clearing RUN, as a driver's stop does: still busy, no IDLE_STOPPED. */
    chan_write(qts, false, 0, XDMA_CHAN_CONTROL_W1C, XDMA_CTRL_RUN);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_CONTROL) &
                    XDMA_CTRL_RUN, ==, 0);
    chan_assert_wedged(qts, false, 0);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS_RC), ==,
                    XDMA_STAT_BUSY);
    /* Setting it again starts nothing. */
    chan_start(qts, false, 0, DESC_ADDR, 0, XDMA_STAT_EVENTS);
    chan_assert_wedged(qts, false, 0);
    card_assert(qts, 0, 0x11, false);

    /* The other channels are not wedged. */
    h2c_prepare(qts, DESC_ADDR + 0x1000, 0x10000, 0x22);
    chan_start(qts, false, 1, DESC_ADDR + 0x1000, 0, XDMA_STAT_EVENTS);
    g_assert_cmphex(chan_wait_idle(qts, false, 1, 0), ==, STAT_DONE);
    card_assert(qts, 0x10000, 0x22, true);
    chan_assert_wedged(qts, false, 0);

    /* A reset frees it; the same chain then runs. */
    board_reset(qts);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==, 0);
    h2c_prepare(qts, DESC_ADDR, 0, 0x33);
    chan_start(qts, false, 0, DESC_ADDR, 0, XDMA_STAT_EVENTS);
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0), ==, STAT_DONE);
    card_assert(qts, 0, 0x33, true);
    qtest_quit(qts);
}

/*
 * Armed while a cyclic C2H ring runs (as Linux's cyclic DMA builds, it
 * never stops by itself), the running engine wedges at its next turn:
 * its completed count stops where it stood and clearing RUN no longer
 * stops it.
 */
static void test_stuck_busy_running(void)
{
    QTestState *qts = machine_start("");
    uint32_t done;
    unsigned i;

    for (i = 0; i < 4; i++) {
        desc_write(qts, DESC_ADDR + i * sizeof(struct xdma_desc),
                   XDMA_DESC_COMPLETED, 64 * KiB, i * 64 * KiB,
                   DATA_ADDR + i * 64 * KiB,
                   DESC_ADDR + ((i + 1) % 4) * sizeof(struct xdma_desc));
    }
    chan_start(qts, true, 0, DESC_ADDR, 0, XDMA_STAT_EVENTS);
    for (i = 0; i < TURNS &&
         chan_read(qts, true, 0, XDMA_CHAN_COMPLETED_DESC) < 8; i++) {
    }
    g_assert_cmpuint(chan_read(qts, true, 0, XDMA_CHAN_COMPLETED_DESC), >=, 8);

    board_user_write(qts, VFPGA_USER_FAULT, VFPGA_FAULT_STUCK_BUSY);
    done = chan_read(qts, true, 0, XDMA_CHAN_COMPLETED_DESC);
    for (i = 0; i < TURNS; i++) {
        g_assert_cmphex(chan_read(qts, true, 0, XDMA_CHAN_STATUS) &
                        XDMA_STAT_BUSY, ==, XDMA_STAT_BUSY);
    }
    g_assert_cmpuint(chan_read(qts, true, 0, XDMA_CHAN_COMPLETED_DESC), ==,
                     done);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==, 0);

    /* The ring's events stay logged, but RUN cleared adds no IDLE_STOPPED. */
    chan_write(qts, true, 0, XDMA_CHAN_CONTROL_W1C, XDMA_CTRL_RUN);
    g_assert_cmphex(chan_read(qts, true, 0, XDMA_CHAN_STATUS_RC), ==,
                    XDMA_STAT_BUSY | XDMA_STAT_DESC_COMPLETED);
    chan_assert_busy_for_long(qts, true, 0, done);
    qtest_quit(qts);
}

/* A wedged channel migrates wedged, and the destination loads it. */
static void test_stuck_busy_migrates(void)
{
    g_autofree char *dir = g_dir_make_tmp("vfpga-stuck-XXXXXX", NULL);
    g_autofree char *file = g_strdup_printf("%s/state", dir);
    g_autofree char *incoming = g_strdup_printf("-incoming file:%s", file);
    QTestState *src = machine_start(""), *dst;

    board_user_write(src, VFPGA_USER_FAULT, VFPGA_FAULT_STUCK_BUSY);
    h2c_prepare(src, DESC_ADDR, 0, 0x44);
    chan_start(src, false, 0, DESC_ADDR, 0, XDMA_STAT_EVENTS);
    chan_assert_wedged(src, false, 0);
    chan_write(src, false, 0, XDMA_CHAN_CONTROL_W1C, XDMA_CTRL_RUN);

    migrate_to_file(src, file);
    qtest_quit(src);

    dst = machine_start_incoming(incoming);
    g_assert_true(migrate_wait(dst));
    qtest_qmp_assert_success(dst, "{ 'execute': 'cont' }");
    chan_assert_wedged(dst, false, 0);
    card_assert(dst, 0, 0x44, false);
    board_reset(dst);
    g_assert_cmphex(chan_read(dst, false, 0, XDMA_CHAN_STATUS), ==, 0);
    qtest_quit(dst);

    unlink(file);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    static const bool no = false, yes = true;

    g_test_init(&argc, &argv, NULL);
    qtest_add_data_func("/vfpga/stuck-busy/register", &no, test_stuck_busy);
    qtest_add_data_func("/vfpga/stuck-busy/qom", &yes, test_stuck_busy);
    qtest_add_func("/vfpga/stuck-busy/running", test_stuck_busy_running);
    qtest_add_func("/vfpga/stuck-busy/migrates", test_stuck_busy_migrates);
    return g_test_run();
}
