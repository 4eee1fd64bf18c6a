/*
 * QTest: the vfpga board's life cycle and surprise removal.
 *
 * - surprise-removal is refused before the board is realized (it used to
 *   crash start-up) and cannot be cleared by qom-set;
 * - a removed board deasserts INTx and sends no message.
 *
 * No firmware runs under qtest: the test programs the BARs itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/units.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "standard-headers/linux/pci_regs.h"
#include "vfpga_regs.h"

#define USER_BAR    0xe0000000ull
#define DMA_BAR     0xe0010000ull
#define CARD_BAR    0xe0100000ull
#define MSG_ADDR    0x300000ull

#define MACHINE     "-machine q35 -nodefaults -m 64M " \
                    "-L /usr/share/seabios -L /usr/share/qemu "
#define FPGA_QOM    "/machine/peripheral/fpga"

/* The board at 00:04.0. */
#define SLOT        4
#define BDF(bus, dev)   (((bus) << 8) | ((dev) << 3))
#define ON_ROOT     BDF(0, SLOT)

/* A root port to hot-plug a board into. */
#define HOTPLUG_ARGS \
    "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off " \
    "-device pcie-root-port,id=rp,bus=pcie.0,addr=05.0,chassis=1,slot=1 "

static void cfg_addr(QTestState *qts, unsigned bdf, unsigned off)
{
    qtest_outl(qts, 0xcf8, 0x80000000u | (bdf << 8) | (off & 0xfc));
}

static uint32_t cfg_readl(QTestState *qts, unsigned bdf, unsigned off)
{
    cfg_addr(qts, bdf, off);
    return qtest_inl(qts, 0xcfc);
}

static void cfg_writel(QTestState *qts, unsigned bdf, unsigned off,
                       uint32_t val)
{
    cfg_addr(qts, bdf, off);
    qtest_outl(qts, 0xcfc, val);
}

static void cfg_writew(QTestState *qts, unsigned bdf, unsigned off,
                       uint16_t val)
{
    cfg_addr(qts, bdf, off);
    qtest_outw(qts, 0xcfc + (off & 2), val);
}

static unsigned cfg_find_cap(QTestState *qts, unsigned bdf, uint8_t id)
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

static void board_setup(QTestState *qts, unsigned bdf)
{
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_0, USER_BAR);
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_1, DMA_BAR);
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_2, CARD_BAR);
    cfg_writel(qts, bdf, PCI_BASE_ADDRESS_3, 0);
    cfg_writel(qts, bdf, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    g_assert_cmphex(qtest_readl(qts, USER_BAR + VFPGA_USER_ID), ==,
                    VFPGA_ID_MAGIC);
}

static QTestState *board_boot(const char *props)
{
    QTestState *qts = qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0"
                                  ",card-mem-size=1M%s%s",
                                  *props ? "," : "", props);

    board_setup(qts, ON_ROOT);
    return qts;
}

static uint32_t board_user_read(QTestState *qts, unsigned reg)
{
    return qtest_readl(qts, USER_BAR + reg);
}

static void board_user_write(QTestState *qts, unsigned reg, uint32_t val)
{
    qtest_writel(qts, USER_BAR + reg, val);
}

/* Enable MSI-X on the board at @bdf; vector 0 writes @data to @addr. */
static void board_msix_vector0(QTestState *qts, unsigned bdf, uint64_t addr,
                               uint32_t data)
{
    unsigned cap = cfg_find_cap(qts, bdf, PCI_CAP_ID_MSIX);
    uint64_t entry = DMA_BAR + XDMA_MSIX_TABLE_OFFSET;

    g_assert(cap);
    cfg_writew(qts, bdf, cap + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_LOWER_ADDR, addr);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_UPPER_ADDR, addr >> 32);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_DATA, data);
    qtest_writel(qts, entry + PCI_MSIX_ENTRY_VECTOR_CTRL, 0);
}

/* Start the ping-pong generator on user line 0 (vector 0). */
static void irqgen_start_line0(QTestState *qts)
{
    qtest_writel(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_USER_VEC_NUM, 0);
    qtest_writel(qts, DMA_BAR + XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN, 1);
    board_user_write(qts, VFPGA_IRQGEN_LINE, 0);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 3);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
}

