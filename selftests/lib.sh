# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every vfpool selftest; runs under bash, in the guest (see
# selftests/vm/guest-init.sh for the environment it provides) or from an
# installed kselftest tree (make -C selftests install / run_tests):
#   VFPOOL_REPO     the repository (read-only)
#   VFPOOL_PROFILE  6.1, 6.12, debug or igb (unset: not a harness guest)
#   VFPOOL_KO       vfpool.ko built for the running kernel (unset:
#                   modprobe vfpool)
#   VFPOOL_KVER     the running kernel's release
#   VFPOOL_MODROOT  modprobe -d root holding the guest kernel's modules
#                   (unset: the running system's)
#   VFPOOL_TIMEOUT_SCALE  how much slower than the stock guest (waits)
# and exports VFPOOLCTL: the vfpoolctl beside the tests (installed tree) or
# the repo's.  Test files are found beside the scripts (VFPOOL_TESTS).
#
# Output is KTAP on stdout; diagnostics go to stderr (the console log).
# Exit: 0 all passed, 1 something failed, 4 everything skipped.

# shellcheck shell=bash

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
VFPOOL_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VFPOOL_REPO=${VFPOOL_REPO:-$(cd "$VFPOOL_TESTS/.." && pwd)}
if [ -x "$VFPOOL_TESTS/vfpoolctl" ]; then
	export VFPOOLCTL=$VFPOOL_TESTS/vfpoolctl
else
	export VFPOOLCTL=$VFPOOL_REPO/userspace/vfpoolctl
fi

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

_ktap_plan=0
_ktap_n=0
_ktap_pass=0
_ktap_fail=0
_ktap_skip=0

