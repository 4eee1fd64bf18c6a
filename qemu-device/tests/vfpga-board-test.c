/*
 * QTest: the board's identity and layout properties, and the presets of
 * boards/ (docs/boards.md).
 *
 * Every bad property value fails realize with its one sentence.  Each
 * preset boots with the PCI identity, BARs (index, size, type), MSI-X
 * placement, engine identifiers and interrupt enable bits it documents;
 * a transfer on every channel it has raises the channel's bit in
 * CHAN_INT_REQ, packed as the XDMA IP packs them (every C2H bit after all
 * H2C bits).  The presets are read from $VFPGA_BOARDS_DIR
 * (scripts/run-tests.sh sets it to boards/).  A migration stream loads
 * only into a board of the same shape.
 *
 * The helpers of vfpga-qtest.c expect the reference layout (BAR0 at
 * USER_BAR, BAR1 at DMA_BAR): this program maps each board by its roles
 * itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"

#define MACHINE         "-machine q35 -nodefaults -m 64M " FW_ARGS " "

/* Where this program maps a board's BARs, by role (1 MiB user BAR max). */
#define USER_WIN        0xe0000000ull
#define CONFIG_WIN      0xe0200000ull
#define CARD_WIN        0xe1000000ull
#define NUM_BARS        6

/* ---- refusals ------------------------------------------------------------ */

typedef struct Refusal {
    const char *props;
    const char *sentence;
} Refusal;

static const Refusal refusals[] = {
    { "vendor-id=0xffff", "vfpga: vendor-id must be 0 to 0xfffe" },
    { "device-id=0x10000", "vfpga: device-id must be 0 to 0xffff" },
    { "subsystem-vendor-id=0x10000",
      "vfpga: subsystem-vendor-id must be 0 to 0xffff" },
    { "subsystem-id=0x12345", "vfpga: subsystem-id must be 0 to 0xffff" },
    { "revision=0x100", "vfpga: revision must be 0 to 0xff" },
    { "class-code=0x1000000", "vfpga: class-code must be 0 to 0xffffff" },
    { "user-bar=6", "vfpga: user-bar must be 0 to 5" },
    { "config-bar=7", "vfpga: config-bar must be 0 to 5" },
    { "card-mem-bar=5", "vfpga: card-mem-bar must be -1 (no card BAR) or "
      "0 to 4 (a 64-bit BAR, which takes the next slot too)" },
    { "card-mem-bar=-2", "vfpga: card-mem-bar must be -1" },
    /* Overlaps: two roles on one BAR, or on the card BAR's upper half. */
    { "user-bar=1", "vfpga: user-bar, config-bar and card-mem-bar must "
      "name different BARs, card-mem-bar taking its slot and the next" },
    { "config-bar=0", "must name different BARs" },
    { "card-mem-bar=1", "must name different BARs" },
    { "card-mem-bar=0", "must name different BARs" },
    { "user-bar=3", "must name different BARs" },
    { "user-bar-size=2K", "vfpga: user-bar-size must be a power of two "
      "between 4 KiB and 1 GiB" },
    { "user-bar-size=96K", "vfpga: user-bar-size must be a power of two" },
    { "user-bar-size=2G", "vfpga: user-bar-size must be a power of two" },
    { "config-bar-size=32K", "vfpga: config-bar-size must be a power of two "
      "between 64 KiB and 1 GiB" },
    { "config-bar-size=192K", "vfpga: config-bar-size must be a power of two" },
    { "card-mem-size=3M", "vfpga: card-mem-size must be a power of two "
      "between 4 KiB and 1 GiB" },
    { "dma-channels=0", "vfpga: dma-channels must be 1 to 4" },
    { "h2c-channels=5", "vfpga: h2c-channels must be 0 to 4 (or -1: as "
      "dma-channels)" },
    { "c2h-channels=-2", "vfpga: c2h-channels must be 0 to 4 (or -1: as "
      "dma-channels)" },
    { "h2c-channels=0,c2h-channels=0", "vfpga: h2c-channels and "
      "c2h-channels must not both be 0: the board needs at least one DMA "
      "channel" },
    { "user-irq-lines=0", "vfpga: user-irq-lines must be 1 to 16" },
    { "user-irq-lines=17", "vfpga: user-irq-lines must be 1 to 16" },
    { "msix-vectors=33", "vfpga: msix-vectors must be 0 to 32" },
};

