/*
 * vfpga qtests: PCI identity and registers.
 *
 * PCI identity and the board's properties; every register's reset
 * value and access rules (read-only, read-write with the bits that exist,
 * holes, W1S/W1C aliases); the XDMA block layout; access widths.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"
#include "tests.h"

static void test_pci_identity(void)
{
    Board *b = board_boot("");
    QPCIDevice *d = b->dev;
    uint8_t cap;
    uint16_t flags;

    g_assert_cmphex(qpci_config_readw(d, PCI_VENDOR_ID), ==,
                    VFPGA_PCI_VENDOR_ID);
    g_assert_cmphex(qpci_config_readw(d, PCI_DEVICE_ID), ==,
                    VFPGA_PCI_DEVICE_ID);
    g_assert_cmphex(qpci_config_readb(d, PCI_REVISION_ID), ==,
                    VFPGA_PCI_REVISION);
    g_assert_cmphex(qpci_config_readw(d, PCI_CLASS_DEVICE), ==, 0xff00);
    g_assert_cmphex(qpci_config_readb(d, PCI_CLASS_PROG), ==, 0);
    g_assert_cmphex(qpci_config_readb(d, PCI_INTERRUPT_PIN), ==, 1);
    /* README: subsystem 1af4:1100 */
    g_assert_cmphex(qpci_config_readw(d, PCI_SUBSYSTEM_VENDOR_ID), ==,
                    0x1af4);
    g_assert_cmphex(qpci_config_readw(d, PCI_SUBSYSTEM_ID), ==, 0x1100);
    g_assert_cmphex(qpci_config_readw(d, PCI_STATUS) & PCI_STATUS_CAP_LIST,
                    ==, PCI_STATUS_CAP_LIST);

    /* BARs: 0 and 1 32-bit memory of 64 KiB, 2 64-bit prefetchable. */
    g_assert_cmphex(b->bar_size[0], ==, VFPGA_BAR_USER_SIZE);
    g_assert_cmphex(b->bar_size[1], ==, VFPGA_BAR_DMA_SIZE);
    g_assert_cmphex(b->bar_size[2], ==, VFPGA_CARD_MEM_DEFAULT_SIZE);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_0) & 0xf, ==,
                    PCI_BASE_ADDRESS_SPACE_MEMORY |
                    PCI_BASE_ADDRESS_MEM_TYPE_32);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_1) & 0xf, ==,
                    PCI_BASE_ADDRESS_SPACE_MEMORY |
                    PCI_BASE_ADDRESS_MEM_TYPE_32);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_2) & 0xf, ==,
                    PCI_BASE_ADDRESS_SPACE_MEMORY |
                    PCI_BASE_ADDRESS_MEM_TYPE_64 |
                    PCI_BASE_ADDRESS_MEM_PREFETCH);
    /* No BAR 4 or 5: they do not take an address. */
    qpci_config_writel(d, PCI_BASE_ADDRESS_4, 0xffffffff);
    qpci_config_writel(d, PCI_BASE_ADDRESS_5, 0xffffffff);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_4), ==, 0);
    g_assert_cmphex(qpci_config_readl(d, PCI_BASE_ADDRESS_5), ==, 0);

    /* PCI Express with FLR */
    cap = qpci_find_capability(d, PCI_CAP_ID_EXP, 0);
    g_assert_cmphex(cap, !=, 0);
    if (cap) {
        g_assert_cmphex(qpci_config_readl(d, cap + PCI_EXP_DEVCAP) &
                        PCI_EXP_DEVCAP_FLR, ==, PCI_EXP_DEVCAP_FLR);
    }
    /* MSI: 64-bit, up to 32 vectors */
    cap = qpci_find_capability(d, PCI_CAP_ID_MSI, 0);
    g_assert_cmphex(cap, !=, 0);
    if (cap) {
        flags = qpci_config_readw(d, cap + PCI_MSI_FLAGS);
        g_assert_cmphex(flags & PCI_MSI_FLAGS_64BIT, ==, PCI_MSI_FLAGS_64BIT);
        g_assert_cmphex((flags & PCI_MSI_FLAGS_QMASK) >> 1, ==, 5);
    }
    /* MSI-X: 32 vectors, table and PBA in BAR1 where XDMA has them */
    cap = qpci_find_capability(d, PCI_CAP_ID_MSIX, 0);
    g_assert_cmphex(cap, !=, 0);
    if (cap) {
        flags = qpci_config_readw(d, cap + PCI_MSIX_FLAGS);
        g_assert_cmpuint((flags & PCI_MSIX_FLAGS_QSIZE) + 1, ==,
                         VFPGA_MSIX_VECTORS);
        g_assert_cmphex(qpci_config_readl(d, cap + PCI_MSIX_TABLE), ==,
                        XDMA_MSIX_TABLE_OFFSET | VFPGA_BAR_DMA);
        g_assert_cmphex(qpci_config_readl(d, cap + PCI_MSIX_PBA), ==,
                        XDMA_MSIX_PBA_OFFSET | VFPGA_BAR_DMA);
    }
    g_assert_cmpuint(b->nr_chan, ==, XDMA_MAX_CHANNELS);
    board_free(b);
}

