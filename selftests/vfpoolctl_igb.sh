#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vfpoolctl on a real PCI SR-IOV PF: QEMU's emulated 82576 driven by igb
# (igb profile only: skips elsewhere, fails there if anything is missing).
#
#   0000:01:00.0  igb PF
#     virtfn0..6  0000:01:10.0 01:10.2 01:10.4 01:10.6 01:11.0 01:11.2 01:11.4
#
#   pool add, vf show -j     every VF's "pci" is its virtfnN link
#   vf reserve pci ADDR      MAC and VLAN applied on the VF at ADDR (VF 1)
#                            through igb, as ip link reports
#   igbvf                    the VF's own netdev comes up with that MAC
#   vfio-pci                 the held VF binds to vfio-pci (passthrough)
#   holder killed            VF reset (MAC zero, no VLAN) and free

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

VF_PCI=0000:01:10.2
VF_SYS=/sys/bus/pci/devices/$VF_PCI
VF_MAC=52:54:00:00:10:02

# deferred before the holders are tracked: runs after they are gone
cleanup() {
	if [ -e "$VF_SYS" ]; then
		echo > "$VF_SYS/driver_override" 2>/dev/null
		[ -e "$VF_SYS/driver" ] && echo "$VF_PCI" > "$VF_SYS/driver/unbind"
	fi
	"$VFPOOLCTL" pool del dev "$pf" force 2>/dev/null
	guest_modprobe -r vfio-pci igbvf 2>/dev/null
}

test_init
igb_pf_setup 7
vfpool_use
defer cleanup

test_enroll_pci() {
	local i want got js
	"$VFPOOLCTL" pool add dev "$pf" name igb >/dev/null || return 1
	js=$("$VFPOOLCTL" -j vf show dev "$pf") || return 1
	echo "$js"
	jq -e 'length == 7 and all(.state == "free")' <<<"$js" >/dev/null ||
		return 1
	for i in 0 1 2 3 4 5 6; do
		want=$(basename "$(readlink "$PF_SYS/virtfn$i")")
		got=$(jq -r --argjson vf "$i" '.[] | select(.vf == $vf) | .pci' \
			<<<"$js")
		echo "VF $i: pci $got, virtfn$i -> $want"
		[ -n "$want" ] && [ "$got" = "$want" ] || return 1
	done
	"$VFPOOLCTL" vf show dev "$pf" | grep -Eq "^$pf +1 +$VF_PCI +free "
}

_ready() { [ -s "$tmp/ready" ] || gone "$1"; }

test_reserve_pci() {
	local h vf pci mac
	# shellcheck disable=SC2016 # expanded by the exec'd sh
	"$VFPOOLCTL" vf reserve dev "$pf" pci "$VF_PCI" mac "$VF_MAC" vlan 10 \
		owner igbvm exec -- sh -c \
		'echo "$VFPOOL_VF $VFPOOL_PCI $VFPOOL_MAC" > "$0"; exec sleep 100000' \
		"$tmp/ready" >/dev/null 2>"$tmp/reserve.err" &
	h=$!
	track "$h"
	echo "$h" > "$tmp/holder"
	busywait 20000 _ready "$h"
	cat "$tmp/reserve.err"
	read -r vf pci mac < "$tmp/ready" || return 1
	echo "exec: VF $vf pci $pci mac $mac"
	[ "$vf" = 1 ] && [ "$pci" = "$VF_PCI" ] && [ "$mac" = "$VF_MAC" ] ||
		return 1
	vf_has "$pf" 1 "$VF_MAC" 10 || { ip link show dev "$pf"; return 1; }
	vp_is "$pf" 1 ".state == \"reserved\" and .owner == \"igbvm\" and .pid == $h and
		.pci == \"$VF_PCI\" and .mac == \"$VF_MAC\" and .vlan == 10"
}

vf_netdev() { first_netdev "$VF_PCI"; }

test_igbvf_mac() {
	local dev addr
	guest_modprobe igbvf || return 1
	# A guest's driver reads the MAC when it probes the VF: probe it now,
	# after the reservation, even if an earlier test left igbvf loaded and
	# it bound the VF when the VFs were created.
	[ ! -e "$VF_SYS/driver" ] || echo "$VF_PCI" > "$VF_SYS/driver/unbind"
	echo > "$VF_SYS/driver_override"
	echo "$VF_PCI" > /sys/bus/pci/drivers_probe
	busywait 20000 vf_netdev >/dev/null ||
		{ echo "igbvf did not bind $VF_PCI"; return 1; }
	dev=$(vf_netdev)
	addr=$(cat "/sys/class/net/$dev/address")
	echo "$VF_PCI: $dev $addr"
	[ "$addr" = "$VF_MAC" ]
}

vf_driver() { basename "$(readlink "$VF_SYS/driver" 2>/dev/null)"; }

test_vfio_bind() {
	local group
	guest_modprobe vfio-pci || return 1
	echo vfio-pci > "$VF_SYS/driver_override" || return 1
	[ ! -e "$VF_SYS/driver" ] || echo "$VF_PCI" > "$VF_SYS/driver/unbind" ||
		return 1
	echo "$VF_PCI" > /sys/bus/pci/drivers_probe
	[ "$(vf_driver)" = vfio-pci ] ||
		{ echo "$VF_PCI bound to '$(vf_driver)'"; return 1; }
	group=$(basename "$(readlink "$VF_SYS/iommu_group")")
	echo "$VF_PCI: driver $(vf_driver), IOMMU group $group"
	[ -c "/dev/vfio/$group" ] || { echo "no /dev/vfio/$group"; return 1; }
	# still held, still configured
	vf_has "$pf" 1 "$VF_MAC" 10 && vp_is "$pf" 1 '.state == "reserved" and .owner == "igbvm"'
}

test_holder_killed() {
	local h
	h=$(cat "$tmp/holder" 2>/dev/null) || return 1
	kill -9 "$h"
	busywait 20000 vf_reset "$pf" 1 || { ip link show dev "$pf"; return 1; }
	vf_field "$pf" 1 mac
	busywait 5000 gone "$h"
}

ktap_begin 5
ktap_check "pool_add_igb_pf_vf_show_j_pci_of_each_vf_is_its_virtfn" test_enroll_pci
ktap_check "vf_reserve_pci_mac_vlan_exec_configures_vf_1" test_reserve_pci
ktap_check "igbvf_vf_netdev_has_the_reserved_mac" test_igbvf_mac
ktap_check "held_vf_binds_to_vfio_pci" test_vfio_bind
ktap_check "holder_killed_mac_zero_no_vlan_free" test_holder_killed
ktap_end
