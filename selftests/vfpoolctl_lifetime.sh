#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vfpoolctl vf reserve ... pidfile PATH, on a netdevsim PF with 4 VFs:
#
#   detach pidfile, the file appears later     the child binds the VF to
#                                              that process in the kernel
#                                              and exits; VF released when
#                                              the process exits
#   stale pidfile (a dead pid), then rewritten the child waits, then binds
#                                              the new pid
#   pidfile never appears (hold)               VF released, exit status 1
#   stale pidfile never rewritten (detach)     the daemon releases and exits
#   invalid VFPOOLCTL_PIDFILE_TIMEOUT          exit 1, nothing reserved
#
# What the holder follows is read from the kernel's own bookkeeping: the
# pid of the pidfd it holds (/proc/HOLDER/fdinfo), and that it re-reads the
# pidfile from inotify's open/read events on the file (not /proc/PID/io,
# which kernels without task I/O accounting, like the debug guest's, lack).
# No sleeps.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
vfpool_use
PF=$(enrolled_pf "$(nsim_id)" 4) || ktap_bail "cannot create and enroll a netdevsim PF"

# held_by VF HOLDER MAC: reserved by HOLDER, and ip link shows MAC.
held_by() {
	vp_is "$PF" "$1" ".state == \"reserved\" and .pid == $2" && vf_has "$PF" "$1" "$3" 0
}

# reread FILE: someone (the holder, the only reader) opens or reads FILE
# within 5 s (scaled): an inotify watch, armed now, sees the next access.
reread() {
	python3 - "$1" "$(scaled 5000)" <<'EOF'
import ctypes, os, select, sys
IN_ACCESS, IN_OPEN = 0x1, 0x20
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(os.O_CLOEXEC)
if fd < 0 or libc.inotify_add_watch(fd, sys.argv[1].encode(), IN_ACCESS | IN_OPEN) < 0:
    sys.exit(f"inotify on {sys.argv[1]}: {os.strerror(ctypes.get_errno())}")
if not select.select([fd], [], [], int(sys.argv[2]) / 1000)[0]:
    sys.exit(f"{sys.argv[1]} not read again within {sys.argv[2]} ms")
EOF
}

# write_pidfile PATH PID: atomically, as a daemon should.
write_pidfile() {
	echo "$2" > "$1.new" && mv "$1.new" "$1"
}

# dead_pid: the pid of a process that has exited and been reaped.
dead_pid() {
	local d
	true &
	d=$!
	wait "$d"
	echo "$d"
}

# pidfile_takes_over F H VF MAC: holder H, waiting for pidfile F, holds VF
# (with MAC) following no process; a process written to F takes it over: H
# exits, the VF is bound to that process, and reset when it exits.
pidfile_takes_over() {
	local f=$1 h=$2 vf=$3 mac=$4 p
	gone "$h" && { echo "holder exited"; return 1; }
	[ -z "$(pidfds_of "$h")" ] || { echo "follows $(pidfds_of "$h")"; return 1; }
	held_by "$vf" "$h" "$mac" || return 1
	sleep 1000 >/dev/null 2>&1 &
	p=$!
	track "$p"
	write_pidfile "$f" "$p"
	busywait 5000 gone "$h" || { echo "child did not exit after binding"; return 1; }
	bound_to "$PF" "$vf" "$p" "$mac" 0 || return 1
	kill "$p"
	busywait 5000 vf_reset "$PF" "$vf" || { ip link show dev "$PF"; return 1; }
}

# detach_on_pidfile TIMEOUT OWNER MAC FILE: reserve a VF of $PF with MAC
# for OWNER, detached, for the process FILE will name (waiting TIMEOUT s
# for it); sets the caller's vf and h (the holder, tracked).
detach_on_pidfile() {
	local out
	out=$(VFPOOLCTL_PIDFILE_TIMEOUT=$1 "$VFPOOLCTL" -j vf reserve dev "$PF" \
		owner "$2" mac "$3" detach pidfile "$4") || return 1
	echo "$out"
	vf=$(jq -e .vf <<<"$out") && h=$(jq -e .pid <<<"$out") || return 1
	track "$h"
}

