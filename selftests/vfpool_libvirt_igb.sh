#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The libvirt qemu hook with <interface type='hostdev'> naming real VF PCI
# addresses (selftests/libvirt/igb-*.xml), on the igb profile's emulated
# 82576, replayed as libvirt runs a domain with managed hostdev interfaces:
#
#   prepare begin   hook: reserve the VFs (MAC, VLAN), holder detached
#                   libvirt: save the VF's net config, set MAC/VLAN, bind
#                   the VF to vfio-pci (managed='yes')
#   start begin, QEMU started (pidfile), started begin
#   QEMU exits      the holder resets the VF at once
#   stopped end     libvirt: rebind, restore the saved net config (ours!)
#   release end     hook: release by owner, reset the VF libvirt restored
#
# Also: kill -9 of QEMU resets with no hook; a prepare that cannot get its
# second VF (held by another domain) leaves nothing held; two domains
# racing for one VF: one starts.  Skips (exit 4) without the emulated NIC.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"
# shellcheck source=libvirt/replay.bash
source "$(dirname "$0")/libvirt/replay.bash"

PF_PCI=0000:01:00.0
PF_SYS=/sys/bus/pci/devices/$PF_PCI
# VF n is virtfn n
VF_PCI=(0000:01:10.0 0000:01:10.2 0000:01:10.4 0000:01:10.6
	0000:01:11.0 0000:01:11.2 0000:01:11.4)

if [ "$(cat "$PF_SYS/vendor" 2>/dev/null):$(cat "$PF_SYS/device" 2>/dev/null)" != 0x8086:0x10c9 ]; then
	ktap_skip_all "no emulated igb PF at $PF_PCI (igb profile only)"
fi

