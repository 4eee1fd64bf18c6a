/*
 * The vfpga qtests' board helpers: see vfpga-qtest.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"

/* MSI-X messages land in guest RAM: vector v writes MSG_DATA(v) at msg + 4v */
#define MSG_DATA(v)     (0x5a00u + (v))

/* ==== config space ======================================================== */

static void cfg_addr(QTestState *qts, unsigned bdf, unsigned off)
{
    qtest_outl(qts, 0xcf8, 0x80000000u | (bdf << 8) | (off & 0xfc));
}

uint32_t cfg_readl(QTestState *qts, unsigned bdf, unsigned off)
{
    cfg_addr(qts, bdf, off);
    return qtest_inl(qts, 0xcfc);
}

uint16_t cfg_readw(QTestState *qts, unsigned bdf, unsigned off)
{
    cfg_addr(qts, bdf, off);
    return qtest_inw(qts, 0xcfc + (off & 2));
}

void cfg_writel(QTestState *qts, unsigned bdf, unsigned off, uint32_t val)
{
    cfg_addr(qts, bdf, off);
    qtest_outl(qts, 0xcfc, val);
}

void cfg_writew(QTestState *qts, unsigned bdf, unsigned off, uint16_t val)
{
    cfg_addr(qts, bdf, off);
    qtest_outw(qts, 0xcfc + (off & 2), val);
}

unsigned cfg_find_cap(QTestState *qts, unsigned bdf, uint8_t id)
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

void ecam_enable(QTestState *qts)
{
    cfg_writel(qts, BDF(0, 0), MCH_PCIEXBAR + 4, 0);
    cfg_writel(qts, BDF(0, 0), MCH_PCIEXBAR, ECAM_BASE | 1);
}

/* ==== the board on a bare QTestState ====================================== */

void board_map_bars(QTestState *qts, unsigned bdf)
{
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_0, USER_BAR);
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_1, DMA_BAR);
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_2, CARD_BAR);
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_3, 0);
    cfg_writel(qts, bdf, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

void board_setup(QTestState *qts, unsigned bdf)
{
    board_map_bars(qts, bdf);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, VFPGA_ID_MAGIC);
}

void board_flr(QTestState *qts, unsigned bdf, unsigned exp)
{
    g_assert(exp);
    cfg_writew(qts, bdf, exp + PCI_EXP_DEVCTL,
               cfg_readw(qts, bdf, exp + PCI_EXP_DEVCTL) |
               PCI_EXP_DEVCTL_BCR_FLR);
}

uint32_t board_user_read(QTestState *qts, unsigned reg)
{
    return qtest_readl(qts, USER_BAR + reg);
}

void board_user_write(QTestState *qts, unsigned reg, uint32_t val)
{
    qtest_writel(qts, USER_BAR + reg, val);
}

uint64_t board_time_ns(QTestState *qts)
{
    uint64_t lo = board_user_read(qts, VFPGA_USER_TIME_LO);

    return lo | (uint64_t)board_user_read(qts, VFPGA_USER_TIME_HI) << 32;
}

uint64_t board_last_raise_ns(QTestState *qts)
{
    uint64_t lo = board_user_read(qts, VFPGA_IRQGEN_LAST_RAISE_LO);

    return lo |
           (uint64_t)board_user_read(qts, VFPGA_IRQGEN_LAST_RAISE_HI) << 32;
}

uint32_t board_dma_read(QTestState *qts, unsigned off)
{
    return qtest_readl(qts, DMA_BAR + off);
}

void board_dma_write(QTestState *qts, unsigned off, uint32_t val)
{
    qtest_writel(qts, DMA_BAR + off, val);
}

uint32_t board_irq_read(QTestState *qts, unsigned reg)
{
    return board_dma_read(qts, XDMA_IRQ_BASE + reg);
}

void board_irq_write(QTestState *qts, unsigned reg, uint32_t val)
{
    board_dma_write(qts, XDMA_IRQ_BASE + reg, val);
}

static void irq_map_line(QTestState *qts, unsigned vec_regs, unsigned line,
                         unsigned vec)
{
    unsigned reg = vec_regs + 4 * (line / 4);
    uint32_t val = board_irq_read(qts, reg);

    val &= ~(XDMA_IRQ_VEC_MASK << XDMA_IRQ_VEC_SHIFT(line));
    board_irq_write(qts, reg, val | vec << XDMA_IRQ_VEC_SHIFT(line));
}

