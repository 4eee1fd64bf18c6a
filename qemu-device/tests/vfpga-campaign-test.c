/*
 * QTest: seeded fault campaigns.
 *
 * - the same seed and the same guest actions give the same faults, event
 *   for event; another seed gives others; the seed and every injection
 *   are in the log (-d guest_errors);
 * - a link down (surprise removal) drawn by a campaign is undone by a
 *   reset, an FLR drawn by one resets the function's config space, and
 *   the campaign goes on through both until CAMPAIGN_RATE is written 0;
 *   then the board works, nothing the campaign armed is left armed;
 * - a rate or mask the campaign cannot take is refused with a clear
 *   error: on the command line, by qom-set and in the registers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "vfpga-qtest.h"

#define MACHINE     "-machine q35 -nodefaults -m 64M " FW_ARGS " "
#define XFER_LEN    4096
#define NR_OPS      64

/* Every fault that fires inside the operation that drew it. */
#define SEQ_MASK    (VFPGA_FAULT_DESC_MAGIC | VFPGA_FAULT_DMA_READ | \
                     VFPGA_FAULT_DMA_WRITE | VFPGA_FAULT_DROP_MSI | \
                     VFPGA_FAULT_DUP_MSI | VFPGA_FAULT_LATE_MSI)

static QTestState *campaign_boot(const char *props)
{
    QTestState *qts = qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0,"
                                  "card-mem-size=1M%s%s",
                                  *props ? "," : "", props);

    board_setup(qts, BOARD_BDF);
    return qts;
}

static uint64_t chan_reg(bool c2h, unsigned reg)
{
    return DMA_BAR + (c2h ? XDMA_C2H_BASE : XDMA_H2C_BASE) + reg;
}

/*
 * Channel interrupts of h2c0 and c2h0 as MSI-X vector 0, a message to
 * MSG_ADDR: the campaign sees messages too.
 */
static void board_msix_channels(QTestState *qts)
{
    unsigned cap = cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_MSIX);
    uint64_t entry = DMA_BAR + XDMA_MSIX_TABLE_OFFSET;

    g_assert(cap);
    cfg_writew(qts, BOARD_BDF, cap + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_LOWER_ADDR, MSG_ADDR);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_UPPER_ADDR, 0);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_DATA, 0x5a);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
    qtest_writel(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_CHAN_VEC_NUM, 0);
    qtest_writel(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_CHAN_VEC_NUM + 4, 0);
    qtest_writel(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN, 0xff);
}

/*
 * One transfer of XFER_LEN bytes on channel 0 (C2H when @c2h), run until
 * the engine stops (bounded), stopped and its status read and cleared as
 * a driver does.  Returns the status.
 */
static uint32_t board_xfer(QTestState *qts, bool c2h)
{
    uint32_t status = 0;
    int i;

    desc_write(qts, DESC_ADDR, XDMA_DESC_STOPPED | XDMA_DESC_COMPLETED,
               XFER_LEN, c2h ? 0 : DATA_ADDR, c2h ? DATA_ADDR : 0, 0);
    qtest_writel(qts, DMA_BAR + (c2h ? XDMA_C2H_SGDMA_BASE :
                                 XDMA_H2C_SGDMA_BASE) + XDMA_SGDMA_DESC_LO,
                 DESC_ADDR);
    qtest_writel(qts, DMA_BAR + (c2h ? XDMA_C2H_SGDMA_BASE :
                                 XDMA_H2C_SGDMA_BASE) + XDMA_SGDMA_DESC_HI, 0);
    qtest_writel(qts, chan_reg(c2h, XDMA_CHAN_INTR_ENABLE), XDMA_STAT_EVENTS);
    qtest_writel(qts, chan_reg(c2h, XDMA_CHAN_CONTROL),
                 XDMA_CTRL_RUN | XDMA_STAT_EVENTS);
    /* Each access is a main-loop turn: the engine runs in between. */
    for (i = 0; i < 1000; i++) {
        status = qtest_readl(qts, chan_reg(c2h, XDMA_CHAN_STATUS));
        if (!(status & XDMA_STAT_BUSY)) {
            break;
        }
    }
    qtest_writel(qts, chan_reg(c2h, XDMA_CHAN_CONTROL), 0);
    qtest_readl(qts, chan_reg(c2h, XDMA_CHAN_STATUS_RC));
    return status;
}

