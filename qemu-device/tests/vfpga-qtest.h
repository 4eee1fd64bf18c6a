/*
 * The vfpga qtests' board helpers (vfpga-qtest.c), shared by every
 * qtest program in qemu-device/tests.
 *
 * Two layers:
 *
 * - The board on a bare QTestState.  No firmware runs under qtest: a
 *   program maps the board's BARs itself (board_setup()) at USER_BAR,
 *   DMA_BAR and CARD_BAR, reaches config space through 0xcf8/0xcfc or
 *   the MMCONFIG (ECAM) window, and then reads and writes the board's
 *   registers by name: board_user_*() in BAR0, board_dma_*() anywhere in
 *   BAR1, board_irq_*() in its XDMA IRQ block, chan_*() and sgdma_*() in
 *   a DMA channel's blocks, msix_*() in the MSI-X table.  Descriptors,
 *   QOM properties and migrations have their helpers too.
 *
 * - Board: a machine booted through libqos (board_boot()), with guest
 *   memory to allocate, every MSI-X vector pointed at its own word of
 *   guest RAM (msix_msg_take()), the channels counted and a random
 *   generator for data; and what the checks of vfpga-test/ share on it:
 *   transfers, chains of descriptors, the interrupt generator.  Its BARs
 *   are where the first layer expects them, card memory aside (b->card).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VFPGA_QTEST_H
#define VFPGA_QTEST_H

#include "libqtest.h"
#include "libqos/libqos-pc.h"
#include "libqos/pci-pc.h"
#include "qemu/bswap.h"
#include "qobject/qdict.h"
#include "standard-headers/linux/pci_regs.h"
#include "vfpga_regs.h"

/* ---- where the board is -------------------------------------------------- */

/* The board at 00:04.0 and where its BARs and guest buffers go. */
#define SLOT            4
#define BDF(bus, dev)   (((bus) << 8) | ((dev) << 3))
#define BOARD_BDF       BDF(0, SLOT)
#define USER_BAR        0xe0000000ull
#define DMA_BAR         0xe0010000ull
/* Card memory of up to 16 MiB (a BAR is aligned to its size). */
#define CARD_BAR        0xe1000000ull
#define DESC_ADDR       0x100000ull
#define DATA_ADDR       0x200000ull
#define MSG_ADDR        0x300000ull

#define FPGA_QOM        "/machine/peripheral/fpga"

/* Debian's QEMU source carries no firmware: the BIOS comes from packages. */
#define FW_ARGS         "-L /usr/share/seabios -L /usr/share/qemu"

/* q35's MMCONFIG (PCIEXBAR in the MCH at 00:00.0), 256 buses. */
#define MCH_PCIEXBAR    0x60
#define ECAM_BASE       0xb0000000ull
#define ECAM(dev, off)  (ECAM_BASE + ((dev) << 15) + (off))

/* How long a DMA run may take in wall-clock time before a test gives up. */
#define WAIT_US         (20 * G_USEC_PER_SEC)

/* Every status event enabled for logging, as a driver does. */
#define CTRL_LOG_ALL    XDMA_STAT_EVENTS
/* A chain that ends normally: its last descriptor has STOPPED|COMPLETED. */
#define LAST_FLAGS      (XDMA_DESC_STOPPED | XDMA_DESC_COMPLETED)
#define STAT_DONE       (XDMA_STAT_DESC_STOPPED | XDMA_STAT_DESC_COMPLETED)

/* A next_desc the engine must not follow: unaligned, unbacked. */
#define POISON_NEXT     0xbadbadbadbad0008ull

/* ---- config space -------------------------------------------------------- */

uint32_t cfg_readl(QTestState *qts, unsigned bdf, unsigned off);
uint16_t cfg_readw(QTestState *qts, unsigned bdf, unsigned off);
void cfg_writel(QTestState *qts, unsigned bdf, unsigned off, uint32_t val);
void cfg_writew(QTestState *qts, unsigned bdf, unsigned off, uint16_t val);
/* Offset of capability @id in the config space of @bdf, or 0. */
unsigned cfg_find_cap(QTestState *qts, unsigned bdf, uint8_t id);
/* Map q35's MMCONFIG window at ECAM_BASE. */
void ecam_enable(QTestState *qts);

/* ---- the board on a bare QTestState -------------------------------------- */

/* Place the board's BARs at @bdf and let it decode and master. */
void board_map_bars(QTestState *qts, unsigned bdf);
/* board_map_bars(), then check the board answers in its user BAR. */
void board_setup(QTestState *qts, unsigned bdf);
/*
 * Function-level reset through the PCI Express capability at @exp (found
 * beforehand: a removed board has no capability list to walk).
 */
void board_flr(QTestState *qts, unsigned bdf, unsigned exp);

