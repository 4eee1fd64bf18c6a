/*
 * QTest: a vfpga DMA transfer in flight survives migration.
 *
 * The source starts a descriptor chain that the timing model makes take
 * virtual time, is stopped with the chain half done and migrated to a file;
 * the destination loads that file, continues, and must finish the chain
 * with every byte in card memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "vfpga-qtest.h"

#define DESC_LEN    (64 * 1024)
#define NR_DESC     4
/* 1 MB/s: each 64 KiB descriptor takes about 65 ms of virtual time. */
#define DEVICE_ARGS FW_ARGS " " \
                    "-machine q35 -device vfpga,addr=04.0,card-mem-size=1M," \
                    "dma-bandwidth-mbps=1"

static void test_dma_in_flight(void)
{
    g_autofree char *dir = g_dir_make_tmp("vfpga-migration-XXXXXX", NULL);
    g_autofree char *file = g_strdup_printf("%s/state", dir);
    g_autofree uint8_t *data = g_malloc(DESC_LEN * NR_DESC);
    g_autofree uint8_t *card = g_malloc(DESC_LEN * NR_DESC);
    g_autofree char *dst_args = NULL;
    QTestState *src, *dst;
    unsigned i;

    for (i = 0; i < DESC_LEN * NR_DESC; i++) {
        data[i] = i * 7 + (i >> 9);
    }

    src = qtest_init(DEVICE_ARGS);
    board_setup(src, BOARD_BDF);
    qtest_memwrite(src, DATA_ADDR, data, DESC_LEN * NR_DESC);
    for (i = 0; i < NR_DESC; i++) {
        desc_write(src, DESC_ADDR + i * sizeof(struct xdma_desc),
                   i == NR_DESC - 1 ? LAST_FLAGS : 0, DESC_LEN,
                   DATA_ADDR + i * DESC_LEN, i * DESC_LEN,
                   DESC_ADDR + (i + 1) * sizeof(struct xdma_desc));
    }
    chan_start(src, false, 0, DESC_ADDR, 0, XDMA_STAT_EVENTS);

    /* About 1.5 descriptors' worth of time: one done, one in flight. */
    qtest_clock_step(src, 100 * 1000 * 1000);
    /* Each access is a main-loop turn: the bottom half moves the first. */
    chan_read(src, false, 0, XDMA_CHAN_STATUS);
    chan_read(src, false, 0, XDMA_CHAN_STATUS);
    g_assert_cmpuint(chan_read(src, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    g_assert_cmphex(chan_read(src, false, 0, XDMA_CHAN_STATUS) &
                    XDMA_STAT_BUSY, ==, XDMA_STAT_BUSY);

    migrate_to_file(src, file);
    qtest_quit(src);

    dst_args = g_strdup_printf("%s -incoming file:%s", DEVICE_ARGS, file);
    dst = qtest_init(dst_args);
    g_assert_true(migrate_wait(dst));
    qtest_qmp_assert_success(dst, "{ 'execute': 'cont' }");

    /* The chain was not restarted: it continues where it stood. */
    g_assert_cmpuint(chan_read(dst, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    /*
     * A descriptor's time only schedules the engine's bottom half, which
     * runs when the main loop turns: step the clock in turns.
     */
    for (i = 0; i < 100 &&
         chan_read(dst, false, 0, XDMA_CHAN_COMPLETED_DESC) < NR_DESC; i++) {
        qtest_clock_step(dst, 10 * 1000 * 1000);
    }
    g_assert_cmpuint(chan_read(dst, false, 0, XDMA_CHAN_COMPLETED_DESC), ==,
                     NR_DESC);
    g_assert_cmphex(chan_read(dst, false, 0, XDMA_CHAN_STATUS), ==, STAT_DONE);
    qtest_memread(dst, CARD_BAR, card, DESC_LEN * NR_DESC);
    g_assert(memcmp(card, data, DESC_LEN * NR_DESC) == 0);
    qtest_quit(dst);

    unlink(file);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/vfpga/migration/dma-in-flight", test_dma_in_flight);
    return g_test_run();
}
