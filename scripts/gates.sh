#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove that the test gates catch what they are meant to catch: build a
# throwaway vfpool.ko from a scratch copy of kernel/ with one deliberate
# defect (selftests/gates/*.sed; nothing under kernel/ changes) and run
# tests against it with VFPOOL_KO.  Each gate passes when the run FAILS
# the way it should:
#   lock-inversion  debug kernel, vfpool_lifecycle.sh: lockdep reports a
#                   possible circular locking dependency (run.sh exit 2)
#   no-urelease     6.1, vfpool_lifecycle.sh vfpool_fuzz.sh: the URELEASE
#                   cleanup is gone, tests fail (run.sh exit 1)
#
#   scripts/gates.sh [GATE...]      (default: both)

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../selftests/vm/common.sh
. "$top/selftests/vm/common.sh"

gate() { # NAME PROFILE WANT-EXIT PATTERN TESTS...
	local name=$1 profile=$2 want=$3 pat=$4 dir rc
	shift 4
	dir=$top/build/gates/$name
	rm -rf "$dir"
	mkdir -p "$dir/logs" "$top/build/logs/$profile"
	cp -a "$top/Kbuild" "$top/kernel" "$top/uapi" "$dir/"
	find "$dir" \( -name '*.o' -o -name '.*.cmd' -o -name '*.mod*' -o -name '*.ko' \) -delete
	sed -i -f "$top/selftests/gates/$name.sed" "$dir/kernel/holder.c"
	if cmp -s "$top/kernel/holder.c" "$dir/kernel/holder.c"; then
		echo "gate $name: the defect no longer applies to kernel/holder.c: update selftests/gates/$name.sed"
		return 1
	fi
	(
		profile_setup "$profile"
		make -s -C "$KDIR" M="$dir" -j"$(nproc)" modules > "$dir/build.log" 2>&1
	) || { echo "gate $name: build failed ($dir/build.log)"; return 1; }
	VFPOOL_KO=$dir/vfpool.ko VFPOOL_LOGDIR=$dir/logs \
		"$top/selftests/vm/run.sh" "$profile" "$@" > "$dir/run.log" 2>&1
	rc=$?
	if [ "$rc" = "$want" ] && grep -qE "$pat" "$dir/logs/console.log" "$dir/logs/result.ktap"; then
		echo "gate $name: caught (run.sh exit $rc, /$pat/ in $dir/logs)"
		return 0
	fi
	echo "gate $name: NOT caught: run.sh exit $rc (wanted $want and /$pat/); see $dir/run.log"
	return 1
}

rc=0
for g in "${@:-lock-inversion no-urelease}"; do
	for g1 in $g; do
		case $g1 in
		lock-inversion)
			gate lock-inversion debug 2 "possible circular locking dependency" \
				vfpool_lifecycle.sh || rc=1 ;;
		no-urelease)
			gate no-urelease 6.1 1 "^not ok" vfpool_lifecycle.sh vfpool_fuzz.sh || rc=1 ;;
		*) echo "unknown gate $g1"; rc=1 ;;
		esac
	done
done
exit $rc
