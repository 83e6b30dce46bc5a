#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Process holders, linger and module pinning, on a netdevsim PF with 4 VFs.
# A sleep stands in for QEMU.
#
#   detach pid P            one request binds the VF to P; no vfpoolctl left
#   detach pidfile (late)   the child binds once the file names P, and exits
#   kill -9 of vfpoolctl    nothing changes (there is none left to kill)
#   kill -9 of P            VF reset and free
#   P a zombie              (parent not reaping) VF reset and free
#   P's number recycled     the new process never holds the VF
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

NSIM_ID=$((RANDOM % 1000 + 5100))
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

command -v jq >/dev/null || ktap_skip_all "jq not found"
[ -x "$VFPOOLCTL" ] || ktap_skip_all "no vfpoolctl at $VFPOOLCTL"
vfpool_unload
vfpool_load || { echo "not ok vfpool.ko does not load"; exit "$KSFT_FAIL"; }
PF=$(nsim_add "$NSIM_ID" 4) || ktap_skip_all "cannot create a netdevsim PF"
"$VFPOOLCTL" pool add dev "$PF" >/dev/null || { echo "cannot enroll"; exit 1; }

# standin: a stand-in QEMU in the background, tracked; prints its pid.
standin() {
	sleep 100000 >/dev/null 2>&1 &
	track $!
	echo $!
}

# no_vfpoolctl: no vfpoolctl process runs (kill -9 of all of them is a no-op).
no_vfpoolctl() {
	local c
	for c in /proc/[0-9]*/comm; do
		[ "$(cat "$c" 2>/dev/null)" = vfpoolctl ] && { echo "running: $c"; return 1; }
	done
	return 0
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

zombie() { [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" = Z ]; }

test_detach_pid() {
	local p out vf
	p=$(standin)
	out=$("$VFPOOLCTL" -j vf reserve dev "$PF" vf 0 owner q1 \
		mac 52:54:00:00:07:00 vlan 70 detach pid "$p") || return 1
	echo "$out"
	vf=$(jq -e .vf <<<"$out") || return 1
	jq -e ".pid == $p and .holder == \"process\"" <<<"$out" >/dev/null || return 1
	no_vfpoolctl || return 1
	bound_to "$vf" "$p" 52:54:00:00:07:00 70 || return 1
	kill -9 "$p"
	busywait 10000 vf_free "$vf" || { ip link show dev "$PF"; return 1; }
}

test_detach_pidfile_late() {
	local f=$tmp/qemu.pid p out vf h
	out=$(VFPOOLCTL_PIDFILE_TIMEOUT=60 "$VFPOOLCTL" -j vf reserve dev "$PF" \
		vf 1 owner q2 mac 52:54:00:00:07:01 vlan 71 detach pidfile "$f") ||
		return 1
	echo "$out"
	vf=$(jq -e .vf <<<"$out") && h=$(jq -e .pid <<<"$out") || return 1
	track "$h"
	vfj "$vf" ".pid == $h and .holder == \"socket\"" || return 1
	p=$(standin)
	echo "$p" > "$f.new" && mv "$f.new" "$f"
	busywait 10000 gone "$h" || { echo "child $h still runs"; return 1; }
	no_vfpoolctl || return 1
	bound_to "$vf" "$p" 52:54:00:00:07:01 71 || return 1
	# nothing but the stand-in can end it
	kill -9 "$h" 2>/dev/null
	bound_to "$vf" "$p" 52:54:00:00:07:01 71 || return 1
	kill -9 "$p"
	busywait 10000 vf_free "$vf" || { ip link show dev "$PF"; return 1; }
}

test_zombie() {
	local f=$tmp/zombie.pid par c out vf
	# the parent execs a sleep that never reaps its child
	bash -c "sleep 100000 & echo \$! > $f; exec sleep 100000" \
		>/dev/null 2>&1 &
	par=$!
	track "$par"
	busywait 5000 test -s "$f" || return 1
	c=$(cat "$f")
	track "$c"
	out=$("$VFPOOLCTL" -j vf reserve dev "$PF" vf 2 owner q3 \
		mac 52:54:00:00:07:02 detach pid "$c") || return 1
	vf=$(jq -e .vf <<<"$out") || return 1
	bound_to "$vf" "$c" 52:54:00:00:07:02 0 || return 1
	kill -9 "$c"
	busywait 5000 zombie "$c" || { echo "$c is not a zombie"; return 1; }
	busywait 10000 vf_free "$vf" || { ip link show dev "$PF"; return 1; }
	zombie "$c" || { echo "$c was reaped: the test proves nothing"; return 1; }
}

test_recycled_pid() {
	local p q out vf
	[ -w /proc/sys/kernel/ns_last_pid ] || { echo "no ns_last_pid"; return 1; }
	# our own child, so that it can be reaped here and its number freed
	sleep 100000 >/dev/null 2>&1 &
	p=$!
	track "$p"
	out=$("$VFPOOLCTL" -j vf reserve dev "$PF" vf 3 owner q4 \
		mac 52:54:00:00:07:03 detach pid "$p") || return 1
	vf=$(jq -e .vf <<<"$out") || return 1
	kill -9 "$p"
	wait "$p" 2>/dev/null
	# give the number to a new process at once
	echo $((p - 1)) > /proc/sys/kernel/ns_last_pid
	sleep 100000 >/dev/null 2>&1 &
	q=$!
	track "$q"
	echo "exited $p, new process $q"
	[ "$q" = "$p" ] || { echo "pid not recycled"; return 1; }
	busywait 10000 vf_free "$vf" || { ip link show dev "$PF"; return 1; }
	vfj "$vf" '.pid == null and .holder == null'
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

ktap_begin 7
run_test "detach pid: bound in the kernel, kill -9 resets and frees" test_detach_pid
run_test "detach pidfile written late: child binds and exits" test_detach_pidfile_late
run_test "zombie holder (parent not reaping) releases" test_zombie
run_test "a recycled pid never keeps a VF" test_recycled_pid
run_test "linger: reset at once, held for the owner until released" test_linger_release
run_test "linger: expires, VF free" test_linger_expires
run_test "rmmod refused while held or lingering; works after release all force" test_rmmod_pinned
ktap_end
