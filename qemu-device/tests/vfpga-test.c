/*
 * QTest testcase for the vfpga board
 *
 * Checks the device model against its specification, docs/register-map.md
 * and vfpga_regs.h (include/vfpga/): PCI identity, the reset value and access rules
 * of every register, XDMA transfers and their errors, the interrupt
 * generator, MSI-X delivery and masking, fault injection, resets and the
 * DMA timing model; and prints the DMA throughput seen through qtest.
 * Each area is a file of vfpga-test/; the board helpers they share are
 * vfpga-qtest.c's.
 *
 * Each test boots its own machine.  Assertions are non-fatal: a test that
 * finds the model at odds with the specification is reported as failed
 * with the values seen, and the remaining tests still run.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "vfpga-test/tests.h"

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();

    vfpga_test_add_pci();
    vfpga_test_add_dma();
    vfpga_test_add_dma_errors();
    vfpga_test_add_irqgen();
    vfpga_test_add_msix();
    vfpga_test_add_faults();
    vfpga_test_add_reset();
    vfpga_test_add_perf();
    return g_test_run();
}
