#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/build.sh PROFILE
#
# Build vfpool.ko for PROFILE's kernel into build/PROFILE/ (a copy of the
# module sources, so profiles never share objects and the top-level tree
# stays buildable against the host), then vfpoolctl and the C selftests.
# Any compiler warning (W=1) fails the build.

set -eu
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

# All in a function: bash parses it whole before running it, so editing this
# file under a running instance cannot derail it.
main() {
	[ $# -eq 1 ] || die "usage: $0 PROFILE ($ALL_PROFILES)"
	profile_setup "$1"
	[ -f "$KDIR/Makefile" ] || die "no kernel tree at $KDIR: run selftests/vm/prepare.sh $PROFILE"

	bdir=$REPO/build/$PROFILE
	log=$bdir/build.log
	[ -f "$REPO/Kbuild" ] || die "no Kbuild in $REPO"
	# Start from a clean copy: a file deleted or renamed in kernel/ must not
	# survive in the build directory.
	rm -rf "$bdir/kernel" "$bdir/uapi"
	mkdir -p "$bdir"
	cp -a "$REPO/Kbuild" "$bdir/"
	cp -a "$REPO/kernel" "$REPO/uapi" "$bdir/"
	find "$bdir/kernel" "$bdir/uapi" \( -name '*.o' -o -name '.*.cmd' -o -name '*.mod*' \) -delete

	note "building vfpool.ko for $PROFILE ($KVER)"
	if ! make -C "$KDIR" M="$bdir" W=1 -j"$(nproc)" modules > "$log" 2>&1; then
		cat "$log" >&2
		die "vfpool.ko build for $PROFILE failed (log: $log)"
	fi
	if grep -E 'warning:|error:' "$log" >&2; then
		die "vfpool.ko for $PROFILE built with warnings (W=1 must be clean; log: $log)"
	fi

	if [ -f "$REPO/userspace/Makefile" ]; then
		make -s -C "$REPO/userspace" || die "userspace build failed"
	else
		note "no userspace/Makefile yet, skipping vfpoolctl"
	fi
	make -s -C "$REPO/selftests" || die "selftests build failed"
}

main "$@"