/* Each bad value: QEMU exits 1 at start-up with its sentence. */
static void test_refused(const void *data)
{
    const Refusal *r = data;
    g_autofree char *args = g_strdup_printf("-device vfpga,%s", r->props);
    g_autofree char *err = NULL;
    int status = qemu_run_status(MACHINE, args, &err);

    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    if (!strstr(err, r->sentence)) {
        g_test_message("%s: wanted \"%s\"", r->props, r->sentence);
    }
    g_assert_nonnull(strstr(err, r->sentence));
}

/* The values at the edges of each range are taken. */
static void test_edges_taken(void)
{
    static const char *const ok[] = {
        "vendor-id=0xfffe,device-id=0xffff,subsystem-vendor-id=0,"
        "subsystem-id=0xffff,revision=0xff,class-code=0xffffff",
        "user-bar=5,config-bar=4,card-mem-bar=0",
        "user-bar=2,config-bar=3,card-mem-bar=4",
        "user-bar-size=4K,config-bar-size=1G",
        "h2c-channels=0,c2h-channels=1",
        "h2c-channels=4,c2h-channels=0",
        "dma-channels=1,c2h-channels=4",
        "user-irq-lines=1",
        "msix-vectors=0,config-bar-size=64K",
    };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(ok); i++) {
        QTestState *qts = qtest_initf(MACHINE "-device vfpga,addr=04.0,%s",
                                      ok[i]);

        g_test_message("%s", ok[i]);
        g_assert_cmphex(cfg_readw(qts, BOARD_BDF, PCI_VENDOR_ID), !=,
                        0xffff);
        qtest_quit(qts);
    }
}

/* ---- a board of any layout ----------------------------------------------- */

/* What a board is, as its preset documents it. */
typedef struct Shape {
    const char *name;           /* boards/NAME.board */
    uint16_t vendor, device, subsystem_vendor, subsystem_id;
    uint8_t revision;
    uint32_t class_code;
    unsigned user_bar, config_bar;
    int card_bar;
    uint64_t user_bar_size, card_size;
    unsigned h2c, c2h;
} Shape;

static const Shape presets[] = {
    { "reference", VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID,
      VFPGA_PCI_SUBSYSTEM_VENDOR_ID, VFPGA_PCI_SUBSYSTEM_ID,
      VFPGA_PCI_REVISION, VFPGA_PCI_CLASS_CODE, 0, 1, 2, 64 * KiB,
      VFPGA_CARD_MEM_DEFAULT_SIZE, 4, 4 },
    { "xdma-example", 0x10ee, 0x9038, 0x10ee, 0x0007, VFPGA_PCI_REVISION,
      VFPGA_PCI_CLASS_CODE, 0, 1, -1, 1 * MiB,
      VFPGA_CARD_MEM_DEFAULT_SIZE, 4, 4 },
    { "asymmetric", VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID,
      VFPGA_PCI_SUBSYSTEM_VENDOR_ID, VFPGA_PCI_SUBSYSTEM_ID,
      VFPGA_PCI_REVISION, VFPGA_PCI_CLASS_CODE, 0, 1, -1, 64 * KiB,
      VFPGA_CARD_MEM_DEFAULT_SIZE, 2, 1 },
};

/* A layout no preset has: the roles moved, the card BAR up high. */
static const Shape moved = {
    "moved", 0x1234, 0x5678, 0x9abc, 0xdef0, 0x42, 0x118000, 4, 0, 2,
    4 * KiB, 1 * MiB, 1, 3,
};
#define MOVED_PROPS "vendor-id=0x1234,device-id=0x5678," \
    "subsystem-vendor-id=0x9abc,subsystem-id=0xdef0,revision=0x42," \
    "class-code=0x118000,user-bar=4,user-bar-size=4K,config-bar=0," \
    "card-mem-bar=2,card-mem-size=1M,h2c-channels=1,c2h-channels=3"

/* boards/@name.board as a property list, as scripts/board-props.sh. */
static char *preset_props(const char *name)
{
    const char *dir = g_getenv("VFPGA_BOARDS_DIR");
    g_autofree char *path = NULL, *text = NULL;
    g_auto(GStrv) lines = NULL;
    GString *props = g_string_new("");
    unsigned i;

    if (!dir) {
        g_test_message("VFPGA_BOARDS_DIR is not set: it names boards/");
    }
    g_assert_nonnull(dir);
    path = g_strdup_printf("%s/%s.board", dir, name);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        char *hash = strchr(lines[i], '#');

        if (hash) {
            *hash = 0;
        }
        g_strstrip(lines[i]);
        if (*lines[i]) {
            g_string_append_printf(props, "%s%s", props->len ? "," : "",
                                   lines[i]);
        }
    }
    return g_string_free(props, false);
}