/* Run QEMU with @args until it exits; its wait status and stderr. */
static int qemu_run_status(const char *args, char **err)
{
    const char *qemu = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *cmd = g_strdup_printf("%s " MACHINE "-display none "
                                           "-accel tcg -S %s", qemu, args);
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

/* On the command line: an error at start-up, not a crash. */
static void test_removal_at_startup(void)
{
    g_autofree char *err = NULL;
    int status = qemu_run_status("-device vfpga,surprise-removal=on", &err);

    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_nonnull(strstr(err, "surprise-removal"));
}

/* By device_add: refused, and the machine lives on. */
static void test_removal_device_add(void)
{
    QTestState *qts = qtest_initf(MACHINE HOTPLUG_ARGS);

    qobject_unref(qtest_qmp_assert_failure_ref(qts,
                  "{ 'execute': 'device_add', 'arguments': { 'driver': "
                  "'vfpga', 'bus': 'rp', 'id': 'fpga', "
                  "'surprise-removal': true } }"));
    qtest_qmp_assert_success(qts, "{ 'execute': 'query-status' }");
    qtest_quit(qts);
}

static void qom_set_removal(QTestState *qts, bool on, bool ok)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-set', 'arguments': "
                           "{ 'path': %s, 'property': 'surprise-removal', "
                           "'value': %i } }", FPGA_QOM, on);

    g_assert_cmpint(qdict_haskey(rsp, "return"), ==, ok);
    g_assert_cmpint(qdict_haskey(rsp, "error"), ==, !ok);
    qobject_unref(rsp);
}

/* Clearing it is refused once set; a no-op clear before is fine. */
static void test_removal_qom_clear(void)
{
    QTestState *qts = board_boot("");

    qom_set_removal(qts, false, true);
    qom_set_removal(qts, true, true);
    qom_set_removal(qts, false, false);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, 0xffffffff);
    qtest_quit(qts);
}

/* A pending INTx is withdrawn by the removal. */
static void test_removal_deasserts_intx(void)
{
    QTestState *qts = board_boot("");
    int line = -1, i;

    qtest_irq_intercept_in(qts, "ioapic");
    irqgen_start_line0(qts);
    for (i = 16; i < 24; i++) {
        if (qtest_get_irq(qts, i)) {
            line = i;
        }
    }
    g_assert_cmpint(line, >=, 16);
    qom_set_removal(qts, true, true);
    g_assert_false(qtest_get_irq(qts, line));
    qtest_quit(qts);
}

/* A removed board sends nothing, not even a spurious message. */
static void test_removal_no_msg(void)
{
    QTestState *qts = board_boot("");

    board_msix_vector0(qts, ON_ROOT, MSG_ADDR, 0x5a00);
    qtest_writel(qts, MSG_ADDR, 0);
    board_user_write(qts, VFPGA_USER_FAULT_VECTOR, 0);
    qtest_qmp_assert_success(qts, "{ 'execute': 'qom-set', 'arguments': "
                             "{ 'path': %s, 'property': "
                             "'fault-spurious-msi', 'value': true } }",
                             FPGA_QOM);
    g_assert_cmphex(qtest_readl(qts, MSG_ADDR), ==, 0x5a00);
    qtest_writel(qts, MSG_ADDR, 0);

    qom_set_removal(qts, true, true);
    qtest_qmp_assert_success(qts, "{ 'execute': 'qom-set', 'arguments': "
                             "{ 'path': %s, 'property': "
                             "'fault-spurious-msi', 'value': true } }",
                             FPGA_QOM);
    g_assert_cmphex(qtest_readl(qts, MSG_ADDR), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    qtest_add_func("/vfpga/lifecycle/removal-at-startup",
                   test_removal_at_startup);
    qtest_add_func("/vfpga/lifecycle/removal-device-add",
                   test_removal_device_add);
    qtest_add_func("/vfpga/lifecycle/removal-qom-clear",
                   test_removal_qom_clear);
    qtest_add_func("/vfpga/lifecycle/removal-deasserts-intx",
                   test_removal_deasserts_intx);
    qtest_add_func("/vfpga/lifecycle/removal-no-msg", test_removal_no_msg);
    return g_test_run();
}
