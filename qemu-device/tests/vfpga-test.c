/*
 * QTest testcase for the vfpga board
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "libqos/libqos-pc.h"
#include "libqos/pci-pc.h"
#include "vfpga_regs.h"

static void test_nop(void)
{
    QOSState *qs = qtest_pc_boot("-machine q35 -nodefaults -L /usr/share/seabios "
                                 "-L /usr/share/qemu -device vfpga");

    qtest_shutdown(qs);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/vfpga/nop", test_nop);
    return g_test_run();
}