/* What transfer @i ended with and what the campaign had drawn by then. */
static void op_record(QTestState *qts, GString *seq, unsigned i)
{
    uint32_t status = board_xfer(qts, i & 1);

    g_string_append_printf(seq, "%u:%08x:%u:%u:%x ", i, status,
                           board_user_read(qts, VFPGA_CAMPAIGN_EVENTS),
                           board_user_read(qts, VFPGA_CAMPAIGN_INJECTED),
                           board_user_read(qts, VFPGA_CAMPAIGN_LAST));
}

/* NR_OPS transfers, alternating directions, on a board with @props. */
static char *campaign_run(const char *props, const char *log)
{
    g_autofree char *log_args = log ? g_strdup_printf("-d guest_errors -D %s ",
                                                      log) : g_strdup("");
    GString *seq = g_string_new("");
    QTestState *qts;
    unsigned i;

    qts = qtest_initf(MACHINE "%s-device vfpga,id=fpga,addr=04.0,"
                      "card-mem-size=1M,campaign-mask=%u,%s", log_args,
                      SEQ_MASK, props);
    board_setup(qts, BOARD_BDF);
    board_msix_channels(qts);
    for (i = 0; i < NR_OPS; i++) {
        op_record(qts, seq, i);
    }
    g_string_append_printf(seq, "faults %x",
                           board_user_read(qts, VFPGA_USER_FAULT));
    qtest_quit(qts);
    return g_string_free(seq, false);
}

static unsigned count_str(const char *text, const char *what)
{
    unsigned n = 0;

    while ((text = strstr(text, what))) {
        n++;
        text += strlen(what);
    }
    return n;
}

static void test_same_seed_same_faults(void)
{
    g_autofree char *dir = g_dir_make_tmp("vfpga-campaign-XXXXXX", NULL);
    g_autofree char *log = g_strdup_printf("%s/log", dir);
    g_autofree char *a = campaign_run("campaign-seed=42,campaign-rate=128",
                                      log);
    g_autofree char *b = campaign_run("campaign-seed=42,campaign-rate=128",
                                      NULL);
    g_autofree char *c = campaign_run("campaign-seed=43,campaign-rate=128",
                                      NULL);
    g_autofree char *text = NULL;
    g_autofree char *injected_at = NULL;
    GString *seq = g_string_new("");
    QTestState *qts;
    unsigned injected;

    g_test_message("seed 42: %s", a);
    g_test_message("seed 43: %s", c);
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpstr(a, !=, c);

    /* The log names the seed once and every injection. */
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_cmpuint(count_str(text, "fault campaign seed 0x0000002a rate "
                               "128/1024"), ==, 1);
    injected = count_str(text, ": inject ");
    g_assert_cmpuint(injected, >, 4);
    injected_at = g_strdup_printf(":%u:", injected);
    g_assert_nonnull(strstr(a, injected_at));
    unlink(log);
    rmdir(dir);

    /* Started through the registers, the seed replays the same. */
    qts = campaign_boot("");
    board_msix_channels(qts);
    board_user_write(qts, VFPGA_CAMPAIGN_MASK, SEQ_MASK);
    board_user_write(qts, VFPGA_CAMPAIGN_SEED, 42);
    board_user_write(qts, VFPGA_CAMPAIGN_RATE, 128);
    g_assert_cmpuint(board_user_read(qts, VFPGA_CAMPAIGN_RATE), ==, 128);
    op_record(qts, seq, 0);
    op_record(qts, seq, 1);
    op_record(qts, seq, 2);
    g_assert_cmpint(strncmp(a, seq->str, seq->len), ==, 0);
    g_string_free(seq, true);
    qtest_quit(qts);
}