/* The card memory BAR follows card-mem-size; msix-vectors and msi too. */
static void test_pci_properties(void)
{
    Board *b = board_boot("card-mem-size=16M,msix-vectors=4,msi=off,"
                          "dma-channels=2");

    g_assert_cmphex(b->bar_size[VFPGA_BAR_CARD_MEM], ==, 16 * MiB);
    g_assert_cmpuint(b->nr_vec, ==, 4);
    g_assert_cmphex(qpci_find_capability(b->dev, PCI_CAP_ID_MSI, 0), ==, 0);
    g_assert_cmpuint(b->nr_chan, ==, 2);
    board_free(b);

    b = board_boot("msix-vectors=0");
    g_assert_cmphex(qpci_find_capability(b->dev, PCI_CAP_ID_MSIX, 0), ==, 0);
    board_free(b);
}

/* Read-write: @mask are the bits that exist, the others read 0. */
static void assert_rw(QTestState *qts, uint64_t addr, uint32_t mask)
{
    static const uint32_t pat[] = { 0xffffffff, 0xa5a5a5a5, 0x5a5a5a5a, 0 };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(pat); i++) {
        uint32_t v;

        qtest_writel(qts, addr, pat[i]);
        v = qtest_readl(qts, addr);
        if (v != (pat[i] & mask)) {
            g_test_message("0x%08" PRIx64 ": wrote 0x%08x, read 0x%08x, "
                           "expected 0x%08x", addr, pat[i], v,
                           pat[i] & mask);
        }
        g_assert_cmphex(v, ==, pat[i] & mask);
    }
}

/* No register: reads 0, writes ignored. */
static void assert_hole(QTestState *qts, uint64_t addr)
{
    uint32_t v;

    qtest_writel(qts, addr, 0xffffffff);
    v = qtest_readl(qts, addr);
    if (v) {
        g_test_message("0x%08" PRIx64 ": hole reads 0x%08x", addr, v);
    }
    g_assert_cmphex(v, ==, 0);
}

static void test_regs_reset(void)
{
    Board *b = board_boot("");

    board_assert_reset_values(b);
    board_free(b);
}

