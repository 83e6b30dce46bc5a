#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pool apply naming the PF by PCI address, on the igb profile's emulated
# 82576 (real igb driver), PF 0000:01:00.0 with 4 of its 7 VFs:
#
#   pf 0000:01:00.0 vfs 0-3 name igbpool park none
#
#   apply          resolves the address to the PF's netdev and enrolls it;
#                  pool show reports that PCI address; ip link: VF MACs zero
#   apply again    prints nothing
#   01:00.0 short  the bb:ss.f form names the same PF: nothing to do
# Skips (exit 4) on profiles without the emulated NIC.

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

PF_PCI=0000:01:00.0
PF_SYS=/sys/bus/pci/devices/$PF_PCI

if [ "$(cat "$PF_SYS/vendor" 2>/dev/null):$(cat "$PF_SYS/device" 2>/dev/null)" != 0x8086:0x10c9 ]; then
	absent_unless igb "no emulated igb PF at $PF_PCI"
fi
command -v jq >/dev/null || ktap_bail "jq not found"

tmp=$(mktemp -d)
loaded_here=0
cleanup() {
	[ -n "$pf" ] && "$VFPOOLCTL" pool del dev "$pf" force >/dev/null 2>&1
	[ "$loaded_here" = 1 ] && vfpool_unload
	[ -w "$PF_SYS/sriov_numvfs" ] && echo 0 > "$PF_SYS/sriov_numvfs"
	rm -rf "$tmp"
}
trap cleanup EXIT

pf_netdev() {
	local d
	for d in "$PF_SYS/net/"*; do
		[ -e "$d" ] && { basename "$d"; return 0; }
	done
	return 1
}

pf=""
guest_modprobe igb || ktap_bail "cannot load igb"
busywait 10000 pf_netdev >/dev/null || ktap_bail "no igb netdev"
pf=$(pf_netdev)
echo 4 > "$PF_SYS/sriov_numvfs" || ktap_bail "cannot create VFs"
if ! vfpool_loaded; then
	# shellcheck disable=SC2119
	vfpool_load || ktap_bail "cannot load vfpool"
	loaded_here=1
fi

conf=$tmp/pools.conf
echo "pf $PF_PCI vfs 0-3 name igbpool park none   # by PCI address" >"$conf"

test_apply_by_pci() {
	local out vf
	out=$("$VFPOOLCTL" pool apply "$conf") || return 1
	echo "$out"
	[ "$out" = "add pf $pf vfs 0-3 name igbpool park none" ] || return 1
	"$VFPOOLCTL" -j pool show | jq -e --arg pf "$pf" --arg pci "$PF_PCI" \
		'any(.[]; .pf == $pf and .pci == $pci and .pool == "igbpool" and
		     .total == 4 and .park == "none")' >/dev/null || return 1
	for vf in 0 1 2 3; do
		[ "$(vf_field "$pf" "$vf" mac)" = 00:00:00:00:00:00 ] || return 1
	done
}

test_again_silent() {
	local out
	out=$("$VFPOOLCTL" pool apply "$conf") && [ -z "$out" ] || return 1
	echo "pf ${PF_PCI#0000:} vfs 0-3 name igbpool park none" >"$tmp/short.conf"
	out=$("$VFPOOLCTL" pool apply "$tmp/short.conf") && [ -z "$out" ]
}

ktap_begin 2
ktap_check "apply by PCI address enrolls the igb PF" test_apply_by_pci
ktap_check "apply again (also as bb:ss.f) changes nothing" test_again_silent
ktap_end
