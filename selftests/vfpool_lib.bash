# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the vfpool feature tests, on top of lib.sh: reading
# ownership back through `vfpoolctl -j` and holding VFs in the background.
# shellcheck shell=bash

# vp_vf PF VF [JQ]: the VF's object from `vfpoolctl -j vf show`, or one
# field of it (e.g. .state).
vp_vf() {
	"$VFPOOLCTL" -j vf show dev "$1" |
		jq -er --argjson vf "$2" ".[] | select(.vf == \$vf) | ${3:-.}"
}

vp_state() { vp_vf "$1" "$2" .state; }

# vf_reset PF VF: free in vfpool, and ip link reports MAC zero and no VLAN.
vf_reset() {
	[ "$(vp_state "$1" "$2")" = free ] &&
	[ "$(vf_field "$1" "$2" mac)" = 00:00:00:00:00:00 ] &&
	[ "$(vf_field "$1" "$2" vlan)" = 0 ]
}

# vf_has PF VF MAC VLAN: ip link reports this MAC and VLAN on the VF.
vf_has() {
	[ "$(vf_field "$1" "$2" mac)" = "$3" ] &&
	[ "$(vf_field "$1" "$2" vlan)" = "$4" ]
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