static void test_regs_user(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    static const unsigned ro[] = {
        VFPGA_USER_ID, VFPGA_USER_VERSION, VFPGA_USER_CAPS,
        VFPGA_IRQGEN_STATUS, VFPGA_IRQGEN_RAISED, VFPGA_IRQGEN_ACKED,
        VFPGA_IRQGEN_OVERRUN, VFPGA_IRQGEN_LAST_RAISE_LO,
        VFPGA_IRQGEN_LAST_RAISE_HI, VFPGA_IRQGEN_QUEUED,
        VFPGA_IRQGEN_STALLED_US, VFPGA_CAMPAIGN_EVENTS,
        VFPGA_CAMPAIGN_INJECTED, VFPGA_CAMPAIGN_LAST,
    };
    static const unsigned holes[] = {
        0x18, 0x1c, 0x40, 0x44, 0x48, 0xfc, 0x140, 0x200,
        0x1000, 0x8000, 0xfffc,
    };
    uint64_t t0, t1;
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(ro); i++) {
        reg_assert_ro(qts, USER_BAR + ro[i], 0xffffffff);
        reg_assert_ro(qts, USER_BAR + ro[i], 0x12345678);
    }
    assert_rw(qts, USER_BAR + VFPGA_USER_SCRATCH, 0xffffffff);
    assert_rw(qts, USER_BAR + VFPGA_IRQGEN_COUNT, 0xffffffff);
    assert_rw(qts, USER_BAR + VFPGA_IRQGEN_RATE, 0xffffffff);
    assert_rw(qts, USER_BAR + VFPGA_IRQGEN_DURATION_US, 0xffffffff);
    assert_rw(qts, USER_BAR + VFPGA_IRQGEN_QUEUE_DEPTH, 0xffffffff);
    /* MODE: 0 ping-pong, 1 paced */
    assert_rw(qts, USER_BAR + VFPGA_IRQGEN_MODE,
              VFPGA_IRQGEN_MODE_PACED | VFPGA_IRQGEN_MODE_ROTATE);

    /* LINE: 0 to 15; a larger value is refused and the old one stays. */
    for (i = 0; i < VFPGA_USER_IRQ_LINES; i++) {
        board_user_write(qts, VFPGA_IRQGEN_LINE, i);
        g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_LINE), ==, i);
    }
    board_user_write(qts, VFPGA_IRQGEN_LINE, 5);
    board_user_write(qts, VFPGA_IRQGEN_LINE, VFPGA_USER_IRQ_LINES);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_LINE), ==, 5);
    board_user_write(qts, VFPGA_IRQGEN_LINE, 0xffffffff);
    g_assert_cmpuint(board_user_read(qts, VFPGA_IRQGEN_LINE), ==, 5);
    board_user_write(qts, VFPGA_IRQGEN_LINE, 0);

    /* Write-only command registers read as 0. */
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
    g_assert_cmphex(board_user_read(qts, VFPGA_IRQGEN_CTRL), ==, 0);
    board_user_write(qts, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_cmphex(board_user_read(qts, VFPGA_IRQGEN_ACK), ==, 0);
    g_assert_cmphex(board_user_read(qts, VFPGA_IRQGEN_ACKED), ==, 0);
    g_assert_cmphex(board_user_read(qts, VFPGA_IRQGEN_STATUS), ==, 0);

    /*
     * FAULT: the VFPGA_FAULT_ALL bits (spurious MSI fires at once,
     * surprise removal removes the board and FLR resets it: not here)
     */
    board_user_write(qts, VFPGA_USER_FAULT,
                     ~(VFPGA_FAULT_SPURIOUS_MSI |
                       VFPGA_FAULT_SURPRISE_REMOVAL | VFPGA_FAULT_FLR));
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==,
                    VFPGA_FAULT_ALL & ~(VFPGA_FAULT_SPURIOUS_MSI |
                                        VFPGA_FAULT_SURPRISE_REMOVAL |
                                        VFPGA_FAULT_FLR));
    board_user_write(qts, VFPGA_USER_FAULT, VFPGA_FAULT_DMA_READ);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==,
                    VFPGA_FAULT_DMA_READ);
    board_user_write(qts, VFPGA_USER_FAULT, 0);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==, 0);
    board_user_write(qts, VFPGA_USER_FAULT_VECTOR, 7);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT_VECTOR), ==, 7);
    board_user_write(qts, VFPGA_USER_FAULT_VECTOR, 0);

    /* TIME: the virtual clock in ns; writes do not set it. */
    t0 = board_time_ns(qts);
    reg_assert_ro(qts, USER_BAR + VFPGA_USER_TIME_HI, 0xffffffff);
    board_user_write(qts, VFPGA_USER_TIME_LO, 0xffffffff);
    board_user_write(qts, VFPGA_USER_TIME_HI, 0xffffffff);
    g_assert_cmpuint(board_time_ns(qts), ==, t0);
    qtest_clock_step(qts, 123456789);
    t1 = board_time_ns(qts);
    g_assert_cmpuint(t1 - t0, ==, 123456789);
    /* TIME_HI is the word latched by the last TIME_LO read. */
    qtest_clock_step(qts, 5ull << 32);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_TIME_HI), ==, t1 >> 32);
    g_assert_cmpuint(board_time_ns(qts), ==, t1 + (5ull << 32));

    for (i = 0; i < ARRAY_SIZE(holes); i++) {
        assert_hole(qts, USER_BAR + holes[i]);
    }
    board_free(b);
}

