/*
 * QTest: the board's DMA and interrupts cannot run device code.
 *
 * Descriptor fetches, data and writebacks are memory-only: aimed at PCIe
 * config space (ECAM), the LAPIC or the board's own registers they fail
 * as DMA errors instead of resetting the board or clearing RUN inside a
 * transfer.  The timed engine and the interrupt generator's timer run
 * under the device's re-entrancy guard, the timed engine in 1 MiB slices,
 * and a cyclic ring runs until RUN is cleared.
 *
 * No firmware runs under qtest: the test programs the BARs and the q35
 * MMCONFIG window itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"

#define LAPIC_ADDR  0xfee00000ull

/* How many register reads (main-loop turns) a ring may take to get going. */
#define MAX_TURNS   20000

/* Boot q35 with the board at 00:04.0, its BARs and MMCONFIG mapped. */
static QTestState *machine_start(const char *props)
{
    QTestState *qts = qtest_initf("-machine q35 -nodefaults -m 256M " FW_ARGS
                                  " -device vfpga,addr=04.0%s%s",
                                  *props ? "," : "", props);

    ecam_enable(qts);
    g_assert_cmphex(qtest_readl(qts, ECAM(SLOT, PCI_VENDOR_ID)) & 0xffff, ==,
                    VFPGA_PCI_VENDOR_ID);
    board_setup(qts, BOARD_BDF);
    return qts;
}

/* Start channel 0 of a direction at @desc with every event logged. */
static void chan0_start(QTestState *qts, bool c2h, uint64_t desc,
                        uint32_t control)
{
    chan_start(qts, c2h, 0, desc, 0, XDMA_STAT_EVENTS | control);
}

/*
 * A C2H descriptor aimed at the board's own Device Control in ECAM, with
 * Initiate FLR set in the data: a DMA error, not a reset inside the
 * transfer that then completes into the reset state.
 */
static void test_c2h_into_own_flr(void)
{
    QTestState *qts = machine_start("card-mem-size=1M");
    unsigned exp = cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_EXP);

    g_assert(exp);
    board_user_write(qts, VFPGA_USER_SCRATCH, 0x5ca7c4);
    qtest_writel(qts, CARD_BAR, PCI_EXP_DEVCTL_BCR_FLR);
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 4, 0,
               ECAM(SLOT, exp + PCI_EXP_DEVCTL), 0);
    chan0_start(qts, true, DESC_ADDR, 0);
    g_assert_cmphex(chan_wait_idle(qts, true, 0, 0), ==,
                    XDMA_STAT_WRITE_ERROR_DECERR);
    g_assert_cmpuint(chan_read(qts, true, 0, XDMA_CHAN_COMPLETED_DESC), ==, 0);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_SCRATCH), ==, 0x5ca7c4);
    g_assert_cmphex(cfg_readl(qts, BOARD_BDF, PCI_COMMAND) &
                    PCI_COMMAND_MASTER, ==, PCI_COMMAND_MASTER);
    qtest_quit(qts);
}

/* Writing the LAPIC's MSI window is not memory: a write error. */
static void test_c2h_into_lapic(void)
{
    QTestState *qts = machine_start("card-mem-size=1M");

    qtest_writel(qts, CARD_BAR, 0x41);
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 4, 0, LAPIC_ADDR, 0);
    chan0_start(qts, true, DESC_ADDR, 0);
    g_assert_cmphex(chan_wait_idle(qts, true, 0, 0), ==,
                    XDMA_STAT_WRITE_ERROR_DECERR);
    qtest_quit(qts);
}

/* Reading config space through ECAM is not memory either. */
static void test_h2c_from_ecam(void)
{
    QTestState *qts = machine_start("card-mem-size=1M");

    qtest_writel(qts, CARD_BAR, 0);
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 4, ECAM(0, PCI_VENDOR_ID), 0, 0);
    chan0_start(qts, false, DESC_ADDR, 0);
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0), ==,
                    XDMA_STAT_READ_ERROR_UR);
    g_assert_cmphex(qtest_readl(qts, CARD_BAR), ==, 0);
    qtest_quit(qts);
}

/* A descriptor "in" config space cannot be fetched. */
static void test_desc_in_ecam(void)
{
    QTestState *qts = machine_start("card-mem-size=1M");

    chan0_start(qts, false, ECAM(SLOT, 0), 0);
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0), ==,
                    XDMA_STAT_DESC_ERROR_UR);
    qtest_quit(qts);
}

