#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vfpoolctl pool apply FILE (vfpool.conf(5)) on two netdevsim PFs, A (8 VFs)
# and B (4 VFs), plus C created without VFs:
#
#   A vfs 0-3 -> pool red      A is one PF, enrolled with one range;
#   B         -> pool blue     pools red, blue and green make three pools
#   C         -> pool green    (C has no VFs until sriov_numvfs 0 -> 4)
#
#   first apply            enrolls A and B, skips C; ip link / vfpoolctl -j
#   second apply           prints nothing, exit 0; no RTM_NEWLINK seen by
#                          `ip monitor link`, no event by vfpoolctl monitor
#   held VF, apply again   the reservation and its MAC survive
#   park policy changed    one pool-set, only the park attributes
#   bad files              unknown keyword, unknown PCI address, overlapping
#                          ranges: exit 1, FILE:LINE, state dump unchanged
#   sriov_numvfs 0 -> 4    the udev rule's RUN command enrolls C
#
# shellcheck disable=SC2015  # a && b || fail: b fails too
#
# Observers: `ip link show` of the PFs (VF MACs), `vfpoolctl -j pool show`.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

RULE=$VFPOOL_REPO/userspace/udev/80-vfpool.rules
test_init
vfpool_use
NSIM_A=$(nsim_id 4)
NSIM_B=$((NSIM_A + 1))
NSIM_C=$((NSIM_A + 2))
NSIM_D=$((NSIM_A + 3))	# markers for the monitors only
A=$(nsim_pf "$NSIM_A" 8) && B=$(nsim_pf "$NSIM_B" 4) &&
	C=$(nsim_pf "$NSIM_C" 0) && D=$(nsim_pf "$NSIM_D" 0) ||
	ktap_bail "cannot create netdevsim PFs"

conf=$tmp/pools.conf
cat >"$conf" <<EOF
# two PFs with VFs, one without yet; three pools
pf $A vfs 0-3 name red    # a range
pf $B name blue

pf $C name green
EOF

pool() { # PF JQ: the PF's entry of vfpoolctl -j pool show satisfies JQ
	"$VFPOOLCTL" -j pool show | jq -e --arg pf "$1" \
		"any(.[]; .pf == \$pf and ($2))" >/dev/null
}
enrolled() { "$VFPOOLCTL" -j pool show | jq -r '.[].pf' | grep -qx "$1"; }
dump() { "$VFPOOLCTL" -j pool show | jq -S 'sort_by(.pf)'; }

# the kernel reports the park policy once k1's park support is in
park_supported=0

test_first_apply() {
	local out rc
	out=$("$VFPOOLCTL" pool apply "$conf" 2>"$tmp/err")
	rc=$?
	echo "$out"
	cat "$tmp/err"
	[ "$rc" = 0 ] || return 1
	[ "$(grep -c '^add ' <<<"$out")" = 2 ] || return 1
	grep -q "^$conf:5: $C has no VFs" "$tmp/err" || return 1
	pool "$A" '.pool == "red" and .vf_first == 0 and .vf_last == 3 and .total == 4' &&
		pool "$B" '.pool == "blue" and .total == 4 and .free == 4' &&
		! enrolled "$C" || { dump; return 1; }
	# enrolled VFs are reset: zero MAC as the PF reports it
	[ "$(vf_field "$A" 3 mac)" = 00:00:00:00:00:00 ]
}

# ip monitor link: an "N: ifname: ..." (or "Deleted ...") line opens each
# RTM_NEWLINK/DELLINK; vfpoolctl -j monitor: one line per event.  Each is
# known to be listening once a marker shows: an MTU of the otherwise unused
# PF D for ip, a reservation on B for vfpool.
start_monitors() {
	ip monitor link >"$tmp/ipmon" 2>&1 &
	track $!
	"$VFPOOLCTL" -j monitor >"$tmp/vfmon" 2>&1 &
	track $!
}

