#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The quirk matrix (DESIGN.md rules 3, 5, 6, 9): every lifetime rule on
# each driver personality of netdevsim's test-only VF quirks
# (selftests/vm/netdevsim-quirks.patch), one netdevsim device with 4 VFs
# per personality:
#
#   stock     netdevsim as it is
#   zeromac   set_vf_mac(zero) -EINVAL (be2net, bnx2x, cxgb4, qlcnic,
#             hinic, octeontx2, enetc); the pool has its own parking MAC
#   eagain    the next writes -EAGAIN before every step (i40e "VF still in
#             reset")
#   legacy    trust, link state and rates -EOPNOTSUPP (older drivers)
#   noget     ndo_get_vf_config fails during every reset
#   broken    every write to the VF of each step fails -EIO
#
# Steps: enroll over VFs dirtied with ip link, reserve with MAC and VLAN
# (read back with ip link), a refused reservation, holder killed, release
# by owner label, and N->0->N (sriov_numvfs 4->0->4) under a held VF.
# After each step every VF is either free and clean per `ip link show`
# (MAC zero, or the pool's parking MAC with the parked-mac flag in
# `vfpoolctl -j`; VLAN 0) or quarantined with its error in `vfpoolctl -j`
# -- never silently dirty -- and no VF is reserved by anyone the test does
# not hold (never twice).  Run time: about 2 minutes on an idle 6.1 guest.
# A release request that ends with a quarantined VF must fail.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

PERSONALITIES="stock zeromac eagain legacy noget broken"
PARKMAC=02:00:00:00:0f:01

test_init
vfpool_setup
ID0=$(nsim_id "$(wc -w <<< "$PERSONALITIES")")

# quirks_off: disarm what readers need (ip link reads VFs through
# ndo_get_vf_config).
quirks_off() { nsim_quirk "$id" no_get_config 0; }

# arm VF: set up the personality's refusals for the reset of VF that the
# next step causes.
arm() {
	case $p in
	eagain) nsim_quirk "$id" eagain 4 ;;
	noget) nsim_quirk "$id" no_get_config 1 ;;
	broken) nsim_quirk "$id" fail_vfs "$(printf '0x%x' $(( $(nsim_quirk "$id" fail_vfs) | (1 << $1) )))" ;;
	esac
}

# all_settled: every VF free, reserved or quarantined: the retries of rule
# 5 are over, and VFs that went (N->0->N) are back (vfpool polls netdevsim).
all_settled() {
	"$VFPOOLCTL" -j vf show dev "$pf" |
		jq -e 'length == 4 and all(.state == "free" or .state == "reserved" or
					    .state == "quarantined")' >/dev/null
}

# parked_all: every VF of the zeromac PF on the pool's parking MAC, flagged
# parked-mac (the MAC is exempt from the duplicate check: all share it).
parked_all() {
	[ "$(vp_count '(.flags // []) | index("parked-mac")' dev "$pf")" = 4 ] &&
	[ "$(ip -j link show dev "$pf" |
	     jq --arg m "$PARKMAC" '[.[0].vfinfo_list[] | select(.address == $m)] | length')" = 4 ]
}

