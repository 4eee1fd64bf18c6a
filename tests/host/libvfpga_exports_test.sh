#!/bin/bash
# SPDX-License-Identifier: MIT
#
# libvfpga.so exports its API and nothing else: the dynamic symbols it
# defines are exactly the functions the public headers mark VFPGA_EXPORT
# (libvfpga.h, the plugin interface vfpga_kp.h and its user-mode shim
# vfpga_kp_user.h), and each marked function is exported.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
LIB=$TOP/build/userlib/libvfpga.so.0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"

# The name of the function on the line after each VFPGA_EXPORT.
awk 'prev == "VFPGA_EXPORT" && match($0, /vfpga_[a-z0-9_]+\(/) {
	print substr($0, RSTART, RLENGTH - 1) }
     { prev = $0 }' "$TOP/include/vfpga/libvfpga.h" \
	"$TOP/include/vfpga/vfpga_kp.h" "$TOP/include/vfpga/vfpga_kp_user.h" |
	sort -u >"$TMP/declared"
nm -D --defined-only "$LIB" 2>/dev/null | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' |
	sort -u >"$TMP/exported"

only_exported() { comm -23 "$TMP/exported" "$TMP/declared" | sed 's/^/exported, not in a header: /'; }
only_declared() { comm -13 "$TMP/exported" "$TMP/declared" | sed 's/^/declared, not exported: /'; }
empty() { local out; out=$("$@"); [ -z "$out" ] || { echo "$out"; return 1; }; }

tap_plan 3
t "the headers mark $(wc -l <"$TMP/declared") functions, the library exports $(wc -l <"$TMP/exported")" \
	test -s "$TMP/declared" -a -s "$TMP/exported"
t "nothing exported beyond the API" empty only_exported
t "every API function exported" empty only_declared
exit "$tap_failed"
