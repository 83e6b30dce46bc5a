#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Socket-lifetime rules, driven by vfpool_sockets (kselftest_harness.h and
# libnl-genl-3, an independent second client): concurrent reservers never
# share a VF, kill -9 of a holder resets its VF, a forked child sharing the
# socket keeps the VF until both exit, a recycled portid inherits nothing.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

NSIM_ID=$((RANDOM % 1000 + 1100))
NVFS=16

cleanup() {
	nsim_del "$NSIM_ID"
	vfpool_unload
}
trap cleanup EXIT

bin=$VFPOOL_TESTS/vfpool_sockets
[ -x "$bin" ] || ktap_bail "vfpool_sockets not built"

vfpool_setup
pf=$(nsim_add "$NSIM_ID" $NVFS) || ktap_bail "no netdevsim PF"
"$VFPOOLCTL" pool add dev "$pf" >/dev/null || ktap_bail "cannot enroll $pf"

VFPOOL_TEST_PF=$pf VFPOOL_TEST_NVFS=$NVFS "$bin"