/* BAR0: the user registers. */
uint32_t board_user_read(QTestState *qts, unsigned reg);
void board_user_write(QTestState *qts, unsigned reg, uint32_t val);
/* VFPGA_USER_TIME and IRQGEN_LAST_RAISE: 64-bit clocks, in ns. */
uint64_t board_time_ns(QTestState *qts);
uint64_t board_last_raise_ns(QTestState *qts);

/* BAR1, the XDMA core, at byte offset @off. */
uint32_t board_dma_read(QTestState *qts, unsigned off);
void board_dma_write(QTestState *qts, unsigned off, uint32_t val);
/* BAR1's IRQ block. */
uint32_t board_irq_read(QTestState *qts, unsigned reg);
void board_irq_write(QTestState *qts, unsigned reg, uint32_t val);
/* Send user line @line, or channel interrupt @line, to vector @vec. */
void irq_map_user_line(QTestState *qts, unsigned line, unsigned vec);
void irq_map_chan_line(QTestState *qts, unsigned line, unsigned vec);

/* A channel's register @reg, and its SGDMA block's, as offsets in BAR1. */
unsigned chan_offset(bool c2h, unsigned ch, unsigned reg);
unsigned sgdma_offset(bool c2h, unsigned ch, unsigned reg);
uint32_t chan_read(QTestState *qts, bool c2h, unsigned ch, unsigned reg);
void chan_write(QTestState *qts, bool c2h, unsigned ch, unsigned reg,
                uint32_t val);
uint32_t sgdma_read(QTestState *qts, bool c2h, unsigned ch, unsigned reg);
void sgdma_write(QTestState *qts, bool c2h, unsigned ch, unsigned reg,
                 uint32_t val);
/* The identifiers a channel's blocks answer with. */
uint32_t chan_id(bool c2h, unsigned ch);
uint32_t sgdma_id(bool c2h, unsigned ch);
/*
 * Clear RUN, point the channel at descriptor @desc with adjacent count
 * @adj, and set CONTROL to @control | RUN.
 */
void chan_start(QTestState *qts, bool c2h, unsigned ch, uint64_t desc,
                uint32_t adj, uint32_t control);
/*
 * Wait until the channel is no longer busy and return its STATUS.  The
 * engine runs in a bottom half: every register read lets the main loop
 * turn; @step_ns of virtual time passes after each read that still sees
 * BUSY (0 for none), for the timing model.  Fails if it stays busy for
 * WAIT_US of wall-clock time.
 */
uint32_t chan_wait_idle(QTestState *qts, bool c2h, unsigned ch,
                        uint64_t step_ns);
/* Clear every logged event of a channel; checks STATUS reads 0. */
void chan_clear_status(QTestState *qts, bool c2h, unsigned ch);

/* Writing @val to the read-only register at @addr changes nothing. */
void reg_assert_ro(QTestState *qts, uint64_t addr, uint32_t val);

/* MSI-X: on for the board at @bdf, function mask off. */
void msix_enable(QTestState *qts, unsigned bdf);
/* Vector @v writes @data to @addr, unmasked. */
void msix_vector_set(QTestState *qts, unsigned v, uint64_t addr,
                     uint32_t data);
void msix_mask(QTestState *qts, unsigned v, bool masked);

/* A descriptor with control flags @flags (magic and no adjacent count). */
void desc_write(QTestState *qts, uint64_t at, uint32_t flags, uint32_t bytes,
                uint64_t src, uint64_t dst, uint64_t next);
/* A descriptor with the whole control word @control, bad ones included. */
void desc_write_control(QTestState *qts, uint64_t at, uint32_t control,
                        uint32_t bytes, uint64_t src, uint64_t dst,
                        uint64_t next);
void desc_fill(struct xdma_desc *d, uint32_t control, uint32_t bytes,
               uint64_t src, uint64_t dst, uint64_t next);

/* The board's QOM property @prop (on FPGA_QOM); setting it must work. */
bool board_qom_get_bool(QTestState *qts, const char *prop);
void board_qom_set_bool(QTestState *qts, const char *prop, bool val);

/* query-migrate's status (g_free it), or NULL if it gives none. */
char *migrate_status(QTestState *qts);
/* Wait for the end of a migration: true if it completed, false if failed. */
bool migrate_wait(QTestState *qts);
/* Stop @src and migrate it into @file; it must complete. */
void migrate_to_file(QTestState *src, const char *file);

/* ---- Board: a machine booted through libqos ------------------------------ */

