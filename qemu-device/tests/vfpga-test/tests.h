/*
 * The areas of vfpga-test, each in its NAME-tests.c, registered from
 * vfpga-test.c's main().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VFPGA_TEST_TESTS_H
#define VFPGA_TEST_TESTS_H

void vfpga_test_add_pci(void);
void vfpga_test_add_dma(void);
void vfpga_test_add_dma_errors(void);
void vfpga_test_add_irqgen(void);
void vfpga_test_add_msix(void);
void vfpga_test_add_faults(void);
void vfpga_test_add_reset(void);
void vfpga_test_add_perf(void);

#endif
