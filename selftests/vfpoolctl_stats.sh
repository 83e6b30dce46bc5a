#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vfpoolctl stats [prometheus] on three netdevsim PFs: A (4 VFs) and B (2)
# in pool "red", C (2) without a pool name; one VF of A held.
#
#   prometheus   node_exporter textfile format: each metric has one HELP and
#                one TYPE gauge line before its samples; every sample line
#                is NAME{pool="..."} VALUE; the counts are A+B for red
#                (pfs 2, total 6, free 5, held 1) and C's for pool ""
#   -j stats     the same numbers, cross-checked against -j pool show

# shellcheck disable=SC2015  # a && b || fail: b fails too
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

test_init
vfpool_use
NSIM_A=$(nsim_id 3)
A=$(nsim_pf "$NSIM_A" 4) && B=$(nsim_pf $((NSIM_A + 1)) 2) &&
	C=$(nsim_pf $((NSIM_A + 2)) 2) ||
	ktap_bail "cannot create netdevsim PFs"
"$VFPOOLCTL" pool add dev "$A" name red >/dev/null &&
	"$VFPOOLCTL" pool add dev "$B" name red >/dev/null &&
	"$VFPOOLCTL" pool add dev "$C" >/dev/null || ktap_bail "cannot enroll"
out=$("$VFPOOLCTL" -j vf reserve dev "$A" owner st1 detach) ||
	ktap_bail "cannot reserve"
holder=$(jq .pid <<<"$out")
track "$holder"

metrics="pfs total free held assigned quarantined gone"

test_format() {
	local m
	"$VFPOOLCTL" stats prometheus >"$tmp/prom" || return 1
	cat "$tmp/prom"
	for m in $metrics; do
		[ "$(grep -c "^# HELP vfpool_$m " "$tmp/prom")" = 1 ] &&
			[ "$(grep -c "^# TYPE vfpool_$m gauge$" "$tmp/prom")" = 1 ] ||
			{ echo "HELP/TYPE of $m"; return 1; }
		# TYPE comes before the first sample
		awk -v m="vfpool_$m" '$0 ~ "^# TYPE "m" " { t = 1 } $0 ~ "^"m"\\{" && !t { exit 1 }' \
			"$tmp/prom" || { echo "sample of $m before TYPE"; return 1; }
	done
	# nothing but comments and samples
	! grep -Ev '^(# (HELP|TYPE) vfpool_[a-z]+ .+|vfpool_[a-z]+\{pool="[^"]*"\} [0-9]+)$' \
		"$tmp/prom"
}

sample() { # METRIC POOL: its value
	sed -n "s/^vfpool_$1{pool=\"$2\"} //p" "$tmp/prom"
}

test_values() {
	[ "$(sample pfs red)" = 2 ] && [ "$(sample total red)" = 6 ] &&
		[ "$(sample free red)" = 5 ] && [ "$(sample held red)" = 1 ] &&
		[ "$(sample quarantined red)" = 0 ] && [ "$(sample gone red)" = 0 ] &&
		[ "$(sample pfs "")" = 1 ] && [ "$(sample total "")" = 2 ] &&
		[ "$(sample free "")" = 2 ] && [ "$(sample held "")" = 0 ]
}

test_json_matches_pool_show() {
	local s p
	s=$("$VFPOOLCTL" -j stats) || return 1
	p=$("$VFPOOLCTL" -j pool show) || return 1
	echo "$s"
	jq -e --argjson p "$p" '
		(.[] | select(.pool == "red")) as $r |
		($p | map(select(.pool == "red"))) as $pr |
		$r.pfs == ($pr | length) and
		$r.total == ($pr | map(.total) | add) and
		$r.free == ($pr | map(.free) | add) and
		$r.held == ($pr | map(.reserved) | add) and
		(.[] | select(.pool == null) | .total) == 2' <<<"$s" >/dev/null
}

test_release_shows() {
	"$VFPOOLCTL" vf release owner st1 >/dev/null || return 1
	"$VFPOOLCTL" --json stats | jq -e '.[] | select(.pool == "red") | .held == 0 and .free == 6' >/dev/null &&
		"$VFPOOLCTL" stats --prometheus | grep -qx 'vfpool_held{pool="red"} 0'
}

ktap_begin 4
ktap_check "prometheus_textfile_format" test_format
ktap_check "per_pool_counts_two_pfs_added_up_unnamed_pool" test_values
ktap_check "j_stats_agrees_with_j_pool_show" test_json_matches_pool_show
ktap_check "a_release_shows_in_the_counts" test_release_shows
ktap_end
