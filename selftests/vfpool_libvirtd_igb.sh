#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's real libvirtd drives vfpool's hooks (userspace/hooks) with an
# <interface type='hostdev'> domain on the igb profile's emulated 82576:
#   - the VF starts bound to igbvf (as on a real host); virsh start holds it
#     in vfpool with the domain's MAC/VLAN, bound to vfio-pci;
#   - a domain whose VF another owner holds does not start and leaves that
#     owner alone;
#   - libvirtd killed and restarted under the running domain: reconnect
#     finds the VF held and changes nothing (no vfpool event, ip link
#     steady); after a forced release under the guest it reserves the VF
#     again with the domain's MAC/VLAN for the same QEMU;
#   - the PF enrolled while a guest (started in permissive mode) uses the
#     VF: it enrolls assigned, and reconnect adopts it for the running QEMU
#     without a blink (ip link sampled throughout);
#   - virsh destroy while a rival client tries to reserve the VF in a loop:
#     the rival wins only after libvirt is done, and keeps its own MAC;
#   - kill -9 of QEMU: the VF ends free and zeroed, back on igbvf.
# D1's NIC, the configuration and the refusal message are those of
# Documentation/libvirt.rst, taken from it (libvirt_lib.bash).  Asserted
# with ip link (the PF), vfpoolctl -j, the VF's driver and the hooks'
# syslog.  Skips (exit 4) without the emulated NIC or libvirt.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"
# shellcheck source=libvirt_lib.bash
source "$(dirname "$0")/libvirt_lib.bash"

VF1=0000:01:10.2 VF3=0000:01:10.6
M1=52:54:00:6d:01:01 M3=52:54:00:6d:01:03 MR=52:54:00:6d:0f:0f
D1=lvd-d1 U1=6c1e0c55-3a44-4b4b-9d4e-00000000d101
D3=lvd-d3 U3=6c1e0c55-3a44-4b4b-9d4e-00000000d103
L1=$D1:$U1

test_init
RIVAL_DIR=$tmp/rival
lvd_igb_up vfs 0-5 name igb
lvd_monitor
# As on a real host: the VFs' own driver has them until libvirt detaches.
guest_modprobe igbvf

ktap_begin 30

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
# D1's NIC is Documentation/libvirt.rst's, as written there (VF1, M1, 42).
lvd_domain "$D1" "$U1" "$(lvd_doc_xml "^<interface type='hostdev'")" > "$LVD/d1.xml"
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
track "$hpid"
rival3_untouched() {
	[ "$(vp_vf "$pf" 3 .owner)" = rival-3 ] && vf_has "$pf" 3 "$MR" 7 &&
	[ "$(vf_driver "$VF3")" = igbvf ]
}
ktap_check "rival_holds_vf3" rival3_untouched
lvd_mark mark0 5 || log "no marker mark0"
vout=$(virsh -q start --paused "$D3" 2>&1)
rc=$?
# The refusal libvirt reports is the one line the doc shows (wrapped there).
doc_refusal=$(lvd_doc_block '^vfpool-hook: qemu lvd-d3' | tr -s ' \n' '  ')
doc_refusal=${doc_refusal% }
refused_d3() {
	[ "$rc" != 0 ] && [ -n "$doc_refusal" ] && grep -qF "$doc_refusal" <<< "$vout" &&
		lvd_shut "$D3" && return 0
	echo "virsh start: exit $rc: $vout"
	echo "the doc's line: $doc_refusal"
	return 1
}
ktap_check "start_refused_vf_held_by_other" refused_d3
# libvirt ran the hooks of the refused start before virsh returned; no
# vfpool event of VF 3 up to a marker after it (every request the hooks made
# is done then) and VF 3 as the rival left it.
vf3_events() { lvd_events_between mark0 mark0b | grep -E '"vf":3[,}]|^no event'; }
ktap_check "refused_start_left_owner_alone" eval \
	'lvd_mark mark0b 5 && ! vf3_events && rival3_untouched'
kill_wait "$hpid"

# --- libvirtd dies and comes back under the running domain --------------
# All consistent: reconnect changes nothing (no vfpool event between two
# markers, ip link unchanged throughout, the same QEMU holds the VF).
no_event_between() {
	local ev
	ev=$(lvd_events_between mark1 mark2 | grep -v '"owner":"mark1"')
	echo "vfpool events during the restart: [$ev]"
	[ -z "$ev" ]
}
q1=$(lvd_qemu_pid "$D1")
lvd_mark mark1 5 && vf_watch "$pf" 1
lvd_kill
ktap_check "libvirtd_dead_vf_still_held" held_d1_vf
lvd_start
ktap_check "libvirtd_restarted_domain_alive" eval \
	'lvd_running "$D1" && [ "$(lvd_qemu_pid "$D1")" = "$q1" ]'
ktap_check "reconnect_found_vf_held" busywait 20000 \
	lvd_logged "$L1: reconnect: VF $VF1 held for the domain"
ktap_check "reconnect_vf_still_held" held_d1
ktap_check "consistent_reconnect_changes_nothing" eval \
	'lvd_mark mark2 5 && no_event_between && vf_watch_end "$M1" 42'

# The record gone under the running guest: an administrator forces the
# VF's release (vfpool resets it: the guest loses its MAC/VLAN), libvirtd
# restarts: reconnect holds the VF again with the domain's MAC/VLAN, bound
# to the same QEMU.
lvd_kill
"$VFPOOLCTL" vf release dev "$pf" vf 1 force >/dev/null
ktap_check "forced_release_under_guest_vf_free_zero" eval \
	'vf_reset "$pf" 1 && [ "$(lvd_qemu_pid "$D1")" = "$q1" ]'
