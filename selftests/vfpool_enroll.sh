#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Enrollment: pool add resets every enrolled VF (no stale MAC/VLAN survives),
# ranges and shared pool names, counts in pool show, and every refusal
# (twice, bad range, no VF ops, unknown device, held VFs without force).
#
#   netdevsim A: PF $pf  (8 VFs)     netdevsim B: PF $pf2 (4 VFs)

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
vfpool_setup
A=$(nsim_id 2)
pf=$(nsim_pf "$A" 8) || ktap_bail "no netdevsim"
pf2=$(nsim_pf $((A + 1)) 4) || ktap_bail "no netdevsim"

ktap_begin 18

# The stale state must really be there before pool add, or the reset
# below proves nothing.
ip link set dev "$pf" vf 5 mac 52:54:00:aa:bb:cc vlan 33
ip link set dev "$pf" vf 6 mac 52:54:00:aa:bb:dd
if vf_has "$pf" 5 52:54:00:aa:bb:cc 33 && vf_has "$pf" 6 52:54:00:aa:bb:dd 0; then
	ktap_ok "stale_vfs_set_before_enroll"
else
	ktap_fail "stale_vfs_set_before_enroll" "$(ip link show dev "$pf")"
fi
"$VFPOOLCTL" pool add dev "$pf" >/dev/null
if vf_has "$pf" 5 00:00:00:00:00:00 0 && vf_has "$pf" 6 00:00:00:00:00:00 0; then
	ktap_ok "enroll_resets_stale_vfs"
else
	ktap_fail "enroll_resets_stale_vfs" "$(ip link show dev "$pf")"
fi

counts=$("$VFPOOLCTL" -j pool show | jq -c --arg pf "$pf" \
	'.[] | select(.pf == $pf) | [.total, .free, .reserved, .quarantined, .vf_first, .vf_last]')
ktap_check "pool_show_counts" test "$counts" = "[8,8,0,0,0,7]"
# vfpoolctl.8: proto names the tag protocol, never a number, also for VFs
# whose driver was never given one (netdevsim reports 0 for those).
protos=$("$VFPOOLCTL" -j vf show dev "$pf" | jq -c '[.[].proto] | unique')
ktap_check "vf_show_proto_named" test "$protos" = '["802.1Q"]'

expect_fail "enroll_twice_refused" "$pf is enrolled already" "$VFPOOLCTL" pool add dev "$pf"

read -r hpid hvf < <(hold_vf dev "$pf" mac 52:54:00:00:01:01 owner e1)
track "$hpid"
counts=$("$VFPOOLCTL" -j pool show | jq -c --arg pf "$pf" \
	'.[] | select(.pf == $pf) | [.total, .free, .reserved]')
ktap_check "pool_show_counts_held" test "$counts" = "[8,7,1]"

expect_fail "del_with_held_vf_refused" "$pf has reserved VFs: release them or use force" "$VFPOOLCTL" pool del dev "$pf"
ktap_check "del_refused_changed_nothing" vf_has "$pf" "$hvf" 52:54:00:00:01:01 0

if "$VFPOOLCTL" pool del dev "$pf" force &&
   [ "$(vf_field "$pf" "$hvf" mac)" = 00:00:00:00:00:00 ] &&
   [ "$("$VFPOOLCTL" -j pool show | jq length)" = 0 ]; then
	ktap_ok "del_force_resets_held_vf"
else
	ktap_fail "del_force_resets_held_vf" "$(ip link show dev "$pf")"
fi
kill_wait "$hpid"

"$VFPOOLCTL" pool add dev "$pf" vfs 2-5 name net0 >/dev/null
vfs=$("$VFPOOLCTL" -j vf show dev "$pf" | jq -c '[.[].vf]')
ktap_check "range_enrolls_only_range" test "$vfs" = "[2,3,4,5]"
expect_fail "reserve_outside_range_refused" "VF 1 of $pf is not enrolled \\(enrolled: 2-5\\)" \
	"$VFPOOLCTL" vf reserve dev "$pf" vf 1 exec -- true

"$VFPOOLCTL" pool add dev "$pf2" name net0 >/dev/null
got=()
holders=()
for _ in 1 2 3 4 5 6 7 8; do
	if r=$(hold_vf pool net0); then
		read -r hpid hvf <<< "$r"
		holders+=("$hpid")
		track "$hpid"
		got+=("$hvf")
	fi
done
pfs=$("$VFPOOLCTL" -j vf show pool net0 | jq -c '[.[] | select(.state == "reserved") | .pf] | unique | length')
if [ ${#got[@]} = 8 ] && [ "$pfs" = 2 ]; then
	ktap_ok "pool_spans_pfs"
else
	ktap_fail "pool_spans_pfs" "got ${#got[@]} VFs on $pfs PFs"
fi
expect_fail "pool_exhausted" "no free VF in pool net0" \
	"$VFPOOLCTL" vf reserve pool net0 exec -- true
kill_wait "${holders[@]}"
ktap_check "pool_freed_after_holders_die" busywait 20000 \
	out_is 8 vp_count '.state == "free"' pool net0

"$VFPOOLCTL" pool del dev "$pf2" >/dev/null
expect_fail "range_beyond_vfs_refused" "VF range 0-9 outside $pf2's VFs 0-3" \
	"$VFPOOLCTL" pool add dev "$pf2" vfs 0-9
expect_fail "no_vf_ops_refused" "lo is not an SR-IOV PF \\(no VF ops\\)" "$VFPOOLCTL" pool add dev lo
expect_fail "unknown_device_refused" "no device named nosuch0" \
	"$VFPOOLCTL" pool add dev nosuch0
ktap_check "refusals_changed_nothing" \
	test "$("$VFPOOLCTL" -j pool show | jq -c '[.[].pf]')" = "[\"$pf\"]"

ktap_end
