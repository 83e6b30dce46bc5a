#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rule 6 on a real PCI PF (igb profile only: skips elsewhere, fails there if
# anything is missing): sriov_numvfs 2 -> 0 -> 2 while vfpool holds VF 1,
# before anyone looks.  The PCI bus notifier records which VF died, so the
# reservation ends (gone, the holder is told) and is never inherited by the
# VF that comes back; that VF is reset like an enrolled one (MAC zero, no
# VLAN, per ip link) and can be reserved again.
#
#   0000:01:00.0  igb PF, VF 1 = 0000:01:10.2

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
igb_pf_setup 2
vfpool_setup
"$VFPOOLCTL" pool add dev "$pf" >/dev/null || ktap_bail "cannot enroll $pf"
defer release_all

ktap_begin 6

# A `hold` holder, which exits and says why when its VF goes.
"$VFPOOLCTL" vf reserve dev "$pf" vf 1 mac 52:54:00:00:11:01 vlan 11 owner nz1 hold \
	>/dev/null 2>"$tmp/nz1.err" &
hpid=$!
track "$hpid"
ktap_check "vf1_held" busywait 20000 \
	eval 'out_is reserved vp_state "$pf" 1 && vf_has "$pf" 1 52:54:00:00:11:01 11'

echo 0 > "$PF_SYS/sriov_numvfs"
echo 2 > "$PF_SYS/sriov_numvfs"

holder_told "holder_told_vf_gone" "$hpid" "$tmp/nz1.err" vf-gone

# The VF that came back is not the held one: reset, free, owned by nobody.
back_clean() {
	vf_reset "$pf" 1 &&
	out_is "null null" vp_vf "$pf" 1 '"\(.owner) \(.pid)"'
}
if busywait 20000 back_clean; then
	ktap_ok "vf1_back_free_and_reset"
else
	ktap_fail "vf1_back_free_and_reset" "$(ip link show dev "$pf")" \
		"$("$VFPOOLCTL" vf show dev "$pf")"
fi
ktap_check "nothing_reserved" out_is 0 vp_count '.state == "reserved"' dev "$pf"

# Usable after: reserved again through igb, then reset on release.
read -r hpid hvf < <(hold_vf dev "$pf" vf 1 mac 52:54:00:00:11:02 vlan 12 owner nz2)
track "$hpid"
if [ "$hvf" = 1 ] && vf_has "$pf" 1 52:54:00:00:11:02 12; then
	ktap_ok "vf1_reservable_again"
else
	ktap_fail "vf1_reservable_again" "held VF '$hvf'" "$(ip link show dev "$pf")"
fi
kill_wait "$hpid"
ktap_check "vf1_reset_after" busywait 20000 vf_reset "$pf" 1

ktap_end
