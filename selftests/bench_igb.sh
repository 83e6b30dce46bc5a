#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The driver share of a kill on a real PF driver (`make bench PROFILE=igb`):
# bench_vfpool --share-only on the igb profile's emulated 82576 with its 7
# VFs, tracing igb's ndo_set_vf_* / ndo_get_vf_config.  netdevsim's VF ops
# only store a few bytes; igb's program the NIC (receive address and VLAN
# filter registers) and message the VF through its mailbox, which is what
# the share is about (Documentation/performance.rst).  Skips on the
# netdevsim profiles.  BENCH_REPS (default 20) kills; BENCH_ARGS more
# options.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

test_init

bin=$VFPOOL_REPO/selftests/bench_vfpool
[ -x "$bin" ] || { echo "Bail out! $bin not built"; exit 1; }

vf_drivers_gone() { guest_modprobe -r vfio_pci igbvf 2>/dev/null; }
defer vf_drivers_gone
igb_pf_setup 7
vfpool_unload
defer vfpool_unload
vfpool_load || { echo "Bail out! vfpool.ko does not load"; exit 1; }

# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
"$bin" --share-only --pf-big "$pf" --big 7 --driver igb_ndo_ \
	--reps "${BENCH_REPS:-20}" ${BENCH_ARGS:-}
