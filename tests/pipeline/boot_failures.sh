#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The boot pipeline must notice a guest that goes wrong, in bounded time,
# and keep its console log: a kernel panic, a hang, and a kernel that never
# reaches /init.  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$TOP/build/test-logs/pipeline
n=0
failed=0

check() {		# NAME WANT_STATUS WANT_MESSAGE ACTION [ENV...]
	local name=$1 want=$2 msg=$3 action=$4 out rc
	shift 4
	n=$((n + 1))
	out=$(env "$@" "$TOP/scripts/boot-guest.sh" "$action" "$RUN/$name" 2>&1)
	rc=$?
	if [ $rc -eq "$want" ] && grep -q "$msg" <<<"$out" &&
	   [ -s "$RUN/$name/serial.log" ] && grep -q "$RUN/$name/serial.log" <<<"$out"; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
		echo "# wanted status $want and '$msg', got $rc:"
		sed 's/^/#   /' <<<"$out"
		failed=1
	fi
}

echo "TAP version 13"
echo "1..4"
check panic 125 "stopped without reporting" panic
check hang 124 "did not finish within 15 s" hang VFPGA_TIMEOUT=15
check no_init 125 "never reached /init" demo VFPGA_APPEND=rdinit=/nonexistent
# And the happy path reports the guest's own status.
check demo 0 "guest ran" demo
exit $failed
