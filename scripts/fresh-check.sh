#!/bin/bash
# SPDX-License-Identifier: MIT
#
# make fresh-check: the README's commands on a machine that has nothing but
# what set-up installs.  CI runs on a machine that earlier work has already
# filled, so a missing install step passes there; this check is the only
# one that sees it.
#
#   1. a minimal Debian 12 root (debootstrap --variant=minbase), kept as a
#      tarball in $VFPGA_CACHE/fresh-root/ and built anew when older than
#      $VFPGA_FRESH_MAX_AGE days (default 7) or made from another mirror or
#      debootstrap;
#   2. unpacked under build/fresh-check/root, with this machine's apt
#      sources and network settings (what a fresh machine here would have),
#      and a clean clone of this tree's HEAD in /root/vfpga;
#   3. in a private mount namespace (proc, sys and the host's /dev, so a
#      broken /dev/kvm is there too), chroot into it and run what the
#      README tells a new user to run: install make, then `make test` and
#      `make run`, as root, with a clean environment;
#   4. print each step's wall time and make test's summary lines.  The log
#      is build/fresh-check/fresh-check.log; the root is removed after a
#      pass and kept after a failure.
#
# Downloads are cached between runs unless VFPGA_FRESH_CACHE=0: the root's
# apt archives in $VFPGA_CACHE/fresh-root/apt-archives and vfpga's own
# download cache (QEMU's source, kernel packages) bound in as
# /var/cache/vfpga.  With VFPGA_FRESH_CACHE=0 it measures a machine that
# must download everything.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VFPGA_CACHE:-/var/cache/vfpga}
BASE=$CACHE/fresh-root
WORK=$TOP/build/fresh-check
ROOT=$WORK/root
LOG=$WORK/fresh-check.log
MAX_AGE=${VFPGA_FRESH_MAX_AGE:-7}
USE_CACHE=${VFPGA_FRESH_CACHE:-1}
SUITE=bookworm

say() { echo "fresh-check: $*"; }
die() { echo "fresh-check: $*" >&2; exit 1; }
now() { date +%s; }
since() { echo $(($(now) - $1)); }

[ "$(id -u)" -eq 0 ] || die "must run as root: it builds and enters a chroot."
command -v debootstrap >/dev/null || die "needs debootstrap; run scripts/setup.sh."
command -v unshare >/dev/null || die "needs unshare (util-linux)."

