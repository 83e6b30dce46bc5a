#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Socket-lifetime rules, driven by vfpool_sockets (kselftest_harness.h and
# libnl-genl-3, an independent second client): concurrent reservers never
# share a VF, kill -9 of a holder resets its VF, a forked child sharing the
# socket keeps the VF until both exit, a recycled portid inherits nothing.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

NVFS=16

bin=$VFPOOL_TESTS/vfpool_sockets
[ -x "$bin" ] || ktap_bail "vfpool_sockets not built"

test_init
vfpool_setup
pf=$(enrolled_pf "$(nsim_id)" $NVFS) || ktap_bail "cannot create and enroll a netdevsim PF"

VFPOOL_TEST_PF=$pf VFPOOL_TEST_NVFS=$NVFS "$bin"
