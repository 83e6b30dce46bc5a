#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's real libvirtd drives vfpool's network hook with a pool of VFs,
# <network><forward mode='hostdev'><pf dev=.../></forward> (the seeds' own
# design), on the igb profile's emulated 82576:
#   - a port whose VF another owner holds is refused: the domain does not
#     start, the owner keeps its VF;
#   - two domains on one network: each holds the VF libvirt picked, with
#     its MAC/VLAN, in vfpool, while it runs;
#   - hotplug: virsh attach-device of a network interface holds one more
#     VF; detach-device of a guest without an OS (nothing answers the
#     unplug request) must not free a VF QEMU still has; once the test
#     answers for the guest (ACPI eject register), the VF is free and zeroed;
#   - destroy: every VF free and zeroed;
#   - <teaming>: a virtio NIC (persistent) and a hostdev VF (transient) with
#     the same MAC: the VF is reserved under that MAC, free and zeroed after;
#   - <metadata> of the hybrid model: a VF of pool mig held with its MAC/VLAN.
# The network, N1's NIC, the <teaming> pair and the metadata are those of
# Documentation/libvirt.rst, taken from it (libvirt_lib.bash).
# Skips (exit 4) without the emulated NIC or libvirt.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"
# shellcheck source=libvirt_lib.bash
source "$(dirname "$0")/libvirt_lib.bash"

N1=lvd-n1 UN1=6c1e0c55-3a44-4b4b-9d4e-00000000e101 MN1=52:54:00:6e:01:01
N2=lvd-n2 UN2=6c1e0c55-3a44-4b4b-9d4e-00000000e102 MN2=52:54:00:6e:01:02
# shellcheck disable=SC2034 # MT is read in an eval'd check
T1=lvd-t1 UT1=6c1e0c55-3a44-4b4b-9d4e-00000000e103 MT=52:54:00:6e:01:03
G1=lvd-g1 UG1=6c1e0c55-3a44-4b4b-9d4e-00000000e104 MG=52:54:00:6c:05:01
MH=52:54:00:6e:01:04 MR=52:54:00:6e:0f:0f
# shellcheck disable=SC2034 # LT1, LG1 and hv are read in eval'd checks
LN1=$N1:$UN1 LN2=$N2:$UN2 LT1=$T1:$UT1 LG1=$G1:$UG1

test_init
# The pool is named as in Documentation/libvirt.rst's metadata example.
lvd_igb_up name mig

ktap_begin 23

# The network and N1's NIC are Documentation/libvirt.rst's, as written
# there; N2's and the hot-plugged NIC are the doc's with their own MAC/VLAN.
lvd_doc_xml '^<network>' > "$LVD/vfnet.xml"
ktap_check "network_defined_started" eval \
	'virsh -q net-define "$LVD/vfnet.xml" >/dev/null && virsh -q net-start vfnet >/dev/null'

