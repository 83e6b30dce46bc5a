#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The family's netlink plumbing (tools/vfpool_nlcheck.py, raw sockets with
# the spec's numbering): a dump that spans a change is flagged
# NLM_F_DUMP_INTR and one that spans only reads is not; concurrent clients
# each get their own extack text, intact and cut where 6.2+ cuts it, on
# 6.1 as on 6.12; no dump message carries an attribute twice.
#
#   netdevsim A: PF $pf with $NVFS VFs (enough for several dump parts)

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

NVFS=100

test_init
vfpool_setup
pf=$(nsim_pf "$(nsim_id)" $NVFS) || ktap_bail "no netdevsim PF"
"$VFPOOLCTL" pool add dev "$pf" >/dev/null || ktap_bail "cannot enroll $pf"

python3 "$VFPOOL_REPO/selftests/tools/vfpool_nlcheck.py" "$pf" $NVFS