# ktap_begin N: header and plan of N cases.
ktap_begin() {
	_ktap_plan=$1
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_ok() {
	_ktap_n=$((_ktap_n + 1))
	_ktap_pass=$((_ktap_pass + 1))
	echo "ok $_ktap_n $1"
}

# ktap_fail NAME [DIAG...]: DIAG lines go out as KTAP diagnostics.
ktap_fail() {
	local name=$1 l
	shift
	_ktap_n=$((_ktap_n + 1))
	_ktap_fail=$((_ktap_fail + 1))
	for l in "$@"; do
		printf '%s\n' "$l" | sed 's/^/# /'
	done
	echo "not ok $_ktap_n $name"
}

ktap_skip() {
	_ktap_n=$((_ktap_n + 1))
	_ktap_skip=$((_ktap_skip + 1))
	echo "ok $_ktap_n $1 # SKIP $2"
}

# ktap_name TEXT...: TEXT as a case name in the suite's one style,
# lower_snake_case (for names built from data, such as the command a case
# runs).
ktap_name() {
	local n="${*,,}"
	n=${n//[^a-z0-9]/_}
	while [[ $n == *__* ]]; do n=${n//__/_}; done
	n=${n#_}
	echo "${n%_}"
}

# ktap_check NAME CMD...: one case, passing when CMD succeeds; CMD's output
# becomes the diagnostic of a failure.
ktap_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ktap_ok "$name"
	else
		ktap_fail "$name" "failed: $*" "$out"
	fi
}

# ktap_end: exit with the kselftest status for what was reported.
ktap_end() {
	if [ "$_ktap_n" != "$_ktap_plan" ]; then
		echo "# planned $_ktap_plan cases, reported $_ktap_n"
		_ktap_fail=$((_ktap_fail + 1))
	fi
	if [ $_ktap_fail -gt 0 ]; then
		echo "# $_ktap_pass passed, $_ktap_fail failed, $_ktap_skip skipped"
		exit $KSFT_FAIL
	fi
	if [ $_ktap_n -gt 0 ] && [ $_ktap_skip = "$_ktap_n" ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

# ktap_skip_all REASON: the whole script does not apply here, because
# what it tests is truly absent on this machine (the emulated igb NIC on a
# netdevsim-only guest).  Never for something broken: see ktap_bail.
ktap_skip_all() {
	echo "KTAP version 1"
	echo "1..0 # SKIP $1"
	exit $KSFT_SKIP
}

# absent_unless PROFILE REASON: what the script tests is missing.  On
# PROFILE, the one that provides it (igb: the emulated 82576), that is a
# failure; anywhere else the script does not apply and skips.
absent_unless() {
	[ "${VFPOOL_PROFILE:-}" != "$1" ] || ktap_bail "$2 (on the $1 profile)"
	ktap_skip_all "$2 ($1 profile only)"
}

# ktap_bail REASON: a prerequisite the script needs failed (vfpool.ko does
# not load, no PF, enrollment refused, a tool missing): one failed case,
# exit 1.  A broken module must fail every script, not skip it.
ktap_bail() {
	if [ "$_ktap_plan" = 0 ]; then
		echo "KTAP version 1"
		echo "1..1"
		echo "not ok 1 setup # $1"
	else
		echo "# Bail out! $1"
		echo "not ok $((_ktap_n + 1)) setup # $1"
	fi
	exit $KSFT_FAIL
}

# need_cmd CMD...: each CMD must be installed (a missing tool fails).
need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || ktap_bail "$c not found"
	done
}

# vfpool_setup [PARAM=VALUE...]: vfpool.ko freshly loaded and vfpoolctl
# present, or a failure; after test_init, unloaded again at exit.
vfpool_setup() {
	need_cmd ip jq python3
	[ -x "$VFPOOLCTL" ] || ktap_bail "no vfpoolctl at $VFPOOLCTL"
	vfpool_unload || ktap_bail "cannot unload a previous vfpool"
	[ -z "$_defer_file" ] || defer vfpool_unload
	vfpool_load "$@" || ktap_bail "vfpool.ko does not load"
}

# vfpool_use: vfpool loaded (whatever instance is, for a run against an
# installed module) and vfpoolctl present, or a failure; a module loaded
# here is unloaded at exit (needs test_init).
vfpool_use() {
	need_cmd ip jq
	[ -x "$VFPOOLCTL" ] || ktap_bail "no vfpoolctl at $VFPOOLCTL"
	vfpool_loaded && return 0
	defer vfpool_unload
	# shellcheck disable=SC2119
	vfpool_load || ktap_bail "cannot load vfpool"
}

log() { echo "[$(basename "$0")] $*" >&2; }

# The cleanup stack, in the style of selftests/net/lib.sh's defer: each
# setup step registers its undo right after it succeeds (`defer nsim_del
# "$id"`), and the undos run newest first: background holders die before
# their PF is deleted, the PF goes before vfpool is unloaded, the temporary
# directory last.  defer_scope_push / defer_scope_pop bracket one case
# (run_test), so what a case started is gone when it ends, passed or not.
#
# The stack is a file, not a shell array: every case runs inside
# ktap_check's $(...) subshell, where an array assignment is lost on return
# and a process the case forgot would outlive it.  Each entry is one line, a
# command quoted with printf %q; a scope opens with a line "#scope".
_defer_file=""

# defer CMD [ARG...]: run CMD ARG... when the current scope ends.
defer() {
	local line
	[ -n "$_defer_file" ] || ktap_bail "defer before test_init"
	printf -v line '%q ' "$@"
	# one write: a background case deferring at the same time cannot
	# interleave with it
	printf '%s\n' "$line" >> "$_defer_file"
}

defer_scope_push() {
	[ -n "$_defer_file" ] || ktap_bail "defer_scope_push before test_init"
	echo "#scope" >> "$_defer_file"
}

# _defer_run_from N: forget the entries after line N, then run them newest
# first (an undo that defers again adds to what is left).  Their output is
# diagnostics, never KTAP: stdout goes to stderr.
_defer_run_from() {
	local -a lines
	local i
	mapfile -t lines < "$_defer_file"
	if [ "$1" -gt 0 ]; then
		printf '%s\n' "${lines[@]:0:$1}" > "$_defer_file"
	else
		: > "$_defer_file"
	fi
	for ((i = ${#lines[@]} - 1; i >= $1; i--)); do
		[ "${lines[i]}" = "#scope" ] || eval "${lines[i]}" >&2
	done
}

# defer_scope_pop: run what was deferred since the last defer_scope_push.
defer_scope_pop() {
	local top
	top=$(grep -n '^#scope$' "$_defer_file" | tail -n 1 | cut -d: -f1)
	[ -n "$top" ] || { log "defer_scope_pop without a scope"; return 1; }
	_defer_run_from $((top - 1))
}

# defer_scopes_cleanup: run everything deferred (the EXIT trap).
defer_scopes_cleanup() {
	[ -n "$_defer_file" ] && [ -f "$_defer_file" ] || return 0
	_defer_run_from 0
	rm -f "$_defer_file"
}

# test_init: the setup every script starts with: the cleanup stack, run on
# EXIT, and a temporary directory $tmp, removed last.
test_init() {
	_defer_file=$(mktemp) || ktap_bail "mktemp"
	trap defer_scopes_cleanup EXIT
	tmp=$(mktemp -d) || ktap_bail "mktemp -d"
	defer rm -rf "$tmp"
}

# Background processes (holders, detached daemons, monitors, the sleeps
# they follow) are tracked on lib.sh's cleanup stack (defer): killed when
# the case (run_test) or the script that started them ends.  Each entry
# carries the process's start time, so that a pid reused since is never
# signalled.

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

_not_alive_as() { [ "$(_starttime "$1")" != "$2" ]; }

# _reap PID STARTTIME: SIGTERM PID if it is still that process (a holder
# then releases its VF), give it 5 s, then SIGKILL; reap it if it is our
# child.
_reap() {
	_not_alive_as "$1" "$2" && { wait "$1" 2>/dev/null; return 0; }
	kill -TERM "$1" 2>/dev/null
	if ! busywait 5000 _not_alive_as "$1" "$2"; then
		kill -KILL "$1" 2>/dev/null
		busywait 5000 _not_alive_as "$1" "$2"
	fi
	wait "$1" 2>/dev/null
	return 0
}

# track PID...: kill PID when the case or script ends (see _reap).
track() {
	local p t
	for p in "$@"; do
		t=$(_starttime "$p") || continue
		defer _reap "$p" "$t"
	done
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

# run_test NAME FN: one KTAP case in a scope of its own: what FN deferred
# (the processes it tracked) is undone when it ends, whether it passed or
# not.
run_test() {
	defer_scope_push
	ktap_check "$@"
	defer_scope_pop
}

# How much slower this guest is than the stock one: run.sh sets it per
# profile (the debug kernel, KASAN and lockdep under TCG: 3) and every wait
# of the suite goes through scaled() or busywait, which apply it.
VFPOOL_TIMEOUT_SCALE=${VFPOOL_TIMEOUT_SCALE:-1}
case $VFPOOL_TIMEOUT_SCALE in
''|*[!0-9]*|0) VFPOOL_TIMEOUT_SCALE=1 ;;
esac
export VFPOOL_TIMEOUT_SCALE

# scaled N: N (seconds or ms) stretched for this guest.
scaled() { echo $(( $1 * VFPOOL_TIMEOUT_SCALE )); }

# busywait TIMEOUT_MS CMD...: poll CMD until it succeeds or time runs out
# (TIMEOUT_MS is for the stock guest, and scaled).  CMD is run again on each
# poll: pass a command or function, never an expanded condition such as
# `test "$(cmd)" = x`, which would be evaluated once.  Waiting on a
# condition instead of sleeping keeps tests both fast and correct on a slow
# (TCG, KASAN) guest.
busywait() {
	local timeout_ms start now
	timeout_ms=$(scaled "$1")
	shift
	start=$(date +%s%N)
	while :; do
		"$@" && return 0
		now=$(date +%s%N)
		[ $(( (now - start) / 1000000 )) -ge "$timeout_ms" ] && return 1
		sleep 0.05
	done
}

# Modules of the guest kernel (not the host's), or of the running system
# outside the harness.
guest_modprobe() {
	if [ -n "${VFPOOL_MODROOT:-}" ]; then
		modprobe -d "$VFPOOL_MODROOT" -S "$VFPOOL_KVER" "$@"
	else
		modprobe "$@"
	fi
}

vfpool_loaded() { [ -d /sys/module/vfpool ]; }

# vfpool_load [PARAM=VALUE...]
vfpool_load() {
	if [ -z "${VFPOOL_KO:-}" ]; then
		modprobe vfpool "$@"
		return
	fi
	[ -f "$VFPOOL_KO" ] || { log "no module at $VFPOOL_KO"; return 1; }
	insmod "$VFPOOL_KO" "$@"
}

_rmmod_vfpool() { rmmod vfpool 2>/dev/null; }

# vfpool_unload: held, resetting and lingering VFs pin the module (rmmod
# says "in use"); a holder killed just before is released by the module's
# work a moment later, so retry for a while before failing.
vfpool_unload() {
	vfpool_loaded || return 0
	busywait 10000 _rmmod_vfpool || rmmod vfpool || return 1
	! vfpool_loaded
}

nsim_dev_dir() { echo "/sys/bus/netdevsim/devices/netdevsim$1"; }

_nsim_netdev() {
	local d
	d=$(nsim_dev_dir "$1")/net
	[ -d "$d" ] || return 1
	# shellcheck disable=SC2012
	ls "$d" 2>/dev/null | head -n 1 | grep .
}

# nsim_add ID NUM_VFS: a netdevsim device with one port and NUM_VFS VFs;
# prints the PF's ifname.
nsim_add() {
	local id=$1 nvfs=$2 dbg pf
	dbg=/sys/kernel/debug/netdevsim/netdevsim$id
	[ -d /sys/bus/netdevsim ] || guest_modprobe netdevsim || return 1
	echo "$id 1" > /sys/bus/netdevsim/new_device || return 1
	busywait 5000 _nsim_netdev "$id" >/dev/null ||
		{ log "netdevsim$id: no netdev appeared"; return 1; }
	pf=$(_nsim_netdev "$id")
	if [ "$nvfs" -gt 4 ]; then
		echo "$nvfs" > "$dbg/max_vfs" || return 1
	fi
	if [ "$nvfs" -gt 0 ]; then
		echo "$nvfs" > "$(nsim_dev_dir "$id")/sriov_numvfs" || return 1
	fi
	echo "$pf"
}

nsim_del() {
	[ -d "$(nsim_dev_dir "$1")" ] || return 0
	echo "$1" > /sys/bus/netdevsim/del_device
}

# nsim_id [COUNT]: a random netdevsim ID such that it and the COUNT-1 after
# it (default 1) are free: no fixed ID can collide with another script's
# device or with one a failed run left behind.
nsim_id() {
	local n=${1:-1} id i
	while :; do
		id=$((RANDOM % 30000 + 1000))
		for ((i = 0; i < n; i++)); do
			[ ! -e "$(nsim_dev_dir $((id + i)))" ] || continue 2
		done
		echo "$id"
		return 0
	done
}

# nsim_pf ID NUM_VFS: nsim_add, deleted again when the scope ends (needs
# test_init); prints the PF's ifname.
nsim_pf() {
	defer nsim_del "$1"
	nsim_add "$@"
}

# nsim_set_vfs ID N: netdevsim refuses to go from one non-zero count to
# another, so pass through zero.
nsim_set_vfs() {
	local f
	f=$(nsim_dev_dir "$1")/sriov_numvfs
	echo 0 > "$f" && echo "$2" > "$f"
}

# nsim_quirk ID KNOB [VALUE]: set (or print) a test-only VF quirk of
# netdevsim device ID: refuse_zero_mac, eagain, legacy, no_get_config,
# fail_vfs, refused (selftests/vm/netdevsim-quirks.patch says what each
# does).  Fails when the netdevsim loaded lacks the patch.
nsim_quirk() {
	local f=/sys/kernel/debug/netdevsim/netdevsim$1/vf_quirks/$2
	[ -e "$f" ] || { log "netdevsim$1: no VF quirk $2 (netdevsim unpatched?)"; return 1; }
	if [ $# -ge 3 ]; then
		echo "$3" > "$f"
	else
		cat "$f"
	fi
}

# first_netdev PCI-ADDR: the netdev a driver registered for a PCI function.
first_netdev() {
	local d
	for d in "/sys/bus/pci/devices/$1/net/"*; do
		[ -e "$d" ] && { basename "$d"; return 0; }
	done
	return 1
}

# igb_pf_setup NUM_VFS: the igb profile's emulated 82576 (8086:10c9, the
# PF at 0000:01:00.0) driven by the real igb, its netdev up, with NUM_VFS
# VFs, back to none when the script ends (needs test_init).  Sets PF_PCI,
# PF_SYS and pf.  Where the NIC is absent the script skips; on the igb
# profile that is a failure (absent_unless).
igb_pf_setup() {
	PF_PCI=0000:01:00.0
	PF_SYS=/sys/bus/pci/devices/$PF_PCI
	[ "$(cat "$PF_SYS/vendor" 2>/dev/null):$(cat "$PF_SYS/device" 2>/dev/null)" = 0x8086:0x10c9 ] ||
		absent_unless igb "no emulated igb PF at $PF_PCI"
	guest_modprobe igb 2>/dev/null
	busywait 10000 first_netdev "$PF_PCI" >/dev/null
	[ "$(basename "$(readlink "$PF_SYS/driver" 2>/dev/null)")" = igb ] ||
		ktap_bail "$PF_PCI is not driven by igb"
	pf=$(first_netdev "$PF_PCI") || ktap_bail "no netdev for $PF_PCI"
	ip link set dev "$pf" up
	defer igb_set_vfs 0
	igb_set_vfs "$1" || ktap_bail "cannot create $1 VFs on $pf"
}

# igb_set_vfs N: N VFs on the igb PF (through zero, as from one non-zero
# count to another the PCI core refuses).
igb_set_vfs() {
	[ -w "$PF_SYS/sriov_numvfs" ] || return 1
	[ "$(cat "$PF_SYS/sriov_numvfs")" = 0 ] || echo 0 > "$PF_SYS/sriov_numvfs"
	[ "$1" = 0 ] || echo "$1" > "$PF_SYS/sriov_numvfs"
}

# pf_vf_count PF: VFs rtnetlink reports for PF (complete up to ~220).
pf_vf_count() {
	ip -j link show dev "$1" | jq '.[0].vfinfo_list // [] | length'
}

# vf_field PF VF FIELD: one VF attribute as ip link reports it.
# FIELD: mac vlan qos proto spoofchk trust link_state min_tx_rate
# max_tx_rate. vlan/qos/proto read 0/0/802.1Q when no VLAN is set.
vf_field() {
	local pf=$1 vf=$2 field=$3 expr
	case $field in
	mac) expr='.address' ;;
	vlan) expr='(.vlan_list[0].vlan // .vlan // 0)' ;;
	qos) expr='(.vlan_list[0].qos // .qos // 0)' ;;
	proto) expr='(.vlan_list[0].protocol // .protocol // "802.1Q")' ;;
	spoofchk) expr='.spoofchk' ;;
	trust) expr='.trust' ;;
	link_state) expr='.link_state' ;;
	min_tx_rate) expr='(.rate.min_tx // 0)' ;;
	max_tx_rate) expr='(.rate.max_tx // 0)' ;;
	*) log "vf_field: unknown field $field"; return 1 ;;
	esac
	ip -j link show dev "$pf" |
		jq -er --argjson vf "$vf" ".[0].vfinfo_list[] | select(.vf == \$vf) | $expr"
}

