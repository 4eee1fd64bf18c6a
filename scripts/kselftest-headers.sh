#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Extract the kselftest harness (and checkpatch.pl) from Debian's
# linux-source-6.12 into build/kselftest/: the tests build against the real
# harness, which is not committed here.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/kselftest
TARBALL=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)
[ -n "$TARBALL" ] || { echo "kselftest: /usr/src/linux-source-6.12.tar.xz missing; run scripts/setup.sh" >&2; exit 1; }

[ -f "$OUT/kselftest_harness.h" ] && [ "$OUT/kselftest_harness.h" -nt "$TARBALL" ] && exit 0

mkdir -p "$OUT"
echo "kselftest: extracting the harness from $TARBALL"
tar -xJf "$TARBALL" -C "$OUT" --strip-components=4 --wildcards \
	'*/tools/testing/selftests/kselftest_harness.h' \
	'*/tools/testing/selftests/kselftest.h'
# And the kernel's style checker, which the driver tests run.
mkdir -p "$OUT/scripts"
tar -xJf "$TARBALL" -C "$OUT/scripts" --strip-components=2 --wildcards \
	'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
	'*/scripts/const_structs.checkpatch'
touch "$OUT/kselftest_harness.h"
