/*
 * QTest: the vfpga board's life cycle, surprise removal and small rules.
 *
 * - surprise-removal is refused before the board is realized (it used to
 *   crash start-up) and cannot be cleared by qom-set;
 * - a removed board deasserts INTx and sends no message;
 * - device_del then device_add with the same id works, also when the
 *   board is unplugged from inside its own engine (an MSI-X message aimed
 *   at its root port's Slot Control);
 * - a machine without MSI support still takes the board (INTx only);
 * - the engine moves no data while the VM is stopped;
 * - PG195 registers the model lacks are LOG_UNIMP, not guest errors.
 *
 * No firmware runs under qtest: the test programs BARs, bridge windows
 * and the q35 MMCONFIG window itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"

#define MACHINE     "-machine q35 -nodefaults -m 64M " FW_ARGS " "

/* The board at 00:04.0, or behind the root port at 00:05.0 on bus 1. */
#define RP_SLOT     5
#define BEHIND_RP   BDF(1, 0)
#define ROOT_PORT   BDF(0, RP_SLOT)

/* Native PCIe hotplug, so that a Slot Control write unplugs. */
#define HOTPLUG_ARGS \
    "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off " \
    "-device pcie-root-port,id=rp,bus=pcie.0,addr=05.0,chassis=1,slot=1 "