doc_netif=$(lvd_doc_xml "^<interface type='network'")
netif() { # MAC [VLAN]: the doc's NIC with this MAC (and VLAN, else none)
	local x=${doc_netif//$MN1/$1}
	if [ -n "${2:-}" ]; then
		x=${x//"tag id='43'"/"tag id='$2'"}
	else
		x=$(grep -v '<vlan>' <<< "$x")
	fi
	printf '%s\n' "$x"
}
lvd_domain "$N1" "$UN1" "$doc_netif" > "$LVD/n1.xml"
lvd_domain "$N2" "$UN2" "$(netif "$MN2" 44)" > "$LVD/n2.xml"
netif "$MH" > "$LVD/hot.xml"
lvd_define "$LVD/n1.xml" && lvd_define "$LVD/n2.xml"

# held LABEL N: LABEL holds N VFs in vfpool
held() { out_is "$2" vp_count ".state == \"reserved\" and .owner == \"$1\"" dev "$pf"; }
# vf_of LABEL MAC: the VF index LABEL holds with MAC
vf_of() {
	"$VFPOOLCTL" -j vf show owner "$1" |
		jq -er --arg m "$2" '[.[] | select(.state == "reserved" and .mac == $m)][0].vf'
}
# port_ok DOMAIN LABEL MAC VLAN: running, its VF held with MAC/VLAN as ip link
# reports, bound to vfio-pci, following QEMU
port_ok() {
	local vf pci q
	lvd_running "$1" || { echo "$1 not running"; return 1; }
	vf=$(vf_of "$2" "$3") || { echo "$2 holds no VF with $3"; return 1; }
	pci=$(vp_vf "$pf" "$vf" .pci)
	q=$(lvd_qemu_pid "$1") || return 1
	vf_has "$pf" "$vf" "$3" "$4" && [ "$(vf_driver "$pci")" = vfio-pci ] || return 1
	[ "$(vp_vf "$pf" "$vf" .holder)" = process ] && [ "$(vp_vf "$pf" "$vf" .pid)" = "$q" ]
}

# --- libvirt picks VF 0 first; another owner holds it: refused ----------
read -r hpid _ < <(hold_vf dev "$pf" vf 0 mac "$MR" owner rival-0)
track "$hpid"
vout=$(virsh -q start --paused "$N1" 2>&1)
rc=$?
refused() {
	[ "$rc" != 0 ] && grep -q "VF 0000:01:10.0 is held by rival-0" <<< "$vout" && lvd_shut "$N1" &&
		return 0
	echo "virsh start: exit $rc: $vout"
	return 1
}
ktap_check "port_of_vf_held_by_other_refused" refused
ktap_check "refused_port_left_owner_alone" eval \
	'[ "$(vp_vf "$pf" 0 .owner)" = rival-0 ] && vf_has "$pf" 0 "$MR" 0 && held "$LN1" 0'
kill_wait "$hpid"
busywait 20000 vf_reset "$pf" 0

# --- two domains on the pool ----------------------------------------------
ktap_check "n1_start" lvd_start_dom "$N1"
ktap_check "n1_holds_its_vf" busywait 60000 port_ok "$N1" "$LN1" "$MN1" 43
ktap_check "n2_start" lvd_start_dom "$N2"
ktap_check "n2_holds_its_vf" busywait 60000 port_ok "$N2" "$LN2" "$MN2" 44
ktap_check "two_domains_two_vfs" eval \
	'held "$LN1" 1 && held "$LN2" 1 && [ "$(vf_of "$LN1" "$MN1")" != "$(vf_of "$LN2" "$MN2")" ]'
ktap_check "hook_logged_port" lvd_logged "$LN1: network vfnet: reserved VF .* mac $MN1 vlan 43"

# --- hotplug --------------------------------------------------------------
ktap_check "hotplug_attach" virsh -q attach-device "$N1" "$LVD/hot.xml" --live
ktap_check "hotplug_vf_held" busywait 60000 eval \
	'held "$LN1" 2 && port_ok "$N1" "$LN1" "$MH" 0'
# shellcheck disable=SC2034
hv=$(vf_of "$LN1" "$MH")
hvpci=$(vp_vf "$pf" "$hv" .pci)
# hot_slot: the guest PCI bus and slot of the hot-plugged NIC (MH), as
# libvirt's live XML has them.
hot_slot() {
	virsh -q dumpxml "$N1" | python3 -c '
import sys, xml.etree.ElementTree as ET
for i in ET.parse(sys.stdin).getroot().iter("interface"):
    m, a = i.find("mac"), i.find("address")
    if m is not None and m.get("address") == sys.argv[1] and a is not None:
        print(int(a.get("bus"), 0), int(a.get("slot"), 0))
' "$MH"
}
# shellcheck disable=SC2034 # read in eval'd checks
read -r hbus hslot < <(hot_slot)
# qemu_has_hot: QEMU itself (query-pci) still has a device in that slot.
qemu_has_hot() {
	virsh -q qemu-monitor-command "$N1" '{"execute":"query-pci"}' |
		jq -e --argjson b "$hbus" --argjson s "$hslot" \
		'any(.return[] | select(.bus == $b) | .devices[]; .slot == $s)' >/dev/null
}
# A guest without an OS never answers the unplug request: QEMU keeps the
# VF, so must vfpool.  virsh returns once libvirt gave up waiting for the
# guest (it waits for QEMU's DEVICE_DELETED itself); then QEMU, asked
# directly, still has the device, and vfpool must agree.
virsh -q detach-device "$N1" "$LVD/hot.xml" --live >/dev/null 2>&1
ktap_check "unanswered_unplug_keeps_vf_held" eval \
	'qemu_has_hot && held "$LN1" 2 && vf_has "$pf" "$hv" "$MH" 0'
# The test then does what a guest OS's ACPI _EJ0 method does to answer:
# write the slot's bit to the PIIX4 PCI hotplug eject register (I/O port
# 0xae08, QEMU's docs/specs/acpi_pci_hotplug.rst); QEMU removes the device,
# libvirt gives the VF back to the host and deletes the port.
hot_gone() { ! virsh -q dumpxml "$N1" | grep -q "$MH"; }
# HMP's "o/w": a 32-bit write (w is HMP's word), as the register wants.
answer_unplug() {
	local out
	[ "$hbus" = 0 ] || { echo "hot-plugged NIC on bus ${hbus:-?}, not the root bus"; return 1; }
	if ! out=$(virsh -q qemu-monitor-command "$N1" --hmp "o/w 0xae08 $((1 << hslot))" 2>&1) ||
	   [ -n "$out" ]; then
		echo "HMP o: $out"
		return 1
	fi
	busywait 30000 hot_gone && return 0
	virsh -q dumpxml "$N1" | grep -A9 "$MH"
	return 1
}
ktap_check "unplug_answered_device_gone" answer_unplug
hot_freed() { held "$LN1" 1 && vf_reset "$pf" "$hv"; }
ktap_check "completed_unplug_vf_free_zero" eval \
	'busywait 30000 hot_freed && port_ok "$N1" "$LN1" "$MN1" 43'
ktap_check "hook_logged_unplug_release" lvd_logged "$LN1: network vfnet: released VF $hvpci"

ktap_check "destroy_both" eval 'virsh -q destroy "$N1" >/dev/null && virsh -q destroy "$N2" >/dev/null'
all_free_zero() {
	local i
	for i in 0 1 2 3 4 5 6; do vf_reset "$pf" "$i" || return 1; done
}
ktap_check "after_destroy_all_free_zero" busywait 30000 all_free_zero

# --- <teaming>: libvirt's failover, as in Documentation/libvirt.rst -------
lvd_doc_xml "^<interface type='user'" > "$LVD/t1-ifaces.xml"
lvd_domain "$T1" "$UT1" "$(cat "$LVD/t1-ifaces.xml")" > "$LVD/t1.xml"
lvd_define "$LVD/t1.xml"
ktap_check "teaming_start" lvd_start_dom "$T1"
ktap_check "teaming_vf_reserved_under_its_mac" busywait 60000 eval \
	'port_ok "$T1" "$LT1" "$MT" 0 && [ "$(vf_of "$LT1" "$MT")" = 4 ]'
ktap_check "teaming_destroy_vf_free_zero" eval \
	'virsh -q destroy "$T1" >/dev/null && busywait 30000 all_free_zero'

# --- the hybrid model's metadata, as in Documentation/libvirt.rst --------
lvd_domain "$G1" "$UG1" "" "$(lvd_doc_xml '^<metadata>')" > "$LVD/g1.xml"
lvd_define "$LVD/g1.xml"
ktap_check "metadata_start" lvd_start_dom "$G1"
meta_held() {
	local vf q
	q=$(lvd_qemu_pid "$G1") || return 1
	vf=$(vf_of "$LG1" "$MG") || return 1
	held "$LG1" 1 && [ "$(vp_vf "$pf" "$vf" .pool)" = mig ] && vf_has "$pf" "$vf" "$MG" 77 &&
	[ "$(vp_vf "$pf" "$vf" .holder)" = process ] && [ "$(vp_vf "$pf" "$vf" .pid)" = "$q" ]
}
ktap_check "metadata_pool_vf_held_mac_vlan_for_qemu" busywait 60000 meta_held
ktap_check "metadata_destroy_vf_free_zero" eval \
	'virsh -q destroy "$G1" >/dev/null && busywait 30000 all_free_zero'

ktap_end