void irq_map_user_line(QTestState *qts, unsigned line, unsigned vec)
{
    irq_map_line(qts, XDMA_IRQ_USER_VEC_NUM, line, vec);
}

void irq_map_chan_line(QTestState *qts, unsigned line, unsigned vec)
{
    irq_map_line(qts, XDMA_IRQ_CHAN_VEC_NUM, line, vec);
}

unsigned chan_offset(bool c2h, unsigned ch, unsigned reg)
{
    return (c2h ? XDMA_C2H_BASE : XDMA_H2C_BASE) + ch * XDMA_CHAN_STRIDE +
           reg;
}

unsigned sgdma_offset(bool c2h, unsigned ch, unsigned reg)
{
    return (c2h ? XDMA_C2H_SGDMA_BASE : XDMA_H2C_SGDMA_BASE) +
           ch * XDMA_CHAN_STRIDE + reg;
}

uint32_t chan_read(QTestState *qts, bool c2h, unsigned ch, unsigned reg)
{
    return board_dma_read(qts, chan_offset(c2h, ch, reg));
}

void chan_write(QTestState *qts, bool c2h, unsigned ch, unsigned reg,
                uint32_t val)
{
    board_dma_write(qts, chan_offset(c2h, ch, reg), val);
}

uint32_t sgdma_read(QTestState *qts, bool c2h, unsigned ch, unsigned reg)
{
    return board_dma_read(qts, sgdma_offset(c2h, ch, reg));
}

void sgdma_write(QTestState *qts, bool c2h, unsigned ch, unsigned reg,
                 uint32_t val)
{
    board_dma_write(qts, sgdma_offset(c2h, ch, reg), val);
}

uint32_t chan_id(bool c2h, unsigned ch)
{
    return XDMA_ID_SUBSYSTEM |
           XDMA_ID_TARGET(c2h ? XDMA_TARGET_C2H : XDMA_TARGET_H2C) |
           (ch << 8) | XDMA_ID_VERSION;
}

uint32_t sgdma_id(bool c2h, unsigned ch)
{
    return XDMA_ID_SUBSYSTEM |
           XDMA_ID_TARGET(c2h ? XDMA_TARGET_C2H_SGDMA :
                                XDMA_TARGET_H2C_SGDMA) |
           (ch << 8) | XDMA_ID_VERSION;
}

void chan_start(QTestState *qts, bool c2h, unsigned ch, uint64_t desc,
                uint32_t adj, uint32_t control)
{
    chan_write(qts, c2h, ch, XDMA_CHAN_CONTROL, 0);
    sgdma_write(qts, c2h, ch, XDMA_SGDMA_DESC_LO, desc);
    sgdma_write(qts, c2h, ch, XDMA_SGDMA_DESC_HI, desc >> 32);
    sgdma_write(qts, c2h, ch, XDMA_SGDMA_DESC_ADJ, adj);
    chan_write(qts, c2h, ch, XDMA_CHAN_CONTROL, control | XDMA_CTRL_RUN);
}

uint32_t chan_wait_idle(QTestState *qts, bool c2h, unsigned ch,
                        uint64_t step_ns)
{
    gint64 end = g_get_monotonic_time() + WAIT_US;
    uint32_t st;

    for (;;) {
        st = chan_read(qts, c2h, ch, XDMA_CHAN_STATUS);
        if (!(st & XDMA_STAT_BUSY) || g_get_monotonic_time() > end) {
            break;
        }
        if (step_ns) {
            qtest_clock_step(qts, step_ns);
        }
    }
    if (st & XDMA_STAT_BUSY) {
        g_test_message("%s%u still busy after %d s", c2h ? "c2h" : "h2c",
                       ch, (int)(WAIT_US / G_USEC_PER_SEC));
    }
    g_assert_cmphex(st & XDMA_STAT_BUSY, ==, 0);
    return st;
}

void chan_clear_status(QTestState *qts, bool c2h, unsigned ch)
{
    chan_write(qts, c2h, ch, XDMA_CHAN_STATUS, XDMA_STAT_EVENTS);
    g_assert_cmphex(chan_read(qts, c2h, ch, XDMA_CHAN_STATUS), ==, 0);
}

void reg_assert_ro(QTestState *qts, uint64_t addr, uint32_t val)
{
    uint32_t before = qtest_readl(qts, addr);

    qtest_writel(qts, addr, val);
    g_assert_cmphex(qtest_readl(qts, addr), ==, before);
}

