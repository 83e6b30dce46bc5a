# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the vfpoolctl_*.sh tests, on top of lib.sh.
#
# Background processes (holders, detached daemons, monitors, the sleeps
# they follow) are recorded in a file, not in a shell array: every test runs
# inside ktap_check's $(...) subshell, where an array assignment is lost on
# return, and a process the script forgot would outlive it.  Each record
# carries the process's start time, so that a pid reused since is never
# signalled.
# shellcheck shell=bash

# _starttime PID: field 22 of /proc/PID/stat (comm, field 2, may hold
# spaces: count from the closing parenthesis); fails for a process that is
# gone or a zombie.
_starttime() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	# shellcheck disable=SC2086 # split into fields
	set -- $s
	[ "$1" != Z ] || return 1
	echo "${20}"
}

# track PID...: kill PID when the test ends (see reap_tracked).
track() {
	local p t
	for p in "$@"; do
		t=$(_starttime "$p") || continue
		echo "$p $t" >> "$VFPOOLCTL_TRACK"
	done
}

_alive_as() { [ "$(_starttime "$1")" = "$2" ]; }

_none_alive() {
	local p t
	while read -r p t; do
		_alive_as "$p" "$t" && return 1
	done < "$VFPOOLCTL_TRACK"
	return 0
}

# reap_tracked: SIGTERM every tracked process still alive (a holder then
# releases its VF), give them 5 s, SIGKILL the rest, forget them all.
reap_tracked() {
	local p t
	[ -s "$VFPOOLCTL_TRACK" ] || return 0
	while read -r p t; do
		_alive_as "$p" "$t" && kill -TERM "$p" 2>/dev/null
	done < "$VFPOOLCTL_TRACK"
	if ! busywait 5000 _none_alive; then
		while read -r p t; do
			_alive_as "$p" "$t" && kill -KILL "$p" 2>/dev/null
		done < "$VFPOOLCTL_TRACK"
		busywait 5000 _none_alive
	fi
	# reap those that are our own children (no-op for the others)
	while read -r p t; do
		wait "$p" 2>/dev/null
	done < "$VFPOOLCTL_TRACK"
	: > "$VFPOOLCTL_TRACK"
}

# run_test NAME FN: one KTAP case, then whatever FN left running is gone,
# whether it passed or not.
run_test() {
	ktap_check "$@"
	reap_tracked
}

# gone PID: the process no longer runs (exited, even if not reaped yet).
gone() { ! _starttime "$1" >/dev/null; }

# pidfds_of PID: the pids that process PID holds pidfds to, one per line.
pidfds_of() {
	local fd
	for fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "anon_inode:[pidfd]" ] ||
			continue
		sed -n 's/^Pid:[[:space:]]*//p' "/proc/$1/fdinfo/${fd##*/}"
	done
}

# follows HOLDER PID: HOLDER watches PID through a pidfd.
follows() { pidfds_of "$1" | grep -qx "$2"; }

# VFPOOLCTL_TRACK must be set (to a file in the test's temporary directory)
# before track is used.

# VF checks on the test's PF, $PF: vfpoolctl for ownership, ip link for
# the configuration.
ZERO=00:00:00:00:00:00

# vfj VF JQ: the JSON of VF on $PF, through vfpoolctl, tested with JQ.
vfj() {
	"$VFPOOLCTL" -j vf show dev "$PF" vf "$1" | jq -e ".[0] | $2" >/dev/null
}

# vf_is MAC VLAN VF: ip link shows that MAC and VLAN on VF.
vf_is() {
	[ "$(vf_field "$PF" "$3" mac)" = "$1" ] &&
		[ "$(vf_field "$PF" "$3" vlan)" = "$2" ]
}

# vf_free VF: reset (as ip link sees it) and free (as vfpool sees it).
vf_free() {
	vf_is "$ZERO" 0 "$1" &&
		vfj "$1" '.state == "free" and .owner == null and .pid == null'
}
