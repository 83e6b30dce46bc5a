#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Adoption of VFs a guest uses (Documentation/vfpool.rst, Adoption), on the igb profile's real
# 82576 PF.  A small python program stands in for QEMU: it opens a VF's
# vfio device (container, group, VFIO_GROUP_GET_DEVICE_FD) and keeps it
# open until killed.
#
#   VF 1  vfio-pci, opened before pool add   assigned, MAC/VLAN kept;
#                                            adopt keeps them; bound to the
#                                            opener, freed when it exits
#   VF 2  vfio-pci, bound but idle           free and zeroed at pool add,
#                                            can be reserved
#   VF 3  vfio-pci, opened before pool add   assigned; freed and zeroed
#                                            (unassigned) when closed
#
# Configuration read with ip link, ownership with vfpoolctl -j.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

VF_PCI=(0000:01:10.0 0000:01:10.2 0000:01:10.4 0000:01:10.6
	0000:01:11.0 0000:01:11.2 0000:01:11.4)
M1=52:54:00:ad:00:01 M2=52:54:00:ad:00:02 M3=52:54:00:ad:00:03

test_init
igb_pf_setup 7
PF=$pf

vfio_bind() {
	local dev=/sys/bus/pci/devices/$1
	echo vfio-pci > "$dev/driver_override"
	[ ! -e "$dev/driver" ] || echo "$1" > "$dev/driver/unbind"
	echo "$1" > /sys/bus/pci/drivers_probe
	[ "$(basename "$(readlink "$dev/driver")")" = vfio-pci ]
}
vfio_unbind() {
	local dev=/sys/bus/pci/devices/$1
	[ ! -e "$dev/driver" ] || echo "$1" > "$dev/driver/unbind"
	echo > "$dev/driver_override"
}

# undone after the processes tracked later (deferred later, run first)
cleanup() {
	local v
	release_all
	vfpool_unload
	for v in "${VF_PCI[@]}"; do vfio_unbind "$v" 2>/dev/null; done
	modprobe -r vfio_pci 2>/dev/null
}
defer cleanup

# vfio_open PCI READY: open the VF's vfio device as QEMU does and keep it
# open (touching READY once it is) until killed.
cat > "$tmp/vfio_open.py" <<'EOF'
import ctypes, os, signal, sys
pci, ready = sys.argv[1], sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
def ioctl(fd, req, arg):
    r = libc.ioctl(fd, req, arg)
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, "ioctl %#x: %s" % (req, os.strerror(e)))
    return r
VFIO_SET_IOMMU, VFIO_GROUP_SET_CONTAINER, VFIO_GROUP_GET_DEVICE_FD = 0x3b66, 0x3b68, 0x3b6a
group = os.path.basename(os.readlink("/sys/bus/pci/devices/%s/iommu_group" % pci))
c = os.open("/dev/vfio/vfio", os.O_RDWR)
g = os.open("/dev/vfio/" + group, os.O_RDWR)
ioctl(g, VFIO_GROUP_SET_CONTAINER, ctypes.byref(ctypes.c_int(c)))
ioctl(c, VFIO_SET_IOMMU, 1)  # VFIO_TYPE1_IOMMU
d = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, ctypes.c_char_p(pci.encode()))
open(ready, "w").close()
signal.pause()
EOF

# The igb profile boots with interrupt remapping (intremap=on), so vfio
# needs no unsafe-interrupts override.
guest_modprobe vfio_iommu_type1 || ktap_bail "vfio_iommu_type1 does not load"
guest_modprobe vfio-pci || ktap_bail "vfio-pci does not load"
vfpool_setup

ktap_begin 7

# opener VF: start the stand-in on VF's vfio device; prints its pid.
opener() {
	python3 "$tmp/vfio_open.py" "${VF_PCI[$1]}" "$tmp/ready$1" \
		>"$tmp/open$1.log" 2>&1 &
	track $!
	busywait 20000 test -e "$tmp/ready$1" || { cat "$tmp/open$1.log" >&2; return 1; }
	echo $!
}

setup() {
	local v
	ip link set dev "$PF" vf 1 mac "$M1" vlan 11 &&
		ip link set dev "$PF" vf 2 mac "$M2" vlan 12 &&
		ip link set dev "$PF" vf 3 mac "$M3" vlan 13 || return 1
	for v in 1 2 3; do vfio_bind "${VF_PCI[$v]}" || return 1; done
	opener 1 > "$tmp/pid1" && opener 3 > "$tmp/pid3" || return 1
	"$VFPOOLCTL" pool add dev "$PF" >/dev/null
}
ktap_check "vfio_two_vfs_opened_one_bound_idle_pf_enrolled" setup
P1=$(cat "$tmp/pid1" 2>/dev/null)
P3=$(cat "$tmp/pid3" 2>/dev/null)

assigned_kept() {
	vf_has "$PF" 1 "$M1" 11 && vp_is "$PF" 1 '.state == "assigned" and .owner == null' &&
		vf_has "$PF" 3 "$M3" 13 && vp_is "$PF" 3 '.state == "assigned"' &&
		"$VFPOOLCTL" -j vf show dev "$PF" |
		jq -e '[.[] | select(.state == "assigned")] | length == 2' >/dev/null
}
ktap_check "open_vfs_enrolled_assigned_mac_vlan_untouched" assigned_kept

idle_free() {
	local p
	vf_reset "$PF" 2 || return 1
	sleep 100000 >/dev/null 2>&1 &
	p=$!
	track "$p"
	"$VFPOOLCTL" vf reserve dev "$PF" vf 2 owner idle mac "$M2" detach pid "$p" \
		>/dev/null || return 1
	vp_is "$PF" 2 '.state == "reserved" and .owner == "idle"' && vf_has "$PF" 2 "$M2" 0 || return 1
	kill -9 "$p"
	busywait 10000 vf_reset "$PF" 2
}
ktap_check "idle_vfio_bound_vf_enrolled_free_reservable" idle_free

not_handed_out() {
	# neither by index nor as "any free VF"
	"$VFPOOLCTL" vf reserve dev "$PF" vf 1 owner thief detach pid $$ 2>&1 &&
		return 1
	vf_has "$PF" 1 "$M1" 11 && vp_is "$PF" 1 '.state == "assigned"'
}
ktap_check "an_assigned_vf_is_not_handed_out_without_adopt" not_handed_out

adopt() {
	"$VFPOOLCTL" -j vf reserve dev "$PF" vf 1 adopt owner guest1 \
		detach pid "$P1" || return 1
	vf_has "$PF" 1 "$M1" 11 &&
		vp_is "$PF" 1 ".state == \"reserved\" and .owner == \"guest1\" and .pid == $P1 and .holder == \"process\""
}
ktap_check "adopt_keeps_the_live_mac_vlan_bound_to_the_guest_process" adopt

adopted_freed() {
	kill -9 "$P1"
	busywait 10000 vf_reset "$PF" 1 || { ip link show dev "$PF"; return 1; }
}
ktap_check "adopted_vf_reset_and_freed_when_its_process_exits" adopted_freed

closed_freed() {
	vf_has "$PF" 3 "$M3" 13 || return 1
	kill -9 "$P3"
	busywait 15000 vf_reset "$PF" 3 || { ip link show dev "$PF"; "$VFPOOLCTL" -j vf show; return 1; }
}
ktap_check "assigned_vf_freed_and_zeroed_when_its_user_closes_it" closed_freed

ktap_end