qemus=()
cleanup() {
	local v
	[ ${#qemus[@]} = 0 ] || kill_wait "${qemus[@]}"
	for v in "${VF_PCI[@]}"; do vfio_unbind "$v" 2>/dev/null; done
	vfpool_unload
	[ -w "$PF_SYS/sriov_numvfs" ] && echo 0 > "$PF_SYS/sriov_numvfs"
	modprobe -r vfio_pci 2>/dev/null
	rm -rf "$VFPOOL_HOOK_PIDDIR" "$LV_OUT" "$LV_ERR"
}
trap cleanup EXIT

pf_netdev() { ls "$PF_SYS/net" 2>/dev/null | head -n 1 | grep .; }

# What libvirt's managed hostdev does: bind to vfio-pci, and back.
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
# libvirt's virHostdevNetConfigReplace / virHostdevRestoreNetConfig: the
# MAC/VLAN of the interface set through the PF (the saved ones on restore:
# what the VF carried after the hook, i.e. the same).
libvirt_netconfig() { ip link set dev "$pf" vf "$1" mac "$2" vlan "$3"; }

guest_modprobe igb || ktap_skip_all "igb does not load"
busywait 10000 pf_netdev >/dev/null || ktap_skip_all "no igb PF netdev"
pf=$(pf_netdev)
ip link set dev "$pf" up
echo 7 > "$PF_SYS/sriov_numvfs" || ktap_skip_all "cannot create VFs"
guest_modprobe vfio-pci || ktap_skip_all "no vfio-pci"
vfpool_unload
vfpool_load || ktap_skip_all "vfpool.ko does not load"
# VF 6 (0000:01:11.4) stays out of the pool
"$VFPOOLCTL" pool add dev "$pf" vfs 0-5 name igb >/dev/null || ktap_skip_all "cannot enroll"

ktap_begin 16

# --- the full sequence, vm1: VF 1 (vlan 100), VF 2, and VF 6 not enrolled
L1=$(lv_label igb-vm1)
M1=52:54:00:1b:01:01 M2=52:54:00:1b:01:02
ip link set dev "$pf" vf 6 mac 52:54:00:1b:06:06
lv_hook igb-vm1 prepare begin
ktap_check "prepare_begin_ok" test $? = 0
prepared() {
	[ "$(lv_held "$L1")" = 2 ] &&
	[ "$(vp_vf "$pf" 1 .pci)" = 0000:01:10.2 ] &&
	[ "$(vp_vf "$pf" 1 .owner)" = "$L1" ] &&
	[ "$(vp_vf "$pf" 2 .owner)" = "$L1" ] &&
	vf_has "$pf" 1 $M1 100 && vf_has "$pf" 2 $M2 0
}
ktap_check "prepare_reserved_named_vfs_mac_vlan" prepared
ktap_check "unenrolled_vf_left_alone" eval \
	'grep -q "0000:01:11.4.*not enrolled in vfpool, left alone" "$LV_ERR" &&
	 vf_has "$pf" 6 52:54:00:1b:06:06 0'

libvirt_netconfig 1 $M1 100 && libvirt_netconfig 2 $M2 0
ktap_check "managed_hostdev_bound_to_vfio" \
	eval 'vfio_bind 0000:01:10.2 && vfio_bind 0000:01:10.4'
lv_hook igb-vm1 start begin
q1=$(lv_qemu_start igb-vm1)
qemus+=("$q1")
lv_hook igb-vm1 started begin
# held by QEMU's process in the kernel (the hook's child bound it, exited)
running() {
	[ "$(vp_vf "$pf" 1 .pid)" = "$q1" ] &&
	[ "$(vp_vf "$pf" 1 .holder)" = process ] &&
	[ "$(lv_held "$L1")" = 2 ] &&
	vf_has "$pf" 1 $M1 100 && vf_has "$pf" 2 $M2 0
}
ktap_check "running_vfs_held_with_mac_vlan" busywait 10000 running

# QEMU exits: the holder resets at once
lv_qemu_stop igb-vm1 "$q1"
ktap_check "qemu_exit_resets_vfs" busywait 20000 \
	eval 'vf_reset "$pf" 1 && vf_reset "$pf" 2'
lv_hook igb-vm1 stopped end
vfio_unbind 0000:01:10.2; vfio_unbind 0000:01:10.4
libvirt_netconfig 1 $M1 100; libvirt_netconfig 2 $M2 0
lv_hook igb-vm1 release end
ktap_check "release_end_ok" test $? = 0
ktap_check "release_end_resets_what_libvirt_restored" busywait 20000 \
	eval 'vf_reset "$pf" 1 && vf_reset "$pf" 2 && lv_nothing_held "$L1"'

# --- vm1 again; vm2 wants VF 3 and VF 1 (held by vm1): fails, holds nothing
lv_hook igb-vm1 prepare begin
vfio_bind 0000:01:10.2; vfio_bind 0000:01:10.4
lv_hook igb-vm1 start begin
q1=$(lv_qemu_start igb-vm1)
qemus+=("$q1")
lv_hook igb-vm1 started begin
ktap_check "restarted_running" running

L2=$(lv_label igb-vm2)
lv_hook igb-vm2 prepare begin
rc=$?
vm2_refused() {
	[ $rc = 1 ] && [ "$(wc -l < "$LV_ERR")" = 1 ] &&
	grep -q "cannot reserve a VF for interface 52:54:00:1b:02:02 (VF 0000:01:10.2): .*held by vfpool-igb-vm1" "$LV_ERR"
}
ktap_check "second_domain_prepare_refused" vm2_refused
ktap_check "refused_prepare_leaves_nothing_held" busywait 20000 \
	eval 'lv_nothing_held "$L2" && vf_reset "$pf" 3 && vf_has "$pf" 1 $M1 100'

# --- guest crash: kill -9 of QEMU, no hook at all
kill_wait "$q1"
ktap_check "qemu_kill9_resets_vfs_without_hook" busywait 20000 \
	eval 'vf_reset "$pf" 1 && vf_reset "$pf" 2'
rm -f "$VFPOOL_HOOK_PIDDIR/vfpool-igb-vm1.pid"
vfio_unbind 0000:01:10.2; vfio_unbind 0000:01:10.4
lv_hook igb-vm1 release end

# --- two domains racing for VF 4 (0000:01:11.0)
LA=$(lv_label igb-race-a) LB=$(lv_label igb-race-b)
lv_hook igb-race-a prepare begin & ja=$!
lv_hook igb-race-b prepare begin & jb=$!
wait $ja; ra=$?
wait $jb; rb=$?
race_one_winner() {
	[ $((ra + rb)) = 1 ] || { echo "exit statuses $ra $rb"; return 1; }
	[ $(( $(lv_held "$LA") + $(lv_held "$LB") )) = 1 ] &&
	[ "$(vp_state "$pf" 4)" = reserved ]
}
ktap_check "race_exactly_one_prepare_succeeds" race_one_winner
if [ $ra = 0 ]; then winner=igb-race-a want=52:54:00:1b:03:01\ 300
else winner=igb-race-b want=52:54:00:1b:04:01\ 301; fi
# shellcheck disable=SC2086
ktap_check "race_winner_has_its_mac_vlan" vf_has "$pf" 4 $want
lv_hook "$winner" release end
ktap_check "race_winner_release_frees" busywait 20000 vf_reset "$pf" 4

ktap_check "no_vf_left_held" out_is 0 vp_count '.state != "free"' dev "$pf"

ktap_end