void msix_enable(QTestState *qts, unsigned bdf)
{
    unsigned cap = cfg_find_cap(qts, bdf, PCI_CAP_ID_MSIX);
    uint16_t flags;

    g_assert(cap);
    flags = cfg_readw(qts, bdf, cap + PCI_MSIX_FLAGS);
    cfg_writew(qts, bdf, cap + PCI_MSIX_FLAGS,
               (flags | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL);
}

static unsigned msix_entry(unsigned v)
{
    return XDMA_MSIX_TABLE_OFFSET + v * PCI_MSIX_ENTRY_SIZE;
}

void msix_vector_set(QTestState *qts, unsigned v, uint64_t addr,
                     uint32_t data)
{
    board_dma_write(qts, msix_entry(v) + PCI_MSIX_ENTRY_LOWER_ADDR, addr);
    board_dma_write(qts, msix_entry(v) + PCI_MSIX_ENTRY_UPPER_ADDR,
                    addr >> 32);
    board_dma_write(qts, msix_entry(v) + PCI_MSIX_ENTRY_DATA, data);
    msix_mask(qts, v, false);
}

void msix_mask(QTestState *qts, unsigned v, bool masked)
{
    board_dma_write(qts, msix_entry(v) + PCI_MSIX_ENTRY_VECTOR_CTRL,
                    masked ? PCI_MSIX_ENTRY_CTRL_MASKBIT : 0);
}

void desc_fill(struct xdma_desc *d, uint32_t control, uint32_t bytes,
               uint64_t src, uint64_t dst, uint64_t next)
{
    d->control = cpu_to_le32(control);
    d->bytes = cpu_to_le32(bytes);
    d->src_addr = cpu_to_le64(src);
    d->dst_addr = cpu_to_le64(dst);
    d->next_desc = cpu_to_le64(next);
}

void desc_write_control(QTestState *qts, uint64_t at, uint32_t control,
                        uint32_t bytes, uint64_t src, uint64_t dst,
                        uint64_t next)
{
    struct xdma_desc d;

    desc_fill(&d, control, bytes, src, dst, next);
    qtest_memwrite(qts, at, &d, sizeof(d));
}

void desc_write(QTestState *qts, uint64_t at, uint32_t flags, uint32_t bytes,
                uint64_t src, uint64_t dst, uint64_t next)
{
    desc_write_control(qts, at, XDMA_DESC_CONTROL(0, flags), bytes, src, dst,
                       next);
}

bool board_qom_get_bool(QTestState *qts, const char *prop)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments':"
                           " { 'path': %s, 'property': %s } }",
                           FPGA_QOM, prop);
    bool val;

    g_assert(qdict_haskey(rsp, "return"));
    val = qdict_get_bool(rsp, "return");
    qobject_unref(rsp);
    return val;
}

void board_qom_set_bool(QTestState *qts, const char *prop, bool val)
{
    qtest_qmp_assert_success(qts, "{ 'execute': 'qom-set', 'arguments':"
                             " { 'path': %s, 'property': %s, 'value': %i } }",
                             FPGA_QOM, prop, val);
}

char *migrate_status(QTestState *qts)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
    QDict *ret = qdict_get_qdict(rsp, "return");
    char *status = g_strdup(qdict_get_try_str(ret, "status"));

    qobject_unref(rsp);
    return status;
}

bool migrate_wait(QTestState *qts)
{
    for (;;) {
        g_autofree char *status = migrate_status(qts);

        if (status && !strcmp(status, "completed")) {
            return true;
        }
        if (status && !strcmp(status, "failed")) {
            return false;
        }
        g_usleep(10 * 1000);
    }
}

void migrate_to_file(QTestState *src, const char *file)
{
    g_autofree char *uri = g_strdup_printf("file:%s", file);

    qtest_qmp_assert_success(src, "{ 'execute': 'stop' }");
    qtest_qmp_assert_success(src, "{ 'execute': 'migrate',"
                             "  'arguments': { 'uri': %s } }", uri);
    g_assert_true(migrate_wait(src));
}

/* ==== Board: a machine booted through libqos ============================== */

#define FPGA_DEVFN      QPCI_DEVFN(SLOT, 0)

/*
 * Enable MSI-X on BAR1 as mapped (qpci_msix_enable would map the BAR
 * again) and point every vector at its own word of guest RAM.
 */