typedef struct Board {
    QOSState *qs;
    QTestState *qts;
    QPCIDevice *dev;
    QPCIBar bar[3];
    uint64_t bar_size[3];
    uint64_t card;              /* card memory: BAR2's address */
    uint64_t card_size;
    unsigned nr_chan;           /* DMA channels per direction */
    unsigned nr_vec;            /* MSI-X table entries, 0 without MSI-X */
    uint8_t exp_cap;            /* PCI Express capability */
    bool timed;                 /* timing model on: transfers need clock */
    uint64_t msg;               /* guest RAM where MSI-X messages land */
    uint64_t desc;              /* guest RAM for descriptors, 64 KiB */
    uint64_t buf;               /* guest RAM for small transfers, 1 MiB */
    GRand *rand;
} Board;

/* One descriptor's worth of a transfer. */
typedef struct Seg {
    uint64_t host;              /* bus address in guest RAM */
    uint64_t card;              /* offset in card memory */
    uint32_t len;
} Seg;

/*
 * Boot a q35 machine with @ram of RAM and the board at 00:04.0 (QOM path
 * FPGA_QOM), its BARs mapped, memory and bus mastering on and, if it has
 * MSI-X, every vector set up.  @props are extra device properties ("" for
 * none).  board_boot(): 256 MiB.
 */
Board *board_boot_ram(const char *ram, const char *props);
Board *board_boot(const char *props);
/* Check the board still answers, then shut the machine down. */
void board_free(Board *b);
/* After a reset the BARs are unmapped and MSI-X is off: map them again. */
void board_reinit(Board *b);
void board_system_reset(Board *b);
/* The board answers: QEMU is alive and BAR0 decodes. */
void board_assert_alive(Board *b);
/*
 * Every register at its reset value.  TIME runs, and the W1S/W1C
 * aliases of channel blocks have no read value in the specification.
 */
void board_assert_reset_values(Board *b);
/* The channel's bit in CHAN_INT_REQ: H2C channels first, then C2H. */
uint32_t board_chan_line(Board *b, bool c2h, unsigned ch);

/* Was a message sent on vector @v since the last look?  Consumes it. */
bool msix_msg_take(Board *b, unsigned v);
/* No message on any vector. */
void msix_assert_no_msg(Board *b);

/* Guest memory and card memory, in pieces qtest handles quickly. */
void mem_write(Board *b, uint64_t addr, const void *buf, size_t len);
void mem_read(Board *b, uint64_t addr, void *buf, size_t len);
void card_write(Board *b, uint64_t off, const void *buf, size_t len);
void card_read(Board *b, uint64_t off, void *buf, size_t len);
void fill_random(GRand *r, uint8_t *buf, size_t len);
/* Byte for byte; on a mismatch, say where. */
void assert_same(const char *what, const uint8_t *want, const uint8_t *got,
                 size_t len);

/*
 * A chain for @seg[0..n) at @at in blocks of one, the last descriptor with
 * @last_flags.
 */
void chain_write(Board *b, uint64_t at, bool c2h, const Seg *seg,
                 unsigned n, uint32_t last_flags);
/*
 * A chain for @seg[0..n) in blocks of random sizes at random places in
 * b->desc's 64 KiB; returns the first block's DESC_ADJ and its address
 * in @first.
 */
uint32_t chain_write_blocks(Board *b, bool c2h, const Seg *seg, unsigned n,
                            uint32_t last_flags, uint64_t *first);
/*
 * chan_start() and chan_wait_idle() on a Board: with the timing model on,
 * virtual time passes too.
 */
void board_chan_start(Board *b, bool c2h, unsigned ch, uint64_t desc,
                      uint32_t adj, uint32_t control);
uint32_t board_chan_wait(Board *b, bool c2h, unsigned ch);
/* board_chan_start() with no adjacent count, then board_chan_wait(). */
uint32_t board_chan_run(Board *b, bool c2h, unsigned ch, uint64_t desc,
                        uint32_t control);
/* Let @ns of virtual time pass in 100 us steps, the main loop turning. */
void board_clock_step_turns(Board *b, uint64_t ns);
/*
 * A correct transfer on the channel, checked byte for byte, between
 * b->buf and card offset @card (0 for board_assert_transfer_ok()).
 * Clears the channel's status first and leaves it clear.
 */
void board_assert_transfer_ok_at(Board *b, bool c2h, unsigned ch,
                                 uint64_t card);
void board_assert_transfer_ok(Board *b, bool c2h, unsigned ch);

/* The interrupt generator on @line, sent to vector @vec. */
void irqgen_setup(Board *b, unsigned line, unsigned vec);
void irqgen_assert(Board *b, uint32_t status, uint32_t raised,
                   uint32_t acked);
#define IRQGEN_BUSY_PENDING \
    (VFPGA_IRQGEN_STATUS_BUSY | VFPGA_IRQGEN_STATUS_PENDING)

/*
 * Run QEMU with @machine and @args (no qtest) until it exits, for start-up
 * errors: its wait status, and its stderr in *@err (g_free it).
 */
int qemu_run_status(const char *machine, const char *args, char **err);

#endif
