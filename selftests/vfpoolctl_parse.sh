#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vfpoolctl command-line parsing; needs no module, runs on the host too.
#
#  - "help" at every level (and "help OBJECT [COMMAND]") exits 0 and prints
#    a usage on stdout;
#  - every malformed command line exits 1 with one line on stderr,
#    "Error: <what is wrong>. Try 'vfpoolctl ... help'.", quoting the
#    offending word; nothing on stdout; and no netlink socket is ever opened
#    (checked with strace when it is installed; without it, the message must
#    still be the parse error and not "module not loaded?");
#  - new grammar (vfs N, park, parkmac, ignore-missing, -json, -n) gets past
#    the parser: exit 0 or 2, never a usage error;
#  - -batch stops at the first failing line, naming it, unless -force;
#  - pool apply refuses a bad file with FILE:LINE before any netlink.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

[ -x "$VFPOOLCTL" ] || ktap_bail "no vfpoolctl at $VFPOOLCTL"

test_init

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
	"pool set help"
	"pool apply help"
	"stats help"
	"help vf"
	"help pool"
	"help pool add"
	"help vf release"
	"-json help"
	"-j -p vf help"
	"-jp pool help"
	"--json pool show help"
	"help help"
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
	'5-|pool add dev eth0 vfs 5-'
	'-5|pool add dev eth0 vfs -5'
	'99999999999|pool add dev eth0 vfs 99999999999'
	'bogus|pool add dev eth0 park bogus'
	'0|pool add dev eth0 park vlan 0'
	'4096|pool add dev eth0 park vlan 4096'
	'park|pool add dev eth0 park'
	'vlan|pool add dev eth0 park vlan'
	'01:00:5e:00:00:01|pool add dev eth0 parkmac 01:00:5e:00:00:01'
	'park|pool add dev eth0 park none park none'
	'vfs|pool set dev eth0 vfs 1-2'
	'dev PF|pool set name p1'
	'force|pool set dev eth0 force'
	'force|pool del dev eth0 force force'
	'name|pool del dev eth0 name x'
	'ignore-missing|vf release owner a ignore-missing ignore-missing'
	'ignore-missing|vf show ignore-missing'
	'foo|stats foo'
	'prometheus|stats prometheus prometheus'
	'FILE|pool apply'
	'x|pool apply /etc/vfpool/pools.conf x'
	'-n|-n'
	'-batch|-batch'
	'extra|-batch - extra'
	'extra|help vf show extra'
	'-js|-js vf show'
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
	'-s|-s vf show'
)

# ARGS: new grammar that must parse; without the module (or with no such
# PF) it then fails in the kernel (2), or succeeds (0), never 1.
nopf=vfpnonexist0
good_cases=(
	"pool add dev $nopf vfs 3"
	"pool add dev $nopf vfs 3-3 name p park vlan 4095 parkmac 02:00:00:00:00:01"
	"pool add dev $nopf park link-down"
	"pool set dev $nopf park none"
	"pool del dev $nopf force"
	"pool del dev $nopf"
	"pool set dev $nopf name p2 parkmac 02:11:22:33:44:55"
	"vf release owner vfpool-parse-nobody ignore-missing"
	"vf release dev $nopf vf 1 ignore-missing"
	"-json vf show"
	"-pretty pool show"
	"--json stats"
	"stats --prometheus"
	"stats prometheus"
)

# run ARGS...: run vfpoolctl, leaving rc, out, err (and nerr, the number
# of stderr lines).  No other process per case: a loaded TCG guest makes
# every fork count.
run() {
	"$VFPOOLCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=
	err=
	IFS= read -r -d '' out <"$tmp/out"
	mapfile -t errl <"$tmp/err"
	nerr=${#errl[@]}
	IFS= read -r -d '' err <"$tmp/err"
	out=${out%$'\n'}
	err=${err%$'\n'}
}

# The netlink sockets opened while running every case of a list (one
# strace for all of them: per case it is too slow in a TCG guest).
# --seccomp-bpf stops only at socket(), where strace has it.
sockets_opened() { # LIST-FILE
	local opt=(--seccomp-bpf)
	strace "${opt[@]}" -f -qq -e trace=socket -o /dev/null true 2>/dev/null ||
		opt=()
	strace "${opt[@]}" -f -qq -e trace=socket -o "$tmp/strace" \
		bash -c 'while IFS= read -r l; do eval "\"\$0\" $l" >/dev/null 2>&1; done <"$1"' \
		"$VFPOOLCTL" "$1"
	grep -c AF_NETLINK "$tmp/strace"
}

check_help() {
	# shellcheck disable=SC2086
	run $1
	[ "$rc" = 0 ] || { echo "exit status $rc"; return 1; }
	[[ $out == "Usage: vfpoolctl"* ]] || { echo "no usage on stdout"; return 1; }
	[ -z "$err" ] || { echo "stderr: $err"; return 1; }
}

check_bad() {
	local word=${1%%|*} args=${1#*|}
	# shellcheck disable=SC2086
	run $args
	[ "$rc" = 1 ] || { echo "exit status $rc"; return 1; }
	[ -z "$out" ] || { echo "stdout: $out"; return 1; }
	# one line: Error: ... "WORD" ... Try 'vfpoolctl ... help'.
	[ "$nerr" = 1 ] || { echo "not one line: $err"; return 1; }
	case $err in
	"Error: "*"\"$word"*". Try 'vfpoolctl "*"help'.") ;;
	*) echo "does not quote \"$word\" or point at help: $err"; return 1 ;;
	esac
}

