# Minimal x86_64 device set for the vfpga board: q35 with PCIe root ports,
# intel-iommu (for VFIO in the guest), edu for comparison, the isa-debug-exit
# port through which the guest reports its exit status, and vfpga itself.
CONFIG_Q35=y
CONFIG_PCIE_PORT=y
CONFIG_VTD=y
CONFIG_TEST_DEVICES=y
CONFIG_EDU=y
CONFIG_ISA_DEBUG=y
CONFIG_VFPGA=y
