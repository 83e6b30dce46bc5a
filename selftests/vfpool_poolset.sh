#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Park settings and pool-set: pool-add takes park, park-vlan and park-mac
# (defaults link-down and 02:00:00:00:00:00) and pool-get reports them;
# pool-set changes only the attributes it is given, never a VF (a held
# VF's MAC/VLAN per ip link are untouched), sends pool-changed-ntf only when
# something changed, and a refused pool-set changes nothing.  The parking
# MAC is nobody's own: pool-set refuses a held VF's MAC as the parking MAC
# and vf-reserve refuses the parking MAC.  Requests go
# through tools/vfpool_nl.py, independent of vfpoolctl.
#
#   netdevsim A: PF $pf (4 VFs)     netdevsim B: PF $pf2 (2 VFs)

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

CHANGED_NTF=17
test_init
ev=$tmp/events

nl() { python3 "$VFPOOL_REPO/selftests/tools/vfpool_nl.py" "$@"; }
# pool_attrs PF: "pool park park-vlan park-mac assigned" from pool-get.
pool_attrs() {
	nl show pool-get ifname="$1" | awk -F= '
		{ a[$1] = $2 }
		END { printf "%s %s %s %s %s\n", (a["pool"] == "" ? "-" : a["pool"]),
		      a["park"], (a["park-vlan"] == "" ? "-" : a["park-vlan"]),
		      a["park-mac"], a["assigned"] }'
}
n_changed() { grep -cx "$CHANGED_NTF" "$ev"; }

vfpool_setup
A=$(nsim_id 2)
{ pf=$(nsim_pf "$A" 4) && pf2=$(nsim_pf $((A + 1)) 2); } || ktap_bail "no netdevsim"

ktap_begin 16

"$VFPOOLCTL" pool add dev "$pf" name a >/dev/null
ktap_check "defaults_link_down_park_mac" out_is "a 0 - 02:00:00:00:00:00 0" \
	pool_attrs "$pf"
ktap_check "pool_add_takes_park" out_is OK \
	nl request pool-add ifname="$pf2" park=2 park-vlan=99 park-mac=02:aa:00:00:00:01
ktap_check "pool_get_reports_park" out_is "- 2 99 02:aa:00:00:00:01 0" \
	pool_attrs "$pf2"

read -r hpid hvf < <(hold_vf dev "$pf" mac 52:54:00:00:0e:01 vlan 31 owner s1)
track "$hpid"
python3 "$VFPOOL_REPO/selftests/tools/vfpool_nl.py" events > "$ev" &
track $!
busywait 5000 grep -q listening "$ev"

ktap_check "pool_set_name_and_park" out_is OK \
	nl request pool-set ifname="$pf" pool=b park=2 park-vlan=100
ktap_check "pool_set_applied" out_is "b 2 100 02:00:00:00:00:00 0" pool_attrs "$pf"
ktap_check "pool_set_changed_ntf" busywait 5000 out_is 1 n_changed
ktap_check "pool_set_left_held_vf" vf_has "$pf" "$hvf" 52:54:00:00:0e:01 31
ktap_check "held_vf_still_reserved" out_is "reserved s1" \
	vp_vf "$pf" "$hvf" '"\(.state) \(.owner)"'

nl request pool-set ifname="$pf" pool=b park=2 > /dev/null
nl request pool-set ifname="$pf" park-mac=02:bb:00:00:00:02 > /dev/null
ktap_check "only_given_attrs_change" out_is "b 2 100 02:bb:00:00:00:02 0" \
	pool_attrs "$pf"
ktap_check "no_event_when_unchanged" busywait 5000 out_is 2 n_changed

ktap_check "park_vlan_zero_refused" out_is "ERR 22 park-vlan must be 1..4095 (VLAN 0 is the untagged network)" \
	nl request pool-set ifname="$pf" park-vlan=0
ktap_check "multicast_park_mac_refused" out_is "ERR 22 park-mac must be a unicast, non-zero address" \
	nl request pool-set ifname="$pf" pool=c park-mac=01:00:5e:00:00:01
# A parking MAC is shared by every VF parked on it: not the MAC of a held
# VF (a VF parked later would share it with that guest), nor a reservation's.
ktap_check "park_mac_of_held_vf_refused" \
	out_is "ERR 98 park-mac 52:54:00:00:0e:01 is in use by VF $hvf of $pf (reserved)" \
	nl request pool-set ifname="$pf" pool=c park-mac=52:54:00:00:0e:01
ktap_check "reserve_with_parking_mac_refused" \
	out_is "ERR 98 mac 02:bb:00:00:00:02 is the parking MAC of $pf" \
	nl request vf-reserve ifname="$pf" mac=02:bb:00:00:00:02
ktap_check "park_vlan_without_vlan_policy_refused" out_is "ERR 22 park-vlan needs park vlan" \
	nl request pool-set ifname="$pf" park=1 park-vlan=7
ktap_check "refused_pool_set_changed_nothing" out_is "b 2 100 02:bb:00:00:00:02 0" \
	pool_attrs "$pf"

ktap_end