static QTestState *shape_boot(const char *props, const char *extra)
{
    return qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0%s%s %s",
                       *props ? "," : "", props, extra);
}

static unsigned bar_reg(unsigned bar)
{
    return PCI_BASE_ADDRESS_0 + 4 * bar;
}

/* The size BAR register @bar decodes (0: none), and its low flag bits. */
static uint64_t bar_probe(QTestState *qts, unsigned bar, uint32_t *flags)
{
    uint32_t lo, hi = 0xffffffff;

    cfg_writel(qts, BOARD_BDF, bar_reg(bar), 0xffffffff);
    lo = cfg_readl(qts, BOARD_BDF, bar_reg(bar));
    cfg_writel(qts, BOARD_BDF, bar_reg(bar), 0);
    *flags = lo & 0xf;
    if (!(lo & ~0xfu)) {
        return 0;
    }
    if ((lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64) {
        cfg_writel(qts, BOARD_BDF, bar_reg(bar + 1), 0xffffffff);
        hi = cfg_readl(qts, BOARD_BDF, bar_reg(bar + 1));
        cfg_writel(qts, BOARD_BDF, bar_reg(bar + 1), 0);
    }
    return ~(((uint64_t)hi << 32) | (lo & ~0xfu)) + 1;
}

/* Config space: identity, BARs and the MSI-X table's BAR. */
static void shape_assert_config(QTestState *qts, const Shape *s)
{
    unsigned bar, cap;

    g_assert_cmphex(cfg_readw(qts, BOARD_BDF, PCI_VENDOR_ID), ==, s->vendor);
    g_assert_cmphex(cfg_readw(qts, BOARD_BDF, PCI_DEVICE_ID), ==, s->device);
    g_assert_cmphex(cfg_readw(qts, BOARD_BDF, PCI_SUBSYSTEM_VENDOR_ID), ==,
                    s->subsystem_vendor);
    g_assert_cmphex(cfg_readw(qts, BOARD_BDF, PCI_SUBSYSTEM_ID), ==,
                    s->subsystem_id);
    g_assert_cmphex(cfg_readl(qts, BOARD_BDF, PCI_CLASS_REVISION), ==,
                    s->class_code << 8 | s->revision);

    for (bar = 0; bar < NUM_BARS; bar++) {
        uint32_t flags;
        uint64_t size = bar_probe(qts, bar, &flags);

        g_test_message("%s: BAR%u size 0x%" PRIx64 " flags 0x%x", s->name,
                       bar, size, flags);
        if (bar == s->user_bar) {
            g_assert_cmphex(size, ==, s->user_bar_size);
            g_assert_cmphex(flags, ==, PCI_BASE_ADDRESS_MEM_TYPE_32);
        } else if (bar == s->config_bar) {
            g_assert_cmphex(size, ==, VFPGA_BAR_DMA_SIZE);
            g_assert_cmphex(flags, ==, PCI_BASE_ADDRESS_MEM_TYPE_32);
        } else if ((int)bar == s->card_bar) {
            g_assert_cmphex(size, ==, s->card_size);
            g_assert_cmphex(flags, ==, PCI_BASE_ADDRESS_MEM_TYPE_64 |
                            PCI_BASE_ADDRESS_MEM_PREFETCH);
            bar++;              /* its upper half */
        } else {
            g_assert_cmphex(size, ==, 0);
        }
    }
    cap = cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_MSIX);
    g_assert_cmpuint(cap, !=, 0);
    g_assert_cmphex(cfg_readl(qts, BOARD_BDF, cap + PCI_MSIX_TABLE), ==,
                    XDMA_MSIX_TABLE_OFFSET | s->config_bar);
    g_assert_cmphex(cfg_readl(qts, BOARD_BDF, cap + PCI_MSIX_PBA), ==,
                    XDMA_MSIX_PBA_OFFSET | s->config_bar);
}