static void board_msix_setup(Board *b)
{
    uint8_t cap = qpci_find_capability(b->dev, PCI_CAP_ID_MSIX, 0);
    uint16_t flags;
    uint32_t table, pba;
    unsigned v;

    b->nr_vec = 0;
    if (!cap) {
        return;
    }
    flags = qpci_config_readw(b->dev, cap + PCI_MSIX_FLAGS);
    b->nr_vec = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
    msix_enable(b->qts, BOARD_BDF);
    table = qpci_config_readl(b->dev, cap + PCI_MSIX_TABLE);
    pba = qpci_config_readl(b->dev, cap + PCI_MSIX_PBA);
    b->dev->msix_table_bar = b->bar[table & PCI_MSIX_FLAGS_BIRMASK];
    b->dev->msix_table_off = table & ~PCI_MSIX_FLAGS_BIRMASK;
    b->dev->msix_pba_bar = b->bar[pba & PCI_MSIX_FLAGS_BIRMASK];
    b->dev->msix_pba_off = pba & ~PCI_MSIX_FLAGS_BIRMASK;
    b->dev->msix_enabled = true;

    for (v = 0; v < b->nr_vec; v++) {
        msix_vector_set(b->qts, v, b->msg + 4 * v, MSG_DATA(v));
    }
}

/* Memory decoding and bus mastering on, BARs where they were. */
static void board_enable(Board *b)
{
    static const uint8_t bar_reg[] = {
        PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_1, PCI_BASE_ADDRESS_2,
    };
    int i;

    for (i = 0; i < 3; i++) {
        qpci_config_writel(b->dev, bar_reg[i], b->bar[i].addr);
    }
    qpci_config_writel(b->dev, PCI_BASE_ADDRESS_3, 0);
    qpci_device_enable(b->dev);
}

Board *board_boot_ram(const char *ram, const char *props)
{
    Board *b = g_new0(Board, 1);
    unsigned ch;
    int i;

    b->qs = qtest_pc_boot("-machine q35 -nodefaults -m %s " FW_ARGS
                          " -device vfpga,id=fpga,addr=04.0%s%s",
                          ram, *props ? "," : "", props);
    b->qts = b->qs->qts;
    b->dev = qpci_device_find(b->qs->pcibus, FPGA_DEVFN);
    g_assert(b->dev);
    for (i = 0; i < 3; i++) {
        b->bar[i] = qpci_iomap(b->dev, i, &b->bar_size[i]);
    }
    /*
     * BAR0 and BAR1 where the register helpers expect them.  libqos hands
     * out memory from 0xe0000000 up in BAR order, so these are the two
     * ranges it reserved for them; card memory stays where it put it.
     */
    b->bar[VFPGA_BAR_USER].addr = USER_BAR;
    b->bar[VFPGA_BAR_DMA].addr = DMA_BAR;
    board_enable(b);
    b->exp_cap = qpci_find_capability(b->dev, PCI_CAP_ID_EXP, 0);
    b->card = b->bar[VFPGA_BAR_CARD_MEM].addr;
    b->card_size = b->bar_size[VFPGA_BAR_CARD_MEM];
    b->timed = strstr(props, "dma-bandwidth-mbps") ||
               strstr(props, "dma-desc-latency-ns");

    b->msg = guest_alloc(&b->qs->alloc, 4 * VFPGA_MSIX_VECTORS);
    qtest_memset(b->qts, b->msg, 0, 4 * VFPGA_MSIX_VECTORS);
    b->desc = guest_alloc(&b->qs->alloc, 64 * KiB);
    g_assert(!(b->desc & 0xfff));
    b->buf = guest_alloc(&b->qs->alloc, 1 * MiB);
    board_msix_setup(b);

    /* Find the channels by their identifiers, as Linux's xdma does. */
    for (ch = 0; ch < XDMA_MAX_CHANNELS; ch++) {
        if (chan_read(b->qts, false, ch, XDMA_CHAN_IDENTIFIER) !=
            chan_id(false, ch)) {
            break;
        }
    }
    b->nr_chan = ch;
    b->rand = g_rand_new_with_seed(0x76667061);
    return b;
}

Board *board_boot(const char *props)
{
    return board_boot_ram("256M", props);
}

void board_free(Board *b)
{
    board_assert_alive(b);
    g_rand_free(b->rand);
    g_free(b->dev);
    qtest_shutdown(b->qs);
    g_free(b);
}

void board_reinit(Board *b)
{
    board_enable(b);
    qtest_memset(b->qts, b->msg, 0, 4 * VFPGA_MSIX_VECTORS);
    board_msix_setup(b);
}

