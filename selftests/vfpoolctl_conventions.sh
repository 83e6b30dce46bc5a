#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vfpoolctl's iproute2 conventions against the running module, on a
# netdevsim PF in the root namespace (R) and one moved into a named network
# namespace (N):
#
#   -json -n NS vf show    N's VFs through setns, R's not; and the reverse
#   -n NS pool add/show    enrolment in that namespace
#   exit status            2 when the kernel refuses, 1 for usage
#   ignore-missing         release of nothing: 0 and silent (2 without it)
#   column widths          a 45-byte owner label keeps the table aligned
#   -batch                 commands against the kernel, stopping at line 2

# shellcheck disable=SC2015  # a && b || fail: b fails too
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

NS=vfpool-conv-$$

test_init
vfpool_use
NSIM_R=$(nsim_id 2)
NSIM_N=$((NSIM_R + 1))
R=$(nsim_pf "$NSIM_R" 4) && N=$(nsim_pf "$NSIM_N" 2) ||
	ktap_bail "cannot create netdevsim PFs"
ip netns add "$NS" || ktap_bail "cannot create network namespace $NS"
defer ip netns del "$NS"
ip link set dev "$N" netns "$NS" || ktap_bail "cannot move $N into $NS"
"$VFPOOLCTL" pool add dev "$R" name root >/dev/null || ktap_bail "cannot enroll $R"

test_netns() {
	local out
	"$VFPOOLCTL" -n "$NS" pool add dev "$N" name inner >/dev/null || return 1
	out=$("$VFPOOLCTL" -json -n "$NS" vf show) || return 1
	echo "$out"
	jq -e --arg n "$N" 'length == 2 and all(.pf == $n and .pool == "inner")' \
		<<<"$out" >/dev/null || return 1
	# the root namespace sees R only; ip netns exec agrees with -n
	"$VFPOOLCTL" -j vf show | jq -e --arg r "$R" 'all(.pf == $r)' >/dev/null &&
		[ "$(ip netns exec "$NS" "$VFPOOLCTL" -j pool show | jq -c '[.[].pf]')" = \
		  "$("$VFPOOLCTL" -n "$NS" -j pool show | jq -c '[.[].pf]')" ] &&
		"$VFPOOLCTL" -n "$NS" -j pool show | jq -e --arg n "$N" \
			'length == 1 and .[0].pf == $n' >/dev/null
}

test_exit_status() {
	local rc
	"$VFPOOLCTL" pool add dev "$R" 2>/dev/null	# enrolled already: EEXIST
	rc=$?
	[ "$rc" = 2 ] || { echo "kernel refusal: $rc"; return 1; }
	"$VFPOOLCTL" pool add dev "$R" bogus 2>/dev/null
	rc=$?
	[ "$rc" = 1 ] || { echo "usage: $rc"; return 1; }
	"$VFPOOLCTL" -n vfpool-no-such-ns vf show 2>/dev/null
	rc=$?
	[ "$rc" = 1 ] || { echo "bad netns: $rc"; return 1; }
}

test_ignore_missing() {
	local rc err
	err=$("$VFPOOLCTL" vf release owner vfpool-nobody 2>&1)
	rc=$?
	echo "without: $rc $err"
	[ "$rc" = 2 ] && [[ $err == Error:* ]] || return 1
	err=$("$VFPOOLCTL" vf release owner vfpool-nobody ignore-missing 2>&1)
	rc=$?
	echo "with: $rc [$err]"
	[ "$rc" = 0 ] && [ -z "$err" ] || return 1
	err=$("$VFPOOLCTL" vf release dev "$R" vf 1 ignore-missing 2>&1) && [ -z "$err" ] ||
		return 1
	# another refusal is still one: no such network device (ENODEV)
	"$VFPOOLCTL" vf release dev vfpoolnopf0 vf 1 ignore-missing 2>&1
	[ $? = 2 ]
}

# start offset of field N (1-based) of a line, fields split on blanks
field_at() {
	awk -v n="$2" '{ s = $0; o = 0
		for (i = 1; i <= n; i++) { match(s, /[^ ]+/); if (i < n) { o += RSTART + RLENGTH - 1; s = substr(s, RSTART + RLENGTH) } }
		print o + RSTART }' <<<"$1"
}

test_columns() {
	local owner=vfpool-instance-0000000a-7c0bbd2b-8f3c-4d1e out h l
	out=$("$VFPOOLCTL" -j vf reserve dev "$R" owner "$owner" detach) || return 1
	track "$(jq .pid <<<"$out")"
	"$VFPOOLCTL" vf show dev "$R" >"$tmp/table" || return 1
	cat "$tmp/table"
	h=$(head -n 1 "$tmp/table")
	# PID (field 6) and MAC (field 7) start where their headers do, on every row
	while IFS= read -r l; do
		[ "$(field_at "$l" 6)" = "$(field_at "$h" 6)" ] &&
			[ "$(field_at "$l" 7)" = "$(field_at "$h" 7)" ] ||
			{ echo "misaligned: $l"; return 1; }
	done < <(tail -n +2 "$tmp/table")
	grep -q " $owner " "$tmp/table" &&
		"$VFPOOLCTL" vf release owner "$owner" >/dev/null
}

test_batch_kernel() {
	local rc
	printf 'pool set dev %s name root2\npool add dev %s\npool set dev %s name root3\n' \
		"$R" "$R" "$R" >"$tmp/batch"
	"$VFPOOLCTL" -batch "$tmp/batch" >/dev/null 2>"$tmp/err"
	rc=$?
	cat "$tmp/err"
	# pool set needs the kernel's pool-set: when absent line 1 fails
	if grep -q "Command failed $tmp/batch:1$" "$tmp/err"; then
		printf 'pool show dev %s\npool add dev %s\npool show\n' "$R" "$R" >"$tmp/batch"
		"$VFPOOLCTL" -batch "$tmp/batch" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		cat "$tmp/err"
		[ "$rc" = 2 ] && grep -q "^Command failed $tmp/batch:2$" "$tmp/err" &&
			[ "$(grep -c "^$R " "$tmp/out")" = 1 ]
		return
	fi
	[ "$rc" = 2 ] && grep -q "^Command failed $tmp/batch:2$" "$tmp/err" &&
		"$VFPOOLCTL" -j pool show dev "$R" | jq -e '.[0].pool == "root2"' >/dev/null
}

ktap_begin 5
ktap_check "json_n_ns_vf_show_n_ns_pool_add" test_netns
ktap_check "exit_status_2_kernel_refused_1_usage" test_exit_status
ktap_check "vf_release_ignore_missing" test_ignore_missing
ktap_check "table_columns_fit_a_45_byte_owner" test_columns
ktap_check "batch_against_the_kernel_stops_at_line_2" test_batch_kernel
ktap_end
