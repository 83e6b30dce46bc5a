#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's real libvirtd drives vfpool's hooks (userspace/hooks) with an
# <interface type='hostdev'> domain on the igb profile's emulated 82576:
#   - the VF starts bound to igbvf (as on a real host); virsh start holds it
#     in vfpool with the domain's MAC/VLAN, bound to vfio-pci;
#   - a domain whose VF another owner holds does not start and leaves that
#     owner alone;
#   - libvirtd killed and restarted under the running domain: the reconnect
#     hook finds the VF held, the guest keeps running;
#   - virsh destroy while a rival client tries to reserve the VF in a loop:
#     the rival wins only after libvirt is done, and keeps its own MAC;
#   - kill -9 of QEMU: the VF ends free and zeroed, back on igbvf.
# Asserted with ip link (the PF), vfpoolctl -j, the VF's driver and the
# hooks' syslog.  Skips (exit 4) without the emulated NIC or libvirt.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"
# shellcheck source=libvirt_lib.bash
source "$(dirname "$0")/libvirt_lib.bash"

PF_PCI=0000:01:00.0
PF_SYS=/sys/bus/pci/devices/$PF_PCI
VF1=0000:01:10.2 VF3=0000:01:10.6
M1=52:54:00:6d:01:01 M3=52:54:00:6d:01:03 MR=52:54:00:6d:0f:0f
D1=lvd-d1 U1=6c1e0c55-3a44-4b4b-9d4e-00000000d101
D3=lvd-d3 U3=6c1e0c55-3a44-4b4b-9d4e-00000000d103
L1=$D1:$U1
RIVAL_DIR=/tmp/vfpool-rival
holders=()
rival=""

if [ "$(cat "$PF_SYS/vendor" 2>/dev/null):$(cat "$PF_SYS/device" 2>/dev/null)" != 0x8086:0x10c9 ]; then
	absent_unless igb "no emulated igb PF at $PF_PCI"
fi
lvd_have || ktap_bail "libvirt is not installed (scripts/install-deps.sh)"