void board_system_reset(Board *b)
{
    qtest_qmp_assert_success(b->qts, "{ 'execute': 'system_reset' }");
    qtest_qmp_eventwait(b->qts, "RESET");
}

void board_assert_alive(Board *b)
{
    g_assert_cmphex(board_user_read(b->qts, VFPGA_USER_ID), ==,
                    VFPGA_ID_MAGIC);
    g_assert_cmphex(board_irq_read(b->qts, XDMA_IRQ_IDENTIFIER), ==,
                    XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_IRQ) |
                    XDMA_ID_VERSION);
}

typedef struct RegVal {
    unsigned off;
    uint32_t val;
} RegVal;

void board_assert_reset_values(Board *b)
{
    static const RegVal user[] = {
        { VFPGA_USER_ID, VFPGA_ID_MAGIC },
        { VFPGA_USER_VERSION, VFPGA_VERSION(0, 1, 0) },
        { VFPGA_USER_SCRATCH, 0 },
        { VFPGA_USER_CAPS, VFPGA_CAP_IRQGEN | VFPGA_CAP_IRQGEN_PACED |
                           VFPGA_CAP_DMA | VFPGA_CAP_FAULT },
        { VFPGA_USER_FAULT, 0 },
        { VFPGA_USER_FAULT_VECTOR, 0 },
        { VFPGA_IRQGEN_CTRL, 0 },
        { VFPGA_IRQGEN_STATUS, 0 },
        { VFPGA_IRQGEN_LINE, 0 },
        { VFPGA_IRQGEN_COUNT, 0 },
        { VFPGA_IRQGEN_RAISED, 0 },
        { VFPGA_IRQGEN_ACKED, 0 },
        { VFPGA_IRQGEN_ACK, 0 },
        { VFPGA_IRQGEN_MODE, 0 },
        { VFPGA_IRQGEN_RATE, 0 },
        { VFPGA_IRQGEN_DURATION_US, 0 },
        { VFPGA_IRQGEN_OVERRUN, 0 },
        { VFPGA_IRQGEN_QUEUE_DEPTH, 0 },
        { VFPGA_IRQGEN_LAST_RAISE_LO, 0 },
        { VFPGA_IRQGEN_LAST_RAISE_HI, 0 },
        { VFPGA_IRQGEN_QUEUED, 0 },
        { VFPGA_IRQGEN_STALLED_US, 0 },
    };
    static const RegVal irq[] = {
        { XDMA_IRQ_IDENTIFIER, 0x1fc20006 },
        { XDMA_IRQ_USER_INT_EN, 0 },
        { XDMA_IRQ_USER_INT_EN_W1S, 0 },
        { XDMA_IRQ_USER_INT_EN_W1C, 0 },
        { XDMA_IRQ_CHAN_INT_EN, 0 },
        { XDMA_IRQ_CHAN_INT_EN_W1S, 0 },
        { XDMA_IRQ_CHAN_INT_EN_W1C, 0 },
        { XDMA_IRQ_USER_INT_REQ, 0 },
        { XDMA_IRQ_CHAN_INT_REQ, 0 },
        { XDMA_IRQ_USER_INT_PEND, 0 },
        { XDMA_IRQ_CHAN_INT_PEND, 0 },
        { XDMA_IRQ_USER_VEC_NUM + 0x0, 0 },
        { XDMA_IRQ_USER_VEC_NUM + 0x4, 0 },
        { XDMA_IRQ_USER_VEC_NUM + 0x8, 0 },
        { XDMA_IRQ_USER_VEC_NUM + 0xc, 0 },
        { XDMA_IRQ_CHAN_VEC_NUM + 0x0, 0 },
        { XDMA_IRQ_CHAN_VEC_NUM + 0x4, 0 },
    };
    static const RegVal chan[] = {
        { XDMA_CHAN_CONTROL, 0 },
        { XDMA_CHAN_STATUS, 0 },
        { XDMA_CHAN_STATUS_RC, 0 },
        { XDMA_CHAN_COMPLETED_DESC, 0 },
        { XDMA_CHAN_ALIGNMENTS, XDMA_ALIGNMENTS_VALUE },
        { XDMA_CHAN_POLL_WB_LO, 0 },
        { XDMA_CHAN_POLL_WB_HI, 0 },
        { XDMA_CHAN_INTR_ENABLE, 0 },
    };
    static const RegVal sgdma[] = {
        { XDMA_SGDMA_DESC_LO, 0 },
        { XDMA_SGDMA_DESC_HI, 0 },
        { XDMA_SGDMA_DESC_ADJ, 0 },
        { XDMA_SGDMA_DESC_CREDIT, 0 },
    };
    QTestState *qts = b->qts;
    unsigned i, ch;
    int dir;

    for (i = 0; i < ARRAY_SIZE(user); i++) {
        uint32_t v = board_user_read(qts, user[i].off);

        if (v != user[i].val) {
            g_test_message("BAR0 0x%04x: 0x%08x, reset value 0x%08x",
                           user[i].off, v, user[i].val);
        }
        g_assert_cmphex(v, ==, user[i].val);
    }
    for (i = 0; i < ARRAY_SIZE(irq); i++) {
        uint32_t v = board_irq_read(qts, irq[i].off);

        if (v != irq[i].val) {
            g_test_message("IRQ block 0x%02x: 0x%08x, reset value 0x%08x",
                           irq[i].off, v, irq[i].val);
        }
        g_assert_cmphex(v, ==, irq[i].val);
    }
    for (dir = 0; dir < 2; dir++) {
        for (ch = 0; ch < b->nr_chan; ch++) {
            g_assert_cmphex(chan_read(qts, dir, ch, XDMA_CHAN_IDENTIFIER), ==,
                            chan_id(dir, ch));
            for (i = 0; i < ARRAY_SIZE(chan); i++) {
                uint32_t v = chan_read(qts, dir, ch, chan[i].off);

                if (v != chan[i].val) {
                    g_test_message("%s%u 0x%02x: 0x%08x, reset value 0x%08x",
                                   dir ? "c2h" : "h2c", ch, chan[i].off, v,
                                   chan[i].val);
                }
                g_assert_cmphex(v, ==, chan[i].val);
            }
            g_assert_cmphex(sgdma_read(qts, dir, ch, XDMA_SGDMA_IDENTIFIER),
                            ==, sgdma_id(dir, ch));
            for (i = 0; i < ARRAY_SIZE(sgdma); i++) {
                uint32_t v = sgdma_read(qts, dir, ch, sgdma[i].off);

                if (v != sgdma[i].val) {
                    g_test_message("%s%u-sgdma 0x%02x: 0x%08x, reset value "
                                   "0x%08x", dir ? "c2h" : "h2c", ch,
                                   sgdma[i].off, v, sgdma[i].val);
                }
                g_assert_cmphex(v, ==, sgdma[i].val);
            }
        }
    }
    g_assert_cmphex(board_dma_read(qts, XDMA_CONFIG_BASE), ==, 0x1fc30006);
    g_assert_cmphex(board_dma_read(qts, XDMA_SGDMA_COMMON_BASE), ==,
                    0x1fc60006);
}

