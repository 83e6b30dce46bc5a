#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark of `make bench` (selftests/vm/check.sh --bench PROFILE):
# bench_vfpool (a libmnl client, selftests/bench_vfpool.c) times vfpool
# against rtnetlink side by side on netdevsim PFs of 2048 and 256 VFs, plus
# a second 2048-VF PF that vfpool never enrolls (the rtnetlink side). Its
# KTAP cases check the counting (VFs listed, no double allocation, every VF
# free and zeroed after); the timings, the table and the "# BENCH_JSON"
# line (check.sh writes it to build/bench/bench.json on the host) are
# diagnostics. Documentation/performance.rst explains every row.
#
# BENCH_VFS (default 2048), BENCH_SMALL (256), BENCH_REPS (5) and
# BENCH_ARGS (e.g. --quick) change the run.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

BIG=${BENCH_VFS:-2048}
SMALL=${BENCH_SMALL:-256}
REPS=${BENCH_REPS:-5}
A=$((RANDOM % 300 + 9100))
B=$((A + 300))
C=$((A + 600))

test_init

bin=$VFPOOL_REPO/selftests/bench_vfpool
[ -x "$bin" ] || { echo "Bail out! $bin not built"; exit 1; }

vfpool_unload
defer vfpool_unload
# A module that does not load is a failure, not a skip.
vfpool_load || { echo "Bail out! vfpool.ko does not load"; exit 1; }
big=$(nsim_pf "$A" "$BIG") || { echo "Bail out! netdevsim $BIG VFs"; exit 1; }
small=$(nsim_pf "$B" "$SMALL") || { echo "Bail out! netdevsim $SMALL VFs"; exit 1; }
raw=$(nsim_pf "$C" "$BIG") || { echo "Bail out! netdevsim $BIG VFs"; exit 1; }
# PFs are up, as in use: rtnetlink then announces each RTM_SETLINK
# (NETDEV_CHANGE), which is what lets vfpool rely on its own record of the
# VFs (Documentation/performance.rst).
for pf in "$big" "$small" "$raw"; do
	/sbin/ip link set dev "$pf" up || { echo "Bail out! $pf up"; exit 1; }
done

# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
"$bin" --pf-big "$big" --big "$BIG" --pf-small "$small" --small "$SMALL" \
	--pf-raw "$raw" --reps "$REPS" ${BENCH_ARGS:-}