ip_mark() { # MTU: set D's MTU until ip monitor shows it
	busywait 10000 eval "ip link set dev $D mtu $1; grep -q ' mtu $1 ' '$tmp/ipmon'"
}

vf_mark() { # OWNER: a reservation (and its release) vfpool monitor shows
	busywait 10000 eval "\"\$VFPOOLCTL\" vf reserve dev $B owner $1 exec -- true; grep -q '\"owner\":\"$1\"' '$tmp/vfmon'" &&
		busywait 10000 eval "grep '\"owner\":\"$1\"' '$tmp/vfmon' | grep -q released"
}

between() { # FILE FROM TO: lines strictly between the lines matching them
	awk -v a="$2" -v b="$3" 'index($0, b) { exit } on { print } index($0, a) { on = 1 }' "$1"
}

test_second_apply_silent() {
	local out rc nl ev
	vf_mark mark1 && ip_mark 1401 ||
		{ echo "monitors not listening"; cat "$tmp/ipmon" "$tmp/vfmon"; return 1; }
	out=$("$VFPOOLCTL" pool apply "$conf" 2>"$tmp/err")
	rc=$?
	ip_mark 1402 && vf_mark mark2 ||
		{ echo "monitors lost"; cat "$tmp/ipmon" "$tmp/vfmon"; return 1; }
	echo "exit $rc, stdout [$out]"
	[ "$rc" = 0 ] && [ -z "$out" ] || return 1
	nl=$(between "$tmp/ipmon" " mtu 1401 " " mtu 1402 " |
		grep -E '^([0-9]+: |Deleted )')
	ev=$(between "$tmp/vfmon" '"owner":"mark1"' '"owner":"mark2"' | grep -v '"owner":"mark1"')
	echo "links between the markers: [$nl]"
	echo "vfpool events between the markers: [$ev]"
	[ -z "$nl" ] && [ -z "$ev" ]
}

test_json_reports_nothing() {
	local out
	out=$("$VFPOOLCTL" -j pool apply "$conf" 2>/dev/null) || return 1
	jq -e 'length == 0' <<<"$out" >/dev/null
}

test_held_vf_survives() {
	local out vf h
	out=$("$VFPOOLCTL" -j vf reserve dev "$A" owner keep mac 52:54:00:00:0a:01 detach) ||
		return 1
	vf=$(jq .vf <<<"$out")
	h=$(jq .pid <<<"$out")
	track "$h"
	# a different range of A would mean re-enrolling it: refused while held
	sed "s/^pf $A vfs 0-3/pf $A vfs 0-5/" "$conf" >"$tmp/wider.conf"
	"$VFPOOLCTL" pool apply "$tmp/wider.conf" >/dev/null 2>"$tmp/err"
	cat "$tmp/err"
	grep -q "in use: not re-enrolled" "$tmp/err" || return 1
	"$VFPOOLCTL" pool apply "$conf" >/dev/null || return 1
	[ "$(vf_field "$A" "$vf" mac)" = 52:54:00:00:0a:01 ] || return 1
	pool "$A" '.vf_last == 3 and .reserved == 1' || return 1
	"$VFPOOLCTL" vf release owner keep >/dev/null &&
		busywait 5000 eval "[ \"\$(vf_field $A $vf mac)\" = 00:00:00:00:00:00 ]"
}

test_change_park() {
	local out
	sed "s/^pf $B name blue/pf $B name blue park vlan 99 parkmac 02:00:00:00:00:07/" \
		"$conf" >"$tmp/park.conf"
	out=$("$VFPOOLCTL" -j pool apply "$tmp/park.conf") || return 1
	echo "$out"
	jq -e --arg pf "$B" 'length == 1 and .[0].action == "set" and
		.[0].pf == $pf and .[0].park == "vlan" and .[0].park_vlan == 99 and
		.[0].park_mac == "02:00:00:00:00:07" and (.[0] | has("pool") | not)' \
		<<<"$out" >/dev/null || return 1
	pool "$B" '.park == "vlan" and .park_vlan == 99 and .park_mac == "02:00:00:00:00:07" and .pool == "blue"' ||
		return 1
	pool "$A" '.park == "link-down"' || return 1
	# and again: nothing
	out=$("$VFPOOLCTL" pool apply "$tmp/park.conf") && [ -z "$out" ]
}

