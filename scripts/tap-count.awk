# SPDX-License-Identifier: MIT
#
# Count a TAP stream (one or more test programs): prints "PASS FAIL SKIP".
# A test announced in a plan ("1..N") but never reported counts as failed,
# and so does a stream with no plan at all: a program that crashed or
# never ran cannot pass.
/^1\.\.[0-9]+/ { plan += substr($0, 4) + 0; plans++ }
/^ok / { if ($0 ~ /# [Ss][Kk][Ii][Pp]/) skip++; else pass++ }
/^not ok / { fail++ }
END {
	ran = pass + fail + skip
	if (ran < plan) fail += plan - ran
	if (plans == 0) fail++
	printf "%d %d %d\n", pass, fail, skip
}
