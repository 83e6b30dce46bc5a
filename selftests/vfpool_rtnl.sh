#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Living beside rtnetlink at scale: vfpool announces its VF writes the way
# rtnetlink does (RTM_NEWLINK for the PF) but once per batch, not once per
# VF.  Counted by a RTMGRP_LINK listener (ip monitor cannot parse a PF
# with 2048 VFs) between two alias markers on lo:
# enrolling 2048 VFs (each parked link-down), the mass reset of 100 VFs of
# a killed holder, and un-enrolling with 100 held VFs each send one or two
# RTM_NEWLINK for the PF, where one per VF was 2048 / 100.
#
#   netdevsim A: PF $pf, 2048 VFs     netdevsim B: PF $pfb, 128 VFs

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
mon=$tmp/monitor
out=$tmp/hold.out
vfpool_setup
A=$(nsim_id 2)
{ pf=$(nsim_pf "$A" 2048) && pfb=$(nsim_pf $((A + 1)) 128); } ||
	ktap_bail "no netdevsim with 2048 VFs"

# netdev_state_change() announces only an up device.
{ /sbin/ip link set dev "$pf" up && /sbin/ip link set dev "$pfb" up; } ||
	ktap_bail "cannot set netdevsim up"
# One line per RTM_NEWLINK: "ifname alias".
python3 -u - > "$mon" <<'PY' &
import socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE
s.setsockopt(socket.SOL_SOCKET, 33, 1 << 24)  # SO_RCVBUFFORCE
s.bind((0, 1))  # RTMGRP_LINK
while True:
    data = s.recv(1 << 20)
    while len(data) >= 16:
        ln, typ = struct.unpack_from("IH", data)
        if typ == 16:  # RTM_NEWLINK
            name = alias = "-"
            off = 32
            while off + 4 <= ln:
                alen, atyp = struct.unpack_from("HH", data, off)
                if alen < 4:
                    break
                val = data[off + 4:off + alen].rstrip(b"\0").decode(errors="replace")
                if atyp == 3:
                    name = val
                elif atyp == 20:
                    alias = val
                off += (alen + 3) & ~3
            print(name, alias)
        data = data[(ln + 3) & ~3:]
PY
monpid=$!
track "$monpid"
marks=0
# mark: a new alias on lo, set until the monitor printed it (the first
# time, until the monitor listens); all printed before it came before it.
mark() {
	local i
	marks=$((marks + 1))
	for i in 1 2 3 4 5 6 7 8 9 10; do
		/sbin/ip link set dev lo alias "vfpoolmark$marks-$i"
		busywait 3000 grep -q "vfpoolmark$marks-" "$mon" && return 0
	done
	return 1
}
# newlinks DEV: RTM_NEWLINK lines for DEV between the last two marks.
newlinks() {
	awk -v a="vfpoolmark$((marks - 1))-" -v b="vfpoolmark$marks-" -v dev="$1" '
		index($0, b) { exit }
		index($0, a) { on = 1; next }
		on && $1 == dev { n++ }
		END { print n + 0 }' "$mon"
}
# once NAME DEV: between one and two RTM_NEWLINK for DEV.
once() {
	local n
	n=$(newlinks "$2")
	if [ "$n" -ge 1 ] && [ "$n" -le 2 ]; then
		echo "# $1: $n RTM_NEWLINK"
		ktap_ok "$1"
	else
		ktap_fail "$1" "$n RTM_NEWLINK for $2"
	fi
}

ktap_begin 6

mark
"$VFPOOLCTL" pool add dev "$pf" >/dev/null
mark
once "enroll_2048_one_newlink" "$pf"
# ip link lists only the first ~220 VFs: the live config through vfpool.
ktap_check "enroll_parked_link_down" out_is disable vp_vf "$pf" 2047 .link_state

"$VFPOOLCTL" pool add dev "$pfb" >/dev/null
python3 "$VFPOOL_REPO/selftests/tools/vfpool_nl.py" hold "$pfb" 100 > "$out" &
hpid=$!
track "$hpid"
busywait 120000 grep -q held "$out"
ktap_check "holds_100" out_is 100 vp_count '.state == "reserved"' dev "$pfb"
mark
kill_wait "$hpid"
busywait 60000 out_is 128 vp_count '.state == "free"' dev "$pfb"
mark
once "mass_reset_one_newlink" "$pfb"

: > "$out"
python3 "$VFPOOL_REPO/selftests/tools/vfpool_nl.py" hold "$pfb" 100 > "$out" &
hpid=$!
track "$hpid"
busywait 120000 grep -q held "$out"
mark
"$VFPOOLCTL" pool del dev "$pfb" force
kill_wait "$hpid"
mark
once "unenroll_one_newlink" "$pfb"
ktap_check "unenroll_reset_vfs" vf_has "$pfb" 99 00:00:00:00:00:00 0

ktap_end
