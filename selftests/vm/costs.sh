#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/costs.sh LOGDIR...   (default: every build/logs/*/latest)
#
# Print "PROFILE SCRIPT SECONDS" for each script the guests of LOGDIR ran
# (their console.log), and "PROFILE @boot SECONDS" for the rest of a guest
# (its run.sh time less its scripts'): the lines of selftests/vm/costs, which check.sh
# uses to deal a profile's scripts over its guests.  Where a script ran
# in several logs the longest time is kept.

set -u
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

[ $# -gt 0 ] || set -- "$REPO"/build/logs/*/latest
for d in "$@"; do
	[ -f "$d/console.log" ] || continue
	p=$(sed -n 's/.*vfpool guest: profile \([^ ]*\) kernel.*/\1/p' "$d/console.log" | head -n 1)
	[ -n "$p" ] || continue
	total=$(cut -d' ' -f3 "$d/status" 2>/dev/null)
	awk -v p="$p" -v total="${total:-0}" '
	/vfpool guest: === .* exit [0-9]+ after [0-9]+s/ {
		print p, $4, $(NF) + 0; sum += $(NF)
	}
	END { if (total > sum) print p, "@boot", total - sum }' "$d/console.log"
done | awk '{ k = $1 " " $2; if (!(k in t) || $3 > t[k]) t[k] = $3 }
	END { for (k in t) print k, t[k] }' | sort -k1,1 -k3,3nr
