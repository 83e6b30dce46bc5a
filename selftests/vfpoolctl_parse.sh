#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vfpoolctl command-line parsing; needs no module, runs on the host too.
#
#  - "help" at every level exits 0 and prints a usage on stdout;
#  - every malformed command line exits 1 with one line on stderr,
#    "vfpoolctl: <what is wrong>", quoting the offending word, then the
#    usage; nothing on stdout; and no netlink socket is ever opened (checked
#    with strace when it is installed; without it, the message must still be
#    the parse error and not "module not loaded?" nor a kernel "Error:").

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

[ -x "$VFPOOLCTL" ] || ktap_skip_all "no vfpoolctl at $VFPOOLCTL"

tmp=$(mktemp -d)
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

have_strace=0
if command -v strace >/dev/null &&
   strace -f -qq -e trace=socket -o /dev/null true 2>/dev/null; then
	have_strace=1
fi

help_cases=(
	"help"
	"-h"
	"pool help"
	"pool show help"
	"pool add help"
	"pool del help"
	"vf help"
	"vf show help"
	"vf reserve help"
	"vf set help"
	"vf release help"
	"monitor help"
	"vf reserve dev eth0 mac 52:54:00:00:00:01 help"
)

# WORD|ARGS: ARGS must fail to parse, naming WORD (quoted) in the message.
long=$(printf 'o%.0s' $(seq 64))
bad_cases=(
	'52:54:00:zz:00:01|vf reserve dev eth0 mac 52:54:00:zz:00:01'
	'52:54:00:00:00|vf reserve dev eth0 mac 52:54:00:00:00'
	'52:54:00:00:00:001|vf reserve dev eth0 mac 52:54:00:00:00:001'
	'52-54-00-00-00-01|vf set dev eth0 vf 1 mac 52-54-00-00-00-01'
	'4096|vf reserve dev eth0 vlan 4096'
	'-1|vf reserve dev eth0 vlan -1'
	'8|vf reserve dev eth0 vlan 10 qos 8'
	'qos|vf reserve dev eth0 qos 1'
	'802.1x|vf reserve dev eth0 vlan 10 proto 802.1x'
	'foo|vf reserve dev eth0 foo'
	'res|vf res dev eth0'
	'sh|vf sh'
	'rel|vf rel owner vm1'
	'po|po show'
	'monitorx|monitorx'
	'bogus|pool show bogus'
	'dev|pool add dev'
	'dev|vf reserve dev'
	'owner|vf release owner'
	'0000:04:20.1|vf reserve dev eth0 pci 0000:04:20.1'
	'04:10.8|vf reserve dev eth0 pci 04:10.8'
	'0000:4:10.1|vf reserve dev eth0 pci 0000:4:10.1'
	'5-2|pool add dev eth0 vfs 5-2'
	'5|pool add dev eth0 vfs 5'
	'1-x|pool add dev eth0 vfs 1-x'
	"$long|vf reserve dev eth0 owner $long"
	"$long|vf release owner $long"
	'foo|vf reserve dev eth0 on-release foo'
	'maybe|vf reserve dev eth0 spoofchk maybe'
	'yes|vf reserve dev eth0 trust yes'
	'up|vf reserve dev eth0 state up'
	'1.5|vf reserve dev eth0 max_tx_rate 1.5'
	'exec|vf reserve dev eth0 exec true'
	'exec --|vf reserve dev eth0 exec --'
	'detach|vf reserve dev eth0 hold detach'
	'dev|vf reserve dev eth0 dev eth1'
	'dev PF|vf reserve mac 52:54:00:00:00:01'
	'dev|vf reserve dev eth0 pool p1'
	'vf|vf reserve pool p1 vf 1'
	'0|vf reserve dev eth0 pid 0'
	'12x|vf reserve dev eth0 pid 12x'
	'pidfile|vf reserve dev eth0 pid 1 pidfile /x'
	'pid|vf reserve dev eth0 pid 1 exec -- true'
	'eth0/1|pool show dev eth0/1'
	'aaaaaaaaaaaaaaaa|pool add dev aaaaaaaaaaaaaaaa'
	'vf N|vf set dev eth0 mac 52:54:00:00:00:01'
	'force|vf set dev eth0 vf 1 vlan 2 owner a force'
	'vf N|vf release dev eth0'
	'owner LABEL|vf release'
	'dev PF|vf show vf 1'
	'foo|monitor foo'
	'-x|-x vf show'
	'--bogus|--bogus'
)

# run ARGS...: run vfpoolctl, leaving rc, out, err (and net: the netlink
# sockets it opened, when strace is there).
run() {
	if [ $have_strace = 1 ]; then
		strace -f -qq -e trace=socket -o "$tmp/strace" \
			"$VFPOOLCTL" "$@" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		net=$(grep -c 'AF_NETLINK' "$tmp/strace")
	else
		"$VFPOOLCTL" "$@" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		net=0
	fi
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

check_help() {
	# shellcheck disable=SC2086
	run $1
	[ $rc = 0 ] || { echo "exit status $rc"; return 1; }
	grep -q '^Usage: vfpoolctl' "$tmp/out" || { echo "no usage on stdout"; return 1; }
	[ -z "$err" ] || { echo "stderr: $err"; return 1; }
	[ "$net" = 0 ] || { echo "opened a netlink socket"; return 1; }
}

check_bad() {
	local word=${1%%|*} args=${1#*|} first
	# shellcheck disable=SC2086
	run $args
	first=$(head -n 1 "$tmp/err")
	[ $rc = 1 ] || { echo "exit status $rc"; return 1; }
	[ -z "$out" ] || { echo "stdout: $out"; return 1; }
	case $first in
	"vfpoolctl: "*"\"$word"*) ;;
	*) echo "first line does not quote \"$word\": $first"; return 1 ;;
	esac
	case $err in
	*"module not loaded"* | *"Error: "*) echo "reached the kernel: $err"; return 1 ;;
	esac
	grep -q '^Usage: ' "$tmp/err" || { echo "no usage after the message"; return 1; }
	[ "$net" = 0 ] || { echo "opened a netlink socket"; return 1; }
}

check_version() {
	run -V
	[ $rc = 0 ] && [[ $out == "vfpoolctl "[0-9]* ]]
}

ktap_begin $(( ${#help_cases[@]} + ${#bad_cases[@]} + 1 ))
[ $have_strace = 1 ] || echo "# strace not found: not checking for netlink sockets"
for c in "${help_cases[@]}"; do
	ktap_check "help: vfpoolctl $c" check_help "$c"
done
for c in "${bad_cases[@]}"; do
	ktap_check "rejects: vfpoolctl ${c#*|}" check_bad "$c"
done
ktap_check "version: vfpoolctl -V" check_version
ktap_end
