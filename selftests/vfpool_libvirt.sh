#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The libvirt qemu hook (userspace/hooks/qemu), driven exactly as libvirt
# drives it, with the domain XML of selftests/libvirt/ on stdin and a
# stand-in QEMU writing the pidfile after prepare: the VF is held with its
# MAC/VLAN while the domain runs and free and zeroed after release; a guest
# crash (kill -9 of QEMU) resets it with no hook running; a failed prepare
# leaves nothing held; two domains racing for one VF: one starts; the
# hybrid migration of the 2012 RFC between two "hosts" (network namespaces).
#
# netdevsim VFs have no PCI address, so domains here take their VF from a
# pool (<vfpool:interface> metadata); the PCI-address form runs on the igb
# profile (vfpool_libvirt_igb.sh).
#
#   netdevsim A: PF $pf, 4 VFs, pool lvt     netdevsim B: PF $pfb, VF 0, pool one
#   netns lvsrc-N: netdevsim C, pool mig     netns lvdst-N: netdevsim D, pool mig

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"
# shellcheck source=libvirt/replay.bash
source "$(dirname "$0")/libvirt/replay.bash"

A=$((RANDOM % 1000 + 5100))
B=$((A + 1)) C=$((A + 2)) D=$((A + 3))
SRC=lvsrc-$A DST=lvdst-$A
qemus=()

