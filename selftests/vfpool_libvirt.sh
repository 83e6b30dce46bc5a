#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Migration between two hosts, which one machine cannot host with a real
# libvirtd: the qemu hook (userspace/hooks/qemu) driven in the order real
# libvirt 9.0 calls it (../shared/libvirt-captures and qemu_migration.c:
# destination "migrate begin", "prepare begin", "start begin", QEMU
# -incoming, "started begin"; source, on confirm, QEMU exits, "stopped
# end", "release end"), with the domain XML of selftests/libvirt/migrate.xml
# on stdin and a stand-in QEMU writing the pidfile.  The hybrid model of the
# 2012 RFC: a virtio NIC migrates, a VF with the same MAC/VLAN from pool
# "mig" is held on whichever host the guest runs.  Two netdevsim PFs in two
# network namespaces stand for the two hosts.  Everything a single host can
# show runs with Debian's real libvirtd: vfpool_libvirtd_*igb.sh.
#
#   netns lvsrc-N: netdevsim C, pool mig     netns lvdst-N: netdevsim D, pool mig

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"
# shellcheck source=libvirt/replay.bash
source "$(dirname "$0")/libvirt/replay.bash"

test_init
defer rm -rf "$VFPOOL_HOOK_PIDDIR" "$LV_OUT" "$LV_ERR"
vfpool_setup
C=$(nsim_id 2)
D=$((C + 1))
SRC=lvsrc-$C DST=lvdst-$C
[ -d /sys/bus/netdevsim ] || guest_modprobe netdevsim || ktap_bail "no netdevsim"

ktap_begin 9

# --- the hook's own failure handling, under libvirt's environment -------
# lv_raw OP SUB: the qemu hook on a truncated domain XML.
lv_raw() {
	printf '<domain type="qemu"><name>vfpool-bad</name><devices><interface type="hostdev">' |
		env -i LC_ALL=C PATH="$VFPOOL_REPO/userspace:/usr/bin:/bin" \
		VFPOOL_LIBVIRT_CONF="$LV_CONF" "$LV_HOOK" vfpool-bad "$1" "$2" - \
		> "$LV_OUT" 2> "$LV_ERR"
}
lv_raw prepare begin
rc=$?
ktap_check "bad_xml_prepare_fails_closed_one_line" eval \
	'[ $rc = 1 ] && [ "$(wc -l < "$LV_ERR")" = 1 ] &&
	 grep -q "^vfpool-hook: qemu vfpool-bad prepare begin: cannot parse the domain XML" "$LV_ERR"'
lv_raw reconnect begin
rc=$?
ktap_check "bad_xml_reconnect_never_fails" eval '[ $rc = 0 ] && [ ! -s "$LV_ERR" ]'
printf 'mode = sometimes\n' > "$LV_CONF.bad"
printf '<domain/>' | env -i LC_ALL=C VFPOOL_LIBVIRT_CONF="$LV_CONF.bad" "$LV_HOOK" x prepare begin - \
	> "$LV_OUT" 2> "$LV_ERR"
rc=$?
ktap_check "bad_config_refuses_naming_the_line" eval \
	'[ $rc = 1 ] && grep -q "libvirt.conf.bad:1: bad line .mode = sometimes." "$LV_ERR"'

# --- hybrid migration between two "hosts" -------------------------------
# Each host has its own pidfile directory; libvirt's pidfile is per host.
SRC_PID=$VFPOOL_HOOK_PIDDIR/src DST_PID=$VFPOOL_HOOK_PIDDIR/dst
mkdir -p "$SRC_PID" "$DST_PID"
LM=$(lv_label migrate)
ON_SRC=(ip netns exec "$SRC") ON_DST=(ip netns exec "$DST")
ip netns add "$SRC" && defer ip netns del "$SRC" &&
ip netns add "$DST" && defer ip netns del "$DST" &&
pfc=$(nsim_pf "$C" 2) && pfd=$(nsim_pf "$D" 2) &&
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

# hosts_are SRC-STATE DST-STATE: VF 0 of the source's PF and of the
# destination's, each reserved (MAC $M, VLAN 77, the domain's owner label)
# or free (MAC zero, no VLAN), as ip link and vfpool say on that host.
src_pf=$pfc dst_pf=$pfd
hosts_are() {
	local -A want=([reserved]="$M 77 reserved" [free]="$ZERO 0 free")
	# shellcheck disable=SC2086 # MAC VLAN STATE, split
	vf_on "${ON_SRC[@]}" -- "$src_pf" 0 ${want[$1]} &&
	vf_on "${ON_DST[@]}" -- "$dst_pf" 0 ${want[$2]}
}

# the guest runs on the source
LV_PIDDIR=$SRC_PID lv_hook "${ON_SRC[@]}" migrate prepare begin
LV_PIDDIR=$SRC_PID lv_hook "${ON_SRC[@]}" migrate start begin
# (QEMU's netns does not matter: the holder follows its pid)
qs=$(lv_qemu_start migrate "$SRC_PID")
track "$qs"
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
	track "$qd"
	LV_PIDDIR=$DST_PID lv_hook "${ON_DST[@]}" migrate started begin
}
# qemu_ends PIDDIR QEMU NS-CMD...: on that host, the domain's QEMU exits,
# then libvirt calls "stopped end" and "release end".
qemu_ends() {
	local piddir=$1 q=$2
	shift 2
	lv_qemu_stop migrate "$q" "$piddir"
	LV_PIDDIR=$piddir lv_hook "$@" migrate stopped end
	LV_PIDDIR=$piddir lv_hook "$@" migrate release end
}
migrate_to_dst
ktap_check "migration_prepare_dst_holds_same_mac" hosts_are reserved reserved

# confirm: the source's QEMU goes, then stopped end and release end there
qemu_ends "$SRC_PID" "$qs" "${ON_SRC[@]}"
ktap_check "migration_confirm_source_released_dst_holds" busywait 20000 \
	hosts_are free reserved

# and back, failing: the source (now the destination) prepared, then the
# migration fails: the destination's QEMU goes and release end frees its VF
ON_TMP=("${ON_SRC[@]}"); ON_SRC=("${ON_DST[@]}"); ON_DST=("${ON_TMP[@]}")
TMP=$SRC_PID; SRC_PID=$DST_PID; DST_PID=$TMP
TMP=$src_pf; src_pf=$dst_pf; dst_pf=$TMP
migrate_to_dst
ktap_check "failing_migration_both_hold" hosts_are reserved reserved
qemu_ends "$DST_PID" "$qd" "${ON_DST[@]}"
ktap_check "migration_failure_dst_released_source_keeps" busywait 20000 \
	hosts_are reserved free

ktap_end
