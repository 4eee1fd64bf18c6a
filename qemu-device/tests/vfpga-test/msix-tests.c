/*
 * vfpga qtests: MSI-X masking, pending bits, vectors beyond the table.
 *
 * MSI-X: every user line to its vector, the enable mask, vector and
 * function masks with their pending bits, vectors beyond a smaller table;
 * and INTx when there is neither MSI-X nor MSI.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "vfpga-qtest.h"
#include "tests.h"

static void test_msix_user(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    uint8_t cap = qpci_find_capability(b->dev, PCI_CAP_ID_MSIX, 0);
    uint16_t flags = qpci_config_readw(b->dev, cap + PCI_MSIX_FLAGS);
    unsigned line;

    /* Every line reaches its vector. */
    for (line = 0; line < VFPGA_USER_IRQ_LINES; line++) {
        irq_map_user_line(qts, line, 31 - line);
    }
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 0xffff);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 1);
    for (line = 0; line < VFPGA_USER_IRQ_LINES; line++) {
        board_user_write(qts, VFPGA_IRQGEN_LINE, line);
        board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
        g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==,
                        1u << line);
        g_assert_true(msix_msg_take(b, 31 - line));
        msix_assert_no_msg(b);
        board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    }

    /* USER_INT_EN gates: requested, not pending, no message. */
    board_user_write(qts, VFPGA_IRQGEN_LINE, 2);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1C, 1u << 2);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 1u << 2);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_PEND), ==, 0);
    msix_assert_no_msg(b);
    /* enabling it makes it pending: one message, and only one */
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1S, 1u << 2);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_PEND), ==, 1u << 2);
    g_assert_true(msix_msg_take(b, 29));
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1S, 1u << 2);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 0xffff);
    msix_assert_no_msg(b);
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);

    /* A masked vector: pending bit, delivered on unmask. */
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 2);
    msix_mask(qts, 29, true);
    g_assert_true(qpci_msix_masked(b->dev, 29));
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_PEND), ==, 1u << 2);
    msix_assert_no_msg(b);
    g_assert_true(qpci_msix_pending(b->dev, 29));
    g_assert_false(qpci_msix_pending(b->dev, 28));
    msix_mask(qts, 29, false);
    g_assert_false(qpci_msix_pending(b->dev, 29));
    g_assert_true(msix_msg_take(b, 29));
    msix_assert_no_msg(b);
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(msix_msg_take(b, 29));

    /* The function mask: same, for every vector. */
    qpci_config_writew(b->dev, cap + PCI_MSIX_FLAGS,
                       flags | PCI_MSIX_FLAGS_ENABLE |
                       PCI_MSIX_FLAGS_MASKALL);
    g_assert_true(qpci_msix_masked(b->dev, 29));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    msix_assert_no_msg(b);
    g_assert_true(qpci_msix_pending(b->dev, 29));
    qpci_config_writew(b->dev, cap + PCI_MSIX_FLAGS,
                       (flags | PCI_MSIX_FLAGS_ENABLE) &
                       ~PCI_MSIX_FLAGS_MASKALL);
    g_assert_false(qpci_msix_pending(b->dev, 29));
    g_assert_true(msix_msg_take(b, 29));
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    msix_assert_no_msg(b);
    board_free(b);
}

/* msix-vectors=4: lines mapped to vectors 4..31 are dropped. */
static void test_msix_beyond_table(void)
{
    Board *b = board_boot("msix-vectors=4");
    QTestState *qts = b->qts;
    uint8_t cap = qpci_find_capability(b->dev, PCI_CAP_ID_MSIX, 0);
    unsigned vec;

    g_assert_cmpuint(b->nr_vec, ==, 4);
    g_assert_cmpuint((qpci_config_readw(b->dev, cap + PCI_MSIX_FLAGS) &
                      PCI_MSIX_FLAGS_QSIZE) + 1, ==, 4);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 1);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 1);
    for (vec = 4; vec < VFPGA_MSIX_VECTORS; vec += 9) {
        irq_map_user_line(qts, 0, vec);
        board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
        g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_PEND), ==, 1);
        msix_assert_no_msg(b);
        g_assert_cmphex(board_dma_read(qts, XDMA_MSIX_PBA_OFFSET), ==, 0);
        board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        board_assert_alive(b);
    }
    /* Channel interrupt on vector 31: dropped too */
    irq_map_chan_line(qts, 0, 31);
    board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN, 1);
    chan_write(qts, false, 0, XDMA_CHAN_INTR_ENABLE, STAT_DONE);
    chain_write(b, b->desc, false, (Seg[]) { { b->buf, 0, 64 } }, 1,
                LAST_FLAGS);
    g_assert_cmphex(board_chan_run(b, false, 0, b->desc, CTRL_LOG_ALL), ==,
                    STAT_DONE);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_PEND), ==, 1);
    msix_assert_no_msg(b);
    chan_clear_status(qts, false, 0);
    /* Spurious message on a vector beyond the table: dropped */
    board_user_write(qts, VFPGA_USER_FAULT_VECTOR, 17);
    board_user_write(qts, VFPGA_USER_FAULT, VFPGA_FAULT_SPURIOUS_MSI);
    msix_assert_no_msg(b);
    /* Vector 3 still works */
    irq_map_user_line(qts, 0, 3);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_true(msix_msg_take(b, 3));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    board_free(b);
}

/* With neither MSI-X nor MSI, INTA is asserted while a user line pends. */
static void test_intx(void)
{
    Board *b = board_boot("msix-vectors=0");
    QTestState *qts = b->qts;
    int gsi, found = -1;

    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 1u << 9);
    board_user_write(qts, VFPGA_IRQGEN_LINE, 9);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 2);
    for (gsi = 16; gsi < 24; gsi++) {
        g_assert_false(qtest_get_irq(qts, gsi));
    }
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    for (gsi = 16; gsi < 24; gsi++) {
        if (qtest_get_irq(qts, gsi)) {
            g_assert_cmpint(found, ==, -1);
            found = gsi;
        }
    }
    g_assert_cmpint(found, >=, 16);
    if (found < 0) {
        board_free(b);
        return;
    }
    /* The line masked: deasserted; unmasked: asserted again. */
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1C, 1u << 9);
    g_assert_false(qtest_get_irq(qts, found));
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1S, 1u << 9);
    g_assert_true(qtest_get_irq(qts, found));
    /* Level: stays asserted across the acknowledge-and-raise. */
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_true(qtest_get_irq(qts, found));
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_false(qtest_get_irq(qts, found));
    msix_assert_no_msg(b);
    board_free(b);
}

void vfpga_test_add_msix(void)
{
    qtest_add_func("/vfpga/msix/user", test_msix_user);
    qtest_add_func("/vfpga/msix/beyond-table", test_msix_beyond_table);
    qtest_add_func("/vfpga/irq/intx", test_intx);
}
