#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Live migration under load (make test-migration): a running guest moves
# from one QEMU to another on this machine while DMA and an interrupt
# storm run on its board (tests/migration/vfpga_migration_load.c).
#   1. the source boots the guest (vfpga_run=migrate) with a QMP socket;
#      the destination waits with -incoming on a unix socket, both through
#      scripts/boot-guest.sh, so the machine is the one every suite uses;
#   2. once the guest says its load runs, QMP migrate moves it (precopy);
#   3. the guest finishes on the destination: its DMA checked byte for
#      byte, its storms counted alike by board and plugin, and 16 MiB of
#      card memory written before the migration read back after it.
# The host drives both QEMUs through host-qmp.sock in each run folder
# (qmp.sock is the guest's own monitor, scripts/boot-guest.sh).
# Prints what moved, the downtime QEMU measured, and the guest's counters
# on the last progress line before the switchover and the first after,
# then "migration: N passed, N failed".  Logs: build/test-logs/migration/.
#   VFPGA_MIGRATION_SECS  the guest's load time (default 25)
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
RUN=${1:-$TOP/build/test-logs/migration}
SECS=${VFPGA_MIGRATION_SECS:-25}
SRC=$RUN/src
DST=$RUN/dst
SOCK=$RUN/migrate.sock

rm -rf "$RUN"
mkdir -p "$SRC" "$DST"

# qmp SOCKET COMMAND [ARGUMENTS-JSON]: print the reply's "return" as JSON.
qmp() {
	python3 - "$@" <<'EOF'
import json, socket, sys
sock = socket.socket(socket.AF_UNIX)
sock.settimeout(30)
sock.connect(sys.argv[1])
f = sock.makefile("rw")
json.loads(f.readline())
def call(cmd, args=None):
    msg = {"execute": cmd}
    if args:
        msg["arguments"] = args
    f.write(json.dumps(msg) + "\n")
    f.flush()
    while True:
        r = json.loads(f.readline())
        if "return" in r or "error" in r:
            return r
call("qmp_capabilities")
r = call(sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else None)
if "error" in r:
    print(r["error"].get("desc", "error"), file=sys.stderr)
    sys.exit(1)
print(json.dumps(r["return"]))
EOF
}

passed=0 failed=0
fail() {
	echo "migration: FAIL: $*" >&2
	failed=$((failed + 1))
}

wait_for() {		# FILE PATTERN SECONDS
	local i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		[ $i -ge $(($3 * 10)) ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

start=$(date +%s.%N)
VFPGA_APPEND="vfpga_migration_secs=$SECS" VFPGA_TIMEOUT=300 \
	"$TOP/scripts/boot-guest.sh" migrate "$SRC" \
	-qmp "unix:$SRC/host-qmp.sock,server=on,wait=off" >"$SRC/boot.log" 2>&1 &
src_pid=$!
VFPGA_TIMEOUT=300 "$TOP/scripts/boot-guest.sh" migrate "$DST" \
	-qmp "unix:$DST/host-qmp.sock,server=on,wait=off" \
	-incoming "unix:$SOCK" >"$DST/boot.log" 2>&1 &
dst_pid=$!

cleanup() {
	kill "$src_pid" "$dst_pid" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

if ! wait_for "$SRC/results.txt" '^migration-load: running' 120; then
	fail "the guest's load never started on the source; see $SRC/results.txt"
	echo "migration: $passed passed, $failed failed"
	exit 1
fi
# Two progress lines first: the load is in full swing when it moves.
wait_for "$SRC/results.txt" 'progress t=2 ' 60

# QEMU's default of 128 MiB/s would take longer than the load: local.
qmp "$SRC/host-qmp.sock" migrate-set-parameters \
	'{"downtime-limit": 300, "max-bandwidth": 10737418240}' >/dev/null
mig_start=$(date +%s.%N)
if ! qmp "$SRC/host-qmp.sock" migrate "{\"uri\": \"unix:$SOCK\"}" >/dev/null; then
	fail "QMP migrate refused"
fi
status=none info='{}'
for _ in $(seq 1 1200); do
	info=$(qmp "$SRC/host-qmp.sock" query-migrate) || break
	status=$(echo "$info" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("status","none"))')
	case $status in completed|failed|cancelled) break ;; esac
	sleep 0.1
done
mig_end=$(date +%s.%N)
echo "$info" >"$RUN/query-migrate.json"
if [ "$status" != completed ]; then
	fail "migration ended '$status'; see $RUN/query-migrate.json"
else
	passed=$((passed + 1))
fi
# The source is paused for good once the guest runs on the destination.
qmp "$SRC/host-qmp.sock" quit >/dev/null 2>&1

wait "$dst_pid"
dst_rc=$?
trap - EXIT
wait "$src_pid" 2>/dev/null

before=$(grep '^migration-load: progress' "$SRC/results.txt" | tail -n 1)
after=$(grep '^migration-load: progress' "$DST/results.txt" | head -n 1)
done_line=$(grep '^migration-load: done' "$DST/results.txt")
exit_status=$(sed -n 's/^vfpga-exit: \([0-9]*\)$/\1/p' "$DST/results.txt" | tail -n 1)

python3 - "$RUN/query-migrate.json" "$mig_start" "$mig_end" <<'EOF'
import json, sys
q = json.load(open(sys.argv[1]))
ram = q.get("ram", {})
print("  migration: status %s, total %s ms (host %.0f ms), downtime %s ms, "
      "setup %s ms, %.1f MiB sent, %s dirty-sync rounds" % (
          q.get("status"), q.get("total-time"),
          (float(sys.argv[3]) - float(sys.argv[2])) * 1000,
          q.get("downtime"), q.get("setup-time"),
          ram.get("transferred", 0) / 2**20, ram.get("dirty-sync-count")))
EOF
echo "  before switchover (source):    ${before#migration-load: }"
echo "  after switchover (destination): ${after#migration-load: }"
echo "  guest: ${done_line#migration-load: }"

if [ -z "$after" ]; then
	fail "no progress line on the destination: the load did not outlast the migration (raise VFPGA_MIGRATION_SECS)"
fi
# The counters continue: the destination's first progress line carries
# on from the source's last (nothing reset, nothing counted twice), and
# the DMA and the storms went on after the switchover.
if [ -n "$before" ] && [ -n "$after" ] && [ -n "$done_line" ]; then
	if python3 - "$before" "$after" "$done_line" <<'EOF'
import sys
def fields(line):
    return {k: float(v) for k, v in (w.split("=") for w in line.split()
                                      if "=" in w)}
before, after, done = (fields(a) for a in sys.argv[1:])
done["dma_bytes"] = done.get("dma_bytes_verified", 0)
bad = [k for k in ("t", "dma_iters", "dma_bytes", "irqs", "storms")
       if after[k] < before[k]]
bad += ["%s (done)" % k for k in ("dma_iters", "dma_bytes", "irqs", "storms")
        if done[k] <= after[k]]
if bad:
    print("migration: FAIL: counters did not continue: " + ", ".join(bad),
          file=sys.stderr)
    sys.exit(1)
EOF
	then
		passed=$((passed + 1))
	else
		fail "the guest's counters did not continue across the switchover"
	fi
fi
if [ "$exit_status" != 0 ] || ! echo "$done_line" | grep -q ' ok$'; then
	grep '^migration-load: FAIL' "$SRC/results.txt" "$DST/results.txt" >&2
	fail "the guest's checks failed on the destination (exit '${exit_status}', boot rc $dst_rc); see $DST/results.txt"
else
	passed=$((passed + 1))
fi
printf '  wall: %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
echo "migration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
