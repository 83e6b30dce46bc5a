#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check's run of the benchmark (bench_vfpool --quick): small PFs, one
# repetition, and only its counting is judged: every VF listed by the dump,
# every reserve/release cycle seen through its vf-released-ntf, no VF handed
# to two of 16 concurrent clients, every VF free and zeroed (vfpool dump and
# rtnetlink) after the killed holder and at the end. Timing is not checked.

BENCH_VFS=64 BENCH_SMALL=16 BENCH_REPS=1 BENCH_ARGS=--quick \
	exec "$(dirname "$0")/bench_vfpool.sh"
