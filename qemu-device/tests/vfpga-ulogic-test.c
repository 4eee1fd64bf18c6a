/*
 * QTest: the user logic as a plug-in (include/vfpga/vfpga_user_logic.h).
 *
 * - plug-ins a board must refuse: a missing file, a wrong ABI version, no
 *   entry point, a required call missing, a create() that fails; each
 *   fails realize with one sentence, and a refused device_add leaves the
 *   machine running and the object unloaded;
 * - a plug-in's AXI error responses surface as the XDMA IP shows them:
 *   on the user BAR all-ones reads and the function's config-space error
 *   bits (Signaled Target Abort for SLVERR, Unsupported Request Detected
 *   for DECERR, Non-Fatal Error Detected for both); on the DMA path the
 *   channel's read_error / write_error bits;
 * - usr_irq_req reaches the XDMA IRQ block and MSI-X, usr_irq_ack comes
 *   back, and a plug-in's timer runs on device time;
 * - reset (system reset and FLR) resets the plug-in's state and drops its
 *   lines; the object is closed when the board is unplugged;
 * - migration: a plug-in without save/load hooks blocks it, saying why;
 *   the checksum sample migrates mid-job through its hooks and finishes
 *   on the destination; a stream with one logic's state is refused by a
 *   board running another.
 *
 * The plug-ins are built by user-logic/Makefile into build/user-logic/,
 * found beside the QEMU build (or in $VFPGA_UL_DIR).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"
#include "user-logic/checksum/checksum_regs.h"
#include "vfpga_user_logic.h"

#define MACHINE     "-machine q35 -nodefaults -m 64M " FW_ARGS " "
#define TEST_ID     0x54455354u         /* test_logic.c's ID */

/* test_logic.c's registers */
#define TL_SCRATCH  0x004
#define TL_RESETS   0x008
#define TL_RAISE    0x010
#define TL_LOWER    0x014
#define TL_ACKS     0x018
#define TL_ARM_NS   0x01c

static char *ul_path(const char *name)
{
    const char *dir = g_getenv("VFPGA_UL_DIR");
    g_autofree char *qemu_dir = NULL;

    if (dir) {
        return g_strdup_printf("%s/%s.so", dir, name);
    }
    /* build/qemu/qemu-system-x86_64 -> build/user-logic/NAME.so */
    qemu_dir = g_path_get_dirname(g_getenv("QTEST_QEMU_BINARY"));
    return g_strdup_printf("%s/../user-logic/%s.so", qemu_dir, name);
}

static QTestState *machine_start(const char *logic, const char *extra)
{
    g_autofree char *path = ul_path(logic);
    QTestState *qts;

    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    qts = qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0,"
                      "card-mem-size=1M,user-logic=%s %s", path, extra);
    board_map_bars(qts, BOARD_BDF);
    return qts;
}

/* ---- refusals ------------------------------------------------------------ */

/* QEMU exits 1 at start-up with one line naming the property and @what. */
static void assert_refused(const char *props, const char *what)
{
    g_autofree char *args = g_strdup_printf("-device vfpga,%s", props);
    g_autofree char *err = NULL;
    int status = qemu_run_status(MACHINE, args, &err);
    char *nl;

    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_nonnull(strstr(err, "vfpga: "));
    g_assert_nonnull(strstr(err, what));
    /* One sentence, on one line. */
    nl = strchr(err, '\n');
    g_assert_nonnull(nl);
    g_assert_cmpstr(nl + 1, ==, "");
}

static void test_refuse_missing(void)
{
    assert_refused("user-logic=/nonexistent/logic.so",
                   "user-logic /nonexistent/logic.so cannot be loaded: ");
}

static void test_refuse_bad_abi(void)
{
    g_autofree char *path = ul_path("test-logic-bad-abi");
    g_autofree char *props = g_strdup_printf("user-logic=%s", path);
    g_autofree char *what = g_strdup_printf("was built for user-logic ABI "
                                            "2.0, but this board speaks "
                                            "1.%d", VFPGA_UL_ABI_MINOR);

    assert_refused(props, what);
}