/* Stop it, check nothing it armed stayed armed, and move data. */
static void campaign_stop_and_check(QTestState *qts)
{
    board_user_write(qts, VFPGA_CAMPAIGN_RATE, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_CAMPAIGN_RATE), ==, 0);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==, 0);
    qtest_writel(qts, DATA_ADDR, 0x600dda7a);
    g_assert_cmphex(board_xfer(qts, false), ==, XDMA_STAT_DESC_STOPPED |
                    XDMA_STAT_DESC_COMPLETED);
    g_assert_cmphex(qtest_readl(qts, CARD_BAR), ==, 0x600dda7a);
}

static void test_link_down_then_reset(void)
{
    QTestState *qts = campaign_boot("campaign-seed=7");

    qtest_qmp_assert_success(qts, "{ 'execute': 'qom-set', 'arguments': "
                             "{ 'path': %s, 'property': 'campaign-mask', "
                             "'value': %u } }", FPGA_QOM,
                             VFPGA_FAULT_SURPRISE_REMOVAL);
    qtest_qmp_assert_success(qts, "{ 'execute': 'qom-set', 'arguments': "
                             "{ 'path': %s, 'property': 'campaign-rate', "
                             "'value': 1024 } }", FPGA_QOM);
    board_xfer(qts, false);
    /* Gone: all-ones everywhere, config space included. */
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, 0xffffffff);
    g_assert_cmphex(cfg_readl(qts, BOARD_BDF, PCI_VENDOR_ID), ==, 0xffffffff);

    qtest_qmp_assert_success(qts, "{ 'execute': 'system_reset' }");
    board_setup(qts, BOARD_BDF);
    /* The campaign outlives the reset it made necessary. */
    g_assert_cmpuint(board_user_read(qts, VFPGA_CAMPAIGN_RATE), ==, 1024);
    g_assert_cmpuint(board_user_read(qts, VFPGA_CAMPAIGN_SEED), ==, 7);
    g_assert_cmpuint(board_user_read(qts, VFPGA_CAMPAIGN_INJECTED), >=, 1);
    g_assert_cmphex(board_user_read(qts, VFPGA_CAMPAIGN_LAST), ==,
                    VFPGA_FAULT_SURPRISE_REMOVAL);
    campaign_stop_and_check(qts);
    qtest_quit(qts);
}

static void test_flr(void)
{
    QTestState *qts = campaign_boot("campaign-seed=9,campaign-rate=1024");

    board_user_write(qts, VFPGA_CAMPAIGN_MASK, VFPGA_FAULT_FLR);
    board_user_write(qts, VFPGA_USER_SCRATCH, 0x1234);
    board_xfer(qts, false);
    /* Config space was reset: no BARs, no decoding. */
    g_assert_cmphex(cfg_readw(qts, BOARD_BDF, PCI_COMMAND), ==, 0);
    g_assert_cmphex(cfg_readl(qts, BOARD_BDF, PCI_BASE_ADDRESS_0), ==, 0);
    board_setup(qts, BOARD_BDF);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_SCRATCH), ==, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_CAMPAIGN_RATE), ==, 1024);
    g_assert_cmphex(board_user_read(qts, VFPGA_CAMPAIGN_LAST), ==,
                    VFPGA_FAULT_FLR);
    campaign_stop_and_check(qts);
    qtest_quit(qts);
}

