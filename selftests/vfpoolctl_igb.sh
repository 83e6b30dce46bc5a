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
# shellcheck source=vfpoolctl_lib.bash
source "$(dirname "$0")/vfpoolctl_lib.bash"

PF_PCI=0000:01:00.0
PF_SYS=/sys/bus/pci/devices/$PF_PCI
VF_PCI=0000:01:10.2
VF_SYS=/sys/bus/pci/devices/$VF_PCI
VF_MAC=52:54:00:00:10:02
tmp=$(mktemp -d)
export VFPOOLCTL_TRACK=$tmp/track
loaded_here=0
pf=""

cleanup() {
	reap_tracked
	if [ -e "$VF_SYS" ]; then
		echo > "$VF_SYS/driver_override" 2>/dev/null
		[ -e "$VF_SYS/driver" ] && echo "$VF_PCI" > "$VF_SYS/driver/unbind"
	fi
	[ -n "$pf" ] && "$VFPOOLCTL" pool del dev "$pf" force 2>/dev/null
	[ -w "$PF_SYS/sriov_numvfs" ] && echo 0 > "$PF_SYS/sriov_numvfs"
	guest_modprobe -r vfio-pci igbvf 2>/dev/null
	[ "$loaded_here" = 1 ] && vfpool_unload
	rm -rf "$tmp"
}

pf_driver() { basename "$(readlink "$PF_SYS/driver" 2>/dev/null)"; }

# first_netdev PCI-ADDR: the netdev a driver registered for a PCI function.
first_netdev() {
	local d
	for d in "/sys/bus/pci/devices/$1/net/"*; do
		[ -e "$d" ] && { basename "$d"; return 0; }
	done
	return 1
}

[ -e "$PF_SYS" ] || absent_unless igb "no PCI device $PF_PCI"
guest_modprobe igb 2>/dev/null
busywait 10000 first_netdev "$PF_PCI" >/dev/null
[ "$(pf_driver)" = igb ] || absent_unless igb "$PF_PCI is not driven by igb"
need_cmd jq
[ -x "$VFPOOLCTL" ] || ktap_bail "no vfpoolctl at $VFPOOLCTL"
trap cleanup EXIT
pf=$(first_netdev "$PF_PCI")
PF=$pf	# for the VF checks of vfpoolctl_lib.bash
ip link set dev "$pf" up
[ "$(cat "$PF_SYS/sriov_numvfs")" = 0 ] || echo 0 > "$PF_SYS/sriov_numvfs"
echo 7 > "$PF_SYS/sriov_numvfs" || ktap_bail "cannot create 7 VFs on $pf"
if ! vfpool_loaded; then
	# shellcheck disable=SC2119
	vfpool_load || ktap_bail "cannot load vfpool"
	loaded_here=1
fi

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
	vf_is "$VF_MAC" 10 1 || { ip link show dev "$pf"; return 1; }
	vfj 1 ".state == \"reserved\" and .owner == \"igbvm\" and .pid == $h and
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
	vf_is "$VF_MAC" 10 1 && vfj 1 '.state == "reserved" and .owner == "igbvm"'
}

test_holder_killed() {
	local h
	h=$(cat "$tmp/holder" 2>/dev/null) || return 1
	kill -9 "$h"
	busywait 20000 vf_free 1 || { ip link show dev "$pf"; return 1; }
	vf_field "$pf" 1 mac
	busywait 5000 gone "$h"
}

ktap_begin 5
ktap_check "pool add igb PF; vf show -j: pci of each VF is its virtfn" test_enroll_pci
ktap_check "vf reserve pci $VF_PCI mac vlan 10 exec: VF 1 configured" test_reserve_pci
ktap_check "igbvf: the VF's netdev has the reserved MAC" test_igbvf_mac
ktap_check "held VF binds to vfio-pci" test_vfio_bind
ktap_check "holder killed: MAC zero, no VLAN, free" test_holder_killed
ktap_end