cleanup() {
	[ -z "$rival" ] || kill_wait "$rival"
	[ -s "$RIVAL_DIR/pid" ] && kill -9 "$(cat "$RIVAL_DIR/pid")" 2>/dev/null
	[ ${#holders[@]} = 0 ] || kill_wait "${holders[@]}"
	lvd_teardown
	"$VFPOOLCTL" vf release all force >/dev/null 2>&1
	vfpool_unload
	[ -w "$PF_SYS/sriov_numvfs" ] && echo 0 > "$PF_SYS/sriov_numvfs"
	# The next igb test loads its own VF drivers.
	rmmod vfio_pci igbvf 2>/dev/null
	rm -rf "$RIVAL_DIR"
}
trap cleanup EXIT

# shellcheck disable=SC2012 # a PCI device's net/ holds plain ifnames
pf_netdev() { ls "$PF_SYS/net" 2>/dev/null | head -n 1 | grep .; }

guest_modprobe igb || ktap_bail "igb does not load"
busywait 10000 pf_netdev >/dev/null || ktap_bail "no igb PF netdev"
pf=$(pf_netdev)
ip link set dev "$pf" up
echo 7 > "$PF_SYS/sriov_numvfs" || ktap_bail "cannot create VFs"
vfpool_unload
vfpool_load || ktap_bail "vfpool.ko does not load"
"$VFPOOLCTL" pool add dev "$pf" vfs 0-5 name igb >/dev/null || ktap_bail "cannot enroll"
# As on a real host: the VFs' own driver has them until libvirt detaches.
guest_modprobe igbvf
lvd_setup "mode = strict" "linger = 300" "pidfile_timeout = 300" "timeout = 120" ||
	ktap_bail "cannot set up libvirtd's world"
lvd_start || ktap_bail "libvirtd does not start"

ktap_begin 20

hostdev() { # PCI MAC VLAN
	local a=${1#0000:}
	cat <<-EOF
	<interface type='hostdev' managed='yes'>
	  <mac address='$2'/>
	  <source>
	    <address type='pci' domain='0x0000' bus='0x${a%%:*}' slot='0x$(echo "$a" | cut -d: -f2 | cut -d. -f1)' function='0x${a##*.}'/>
	  </source>
	  <vlan><tag id='$3'/></vlan>
	</interface>
	EOF
}
lvd_domain "$D1" "$U1" "$(hostdev "$VF1" "$M1" 42)" > "$LVD/d1.xml"
lvd_domain "$D3" "$U3" "$(hostdev "$VF3" "$M3" 43)" > "$LVD/d3.xml"
lvd_define "$LVD/d1.xml" && lvd_define "$LVD/d3.xml"

ktap_check "vf_starts_on_igbvf" busywait 20000 out_is igbvf vf_driver "$VF1"

# held for D1 with its MAC/VLAN, following QEMU, on vfio-pci
held_d1() { lvd_running "$D1" && held_d1_vf; }
held_d1_vf() {
	local q
	q=$(lvd_qemu_pid "$D1") || { echo "no QEMU"; return 1; }
	if ! { [ "$(vp_vf "$pf" 1 .state)" = reserved ] &&
	       [ "$(vp_vf "$pf" 1 .owner)" = "$L1" ] &&
	       [ "$(vp_vf "$pf" 1 .mac)" = "$M1" ] &&
	       vf_has "$pf" 1 "$M1" 42 &&
	       [ "$(vf_driver "$VF1")" = vfio-pci ]; }; then
		"$VFPOOLCTL" -j vf show dev "$pf"
		return 1
	fi
	# Bound to QEMU's process in the kernel (the hook's detach pidfile).
	[ "$(vp_vf "$pf" 1 .holder)" = process ] && [ "$(vp_vf "$pf" 1 .pid)" = "$q" ]
}
ktap_check "hostdev_start" lvd_start_dom "$D1"
ktap_check "hostdev_running_vf_held_mac_vlan_vfio" busywait 60000 held_d1
ktap_check "hook_logged_reservation" \
	lvd_logged "$L1: reserved VF $VF1 \\($pf vf 1\\) mac $M1 vlan 42"

# --- a VF another owner holds: the domain must not start ---------------
read -r hpid _ < <(hold_vf dev "$pf" vf 3 mac "$MR" vlan 7 owner rival-3)
holders+=("$hpid")
rival3_untouched() {
	[ "$(vp_vf "$pf" 3 .owner)" = rival-3 ] && vf_has "$pf" 3 "$MR" 7 &&
	[ "$(vf_driver "$VF3")" = igbvf ]
}
ktap_check "rival_holds_vf3" rival3_untouched
vout=$(virsh -q start --paused "$D3" 2>&1)
rc=$?
refused_d3() {
	[ "$rc" != 0 ] && grep -q "VF $VF3 is held by rival-3" <<< "$vout" && lvd_shut "$D3" && return 0
	echo "virsh start: exit $rc: $vout"
	return 1
}
ktap_check "start_refused_vf_held_by_other" refused_d3
ktap_check "refused_start_left_owner_alone" eval 'sleep 1; rival3_untouched'
kill_wait "$hpid"

# --- libvirtd dies and comes back under the running domain --------------
q1=$(lvd_qemu_pid "$D1")
lvd_kill
ktap_check "libvirtd_dead_vf_still_held" held_d1_vf
lvd_start
ktap_check "libvirtd_restarted_domain_alive" eval \
	'lvd_running "$D1" && [ "$(lvd_qemu_pid "$D1")" = "$q1" ]'
ktap_check "reconnect_found_vf_held" busywait 20000 \
	lvd_logged "$L1: reconnect: VF $VF1 held for the domain"
ktap_check "reconnect_vf_still_held" held_d1

# --- the release race ---------------------------------------------------
# A rival tries to reserve VF 1 with its own MAC, again and again, while
# libvirt destroys D1.  libvirt restores the VF's saved MAC after QEMU is
# gone and before "release end": the VF must stay held for D1 until then.
mkdir -p "$RIVAL_DIR"
(
	while :; do
		"$VFPOOLCTL" vf reserve dev "$pf" vf 1 mac "$MR" owner rival-1 exec -- \
			sh -c "echo \$\$ > $RIVAL_DIR/pid; logger -t vfpool-rival 'won VF 1'; touch $RIVAL_DIR/won; exec sleep 100000" \
			2>/dev/null
		sleep 0.02
	done
) &
rival=$!
ktap_check "rival_loses_while_domain_runs" eval 'sleep 2; [ ! -e "$RIVAL_DIR/won" ] && held_d1'
ktap_check "destroy_under_rival" virsh -q destroy "$D1"
ktap_check "rival_wins_after_libvirt_is_done" busywait 60000 test -e "$RIVAL_DIR/won"
rival_order() {
	local rel won
	rel=$(grep -n "$L1: released VF $VF1" "$LVD_SYSLOG" | head -n 1 | cut -d: -f1)
	won=$(grep -n "vfpool-rival.*won VF 1" "$LVD_SYSLOG" | head -n 1 | cut -d: -f1)
	[ -n "$rel" ] && [ -n "$won" ] && [ "$rel" -lt "$won" ] && return 0
	echo "release at line ${rel:-none}, rival won at line ${won:-none}"
	return 1
}
ktap_check "rival_won_only_after_release_end" rival_order
rival_keeps() {
	[ "$(vp_vf "$pf" 1 .owner)" = rival-1 ] && vf_has "$pf" 1 "$MR" 0
}
ktap_check "rival_keeps_its_mac" eval 'rival_keeps && sleep 3 && rival_keeps && lvd_shut "$D1"'
kill_wait "$rival"
rival=""
kill -9 "$(cat "$RIVAL_DIR/pid")"
ktap_check "rival_gone_vf_free_zero" busywait 20000 vf_reset "$pf" 1

# --- kill -9 of QEMU ----------------------------------------------------
lvd_start_dom "$D1"
busywait 60000 held_d1
q1=$(lvd_qemu_pid "$D1")
kill -9 "$q1"
ktap_check "qemu_kill9_domain_shut_off" busywait 60000 lvd_shut "$D1"
ktap_check "qemu_kill9_vf_free_zero_back_on_igbvf" busywait 30000 \
	eval 'vf_reset "$pf" 1 && [ "$(vf_driver "$VF1")" = igbvf ]'

ktap_check "no_vf_left_held" out_is 0 vp_count '.state != "free"' dev "$pf"
ktap_end
