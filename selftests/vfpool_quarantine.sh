#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A driver that refuses the reset (netdevsim's eagain quirk stands in for
# i40e's -EAGAIN "VF still in reset", its fail_vfs quirk for a broken VF,
# selftests/vm/netdevsim-quirks.patch): transient refusals are retried in
# the kernel with backoff until the reset lands, the fields that landed not
# written again; a reset that keeps failing, or fails with a non-transient
# error, quarantines the VF: never handed out, reported with its error,
# released (retrying the reset) only with force.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
vfpool_setup
A=$(nsim_id)
pf=$(nsim_pf "$A" 4) || ktap_bail "no netdevsim"
nsim_quirk "$A" eagain >/dev/null || ktap_bail "netdevsim without the VF quirks"
"$VFPOOLCTL" pool add dev "$pf" >/dev/null || ktap_bail "cannot enroll"

# refused_since N: the driver ops the quirks refused since the count was N.
refused_since() { echo $(( $(nsim_quirk "$A" refused) - $1 )); }

# hard_quarantined VF N: quarantined with -EIO after one attempt's worth of
# refusals since the count was N.
hard_quarantined() {
	local n
	out_is "quarantined -5" vp_vf "$pf" "$1" '"\(.state) \(.error)"' || return 1
	n=$(refused_since "$2")
	[ "$n" -ge 1 ] && [ "$n" -le 3 ]
}

ktap_begin 12

# A reset of VF 1 writes MAC, VLAN and link state (park link-down): seven
# -EAGAINs refuse all three twice, then the MAC once; the fourth attempt
# (after 50+100+200 ms) writes the MAC alone, as VLAN and link landed.
read -r hpid _ < <(hold_vf dev "$pf" vf 1 mac 52:54:00:00:06:01 vlan 61)
r0=$(nsim_quirk "$A" refused)
nsim_quirk "$A" eagain 7
kill_wait "$hpid"
ktap_check "transient_refusal_retried" busywait 20000 \
	eval 'vf_reset "$pf" 1 && [ "$(vf_field "$pf" 1 link_state)" = disable ]'
ktap_check "all_retries_consumed" out_is "0 7" \
	eval 'echo "$(nsim_quirk "$A" eagain) $(refused_since "$r0")"'

# Refusals beyond the retry budget quarantine the VF.
read -r hpid _ < <(hold_vf dev "$pf" vf 1 mac 52:54:00:00:06:01 vlan 61 owner q1)
nsim_quirk "$A" eagain 100
kill_wait "$hpid"
ktap_check "persistent_refusal_quarantines" busywait 20000 \
	out_is quarantined vp_state "$pf" 1
nsim_quirk "$A" eagain 0
ktap_check "quarantined_vf_left_as_it_was" vf_has "$pf" 1 52:54:00:00:06:01 61
ktap_check "quarantine_reports_error_and_owner" \
	out_is "-11 q1" vp_vf "$pf" 1 '"\(.error) \(.owner)"'
ktap_check "pool_counts_quarantined" out_is 1 \
	eval '"$VFPOOLCTL" -j pool show | jq ".[0].quarantined"'
expect_fail "quarantined_vf_not_reservable" "VF 1 of $pf is quarantined( \\(|$)" \
	"$VFPOOLCTL" vf reserve dev "$pf" vf 1 exec -- true
got=()
holders=()
for _ in 1 2 3; do
	read -r hpid hvf < <(hold_vf dev "$pf")
	track "$hpid"
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

# A non-transient error is not retried: one attempt, at most three fields
# (MAC, VLAN, link state) refused, where six attempts would refuse more.
read -r hpid _ < <(hold_vf dev "$pf" vf 2 mac 52:54:00:00:06:02)
r0=$(nsim_quirk "$A" refused)
nsim_quirk "$A" fail_vfs 0x4
kill_wait "$hpid"
ktap_check "hard_error_quarantines_at_once" busywait 20000 hard_quarantined 2 "$r0"
nsim_quirk "$A" fail_vfs 0
"$VFPOOLCTL" vf release dev "$pf" vf 2 force
ktap_check "force_release_frees_broken_vf" busywait 20000 vf_reset "$pf" 2

ktap_end
