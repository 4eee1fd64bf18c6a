# SPDX-License-Identifier: MIT
#
# Sourced by the test runners (run-tests.sh, lane.sh): one summary line per
# suite from its TAP, added to the runner's totals.
#   report SUITE TAP_FILE [EXIT_STATUS]
# prints "SUITE: N passed, N failed[, N skipped]", adds to $total_pass and
# $total_fail, and returns 1 when the suite failed.  Each failed test's
# "not ok" line is kept, and report_failures prints them all after the
# total: CI shows the tail of a run, and the tail must name what failed.

total_pass=0
total_fail=0
failures=

report_failures() {
	[ -n "$failures" ] || return 0
	echo "failed tests:"
	printf '%s' "$failures"
}

report() {		# SUITE TAP_FILE [EXIT_STATUS]
	local pass fail skip line nok
	read -r pass fail skip < <(awk -f "$TOP/scripts/tap-count.awk" "$2")
	# A run that failed as a whole fails the suite even if its TAP is clean.
	[ "${3:-0}" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
	line="$1: $pass passed, $fail failed"
	[ "$skip" -gt 0 ] && line="$line, $skip skipped"
	echo "$line"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	if [ "$fail" -gt 0 ]; then
		nok=$(grep -h '^not ok ' "$2" | sed "s/^/  $1: /")
		[ -n "$nok" ] && failures+=$nok$'\n'
		[ "$fail" -gt "$(grep -c '^not ok ' "$2")" ] &&
			failures+="  $1: tests planned but never reported (a crash, a hang or a boot that stopped)"$'\n'
		[ "${3:-0}" -ne 0 ] && failures+="  $1: exited with status $3"$'\n'
	fi
	[ "$fail" -eq 0 ]
}