test_pidfile_appears() {
	local f=$tmp/late.pid vf h
	detach_on_pidfile 60 pf1 52:54:00:00:02:01 "$f" || return 1
	# waiting for the file: following nothing, holding the VF
	pidfile_takes_over "$f" "$h" "$vf" 52:54:00:00:02:01
}

test_pidfile_stale() {
	local f=$tmp/stale.pid vf h d
	d=$(dead_pid)
	gone "$d" || return 1
	write_pidfile "$f" "$d"
	detach_on_pidfile 60 pf2 52:54:00:00:02:02 "$f" || return 1
	# the holder reads the stale file again (and again), and keeps the VF
	reread "$f" || { echo "pidfile not re-read"; return 1; }
	reread "$f" || { echo "pidfile not re-read"; return 1; }
	pidfile_takes_over "$f" "$h" "$vf" 52:54:00:00:02:02
}

test_pidfile_never() {
	local out rc vf start ms
	start=$(date +%s%N)
	VFPOOLCTL_PIDFILE_TIMEOUT=0.5 timeout "$(scaled 30)" "$VFPOOLCTL" -j vf reserve \
		dev "$PF" owner pf3 mac 52:54:00:00:02:03 \
		hold pidfile "$tmp/never.pid" >"$tmp/never.out" 2>"$tmp/never.err"
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	out=$(cat "$tmp/never.out")
	echo "exit $rc after $ms ms; $out"
	cat "$tmp/never.err"
	[ "$rc" = 1 ] || return 1
	# it did hold the VF (and printed it) before giving up
	vf=$(jq -e 'select(.owner == "pf3" and .mac == "52:54:00:00:02:03") | .vf' \
		<<<"$out") || return 1
	grep -q "pidfile $tmp/never.pid named no live process within 0.5 s" \
		"$tmp/never.err" || return 1
	[ "$ms" -ge 500 ] || { echo "gave up too early"; return 1; }
	# released (and reset) before it exited
	vf_reset "$PF" "$vf" || { ip link show dev "$PF"; return 1; }
}

test_pidfile_stale_never() {
	local f=$tmp/stale2.pid vf h
	write_pidfile "$f" "$(dead_pid)"
	detach_on_pidfile 0.5 pf4 52:54:00:00:02:04 "$f" || return 1
	busywait 10000 gone "$h" || { echo "holder still there"; return 1; }
	busywait 5000 vf_reset "$PF" "$vf" || { ip link show dev "$PF"; return 1; }
}

test_bad_timeout() {
	local before after v err rc
	before=$("$VFPOOLCTL" -j vf show)
	for v in "" x -1 1s 86401 nan; do
		err=$(VFPOOLCTL_PIDFILE_TIMEOUT=$v "$VFPOOLCTL" vf reserve \
			dev "$PF" owner pf5 detach pidfile "$tmp/x.pid" 2>&1)
		rc=$?
		echo "\"$v\": exit $rc: $err"
		[ "$rc" = 1 ] || return 1
		grep -q "invalid VFPOOLCTL_PIDFILE_TIMEOUT" <<<"$err" || return 1
	done
	after=$("$VFPOOLCTL" -j vf show)
	[ "$before" = "$after" ]
}

ktap_begin 5
run_test "detach_pidfile_file_written_later_bound_released_on_exit" test_pidfile_appears
run_test "detach_pidfile_stale_pid_waited_out_the_rewritten_pid_bound" test_pidfile_stale
run_test "hold_pidfile_never_written_vf_released_exit_1" test_pidfile_never
run_test "detach_pidfile_stale_never_rewritten_daemon_releases" test_pidfile_stale_never
run_test "invalid_vfpoolctl_pidfile_timeout_exit_1_nothing_reserved" test_bad_timeout
ktap_end