bad_file() { # LINE WORD CONTENT: refused naming LINE and WORD, nothing changed
	local line=$1 word=$2 before after rc
	printf '%b\n' "$3" >"$tmp/bad.conf"
	before=$(dump)
	"$VFPOOLCTL" pool apply "$tmp/bad.conf" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	after=$(dump)
	echo "exit $rc: $(cat "$tmp/err")"
	[ "$rc" = 1 ] && [ ! -s "$tmp/out" ] || return 1
	grep -q "^$tmp/bad.conf:$line: .*$word" "$tmp/err" || return 1
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); return 1; }
}

# each bad file would also change something valid on an earlier line
test_bad_keyword() {
	bad_file 2 '"colour"' "pf $B name cyan\npf $A vfs 0-3 name red colour blue"
}
test_bad_pci() {
	bad_file 3 '"0000:7e:1f.7"' "pf $B name cyan\n# a PF that is not there\npf 0000:7e:1f.7 name red"
}
test_bad_overlap() {
	bad_file 2 'overlaps line 1' "pf $A vfs 0-3 name red\npf $A vfs 3-5 name cyan\npf $B name cyan"
}

# The command udev runs (RUN+= of the rule for a sriov_numvfs change),
# with the repository's vfpoolctl and this test's file.
test_udev_reenrolls() {
	local cmd args
	cmd=$(sed -n 's/^ACTION=="change".*RUN+="\([^"]*\)".*/\1/p' "$RULE")
	echo "rule: $cmd"
	[[ $cmd == /*/vfpoolctl\ pool\ apply\ /etc/vfpool/pools.conf ]] || return 1
	echo 4 >"$(nsim_dev_dir "$NSIM_C")/sriov_numvfs" || return 1
	# what udev would run: the rule's command with the repository's
	# vfpoolctl (not installed here) and this test's file
	args=${cmd#* }
	args=${args//\/etc\/vfpool\/pools.conf/$conf}
	# shellcheck disable=SC2086
	"$VFPOOLCTL" $args >"$tmp/out" 2>"$tmp/err" || return 1
	cat "$tmp/out" "$tmp/err"
	grep -q "^add pf $C name green" "$tmp/out" || return 1
	pool "$C" '.pool == "green" and .total == 4 and .free == 4' || return 1
	[ "$(pf_vf_count "$C")" = 4 ] &&
		[ "$(vf_field "$C" 0 mac)" = 00:00:00:00:00:00 ]
}

ktap_begin 9
ktap_check "first_apply_enrolls_two_pfs_skips_one_without_vfs" test_first_apply
pool "$A" '.park != null' && park_supported=1
start_monitors
ktap_check "second_apply_no_output_no_rtm_newlink_no_event" test_second_apply_silent
ktap_check "j_apply_with_nothing_to_do_reports_empty" test_json_reports_nothing
ktap_check "a_held_vf_survives_apply_no_re_enroll_while_held" test_held_vf_survives
if [ "$park_supported" = 1 ]; then
	ktap_check "park_policy_change_one_pool_set_of_what_differs" test_change_park
else
	ktap_fail "park_policy_change_one_pool_set_of_what_differs" "the kernel reports no park policy"
fi
ktap_check "bad_file_unknown_keyword_changes_nothing" test_bad_keyword
ktap_check "bad_file_unknown_pci_address_changes_nothing" test_bad_pci
ktap_check "bad_file_overlapping_ranges_change_nothing" test_bad_overlap
ktap_check "sriov_numvfs_0_to_4_the_udev_command_enrolls" test_udev_reenrolls
ktap_end
