# SPDX-License-Identifier: GPL-2.0
#
# The one library of vfpool state checks and background holders, on top of
# lib.sh (generic KTAP, module and netdevsim helpers).  Every VF check takes
# PF VF first, in the order of lib.sh's vf_field PF VF FIELD: ownership is
# read back through `vfpoolctl -j`, the VF configuration through `ip link`
# (an independent observer).
# shellcheck shell=bash

ZERO=00:00:00:00:00:00

# vp_vf PF VF [JQ]: the VF's object from `vfpoolctl -j vf show`, or one
# field of it (e.g. .state).
vp_vf() {
	"$VFPOOLCTL" -j vf show dev "$1" |
		jq -er --argjson vf "$2" ".[] | select(.vf == \$vf) | ${3:-.}"
}

vp_state() { vp_vf "$1" "$2" .state; }

# vp_is PF VF JQ: the VF's object satisfies the jq condition JQ.
vp_is() { vp_vf "$@" >/dev/null; }

# vf_has PF VF MAC VLAN: ip link reports this MAC and VLAN on the VF.
vf_has() {
	[ "$(vf_field "$1" "$2" mac)" = "$3" ] &&
	[ "$(vf_field "$1" "$2" vlan)" = "$4" ]
}

# vf_reset PF VF: free in vfpool, with no owner and no holder process, and
# ip link reports MAC zero and no VLAN.
vf_reset() {
	vp_is "$1" "$2" '.state == "free" and .owner == null and .pid == null' &&
	vf_has "$1" "$2" "$ZERO" 0
}

_held() { [ -s "$1" ] || ! kill -0 "$2" 2>/dev/null; }

# hold_vf RESERVE-ARGS...: reserve in the background, the socket held by a
# sleep that replaced vfpoolctl (exec mode).  Prints "PID VF" once held;
# fails with vfpoolctl's message if the reservation is refused.
hold_vf() {
	local out pid
	out=$(mktemp)
	"$VFPOOLCTL" vf reserve "$@" exec -- \
		sh -c "echo \"\$VFPOOL_VF\" > $out; exec sleep 100000" \
		>/dev/null 2>"$out.err" &
	pid=$!
	busywait 20000 _held "$out" "$pid"
	if [ ! -s "$out" ]; then
		cat "$out.err" >&2
		kill "$pid" 2>/dev/null
		rm -f "$out" "$out.err"
		return 1
	fi
	echo "$pid $(cat "$out")"
	rm -f "$out" "$out.err"
}

# kill_wait PID...: SIGKILL and reap.
kill_wait() {
	kill -9 "$@" 2>/dev/null
	wait "$@" 2>/dev/null
	return 0
}

# expect_fail NAME PATTERN CMD...: CMD (a vfpoolctl the kernel refuses)
# must fail with the refusal's exit status and print the message PATTERN
# (an ERE anchored at the start of the kernel's message, right after
# "Error: ", so a different message that merely contains a word of it does
# not pass).  The status is 1 today;
# the iproute2 convention vfpoolctl moves to gives a kernel refusal 2.
expect_fail() {
	local name=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if { [ $rc = 1 ] || [ $rc = 2 ]; } &&
	   grep -qE -- "^Error: ($pat)" <<< "$out"; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "exit $rc, wanted 1 or 2 and /^Error: ($pat)/" "$out"
	fi
}

# out_is WANT CMD...: CMD prints exactly WANT (for busywait and ktap_check,
# which must re-run the command each time).
out_is() {
	local want=$1 got
	shift
	got=$("$@" 2>/dev/null)
	[ "$got" = "$want" ]
}

# vp_count FILTER [SHOW-ARGS...]: how many VFs of `vf show ARGS` match the
# jq FILTER, e.g. vp_count '.state == "free"' pool net0.
vp_count() {
	local filter=$1
	shift
	"$VFPOOLCTL" -j vf show "$@" | jq "[.[] | select($filter)] | length"
}

# bound_to PF VF PID MAC VLAN: held by process PID in the kernel (a
# process holder, vfpoolctl -j), and ip link shows MAC and VLAN.
bound_to() {
	vp_is "$1" "$2" ".state == \"reserved\" and .pid == $3 and .holder == \"process\"" &&
		vf_has "$1" "$2" "$4" "$5"
}

# standin: a stand-in QEMU in the background, tracked; prints its pid.
standin() {
	sleep 100000 >/dev/null 2>&1 &
	track $!
	echo $!
}

# enrolled_pf ID NUM_VFS: nsim_pf (deleted when the scope ends), enrolled
# into the default pool; prints the PF's ifname.
enrolled_pf() {
	local pf
	pf=$(nsim_pf "$1" "$2") || return 1
	"$VFPOOLCTL" pool add dev "$pf" >/dev/null || return 1
	echo "$pf"
}

# release_all: every VF released, even another caller's (force): deferred
# before a PF is deleted or vfpool unloaded under a test's holders.
release_all() { "$VFPOOLCTL" vf release all force >/dev/null 2>&1; }

# held_pf_setup NUM_VFS: the setup of the process-holder tests: test_init,
# vfpool freshly loaded, $PF a netdevsim PF with NUM_VFS VFs, enrolled; at
# exit every VF is released (force), the PF deleted, vfpool unloaded.
held_pf_setup() {
	test_init
	vfpool_setup
	# shellcheck disable=SC2034 # the script's PF
	PF=$(enrolled_pf "$(nsim_id)" "$1") ||
		ktap_bail "cannot create and enroll a netdevsim PF"
	defer release_all
}

# holder_told NAME PID ERRFILE WHY: the holder PID (a child of this shell,
# its stderr in ERRFILE) exited 0 and said why its VF was released (run in
# this shell: it reaps the holder).
holder_told() {
	local rc=-1
	if busywait 20000 gone "$2"; then
		wait "$2"
		rc=$?
	fi
	if [ "$rc" = 0 ] && grep -q "was released ($4)" "$3"; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "holder exit status $rc (-1: still running)" \
			"$(cat "$3")"
	fi
}
