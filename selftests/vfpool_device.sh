#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One SR-IOV device, one enrollment: a netdevsim device with two ports has
# one set of VFs, so enrolling the second port while the first is enrolled
# is refused naming the first, either port names the same enrollment, a VF
# held through one port can never be reserved again through the other, and
# the duplicate-MAC check covers the whole device (held VFs and the live
# MAC of free ones).  `ip link show` is the independent witness.
#
#   netdevsim A, ports $p1 $p2, 4 VFs shared

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
A=$(nsim_id)

# shellcheck disable=SC2012
_two_ports() { [ "$(ls "$(nsim_dev_dir "$A")/net" 2>/dev/null | wc -l)" = 2 ]; }

# refused NAME PATTERN CMD...: CMD must fail (whatever its exit code for a
# kernel refusal) and print PATTERN.
refused() {
	local name=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc != 0 ] && grep -qE -- "$pat" <<< "$out"; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "exit $rc, wanted failure and /$pat/" "$out"
	fi
}

vfpool_setup
[ -d /sys/bus/netdevsim ] || guest_modprobe netdevsim || ktap_bail "no netdevsim"
defer nsim_del "$A"
echo "$A 2" > /sys/bus/netdevsim/new_device || ktap_bail "no netdevsim"
busywait 5000 _two_ports || ktap_bail "netdevsim: no two ports"
# shellcheck disable=SC2012
mapfile -t ports < <(ls "$(nsim_dev_dir "$A")/net" | sort)
p1=${ports[0]}
p2=${ports[1]}
echo 4 > "$(nsim_dev_dir "$A")/sriov_numvfs" || ktap_bail "no VFs on netdevsim"

ktap_begin 12

"$VFPOOLCTL" pool add dev "$p1" >/dev/null
read -r hpid hvf < <(hold_vf dev "$p1" vf 0 mac 52:54:00:00:0d:01 vlan 21 owner d1)
track "$hpid"

refused "enroll_second_port_refused" "$p2 shares its SR-IOV device .* with $p1" \
	"$VFPOOLCTL" pool add dev "$p2"
ktap_check "refusal_left_held_vf_untouched" vf_has "$p1" 0 52:54:00:00:0d:01 21
ktap_check "one_enrollment" out_is 1 eval '"$VFPOOLCTL" -j pool show | jq length'
ktap_check "second_port_names_same_enrollment" out_is "reserved d1" \
	vp_vf "$p2" 0 '"\(.state) \(.owner)"'

refused "held_vf_not_reservable_through_second_port" "held by d1" \
	"$VFPOOLCTL" vf reserve dev "$p2" vf 0 exec -- true
ktap_check "held_vf_still_untouched" vf_has "$p2" 0 52:54:00:00:0d:01 21

read -r hpid2 hvf2 < <(hold_vf dev "$p2" owner d2)
track "$hpid2"
if [ -n "$hvf2" ] && [ "$hvf2" != "$hvf" ] &&
   [ "$(vp_count '.state == "reserved"' dev "$p1")" = 2 ]; then
	ktap_ok "any_free_through_second_port_skips_held"
else
	ktap_fail "any_free_through_second_port_skips_held" "got VF '$hvf2' (held: $hvf)" \
		"$("$VFPOOLCTL" vf show dev "$p1")"
fi

refused "duplicate_mac_over_device" "in use by VF 0" \
	"$VFPOOLCTL" vf reserve dev "$p2" mac 52:54:00:00:0d:01 exec -- true
/sbin/ip link set dev "$p1" vf 3 mac 52:54:00:00:0d:03
refused "duplicate_of_free_vf_live_mac" "in use by VF 3" \
	"$VFPOOLCTL" vf reserve dev "$p2" vf 2 mac 52:54:00:00:0d:03 exec -- true
/sbin/ip link set dev "$p1" vf 3 mac 00:00:00:00:00:00
# Up, the PF announces ip link's VF writes (NETDEV_CHANGE) and vfpool relies
# on its record of the VFs' MACs between them: the announcement must make
# it read VF 3 again.  The first reserve completes the record.
/sbin/ip link set dev "$p1" up
"$VFPOOLCTL" vf reserve dev "$p2" vf 2 mac 52:54:00:00:0d:05 exec -- true
/sbin/ip link set dev "$p1" vf 3 mac 52:54:00:00:0d:04
refused "duplicate_of_free_vf_live_mac_pf_up" "in use by VF 3" \
	"$VFPOOLCTL" vf reserve dev "$p2" vf 2 mac 52:54:00:00:0d:04 exec -- true
/sbin/ip link set dev "$p1" vf 3 mac 00:00:00:00:00:00
/sbin/ip link set dev "$p1" down

kill_wait "$hpid" "$hpid2"
ktap_check "released_through_either_port" busywait 20000 vf_reset "$p1" 0
ktap_check "second_port_vf_reset" busywait 20000 vf_reset "$p2" "$hvf2"

ktap_end
