/*
 * vfpga qtests: fault injection.
 *
 * Fault injection through the FAULT register and the QOM properties:
 * one-shot DMA faults, dropped and spurious messages, surprise removal.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"
#include "tests.h"

/* Three 1000-byte descriptors between b->buf and card offset 0. */
static uint64_t good_chain(Board *b, bool c2h)
{
    Seg seg[3];
    unsigned i;

    for (i = 0; i < 3; i++) {
        seg[i] = (Seg) { b->buf + i * 1000, i * 1000, 1000 };
    }
    chain_write(b, b->desc, c2h, seg, 3, LAST_FLAGS);
    return b->desc;
}

/* Arm a fault through the FAULT register or the QOM property. */
static void fault_arm(Board *b, bool qom, const char *prop, uint32_t bit)
{
    QTestState *qts = b->qts;

    if (qom) {
        board_qom_set_bool(qts, prop, true);
    } else {
        board_user_write(qts, VFPGA_USER_FAULT, bit);
    }
}

static void assert_armed(Board *b, const char *prop, uint32_t bit,
                         bool armed)
{
    QTestState *qts = b->qts;

    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==,
                    (armed ? bit : 0));
    g_assert_cmpint(board_qom_get_bool(qts, prop), ==, armed);
}

/* A one-shot DMA fault: the next transfer fails with @status, once. */
static void check_dma_fault(Board *b, bool qom, const char *prop,
                            uint32_t bit, bool c2h, uint32_t status)
{
    QTestState *qts = b->qts;
    unsigned ch = c2h ? 3 : 1;

    g_test_message("%s through %s on %s", prop, qom ? "qom-set" : "FAULT",
                   c2h ? "c2h" : "h2c");
    fault_arm(b, qom, prop, bit);
    assert_armed(b, prop, bit, true);
    g_assert_cmphex(board_chan_run(b, c2h, ch, good_chain(b, c2h),
                                   CTRL_LOG_ALL),
                    ==, status);
    g_assert_cmpuint(chan_read(qts, c2h, ch, XDMA_CHAN_COMPLETED_DESC), ==, 0);
    assert_armed(b, prop, bit, false);
    /* If it did not fire, do not let it spoil what follows. */
    board_user_write(qts, VFPGA_USER_FAULT, 0);
    chan_clear_status(qts, c2h, ch);
    /* fired once: the next transfers work */
    board_assert_transfer_ok(b, c2h, ch);
    board_assert_transfer_ok(b, !c2h, ch);
}

static void test_faults(const void *opaque)
{
    bool qom = *(const bool *)opaque;
    Board *b = board_boot("");
    QTestState *qts = b->qts;

    check_dma_fault(b, qom, "fault-desc-magic", VFPGA_FAULT_DESC_MAGIC,
                    false, XDMA_STAT_MAGIC_STOPPED);
    check_dma_fault(b, qom, "fault-desc-magic", VFPGA_FAULT_DESC_MAGIC,
                    true, XDMA_STAT_MAGIC_STOPPED);
    check_dma_fault(b, qom, "fault-dma-read", VFPGA_FAULT_DMA_READ,
                    false, XDMA_STAT_READ_ERROR_UR);
    check_dma_fault(b, qom, "fault-dma-write", VFPGA_FAULT_DMA_WRITE,
                    true, XDMA_STAT_WRITE_ERROR_DECERR);

    /* Disarming: nothing fires. */
    fault_arm(b, qom, "fault-desc-magic", VFPGA_FAULT_DESC_MAGIC);
    if (qom) {
        board_qom_set_bool(qts, "fault-desc-magic", false);
    } else {
        board_user_write(qts, VFPGA_USER_FAULT, 0);
    }
    assert_armed(b, "fault-desc-magic", VFPGA_FAULT_DESC_MAGIC, false);
    board_assert_transfer_ok(b, false, 0);

    /* DROP_MSI: the next message is lost, the request stays. */
    irqgen_setup(b, 1, 5);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 3);
    fault_arm(b, qom, "fault-drop-msi", VFPGA_FAULT_DROP_MSI);
    assert_armed(b, "fault-drop-msi", VFPGA_FAULT_DROP_MSI, true);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_PEND), ==, 1u << 1);
    msix_assert_no_msg(b);
    assert_armed(b, "fault-drop-msi", VFPGA_FAULT_DROP_MSI, false);
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msix_msg_take(b, 5));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msix_msg_take(b, 5));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    irqgen_assert(b, 0, 3, 3);

    /* SPURIOUS_MSI: one message on FAULT_VECTOR, at once, no cause. */
    board_user_write(qts, VFPGA_USER_FAULT_VECTOR, 7);
    fault_arm(b, qom, "fault-spurious-msi", VFPGA_FAULT_SPURIOUS_MSI);
    g_assert_true(msix_msg_take(b, 7));
    msix_assert_no_msg(b);
    assert_armed(b, "fault-spurious-msi", VFPGA_FAULT_SPURIOUS_MSI, false);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==, 0);
    board_user_write(qts, VFPGA_USER_FAULT_VECTOR, 0);
    fault_arm(b, qom, "fault-spurious-msi", VFPGA_FAULT_SPURIOUS_MSI);
    g_assert_true(msix_msg_take(b, 0));
    msix_assert_no_msg(b);
    board_free(b);
}

