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

# pool_del: the PF out of the pool again (what apply enrolled).
pool_del() { "$VFPOOLCTL" pool del dev "$pf" force >/dev/null 2>&1; }

test_init
igb_pf_setup 4
vfpool_use
defer pool_del

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
ktap_check "apply_by_pci_address_enrolls_the_igb_pf" test_apply_by_pci
ktap_check "apply_again_also_as_bb_ss_f_changes_nothing" test_again_silent
ktap_end