/*
 * The stray-DMA fault (the viommu lane's IOMMU test) sends one
 * descriptor's host side to VFPGA_FAULT_STRAY_ADDR instead: an H2C reads
 * that page, not its source, and a C2H writes it, not its destination.
 * The fault then disarms itself; the next descriptor is the guest's own.
 */
static void test_stray_dma(void)
{
    QTestState *qts = machine_start("card-mem-size=1M");
    uint32_t v;

    qtest_writel(qts, VFPGA_FAULT_STRAY_ADDR, 0x57a7);
    qtest_writel(qts, DATA_ADDR, 0x0a7a);
    board_user_write(qts, VFPGA_USER_FAULT, VFPGA_FAULT_DMA_STRAY);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==,
                    VFPGA_FAULT_DMA_STRAY);
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 4, DATA_ADDR, 0, 0);
    chan0_start(qts, false, DESC_ADDR, 0);
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0), ==, STAT_DONE);
    g_assert_cmphex(qtest_readl(qts, CARD_BAR), ==, 0x57a7);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==, 0);

    /* Disarmed: the same descriptor now reads its own source. */
    chan0_start(qts, false, DESC_ADDR, 0);
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0), ==, STAT_DONE);
    g_assert_cmphex(qtest_readl(qts, CARD_BAR), ==, 0x0a7a);

    /* C2H: the card's word lands on the stray page, not at DATA_ADDR. */
    qtest_writel(qts, CARD_BAR, 0xc2c2);
    qtest_writel(qts, DATA_ADDR, 0);
    board_user_write(qts, VFPGA_USER_FAULT, VFPGA_FAULT_DMA_STRAY);
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 4, 0, DATA_ADDR, 0);
    chan0_start(qts, true, DESC_ADDR, 0);
    g_assert_cmphex(chan_wait_idle(qts, true, 0, 0), ==, STAT_DONE);
    v = qtest_readl(qts, VFPGA_FAULT_STRAY_ADDR);
    g_assert_cmphex(v, ==, 0xc2c2);
    g_assert_cmphex(qtest_readl(qts, DATA_ADDR), ==, 0);
    qtest_quit(qts);
}

/*
 * The timed engine's poll-mode writeback aimed at its own CONTROL_W1C:
 * the count 1 would clear RUN from inside the engine.  It is a failed
 * writeback, and the chain completes.
 */
static void test_writeback_own_control_timed(void)
{
    QTestState *qts =
        machine_start("card-mem-size=1M,dma-desc-latency-ns=1000");
    uint64_t w1c = DMA_BAR + chan_offset(false, 0, XDMA_CHAN_CONTROL_W1C);

    chan_write(qts, false, 0, XDMA_CHAN_POLL_WB_LO, w1c);
    chan_write(qts, false, 0, XDMA_CHAN_POLL_WB_HI, w1c >> 32);
    desc_write(qts, DESC_ADDR, XDMA_DESC_COMPLETED, 16, DATA_ADDR, 0,
               DESC_ADDR + 32);
    desc_write(qts, DESC_ADDR + 32, LAST_FLAGS, 16, DATA_ADDR, 16, 0);
    chan0_start(qts, false, DESC_ADDR, XDMA_CTRL_POLL_MODE_WB);
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 1000), ==, STAT_DONE);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 2);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_CONTROL) & XDMA_CTRL_RUN,
                    ==, XDMA_CTRL_RUN);
    qtest_quit(qts);
}

/*
 * Point MSI-X vector 0 at @addr with @data, enable MSI-X and send user
 * line 0 to vector 0.
 */
static void board_msix_vector0(QTestState *qts, uint64_t addr, uint32_t data)
{
    msix_enable(qts, BOARD_BDF);
    msix_vector_set(qts, 0, addr, data);
    irq_map_user_line(qts, 0, 0);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 1);
}

/*
 * The paced generator's message aimed at its own IRQGEN_CTRL with STOP:
 * raised from the generator's timer it would stop the generator from
 * inside the raise.  Under the re-entrancy guard the message is dropped
 * and the run goes on.
 */