uint32_t board_chan_line(Board *b, bool c2h, unsigned ch)
{
    return 1u << (c2h ? b->nr_chan + ch : ch);
}

/* ---- MSI-X messages ------------------------------------------------------ */

bool msix_msg_take(Board *b, unsigned v)
{
    uint32_t word = qtest_readl(b->qts, b->msg + 4 * v);

    if (!word) {
        return false;
    }
    g_assert_cmphex(word, ==, MSG_DATA(v));
    qtest_writel(b->qts, b->msg + 4 * v, 0);
    return true;
}

void msix_assert_no_msg(Board *b)
{
    uint32_t words[VFPGA_MSIX_VECTORS];
    unsigned v;

    qtest_memread(b->qts, b->msg, words, sizeof(words));
    for (v = 0; v < VFPGA_MSIX_VECTORS; v++) {
        if (words[v]) {
            g_test_message("unexpected message on vector %u", v);
        }
        g_assert_cmphex(words[v], ==, 0);
    }
}

/* ---- data ---------------------------------------------------------------- */

void fill_random(GRand *r, uint8_t *buf, size_t len)
{
    size_t i;

    for (i = 0; i + 4 <= len; i += 4) {
        uint32_t x = g_rand_int(r);

        memcpy(buf + i, &x, 4);
    }
    for (; i < len; i++) {
        buf[i] = g_rand_int(r);
    }
}

/*
 * Guest memory in pieces: qtest sends a buffer as one base64 line, and
 * both ends search a growing line for its end, so big lines cost
 * quadratic time.
 */
#define MEM_CHUNK   (32 * KiB)