# What is wrong with the VFs, one line each, from `vfpoolctl -j vf show`
# ($v) and `ip -j link show` ($l): a VF in $held must be reserved; any
# other free and clean (MAC zero, or the parking MAC flagged parked-mac;
# VLAN 0; reset-incomplete only with its error) or quarantined with its
# error; and only the VFs in $held reserved.
# shellcheck disable=SC2016 # jq's variables
VERDICT='
([$l[0].vfinfo_list[] | {key: (.vf | tostring), value: .}] | from_entries) as $ip
| ($held | split(" ") | map(select(. != "") | tonumber)) as $h
| (if ([$v[] | select(.state == "reserved") | .vf] | sort) != ($h | sort)
   then "reserved: \([$v[] | select(.state == "reserved") | .vf]), held: \($h)"
   else empty end),
  ($v[] | . as $x | $ip[$x.vf | tostring] as $i | ($x.flags // []) as $f
   | ($i.address // "none") as $mac | ($i.vlan_list[0].vlan // $i.vlan // 0) as $vlan
   | "VF \($x.vf) \($x.state) \($mac) vlan \($vlan): " as $w
   | if ($h | index($x.vf)) then empty
     elif $x.state == "free" then
       (if $mac == "00:00:00:00:00:00" then
          (if ($f | index("parked-mac")) then $w + "zero MAC flagged parked-mac" else empty end)
        elif $mac == $park then
          (if ($f | index("parked-mac")) then empty else $w + "parking MAC, no parked-mac" end)
        else $w + "dirty MAC" end),
       (if $vlan != 0 then $w + "dirty VLAN" else empty end),
       (if ($f | index("reset-incomplete")) and ($x.error // 0) == 0
        then $w + "reset-incomplete without an error" else empty end)
     elif $x.state == "quarantined" then
       (if ($x.error // 0) == 0 then $w + "quarantined without an error" else empty end)
     else $w + "neither free nor quarantined" end)'

# check NAME [HELD]: after a step, every VF settled and ok, and reserved
# exactly the VFs listed in HELD (by the one holder of each).
check() {
	local name="${p}_$1" why
	busywait 20000 all_settled
	quirks_off
	why=$(jq -n -r --argjson v "$("$VFPOOLCTL" -j vf show dev "$pf")" \
		--argjson l "$(ip -j link show dev "$pf")" --arg park "$PARKMAC" \
		--arg held "${2:-}" "$VERDICT" 2>&1)
	if [ -z "$why" ]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "$why" "$(ip link show dev "$pf")" "$("$VFPOOLCTL" vf show dev "$pf")"
	fi
}

# hold OWNER: reserve any free VF with a MAC and VLAN; sets hpid and hvf.
hold() {
	local mac
	step=$((step + 1))
	mac=$(printf '52:54:00:%02x:0f:%02x' "$n" "$step")
	read -r hpid hvf < <(hold_vf dev "$pf" mac "$mac" vlan 42 owner "$1")
	[ -n "$hvf" ] || return 1
	track "$hpid"
	vf_has "$pf" "$hvf" "$mac" 42
}

ktap_begin $(( 7 * $(wc -w <<< "$PERSONALITIES") + 4 ))

n=0
for p in $PERSONALITIES; do
	n=$((n + 1))
	step=0
	id=$((ID0 + n - 1))
	pf=$(nsim_pf "$id" 4) || ktap_bail "no netdevsim"
	nsim_quirk "$id" refused >/dev/null || ktap_bail "netdevsim without the VF quirks"

	# Enroll over VFs a previous user left dirty.
	for vf in 0 1 2 3; do
		ip link set dev "$pf" vf "$vf" mac "52:54:00:ee:0$n:0$vf" vlan "$((100 + vf))"
	done
	case $p in
	zeromac) nsim_quirk "$id" refuse_zero_mac 1 ;;
	legacy) nsim_quirk "$id" legacy 1 ;;
	esac
	arm 1
	"$VFPOOLCTL" pool add dev "$pf" parkmac "$PARKMAC" >/dev/null ||
		ktap_bail "$p: cannot enroll"
	check "enroll_over_dirty_vfs"
	if [ "$p" = zeromac ]; then
		ktap_check "${p}_dirty_vfs_parked_on_pool_mac" parked_all
		ktap_check "${p}_pool_shows_its_parking_mac" out_is "$PARKMAC" \
			eval '"$VFPOOLCTL" -j pool show | jq -r --arg pf "$pf" ".[] | select(.pf == \$pf) | .park_mac"'
		# VFs parked on a parking MAC do not keep it from being the
		# parking MAC again (pool-set refuses a MAC a VF carries otherwise).
		ktap_check "${p}_parking_mac_changed_and_back_over_parked_vfs" eval \
			'"$VFPOOLCTL" pool set dev "$pf" parkmac 02:00:00:00:0f:02 &&
			 "$VFPOOLCTL" pool set dev "$pf" parkmac "$PARKMAC" && parked_all'
	fi

	if hold "k$n"; then
		ktap_ok "${p}_reserve_with_mac_and_vlan"
	else
		ktap_fail "${p}_reserve_with_mac_and_vlan" "$(ip link show dev "$pf")"
	fi

	# A refused reservation changes nothing.
	case $p in
	legacy)
		expect_fail "${p}_refused_rate_changes_nothing" "driver of $pf cannot set VF tx rate" \
			"$VFPOOLCTL" vf reserve dev "$pf" mac 52:54:00:00:0e:01 max_tx_rate 100 \
			exec -- true
		;;
	noget)
		nsim_quirk "$id" no_get_config 1
		expect_fail "${p}_unreadable_vf_not_reserved" "driver of $pf cannot read VF [0-9] config" \
			"$VFPOOLCTL" vf reserve dev "$pf" mac 52:54:00:00:0e:01 exec -- true
		quirks_off
		;;
	*)
		expect_fail "${p}_reserved_vf_not_reserved_twice" "VF $hvf of $pf is (reserved|held)" \
			"$VFPOOLCTL" vf reserve dev "$pf" vf "$hvf" exec -- true
		;;
	esac
	check "refusal_changed_nothing" "$hvf"

	# The holder is killed.
	arm "$hvf"
	kill_wait "$hpid"
	check "holder_killed"
	if [ "$p" = zeromac ]; then
		ktap_check "${p}_killed_holders_vf_parked" out_is "$PARKMAC" vf_field "$pf" "$hvf" mac
	fi

	# Released by owner label: success only if the VF ends free.
	hold "r$n" || ktap_bail "$p: cannot reserve for the release step"
	arm "$hvf"
	"$VFPOOLCTL" vf release owner "r$n" >/dev/null 2>&1
	rc=$?
	busywait 20000 all_settled
	state=$(vp_state "$pf" "$hvf")
	if { [ $rc = 0 ] && [ "$state" = free ]; } ||
	   { [ $rc != 0 ] && [ "$state" = quarantined ]; }; then
		check "release"
	else
		ktap_fail "${p}_release" "exit $rc, VF $hvf $state"
	fi
	kill_wait "$hpid"

	# N->0->N under a held VF: the reservation ends (gone), the VF that
	# comes back is reset like one enrolled (netdevsim keeps the old VF
	# config).  netdevsim has no event for a new VF count and vfpool polls
	# it once a second, so the count stays 0 until vfpool has seen the VF
	# go; the blink too fast for a poll is vfpool_numvfs_igb.sh's (PCI).
	hold "g$n" || ktap_bail "$p: cannot reserve for the N->0->N step"
	arm "$hvf"
	echo 0 > "$(nsim_dev_dir "$id")/sriov_numvfs"
	# A read shows a VF beyond the count as gone at once; the poll is what
	# drops the reservation (the owner goes with it).
	busywait 10000 out_is "gone null" vp_vf "$pf" "$hvf" '"\(.state) \(.owner)"' ||
		log "$p: VF $hvf still held after sriov_numvfs 0"
	echo 4 > "$(nsim_dev_dir "$id")/sriov_numvfs"
	check "n_0_n_under_held_vf"
	kill_wait "$hpid"
	nsim_quirk "$id" eagain 0
	nsim_quirk "$id" fail_vfs 0
done

ktap_end