static void test_refuse_no_entry(void)
{
    g_autofree char *path = ul_path("test-logic-no-entry");
    g_autofree char *props = g_strdup_printf("user-logic=%s", path);

    assert_refused(props, "has no entry point vfpga_user_logic_entry()");
}

static void test_refuse_no_reset(void)
{
    g_autofree char *path = ul_path("test-logic-no-reset");
    g_autofree char *props = g_strdup_printf("user-logic=%s", path);

    assert_refused(props, "lacks reset");
}

static void test_refuse_create(void)
{
    g_autofree char *path = ul_path("test-logic");
    g_autofree char *props =
        g_strdup_printf("user-logic=%s,user-logic-args=bad", path);

    assert_refused(props, "user logic test-logic could not be created: "
                   "user-logic-args must be empty or \"ok\", not \"bad\"");
}

/* Is @name mapped into QEMU's address space? */
static bool qemu_maps(QTestState *qts, const char *name)
{
    g_autofree char *file = g_strdup_printf("/proc/%d/maps", qtest_pid(qts));
    g_autofree char *maps = NULL;

    g_assert_true(g_file_get_contents(file, &maps, NULL, NULL));
    return strstr(maps, name) != NULL;
}

/* Stream channels need a logic with the stream port of their direction. */
static void test_refuse_no_stream(void)
{
    g_autofree char *path = ul_path("test-logic");
    g_autofree char *h2c = g_strdup_printf("user-logic=%s,h2c-stream=1",
                                           path);
    g_autofree char *c2h = g_strdup_printf("user-logic=%s,c2h-stream=1",
                                           path);

    assert_refused(h2c, "vfpga: h2c-stream needs a user logic with an "
                   "AXI4-Stream H2C sink (h2c_stream, ABI 1.1); test-logic "
                   "has none");
    assert_refused(c2h, "vfpga: c2h-stream needs a user logic with an "
                   "AXI4-Stream C2H source (c2h_stream, ABI 1.1); test-logic "
                   "has none");
}

/* device_add of a plug-in whose create() fails: refused, object closed. */
static void test_refuse_device_add(void)
{
    g_autofree char *path = ul_path("test-logic");
    QTestState *qts = qtest_init(MACHINE);
    QDict *rsp;

    rsp = qtest_qmp(qts, "{ 'execute': 'device_add', 'arguments': "
                    "{ 'driver': 'vfpga', 'id': 'fpga', 'addr': '04.0', "
                    "'card-mem-size': 1048576, 'user-logic': %s, "
                    "'user-logic-args': 'bad' } }", path);
    g_assert_true(qdict_haskey(rsp, "error"));
    qobject_unref(rsp);
    g_assert_false(qemu_maps(qts, "/test-logic.so"));
    qtest_qmp_assert_success(qts, "{ 'execute': 'query-status' }");
    qtest_quit(qts);
}

/* ---- AXI-Lite: registers and error responses ----------------------------- */

static uint16_t pci_status(QTestState *qts)
{
    return cfg_readw(qts, BOARD_BDF, PCI_STATUS);
}

static uint16_t exp_devsta(QTestState *qts)
{
    unsigned exp = cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_EXP);

    g_assert(exp);
    return cfg_readw(qts, BOARD_BDF, exp + PCI_EXP_DEVSTA);
}

/* Both error registers are write-1-to-clear: clear what they hold. */
static void error_bits_clear(QTestState *qts)
{
    unsigned exp = cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_EXP);

    cfg_writew(qts, BOARD_BDF, PCI_STATUS, PCI_STATUS_SIG_TARGET_ABORT);
    cfg_writew(qts, BOARD_BDF, exp + PCI_EXP_DEVSTA,
               PCI_EXP_DEVSTA_URD | PCI_EXP_DEVSTA_NFED);
    g_assert_cmphex(pci_status(qts) & PCI_STATUS_SIG_TARGET_ABORT, ==, 0);
    g_assert_cmphex(exp_devsta(qts) & (PCI_EXP_DEVSTA_URD |
                                       PCI_EXP_DEVSTA_NFED), ==, 0);
}

