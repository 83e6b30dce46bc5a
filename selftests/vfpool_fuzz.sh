#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bounded fuzzer (tools/vfpool_fuzz.py): seeded random and mutated
# vfpool messages from the spec over several sockets, process holders,
# sockets closed mid-sequence.  Afterwards every VF is free or held by a
# live holder; once every client has exited, every VF is free in vfpool
# and zeroed per `ip link show`.  The guest harness then checks taint, the
# console for splats and (debug) kmemleak.
#
# VFPOOL_FUZZ_SEED (default: random, printed); the run stops after
# VFPOOL_FUZZ_MESSAGES (default 100000; 0 no limit) or VFPOOL_FUZZ_SECONDS
# (default 150, debug 480: 100000 messages took ~400 s there), whichever comes
# first, and reports how many it sent.  `make fuzz SECONDS=N SEED=S` runs
# for a given time.  A failing run prints its seed: rerun with it.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

seed=${VFPOOL_FUZZ_SEED:-$(( (RANDOM << 15) | RANDOM ))}
msgs=${VFPOOL_FUZZ_MESSAGES:-100000}
secs=${VFPOOL_FUZZ_SECONDS:-150}
[ "$VFPOOL_PROFILE" = debug ] && secs=${VFPOOL_FUZZ_SECONDS:-480}

test_init
vfpool_setup
A=$(nsim_id 2)
pf=$(nsim_pf "$A" 8) || ktap_bail "no netdevsim"
pf2=$(nsim_pf $((A + 1)) 4) || ktap_bail "no netdevsim"
"$VFPOOLCTL" pool add dev "$pf" name fz0 >/dev/null || ktap_bail "cannot enroll"
"$VFPOOLCTL" pool add dev "$pf2" name fz1 >/dev/null || ktap_bail "cannot enroll"

# Every park policy and parking MAC a PF has had, for the reset check at
# the end: what a VF was reset to depends on the settings at that moment
# (pool-set touches no VF, restore writes back what a VF had), and the
# fuzzer's pool-add and pool-set, mutated ones included, change them.  The
# monitor's pool events record each change; a larger socket buffer keeps
# the flood of VF events from overrunning it.
rmem=$(sysctl -n net.core.rmem_max)
defer sysctl -qw net.core.rmem_max="$rmem"
sysctl -qw net.core.rmem_max=$((4 << 20))
mon=$tmp/monitor
"$VFPOOLCTL" -j monitor > "$mon" 2> "$mon.err" &
track $!
busywait 10000 eval '"$VFPOOLCTL" vf reserve dev "$pf" owner fzmark exec -- true;
	grep -q "\"owner\":\"fzmark\"" "$mon"' || ktap_bail "monitor not listening"
"$VFPOOLCTL" -j pool show > "$tmp/pools0" || ktap_bail "pool show"

ktap_begin 4
echo "# seed $seed (rerun: VFPOOL_FUZZ_SEED=$seed, make fuzz SEED=$seed)"
out=$tmp/fuzz.out
python3 "$VFPOOL_REPO/selftests/tools/vfpool_fuzz.py" --seed "$seed" \
	--messages "$msgs" --seconds "$secs" --pf "$pf" --pf "$pf2" > "$out" 2>&1 &
fpid=$!
track "$fpid"
wait "$fpid"
rc=$?
sed -n 's/^# /# /p' "$out"
if [ $rc = 0 ] && grep -q "^ok 1 fuzz_" "$out"; then
	ktap_ok "fuzz_ran"
else
	ktap_fail "fuzz_ran" "exit $rc, seed $seed" "$(tail -n 20 "$out")"
fi
if grep -q "^ok 2 held_only_by_live_holders" "$out"; then
	ktap_ok "held_only_by_live_holders"
else
	ktap_fail "held_only_by_live_holders" "seed $seed" "$(grep -v '^# [0-9]* messages' "$out" | tail -n 20)"
fi
rm -f "$out"

# Every client has exited: all VFs free (those still enrolled) and, on
# both PFs, reset per ip link: MAC 00:00:00:00:00:00 or a parking MAC the
# PF has had (a driver that refuses the zero MAC gets it; a reset leaves a
# VF already on it; restore writes back what a free VF had), VLAN 0 or a
# blackhole VLAN the PF has had (park vlan), qos 0.  A PF the fuzzer
# un-enrolled keeps what its last resets wrote.
park_history() { # pool objects: the settings at the start, then each change
	jq -c '.[]' "$tmp/pools0"
	grep -a '"event":"pool-' "$mon"
}
all_free() {
	[ "$("$VFPOOLCTL" -j vf show | jq '[.[] | select(.state != "free")] | length')" = 0 ]
}
zeroed() {
	local p
	for p in "$pf" "$pf2"; do
		[ "$(park_history | jq -s --arg p "$p" --slurpfile link <(ip -j link show dev "$p") '
			[.[] | select(.pf == $p)] as $pool |
			(["00:00:00:00:00:00"] + [$pool[].park_mac | values]) as $macs |
			([0] + [$pool[] | select(.park == "vlan") | .park_vlan]) as $vids |
			[$link[0][0].vfinfo_list[] |
			 select((.address as $a | $macs | index([$a]) | not) or
				((.vlan_list[0].vlan // 0) as $v | $vids | index([$v]) | not) or
				(.vlan_list[0].qos // 0) != 0)] | length')" = 0 ] ||
			return 1
	done
}
# A reservation the fuzzer made with linger N (up to 86400 s) stays
# reserved for its owner after its holder went: that is the contract, not
# a leak.  Release those as an operator would (force), only those.
lingering=$("$VFPOOLCTL" -j vf show |
	jq -r '.[] | select(.state == "reserved" and .holder == null and
			    ((.flags // []) | index(["lingering"]))) |
		"\(.pf) \(.vf)"')
while read -r lp lv; do
	[ -n "$lp" ] || continue
	echo "# releasing lingering $lp vf $lv"
	"$VFPOOLCTL" vf release dev "$lp" vf "$lv" force
done <<< "$lingering"
if busywait 30000 all_free; then
	ktap_ok "all_free_after_exit"
else
	ktap_fail "all_free_after_exit" "seed $seed" "$("$VFPOOLCTL" vf show 2>&1)"
fi
echo "# park settings the PFs had: $(park_history |
	jq -c '[.pf, .park, .park_vlan, .park_mac]' | sort -u | tr '\n' ' ')"
if [ -s "$mon.err" ]; then sed "s/^/# /" "$mon.err"; fi
if zeroed; then
	ktap_ok "all_zeroed_per_ip_link"
else
	ktap_fail "all_zeroed_per_ip_link" "seed $seed" \
		"$(ip link show dev "$pf"; ip link show dev "$pf2"; "$VFPOOLCTL" pool show
		   "$VFPOOLCTL" vf show)"
fi
ktap_end
