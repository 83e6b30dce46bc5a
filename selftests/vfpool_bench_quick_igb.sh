#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The driver-share benchmark of the igb profile (bench_igb.sh), small and
# once, as make check runs it: two traced kills of a holder of all 7 VFs
# of the 82576; every kill's 7 vf-released-ntf seen, igb's ndo calls
# traced, every VF free and zeroed after (vfpool dump and rtnetlink).
# Counting only; the timings are `make bench PROFILE=igb`'s.  Skips off
# the igb profile.

BENCH_REPS=2 exec "$(dirname "$0")/bench_igb.sh"
