#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/build-broken.sh PROFILE
#
# The suite's own test: a vfpool.ko for PROFILE that loads but never
# registers its generic netlink family, in build/PROFILE-broken/.  Run the
# suite with it and every profile must report failures, not skips:
#   VFPOOL_KO_TEMPLATE=build/@PROFILE@-broken/vfpool.ko selftests/vm/check.sh
# (or VFPOOL_KO=build/6.1-broken/vfpool.ko selftests/vm/run.sh 6.1).

set -eu
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

main() {
	[ $# -eq 1 ] || die "usage: $0 PROFILE ($ALL_PROFILES)"
	profile_setup "$1"
	[ -f "$KDIR/Makefile" ] || die "no kernel tree at $KDIR: run selftests/vm/prepare.sh $PROFILE"
	bdir=$REPO/build/$PROFILE-broken
	rm -rf "$bdir"
	mkdir -p "$bdir"
	cp -a "$REPO/Kbuild" "$REPO/kernel" "$REPO/uapi" "$bdir/"
	find "$bdir" \( -name '*.o' -o -name '.*.cmd' -o -name '*.mod*' \) -delete
	# Both compat variants: registration "succeeds" without registering.
	sed -i 's/genl_register_family(&vfpool_nl_family)/0/; s/^\(\t\)genl_unregister_family(&vfpool_nl_family);/\1;/' \
		"$bdir/kernel/compat.c"
	grep -q 'genl_register_family' "$bdir/kernel/compat.c" &&
		die "could not remove the family registration"
	make -C "$KDIR" M="$bdir" -j"$(nproc)" modules > "$bdir/build.log" 2>&1 ||
		{ cat "$bdir/build.log" >&2; die "broken build failed"; }
	note "broken module (no genl family): $bdir/vfpool.ko"
}

main "$@"