static void test_irqgen_msg_own_stop(void)
{
    QTestState *qts = machine_start("card-mem-size=1M");
    const uint32_t busy_pending = VFPGA_IRQGEN_STATUS_BUSY |
                                  VFPGA_IRQGEN_STATUS_PENDING;
    unsigned i;

    board_msix_vector0(qts, USER_BAR + VFPGA_IRQGEN_CTRL,
                       VFPGA_IRQGEN_CTRL_STOP);
    board_user_write(qts, VFPGA_IRQGEN_LINE, 0);
    board_user_write(qts, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    board_user_write(qts, VFPGA_IRQGEN_RATE, 1000);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 3);
    board_user_write(qts, VFPGA_IRQGEN_QUEUE_DEPTH, 0);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmphex(board_user_read(qts, VFPGA_IRQGEN_STATUS), ==,
                    busy_pending);
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);

    /* Beat 1 falls due at 1 ms: raised by the timer's work. */
    for (i = 0; i < 20; i++) {
        qtest_clock_step(qts, 100 * 1000);
        board_user_read(qts, VFPGA_USER_ID);
    }
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_RAISED), ==, 2);
    g_assert_cmphex(board_user_read(qts, VFPGA_IRQGEN_STATUS), ==,
                    busy_pending);
    qtest_quit(qts);
}

/*
 * A 16 MiB timed descriptor moves in 1 MiB slices, one per main-loop
 * turn, after its time is up: never in one go inside the clock's step.
 */
static void test_timed_slice(void)
{
    QTestState *qts =
        machine_start("card-mem-size=16M,dma-desc-latency-ns=1000");

    desc_write(qts, DESC_ADDR, LAST_FLAGS, 16 * MiB, DATA_ADDR, 0, 0);
    chan0_start(qts, false, DESC_ADDR, 0);
    chan_read(qts, false, 0, XDMA_CHAN_STATUS);
    chan_read(qts, false, 0, XDMA_CHAN_STATUS);
    qtest_clock_step(qts, 10 * 1000);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 0);
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0), ==, STAT_DONE);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    qtest_quit(qts);
}

/*
 * A ring that never ends, as Linux's xdma_prep_dma_cyclic builds: it
 * runs past dma-max-chain descriptors until RUN is cleared, which stops
 * it with IDLE_STOPPED and no error.
 */
static void test_cyclic_ring(void)
{
    QTestState *qts = machine_start("card-mem-size=1M,dma-max-chain=1000");
    uint32_t st;
    unsigned i;

    desc_write(qts, DESC_ADDR, XDMA_DESC_COMPLETED, 64, DATA_ADDR, 0,
               DESC_ADDR + 32);
    desc_write(qts, DESC_ADDR + 32, XDMA_DESC_COMPLETED, 64, DATA_ADDR, 64,
               DESC_ADDR);
    chan0_start(qts, false, DESC_ADDR, 0);
    for (i = 0; i < MAX_TURNS; i++) {
        if (chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC) > 5000) {
            break;
        }
    }
    st = chan_read(qts, false, 0, XDMA_CHAN_STATUS);
    g_assert_cmphex(st, ==, XDMA_STAT_BUSY | XDMA_STAT_DESC_COMPLETED);
    chan_write(qts, false, 0, XDMA_CHAN_CONTROL_W1C, XDMA_CTRL_RUN);
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0), ==,
                    XDMA_STAT_DESC_COMPLETED | XDMA_STAT_IDLE_STOPPED);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    qtest_add_func("/vfpga/dma-safety/c2h-into-own-flr",
                   test_c2h_into_own_flr);
    qtest_add_func("/vfpga/dma-safety/c2h-into-lapic", test_c2h_into_lapic);
    qtest_add_func("/vfpga/dma-safety/h2c-from-ecam", test_h2c_from_ecam);
    qtest_add_func("/vfpga/dma-safety/desc-in-ecam", test_desc_in_ecam);
    qtest_add_func("/vfpga/dma-safety/writeback-own-control-timed",
                   test_writeback_own_control_timed);
    qtest_add_func("/vfpga/dma-safety/irqgen-msg-own-stop",
                   test_irqgen_msg_own_stop);
    qtest_add_func("/vfpga/dma-safety/stray-dma", test_stray_dma);
    qtest_add_func("/vfpga/dma-safety/timed-slice", test_timed_slice);
    qtest_add_func("/vfpga/dma-safety/cyclic-ring", test_cyclic_ring);
    return g_test_run();
}
