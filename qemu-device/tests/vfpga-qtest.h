/*
 * What the small vfpga qtests share: the board's place and BARs on q35,
 * set up by hand (no firmware runs under qtest), config space through
 * 0xcf8/0xcfc and the MMCONFIG (ECAM) window, descriptor writing, the
 * user registers and a migration's status.
 *
 * vfpga-test.c boots through libqos instead and does not use this.
 * A test that needs card memory elsewhere defines CARD_BAR before
 * including this header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VFPGA_QTEST_H
#define VFPGA_QTEST_H

#include "libqtest.h"
#include "qemu/bswap.h"
#include "qobject/qdict.h"
#include "standard-headers/linux/pci_regs.h"
#include "vfpga_regs.h"

/* The board at 00:04.0 and where its BARs and guest buffers go. */
#define SLOT        4
#define BDF(bus, dev)   (((bus) << 8) | ((dev) << 3))
#define BOARD_BDF   BDF(0, SLOT)
#define USER_BAR    0xe0000000ull
#define DMA_BAR     0xe0010000ull
#ifndef CARD_BAR
#define CARD_BAR    0xe1000000ull
#endif
#define DESC_ADDR   0x100000ull
#define DATA_ADDR   0x200000ull
#define MSG_ADDR    0x300000ull

/* Debian's QEMU source carries no firmware: the BIOS comes from packages. */
#define FW_ARGS     "-L /usr/share/seabios -L /usr/share/qemu"

/* q35's MMCONFIG (PCIEXBAR in the MCH at 00:00.0), 256 buses. */
#define MCH_PCIEXBAR    0x60
#define ECAM_BASE       0xb0000000ull
#define ECAM(dev, off)  (ECAM_BASE + ((dev) << 15) + (off))

static inline void cfg_addr(QTestState *qts, unsigned bdf, unsigned off)
{
    qtest_outl(qts, 0xcf8, 0x80000000u | (bdf << 8) | (off & 0xfc));
}

static inline uint32_t cfg_readl(QTestState *qts, unsigned bdf, unsigned off)
{
    cfg_addr(qts, bdf, off);
    return qtest_inl(qts, 0xcfc);
}

static inline uint16_t cfg_readw(QTestState *qts, unsigned bdf, unsigned off)
{
    cfg_addr(qts, bdf, off);
    return qtest_inw(qts, 0xcfc + (off & 2));
}

static inline void cfg_writel(QTestState *qts, unsigned bdf, unsigned off,
                              uint32_t val)
{
    cfg_addr(qts, bdf, off);
    qtest_outl(qts, 0xcfc, val);
}

static inline void cfg_writew(QTestState *qts, unsigned bdf, unsigned off,
                              uint16_t val)
{
    cfg_addr(qts, bdf, off);
    qtest_outw(qts, 0xcfc + (off & 2), val);
}

/* Offset of capability @id in the config space of @bdf, or 0. */
static inline unsigned cfg_find_cap(QTestState *qts, unsigned bdf,
                                    uint8_t id)
{
    unsigned pos = cfg_readl(qts, bdf, PCI_CAPABILITY_LIST) & 0xfc;

    while (pos) {
        uint32_t hdr = cfg_readl(qts, bdf, pos);

        if ((hdr & 0xff) == id) {
            return pos;
        }
        pos = (hdr >> 8) & 0xfc;
    }
    return 0;
}

/* Map q35's MMCONFIG window at ECAM_BASE. */
static inline void ecam_enable(QTestState *qts)
{
    cfg_writel(qts, BDF(0, 0), MCH_PCIEXBAR + 4, 0);
    cfg_writel(qts, BDF(0, 0), MCH_PCIEXBAR, ECAM_BASE | 1);
}

/* Place the board's BARs at @bdf and let it decode and master. */
static inline void board_map_bars(QTestState *qts, unsigned bdf)
{
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_0, USER_BAR);
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_1, DMA_BAR);
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_2, CARD_BAR);
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_3, 0);
    cfg_writel(qts, bdf, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* board_map_bars(), then check the board answers in its user BAR. */
static inline void board_setup(QTestState *qts, unsigned bdf)
{
    board_map_bars(qts, bdf);
    g_assert_cmphex(qtest_readl(qts, USER_BAR + VFPGA_USER_ID), ==,
                    VFPGA_ID_MAGIC);
}

static inline uint32_t board_user_read(QTestState *qts, unsigned reg)
{
    return qtest_readl(qts, USER_BAR + reg);
}

static inline void board_user_write(QTestState *qts, unsigned reg,
                                    uint32_t val)
{
    qtest_writel(qts, USER_BAR + reg, val);
}

/* Write one descriptor with control flags @flags at guest address @at. */
static inline void desc_write(QTestState *qts, uint64_t at, uint32_t flags,
                              uint32_t bytes, uint64_t src, uint64_t dst,
                              uint64_t next)
{
    struct xdma_desc d = {
        .control = cpu_to_le32(XDMA_DESC_CONTROL(0, flags)),
        .bytes = cpu_to_le32(bytes),
        .src_addr = cpu_to_le64(src),
        .dst_addr = cpu_to_le64(dst),
        .next_desc = cpu_to_le64(next),
    };

    qtest_memwrite(qts, at, &d, sizeof(d));
}

/* query-migrate's status (g_free it), or NULL if it gives none. */
static inline char *migrate_status(QTestState *qts)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
    QDict *ret = qdict_get_qdict(rsp, "return");
    char *status = g_strdup(qdict_get_try_str(ret, "status"));

    qobject_unref(rsp);
    return status;
}

#endif
