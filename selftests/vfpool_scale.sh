#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scale: a PF with 2048 VFs enrolled dumps completely, one message per VF,
# where rtnetlink's VF list truncates; one socket holding 100 VFs with MAC
# and VLAN is killed with SIGKILL and all 100 come back reset and free (on a
# PF of 128 VFs, which ip link still lists completely).
#
#   netdevsim A: PF $pf, 2048 VFs     netdevsim B: PF $pfb, 128 VFs

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
vfpool_setup
A=$(nsim_id 2)
pf=$(nsim_pf "$A" 2048) || ktap_bail "no netdevsim with 2048 VFs"
pfb=$(nsim_pf $((A + 1)) 128) || ktap_bail "no netdevsim with 128 VFs"

ktap_begin 6

ktap_check "enroll_2048" "$VFPOOLCTL" pool add dev "$pf"
# Every VF 0..2047 exactly once, each on this PF: not just 2048 entries.
ktap_check "dump_lists_vfs_0_to_2047_once" out_is true eval '"$VFPOOLCTL" -j vf show dev "$pf" |
	jq --arg pf "$pf" "([.[].vf] | sort) == [range(0; 2048)] and all(.pf == \$pf)"'
iplen=$(pf_vf_count "$pf")
if [[ $iplen =~ ^[0-9]+$ ]] && [ "$iplen" -lt 2048 ]; then
	echo "# ip link listed $iplen of 2048"
	ktap_ok "ip_link_truncates"
else
	ktap_fail "ip_link_truncates" "ip link listed $iplen"
fi

ktap_check "enroll_128" "$VFPOOLCTL" pool add dev "$pfb"
out=$tmp/hold.out
python3 "$VFPOOL_TESTS/tools/vfpool_nl.py" hold "$pfb" 100 > "$out" &
hpid=$!
track "$hpid"
busywait 60000 grep -q held "$out" || log "the holder never reported 100 held VFs"
held_ok() {
	[ "$(vp_count '.state == "reserved"' dev "$pfb")" = 100 ] &&
	vf_has "$pfb" 99 52:54:01:00:00:63 100
}
ktap_check "one_socket_holds_100" held_ok
kill_wait "$hpid"
all_reset() {
	[ "$(vp_count '.state == "free"' dev "$pfb")" = 128 ] &&
	[ "$(ip -j link show dev "$pfb" | jq '[.[0].vfinfo_list[:100][] |
		select(.address != "00:00:00:00:00:00" or (.vlan_list[0].vlan // 0) != 0)] | length')" = 0 ]
}
ktap_check "kill9_resets_all_100" busywait 60000 all_reset

ktap_end