void mem_write(Board *b, uint64_t addr, const void *buf, size_t len)
{
    size_t off, n;

    for (off = 0; off < len; off += n) {
        n = MIN(len - off, MEM_CHUNK);
        qtest_bufwrite(b->qts, addr + off, (const uint8_t *)buf + off, n);
    }
}

void mem_read(Board *b, uint64_t addr, void *buf, size_t len)
{
    size_t off, n;

    for (off = 0; off < len; off += n) {
        n = MIN(len - off, MEM_CHUNK);
        qtest_bufread(b->qts, addr + off, (uint8_t *)buf + off, n);
    }
}

void card_write(Board *b, uint64_t off, const void *buf, size_t len)
{
    mem_write(b, b->card + off, buf, len);
}

void card_read(Board *b, uint64_t off, void *buf, size_t len)
{
    mem_read(b, b->card + off, buf, len);
}

void assert_same(const char *what, const uint8_t *want, const uint8_t *got,
                 size_t len)
{
    size_t i;

    for (i = 0; i < len && want[i] == got[i]; i++) {
        /* nothing */
    }
    if (i < len) {
        g_test_message("%s: first difference at byte %zu of %zu: "
                       "0x%02x instead of 0x%02x", what, i, len, got[i],
                       want[i]);
    }
    g_assert_cmpuint(i, ==, len);
}

/* ---- descriptors and runs ------------------------------------------------ */

/*
 * Each descriptor names the next, adjacent counts are 0 (DESC_ADJ must be
 * 0 too).
 */
void chain_write(Board *b, uint64_t at, bool c2h, const Seg *seg,
                 unsigned n, uint32_t last_flags)
{
    g_autofree struct xdma_desc *d = g_new0(struct xdma_desc, n);
    unsigned i;

    for (i = 0; i < n; i++) {
        desc_fill(&d[i], XDMA_DESC_CONTROL(0, i == n - 1 ? last_flags : 0),
                  seg[i].len, c2h ? seg[i].card : seg[i].host,
                  c2h ? seg[i].host : seg[i].card,
                  at + (i + 1) * sizeof(*d));
    }
    mem_write(b, at, d, n * sizeof(*d));
}

/*
 * XDMA blocks of random sizes (1 to 64), each in its own 4 KiB page of
 * the 64 KiB at b->desc, at a random place that keeps it inside the page.
 * A block's last descriptor names the next block and its size minus one;
 * the other descriptors' next_desc is poison, which the engine must not
 * follow.
 */
uint32_t chain_write_blocks(Board *b, bool c2h, const Seg *seg, unsigned n,
                            uint32_t last_flags, uint64_t *first)
{
    enum { PAGES = 16, PER_PAGE = 4096 / sizeof(struct xdma_desc) };
    unsigned size[PAGES], nb = 0, i, j, k = 0;
    uint64_t addr[PAGES];
    int page[PAGES];

    g_assert(n <= PAGES);
    for (i = 0; i < n; i += size[nb++]) {
        size[nb] = g_rand_int_range(b->rand, 1, MIN(n - i, 64) + 1);
    }
    for (j = 0; j < PAGES; j++) {
        page[j] = j;
    }
    for (j = 0; j < PAGES; j++) {
        int x = g_rand_int_range(b->rand, j, PAGES), t = page[j];

        page[j] = page[x];
        page[x] = t;
    }
    for (j = 0; j < nb; j++) {
        addr[j] = b->desc + page[j] * 4096 +
                  g_rand_int_range(b->rand, 0, PER_PAGE - size[j] + 1) *
                  sizeof(struct xdma_desc);
    }
    for (j = 0; j < nb; j++) {
        for (i = 0; i < size[j]; i++, k++) {
            bool last_in_block = i == size[j] - 1;
            uint32_t adj = last_in_block && j + 1 < nb ? size[j + 1] - 1 : 0;
            uint64_t next = !last_in_block ? POISON_NEXT :
                            j + 1 < nb ? addr[j + 1] : 0;

            desc_write_control(b->qts, addr[j] + i * sizeof(struct xdma_desc),
                               XDMA_DESC_CONTROL(adj, k == n - 1 ?
                                                 last_flags : 0),
                               seg[k].len, c2h ? seg[k].card : seg[k].host,
                               c2h ? seg[k].host : seg[k].card, next);
        }
    }
    *first = addr[0];
    return size[0] - 1;
}

