#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate uapi/linux/vfpool.h and kernel/netlink-gen.[ch] from the YAML
# spec with the YNL generator of linux-source-6.12 (the 6.1 source has none).
#
#   scripts/ynl-regen.sh [--check]
#
# --check regenerates into a scratch directory and fails if the checked-in
# files differ, so CI catches hand edits of generated code.

set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${VFPOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vfpool}
src=$cache/src/linux-source-6.12
ynl=$src/tools/net/ynl

if [ ! -f "$ynl/ynl-gen-c.py" ]; then
	tarball=/usr/src/linux-source-6.12.tar.xz
	[ -f "$tarball" ] || { echo "ynl-regen: $tarball missing (apt-get install linux-source-6.12)" >&2; exit 1; }
	mkdir -p "$cache/src"
	tar -C "$cache/src" -xJf "$tarball" \
		linux-source-6.12/tools/net/ynl linux-source-6.12/Documentation/netlink
fi

# The generator finds the tree root by its MAINTAINERS file and the schema
# relative to the spec, so run it in a scratch tree laid out like the kernel.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Documentation/netlink/specs" "$work/out"
cp "$top/MAINTAINERS" "$work/"
cp "$src"/Documentation/netlink/genetlink*.yaml "$work/Documentation/netlink/"
cp "$top/Documentation/netlink/specs/vfpool.yaml" "$work/Documentation/netlink/specs/"

gen() { # mode header|source output
	(cd "$work" && /usr/bin/python3 "$ynl/ynl-gen-c.py" --mode "$1" "--$2" \
		--spec Documentation/netlink/specs/vfpool.yaml -o "out/$(basename "$3")")
}
gen uapi header uapi/linux/vfpool.h
/usr/bin/python3 "$top/scripts/ynl-uapi-doc.py" \
	"$work/Documentation/netlink/specs/vfpool.yaml" "$work/out/vfpool.h"
gen kernel header kernel/netlink-gen.h
gen kernel source kernel/netlink-gen.c

rc=0
for f in uapi/linux/vfpool.h kernel/netlink-gen.h kernel/netlink-gen.c; do
	if [ "${1:-}" = --check ]; then
		cmp -s "$work/out/$(basename "$f")" "$top/$f" ||
			{ echo "ynl-regen: $f is out of date with the spec (run make regen)" >&2; rc=1; }
	else
		cp "$work/out/$(basename "$f")" "$top/$f"
	fi
done
exit $rc
