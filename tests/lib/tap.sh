# SPDX-License-Identifier: MIT
#
# TAP for shell tests, sourced: `tap_plan N`, then `t NAME COMMAND...` per
# test (ok when COMMAND succeeds and prints no "warning:"), and
# `exit "$tap_failed"` at the end.  A failure shows COMMAND's last output.

tap_n=0
tap_failed=0

tap_plan() {		# COUNT
	echo "TAP version 13"
	echo "1..$1"
}

t() {			# NAME COMMAND...
	local name=$1 out
	shift
	tap_n=$((tap_n + 1))
	if out=$("$@" 2>&1) && ! grep -q "warning:" <<<"$out"; then
		echo "ok $tap_n $name"
	else
		echo "not ok $tap_n $name"
		sed 's/^/# /' <<<"$out" | tail -n 30
		tap_failed=1
	fi
}