cleanup() {
	[ ${#qemus[@]} = 0 ] || kill_wait "${qemus[@]}"
	ip netns del "$SRC" 2>/dev/null
	ip netns del "$DST" 2>/dev/null
	nsim_del "$A"; nsim_del "$B"; nsim_del "$C"; nsim_del "$D"
	vfpool_unload
	rm -rf "$VFPOOL_HOOK_PIDDIR" "$LV_OUT" "$LV_ERR"
}
trap cleanup EXIT

vfpool_unload
vfpool_load || ktap_skip_all "vfpool.ko does not load"
pf=$(nsim_add "$A" 4) || ktap_skip_all "no netdevsim"
pfb=$(nsim_add "$B" 1) || ktap_skip_all "no netdevsim"
"$VFPOOLCTL" pool add dev "$pf" name lvt >/dev/null &&
"$VFPOOLCTL" pool add dev "$pfb" vfs 0-0 name one >/dev/null ||
	ktap_skip_all "cannot enroll"

ktap_begin 25

# --- the full sequence --------------------------------------------------
L1=$(lv_label vm1)
lv_hook vm1 prepare begin
ktap_check "prepare_begin_ok" test $? = 0
ktap_check "prepare_reserved_one_vf" out_is 1 lv_held "$L1"
read -r p1 v1 < <(lv_vf_of "$L1")
ktap_check "prepare_mac_vlan_on_vf" vf_has "$p1" "$v1" 52:54:00:6c:01:01 42
ktap_check "unenrolled_address_left_alone" \
	grep -q "0000:99:00.1.*not enrolled in vfpool, left alone" "$LV_ERR"

lv_hook vm1 start begin
q1=$(lv_qemu_start vm1)
qemus+=("$q1")
lv_hook vm1 started begin
# The hook's detach pidfile child bound the VF to QEMU in the kernel and
# exited: the holder is QEMU's process.
holder_is_qemu() {
	[ "$(vp_vf "$p1" "$v1" .pid)" = "$q1" ] &&
	[ "$(vp_vf "$p1" "$v1" .holder)" = process ] &&
	[ "$(vp_vf "$p1" "$v1" .owner)" = "$L1" ] &&
	vf_has "$p1" "$v1" 52:54:00:6c:01:01 42
}
ktap_check "running_held_by_qemu_process" busywait 10000 holder_is_qemu

# shutdown: QEMU exits, libvirt removes the pidfile, stopped end, release end
lv_qemu_stop vm1 "$q1"
lv_hook vm1 stopped end
lv_hook vm1 release end
ktap_check "release_end_ok" test $? = 0
ktap_check "after_release_vf_free_and_zero" busywait 20000 vf_reset "$p1" "$v1"
ktap_check "after_release_nothing_held" lv_nothing_held "$L1"

# --- guest crash: kill -9 QEMU, no hook runs ----------------------------
lv_hook vm1 prepare begin
read -r p1 v1 < <(lv_vf_of "$L1")
lv_hook vm1 start begin
q1=$(lv_qemu_start vm1)
qemus+=("$q1")
lv_hook vm1 started begin
ktap_check "restarted_mac_vlan_on_vf" vf_has "$p1" "$v1" 52:54:00:6c:01:01 42
kill_wait "$q1"
ktap_check "qemu_kill9_resets_vf_without_hook" busywait 20000 vf_reset "$p1" "$v1"
rm -f "$VFPOOL_HOOK_PIDDIR/vfpool-vm1.pid"
lv_hook vm1 stopped end
lv_hook vm1 release end
ktap_check "release_end_after_crash_tolerates_nothing_held" test $? = 0

# --- a start that fails before QEMU runs: release end releases ----------
lv_hook vm1 prepare begin
read -r p1 v1 < <(lv_vf_of "$L1")
ktap_check "aborted_start_still_held" out_is 1 lv_held "$L1"
lv_hook vm1 stopped end
lv_hook vm1 release end
ktap_check "aborted_start_release_end_resets" busywait 20000 vf_reset "$p1" "$v1"

# --- failed prepare: the second VF cannot be had ------------------------
LF=$(lv_label fail)
lv_hook fail prepare begin
rc=$?
ktap_check "failed_prepare_exits_1" test $rc = 1
one_line_msg() {
	[ "$(wc -l < "$LV_ERR")" = 1 ] &&
	grep -q "^vfpool hook: vfpool-fail: cannot reserve a VF for interface 52:54:00:6c:04:02 (pool nosuch): .*released the 1 VF" "$LV_ERR"
}
ktap_check "failed_prepare_one_line_message" one_line_msg
all_free_zero() {
	local i
	for i in 0 1 2 3; do vf_reset "$pf" $i || return 1; done
}
ktap_check "failed_prepare_leaves_nothing_held" \
	eval 'lv_nothing_held "$LF" && busywait 20000 all_free_zero'

lv_hook trunk prepare begin
rc=$?
ktap_check "trunk_refused" eval '[ $rc = 1 ] && grep -q "VLAN trunks are not supported" "$LV_ERR" && all_free_zero'

# --- two domains racing for the one VF of pool "one" --------------------
LA=$(lv_label race-a) LB=$(lv_label race-b)
lv_hook race-a prepare begin & ja=$!
lv_hook race-b prepare begin & jb=$!
wait $ja; ra=$?
wait $jb; rb=$?
race_one_winner() {
	[ $((ra + rb)) = 1 ] || { echo "exit statuses $ra $rb"; return 1; }
	[ $(( $(lv_held "$LA") + $(lv_held "$LB") )) = 1 ] &&
	[ "$(vp_state "$pfb" 0)" = reserved ]
}
ktap_check "race_exactly_one_prepare_succeeds" race_one_winner
winner=race-a
[ $ra = 0 ] || winner=race-b
lv_hook "$winner" release end
ktap_check "race_winner_release_frees" busywait 20000 vf_reset "$pfb" 0

# --- hybrid migration between two "hosts" -------------------------------
# Each host has its own pidfile directory; libvirt's pidfile is per host.
SRC_PID=$VFPOOL_HOOK_PIDDIR/src DST_PID=$VFPOOL_HOOK_PIDDIR/dst
mkdir -p "$SRC_PID" "$DST_PID"
LM=$(lv_label migrate)
ON_SRC=(ip netns exec "$SRC") ON_DST=(ip netns exec "$DST")
ip netns add "$SRC" && ip netns add "$DST"
pfc=$(nsim_add "$C" 2) && pfd=$(nsim_add "$D" 2) &&
ip link set dev "$pfc" netns "$SRC" && ip link set dev "$pfd" netns "$DST" &&
"${ON_SRC[@]}" "$VFPOOLCTL" pool add dev "$pfc" name mig >/dev/null &&
"${ON_DST[@]}" "$VFPOOLCTL" pool add dev "$pfd" name mig >/dev/null
ktap_check "two_hosts_enrolled" test $? = 0

# vf_on NS-CMD... -- PF VF MAC VLAN STATE: ip link and vfpool agree.
vf_on() {
	local pre=() pf vf mac vlan state
	while [ "$1" != -- ]; do pre+=("$1"); shift; done
	pf=$2 vf=$3 mac=$4 vlan=$5 state=$6
	"${pre[@]}" ip -j link show dev "$pf" | jq -e --argjson vf "$vf" \
		--arg mac "$mac" --argjson vlan "$vlan" \
		'.[0].vfinfo_list[] | select(.vf == $vf) |
		 .address == $mac and ((.vlan_list[0].vlan // .vlan // 0) == $vlan)' >/dev/null &&
	"${pre[@]}" "$VFPOOLCTL" -j vf show dev "$pf" | jq -e --argjson vf "$vf" \
		--arg st "$state" --arg owner "$LM" \
		'.[] | select(.vf == $vf) | .state == $st and
		 (if $st == "reserved" then .owner == $owner else .owner == null end)' >/dev/null
}
M=52:54:00:6c:05:01

# the guest runs on the source
LV_PIDDIR=$SRC_PID lv_hook "${ON_SRC[@]}" migrate prepare begin
LV_PIDDIR=$SRC_PID lv_hook "${ON_SRC[@]}" migrate start begin
# (QEMU's netns does not matter: the holder follows its pid)
qs=$(lv_qemu_start migrate "$SRC_PID")
qemus+=("$qs")
LV_PIDDIR=$SRC_PID lv_hook "${ON_SRC[@]}" migrate started begin
ktap_check "source_running_holds_vf" vf_on "${ON_SRC[@]}" -- "$pfc" 0 "$M" 77 reserved

# migration, success: the destination's migrate begin (XML filter, empty
# output = unchanged) then prepare: the VF with the same MAC is held before
# the guest lands
migrate_to_dst() {
	LV_PIDDIR=$DST_PID lv_hook "${ON_DST[@]}" migrate migrate begin || return 1
	[ ! -s "$LV_OUT" ] || { echo "migrate begin printed XML"; return 1; }
	LV_PIDDIR=$DST_PID lv_hook "${ON_DST[@]}" migrate prepare begin || return 1
	LV_PIDDIR=$DST_PID lv_hook "${ON_DST[@]}" migrate start begin || return 1
	qd=$(lv_qemu_start migrate "$DST_PID")
	qemus+=("$qd")
	LV_PIDDIR=$DST_PID lv_hook "${ON_DST[@]}" migrate started begin
}
migrate_to_dst
both_hold() {
	vf_on "${ON_SRC[@]}" -- "$pfc" 0 "$M" 77 reserved &&
	vf_on "${ON_DST[@]}" -- "$pfd" 0 "$M" 77 reserved
}
ktap_check "migration_prepare_dst_holds_same_mac" both_hold

# confirm: the source's QEMU goes, then stopped end and release end there
lv_qemu_stop migrate "$qs" "$SRC_PID"
LV_PIDDIR=$SRC_PID lv_hook "${ON_SRC[@]}" migrate stopped end
LV_PIDDIR=$SRC_PID lv_hook "${ON_SRC[@]}" migrate release end
moved() {
	vf_on "${ON_SRC[@]}" -- "$pfc" 0 00:00:00:00:00:00 0 free &&
	vf_on "${ON_DST[@]}" -- "$pfd" 0 "$M" 77 reserved
}
ktap_check "migration_confirm_source_released_dst_holds" busywait 20000 moved

# and back, failing: the source (now the destination) prepared, then the
# migration fails: the destination's QEMU goes and release end frees its VF
ON_TMP=("${ON_SRC[@]}"); ON_SRC=("${ON_DST[@]}"); ON_DST=("${ON_TMP[@]}")
TMP=$SRC_PID; SRC_PID=$DST_PID; DST_PID=$TMP
migrate_to_dst
both_hold_back() {
	vf_on "${ON_SRC[@]}" -- "$pfd" 0 "$M" 77 reserved &&
	vf_on "${ON_DST[@]}" -- "$pfc" 0 "$M" 77 reserved
}
ktap_check "failing_migration_both_hold" both_hold_back
lv_qemu_stop migrate "$qd" "$DST_PID"
LV_PIDDIR=$DST_PID lv_hook "${ON_DST[@]}" migrate stopped end
LV_PIDDIR=$DST_PID lv_hook "${ON_DST[@]}" migrate release end
failed_back() {
	vf_on "${ON_DST[@]}" -- "$pfc" 0 00:00:00:00:00:00 0 free &&
	vf_on "${ON_SRC[@]}" -- "$pfd" 0 "$M" 77 reserved
}
ktap_check "migration_failure_dst_released_source_keeps" busywait 20000 failed_back

ktap_end