/*
 * RW registers narrower than 32 bits keep exactly their field:
 * FAULT_VECTOR bits 4:0, DESC_CREDIT bits 9:0; the rest reads 0.
 */
static void test_regs_full_width(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    unsigned ch;
    int dir;

    assert_rw(qts, USER_BAR + VFPGA_USER_FAULT_VECTOR, 0x1f);
    /* DESC_CREDIT counts credits only in credit mode, and saturates. */
    board_dma_write(qts, XDMA_SGDMA_COMMON_BASE + XDMA_SGDMA_CREDIT_MODE,
                    0xffffffff);
    g_assert_cmphex(board_dma_read(qts, XDMA_SGDMA_COMMON_BASE +
                                   XDMA_SGDMA_CREDIT_MODE), ==,
                    XDMA_CREDIT_MODE_MASK);
    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            unsigned off = sgdma_offset(dir, ch, XDMA_SGDMA_DESC_CREDIT);

            board_dma_write(qts, off, 0xfffffc01);
            g_assert_cmphex(board_dma_read(qts, off), ==, 1);
            board_dma_write(qts, off, 0x3ff);
            g_assert_cmphex(board_dma_read(qts, off), ==, XDMA_CREDIT_MAX);
        }
    }
    board_dma_write(qts, XDMA_SGDMA_COMMON_BASE + XDMA_SGDMA_CREDIT_MODE, 0);
    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            g_assert_cmphex(board_dma_read(qts, sgdma_offset(dir, ch,
                                           XDMA_SGDMA_DESC_CREDIT)), ==, 0);
        }
    }
    board_free(b);
}

static void test_regs_xdma_irq(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    static const unsigned ro[] = {
        XDMA_IRQ_IDENTIFIER, XDMA_IRQ_USER_INT_REQ, XDMA_IRQ_CHAN_INT_REQ,
        XDMA_IRQ_USER_INT_PEND, XDMA_IRQ_CHAN_INT_PEND,
    };
    static const unsigned holes[] = {
        0x1c, 0x20, 0x3c, 0x50, 0x7c, 0x90, 0x9c, 0xa8, 0xac, 0xb0, 0x100,
        0xffc,
    };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(ro); i++) {
        reg_assert_ro(qts, DMA_BAR + XDMA_IRQ_BASE + ro[i], 0xffffffff);
    }
    /* Enable masks: 16 user lines, 8 channel interrupts. */
    assert_rw(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 0xffff);
    assert_rw(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN, 0xff);

    /* W1S and W1C act on the mask and read as it. */
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 0x0f0f);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1S, 0xfff0f0f0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_EN), ==, 0xffff);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1C, 0x0000300f);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_EN), ==, 0xcff0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_EN_W1S), ==,
                    0xcff0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_EN_W1C), ==,
                    0xcff0);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1S, 0);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN_W1C, 0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_EN), ==, 0xcff0);

    board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN, 0x81);
    board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN_W1S, 0xffff0f00 | 0x06);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_EN), ==, 0x87);
    board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN_W1C, 0x03);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_EN), ==, 0x84);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_EN_W1S), ==, 0x84);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_EN_W1C), ==, 0x84);

    /* Enabling lines that request nothing makes nothing pending. */
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_PEND), ==, 0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_PEND), ==, 0);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 0);
    board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN, 0);

    /* Vector numbers: 5 bits in each byte. */
    for (i = 0; i < XDMA_IRQ_USER_VEC_REGS; i++) {
        assert_rw(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_USER_VEC_NUM +
                  4 * i, 0x1f1f1f1f);
    }
    for (i = 0; i < XDMA_IRQ_CHAN_VEC_REGS; i++) {
        assert_rw(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_CHAN_VEC_NUM +
                  4 * i, 0x1f1f1f1f);
    }
    for (i = 0; i < ARRAY_SIZE(holes); i++) {
        assert_hole(qts, DMA_BAR + XDMA_IRQ_BASE + holes[i]);
    }
    msix_assert_no_msg(b);
    board_free(b);
}