/* The root port forwards bus 1 and the BARs' window, and masters. */
static void root_port_setup(QTestState *qts)
{
    const uint64_t limit = CARD_BAR + 16 * MiB - 1;

    cfg_writel(qts, ROOT_PORT, PCI_PRIMARY_BUS, 0x00010100);
    cfg_writel(qts, ROOT_PORT, PCI_MEMORY_BASE,
               (limit >> 16 & 0xfff0) << 16 | (USER_BAR >> 16 & 0xfff0));
    cfg_writel(qts, ROOT_PORT, PCI_COMMAND,
               PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

static QTestState *machine_start(const char *props)
{
    QTestState *qts = qtest_initf(MACHINE "-device vfpga,id=fpga,addr=04.0"
                                  ",card-mem-size=1M%s%s",
                                  *props ? "," : "", props);

    board_setup(qts, BOARD_BDF);
    return qts;
}

/* Enable MSI-X on the board at @bdf; vector 0 writes @data to @addr. */
static void board_msix_vector0(QTestState *qts, unsigned bdf, uint64_t addr,
                               uint32_t data)
{
    msix_enable(qts, bdf);
    msix_vector_set(qts, 0, addr, data);
}

/* Start the ping-pong generator on user line 0 (vector 0). */
static void irqgen_start_line0(QTestState *qts)
{
    irq_map_user_line(qts, 0, 0);
    board_irq_write(qts, XDMA_IRQ_USER_INT_EN, 1);
    board_user_write(qts, VFPGA_IRQGEN_LINE, 0);
    board_user_write(qts, VFPGA_IRQGEN_COUNT, 3);
    board_user_write(qts, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
}

/* On the command line: an error at start-up, not a crash. */
static void test_removal_at_startup(void)
{
    g_autofree char *err = NULL;
    int status = qemu_run_status(MACHINE, "-device vfpga,surprise-removal=on",
                                 &err);

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
    QTestState *qts = machine_start("");

    qom_set_removal(qts, false, true);
    qom_set_removal(qts, true, true);
    qom_set_removal(qts, false, false);
    g_assert_cmphex(board_user_read(qts, VFPGA_USER_ID), ==, 0xffffffff);
    qtest_quit(qts);
}

/* A pending INTx is withdrawn by the removal. */
static void test_removal_deasserts_intx(void)
{
    QTestState *qts = machine_start("");
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
    QTestState *qts = machine_start("");

    board_msix_vector0(qts, BOARD_BDF, MSG_ADDR, 0x5a00);
    qtest_writel(qts, MSG_ADDR, 0);
    board_user_write(qts, VFPGA_USER_FAULT_VECTOR, 0);
    board_qom_set_bool(qts, "fault-spurious-msi", true);
    g_assert_cmphex(qtest_readl(qts, MSG_ADDR), ==, 0x5a00);
    qtest_writel(qts, MSG_ADDR, 0);

    qom_set_removal(qts, true, true);
    board_qom_set_bool(qts, "fault-spurious-msi", true);
    g_assert_cmphex(qtest_readl(qts, MSG_ADDR), ==, 0);
    qtest_quit(qts);
}

/*
 * Wait (boundedly) for DEVICE_DELETED of @id: the event comes when the
 * board is finalized, so it also proves nothing keeps the board alive.
 */
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
    g_test_message("no DEVICE_DELETED for %s", id);
    return false;
}

/* Power the root port's slot off, as the guest's pciehp does. */
static void slot_power_off(QTestState *qts)
{
    unsigned exp = cfg_find_cap(qts, ROOT_PORT, PCI_CAP_ID_EXP);
    uint16_t ctl;

    g_assert(exp);
    ctl = cfg_readw(qts, ROOT_PORT, exp + PCI_EXP_SLTCTL);
    cfg_writew(qts, ROOT_PORT, exp + PCI_EXP_SLTCTL,
               (ctl & ~PCI_EXP_SLTCTL_PIC) | PCI_EXP_SLTCTL_PWR_IND_OFF |
               PCI_EXP_SLTCTL_PCC);
}

/* Plug a board behind the root port and check it answers. */
static void board_plug(QTestState *qts)
{
    qtest_qmp_assert_success(qts, "{ 'execute': 'device_add', 'arguments': "
                             "{ 'driver': 'vfpga', 'bus': 'rp', "
                             "'id': 'fpga', 'card-mem-size': 1048576 } }");
    board_setup(qts, BEHIND_RP);
}

static void board_power_on_slot(QTestState *qts)
{
    unsigned exp = cfg_find_cap(qts, ROOT_PORT, PCI_CAP_ID_EXP);
    uint16_t ctl = cfg_readw(qts, ROOT_PORT, exp + PCI_EXP_SLTCTL);

    cfg_writew(qts, ROOT_PORT, exp + PCI_EXP_SLTCTL,
               (ctl & ~(PCI_EXP_SLTCTL_PIC | PCI_EXP_SLTCTL_PCC)) |
               PCI_EXP_SLTCTL_PWR_IND_ON);
}

/* device_del and device_add with the same id, three times. */
static void test_unplug_replug(void)
{
    QTestState *qts = qtest_initf(MACHINE HOTPLUG_ARGS
                                  "-device vfpga,id=fpga,bus=rp,"
                                  "card-mem-size=1M");
    unsigned i;

    root_port_setup(qts);
    board_setup(qts, BEHIND_RP);
    for (i = 0; i < 3; i++) {
        qtest_qmp_device_del_send(qts, "fpga");
        slot_power_off(qts);
        g_assert_true(wait_deleted(qts, "fpga"));
        board_power_on_slot(qts);
        board_plug(qts);
    }
    qtest_quit(qts);
}

/*
 * The engine's completion interrupt is an MSI-X message aimed at the
 * root port's Slot Control in ECAM, with "power off" as its data: the
 * board is unplugged inside its own engine.  The engine must notice and
 * touch nothing of the board afterwards; a new board then plugs in.
 */
static void test_unplug_inside_engine(void)
{
    QTestState *qts = qtest_initf(MACHINE HOTPLUG_ARGS
                                  "-device vfpga,id=fpga,bus=rp,"
                                  "card-mem-size=1M");
    unsigned exp, i;
    uint16_t ctl;
    uint64_t sltctl;

    ecam_enable(qts);
    root_port_setup(qts);
    board_setup(qts, BEHIND_RP);
    exp = cfg_find_cap(qts, ROOT_PORT, PCI_CAP_ID_EXP);
    ctl = cfg_readw(qts, ROOT_PORT, exp + PCI_EXP_SLTCTL);
    sltctl = ECAM(RP_SLOT, exp + PCI_EXP_SLTCTL);

    board_msix_vector0(qts, BEHIND_RP, sltctl,
                       (ctl & ~PCI_EXP_SLTCTL_PIC) |
                       PCI_EXP_SLTCTL_PWR_IND_OFF | PCI_EXP_SLTCTL_PCC);
    irq_map_chan_line(qts, 0, 0);
    board_irq_write(qts, XDMA_IRQ_CHAN_INT_EN, 1);
    chan_write(qts, false, 0, XDMA_CHAN_INTR_ENABLE, XDMA_STAT_EVENTS);
    chan_write(qts, false, 0, XDMA_CHAN_POLL_WB_LO, DATA_ADDR + MiB);
    /* Three descriptors: the interrupt comes with the first. */
    for (i = 0; i < 3; i++) {
        desc_write(qts, DESC_ADDR + 32 * i, i == 0 ? XDMA_DESC_COMPLETED :
                   i == 2 ? XDMA_DESC_STOPPED : 0, 4096, DATA_ADDR,
                   4096 * i, DESC_ADDR + 32 * (i + 1));
    }
    chan_start(qts, false, 0, DESC_ADDR, 0,
               XDMA_STAT_EVENTS | XDMA_CTRL_POLL_MODE_WB);
    g_assert_true(wait_deleted(qts, "fpga"));
    /* Let anything left over run, then use the machine again. */
    for (i = 0; i < 10; i++) {
        qtest_qmp_assert_success(qts, "{ 'execute': 'query-status' }");
    }
    g_assert_cmphex(qtest_readl(qts, DATA_ADDR + MiB), ==, 0);
    board_power_on_slot(qts);
    board_plug(qts);
    qtest_quit(qts);
}

/* No APIC, so no MSI on this machine: the board comes up with INTx. */
static void test_no_msi_machine(void)
{
    QTestState *qts = qtest_init(MACHINE "-cpu qemu64,-apic "
                                 "-device vfpga,id=fpga,addr=04.0,"
                                 "card-mem-size=1M");

    board_setup(qts, BOARD_BDF);
    g_assert_cmpuint(cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_MSI), ==, 0);
    g_assert_cmpuint(cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_MSIX), ==, 0);
    g_assert(cfg_find_cap(qts, BOARD_BDF, PCI_CAP_ID_EXP));
    qtest_quit(qts);
}