# The mirror this machine's apt uses for Debian itself.
mirror=$(awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' \
	/etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 == "'$SUITE'" {print $2; exit}' \
	/etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

start_all=$(now)
mkdir -p "$WORK" "$BASE"
: >"$LOG"

# 1. The base root, rebuilt when stale.
stamp="$SUITE minbase $mirror debootstrap $(debootstrap --version | awk '{print $2}')"
tarball=$BASE/$SUITE-minbase.tar
fresh=1
[ -s "$tarball" ] && [ "$(cat "$BASE/stamp" 2>/dev/null)" = "$stamp" ] &&
	[ -z "$(find "$tarball" -mtime +"$MAX_AGE")" ] && fresh=0
if [ "$fresh" = 1 ]; then
	t=$(now)
	say "building a minimal Debian 12 root with debootstrap ($mirror)"
	tmp=$BASE/root.tmp
	rm -rf --one-file-system "$tmp"
	debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror" >>"$LOG" 2>&1 ||
		die "debootstrap failed; see $LOG"
	tar -C "$tmp" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
	rm -rf --one-file-system "$tmp"
	echo "$stamp" >"$BASE/stamp"
	say "base root built in $(since "$t") s, cached as $tarball"
else
	say "base root from the cache ($tarball, $(( ($(now) - $(stat -c %Y "$tarball")) / 86400 )) days old)"
fi

# 2. A new root from it, with this machine's apt settings and the tree.
t=$(now)
if [ -d "$ROOT" ]; then
	# A root left by an earlier failure; nothing is mounted on it out here
	# (the mounts lived in the check's private namespace).
	rm -rf --one-file-system "$ROOT"
fi
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$tarball"
if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
	rm -f "$ROOT/etc/apt/sources.list"
	for f in /etc/apt/sources.list.d/*.sources; do
		# Set-up must write its own sources; it may not find ours there.
		case $(basename "$f") in vfpga-*) continue ;; esac
		cp "$f" "$ROOT/etc/apt/sources.list.d/"
	done
fi
# Only the settings about reaching the archive (proxies, validity checks).
for f in /etc/apt/apt.conf.d/*; do
	grep -q '^[[:space:]]*Acquire' "$f" 2>/dev/null && cp "$f" "$ROOT/etc/apt/apt.conf.d/"
done
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
cp /etc/hosts "$ROOT/etc/hosts" 2>/dev/null || true

# A clean clone of what is committed: HEAD, as CI sees it.  Uncommitted
# changes stay out (they may be half-done work of someone else in this
# tree); the check says so.
git clone -q --no-hardlinks "$TOP" "$ROOT/root/vfpga"
git -C "$ROOT/root/vfpga" checkout -q --detach "$(git -C "$TOP" rev-parse HEAD)"
dirty=$(git -C "$TOP" status --porcelain --untracked-files=no | wc -l)
say "root ready in $(since "$t") s: a clean clone of $(git -C "$TOP" rev-parse --short HEAD)$([ "$dirty" -gt 0 ] && echo "; $dirty uncommitted changes are not in it")"

if [ "$USE_CACHE" != 0 ]; then
	mkdir -p "$BASE/apt-archives/partial" "$CACHE/debs"
	binds="$BASE/apt-archives:/var/cache/apt/archives $CACHE:/var/cache/vfpga"
	# Keep downloaded .debs for the next check.
	echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' \
		>"$ROOT/etc/apt/apt.conf.d/10vfpga-keep-debs"
	rm -f "$ROOT/etc/apt/apt.conf.d/docker-clean"
else
	binds=""
fi

# 3. What a new user runs, in the root.  Each step prints its time; make
# test's output goes to the log, its summary lines to stdout.
cat >"$ROOT/root/fresh-check-steps.sh" <<'EOT'
#!/bin/bash
set -uo pipefail
cd /root/vfpga
step() {		# NAME COMMAND...
	local name=$1 t rc
	shift
	t=$(date +%s)
	echo "== $name: $*"
	"$@"
	rc=$?
	echo "== $name: exit $rc after $(($(date +%s) - t)) s"
	return $rc
}
export DEBIAN_FRONTEND=noninteractive
# A minimal Debian 12 has no make; the README says to install it first.
step make-install sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends make' &&
step make-test make test &&
step make-run make run
EOT
chmod +x "$ROOT/root/fresh-check-steps.sh"

t=$(now)
say "running the README's commands in the root (log: ${LOG#"$TOP"/})"
set +e
# shellcheck disable=SC2016
unshare -m --propagation private sh -c '
	set -e
	root=$1; shift
	# The root a mount point of its own, as on a real machine: a test in
	# it that makes a private mount namespace (unshare -m) needs one.
	mount --bind "$root" "$root"
	mount -t proc proc "$root/proc"
	mount -t sysfs sysfs "$root/sys"
	mount --rbind /dev "$root/dev"
	for b in "$@"; do
		mkdir -p "$root${b#*:}"
		mount --bind "${b%%:*}" "$root${b#*:}"
	done
	exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		CI="${CI:-}" /root/fresh-check-steps.sh
' fresh-check "$ROOT" $binds >>"$LOG" 2>&1
rc=$?
set -e
run_s=$(since "$t")

# 4. Report.
grep '^== .*: exit ' "$LOG" | sed 's/^== /  /'
grep -E '^(machine: |[a-z0-9.-]+: [0-9]+ passed, [0-9]+ failed)' "$LOG" | sed 's/^/  /'
grep -E '^setup: installing' "$LOG" | sed 's/^/  /'
say "README's commands took $run_s s; wall time $(since "$start_all") s in all"
if [ $rc -ne 0 ]; then
	say "FAILED (exit $rc): the last lines of $LOG:"
	tail -n 25 "$LOG" | sed 's/^/  | /'
	say "the root is kept in $ROOT for a look (make fresh-check removes it next time)"
	exit 1
fi
rm -rf --one-file-system "$ROOT"
say "passed"
