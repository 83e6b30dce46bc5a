#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reset model (Documentation/vfpool.rst, Reset model; lifetime rule 4):
# a reset parks the VF by the pool's policy (link-down by default, or a
# blackhole VLAN), a reservation brings the link back to auto; a refused
# secondary field (netdevsim refuses rates in switchdev mode) leaves the VF
# free and clean per ip link but flagged reset-incomplete with the driver's
# error; a release whose reset fails returns an error; owner labels are
# 1..63 printable bytes.
#
#   netdevsim A: PF $pf (4 VFs)

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

nl() { python3 "$VFPOOL_REPO/selftests/tools/vfpool_nl.py" "$@"; }
# vf_attr VF NAME: one attribute of vf-get, through the raw client.
vf_attr() { nl show vf-get ifname="$pf" vf="$1" | sed -n "s/^$2=//p"; }

# eswitch_legacy: back from switchdev mode before the device goes.
eswitch_legacy() {
	devlink dev eswitch set "netdevsim/netdevsim$A" mode legacy 2>/dev/null
}

test_init
vfpool_setup
A=$(nsim_id)
pf=$(nsim_pf "$A" 4) || ktap_bail "no netdevsim"
defer eswitch_legacy
"$VFPOOLCTL" pool add dev "$pf" >/dev/null || ktap_bail "cannot enroll"

ktap_begin 13

ktap_check "enroll_parks_link_down" out_is disable vf_field "$pf" 0 link_state
read -r hpid _ < <(hold_vf dev "$pf" vf 0 mac 52:54:00:00:0f:01 vlan 5 owner m1)
ktap_check "reserve_brings_link_auto" out_is auto vf_field "$pf" 0 link_state
kill_wait "$hpid"
ktap_check "reset_parks_link_down" busywait 20000 \
	eval 'vf_reset "$pf" 0 && [ "$(vf_field "$pf" 0 link_state)" = disable ]'

nl request pool-set ifname="$pf" park=2 park-vlan=999 >/dev/null
read -r hpid _ < <(hold_vf dev "$pf" vf 0 mac 52:54:00:00:0f:01 vlan 5 owner m1)
kill_wait "$hpid"
ktap_check "park_vlan_puts_vf_on_blackhole_vlan" busywait 20000 \
	eval '[ "$(vp_state "$pf" 0)" = free ] && vf_has "$pf" 0 00:00:00:00:00:00 999'
nl request pool-set ifname="$pf" park=0 >/dev/null

# A refused secondary field: MAC and VLAN reset, VF free but flagged.
read -r hpid _ < <(hold_vf dev "$pf" vf 1 mac 52:54:00:00:0f:02 vlan 6 \
	max_tx_rate 100 owner m2)
if devlink dev eswitch set "netdevsim/netdevsim$A" mode switchdev; then
	kill_wait "$hpid"
	ktap_check "secondary_refusal_frees_clean_vf" busywait 20000 vf_reset "$pf" 1
	ktap_check "secondary_refusal_flagged" out_is "1 -95" \
		eval 'echo "$(vf_attr 1 flags) $(vf_attr 1 error)"'
	devlink dev eswitch set "netdevsim/netdevsim$A" mode legacy
else
	kill_wait "$hpid"
	ktap_fail "secondary_refusal_frees_clean_vf" "netdevsim refused switchdev mode"
	ktap_fail "secondary_refusal_flagged" "netdevsim refused switchdev mode"
fi
read -r hpid _ < <(hold_vf dev "$pf" vf 1 owner m3)
ktap_check "reserve_clears_flags" out_is "" vf_attr 1 flags
kill_wait "$hpid"

# A release whose reset is refused for good (netdevsim's fail_vfs quirk:
# every write to VF 2 fails -EIO) says so.
if nsim_quirk "$A" fail_vfs >/dev/null; then
	read -r hpid _ < <(hold_vf dev "$pf" vf 2 mac 52:54:00:00:0f:03 owner r1)
	track "$hpid"
	nsim_quirk "$A" fail_vfs 0x4
	ktap_check "release_ending_quarantined_fails" out_is \
		"ERR 5 VF 2 of $pf released but quarantined: the driver refused its reset (-5)" \
		nl request vf-release ifname="$pf" vf=2 owner=r1
	ktap_check "release_error_vf_quarantined" eval \
		'[ "$(vp_state "$pf" 2)" = quarantined ] && vf_has "$pf" 2 52:54:00:00:0f:03 0'
	nsim_quirk "$A" fail_vfs 0
	nl request vf-release ifname="$pf" vf=2 force >/dev/null
else
	ktap_fail "release_ending_quarantined_fails" "netdevsim without the VF quirks"
	ktap_fail "release_error_vf_quarantined" "netdevsim without the VF quirks"
fi

ktap_check "empty_owner_refused" out_is "ERR 22 owner must not be empty" \
	nl request vf-reserve ifname="$pf" owner=
ktap_check "control_byte_owner_refused" out_is "ERR 22 owner must be printable (byte 1 is 0x0a)" \
	nl request vf-reserve ifname="$pf" owner=$'a\nb'
ktap_check "empty_owner_release_refused" out_is "ERR 22 owner must not be empty" \
	nl request vf-release owner=
ktap_check "refusals_reserved_nothing" out_is 0 vp_count '.state == "reserved"' dev "$pf"

ktap_end