/* Map the board's BARs by role, memory decoding and bus mastering on. */
static void shape_map(QTestState *qts, const Shape *s)
{
    cfg_writel(qts, BOARD_BDF, bar_reg(s->user_bar), USER_WIN);
    cfg_writel(qts, BOARD_BDF, bar_reg(s->config_bar), CONFIG_WIN);
    if (s->card_bar >= 0) {
        cfg_writel(qts, BOARD_BDF, bar_reg(s->card_bar), CARD_WIN);
        cfg_writel(qts, BOARD_BDF, bar_reg(s->card_bar + 1), 0);
    }
    cfg_writel(qts, BOARD_BDF, PCI_COMMAND,
               PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

static uint32_t xdma_read(QTestState *qts, unsigned off)
{
    return qtest_readl(qts, CONFIG_WIN + off);
}

static void xdma_write(QTestState *qts, unsigned off, uint32_t val)
{
    qtest_writel(qts, CONFIG_WIN + off, val);
}

static uint32_t shape_chan_read(QTestState *qts, bool c2h, unsigned ch,
                                unsigned reg)
{
    return xdma_read(qts, chan_offset(c2h, ch, reg));
}

static void shape_chan_write(QTestState *qts, bool c2h, unsigned ch,
                             unsigned reg, uint32_t val)
{
    xdma_write(qts, chan_offset(c2h, ch, reg), val);
}

/* The engines there are identify themselves; the others read 0. */
static void shape_assert_engines(QTestState *qts, const Shape *s)
{
    unsigned ch;
    int dir;

    g_assert_cmphex(qtest_readl(qts, USER_WIN + VFPGA_USER_ID), ==,
                    VFPGA_ID_MAGIC);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_IDENTIFIER), ==,
                    0x1fc20006);
    g_assert_cmphex(xdma_read(qts, XDMA_CONFIG_BASE), ==, 0x1fc30006);
    g_assert_cmphex(xdma_read(qts, XDMA_SGDMA_COMMON_BASE), ==, 0x1fc60006);
    for (dir = 0; dir < 2; dir++) {
        unsigned n = dir ? s->c2h : s->h2c;

        for (ch = 0; ch < XDMA_MAX_CHANNELS; ch++) {
            uint32_t id = xdma_read(qts, chan_offset(dir, ch, 0));
            uint32_t sg = xdma_read(qts, sgdma_offset(dir, ch, 0));

            g_test_message("%s%u: 0x%08x 0x%08x", dir ? "c2h" : "h2c", ch,
                           id, sg);
            g_assert_cmphex(id, ==, ch < n ? chan_id(dir, ch) : 0);
            g_assert_cmphex(sg, ==, ch < n ? sgdma_id(dir, ch) : 0);
        }
    }
    /* One enable bit per channel there is, and 16 user lines. */
    xdma_write(qts, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN, 0xff);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN), ==,
                    ((1u << (s->h2c + s->c2h)) - 1));
    xdma_write(qts, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN, 0);
    xdma_write(qts, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN_W1S, 0xff);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN), ==,
                    ((1u << (s->h2c + s->c2h)) - 1));
    xdma_write(qts, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN, 0);
    xdma_write(qts, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 0xffffffff);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN), ==,
                    0xffff);
    xdma_write(qts, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 0);
}

/*
 * One descriptor of @len bytes on a channel, its completion logged and
 * its interrupt enabled: the channel's bit, and only it, is requested.
 */
