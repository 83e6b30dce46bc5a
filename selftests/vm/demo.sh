#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the stock Debian 6.1 guest and walk through vfpool on a
# netdevsim PF (selftests/vm/demo-guest.sh does the walking).

set -eu
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

profile=${PROFILE:-6.1}
"$REPO/scripts/install-deps.sh"
"$VM_DIR/prepare.sh" "$profile"
"$VM_DIR/build.sh" "$profile"
exec "$VM_DIR/run.sh" --script "$VM_DIR/demo-guest.sh" "$profile"
