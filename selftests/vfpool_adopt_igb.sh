#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Adoption of VFs a guest uses (DESIGN rule 9), on the igb profile's real
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
# shellcheck source=vfpoolctl_lib.bash
source "$(dirname "$0")/vfpoolctl_lib.bash"

PF_PCI=0000:01:00.0
PF_SYS=/sys/bus/pci/devices/$PF_PCI
VF_PCI=(0000:01:10.0 0000:01:10.2 0000:01:10.4 0000:01:10.6
	0000:01:11.0 0000:01:11.2 0000:01:11.4)
M1=52:54:00:ad:00:01 M2=52:54:00:ad:00:02 M3=52:54:00:ad:00:03

if [ "$(cat "$PF_SYS/vendor" 2>/dev/null):$(cat "$PF_SYS/device" 2>/dev/null)" != 0x8086:0x10c9 ]; then
	absent_unless igb "no emulated igb PF at $PF_PCI"
fi

tmp=$(mktemp -d)
export VFPOOLCTL_TRACK=$tmp/track

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

cleanup() {
	local v
	reap_tracked
	"$VFPOOLCTL" vf release all force >/dev/null 2>&1
	vfpool_unload
	for v in "${VF_PCI[@]}"; do vfio_unbind "$v" 2>/dev/null; done
	[ -w "$PF_SYS/sriov_numvfs" ] && echo 0 > "$PF_SYS/sriov_numvfs"
	modprobe -r vfio_pci 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

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

pf_netdev() {
	local d
	for d in "$PF_SYS"/net/*; do
		[ -e "$d" ] && { basename "$d"; return 0; }
	done
	return 1
}

guest_modprobe igb || { echo "igb does not load"; exit "$KSFT_FAIL"; }
busywait 10000 pf_netdev >/dev/null || { echo "no igb PF netdev"; exit "$KSFT_FAIL"; }
PF=$(pf_netdev)
ip link set dev "$PF" up
echo 7 > "$PF_SYS/sriov_numvfs" || { echo "cannot create VFs"; exit "$KSFT_FAIL"; }
# The igb profile boots with interrupt remapping (intremap=on), so vfio
# needs no unsafe-interrupts override.
if ! guest_modprobe vfio_iommu_type1 || ! guest_modprobe vfio-pci; then
	echo "vfio modules do not load"
	exit "$KSFT_FAIL"
fi
vfpool_unload
vfpool_load || { echo "vfpool.ko does not load"; exit "$KSFT_FAIL"; }

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
ktap_check "vfio: two VFs opened, one bound idle, PF enrolled" setup
P1=$(cat "$tmp/pid1" 2>/dev/null)
P3=$(cat "$tmp/pid3" 2>/dev/null)

assigned_kept() {
	vf_is "$M1" 11 1 && vfj 1 '.state == "assigned" and .owner == null' &&
		vf_is "$M3" 13 3 && vfj 3 '.state == "assigned"' &&
		"$VFPOOLCTL" -j vf show dev "$PF" |
		jq -e '[.[] | select(.state == "assigned")] | length == 2' >/dev/null
}
ktap_check "open VFs enrolled assigned, MAC/VLAN untouched" assigned_kept

idle_free() {
	local p
	vf_free 2 || return 1
	sleep 100000 >/dev/null 2>&1 &
	p=$!
	track "$p"
	"$VFPOOLCTL" vf reserve dev "$PF" vf 2 owner idle mac "$M2" detach pid "$p" \
		>/dev/null || return 1
	vfj 2 '.state == "reserved" and .owner == "idle"' && vf_is "$M2" 0 2 || return 1
	kill -9 "$p"
	busywait 10000 vf_free 2
}
ktap_check "idle vfio-bound VF enrolled free, reservable" idle_free

not_handed_out() {
	# neither by index nor as "any free VF"
	"$VFPOOLCTL" vf reserve dev "$PF" vf 1 owner thief detach pid $$ 2>&1 &&
		return 1
	vf_is "$M1" 11 1 && vfj 1 '.state == "assigned"'
}
ktap_check "an assigned VF is not handed out without adopt" not_handed_out

adopt() {
	"$VFPOOLCTL" -j vf reserve dev "$PF" vf 1 adopt owner guest1 \
		detach pid "$P1" || return 1
	vf_is "$M1" 11 1 &&
		vfj 1 ".state == \"reserved\" and .owner == \"guest1\" and .pid == $P1 and .holder == \"process\""
}
ktap_check "adopt keeps the live MAC/VLAN, bound to the guest process" adopt

adopted_freed() {
	kill -9 "$P1"
	busywait 10000 vf_free 1 || { ip link show dev "$PF"; return 1; }
}
ktap_check "adopted VF reset and freed when its process exits" adopted_freed

closed_freed() {
	vf_is "$M3" 13 3 || return 1
	kill -9 "$P3"
	busywait 15000 vf_free 3 || { ip link show dev "$PF"; "$VFPOOLCTL" -j vf show; return 1; }
}
ktap_check "assigned VF freed and zeroed when its user closes it" closed_freed

ktap_end