# help, malformed lines and bad apply files never open a netlink socket
check_no_netlink() {
	local c n
	: >"$tmp/list"
	for c in "${help_cases[@]}"; do
		echo "$c" >>"$tmp/list"
	done
	for c in "${bad_cases[@]}"; do
		# shellcheck disable=SC2086  # word-split as run does
		printf '%q ' ${c#*|} >>"$tmp/list"
		echo >>"$tmp/list"
	done
	for c in "$tmp"/apply*.conf; do
		echo "pool apply $c" >>"$tmp/list"
	done
	n=$(sockets_opened "$tmp/list")
	echo "$n netlink sockets over $(wc -l <"$tmp/list") command lines"
	[ "$n" = 0 ]
}

check_good() {
	# shellcheck disable=SC2086
	run $1
	echo "exit $rc: $err"
	[ "$rc" = 0 ] || [ "$rc" = 2 ] || return 1
	case $err in
	*"Try 'vfpoolctl"*) return 1 ;;
	esac
}

# -batch: line 2 fails to parse; line 3 runs only with -force.
check_batch() {
	printf 'pool help\npool add dev eth0 bogus\nvf help\n' >"$tmp/batch"
	run -batch "$tmp/batch"
	echo "exit $rc: $err"
	[ "$rc" = 1 ] || return 1
	grep -q "^Command failed $tmp/batch:2\$" "$tmp/err" || return 1
	grep -q 'unknown keyword "bogus"' "$tmp/err" || return 1
	grep -q '^Usage: vfpoolctl pool' "$tmp/out" || return 1
	! grep -q '^Usage: vfpoolctl vf show' "$tmp/out" || return 1
	run -force -batch "$tmp/batch"
	[ "$rc" = 1 ] && grep -q '^Usage: vfpoolctl vf show' "$tmp/out" || return 1
	# from stdin, quoted words, comments and blank lines
	printf '# comment\n\n  pool "help"  # trailing\n' >"$tmp/batch2"
	"$VFPOOLCTL" -b - <"$tmp/batch2" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = 0 ] && grep -q '^Usage: vfpoolctl pool' "$tmp/out" &&
		[ ! -s "$tmp/err" ]
}

# pool apply FILE: errors are FILE:LINE naming the token; nothing is sent.
# (the file stays, for check_no_netlink)
check_apply_bad() {
	local f=$tmp/apply$1.conf line=$2 word=$3 text=$4
	printf '# vfpool.conf\n\n%b\n' "$text" >"$f"
	run pool apply "$f"
	echo "exit $rc: $err"
	[ "$rc" = 1 ] || return 1
	[ -z "$out" ] || return 1
	grep -q "^$f:$line: .*\"$word\"" "$tmp/err"
}

check_version() {
	run -V
	[ "$rc" = 0 ] && [[ $out == "vfpoolctl "[0-9]* ]]
}

apply_cases=(
	'3|bogus|pf lo bogus 1'
	'3|0000:7f:1f.7|pf 0000:7f:1f.7 vfs 0-3'
	'4|vfpnonexist0|pf lo\npf vfpnonexist0 name x'
	'3|lo|pf lo name x'
	'3|eth0/1|pf eth0/1'
	'3|1-0|pf lo vfs 1-0'
	'3|vlan|pf lo park vlan'
	'3|dev|dev'
)

ktap_begin $(( ${#help_cases[@]} + ${#bad_cases[@]} + ${#good_cases[@]} + \
	${#apply_cases[@]} + 3 ))
for c in "${help_cases[@]}"; do
	ktap_check "$(ktap_name help vfpoolctl "$c")" check_help "$c"
done
for c in "${bad_cases[@]}"; do
	ktap_check "$(ktap_name rejects vfpoolctl "${c#*|}")" check_bad "$c"
done
for c in "${good_cases[@]}"; do
	ktap_check "$(ktap_name parses vfpoolctl "$c")" check_good "$c"
done
i=0
for c in "${apply_cases[@]}"; do
	IFS='|' read -r l w t <<<"$c"
	i=$((i + 1))
	ktap_check "$(ktap_name pool apply refuses line "$l" "$t")" check_apply_bad "$i" "$l" "$w" "$t"
done
ktap_check "batch_stops_at_the_first_error_unless_force" check_batch
if [ "$have_strace" = 1 ]; then
	ktap_check "no_netlink_socket_for_help_and_malformed_lines" check_no_netlink
else
	ktap_fail "no_netlink_socket_for_help_and_malformed_lines" "strace not found (scripts/install-deps.sh installs it)"
fi
ktap_check "version_vfpoolctl_v" check_version
ktap_end
