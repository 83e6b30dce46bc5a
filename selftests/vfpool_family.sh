#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's generic netlink family: vfpool.ko loads, the "vfpool"
# family and its "events" multicast group resolve through the genetlink
# controller (queried by a raw socket of our own, independent of vfpoolctl),
# a netdevsim PF with 4 VFs sits beside it, and unloading removes the family
# again without warning or taint.

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

test_init
NSIM_ID=$(nsim_id)
defer vfpool_unload

ktap_begin 8

taint0=$(taint_bad)

vfpool_unload
ktap_check "module_loads" vfpool_load
ktap_check "family_resolves" genl_family_id vfpool

groups=$(genl_ctrl_query vfpool mcgrps 2>&1)
if grep -qx events <<< "$groups"; then
	ktap_ok "mcgrp_events"
else
	ktap_fail "mcgrp_events" "multicast groups: ${groups:-none}"
fi

if pf=$(nsim_pf "$NSIM_ID" 4) && [ "$(pf_vf_count "$pf")" = 4 ] &&
   [ "$(vf_field "$pf" 3 mac)" = 00:00:00:00:00:00 ]; then
	ktap_ok "nsim_pf_4_vfs"
else
	ktap_fail "nsim_pf_4_vfs" "$(ip -d link show ${pf:+dev "$pf"} 2>&1)"
fi
nsim_del "$NSIM_ID"

ktap_check "module_unloads" vfpool_unload
if genl_family_id vfpool >/dev/null 2>&1; then
	ktap_fail "family_gone_after_unload"
else
	ktap_ok "family_gone_after_unload"
fi

# A generic netlink request for an unknown family makes the kernel try
# request_module("net-pf-16-proto-16-family-vfpool"): the alias must name
# our module. The installed module is not in the guest's module tree, so
# check the alias in the .ko itself.
has_genl_alias() {
	modinfo -F alias "$VFPOOL_KO" | grep -qx "net-pf-16-proto-16-family-vfpool"
}
ktap_check "module_alias" has_genl_alias

taint1=$(taint_bad)
if [ "$taint1" = "$taint0" ]; then
	ktap_ok "no_new_taint"
else
	ktap_fail "no_new_taint" "tainted went from $taint0 to $taint1"
fi

ktap_end