static void assert_error_bits(QTestState *qts, bool ca, bool ur)
{
    g_assert_cmphex(pci_status(qts) & PCI_STATUS_SIG_TARGET_ABORT, ==,
                    ca ? PCI_STATUS_SIG_TARGET_ABORT : 0);
    g_assert_cmphex(exp_devsta(qts) & (PCI_EXP_DEVSTA_URD |
                                       PCI_EXP_DEVSTA_NFED), ==,
                    (ur ? PCI_EXP_DEVSTA_URD : 0) |
                    (ca || ur ? PCI_EXP_DEVSTA_NFED : 0));
}

static void test_axil_okay(void)
{
    QTestState *qts = machine_start("test-logic", "");

    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, TEST_ID);
    board_user_write(qts, TL_SCRATCH, 0xc0ffee42);
    g_assert_cmphex(board_user_read(qts, TL_SCRATCH), ==, 0xc0ffee42);
    /* A 64-bit access is two AXI-Lite ones, low word first. */
    g_assert_cmphex(qtest_readq(qts, USER_BAR), ==,
                    0xc0ffee4200000000ull | TEST_ID);
    /* A hole answers OKAY with zeros, and no error is recorded. */
    g_assert_cmphex(board_user_read(qts, 0x400), ==, 0);
    board_user_write(qts, 0x400, 1);
    assert_error_bits(qts, false, false);
    qtest_quit(qts);
}

static void test_axil_slverr(void)
{
    QTestState *qts = machine_start("test-logic", "");

    error_bits_clear(qts);
    g_assert_cmphex(board_user_read(qts, 0x100), ==, 0xffffffff);
    assert_error_bits(qts, true, false);
    error_bits_clear(qts);
    /* A failed write is discarded, and recorded alike. */
    board_user_write(qts, 0x104, 5);
    assert_error_bits(qts, true, false);
    /* The board goes on answering. */
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, TEST_ID);
    qtest_quit(qts);
}

static void test_axil_decerr(void)
{
    QTestState *qts = machine_start("test-logic", "");

    error_bits_clear(qts);
    g_assert_cmphex(board_user_read(qts, 0x2fc), ==, 0xffffffff);
    assert_error_bits(qts, false, true);
    error_bits_clear(qts);
    board_user_write(qts, 0x200, 5);
    assert_error_bits(qts, false, true);
    /* One 64-bit read with a failing high word: that half is all-ones. */
    error_bits_clear(qts);
    g_assert_cmphex(qtest_readq(qts, USER_BAR + 0x1fc), ==,
                    0xffffffffffffffffull);
    assert_error_bits(qts, true, true);
    qtest_quit(qts);
}

/* ---- the AXI4 slave: DMA through the plug-in ----------------------------- */

/* One 4 KiB transfer to or from card address @card; its STATUS. */
static uint32_t dma_once(QTestState *qts, bool c2h, uint64_t card)
{
    desc_write(qts, DESC_ADDR, LAST_FLAGS, 4096, c2h ? card : DATA_ADDR,
               c2h ? DATA_ADDR : card, 0);
    chan_clear_status(qts, c2h, 0);
    chan_start(qts, c2h, 0, DESC_ADDR, 0, CTRL_LOG_ALL);
    return chan_wait_idle(qts, c2h, 0, 0);
}

