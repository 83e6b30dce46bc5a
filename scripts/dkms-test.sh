#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/dkms-test.sh: DKMS packaging test, host side, nothing loaded.
# Lays the source tree out with `make dkms-tree` (what `make dkms-install`
# registers), then runs `dkms add` and `dkms build` in a private DKMS tree
# for each Debian kernel the guests use (6.1 and 6.12 headers, from the
# cache selftests/vm/prepare.sh fills), and checks that each built module's
# vermagic names that kernel.  Exit 0 when every build passed.

set -eu
# shellcheck source-path=SCRIPTDIR source=../selftests/vm/common.sh
. "$(dirname "$0")/../selftests/vm/common.sh"

command -v dkms >/dev/null || die "dkms is not installed (scripts/install-deps.sh)"
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$REPO/dkms.conf")
work=$(mktemp -d "${TMPDIR:-/tmp}/vfpool-dkms.XXXXXX")
trap 'rm -rf "$work"' EXIT

make -s -C "$REPO" dkms-tree DESTDIR="$work/root" >/dev/null
src=$work/root/usr/src
[ -f "$src/vfpool-$version/dkms.conf" ] || die "make dkms-tree laid out no $src/vfpool-$version"
dk() {
	dkms "$@" -m vfpool -v "$version" --dkmstree "$work/dkms" \
		--sourcetree "$src" --installtree "$work/install"
}
mkdir -p "$work/dkms" "$work/install"
dk add >/dev/null

rc=0
for p in 6.1 6.12; do
	profile_setup "$p"
	if [ ! -f "$KDIR/Makefile" ]; then
		note "dkms: no headers for $KVER at $KDIR (selftests/vm/prepare.sh $p)"
		rc=1
		continue
	fi
	if ! dk build -k "$KVER" --kernelsourcedir "$KDIR" > "$work/build-$p.log" 2>&1; then
		cat "$work/build-$p.log" >&2
		cat "$work/dkms/vfpool/$version/build/make.log" >&2 2>/dev/null
		note "dkms: build for $KVER failed"
		rc=1
		continue
	fi
	ko=$(find "$work/dkms/vfpool/$version/$KVER" -name 'vfpool.ko*' | head -n 1)
	case $ko in
	*.xz) xz -dc "$ko" > "$work/vfpool-$p.ko"; ko=$work/vfpool-$p.ko ;;
	*.zst) zstd -qdc "$ko" > "$work/vfpool-$p.ko"; ko=$work/vfpool-$p.ko ;;
	esac
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
	# Debian's headers call the release what the image's uname -r says.
	if [ "$vermagic" = "$KVER" ]; then
		note "dkms: built vfpool.ko for $KVER (vermagic $vermagic)"
	else
		note "dkms: module for $KVER has vermagic '${vermagic:-none}' (${ko:-no module})"
		rc=1
	fi
done
exit $rc