/* A duplicated and a late message, armed by hand. */
static void test_dup_and_late_msi(void)
{
    QTestState *qts = campaign_boot("");

    board_msix_channels(qts);
    qtest_writel(qts, MSG_ADDR, 0);
    board_user_write(qts, VFPGA_USER_FAULT, VFPGA_FAULT_LATE_MSI);
    board_xfer(qts, false);
    g_assert_cmphex(qtest_readl(qts, MSG_ADDR), ==, 0);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==, 0);
    qtest_clock_step(qts, VFPGA_FAULT_LATE_MSI_NS);
    board_user_read(qts, VFPGA_USER_ID);
    g_assert_cmphex(qtest_readl(qts, MSG_ADDR), ==, 0x5a);

    qtest_writel(qts, MSG_ADDR, 0);
    qtest_qmp_assert_success(qts, "{ 'execute': 'qom-set', 'arguments': "
                             "{ 'path': %s, 'property': 'fault-dup-msi', "
                             "'value': true } }", FPGA_QOM);
    board_xfer(qts, false);
    g_assert_cmphex(qtest_readl(qts, MSG_ADDR), ==, 0x5a);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_FAULT), ==, 0);
    qtest_quit(qts);
}

static void qom_set_refused(QTestState *qts, const char *prop, uint32_t val,
                            const char *why)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-set', 'arguments': "
                           "{ 'path': %s, 'property': %s, 'value': %u } }",
                           FPGA_QOM, prop, val);
    QDict *error = qdict_get_qdict(rsp, "error");

    g_assert_nonnull(error);
    g_assert_nonnull(strstr(qdict_get_str(error, "desc"), why));
    qobject_unref(rsp);
}

static void test_bad_input(void)
{
    static const struct {
        const char *args;
        const char *why;
    } cmdline[] = {
        { "campaign-rate=1025", "campaign rate 1025 is more than 1024" },
        { "campaign-mask=0", "campaign mask 0x0 must be" },
        { "campaign-mask=0x800", "campaign mask 0x800 must be" },
        { "campaign-rate=many", "campaign-rate" },
        { "fault-flr=on", "fault-flr can only be set on a running board" },
    };
    QTestState *qts;
    int i;

    for (i = 0; i < ARRAY_SIZE(cmdline); i++) {
        g_autofree char *err = NULL;
        g_autofree char *args = g_strdup_printf("-device vfpga,%s",
                                                cmdline[i].args);
        int status = qemu_run_status(MACHINE, args, &err);

        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 1);
        g_assert_nonnull(strstr(err, cmdline[i].why));
    }

    qts = campaign_boot("campaign-rate=3,campaign-seed=5");
    qom_set_refused(qts, "campaign-rate", 4096,
                    "campaign rate 4096 is more than 1024");
    qom_set_refused(qts, "campaign-mask", 1u << 31,
                    "campaign mask 0x80000000 must be");
    /* Refused writes change nothing. */
    board_user_write(qts, VFPGA_CAMPAIGN_RATE, 2000);
    board_user_write(qts, VFPGA_CAMPAIGN_MASK, 0);
    board_user_write(qts, VFPGA_CAMPAIGN_MASK, 0x800);
    board_user_write(qts, VFPGA_CAMPAIGN_EVENTS, 77);
    g_assert_cmpuint(board_user_read(qts, VFPGA_CAMPAIGN_RATE), ==, 3);
    g_assert_cmphex(board_user_read(qts, VFPGA_CAMPAIGN_MASK), ==,
                    VFPGA_CAMPAIGN_FAULTS);
    g_assert_cmpuint(board_user_read(qts, VFPGA_CAMPAIGN_EVENTS), ==, 0);
    g_assert_cmpuint(board_user_read(qts, VFPGA_CAMPAIGN_SEED), ==, 5);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/vfpga/campaign/same-seed-same-faults",
                   test_same_seed_same_faults);
    qtest_add_func("/vfpga/campaign/link-down-then-reset",
                   test_link_down_then_reset);
    qtest_add_func("/vfpga/campaign/flr", test_flr);
    qtest_add_func("/vfpga/campaign/dup-and-late-msi", test_dup_and_late_msi);
    qtest_add_func("/vfpga/campaign/bad-input", test_bad_input);
    return g_test_run();
}
