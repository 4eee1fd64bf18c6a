#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Build a guest kernel of our own configuration (a kernel lane's), cached
# beside the download cache so that a warm tree never builds it twice:
#
#   build-kernel.sh NAME SOURCE_TARBALL OUTDIR FRAGMENT...
#
# tinyconfig, then the fragments (guest-image/kernel-configs/*.config)
# merged in order and olddefconfig; every option a fragment sets must
# survive that (a dependency the fragment missed fails the build, instead
# of a kernel silently without, say, KASAN).  The kernel is built out of
# tree in $VFPGA_CACHE/kernels/NAME-KEY/, KEY a hash of the source tarball
# and the fragments; OUTDIR/build then points at its object tree (for
# out-of-tree modules: make -C OUTDIR/build M=...) and OUTDIR/vmlinuz at
# its bzImage, the layout guest-image/fetch-kernel.sh gives Debian's.
set -euo pipefail

NAME=${1:?usage: build-kernel.sh NAME SOURCE_TARBALL OUTDIR FRAGMENT...}
TARBALL=${2:?usage: build-kernel.sh NAME SOURCE_TARBALL OUTDIR FRAGMENT...}
OUT=${3:?usage: build-kernel.sh NAME SOURCE_TARBALL OUTDIR FRAGMENT...}
shift 3
[ $# -gt 0 ] || { echo "kernel $NAME: no configuration fragment" >&2; exit 2; }
[ -f "$TARBALL" ] || { echo "kernel $NAME: no source $TARBALL; run scripts/setup.sh" >&2; exit 1; }
CACHE=${VFPGA_CACHE:-/var/cache/vfpga}/kernels
JOBS=${JOBS:-2}

key=$( { stat -L -c '%n %s %Y' "$TARBALL"; cat "$@"; } | sha256sum | cut -c1-12)
DIR=$CACHE/$NAME-$key
SRC=$DIR/src
OBJ=$DIR/obj

if [ ! -f "$DIR/.built" ]; then
	start=$(date +%s)
	mkdir -p "$DIR"
	exec 9>"$DIR/.lock"
	flock 9
fi
if [ ! -f "$DIR/.built" ]; then
	# Builds of this lane's older configurations or sources are stale.
	for old in "$CACHE/$NAME"-*; do
		[ "$old" = "$DIR" ] || rm -rf "$old"
	done
	if [ ! -f "$SRC/.unpacked" ]; then
		echo "kernel $NAME: unpacking $(basename "$TARBALL")"
		rm -rf "$SRC" && mkdir -p "$SRC"
		tar -xJf "$TARBALL" -C "$SRC" --strip-components=1
		touch "$SRC/.unpacked"
	fi
	echo "kernel $NAME: configuring (tinyconfig + $(for f in "$@"; do basename "$f" .config; done | tr '\n' ' ' | sed 's/ $//'))"
	rm -rf "$OBJ" && mkdir -p "$OBJ"
	make -s -C "$SRC" O="$OBJ" tinyconfig >"$DIR/config.log" 2>&1
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" "$@" \
		>>"$DIR/config.log" 2>&1
	make -s -C "$SRC" O="$OBJ" olddefconfig >>"$DIR/config.log" 2>&1
	# Every option asked for must be there as asked, unless this kernel
	# has no such option at all (renamed: PROC_SYSCTL is SYSCTL in 7.x),
	# which is said, and a fragment of that kernel's lane names the new one.
	grep -rhs --include='Kconfig*' -E '^(menu)?config [A-Z0-9_]+' "$SRC" |
		sed 's/^[a-z]* /CONFIG_/' | sort -u >"$DIR/symbols"
	missing=$(cat "$@" | sed -n 's/^\(CONFIG_[A-Z0-9_]*=.*\)$/\1/p; s/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1=n/p' |
		while IFS= read -r want; do
			opt=${want%%=*}
			if ! grep -qx "$opt" "$DIR/symbols"; then
				echo "kernel $NAME: this kernel has no $opt; skipped" >&2
				continue
			fi
			got=$(grep -E "^$opt=|^# $opt is not set" "$OBJ/.config" |
				sed 's/^# \(.*\) is not set$/\1=n/')
			[ "${got:-$opt=n}" = "$want" ] || echo "$want (got ${got:-$opt=n})"
		done)
	[ -z "$missing" ] || { echo "kernel $NAME: configuration lost:" $missing >&2; exit 1; }
	echo "kernel $NAME: building (make -j$JOBS bzImage modules)"
	make -C "$SRC" O="$OBJ" -j"$JOBS" bzImage modules >"$DIR/build.log" 2>&1 ||
		{ tail -n 30 "$DIR/build.log" >&2; echo "kernel $NAME: build failed; see $DIR/build.log" >&2; exit 1; }
	touch "$DIR/.built"
	echo "kernel $NAME: built in $(($(date +%s) - start)) s, cached in $DIR"
fi

mkdir -p "$OUT"
ln -sfn "$OBJ" "$OUT/build"
ln -sfn "$OBJ/arch/x86/boot/bzImage" "$OUT/vmlinuz"
