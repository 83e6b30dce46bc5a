#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Input validation at the kernel: hand-made requests (tools/vfpool_nl.py, a
# raw netlink client, so nothing is checked before the kernel) get the
# right errno and an extack message, and a refused request changes nothing.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
vfpool_setup
pf=$(enrolled_pf "$(nsim_id)" 4) || ktap_bail "cannot create and enroll a netdevsim PF"

nl() { python3 "$VFPOOL_TESTS/tools/vfpool_nl.py" request "$@"; }

# refused NAME ERRNO MSG-REGEX CMD ATTRS...
refused() {
	local name=$1 errno=$2 pat=$3 out
	shift 3
	out=$(nl "$@" 2>&1)
	if grep -qE "^ERR $errno .*($pat)" <<< "$out"; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "wanted ERR $errno /$pat/" "$out"
	fi
}

long=$(printf 'x%.0s' $(seq 64))

ktap_begin 15
refused "vlan_out_of_range" 34 "range" vf-reserve ifname="$pf" vlan=4096
refused "qos_out_of_range" 34 "range" vf-reserve ifname="$pf" vlan=1 qos=8
refused "qos_needs_vlan" 22 "need vlan" vf-reserve ifname="$pf" qos=1
refused "bad_vlan_proto" 93 "802.1Q" vf-reserve ifname="$pf" vlan=1 vlan-proto=0x1234
refused "owner_too_long" "(22|34)" "." vf-reserve ifname="$pf" owner="$long"
refused "link_state_out_of_range" 34 "range" vf-reserve ifname="$pf" link-state=3
refused "no_pf_named" 22 "PF \\(ifindex or ifname\\), a pool or a pci" vf-reserve owner=x
refused "unknown_pf" 19 "no device named nosuch0" vf-reserve ifname=nosuch0
# Each of do and dump has its own policy, on 6.1 (classic ops) as on 6.12.
refused "vf_get_do_refuses_dump_attr" 22 "Unknown attribute type" \
	vf-get ifname="$pf" vf=0 owner=x
refused "pool_get_do_refuses_dump_attr" 22 "Unknown attribute type" \
	pool-get ifname="$pf" pool=x
refused "vf_not_enrolled" 2 "VF 9 of $pf is not enrolled" vf-reserve ifname="$pf" vf=9
refused "get_needs_vf" 22 "VF required" vf-get ifname="$pf"
refused "release_unheld" 2 "not reserved" vf-release ifname="$pf" vf=0
refused "release_unknown_owner" 2 "no VF is held by owner nobody" vf-release owner=nobody

if [ "$(vp_count '.state == "free"' dev "$pf")" = 4 ] &&
   [ "$(ip -j link show dev "$pf" | jq '[.[0].vfinfo_list[] | select(.address != "00:00:00:00:00:00")] | length')" = 0 ]; then
	ktap_ok "refusals_changed_nothing"
else
	ktap_fail "refusals_changed_nothing" "$("$VFPOOLCTL" vf show dev "$pf" 2>&1)"
fi
ktap_end
