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

#define LAST_FLAGS  (XDMA_DESC_STOPPED | XDMA_DESC_COMPLETED)
#define STAT_DONE   (XDMA_STAT_DESC_STOPPED | XDMA_STAT_DESC_COMPLETED)

/* How many register reads (main-loop turns) a run may take. */
#define MAX_TURNS   20000

/* Boot q35 with the board at 00:04.0, its BARs and MMCONFIG mapped. */
static QTestState *board_boot(const char *props)
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

static uint64_t chan_reg(bool c2h, unsigned reg)
{
    return DMA_BAR + (c2h ? XDMA_C2H_BASE : XDMA_H2C_BASE) + reg;
}

static uint32_t chan_read(QTestState *qts, bool c2h, unsigned reg)
{
    return qtest_readl(qts, chan_reg(c2h, reg));
}

static void chan_write(QTestState *qts, bool c2h, unsigned reg, uint32_t val)
{
    qtest_writel(qts, chan_reg(c2h, reg), val);
}

/* Start channel 0 of a direction at @desc with every event logged. */
static void chan_start(QTestState *qts, bool c2h, uint64_t desc,
                       uint32_t control)
{
    uint64_t sgdma = DMA_BAR + (c2h ? XDMA_C2H_SGDMA_BASE :
                                      XDMA_H2C_SGDMA_BASE);

    qtest_writel(qts, sgdma + XDMA_SGDMA_DESC_LO, desc);
    qtest_writel(qts, sgdma + XDMA_SGDMA_DESC_HI, desc >> 32);
    qtest_writel(qts, sgdma + XDMA_SGDMA_DESC_ADJ, 0);
    chan_write(qts, c2h, XDMA_CHAN_CONTROL,
               XDMA_STAT_EVENTS | XDMA_CTRL_RUN | control);
}

/*
 * Wait for the channel to go idle, each read a main-loop turn, with
 * @step_ns of virtual time per turn for the timing model; its STATUS.
 */
static uint32_t chan_wait(QTestState *qts, bool c2h, uint64_t step_ns)
{
    uint32_t st = 0;
    unsigned i;

    for (i = 0; i < MAX_TURNS; i++) {
        st = chan_read(qts, c2h, XDMA_CHAN_STATUS);
        if (!(st & XDMA_STAT_BUSY)) {
            break;
        }
        if (step_ns) {
            qtest_clock_step(qts, step_ns);
        }
    }
    g_assert_cmphex(st & XDMA_STAT_BUSY, ==, 0);
    return st;
}

/*
 * A C2H descriptor aimed at the board's own Device Control in ECAM, with
 * Initiate FLR set in the data: a DMA error, not a reset inside the
 * transfer that then completes into the reset state.
 */
static void test_c2h_into_own_flr(void)
{
    QTestState *qts = board_boot("card-mem-size=1M");
    unsigned exp = cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_EXP);

    g_assert(exp);
    board_user_write(qts, VFPGA_USER_SCRATCH, 0x5ca7c4);
    qtest_writel(qts, CARD_BAR, PCI_EXP_DEVCTL_BCR_FLR);
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 4, 0,
               ECAM(SLOT, exp + PCI_EXP_DEVCTL), 0);
    chan_start(qts, true, DESC_ADDR, 0);
    g_assert_cmphex(chan_wait(qts, true, 0), ==,
                    XDMA_STAT_WRITE_ERROR_DECERR);
    g_assert_cmpuint(chan_read(qts, true, XDMA_CHAN_COMPLETED_DESC), ==, 0);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_SCRATCH), ==, 0x5ca7c4);
    g_assert_cmphex(cfg_readl(qts, BOARD_BDF, PCI_COMMAND) &
                    PCI_COMMAND_MASTER, ==, PCI_COMMAND_MASTER);
    qtest_quit(qts);
}

/* Writing the LAPIC's MSI window is not memory: a write error. */
static void test_c2h_into_lapic(void)
{
    QTestState *qts = board_boot("card-mem-size=1M");

    qtest_writel(qts, CARD_BAR, 0x41);
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 4, 0, LAPIC_ADDR, 0);
    chan_start(qts, true, DESC_ADDR, 0);
    g_assert_cmphex(chan_wait(qts, true, 0), ==,
                    XDMA_STAT_WRITE_ERROR_DECERR);
    qtest_quit(qts);
}

/* Reading config space through ECAM is not memory either. */
static void test_h2c_from_ecam(void)
{
    QTestState *qts = board_boot("card-mem-size=1M");

    qtest_writel(qts, CARD_BAR, 0);
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 4, ECAM(0, PCI_VENDOR_ID), 0, 0);
    chan_start(qts, false, DESC_ADDR, 0);
    g_assert_cmphex(chan_wait(qts, false, 0), ==, XDMA_STAT_READ_ERROR_UR);
    g_assert_cmphex(qtest_readl(qts, CARD_BAR), ==, 0);
    qtest_quit(qts);
}

/* A descriptor "in" config space cannot be fetched. */
static void test_desc_in_ecam(void)
{
    QTestState *qts = board_boot("card-mem-size=1M");

    chan_start(qts, false, ECAM(SLOT, 0), 0);
    g_assert_cmphex(chan_wait(qts, false, 0), ==, XDMA_STAT_DESC_ERROR_UR);
    qtest_quit(qts);
}

