#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The igb profile's real SR-IOV path, before vfpool touches it: QEMU's
# emulated 82576 behind a PCIe root port, driven by the real igb PF driver.
#
#   0000:01:00.0  igb PF, sriov_totalvfs 7
#     virtfn0..6  0000:01:10.0 01:10.2 01:10.4 01:10.6 01:11.0 01:11.2 01:11.4
#
# A MAC set through the PF must be the one the VF driver (igbvf, what a
# guest would run) comes up with, and a VF must bind to vfio-pci in its own
# IOMMU group: the passthrough step vfpool exists to prepare.
# Skips (exit 4) on profiles without the emulated NIC; fails on igb.

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

VF_PCI=(0000:01:10.0 0000:01:10.2 0000:01:10.4 0000:01:10.6
	0000:01:11.0 0000:01:11.2 0000:01:11.4)
VF0_MAC=52:54:00:76:00:10

# vf_drivers_gone: the VF drivers unloaded, after the VFs are (igb_pf_setup
# takes them back to none; deferred before it, this runs after).
vf_drivers_gone() { guest_modprobe -r vfio_pci igbvf 2>/dev/null; }

test_init
defer vf_drivers_gone
igb_pf_setup 0

ktap_begin 6

pf_driven_by_igb() {
	[ "$(basename "$(readlink "$PF_SYS/driver")")" = igb ] ||
		{ echo "$PF_PCI bound to '$(readlink "$PF_SYS/driver")'"; return 1; }
}
ktap_check "igb_loads" pf_driven_by_igb

pf_netdev_up() {
	[ -e "$PF_SYS/net/$pf" ] || { echo "no netdev $pf under $PF_SYS/net"; return 1; }
	ip -j link show dev "$pf" | jq -e 'any(.[0].flags[]; . == "UP")' >/dev/null ||
		{ echo "$pf is not up"; return 1; }
}
ktap_check "pf_netdev" pf_netdev_up

vf_addrs_ok() {
	local i got
	[ "$(cat "$PF_SYS/sriov_totalvfs")" = 7 ] || { echo "sriov_totalvfs != 7"; return 1; }
	igb_set_vfs 7 || return 1
	for i in "${!VF_PCI[@]}"; do
		got=$(basename "$(readlink "$PF_SYS/virtfn$i")")
		[ "$got" = "${VF_PCI[$i]}" ] ||
			{ echo "virtfn$i is '$got', expected ${VF_PCI[$i]}"; return 1; }
	done
	! [ -e "$PF_SYS/virtfn7" ]
}
ktap_check "seven_vfs_at_pci_addresses" vf_addrs_ok

vfs_listed() {
	local ids
	ids=$(ip -j link show dev "$pf" | jq -c '[.[0].vfinfo_list[].vf]')
	[ "$ids" = "[0,1,2,3,4,5,6]" ] || { echo "ip link lists VFs $ids"; return 1; }
}
ktap_check "ip_link_lists_vf_0_6" vfs_listed

# The MAC set through the PF is the one the VF driver sees.
vf_mac_reaches_vf_driver() {
	local vfdev
	ip link set dev "$pf" vf 0 mac "$VF0_MAC" || return 1
	guest_modprobe igbvf || return 1
	busywait 10000 first_netdev "${VF_PCI[0]}" >/dev/null ||
		{ echo "igbvf did not bind ${VF_PCI[0]}"; return 1; }
	vfdev=$(first_netdev "${VF_PCI[0]}")
	[ "$(cat "/sys/class/net/$vfdev/address")" = "$VF0_MAC" ] ||
		{ echo "VF netdev $vfdev has $(cat "/sys/class/net/$vfdev/address")"; return 1; }
}
ktap_check "vf_mac_reaches_igbvf" vf_mac_reaches_vf_driver

vf_binds_vfio() {
	local vf=${VF_PCI[6]} dev=/sys/bus/pci/devices/${VF_PCI[6]} group
	guest_modprobe vfio-pci || return 1
	echo vfio-pci > "$dev/driver_override"
	[ ! -e "$dev/driver" ] || echo "$vf" > "$dev/driver/unbind"
	echo "$vf" > /sys/bus/pci/drivers_probe
	[ "$(basename "$(readlink "$dev/driver")")" = vfio-pci ] ||
		{ echo "$vf bound to $(readlink "$dev/driver")"; return 1; }
	group=$(basename "$(readlink "$dev/iommu_group")")
	[ -c "/dev/vfio/$group" ] || { echo "no /dev/vfio/$group"; return 1; }
	echo > "$dev/driver_override"
}
ktap_check "vf_binds_vfio_pci" vf_binds_vfio

ktap_end