/* While the VM is stopped the engine waits; 'cont' lets it finish. */
static void test_no_dma_while_stopped(void)
{
    QTestState *qts = machine_start("");
    unsigned i;

    qtest_memset(qts, DATA_ADDR, 0x5a, 4096);
    qtest_writel(qts, CARD_BAR, 0);
    desc_write(qts, DESC_ADDR, XDMA_DESC_STOPPED, 4096, DATA_ADDR, 0, 0);
    qtest_qmp_assert_success(qts, "{ 'execute': 'stop' }");
    chan_start(qts, false, 0, DESC_ADDR, 0, XDMA_STAT_EVENTS);
    for (i = 0; i < 20; i++) {
        g_assert_cmphex(chan_read(qts, false, 0, XDMA_CHAN_STATUS), ==,
                        XDMA_STAT_BUSY);
    }
    g_assert_cmphex(qtest_readl(qts, CARD_BAR), ==, 0);
    qtest_qmp_assert_success(qts, "{ 'execute': 'cont' }");
    g_assert_cmphex(chan_wait_idle(qts, false, 0, 0), ==,
                    XDMA_STAT_DESC_STOPPED);
    g_assert_cmphex(qtest_readl(qts, CARD_BAR), ==, 0x5a5a5a5a);
    qtest_quit(qts);
}

/*
 * PG195's performance counters and config-block registers: unimplemented
 * (-d unimp), not the guest's mistake (-d guest_errors).
 */
static void test_unimp_registers(void)
{
    g_autofree char *dir = g_dir_make_tmp("vfpga-log-XXXXXX", NULL);
    g_autofree char *log = g_strdup_printf("%s/log", dir);
    g_autofree char *text = NULL;
    QTestState *qts = qtest_initf(MACHINE "-d unimp -D %s "
                                  "-device vfpga,addr=04.0,card-mem-size=1M",
                                  log);

    board_setup(qts, BOARD_BDF);
    g_assert_cmphex(chan_read(qts, false, 0, 0xc4), ==, 0);
    g_assert_cmphex(chan_read(qts, true, 0, 0xcc), ==, 0);
    g_assert_cmphex(board_dma_read(qts, XDMA_CONFIG_BASE + 0x08), ==, 0);
    board_dma_write(qts, XDMA_SGDMA_COMMON_BASE + 0x14, 0xf);
    qtest_quit(qts);

    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_test_message("log: %s", text);
    g_assert_nonnull(strstr(text, "PERF_CYC_LO"));
    g_assert_nonnull(strstr(text, "PERF_DAT_LO"));
    g_assert_nonnull(strstr(text, "PCIE_MAX_PAYLOAD"));
    g_assert_nonnull(strstr(text, "DESC_CONTROL_W1S"));
    unlink(log);
    rmdir(dir);
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
    qtest_add_func("/vfpga/lifecycle/unplug-replug", test_unplug_replug);
    qtest_add_func("/vfpga/lifecycle/unplug-inside-engine",
                   test_unplug_inside_engine);
    qtest_add_func("/vfpga/lifecycle/no-msi-machine", test_no_msi_machine);
    qtest_add_func("/vfpga/lifecycle/no-dma-while-stopped",
                   test_no_dma_while_stopped);
    qtest_add_func("/vfpga/lifecycle/unimp-registers", test_unimp_registers);
    return g_test_run();
}