static void test_regs_xdma_chan(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    static const unsigned holes[] = {
        0x10, 0x3c, 0x50, 0x84, 0x9c, 0xa0, 0xfc,
    };
    static const unsigned sgdma_holes[] = {
        0x04, 0x40, 0x7c, 0x90, 0xfc,
    };
    /* Bit 27 (no C2H stream writeback) is RW on every channel (PG195). */
    const uint32_t ctrl_bits = CTRL_LOG_ALL | XDMA_CTRL_POLL_MODE_WB |
                               XDMA_CTRL_C2H_ST_WB_DISABLE;
    unsigned ch, i;
    int dir;

    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            uint64_t base = DMA_BAR + chan_offset(dir, ch, 0);

            g_test_message("%s%u", dir ? "c2h" : "h2c", ch);
            reg_assert_ro(qts, base + XDMA_CHAN_IDENTIFIER, 0xffffffff);
            reg_assert_ro(qts, base + XDMA_CHAN_COMPLETED_DESC, 0xffff);
            reg_assert_ro(qts, base + XDMA_CHAN_ALIGNMENTS, 0xffffffff);
            reg_assert_ro(qts, base + XDMA_CHAN_STATUS_RC, 0xffffffff);
            /* STATUS: nothing logged, BUSY is read-only */
            reg_assert_ro(qts, base + XDMA_CHAN_STATUS, 0xffffffff);

            /*
             * CONTROL without RUN: event enables and poll-mode writeback
             * stick, reserved bits read 0.  Bit 25 (non-incrementing
             * addresses, unsupported) is left out of the comparison.
             */
            chan_write(qts, dir, ch, XDMA_CHAN_CONTROL, ~XDMA_CTRL_RUN);
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_CONTROL) &
                            ~XDMA_CTRL_NON_INCR_ADDR, ==, ctrl_bits);
            chan_write(qts, dir, ch, XDMA_CHAN_CONTROL, 0);
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_CONTROL), ==,
                            0);
            chan_write(qts, dir, ch, XDMA_CHAN_CONTROL_W1S,
                       XDMA_CTRL_POLL_MODE_WB | XDMA_STAT_DESC_STOPPED |
                       XDMA_STAT_READ_ERROR);
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_CONTROL), ==,
                            XDMA_CTRL_POLL_MODE_WB | XDMA_STAT_DESC_STOPPED |
                            XDMA_STAT_READ_ERROR);
            chan_write(qts, dir, ch, XDMA_CHAN_CONTROL_W1C,
                       XDMA_STAT_DESC_STOPPED | XDMA_STAT_READ_ERROR_UR);
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_CONTROL), ==,
                            XDMA_CTRL_POLL_MODE_WB |
                            (XDMA_STAT_READ_ERROR & ~XDMA_STAT_READ_ERROR_UR));
            chan_write(qts, dir, ch, XDMA_CHAN_CONTROL, 0);
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_STATUS), ==, 0);

            assert_rw(qts, base + XDMA_CHAN_POLL_WB_LO, 0xffffffff);
            assert_rw(qts, base + XDMA_CHAN_POLL_WB_HI, 0xffffffff);

            /* INTR_ENABLE: the event bits */
            assert_rw(qts, base + XDMA_CHAN_INTR_ENABLE, XDMA_STAT_EVENTS);
            chan_write(qts, dir, ch, XDMA_CHAN_INTR_ENABLE_W1S, 0xffffffff);
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_INTR_ENABLE),
                            ==, XDMA_STAT_EVENTS);
            chan_write(qts, dir, ch, XDMA_CHAN_INTR_ENABLE_W1C,
                       XDMA_STAT_EVENTS & ~STAT_DONE);
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_INTR_ENABLE),
                            ==, STAT_DONE);
            chan_write(qts, dir, ch, XDMA_CHAN_INTR_ENABLE_W1C,
                       XDMA_STAT_DESC_STOPPED);
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_INTR_ENABLE),
                            ==, XDMA_STAT_DESC_COMPLETED);
            chan_write(qts, dir, ch, XDMA_CHAN_INTR_ENABLE, 0);
            for (i = 0; i < ARRAY_SIZE(holes); i++) {
                assert_hole(qts, base + holes[i]);
            }

            base = DMA_BAR + sgdma_offset(dir, ch, 0);
            reg_assert_ro(qts, base + XDMA_SGDMA_IDENTIFIER, 0xffffffff);
            assert_rw(qts, base + XDMA_SGDMA_DESC_LO, 0xffffffff);
            assert_rw(qts, base + XDMA_SGDMA_DESC_HI, 0xffffffff);
            assert_rw(qts, base + XDMA_SGDMA_DESC_ADJ, XDMA_DESC_ADJ_MASK);
            /* Out of credit mode, credits are not kept. */
            qtest_writel(qts, base + XDMA_SGDMA_DESC_CREDIT, 0x155);
            g_assert_cmphex(qtest_readl(qts, base + XDMA_SGDMA_DESC_CREDIT),
                            ==, 0);
            for (i = 0; i < ARRAY_SIZE(sgdma_holes); i++) {
                assert_hole(qts, base + sgdma_holes[i]);
            }
        }
    }
    /* Nothing ran, nothing was requested. */
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_CHAN_INT_REQ), ==, 0);
    board_assert_reset_values(b);
    board_free(b);
}