void board_chan_start(Board *b, bool c2h, unsigned ch, uint64_t desc,
                      uint32_t adj, uint32_t control)
{
    chan_start(b->qts, c2h, ch, desc, adj, control);
    if (b->timed) {
        /*
         * Let the bottom half that fetches the first descriptor run (each
         * access is a main-loop turn) before the test moves the clock.
         */
        chan_read(b->qts, c2h, ch, XDMA_CHAN_STATUS);
        chan_read(b->qts, c2h, ch, XDMA_CHAN_STATUS);
    }
}

uint32_t board_chan_wait(Board *b, bool c2h, unsigned ch)
{
    return chan_wait_idle(b->qts, c2h, ch, b->timed ? 100 * 1000 : 0);
}

/*
 * A timed descriptor's time only schedules the engine's bottom half,
 * which runs when the main loop turns: a register read after each step.
 */
void board_clock_step_turns(Board *b, uint64_t ns)
{
    uint64_t step;

    for (; ns; ns -= step) {
        step = MIN(ns, 100 * 1000);
        qtest_clock_step(b->qts, step);
        board_user_read(b->qts, VFPGA_USER_ID);
    }
}

uint32_t board_chan_run(Board *b, bool c2h, unsigned ch, uint64_t desc,
                        uint32_t control)
{
    board_chan_start(b, c2h, ch, desc, 0, control);
    return board_chan_wait(b, c2h, ch);
}

/* Three descriptors: 4096, 5000 and 904 bytes. */
void board_assert_transfer_ok_at(Board *b, bool c2h, unsigned ch,
                                 uint64_t card)
{
    static const uint32_t lens[] = { 4096, 5000, 904 };
    enum { TOTAL = 4096 + 5000 + 904 };
    uint8_t want[TOTAL], got[TOTAL];
    Seg seg[3];
    uint64_t off = 0;
    unsigned i;

    for (i = 0; i < 3; i++) {
        seg[i] = (Seg) { b->buf + off, card + off, lens[i] };
        off += lens[i];
    }
    fill_random(b->rand, want, TOTAL);
    if (c2h) {
        card_write(b, card, want, TOTAL);
        qtest_memset(b->qts, b->buf, 0, TOTAL);
    } else {
        mem_write(b, b->buf, want, TOTAL);
    }
    chan_clear_status(b->qts, c2h, ch);
    chain_write(b, b->desc, c2h, seg, 3, LAST_FLAGS);
    g_assert_cmphex(board_chan_run(b, c2h, ch, b->desc, CTRL_LOG_ALL), ==,
                    STAT_DONE);
    g_assert_cmpuint(chan_read(b->qts, c2h, ch, XDMA_CHAN_COMPLETED_DESC), ==,
                     3);
    if (c2h) {
        mem_read(b, b->buf, got, TOTAL);
    } else {
        card_read(b, card, got, TOTAL);
    }
    assert_same(c2h ? "c2h data in host memory" : "h2c data in card memory",
                want, got, TOTAL);
    chan_clear_status(b->qts, c2h, ch);
}

void board_assert_transfer_ok(Board *b, bool c2h, unsigned ch)
{
    board_assert_transfer_ok_at(b, c2h, ch, 0);
}

/* ---- the interrupt generator --------------------------------------------- */

void irqgen_setup(Board *b, unsigned line, unsigned vec)
{
    irq_map_user_line(b->qts, line, vec);
    board_irq_write(b->qts, XDMA_IRQ_USER_INT_EN_W1S, 1u << line);
    board_user_write(b->qts, VFPGA_IRQGEN_LINE, line);
}

void irqgen_assert(Board *b, uint32_t status, uint32_t raised,
                   uint32_t acked)
{
    g_assert_cmphex(board_user_read(b->qts, VFPGA_IRQGEN_STATUS), ==, status);
    g_assert_cmpuint(board_user_read(b->qts, VFPGA_IRQGEN_RAISED), ==,
                     raised);
    g_assert_cmpuint(board_user_read(b->qts, VFPGA_IRQGEN_ACKED), ==, acked);
}

int qemu_run_status(const char *machine, const char *args, char **err)
{
    const char *qemu = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *cmd = g_strdup_printf("%s %s-display none "
                                           "-accel tcg -S %s", qemu, machine,
                                           args);
    g_autofree char *out = NULL;
    g_auto(GStrv) argv = NULL;
    int status = -1;

    g_assert(qemu);
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, err, &status, NULL));
    g_test_message("qemu said: %s", *err);
    return status;
}