static void test_mm_errors(void)
{
    QTestState *qts = machine_start("test-logic", "");
    uint8_t buf[4096], back[4096];
    unsigned i;

    for (i = 0; i < sizeof(buf); i++) {
        buf[i] = i * 13 + 1;
    }
    qtest_memwrite(qts, DATA_ADDR, buf, sizeof(buf));
    /* Below 64 KiB: card memory, both ways. */
    g_assert_cmphex(dma_once(qts, false, 0x1000), ==, STAT_DONE);
    qtest_memread(qts, CARD_BAR + 0x1000, back, sizeof(back));
    assert_same("card memory", buf, back, sizeof(buf));
    qtest_memset(qts, DATA_ADDR, 0, sizeof(buf));
    g_assert_cmphex(dma_once(qts, true, 0x1000), ==, STAT_DONE);
    qtest_memread(qts, DATA_ADDR, back, sizeof(back));
    assert_same("host memory", buf, back, sizeof(buf));

    /* SLVERR: write_error bit 1 for H2C, read_error bit 1 for C2H. */
    g_assert_cmphex(dma_once(qts, false, 0x10000), ==,
                    XDMA_STAT_WRITE_ERROR_SLVERR);
    g_assert_cmphex(dma_once(qts, true, 0x10000), ==,
                    XDMA_STAT_READ_ERROR_SLVERR);
    /*
     * DECERR, inside card memory's size: the logic decodes, not card
     * memory.  write_error bit 0, read_error bit 0.
     */
    g_assert_cmphex(dma_once(qts, false, 0x20000), ==,
                    XDMA_STAT_WRITE_ERROR_DECERR);
    g_assert_cmphex(dma_once(qts, true, 0x30000), ==,
                    XDMA_STAT_READ_ERROR_DECERR);
    /* And the channel runs again afterwards. */
    g_assert_cmphex(dma_once(qts, false, 0), ==, STAT_DONE);
    qtest_quit(qts);
}

/* ---- interrupts and time ------------------------------------------------- */

static void test_irq_req_ack(void)
{
    QTestState *qts = machine_start("test-logic", "");

    msix_enable(qts, BOARD_BDF);
    msix_vector_set(qts, 2, MSG_ADDR, 0x77);
    irq_map_user_line(qts, 5, 2);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 1u << 5);
    qtest_writel(qts, MSG_ADDR, 0);

    board_user_write(qts, TL_RAISE, 5);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 1u << 5);
    g_assert_cmphex(qtest_readl(qts, MSG_ADDR), ==, 0x77);
    /* The message went out: usr_irq_ack came back, once. */
    g_assert_cmpuint(board_user_read(qts, TL_ACKS), ==, 1);
    board_user_write(qts, TL_LOWER, 5);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 0);

    /* A masked line requests, but nothing is sent and nothing acked. */
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 0);
    board_user_write(qts, TL_RAISE, 5);
    g_assert_cmpuint(board_user_read(qts, TL_ACKS), ==, 1);
    /* Enabling it sends, and acks. */
    qtest_writel(qts, MSG_ADDR, 0);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 1u << 5);
    g_assert_cmphex(qtest_readl(qts, MSG_ADDR), ==, 0x77);
    g_assert_cmpuint(board_user_read(qts, TL_ACKS), ==, 2);
    qtest_quit(qts);
}

static void test_timer(void)
{
    QTestState *qts = machine_start("test-logic", "");

    board_user_write(qts, TL_ARM_NS, 1000000);
    qtest_clock_step(qts, 999000);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 0);
    qtest_clock_step(qts, 2000);
    /* The timer's work runs in a bottom half: a register read turns it. */
    board_irq_read(qts, XDMA_IRQ_USER_INT_REQ);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 1);
    qtest_quit(qts);
}

/* ---- reset and unload ---------------------------------------------------- */

static void assert_logic_reset(QTestState *qts, uint32_t resets)
{
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, TEST_ID);
    g_assert_cmphex(board_user_read(qts, TL_SCRATCH), ==, 0);
    g_assert_cmpuint(board_user_read(qts, TL_RESETS), ==, resets);
    g_assert_cmpuint(board_user_read(qts, TL_ACKS), ==, 0);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 0);
    /* The timer armed before the reset was cancelled by it. */
    qtest_clock_step(qts, 20 * 1000 * 1000);
    board_irq_read(qts, XDMA_IRQ_USER_INT_REQ);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 0);
}

