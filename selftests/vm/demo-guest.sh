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

step "enroll the PF into a pool"
echo "(not yet)"
step "reserve a VF with a MAC and VLAN for vm1"
echo "(not yet)"
step "kill the holder with SIGKILL"
echo "(not yet)"
step "the VF was reset and is free again"
echo "(not yet)"

step "unload vfpool"
nsim_del 1
run vfpool_unload