static void shape_run(QTestState *qts, const Shape *s, bool c2h, unsigned ch,
                      uint64_t host, uint64_t card, uint32_t len)
{
    uint32_t bit = 1u << (c2h ? s->h2c + ch : ch);
    gint64 end;
    uint32_t st;

    desc_write(qts, DESC_ADDR, LAST_FLAGS, len, c2h ? card : host,
               c2h ? host : card, 0);
    shape_chan_write(qts, c2h, ch, XDMA_CHAN_INTR_ENABLE, STAT_DONE);
    shape_chan_write(qts, c2h, ch, XDMA_CHAN_CONTROL, 0);
    xdma_write(qts, sgdma_offset(c2h, ch, XDMA_SGDMA_DESC_LO), DESC_ADDR);
    xdma_write(qts, sgdma_offset(c2h, ch, XDMA_SGDMA_DESC_HI), 0);
    xdma_write(qts, sgdma_offset(c2h, ch, XDMA_SGDMA_DESC_ADJ), 0);
    shape_chan_write(qts, c2h, ch, XDMA_CHAN_CONTROL,
                     CTRL_LOG_ALL | XDMA_CTRL_RUN);
    /* Each read lets the main loop turn, and the engine with it. */
    end = g_get_monotonic_time() + WAIT_US;
    do {
        st = shape_chan_read(qts, c2h, ch, XDMA_CHAN_STATUS);
    } while ((st & XDMA_STAT_BUSY) && g_get_monotonic_time() < end);
    g_test_message("%s%u: status 0x%x, CHAN_INT_REQ 0x%x", c2h ? "c2h" : "h2c",
                   ch, st, xdma_read(qts, XDMA_IRQ_BASE +
                                     XDMA_IRQ_CHAN_INT_REQ));
    g_assert_cmphex(st & XDMA_STAT_ERRORS, ==, 0);
    g_assert_cmphex(st & STAT_DONE, ==, STAT_DONE);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_REQ), ==,
                    bit);
    /* Its status cleared, the request goes. */
    shape_chan_write(qts, c2h, ch, XDMA_CHAN_CONTROL, 0);
    shape_chan_write(qts, c2h, ch, XDMA_CHAN_STATUS, XDMA_STAT_EVENTS);
    shape_chan_write(qts, c2h, ch, XDMA_CHAN_INTR_ENABLE, 0);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_REQ), ==,
                    0);
}

/*
 * Every channel moves data, card memory in between: each H2C channel
 * writes its own region, each C2H channel reads one back; with a card BAR
 * the card memory is checked through it too.
 */
static void shape_assert_transfers(QTestState *qts, const Shape *s)
{
    const uint32_t len = 4096;
    uint8_t want[4096], got[4096];
    unsigned ch, i;

    for (ch = 0; ch < s->h2c; ch++) {
        for (i = 0; i < len; i++) {
            want[i] = i * 7 + ch * 31 + 1;
        }
        qtest_memwrite(qts, DATA_ADDR, want, len);
        shape_run(qts, s, false, ch, DATA_ADDR, ch * len, len);
        if (s->card_bar >= 0) {
            qtest_memread(qts, CARD_WIN + ch * len, got, len);
            g_assert_cmpmem(want, len, got, len);
        }
    }
    for (ch = 0; ch < s->c2h; ch++) {
        unsigned from = s->h2c ? ch % s->h2c : 0;

        qtest_memset(qts, DATA_ADDR, 0, len);
        shape_run(qts, s, true, ch, DATA_ADDR, from * len, len);
        if (!s->h2c) {
            continue;
        }
        for (i = 0; i < len; i++) {
            want[i] = i * 7 + from * 31 + 1;
        }
        qtest_memread(qts, DATA_ADDR, got, len);
        g_assert_cmpmem(want, len, got, len);
    }
}

static void shape_check(QTestState *qts, const Shape *s)
{
    shape_assert_config(qts, s);
    shape_map(qts, s);
    shape_assert_engines(qts, s);
    shape_assert_transfers(qts, s);
}

/* A preset of boards/ boots as docs/boards.md says. */
static void test_preset(const void *data)
{
    const Shape *s = data;
    g_autofree char *props = preset_props(s->name);
    QTestState *qts;

    g_test_message("%s: %s", s->name, props);
    qts = shape_boot(props, "");
    shape_check(qts, s);
    qtest_quit(qts);
}

/* Every role somewhere else, the IDs all changed, 1 H2C and 3 C2H. */
static void test_moved_layout(void)
{
    QTestState *qts = shape_boot(MOVED_PROPS, "");

    shape_check(qts, &moved);
    qtest_quit(qts);
}

/* dma-channels sets the direction not given; the new ones win. */
static void test_dma_channels_combine(void)
{
    static const struct {
        const char *props;
        unsigned h2c, c2h;
    } cases[] = {
        { "dma-channels=2", 2, 2 },
        { "dma-channels=2,c2h-channels=1", 2, 1 },
        { "h2c-channels=3", 3, 4 },
        { "dma-channels=1,h2c-channels=0", 0, 1 },
    };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        Shape s = presets[0];
        QTestState *qts = shape_boot(cases[i].props, "");

        g_test_message("%s", cases[i].props);
        s.h2c = cases[i].h2c;
        s.c2h = cases[i].c2h;
        shape_map(qts, &s);
        shape_assert_engines(qts, &s);
        shape_assert_transfers(qts, &s);
        qtest_quit(qts);
    }
}