static void logic_dirty(QTestState *qts)
{
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 0xffff);
    board_user_write(qts, TL_SCRATCH, 0x1234);
    board_user_write(qts, TL_RAISE, 3);
    board_user_write(qts, TL_ARM_NS, 10 * 1000 * 1000);
    g_assert_cmpuint(board_user_read(qts, TL_ACKS), ==, 1);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 1u << 3);
}

static void test_reset(void)
{
    QTestState *qts = machine_start("test-logic", "");
    unsigned exp = cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_EXP);
    uint32_t resets = board_user_read(qts, TL_RESETS);

    /* Machine creation resets every device once. */
    g_assert_cmpuint(resets, >=, 1);
    logic_dirty(qts);
    qtest_qmp_assert_success(qts, "{ 'execute': 'system_reset' }");
    board_map_bars(qts, BOARD_BDF);
    assert_logic_reset(qts, ++resets);

    logic_dirty(qts);
    board_flr(qts, BOARD_BDF, exp);
    board_map_bars(qts, BOARD_BDF);
    assert_logic_reset(qts, ++resets);
    qtest_quit(qts);
}

/* Native PCIe hotplug behind a root port, as lifecycle-test has it. */
#define RP_SLOT     5
#define BEHIND_RP   BDF(1, 0)
#define ROOT_PORT   BDF(0, RP_SLOT)
#define HOTPLUG_ARGS \
    "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off " \
    "-device pcie-root-port,id=rp,bus=pcie.0,addr=05.0,chassis=1,slot=1 "

static bool wait_deleted(QTestState *qts, const char *id)
{
    unsigned i;

    for (i = 0; i < 1000; i++) {
        QDict *rsp = qtest_qmp_event_ref(qts, "DEVICE_DELETED");
        QDict *data = rsp ? qdict_get_qdict(rsp, "data") : NULL;
        const char *dev = data ? qdict_get_try_str(data, "device") : NULL;
        bool found = dev && !strcmp(dev, id);

        qobject_unref(rsp);
        if (found) {
            return true;
        }
        if (!rsp) {
            qtest_qmp_assert_success(qts, "{ 'execute': 'query-status' }");
            g_usleep(1000);
        }
    }
    return false;
}

/* Unplugged, the board closes its plug-in: QEMU no longer maps it. */
static void test_unload(void)
{
    g_autofree char *path = ul_path("test-logic");
    QTestState *qts = qtest_initf(MACHINE HOTPLUG_ARGS
                                  "-device vfpga,id=fpga,bus=rp,"
                                  "card-mem-size=1M,user-logic=%s", path);
    unsigned exp = cfg_find_cap(qts, ROOT_PORT, PCI_CAP_ID_EXP);
    uint16_t ctl;

    g_assert_true(qemu_maps(qts, "/test-logic.so"));
    qtest_qmp_device_del_send(qts, "fpga");
    /* Power the slot off, as the guest's pciehp does. */
    ctl = cfg_readw(qts, ROOT_PORT, exp + PCI_EXP_SLTCTL);
    cfg_writew(qts, ROOT_PORT, exp + PCI_EXP_SLTCTL,
               (ctl & ~PCI_EXP_SLTCTL_PIC) | PCI_EXP_SLTCTL_PWR_IND_OFF |
               PCI_EXP_SLTCTL_PCC);
    g_assert_true(wait_deleted(qts, "fpga"));
    g_assert_false(qemu_maps(qts, "/test-logic.so"));
    qtest_quit(qts);
}

/* ---- migration ----------------------------------------------------------- */

static void test_migration_blocked(void)
{
    QTestState *qts = machine_start("test-logic", "");
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'migrate', 'arguments': "
                           "{ 'uri': 'exec:cat >/dev/null' } }");
    const char *desc;

    g_assert_true(qdict_haskey(rsp, "error"));
    desc = qdict_get_str(qdict_get_qdict(rsp, "error"), "desc");
    g_test_message("migrate: %s", desc);
    g_assert_nonnull(strstr(desc, "vfpga: user logic test-logic ("));
    g_assert_nonnull(strstr(desc, ") has no save/load hooks, so its state "
                            "cannot migrate"));
    qobject_unref(rsp);
    qtest_quit(qts);
}

