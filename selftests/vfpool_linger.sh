#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Linger and module pinning, on a netdevsim PF with 4 VFs, with process
# holders (a sleep stands in for QEMU; see vfpool_process.sh).
#
#   linger                  reset at once, still held for the owner until
#                           vf release owner, or until it expires
#   rmmod                   refused while a VF is held or lingering, VFs
#                           untouched; works after vf release all force
#
# Ownership is read with vfpoolctl -j, the VF configuration with ip link.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

held_pf_setup 4


# lingering VF OWNER: reset (ip link), still reserved for OWNER, flagged.
lingering() {
	vf_has "$PF" "$1" "$ZERO" 0 &&
		vp_is "$PF" "$1" ".state == \"reserved\" and .owner == \"$2\" and .holder == null and (.flags | index([\"lingering\"]))"
}

test_linger_release() {
	local p out
	p=$(standin)
	out=$("$VFPOOLCTL" -j vf reserve dev "$PF" vf 0 owner l1 \
		mac 52:54:00:00:08:00 vlan 80 linger 600 detach pid "$p") || return 1
	echo "$out"
	jq -e '.linger == 600' <<<"$out" >/dev/null || return 1
	kill -9 "$p"
	busywait 10000 lingering 0 l1 || { "$VFPOOLCTL" -j vf show dev "$PF"; return 1; }
	# nobody else gets it while it lingers
	"$VFPOOLCTL" vf reserve dev "$PF" vf 0 owner other detach pid $$ \
		2>&1 && return 1
	lingering 0 l1 || return 1
	"$VFPOOLCTL" vf release owner l1 || return 1
	busywait 10000 vf_reset "$PF" 0 || { "$VFPOOLCTL" -j vf show dev "$PF"; return 1; }
	vp_is "$PF" 0 '.flags == [] and .linger == 0'
}

test_linger_expires() {
	local p
	p=$(standin)
	"$VFPOOLCTL" vf reserve dev "$PF" vf 1 owner l2 \
		mac 52:54:00:00:08:01 linger 10 detach pid "$p" >/dev/null || return 1
	kill -9 "$p"
	busywait 8000 lingering 1 l2 || { "$VFPOOLCTL" -j vf show dev "$PF"; return 1; }
	busywait 30000 vf_reset "$PF" 1 || { "$VFPOOLCTL" -j vf show dev "$PF"; return 1; }
}

test_rmmod_pinned() {
	local p q
	p=$(standin)
	q=$(standin)
	"$VFPOOLCTL" vf reserve dev "$PF" vf 2 owner r1 \
		mac 52:54:00:00:09:02 vlan 92 detach pid "$p" >/dev/null || return 1
	"$VFPOOLCTL" vf reserve dev "$PF" vf 3 owner r2 \
		mac 52:54:00:00:09:03 linger 600 detach pid "$q" >/dev/null || return 1
	kill -9 "$q"
	busywait 10000 lingering 3 r2 || return 1
	rmmod vfpool && { echo "rmmod succeeded with held VFs"; return 1; }
	vfpool_loaded || return 1
	bound_to "$PF" 2 "$p" 52:54:00:00:09:02 92 || return 1
	lingering 3 r2 || return 1
	"$VFPOOLCTL" vf release all || return 1
	# without force, another caller's reservations stay
	bound_to "$PF" 2 "$p" 52:54:00:00:09:02 92 || return 1
	"$VFPOOLCTL" vf release all force || return 1
	busywait 10000 vf_reset "$PF" 2 || return 1
	vf_reset "$PF" 3 || return 1
	vfpool_unload || { echo "rmmod failed with nothing held"; return 1; }
	vf_has "$PF" 2 "$ZERO" 0
}

ktap_begin 3
run_test "linger_reset_at_once_held_until_released" test_linger_release
run_test "linger_expires_vf_free" test_linger_expires
run_test "rmmod_refused_while_held_works_after_release_all_force" test_rmmod_pinned
ktap_end
