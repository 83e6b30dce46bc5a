#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A storm for the debug profile (KASAN, lockdep, kmemleak): process holders
# exiting while socket holders close and a PF goes away, several rounds.
#
#   netdevsim A: PF $pfa, 16 VFs    process holders (some lingering)
#   netdevsim B: PF $pfb, 8 VFs     process and socket holders; the device
#                                   is deleted while they all die
#
# After each round every VF of A is free and zeroed (ip link, vfpoolctl).
# At the end, vf release all force leaves nothing pinning the module, and
# rmmod works.  The kernel_taint check of the harness catches warnings.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

ROUNDS=2
pids=()

test_init
vfpool_setup
A=$(nsim_id 2)
B=$((A + 1))
defer nsim_del "$B"	# re-created and deleted by every round
pfa=$(enrolled_pf "$A" 16) || ktap_bail "cannot create and enroll a netdevsim PF"
defer release_all

# a_all_free: every VF of A free (vfpoolctl) and zeroed (ip link).
a_all_free() {
	[ "$(vp_count '.state == "free"' dev "$pfa")" = 16 ] &&
		ip -j link show dev "$pfa" | jq -e '[.[0].vfinfo_list[] |
			select(.address != "00:00:00:00:00:00" or
			       (.vlan_list[0].vlan // .vlan // 0) != 0)] | length == 0' \
			>/dev/null
}

round() {
	local r=$1 v p pfb hp linger
	pfb=$(nsim_add "$B" 8) && "$VFPOOLCTL" pool add dev "$pfb" >/dev/null ||
		return 1
	for v in $(seq 0 15); do
		sleep 100000 >/dev/null 2>&1 &
		p=$!
		pids+=("$p")
		track "$p"
		# every fourth lingers a second after its process
		linger=()
		[ $((v % 4)) != 0 ] || linger=(linger 1)
		"$VFPOOLCTL" vf reserve dev "$pfa" vf "$v" owner "s$r-$v" \
			mac "52:54:00:5$r:00:$(printf %02x "$v")" vlan $((v + 1)) \
			"${linger[@]}" detach pid "$p" >/dev/null || return 1
	done
	for v in 0 1 2 3; do
		sleep 100000 >/dev/null 2>&1 &
		p=$!
		pids+=("$p")
		track "$p"
		"$VFPOOLCTL" vf reserve dev "$pfb" vf "$v" owner "b$r-$v" \
			detach pid "$p" >/dev/null || return 1
	done
	for v in 4 5 6 7; do
		read -r hp _ < <(hold_vf dev "$pfb" vf "$v" owner "bs$r-$v") ||
			return 1
		pids+=("$hp")
		track "$hp"
	done
	[ "$(vp_count '.state == "reserved"' dev "$pfa")" = 16 ] || return 1
	# everything dies at once, and B's device goes with it
	kill -9 "${pids[@]}" 2>/dev/null &
	nsim_del "$B" &
	wait
	pids=()
	busywait 30000 a_all_free || { "$VFPOOLCTL" -j vf show; return 1; }
	[ "$("$VFPOOLCTL" -j pool show | jq length)" = 1 ]
}

ktap_begin $((ROUNDS + 1))
for r in $(seq 1 "$ROUNDS"); do
	run_test "round_${r}_holders_exit_while_sockets_close_and_a_pf_goes" round "$r"
done

unpinned() {
	"$VFPOOLCTL" vf release all force || return 1
	vfpool_unload
}
ktap_check "nothing_left_pinning_the_module_rmmod_works" unpinned
ktap_end