static uint32_t crc32_ieee(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xffffffff;
    unsigned k;

    while (len--) {
        crc ^= *p++;
        for (k = 0; k < 8; k++) {
            crc = crc & 1 ? 0xedb88320 ^ (crc >> 1) : crc >> 1;
        }
    }
    return ~crc;
}

#define JOB_LEN     (64 * 1024)
#define JOB_BASE    0x20000

/* A SCAN job waiting for its latency: state held by the plug-in alone. */
static void checksum_job_start(QTestState *qts, const uint8_t *data)
{
    qtest_memwrite(qts, CARD_BAR + JOB_BASE, data, JOB_LEN);
    board_user_write(qts, CSUM_SCRATCH, 0x5eed);
    board_user_write(qts, CSUM_BASE_LO, JOB_BASE);
    board_user_write(qts, CSUM_LENGTH, JOB_LEN);
    board_user_write(qts, CSUM_IRQ_LINE, 7);
    board_user_write(qts, CSUM_LATENCY_NS, 50 * 1000 * 1000);
    board_user_write(qts, CSUM_CTRL, CSUM_CTRL_SCAN);
    g_assert_cmphex(board_user_read(qts, CSUM_STATUS), ==, CSUM_STATUS_BUSY);
}

static void checksum_job_finish(QTestState *qts, const uint8_t *data)
{
    qtest_clock_step(qts, 60 * 1000 * 1000);
    board_user_read(qts, CSUM_STATUS);
    g_assert_cmphex(board_user_read(qts, CSUM_STATUS), ==, CSUM_STATUS_DONE);
    g_assert_cmphex(board_user_read(qts, CSUM_RESULT), ==,
                    crc32_ieee(data, JOB_LEN));
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 1u << 7);
    g_assert_cmphex(board_user_read(qts, CSUM_SCRATCH), ==, 0x5eed);
    board_user_write(qts, CSUM_STATUS, CSUM_STATUS_DONE);
    g_assert_cmphex(board_irq_read(qts, XDMA_IRQ_USER_INT_REQ), ==, 0);
}

static void test_migration_save_load(void)
{
    g_autofree char *dir = g_dir_make_tmp("vfpga-ulogic-XXXXXX", NULL);
    g_autofree char *file = g_strdup_printf("%s/state", dir);
    g_autofree char *incoming = g_strdup_printf("-incoming file:%s", file);
    g_autofree uint8_t *data = g_malloc(JOB_LEN);
    QTestState *src, *dst;
    unsigned i;

    for (i = 0; i < JOB_LEN; i++) {
        data[i] = i * 31 + (i >> 8);
    }
    src = machine_start("checksum", "");
    checksum_job_start(src, data);
    /* Not done before the move. */
    qtest_clock_step(src, 10 * 1000 * 1000);
    g_assert_cmphex(board_user_read(src, CSUM_STATUS), ==, CSUM_STATUS_BUSY);
    migrate_to_file(src, file);
    qtest_quit(src);

    dst = machine_start("checksum", incoming);
    qtest_qmp_assert_success(dst, "{ 'execute': 'cont' }");
    g_assert_cmphex(board_user_read(dst, CSUM_STATUS), ==, CSUM_STATUS_BUSY);
    checksum_job_finish(dst, data);
    qtest_quit(dst);
    unlink(file);
    rmdir(dir);
}

