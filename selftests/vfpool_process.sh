#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Process holders, on a netdevsim PF with 4 VFs.  A sleep stands in for
# QEMU.  Linger and module pinning: vfpool_linger.sh.
#
#   detach pid P            one request binds the VF to P; no vfpoolctl left
#   detach pidfile (late)   the child binds once the file names P, and exits
#   kill -9 of vfpoolctl    nothing changes (there is none left to kill)
#   kill -9 of P            VF reset and free
#   P a zombie              (parent not reaping) VF reset and free
#   P's number recycled     the new process never holds the VF
#
# Ownership is read with vfpoolctl -j, the VF configuration with ip link.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

held_pf_setup 4

# no_vfpoolctl: no vfpoolctl process runs (kill -9 of all of them is a no-op).
no_vfpoolctl() {
	local c
	for c in /proc/[0-9]*/comm; do
		[ "$(cat "$c" 2>/dev/null)" = vfpoolctl ] && { echo "running: $c"; return 1; }
	done
	return 0
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
	bound_to "$PF" "$vf" "$p" 52:54:00:00:07:00 70 || return 1
	kill -9 "$p"
	busywait 10000 vf_reset "$PF" "$vf" || { ip link show dev "$PF"; return 1; }
}

test_detach_pidfile_late() {
	local f=$tmp/qemu.pid p out vf h
	out=$(VFPOOLCTL_PIDFILE_TIMEOUT=60 "$VFPOOLCTL" -j vf reserve dev "$PF" \
		vf 1 owner q2 mac 52:54:00:00:07:01 vlan 71 detach pidfile "$f") ||
		return 1
	echo "$out"
	vf=$(jq -e .vf <<<"$out") && h=$(jq -e .pid <<<"$out") || return 1
	track "$h"
	vp_is "$PF" "$vf" ".pid == $h and .holder == \"socket\"" || return 1
	p=$(standin)
	echo "$p" > "$f.new" && mv "$f.new" "$f"
	busywait 10000 gone "$h" || { echo "child $h still runs"; return 1; }
	no_vfpoolctl || return 1
	bound_to "$PF" "$vf" "$p" 52:54:00:00:07:01 71 || return 1
	# nothing but the stand-in can end it
	kill -9 "$h" 2>/dev/null
	bound_to "$PF" "$vf" "$p" 52:54:00:00:07:01 71 || return 1
	kill -9 "$p"
	busywait 10000 vf_reset "$PF" "$vf" || { ip link show dev "$PF"; return 1; }
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
	bound_to "$PF" "$vf" "$c" 52:54:00:00:07:02 0 || return 1
	kill -9 "$c"
	busywait 5000 zombie "$c" || { echo "$c is not a zombie"; return 1; }
	busywait 10000 vf_reset "$PF" "$vf" || { ip link show dev "$PF"; return 1; }
	zombie "$c" || { echo "$c was reaped: the test proves nothing"; return 1; }
}

test_recycled_pid() {
	local p q out vf
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
	busywait 10000 vf_reset "$PF" "$vf" || { ip link show dev "$PF"; return 1; }
	vp_is "$PF" "$vf" '.pid == null and .holder == null'
}

ktap_begin 4
run_test "detach_pid_kill9_resets_and_frees" test_detach_pid
run_test "detach_pidfile_late_child_binds_and_exits" test_detach_pidfile_late
run_test "zombie_holder_releases" test_zombie
# ns_last_pid (CONFIG_CHECKPOINT_RESTORE) is what recycles a pid at will.
if [ -w /proc/sys/kernel/ns_last_pid ]; then
	run_test "recycled_pid_never_keeps_vf" test_recycled_pid
else
	# CONFIG_CHECKPOINT_RESTORE: Debian's kernels have it, the
	# tinyconfig-based debug kernel does not.
	if [ "${VFPOOL_PROFILE:-}" = debug ]; then
		ktap_skip "recycled_pid_never_keeps_vf" "no ns_last_pid (not on debug profile)"
	else
		ktap_fail "recycled_pid_never_keeps_vf" "no /proc/sys/kernel/ns_last_pid"
	fi
fi
ktap_end
