#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Build Linux's upstream XDMA dmaengine driver (drivers/dma/xilinx/xdma.c),
# unmodified, as an out-of-tree module for the guest kernel: the second
# client of our board's XDMA front end (see driver/xdma-glue/).
#
# Exactly the files it needs are extracted from Debian's linux-source-6.12
# into build/xdma-upstream/, keeping their relative paths so that xdma.c's
# "../virt-dma.h" resolves; the upstream Makefile of drivers/dma/xilinx/ is
# used as is, with CONFIG_XILINX_XDMA=m given on the command line (Debian's
# kernel has it off).  include/linux/platform_data/amd_xdma.h and
# include/linux/dma/amd_xdma.h already ship in the kernel headers package.
#   xdma-upstream.sh [KDIR]
# Output: build/xdma-upstream/xdma.ko (and its Module.symvers, for the glue).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
KDIR=${1:-$TOP/build/kernel/build}
OUT=$TOP/build/xdma-upstream
SRC=$OUT/linux
MOD=$SRC/drivers/dma/xilinx
TARBALL=/usr/src/linux-source-6.12.tar.xz
FILES="drivers/dma/xilinx/xdma.c drivers/dma/xilinx/xdma-regs.h
	drivers/dma/xilinx/Makefile drivers/dma/virt-dma.h drivers/dma/dmaengine.h"

[ -f "$TARBALL" ] || { echo "xdma-upstream: $TARBALL missing; run scripts/setup.sh" >&2; exit 1; }
# Debian splits the headers: the arch package's Makefile includes the
# -common one, which holds include/linux/.
COMMON=$(sed -n 's|^include \(.*\)/Makefile$|\1|p' "$KDIR/Makefile")
for h in platform_data/amd_xdma.h dma/amd_xdma.h; do
	[ -f "$KDIR/include/linux/$h" ] || [ -f "${COMMON:-$KDIR}/include/linux/$h" ] ||
		{ echo "xdma-upstream: include/linux/$h not in the kernel headers" >&2; exit 1; }
done

if [ ! -f "$OUT/.extracted" ] || [ "$TARBALL" -nt "$OUT/.extracted" ]; then
	echo "xdma-upstream: extracting drivers/dma/xilinx/xdma.c from $TARBALL"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	# shellcheck disable=SC2086 # one pattern per file
	tar -xJf "$TARBALL" -C "$SRC" --strip-components=1 \
		$(for f in $FILES; do echo "linux-source-6.12/$f"; done)
	(cd "$SRC" && sha256sum $FILES) >"$OUT/SHA256SUMS"
	touch "$OUT/.extracted"
fi

if [ "$MOD/xdma.ko" -nt "$OUT/.extracted" ] && [ "$MOD/xdma.ko" -nt "$KDIR/Module.symvers" ]; then
	exit 0
fi
make -s -C "$KDIR" M="$MOD" CONFIG_XILINX_XDMA=m modules
ln -sf linux/drivers/dma/xilinx/xdma.ko "$OUT/xdma.ko"
ln -sf linux/drivers/dma/xilinx/Module.symvers "$OUT/Module.symvers"
