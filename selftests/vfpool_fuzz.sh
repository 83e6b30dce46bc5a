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
# (default 150, debug 600: 100000 messages take ~400 s there), whichever comes
# first, and reports how many it sent.  `make fuzz SECONDS=N SEED=S` runs
# for a given time.  A failing run prints its seed: rerun with it.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

A=$((RANDOM % 1000 + 7700))
seed=${VFPOOL_FUZZ_SEED:-$(( (RANDOM << 15) | RANDOM ))}
msgs=${VFPOOL_FUZZ_MESSAGES:-100000}
secs=${VFPOOL_FUZZ_SECONDS:-150}
[ "$VFPOOL_PROFILE" = debug ] && secs=${VFPOOL_FUZZ_SECONDS:-600}
fpid=

cleanup() {
	[ -n "$fpid" ] && kill_wait "$fpid"
	nsim_del "$A"
	nsim_del $((A + 1))
	vfpool_unload
}
trap cleanup EXIT

vfpool_unload
vfpool_load || { ktap_begin 1; ktap_fail "load" "vfpool.ko does not load"; ktap_end; }
pf=$(nsim_add "$A" 8) || ktap_bail "no netdevsim"
pf2=$(nsim_add $((A + 1)) 4) || ktap_bail "no netdevsim"
"$VFPOOLCTL" pool add dev "$pf" name fz0 >/dev/null || ktap_bail "cannot enroll"
"$VFPOOLCTL" pool add dev "$pf2" name fz1 >/dev/null || ktap_bail "cannot enroll"

ktap_begin 4
echo "# seed $seed (rerun: VFPOOL_FUZZ_SEED=$seed, make fuzz SEED=$seed)"
out=$(mktemp)
python3 "$VFPOOL_REPO/selftests/tools/vfpool_fuzz.py" --seed "$seed" \
	--messages "$msgs" --seconds "$secs" --pf "$pf" --pf "$pf2" > "$out" 2>&1 &
fpid=$!
wait "$fpid"
rc=$?
fpid=
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
# both PFs, reset per ip link: MAC 00:00:00:00:00:00 (or the PF's parking
# MAC) and VLAN 0, or the PF's blackhole VLAN when the fuzzer left it with
# park vlan (pool-set is one of the ops it sends).
all_free() {
	[ "$("$VFPOOLCTL" -j vf show | jq '[.[] | select(.state != "free")] | length')" = 0 ]
}
zeroed() {
	local p park vid pmac
	for p in "$pf" "$pf2"; do
		park=$("$VFPOOLCTL" -j pool show | jq -c --arg p "$p" \
			'[.[] | select(.pf == $p)][0] // {}')
		vid=$(jq -r 'if .park == "vlan" then .park_vlan else 0 end' <<< "$park")
		pmac=$(jq -r '.park_mac // "00:00:00:00:00:00"' <<< "$park")
		[ "$(ip -j link show dev "$p" | jq --argjson vid "$vid" --arg pmac "$pmac" \
			'[.[0].vfinfo_list[] |
			  select((.address != "00:00:00:00:00:00" and .address != $pmac) or
				 ((.vlan_list[0].vlan // 0) != 0 and
				  (.vlan_list[0].vlan // 0) != $vid))] | length')" = 0 ] ||
			return 1
	done
}
if busywait 30000 all_free; then
	ktap_ok "all_free_after_exit"
else
	ktap_fail "all_free_after_exit" "seed $seed" "$("$VFPOOLCTL" vf show 2>&1)"
fi
if zeroed; then
	ktap_ok "all_zeroed_per_ip_link"
else
	ktap_fail "all_zeroed_per_ip_link" "seed $seed" "$(ip link show dev "$pf"; ip link show dev "$pf2")"
fi
ktap_end
