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
# shellcheck source=vfpoolctl_lib.bash
source "$(dirname "$0")/vfpoolctl_lib.bash"

NSIM_ID=$((RANDOM % 1000 + 7100))
tmp=$(mktemp -d)
export VFPOOLCTL_TRACK=$tmp/track

cleanup() {
	reap_tracked
	"$VFPOOLCTL" vf release all force >/dev/null 2>&1
	nsim_del "$NSIM_ID"
	vfpool_unload
	rm -rf "$tmp"
}
trap cleanup EXIT

command -v jq >/dev/null || ktap_bail "jq not found"
[ -x "$VFPOOLCTL" ] || ktap_bail "no vfpoolctl at $VFPOOLCTL"
vfpool_unload
vfpool_load || { echo "not ok vfpool.ko does not load"; exit "$KSFT_FAIL"; }
PF=$(nsim_add "$NSIM_ID" 4) || ktap_bail "cannot create a netdevsim PF"
"$VFPOOLCTL" pool add dev "$PF" >/dev/null || { echo "cannot enroll"; exit 1; }

# standin: a stand-in QEMU in the background, tracked; prints its pid.
standin() {
	sleep 100000 >/dev/null 2>&1 &
	track $!
	echo $!
}

# bound_to VF PID MAC VLAN: held by process PID; ip link shows MAC/VLAN.
bound_to() {
	vfj "$1" ".state == \"reserved\" and .pid == $2 and .holder == \"process\"" &&
		vf_is "$3" "$4" "$1"
}

# lingering VF OWNER: reset (ip link), still reserved for OWNER, flagged.
lingering() {
	vf_is "$ZERO" 0 "$1" &&
		vfj "$1" ".state == \"reserved\" and .owner == \"$2\" and .holder == null and (.flags | index([\"lingering\"]))"
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
	busywait 10000 vf_free 0 || { "$VFPOOLCTL" -j vf show dev "$PF"; return 1; }
	vfj 0 '.flags == [] and .linger == 0'
}

test_linger_expires() {
	local p
	p=$(standin)
	"$VFPOOLCTL" vf reserve dev "$PF" vf 1 owner l2 \
		mac 52:54:00:00:08:01 linger 10 detach pid "$p" >/dev/null || return 1
	kill -9 "$p"
	busywait 8000 lingering 1 l2 || { "$VFPOOLCTL" -j vf show dev "$PF"; return 1; }
	busywait 30000 vf_free 1 || { "$VFPOOLCTL" -j vf show dev "$PF"; return 1; }
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
	bound_to 2 "$p" 52:54:00:00:09:02 92 || return 1
	lingering 3 r2 || return 1
	"$VFPOOLCTL" vf release all || return 1
	# without force, another caller's reservations stay
	bound_to 2 "$p" 52:54:00:00:09:02 92 || return 1
	"$VFPOOLCTL" vf release all force || return 1
	busywait 10000 vf_free 2 || return 1
	vf_free 3 || return 1
	vfpool_unload || { echo "rmmod failed with nothing held"; return 1; }
	vf_is "$ZERO" 0 2
}

ktap_begin 3
run_test "linger: reset at once, held for the owner until released" test_linger_release
run_test "linger: expires, VF free" test_linger_expires
run_test "rmmod refused while held or lingering; works after release all force" test_rmmod_pinned
ktap_end
