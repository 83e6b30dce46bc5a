#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PF and module life cycle around held VFs: sriov_numvfs lowered under a
# held VF makes it gone (event, no crash) and raising it brings the VF back
# free and zeroed; deleting the PF device with held VFs neither hangs nor
# warns, un-enrolls it and tells the holders; rmmod vfpool with held VFs
# is refused (they pin the module) and leaves them configured; after
# vf release all force it unloads and every VF is reset.
#
#   netdevsim A: PF $pf, 4 VFs      netdevsim B: PF $pfb, 4 VFs

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
vfpool_setup
A=$(nsim_id 2)
B=$((A + 1))
holders=()
mon=$tmp/monitor
tmpd=$tmp
pf=$(enrolled_pf "$A" 4) || ktap_bail "cannot create and enroll a netdevsim PF"

ktap_begin 12

"$VFPOOLCTL" -j monitor > "$mon" &
monpid=$!
track "$monpid"
# The monitor is subscribed once it reports the enrollment of a probe PF.
busywait 10000 eval '"$VFPOOLCTL" pool del dev "$pf" >/dev/null 2>&1; "$VFPOOLCTL" pool add dev "$pf" >/dev/null 2>&1; grep -q "$pf" "$mon"'

event_seen() { # EVENT-REGEX VF [REASON-REGEX]
	jq -c --arg pf "$pf" --argjson vf "$2" \
		'select(.pf == $pf and .vf == $vf) | [.event, (.reason // "")]' "$mon" |
		grep -E "\"$1\"" | grep -qE "${3:-.}"
}

# hold_bg VF MAC OWNER: a `vfpoolctl ... hold` holder in the background,
# its stderr in $tmpd/OWNER.err; sets hpid once the VF is reserved.
hold_bg() {
	"$VFPOOLCTL" vf reserve dev "$pf" vf "$1" mac "$2" owner "$3" hold \
		>/dev/null 2>"$tmpd/$3.err" &
	hpid=$!
	holders+=("$hpid")
	track "$hpid"
	busywait 20000 out_is reserved vp_state "$pf" "$1"
}

hold_bg 3 52:54:00:00:04:03 lc1
ktap_check "reserved_event" busywait 10000 event_seen reserved 3

echo 0 > "$(nsim_dev_dir "$A")/sriov_numvfs"
echo 2 > "$(nsim_dev_dir "$A")/sriov_numvfs"
ktap_check "shrunk_vf_is_gone" out_is gone vp_state "$pf" 3
ktap_check "gone_event_sent" busywait 10000 event_seen gone 3
holder_told "gone_tells_holder" "$hpid" "$tmpd/lc1.err" vf-gone

nsim_set_vfs "$A" 4
# netdevsim has no event for a new VF count: vfpool polls such a PF.
if busywait 10000 vf_reset "$pf" 3; then
	ktap_ok "regrown_vf_free_and_zeroed"
else
	ktap_fail "regrown_vf_free_and_zeroed" "$("$VFPOOLCTL" vf show dev "$pf" 2>&1)"
fi
kill_wait "${holders[@]}"
holders=()

hold_bg 1 52:54:00:00:04:01 lc2
taint0=$(taint_bad)
if timeout "$(scaled 60)" bash -c "echo $A > /sys/bus/netdevsim/del_device"; then
	ktap_ok "pf_removal_with_held_vf_no_hang"
else
	ktap_fail "pf_removal_with_held_vf_no_hang"
fi
ktap_check "pf_removal_unenrolls" out_is 0 eval '"$VFPOOLCTL" -j pool show | jq length'
ktap_check "pf_removal_event_sent" busywait 10000 \
	grep -q '"pf-removed"' "$mon"
holder_told "pf_removal_tells_holder" "$hpid" "$tmpd/lc2.err" pf-removed
kill_wait "${holders[@]}"
holders=()
ktap_check "pf_removal_no_warning" out_is "$taint0" taint_bad

pfb=$(nsim_pf "$B" 4)
"$VFPOOLCTL" pool add dev "$pfb" >/dev/null
for vf in 0 2; do
	read -r hpid _ < <(hold_vf dev "$pfb" vf $vf mac 52:54:00:00:05:0$vf vlan 5$vf)
	track "$hpid"
done
kill_wait "$monpid"
if vf_has "$pfb" 0 52:54:00:00:05:00 50 && ! rmmod vfpool 2>/dev/null &&
   vfpool_loaded && vf_has "$pfb" 0 52:54:00:00:05:00 50 &&
   vf_has "$pfb" 2 52:54:00:00:05:02 52; then
	ktap_ok "rmmod_refused_while_held"
else
	ktap_fail "rmmod_refused_while_held" "$(ip link show dev "$pfb")"
fi
if "$VFPOOLCTL" vf release all force && vfpool_unload &&
   vf_has "$pfb" 0 00:00:00:00:00:00 0 && vf_has "$pfb" 2 00:00:00:00:00:00 0; then
	ktap_ok "release_all_force_then_rmmod"
else
	ktap_fail "release_all_force_then_rmmod" "$(ip link show dev "$pfb")"
fi

ktap_end