/*
 * The timed engine's poll-mode writeback aimed at its own CONTROL_W1C:
 * the count 1 would clear RUN from inside the engine.  It is a failed
 * writeback, and the chain completes.
 */
static void test_writeback_own_control_timed(void)
{
    QTestState *qts = board_boot("card-mem-size=1M,dma-desc-latency-ns=1000");
    uint64_t w1c = chan_reg(false, XDMA_CHAN_CONTROL_W1C);

    chan_write(qts, false, XDMA_CHAN_POLL_WB_LO, w1c);
    chan_write(qts, false, XDMA_CHAN_POLL_WB_HI, w1c >> 32);
    desc_write(qts, DESC_ADDR, XDMA_DESC_COMPLETED, 16, DATA_ADDR, 0,
               DESC_ADDR + 32);
    desc_write(qts, DESC_ADDR + 32, LAST_FLAGS, 16, DATA_ADDR, 16, 0);
    chan_start(qts, false, DESC_ADDR, XDMA_CTRL_POLL_MODE_WB);
    g_assert_cmphex(chan_wait(qts, false, 1000), ==, STAT_DONE);
    g_assert_cmpuint(chan_read(qts, false, XDMA_CHAN_COMPLETED_DESC), ==, 2);
    g_assert_cmphex(chan_read(qts, false, XDMA_CHAN_CONTROL) & XDMA_CTRL_RUN,
                    ==, XDMA_CTRL_RUN);
    qtest_quit(qts);
}

/*
 * Point MSI-X vector 0 at @addr with @data, enable MSI-X and send user
 * line 0 to vector 0.
 */
static void board_msix_vector0(QTestState *qts, uint64_t addr, uint32_t data)
{
    unsigned cap = cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_MSIX);
    uint64_t entry = DMA_BAR + XDMA_MSIX_TABLE_OFFSET;
    uint32_t flags;

    g_assert(cap);
    flags = cfg_readl(qts, BOARD_BDF, cap) & 0xffff0000u;
    cfg_writel(qts, BOARD_BDF, cap,
               (flags | (PCI_MSIX_FLAGS_ENABLE << 16)) &
               ~(PCI_MSIX_FLAGS_MASKALL << 16));
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_LOWER_ADDR, addr);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_UPPER_ADDR, addr >> 32);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_DATA, data);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
    qtest_writel(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_USER_VEC_NUM, 0);
    qtest_writel(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 1);
}

/*
 * The paced generator's message aimed at its own IRQGEN_CTRL with STOP:
 * raised from the generator's timer it would stop the generator from
 * inside the raise.  Under the re-entrancy guard the message is dropped
 * and the run goes on.
 */
static void test_irqgen_msg_own_stop(void)
{
    QTestState *qts = board_boot("card-mem-size=1M");
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
    QTestState *qts = board_boot("card-mem-size=16M,dma-desc-latency-ns=1000");

    desc_write(qts, DESC_ADDR, LAST_FLAGS, 16 * MiB, DATA_ADDR, 0, 0);
    chan_start(qts, false, DESC_ADDR, 0);
    chan_read(qts, false, XDMA_CHAN_STATUS);
    chan_read(qts, false, XDMA_CHAN_STATUS);
    qtest_clock_step(qts, 10 * 1000);
    g_assert_cmpuint(chan_read(qts, false, XDMA_CHAN_COMPLETED_DESC), ==, 0);
    g_assert_cmphex(chan_wait(qts, false, 0), ==, STAT_DONE);
    g_assert_cmpuint(chan_read(qts, false, XDMA_CHAN_COMPLETED_DESC), ==, 1);
    qtest_quit(qts);
}

/*
 * A ring that never ends, as Linux's xdma_prep_dma_cyclic builds: it
 * runs past dma-max-chain descriptors until RUN is cleared, which stops
 * it with IDLE_STOPPED and no error.
 */
static void test_cyclic_ring(void)
{
    QTestState *qts = board_boot("card-mem-size=1M,dma-max-chain=1000");
    uint32_t st;
    unsigned i;

    desc_write(qts, DESC_ADDR, XDMA_DESC_COMPLETED, 64, DATA_ADDR, 0,
               DESC_ADDR + 32);
    desc_write(qts, DESC_ADDR + 32, XDMA_DESC_COMPLETED, 64, DATA_ADDR, 64,
               DESC_ADDR);
    chan_start(qts, false, DESC_ADDR, 0);
    for (i = 0; i < MAX_TURNS; i++) {
        if (chan_read(qts, false, XDMA_CHAN_COMPLETED_DESC) > 5000) {
            break;
        }
    }
    st = chan_read(qts, false, XDMA_CHAN_STATUS);
    g_assert_cmphex(st, ==, XDMA_STAT_BUSY | XDMA_STAT_DESC_COMPLETED);
    chan_write(qts, false, XDMA_CHAN_CONTROL_W1C, XDMA_CTRL_RUN);
    g_assert_cmphex(chan_wait(qts, false, 0), ==,
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
    qtest_add_func("/vfpga/dma-safety/timed-slice", test_timed_slice);
    qtest_add_func("/vfpga/dma-safety/cyclic-ring", test_cyclic_ring);
    return g_test_run();
}
