#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A driver that refuses the reset (fault injection stands in for i40e's
# -EAGAIN "VF still in reset"): transient refusals are retried in the
# kernel with backoff until the reset lands; a reset that keeps failing, or
# fails with a non-transient error, quarantines the VF: never handed out,
# reported with its error, released (retrying the reset) only with force.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

A=$((RANDOM % 1000 + 5100))
holders=()
inj=/sys/kernel/debug/vfpool

cleanup() {
	[ -f "$inj/inject_reset_count" ] && echo 0 > "$inj/inject_reset_count"
	[ ${#holders[@]} = 0 ] || kill_wait "${holders[@]}"
	nsim_del "$A"
	vfpool_unload
}
trap cleanup EXIT

vfpool_setup
[ -f "$inj/inject_reset_count" ] || ktap_bail "no debugfs fault injection"
pf=$(nsim_add "$A" 4) || ktap_bail "no netdevsim"
"$VFPOOLCTL" pool add dev "$pf" >/dev/null || ktap_bail "cannot enroll"

ktap_begin 10

# Three refusals, then the fourth attempt (after 50+100+200 ms) lands.
read -r hpid _ < <(hold_vf dev "$pf" vf 1 mac 52:54:00:00:06:01 vlan 61)
echo 11 > "$inj/inject_reset_errno"
echo 3 > "$inj/inject_reset_count"
kill_wait "$hpid"
ktap_check "transient_refusal_retried" busywait 20000 vf_reset "$pf" 1
ktap_check "all_retries_consumed" out_is 0 cat "$inj/inject_reset_count"

# Refusals beyond the retry budget quarantine the VF.
read -r hpid _ < <(hold_vf dev "$pf" vf 1 mac 52:54:00:00:06:01 vlan 61 owner q1)
echo 100 > "$inj/inject_reset_count"
kill_wait "$hpid"
ktap_check "persistent_refusal_quarantines" busywait 20000 \
	out_is quarantined vp_state "$pf" 1
echo 0 > "$inj/inject_reset_count"
ktap_check "quarantine_reports_error_and_owner" \
	out_is "-11 q1" vp_vf "$pf" 1 '"\(.error) \(.owner)"'
ktap_check "pool_counts_quarantined" out_is 1 \
	eval '"$VFPOOLCTL" -j pool show | jq ".[0].quarantined"'
expect_fail "quarantined_vf_not_reservable" "VF 1 of $pf is quarantined( \\(|$)" \
	"$VFPOOLCTL" vf reserve dev "$pf" vf 1 exec -- true
got=()
for _ in 1 2 3; do
	read -r hpid hvf < <(hold_vf dev "$pf")
	holders+=("$hpid")
	got+=("$hvf")
done
if [ "${got[*]}" = "0 2 3" ] &&
   ! "$VFPOOLCTL" vf reserve dev "$pf" exec -- true 2>/dev/null; then
	ktap_ok "any_free_skips_quarantined"
else
	ktap_fail "any_free_skips_quarantined" "got VFs ${got[*]}"
fi
kill_wait "${holders[@]}"
holders=()

expect_fail "release_without_force_refused" \
	"VF 1 of $pf is quarantined \\(error -11\\): release with force" \
	"$VFPOOLCTL" vf release dev "$pf" vf 1
"$VFPOOLCTL" vf release dev "$pf" vf 1 force
ktap_check "force_release_retries_reset" busywait 20000 vf_reset "$pf" 1

# A non-transient error is not retried.
read -r hpid _ < <(hold_vf dev "$pf" vf 2 mac 52:54:00:00:06:02)
echo 22 > "$inj/inject_reset_errno"
echo 1 > "$inj/inject_reset_count"
kill_wait "$hpid"
ktap_check "hard_error_quarantines_at_once" busywait 20000 \
	out_is "quarantined -22" vp_vf "$pf" 2 '"\(.state) \(.error)"'
"$VFPOOLCTL" vf release dev "$pf" vf 2 force

ktap_end