# genl_family_id NAME: the family's id, through a raw NETLINK_GENERIC
# socket of its own (independent of vfpoolctl and of any genl library).
genl_family_id() {
	genl_ctrl_query "$1" id
}

# genl_ctrl_query NAME id|mcgrps: CTRL_CMD_GETFAMILY, printing the id or
# the multicast group names one per line; fails if the family is unknown.
genl_ctrl_query() {
	python3 - "$1" "$2" <<'EOF'
import socket, struct, sys
name, what = sys.argv[1], sys.argv[2]
NETLINK_GENERIC, GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
CTRL_ATTR_MCAST_GRP_NAME = 1
NLM_F_REQUEST, NLMSG_ERROR = 1, 2

def attrs(buf):
    while len(buf) >= 4:
        ln, typ = struct.unpack_from("HH", buf)
        if ln < 4:
            break
        yield typ & 0x3fff, buf[4:ln]
        buf = buf[(ln + 3) & ~3:]

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
val = name.encode() + b"\0"
attr = struct.pack("HH", 4 + len(val), CTRL_ATTR_FAMILY_NAME) + val
attr += b"\0" * (-len(attr) % 4)
payload = struct.pack("BBH", CTRL_CMD_GETFAMILY, 1, 0) + attr
s.send(struct.pack("IHHII", 16 + len(payload), GENL_ID_CTRL, NLM_F_REQUEST, 1, 0) + payload)
msg = s.recv(65536)
ln, typ = struct.unpack_from("IH", msg)
if typ == NLMSG_ERROR:
    err = struct.unpack_from("i", msg, 16)[0]
    print(f"family {name}: error {err}", file=sys.stderr)
    sys.exit(1)
for t, v in attrs(msg[20:ln]):
    if what == "id" and t == CTRL_ATTR_FAMILY_ID:
        print(struct.unpack("H", v[:2])[0])
    if what == "mcgrps" and t == CTRL_ATTR_MCAST_GROUPS:
        for _, grp in attrs(v):
            for gt, gv in attrs(grp):
                if gt == CTRL_ATTR_MCAST_GRP_NAME:
                    print(gv.rstrip(b"\0").decode())
EOF
}

# Taint bits a test must not add: W (warn) D (die) B (bad page) L (soft lockup)
# and friends; O (out-of-tree) and E (unsigned) are expected for vfpool.ko.
taint_bad() {
	echo $(( $(cat /proc/sys/kernel/tainted) & ~(4096 | 8192) ))
}