/* Blocks that hold only an identifier, absent channels, the gaps. */
static void test_regs_xdma_layout(void)
{
    Board *b = board_boot("dma-channels=2");
    QTestState *qts = b->qts;
    static const unsigned holes[] = {
        /* absent channels 2 and 3 and their SGDMA blocks */
        0x0200, 0x0204, 0x0240, 0x0300, 0x1200, 0x1240, 0x1300,
        0x4200, 0x4280, 0x5300, 0x5380,
        /* beyond channel 3, in the config and common blocks, block 7 */
        0x0400, 0x0f00, 0x1400, 0x3004, 0x3100, 0x3ffc, 0x4400, 0x6004,
        0x6100, 0x7000, 0x7ffc,
        /* between the MSI-X table and PBA, and after the PBA */
        0x8200, 0x8800, 0x8fdc, 0x9000, 0xfffc,
    };
    unsigned i;

    g_assert_cmpuint(b->nr_chan, ==, 2);
    g_assert_cmphex(chan_read(qts, true, 1, XDMA_CHAN_IDENTIFIER), ==,
                    0x1fc10106);
    g_assert_cmphex(sgdma_read(qts, false, 0, XDMA_SGDMA_IDENTIFIER), ==,
                    0x1fc40006);
    g_assert_cmphex(sgdma_read(qts, true, 1, XDMA_SGDMA_IDENTIFIER), ==,
                    0x1fc50106);
    reg_assert_ro(qts, DMA_BAR + XDMA_CONFIG_BASE, 0xffffffff);
    reg_assert_ro(qts, DMA_BAR + XDMA_SGDMA_COMMON_BASE, 0xffffffff);
    g_assert_cmphex(board_dma_read(qts, XDMA_CONFIG_BASE), ==, 0x1fc30006);
    g_assert_cmphex(board_dma_read(qts, XDMA_SGDMA_COMMON_BASE), ==,
                    0x1fc60006);
    for (i = 0; i < ARRAY_SIZE(holes); i++) {
        assert_hole(qts, DMA_BAR + holes[i]);
    }
    /* Two channels per direction: C2H channel n is interrupt 2 + n. */
    chan_write(qts, true, 1, XDMA_CHAN_INTR_ENABLE, STAT_DONE);
    board_assert_transfer_ok(b, true, 1);
    chan_write(qts, true, 1, XDMA_CHAN_INTR_ENABLE, 0);
    board_free(b);
}