lvd_start
ktap_check "reconnect_reserved_free_vf_again" busywait 20000 \
	lvd_logged "$L1: reconnect: VF $VF1 was free: reserved again with mac $M1 vlan 42, bound to QEMU $q1"
ktap_check "reconnect_vf_held_for_same_qemu" eval \
	'held_d1 && [ "$(lvd_qemu_pid "$D1")" = "$q1" ]'

# --- the release race ---------------------------------------------------
# A rival tries to reserve VF 1 with its own MAC, again and again, while
# libvirt destroys D1.  libvirt restores the VF's saved MAC after QEMU is
# gone and before "release end": the VF must stay held for D1 until then.
mkdir -p "$RIVAL_DIR"
# rival_gone: the rival's holder (the sleep that replaced its vfpoolctl).
rival_gone() { [ ! -s "$RIVAL_DIR/pid" ] || kill -9 "$(cat "$RIVAL_DIR/pid")" 2>/dev/null; }
defer rival_gone
# Each refused attempt is a line in tries.  The pause between attempts
# paces the rival (a client retrying), it is not a wait for anything.
(
	while :; do
		"$VFPOOLCTL" vf reserve dev "$pf" vf 1 mac "$MR" owner rival-1 exec -- \
			sh -c "echo \$\$ > $RIVAL_DIR/pid; logger -t vfpool-rival 'won VF 1'; touch $RIVAL_DIR/won; exec sleep 100000" \
			2>/dev/null || echo refused >> "$RIVAL_DIR/tries"
		sleep 0.02
	done
) &
rival=$!
track "$rival"
# tried N: the rival was refused N times.
tried() { [ -f "$RIVAL_DIR/tries" ] && [ "$(wc -l < "$RIVAL_DIR/tries")" -ge "$1" ]; }
ktap_check "rival_loses_while_domain_runs" eval \
	'busywait 30000 tried 20 && [ ! -e "$RIVAL_DIR/won" ] && held_d1'
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
# libvirt is done with D1 once it is shut off and VF 1 is back on igbvf
# (reattached before "release end"); vfpool did nothing since the rival won
# (no event up to a marker) and the rival's MAC stayed.
libvirt_done() { lvd_shut "$D1" && [ "$(vf_driver "$VF1")" = igbvf ]; }
ktap_check "rival_keeps_its_mac" eval \
	'rival_keeps && busywait 30000 libvirt_done && lvd_mark mark3 5 &&
	 [ -z "$(lvd_events_between rival-1 mark3)" ] && rival_keeps'
kill_wait "$rival"
kill -9 "$(cat "$RIVAL_DIR/pid")"
ktap_check "rival_gone_vf_free_zero" busywait 20000 vf_reset "$pf" 1

# --- kill -9 of QEMU ----------------------------------------------------
lvd_start_dom "$D1"
busywait 60000 held_d1
q1=$(lvd_qemu_pid "$D1")
kill -9 "$q1"
ktap_check "qemu_kill9_domain_shut_off" busywait 60000 lvd_shut "$D1"
vf1_free_igbvf() { vf_reset "$pf" 1 && [ "$(vf_driver "$VF1")" = igbvf ]; }
ktap_check "qemu_kill9_vf_free_zero_back_on_igbvf" busywait 30000 vf1_free_igbvf

# --- a guest vfpool never knew: the PF enrolled while it runs ------------
# (vfpool installed on a host with running guests; mode = permissive until
# then).  Enrollment leaves the VF QEMU uses alone (assigned); at libvirtd's
# restart, reconnect adopts it for the running QEMU without writing it.
"$VFPOOLCTL" pool del dev "$pf" >/dev/null
lvd_conf "${LVD_CONF[@]/#mode = strict/mode = permissive}"
lvd_start_dom "$D1"
unheld_d1() {
	lvd_running "$D1" && [ "$(vf_driver "$VF1")" = vfio-pci ] && vf_has "$pf" 1 "$M1" 42
}
ktap_check "permissive_start_pf_not_enrolled" eval \
	'busywait 60000 unheld_d1 && lvd_logged "VF $VF1\\): VF not enrolled in vfpool: left alone"'
q1=$(lvd_qemu_pid "$D1")
vf_watch "$pf" 1
"$VFPOOLCTL" pool add dev "$pf" vfs 0-5 name igb >/dev/null
ktap_check "enrolled_under_guest_vf_assigned" eval \
	'[ "$(vp_vf "$pf" 1 .state)" = assigned ] && vf_has "$pf" 1 "$M1" 42'
lvd_kill
lvd_start
ktap_check "reconnect_adopted_assigned_vf" busywait 20000 \
	lvd_logged "$L1: reconnect: VF $VF1 was assigned: adopted \\(live config kept\\), bound to QEMU $q1"
ktap_check "adopted_vf_held_for_same_qemu" eval \
	'held_d1 && [ "$(lvd_qemu_pid "$D1")" = "$q1" ]'
ktap_check "adoption_without_a_blink" vf_watch_end "$M1" 42
lvd_conf "${LVD_CONF[@]}"
ktap_check "adopted_vf_destroy_free_zero_igbvf" eval \
	'virsh -q destroy "$D1" >/dev/null && busywait 30000 vf1_free_igbvf'

ktap_check "no_vf_left_held" out_is 0 vp_count '.state != "free"' dev "$pf"
ktap_end