/*
 * user-irq-lines=4: enable bits for lines 0-3 only, and the generator's
 * request on a line the board lacks goes nowhere.
 */
static void test_user_irq_lines(void)
{
    Shape s = presets[0];
    QTestState *qts = shape_boot("user-irq-lines=4", "");

    shape_map(qts, &s);
    xdma_write(qts, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 0xffff);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN), ==,
                    0xf);
    xdma_write(qts, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN_W1S, 0xfff0);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN), ==,
                    0xf);

    qtest_writel(qts, USER_WIN + VFPGA_IRQGEN_LINE, 5);
    qtest_writel(qts, USER_WIN + VFPGA_IRQGEN_COUNT, 1);
    qtest_writel(qts, USER_WIN + VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_REQ), ==,
                    0);
    qtest_writel(qts, USER_WIN + VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);

    qtest_writel(qts, USER_WIN + VFPGA_IRQGEN_LINE, 3);
    qtest_writel(qts, USER_WIN + VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    g_assert_cmphex(xdma_read(qts, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_REQ), ==,
                    1u << 3);
    qtest_quit(qts);
}

/* ---- migration ----------------------------------------------------------- */

/* Load @file into a board with @props: did it take it? */
static bool shape_loads(const char *props, const char *file)
{
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    QTestState *dst = shape_boot(props, "-incoming defer");
    bool loaded;

    qtest_qmp_assert_success(dst, "{ 'execute': 'migrate-incoming',"
                             "  'arguments': { 'uri': %s,"
                             "                 'exit-on-error': false } }",
                             uri);
    loaded = migrate_wait(dst);
    qtest_qmp_assert_success(dst, "{ 'execute': 'query-status' }");
    qtest_quit(dst);
    return loaded;
}

/* The shape must match on both sides of a migration. */
static void test_migration_shape(void)
{
    g_autofree char *dir = g_dir_make_tmp("vfpga-board-XXXXXX", NULL);
    g_autofree char *file = g_strdup_printf("%s/state", dir);
    const char *asym = "h2c-channels=2,c2h-channels=1,card-mem-bar=-1";
    QTestState *src = shape_boot(asym, "");

    migrate_to_file(src, file);
    qtest_quit(src);

    g_assert_true(shape_loads(asym, file));
    /* Channels, BARs, sizes and lines each differ once. */
    g_assert_false(shape_loads("h2c-channels=2,c2h-channels=2,"
                               "card-mem-bar=-1", file));
    g_assert_false(shape_loads("h2c-channels=2,c2h-channels=1", file));
    g_assert_false(shape_loads("h2c-channels=2,c2h-channels=1,"
                               "card-mem-bar=-1,user-bar-size=1M", file));
    g_assert_false(shape_loads("h2c-channels=2,c2h-channels=1,"
                               "card-mem-bar=-1,user-irq-lines=8", file));
    g_assert_false(shape_loads("h2c-channels=2,c2h-channels=1,"
                               "card-mem-bar=-1,user-bar=2,config-bar=0",
                               file));
    /* The PCI identity is compared with config space. */
    g_assert_false(shape_loads("h2c-channels=2,c2h-channels=1,"
                               "card-mem-bar=-1,device-id=0x9038", file));
    unlink(file);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    unsigned i;

    g_test_init(&argc, &argv, NULL);

    for (i = 0; i < ARRAY_SIZE(refusals); i++) {
        g_autofree char *path = g_strdup_printf("/vfpga/board/refused/%u-%s",
                                                i, refusals[i].props);

        g_strdelimit(path + strlen("/vfpga/board/refused/"), "/=,", '-');
        qtest_add_data_func(path, &refusals[i], test_refused);
    }
    qtest_add_func("/vfpga/board/edges-taken", test_edges_taken);
    for (i = 0; i < ARRAY_SIZE(presets); i++) {
        g_autofree char *path = g_strdup_printf("/vfpga/board/preset/%s",
                                                presets[i].name);

        qtest_add_data_func(path, &presets[i], test_preset);
    }
    qtest_add_func("/vfpga/board/moved-layout", test_moved_layout);
    qtest_add_func("/vfpga/board/dma-channels-combine",
                   test_dma_channels_combine);
    qtest_add_func("/vfpga/board/user-irq-lines", test_user_irq_lines);
    qtest_add_func("/vfpga/board/migration-shape", test_migration_shape);
    return g_test_run();
}