/* BAR0 takes 64-bit reads: a LO/HI pair whole, low word first. */
static void test_regs_user_64bit(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    uint64_t bar = USER_BAR, t0, t1;

    t0 = qtest_readq(qts, bar + VFPGA_USER_TIME_LO);
    qtest_clock_step(qts, 5ull << 32);      /* past a carry into HI */
    t1 = qtest_readq(qts, bar + VFPGA_USER_TIME_LO);
    g_assert_cmpuint(t1 - t0, ==, 5ull << 32);
    g_assert_cmpuint(t1 >> 32, >=, 5);
    /* ID and VERSION at 0x0 read as one 64-bit word */
    g_assert_cmphex(qtest_readq(qts, bar + VFPGA_USER_ID), ==,
                    VFPGA_ID_MAGIC | (uint64_t)VFPGA_VERSION_CURRENT << 32);
    /* A 64-bit write is two 32-bit writes. */
    qtest_writeq(qts, bar + VFPGA_USER_SCRATCH, 0x1122334455667788ull);
    g_assert_cmphex(qtest_readl(qts, bar + VFPGA_USER_SCRATCH), ==,
                    0x55667788);
    board_free(b);
}

/*
 * Only aligned 32-bit accesses are valid; others, and accesses at the last
 * bytes of each BAR and just past it, must not bring QEMU down.  BAR2 is
 * memory: any size works there.
 */
