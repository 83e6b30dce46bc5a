#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reserve, set and release through the PF driver, every field read back with
# ip link: the full config is applied; reset puts back what vfpool changed;
# restore puts back what was there; a driver refusal rolls back and leaves
# the VF free; duplicate MACs, held VFs and non-holders are refused with a
# message and change nothing.
#
#   netdevsim A: PF $pf, 8 VFs, enrolled

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
vfpool_setup
A=$(nsim_id)
pf=$(enrolled_pf "$A" 8) || ktap_bail "cannot create and enroll a netdevsim PF"

ktap_begin 19

# What reset must put back: spoofchk and trust as they were before; the
# link stays down (park link-down, the default policy).
ip link set dev "$pf" vf 2 spoofchk on trust off
read -r hpid _ < <(hold_vf dev "$pf" vf 2 mac 52:54:00:00:00:02 vlan 100 qos 3 \
	proto 802.1ad spoofchk off trust on state disable min_tx_rate 100 \
	max_tx_rate 1000 owner vm1)
track "$hpid"
want="52:54:00:00:00:02 100 3 802.1ad false true disable 100 1000"
got=""
for f in mac vlan qos proto spoofchk trust link_state min_tx_rate max_tx_rate; do
	got="$got $(vf_field "$pf" 2 $f)"
done
ktap_check "full_config_applied" test "${got# }" = "$want"

j=$(vp_vf "$pf" 2 '[.state, .owner, .pid, .mac, .vlan, .qos, .proto, .spoofchk, .trust, .link_state] | @tsv')
ktap_check "second_client_sees_reservation" test "$j" = \
	"$(printf 'reserved\tvm1\t%s\t52:54:00:00:00:02\t100\t3\t802.1ad\tfalse\ttrue\tdisable' "$hpid")"

expect_fail "held_vf_refused" "VF 2 of $pf is held by vm1( \\(|$)" \
	"$VFPOOLCTL" vf reserve dev "$pf" vf 2 exec -- true

expect_fail "duplicate_mac_refused" "mac 52:54:00:00:00:02 is in use by VF 2 of $pf \\(reserved\\)" \
	"$VFPOOLCTL" vf reserve dev "$pf" vf 3 mac 52:54:00:00:00:02 exec -- true
ktap_check "duplicate_mac_changed_nothing" vf_reset "$pf" 3

expect_fail "multicast_mac_refused" "mac must be a unicast address" \
	"$VFPOOLCTL" vf reserve dev "$pf" vf 3 mac 01:00:5e:00:00:01 exec -- true

expect_fail "set_by_non_holder_refused" "VF 2 of $pf is held by vm1: name its owner or use force" \
	"$VFPOOLCTL" vf set dev "$pf" vf 2 vlan 5
ktap_check "refused_set_changed_nothing" vf_has "$pf" 2 52:54:00:00:00:02 100

expect_fail "set_wrong_owner_refused" "VF 2 of $pf is held by vm1, not by this owner" \
	"$VFPOOLCTL" vf set dev "$pf" vf 2 vlan 5 owner vm2
"$VFPOOLCTL" vf set dev "$pf" vf 2 vlan 200 owner vm1 >/dev/null
ktap_check "set_with_owner" vf_has "$pf" 2 52:54:00:00:00:02 200
"$VFPOOLCTL" vf set dev "$pf" vf 2 mac 52:54:00:00:00:22 force >/dev/null
ktap_check "set_with_force" vf_has "$pf" 2 52:54:00:00:00:22 200

expect_fail "release_by_non_holder_refused" "VF 2 of $pf is held by vm1: name its owner or use force" \
	"$VFPOOLCTL" vf release dev "$pf" vf 2
ktap_check "refused_release_changed_nothing" out_is reserved vp_state "$pf" 2

kill_wait "$hpid"
busywait 20000 vf_reset "$pf" 2
got=""
for f in spoofchk trust link_state min_tx_rate max_tx_rate; do
	got="$got $(vf_field "$pf" 2 $f)"
done
if vf_reset "$pf" 2 && [ "$got" = " true false disable 0 0" ]; then
	ktap_ok "reset_puts_back_changed_fields"
else
	ktap_fail "reset_puts_back_changed_fields" "$(ip link show dev "$pf")"
fi

# restore: the config someone set (ip link) after enrollment comes back.
ip link set dev "$pf" vf 4 mac 52:54:00:00:00:44 vlan 44
ktap_check "restore_precondition_set" vf_has "$pf" 4 52:54:00:00:00:44 44
read -r hpid _ < <(hold_vf dev "$pf" vf 4 mac 52:54:00:00:00:45 vlan 45 on-release restore)
track "$hpid"
ktap_check "restore_policy_applied" vf_has "$pf" 4 52:54:00:00:00:45 45
kill_wait "$hpid"
ktap_check "restore_puts_back_recorded" busywait 20000 \
	eval '[ "$(vp_state "$pf" 4)" = free ] && vf_has "$pf" 4 52:54:00:00:00:44 44'

# A driver refusal half-way: netdevsim refuses tx rates in switchdev mode,
# after the MAC was written: the MAC must be rolled back.
# netdevsim always has switchdev mode: failing to enter it is a failure.
if devlink dev eswitch set "netdevsim/netdevsim$A" mode switchdev; then
	expect_fail "driver_refusal_reported" "driver of $pf (refused VF 5 tx rate|cannot set VF tx rate)" \
		"$VFPOOLCTL" vf reserve dev "$pf" vf 5 mac 52:54:00:00:00:55 max_tx_rate 100 \
		exec -- true
	ktap_check "driver_refusal_rolled_back" vf_reset "$pf" 5
	devlink dev eswitch set "netdevsim/netdevsim$A" mode legacy
else
	ktap_fail "driver_refusal_reported" "cannot enter switchdev mode"
	ktap_fail "driver_refusal_rolled_back" "cannot enter switchdev mode"
fi

ktap_end
