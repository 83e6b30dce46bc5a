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

PF_PCI=0000:01:00.0
PF_SYS=/sys/bus/pci/devices/$PF_PCI
VF_PCI=(0000:01:10.0 0000:01:10.2 0000:01:10.4 0000:01:10.6
	0000:01:11.0 0000:01:11.2 0000:01:11.4)
VF0_MAC=52:54:00:76:00:10

# 8086:10c9 is the 82576.
if [ "$(cat "$PF_SYS/vendor" 2>/dev/null):$(cat "$PF_SYS/device" 2>/dev/null)" != 0x8086:0x10c9 ]; then
	absent_unless igb "no emulated igb PF at $PF_PCI"
fi

cleanup() {
	[ -w "$PF_SYS/sriov_numvfs" ] && echo 0 > "$PF_SYS/sriov_numvfs"
	modprobe -r vfio_pci igbvf 2>/dev/null
}
trap cleanup EXIT

# first_netdev PCI-ADDR: the netdev a driver registered for a PCI function.
first_netdev() {
	local d
	for d in "/sys/bus/pci/devices/$1/net/"*; do
		[ -e "$d" ] && { basename "$d"; return 0; }
	done
	return 1
}
pf_netdev() { first_netdev "$PF_PCI"; }

ktap_begin 6

ktap_check "igb_loads" guest_modprobe igb
if busywait 10000 pf_netdev >/dev/null; then
	pf=$(pf_netdev)
	ip link set dev "$pf" up
	ktap_ok "pf_netdev"
else
	pf=""
	ktap_fail "pf_netdev" "no netdev under $PF_SYS/net"
fi

vf_addrs_ok() {
	local i got
	[ "$(cat "$PF_SYS/sriov_totalvfs")" = 7 ] || { echo "sriov_totalvfs != 7"; return 1; }
	echo 7 > "$PF_SYS/sriov_numvfs" || return 1
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
