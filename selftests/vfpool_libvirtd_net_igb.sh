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
#     VF; detach-device of a paused guest (no OS to answer the unplug
#     request) must not free a VF QEMU still has;
#   - destroy: every VF free and zeroed;
#   - <teaming>: a virtio NIC (persistent) and a hostdev VF (transient) with
#     the same MAC: the VF is reserved under that MAC, free and zeroed after.
# Skips (exit 4) without the emulated NIC or libvirt.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"
# shellcheck source=libvirt_lib.bash
source "$(dirname "$0")/libvirt_lib.bash"

PF_PCI=0000:01:00.0
PF_SYS=/sys/bus/pci/devices/$PF_PCI
N1=lvd-n1 UN1=6c1e0c55-3a44-4b4b-9d4e-00000000e101 MN1=52:54:00:6e:01:01
N2=lvd-n2 UN2=6c1e0c55-3a44-4b4b-9d4e-00000000e102 MN2=52:54:00:6e:01:02
T1=lvd-t1 UT1=6c1e0c55-3a44-4b4b-9d4e-00000000e103 MT=52:54:00:6e:01:03
MH=52:54:00:6e:01:04 MR=52:54:00:6e:0f:0f
# shellcheck disable=SC2034 # LT1 and hv are read in eval'd checks
LN1=$N1:$UN1 LN2=$N2:$UN2 LT1=$T1:$UT1
holders=()

if [ "$(cat "$PF_SYS/vendor" 2>/dev/null):$(cat "$PF_SYS/device" 2>/dev/null)" != 0x8086:0x10c9 ]; then
	absent_unless igb "no emulated igb PF at $PF_PCI"
fi
lvd_have || ktap_bail "libvirt is not installed (scripts/install-deps.sh)"

cleanup() {
	[ ${#holders[@]} = 0 ] || kill_wait "${holders[@]}"
	lvd_teardown
	"$VFPOOLCTL" vf release all force >/dev/null 2>&1
	vfpool_unload
	[ -w "$PF_SYS/sriov_numvfs" ] && echo 0 > "$PF_SYS/sriov_numvfs"
	# The next igb test loads its own VF drivers.
	rmmod vfio_pci igbvf 2>/dev/null
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
"$VFPOOLCTL" pool add dev "$pf" name igb >/dev/null || ktap_bail "cannot enroll"
lvd_setup "mode = strict" "linger = 300" "pidfile_timeout = 300" "timeout = 120" ||
	ktap_bail "cannot set up libvirtd's world"
lvd_start || ktap_bail "libvirtd does not start"

ktap_begin 17

# The network of Documentation/libvirt.rst, as written there.
cat > "$LVD/vfnet.xml" <<EOF
<network>
  <name>vfnet</name>
  <forward mode='hostdev' managed='yes'>
    <pf dev='$pf'/>
  </forward>
</network>
EOF
ktap_check "network_defined_started" eval \
	'virsh -q net-define "$LVD/vfnet.xml" >/dev/null && virsh -q net-start vfnet >/dev/null'

netif() { # MAC [VLAN]
	cat <<-EOF
	<interface type='network'>
	  <mac address='$1'/>
	  <source network='vfnet'/>
	  ${2:+<vlan><tag id='$2'/></vlan>}
	</interface>
	EOF
}
lvd_domain "$N1" "$UN1" "$(netif "$MN1" 43)" > "$LVD/n1.xml"
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
holders+=("$hpid")
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
# A paused guest without an OS never answers the unplug request: QEMU keeps
# the VF, so must vfpool.
virsh -q detach-device "$N1" "$LVD/hot.xml" --live >/dev/null 2>&1
ktap_check "unanswered_unplug_keeps_vf_held" eval \
	'sleep 2; held "$LN1" 2 && vf_has "$pf" "$hv" "$MH" 0'

ktap_check "destroy_both" eval 'virsh -q destroy "$N1" >/dev/null && virsh -q destroy "$N2" >/dev/null'
all_free_zero() {
	local i
	for i in 0 1 2 3 4 5 6; do vf_reset "$pf" "$i" || return 1; done
}
ktap_check "after_destroy_all_free_zero" busywait 30000 all_free_zero

# --- <teaming>: libvirt's failover, as in Documentation/libvirt.rst -------
cat > "$LVD/t1-ifaces.xml" <<EOF
<interface type='user'>
  <mac address='$MT'/>
  <model type='virtio'/>
  <teaming type='persistent'/>
  <alias name='ua-backup0'/>
</interface>
<interface type='hostdev' managed='yes'>
  <mac address='$MT'/>
  <source>
    <address type='pci' domain='0x0000' bus='0x01' slot='0x11' function='0x0'/>
  </source>
  <teaming type='transient' persistent='ua-backup0'/>
</interface>
EOF
lvd_domain "$T1" "$UT1" "$(cat "$LVD/t1-ifaces.xml")" > "$LVD/t1.xml"
lvd_define "$LVD/t1.xml"
ktap_check "teaming_start" lvd_start_dom "$T1"
ktap_check "teaming_vf_reserved_under_its_mac" busywait 60000 eval \
	'port_ok "$T1" "$LT1" "$MT" 0 && [ "$(vf_of "$LT1" "$MT")" = 4 ]'
ktap_check "teaming_destroy_vf_free_zero" eval \
	'virsh -q destroy "$T1" >/dev/null && busywait 30000 all_free_zero'

ktap_end