/*
 * DMA_READ is "the next data read of a transfer" and READ_ERROR is "the
 * source could not be read: host memory for H2C, card memory for C2H":
 * armed before a C2H transfer it fails that transfer's card read.
 */
static void test_fault_dma_read_c2h(void)
{
    Board *b = board_boot("");

    check_dma_fault(b, false, "fault-dma-read", VFPGA_FAULT_DMA_READ,
                    true, XDMA_STAT_READ_ERROR_UR);
    board_free(b);
}

/* DMA_WRITE, "the next data write fails", in an H2C transfer (card side). */
static void test_fault_dma_write_h2c(void)
{
    Board *b = board_boot("");

    check_dma_fault(b, false, "fault-dma-write", VFPGA_FAULT_DMA_WRITE,
                    false, XDMA_STAT_WRITE_ERROR_DECERR);
    board_free(b);
}

/*
 * Surprise removal in the middle of a transfer: all-ones everywhere,
 * writes dropped, DMA stopped, sticky until the machine resets.
 */
static void test_fault_removal(const void *opaque)
{
    bool qom = *(const bool *)opaque;
    Board *b = board_boot("dma-bandwidth-mbps=100");
    QTestState *qts = b->qts;
    const uint32_t len = 500000;        /* 5 ms each at 100 MB/s */
    const uint64_t card = b->card;
    g_autofree uint8_t *data = g_malloc(4 * len);
    g_autofree uint8_t *got = g_malloc(4 * len);
    g_autofree uint8_t *want = g_malloc(4 * len);
    Seg seg[4];
    unsigned i;

    for (i = 0; i < 4; i++) {
        seg[i] = (Seg) { b->buf + i * (len / 2), i * len, len / 2 };
    }
    fill_random(b->rand, data, 2 * len);
    mem_write(b, b->buf, data, 2 * len);
    qtest_memset(qts, card, 0xee, 4 * len);
    qtest_writel(qts, card + 3 * MiB, 0x11111111);
    board_user_write(qts, VFPGA_USER_SCRATCH, 0x1234);

    chain_write(b, b->desc, false, seg, 4, LAST_FLAGS);
    board_chan_start(b, false, 0, b->desc, 0, CTRL_LOG_ALL);
    qtest_clock_step(qts, 3 * 1000 * 1000);
    g_assert_cmpuint(chan_read(qts, false, 0, XDMA_CHAN_COMPLETED_DESC), ==, 1);

    fault_arm(b, qom, "surprise-removal", VFPGA_FAULT_SURPRISE_REMOVAL);
    g_assert_true(board_qom_get_bool(qts, "surprise-removal"));
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, 0xffffffff);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_SCRATCH), ==, 0xffffffff);
    g_assert_cmphex(board_user_read(qts, 0x1000), ==, 0xffffffff);
    g_assert_cmphex(qtest_readb(qts, USER_BAR + 1), ==, 0xff);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_IDENTIFIER), ==, 0xffffffff);
    g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==, 0xffffffff);
    g_assert_cmphex(board_dma_read(qts, XDMA_MSIX_TABLE_OFFSET), ==,
                    0xffffffff);
    g_assert_cmphex(board_dma_read(qts, 0xfffc), ==, 0xffffffff);
    g_assert_cmphex(qtest_readl(qts, card), ==, 0xffffffff);
    g_assert_cmphex(qtest_readq(qts, card + 3 * MiB), ==, ~0ull);
    g_assert_cmphex(qtest_readw(qts, card + b->card_size - 2), ==, 0xffff);
    g_assert_cmphex(qpci_config_readl(b->dev, PCI_VENDOR_ID), ==,
                    0xffffffff);
    g_assert_cmphex(qpci_config_readw(b->dev, PCI_COMMAND), ==, 0xffff);
    g_assert_cmphex(qpci_config_readb(b->dev, PCI_REVISION_ID), ==, 0xff);
    g_assert_cmphex(qpci_config_readl(b->dev, 0x80), ==, 0xffffffff);

    /* Writes are dropped. */
    board_user_write(qts, VFPGA_USER_SCRATCH, 0x5678);
    board_user_write(qts, VFPGA_USER_FAULT, 0);
    qtest_writel(qts, card + 3 * MiB, 0x22222222);
    /* Sticky: neither the property (refused) nor FLR brings it back. */
    qobject_unref(qtest_qmp_assert_failure_ref(qts,
                  "{ 'execute': 'qom-set', 'arguments': { 'path': %s, "
                  "'property': 'surprise-removal', 'value': false } }",
                  FPGA_QOM));
    g_assert_true(board_qom_get_bool(qts, "surprise-removal"));
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, 0xffffffff);
    board_flr(qts, BOARD_BDF, b->exp_cap);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, 0xffffffff);
    /* DMA stopped: let the rest of the chain's time pass. */
    qtest_clock_step(qts, 100 * 1000 * 1000);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, 0xffffffff);

    board_system_reset(b);
    board_reinit(b);
    board_assert_alive(b);
    g_assert_false(board_qom_get_bool(qts, "surprise-removal"));
    board_assert_reset_values(b);
    g_assert_cmphex(qpci_config_readw(b->dev, PCI_VENDOR_ID), ==,
                    VFPGA_PCI_VENDOR_ID);
    /* Card memory: the first descriptor's data, then nothing more. */
    memset(want, 0xee, 4 * len);
    memcpy(want, data, len / 2);
    card_read(b, 0, got, 4 * len);
    assert_same("card memory after removal", want, got, 4 * len);
    g_assert_cmphex(qtest_readl(qts, card + 3 * MiB), ==, 0x11111111);
    board_assert_transfer_ok(b, false, 0);
    board_assert_transfer_ok(b, true, 0);
    board_free(b);
}

void vfpga_test_add_faults(void)
{
    static const bool no = false, yes = true;

    qtest_add_data_func("/vfpga/fault/register", &no, test_faults);
    qtest_add_data_func("/vfpga/fault/qom", &yes, test_faults);
    qtest_add_func("/vfpga/fault/dma-read-c2h", test_fault_dma_read_c2h);
    qtest_add_func("/vfpga/fault/dma-write-h2c", test_fault_dma_write_h2c);
    qtest_add_data_func("/vfpga/fault/removal-register", &no,
                        test_fault_removal);
    qtest_add_data_func("/vfpga/fault/removal-qom", &yes,
                        test_fault_removal);
}