/* The checksum state cannot go to a board running other logic. */
static void test_migration_other_logic(void)
{
    g_autofree char *dir = g_dir_make_tmp("vfpga-ulogic-XXXXXX", NULL);
    g_autofree char *file = g_strdup_printf("%s/state", dir);
    g_autofree char *path = ul_path("checksum");
    g_autofree char *args = NULL;
    g_autofree char *err = NULL;
    g_autofree uint8_t *data = g_malloc0(JOB_LEN);
    QTestState *src;
    int status;

    src = machine_start("checksum", "");
    checksum_job_start(src, data);
    migrate_to_file(src, file);
    qtest_quit(src);

    /* Into the reference design: QEMU refuses the stream and exits. */
    args = g_strdup_printf("-device vfpga,addr=04.0,card-mem-size=1M "
                           "-incoming file:%s", file);
    status = qemu_run_status(MACHINE, args, &err);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), !=, 0);
    g_assert_nonnull(strstr(err, "the stream carries the state of user "
                            "logic checksum, which this board does not "
                            "load"));
    unlink(file);
    rmdir(dir);
}

/* The sample on the DMA path: H2C into the armed window, checksummed. */
static void test_checksum_dma(void)
{
    QTestState *qts = machine_start("checksum", "");
    uint8_t buf[4096];
    unsigned i;

    for (i = 0; i < sizeof(buf); i++) {
        buf[i] = i ^ (i >> 3);
    }
    board_user_write(qts, CSUM_BASE_LO, 0x1000);
    board_user_write(qts, CSUM_LENGTH, sizeof(buf));
    board_user_write(qts, CSUM_CTRL, CSUM_CTRL_ARM);
    qtest_memwrite(qts, DATA_ADDR, buf, sizeof(buf));
    g_assert_cmphex(dma_once(qts, false, 0x1000), ==, STAT_DONE);
    g_assert_cmpuint(board_user_read(qts, CSUM_COUNT), ==, sizeof(buf));
    /* LATENCY_NS 0: DONE comes from the timer, at once in device time. */
    qtest_clock_step(qts, 1);
    board_user_read(qts, CSUM_STATUS);
    g_assert_cmphex(board_user_read(qts, CSUM_STATUS), ==, CSUM_STATUS_DONE);
    g_assert_cmphex(board_user_read(qts, CSUM_RESULT), ==,
                    crc32_ieee(buf, sizeof(buf)));
    g_assert_cmpuint(board_user_read(qts, CSUM_JOBS), ==, 1);
    /* The data also landed in card memory. */
    g_assert_cmphex(qtest_readl(qts, CARD_BAR + 0x1000), ==,
                    ldl_le_p(buf));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/vfpga/ulogic/refuse/missing", test_refuse_missing);
    qtest_add_func("/vfpga/ulogic/refuse/no-stream", test_refuse_no_stream);
    qtest_add_func("/vfpga/ulogic/refuse/bad-abi", test_refuse_bad_abi);
    qtest_add_func("/vfpga/ulogic/refuse/no-entry", test_refuse_no_entry);
    qtest_add_func("/vfpga/ulogic/refuse/no-reset", test_refuse_no_reset);
    qtest_add_func("/vfpga/ulogic/refuse/create", test_refuse_create);
    qtest_add_func("/vfpga/ulogic/refuse/device-add", test_refuse_device_add);
    qtest_add_func("/vfpga/ulogic/axil/okay", test_axil_okay);
    qtest_add_func("/vfpga/ulogic/axil/slverr", test_axil_slverr);
    qtest_add_func("/vfpga/ulogic/axil/decerr", test_axil_decerr);
    qtest_add_func("/vfpga/ulogic/mm/errors", test_mm_errors);
    qtest_add_func("/vfpga/ulogic/irq/req-ack", test_irq_req_ack);
    qtest_add_func("/vfpga/ulogic/timer", test_timer);
    qtest_add_func("/vfpga/ulogic/reset", test_reset);
    qtest_add_func("/vfpga/ulogic/unload", test_unload);
    qtest_add_func("/vfpga/ulogic/migration/blocked", test_migration_blocked);
    qtest_add_func("/vfpga/ulogic/migration/save-load",
                   test_migration_save_load);
    qtest_add_func("/vfpga/ulogic/migration/other-logic",
                   test_migration_other_logic);
    qtest_add_func("/vfpga/ulogic/checksum/dma", test_checksum_dma);
    return g_test_run();
}
