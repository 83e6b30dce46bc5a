#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of make demo; runs as root in the guest, output is the show.

set -u
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$VFPOOL_REPO/selftests/lib.sh"

step() { printf '\n\033[1m### %s\033[0m\n' "$*"; }
run() { printf '\033[36m# %s\033[0m\n' "$*"; "$@"; }

step "a netdevsim PF with 4 VFs (what an SR-IOV NIC looks like to ip link)"
pf=$(nsim_add 1 4) || { echo "netdevsim setup failed"; exit 1; }
run ip link show dev "$pf"

step "load vfpool: the generic netlink family appears"
run vfpool_load || exit 1
run genl ctrl get name vfpool

step "set a stale MAC on VF 2 by hand, as a crashed manager would leave it"
run ip link set dev "$pf" vf 2 mac 52:54:00:de:ad:00 vlan 99
run ip link show dev "$pf"

step "enroll the PF into pool net0: vfpool owns its VFs and resets them all"
run "$VFPOOLCTL" pool add dev "$pf" name net0
run "$VFPOOLCTL" pool show
run ip link show dev "$pf"

step "reserve a VF for vm1 with a MAC and VLAN; a sleep holds the reservation"
ready=$(mktemp)
"$VFPOOLCTL" vf reserve pool net0 mac 52:54:00:12:34:56 vlan 100 owner vm1 \
	exec -- sh -c "echo \$VFPOOL_VF > $ready; exec sleep 100000" &
holder=$!
busywait 20000 test -s "$ready" || { echo "reservation failed"; exit 1; }
echo "holder pid $holder holds VF $(cat "$ready")"
run "$VFPOOLCTL" vf show
run ip link show dev "$pf"

step "a second reservation of the same MAC on this PF is refused"
run "$VFPOOLCTL" vf reserve dev "$pf" mac 52:54:00:12:34:56 exec -- true

step "kill the holder with SIGKILL: no release path runs in userspace"
run kill -9 "$holder"
wait "$holder" 2>/dev/null
vf=$(cat "$ready")
freed() { [ "$(vf_field "$pf" "$vf" mac)" = 00:00:00:00:00:00 ]; }
busywait 20000 freed

step "the kernel reset the VF and returned it to the pool"
run ip link show dev "$pf"
run "$VFPOOLCTL" vf show
rm -f "$ready"

step "unload vfpool"
nsim_del 1
run vfpool_unload