static void test_regs_access_widths(void)
{
    Board *b = board_boot("");
    QTestState *qts = b->qts;
    uint64_t card = b->card, size;
    int bar;

    for (bar = 0; bar < 3; bar++) {
        uint64_t base = b->bar[bar].addr;
        static const unsigned offs[] = { 0, 1, 2, 3, 6, 8 };
        unsigned i;

        size = b->bar_size[bar];
        for (i = 0; i < ARRAY_SIZE(offs); i++) {
            g_test_message("BAR%d+0x%x: b 0x%x w 0x%x q 0x%" PRIx64, bar,
                           offs[i], qtest_readb(qts, base + offs[i]),
                           qtest_readw(qts, base + offs[i]),
                           qtest_readq(qts, base + offs[i]));
        }
        qtest_readb(qts, base + size - 1);
        qtest_readw(qts, base + size - 2);
        qtest_readw(qts, base + size - 1);
        qtest_readl(qts, base + size - 4);
        qtest_readl(qts, base + size - 2);
        qtest_readq(qts, base + size - 8);
        qtest_readq(qts, base + size - 4);
        qtest_readb(qts, base + size);
        qtest_readl(qts, base + size);
        qtest_readq(qts, base + size);
        if (bar != VFPGA_BAR_CARD_MEM) {
            qtest_writeb(qts, base + size - 1, 0xff);
            qtest_writew(qts, base + size - 2, 0xffff);
            qtest_writel(qts, base + size - 4, 0xffffffff);
            qtest_writeq(qts, base + size - 8, ~0ull);
            qtest_writeq(qts, base + size - 4, ~0ull);
        }
        board_assert_alive(b);
    }

    /* Narrow and wide writes to registers */
    qtest_writeb(qts, USER_BAR + VFPGA_USER_SCRATCH + 1, 0x12);
    qtest_writew(qts, USER_BAR + VFPGA_USER_SCRATCH + 2, 0x1234);
    qtest_writeb(qts, USER_BAR + VFPGA_USER_ID, 0);
    qtest_writew(qts, USER_BAR + VFPGA_USER_VERSION, 0);
    qtest_writeq(qts, USER_BAR + VFPGA_USER_ID, 0);
    qtest_writeb(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN + 3,
                 0xff);
    qtest_writew(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_CHAN_VEC_NUM + 1,
                 0xffff);
    qtest_writeb(qts, DMA_BAR + XDMA_MSIX_TABLE_OFFSET + 1, 1);
    qtest_writeb(qts, DMA_BAR + XDMA_MSIX_PBA_OFFSET, 0xff);
    g_test_message("after narrow writes: SCRATCH 0x%08x USER_INT_EN 0x%08x",
                   board_user_read(qts, VFPGA_USER_SCRATCH),
                   board_irq_read(qts, XDMA_IRQ_USER_INT_EN));
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, VFPGA_ID_MAGIC);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_VERSION), ==,
                    VFPGA_VERSION(0, 1, 0));

    /* BAR2 is memory: every width, up to its last byte. */
    size = b->card_size;
    qtest_writeb(qts, card + 1, 0xa1);
    qtest_writew(qts, card + 2, 0xb2c3);
    qtest_writel(qts, card + 4, 0xd4e5f607);
    qtest_writeq(qts, card + 8, 0x0123456789abcdefull);
    g_assert_cmphex(qtest_readb(qts, card + 1), ==, 0xa1);
    g_assert_cmphex(qtest_readw(qts, card + 2), ==, 0xb2c3);
    g_assert_cmphex(qtest_readl(qts, card + 4), ==, 0xd4e5f607);
    g_assert_cmphex(qtest_readq(qts, card + 8), ==, 0x0123456789abcdefull);
    g_assert_cmphex(qtest_readl(qts, card + 1), ==, 0x07b2c3a1);
    qtest_writeq(qts, card + size - 8, 0x1122334455667788ull);
    qtest_writeb(qts, card + size - 1, 0x99);
    g_assert_cmphex(qtest_readq(qts, card + size - 8), ==,
                    0x9922334455667788ull);
    g_assert_cmphex(qtest_readw(qts, card + size - 2), ==, 0x9922);
    g_assert_cmphex(qtest_readb(qts, card + size - 1), ==, 0x99);
    qtest_writeb(qts, card + size, 0x55);
    qtest_writeq(qts, card + size, ~0ull);
    board_assert_alive(b);
    board_free(b);
}

void vfpga_test_add_pci(void)
{
    qtest_add_func("/vfpga/pci/identity", test_pci_identity);
    qtest_add_func("/vfpga/pci/properties", test_pci_properties);
    qtest_add_func("/vfpga/regs/reset-values", test_regs_reset);
    qtest_add_func("/vfpga/regs/user", test_regs_user);
    qtest_add_func("/vfpga/regs/field-widths", test_regs_full_width);
    qtest_add_func("/vfpga/regs/xdma-irq", test_regs_xdma_irq);
    qtest_add_func("/vfpga/regs/xdma-channels", test_regs_xdma_chan);
    qtest_add_func("/vfpga/regs/xdma-layout", test_regs_xdma_layout);
    qtest_add_func("/vfpga/regs/access-widths", test_regs_access_widths);
    qtest_add_func("/vfpga/regs/user-64bit", test_regs_user_64bit);
}
