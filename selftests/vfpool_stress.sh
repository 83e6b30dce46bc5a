#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress: 16 concurrent clients (tools/vfpool_stress.py) reserving from one
# pool spanning three PFs, setting, releasing and binding at random, while
# kill -9 storms take clients down (and new ones start) and the third PF
# is deleted and re-created (PF removal under held VFs).  `vfpoolctl -j
# monitor` records the event stream.  Afterwards: no VF was ever held by two
# clients (from the clients' logs and from the event stream), and with
# every client gone all VFs are free and zeroed per `ip link show`.
#
# VFPOOL_STRESS_SECONDS (default 60; 20 on the debug kernel, where TCG with
# KASAN and lockdep runs a few times slower), VFPOOL_STRESS_CLIENTS (16;
# 8 on debug).

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

secs=${VFPOOL_STRESS_SECONDS:-60}
[ "$VFPOOL_PROFILE" = debug ] && secs=${VFPOOL_STRESS_SECONDS:-20}
nclients=${VFPOOL_STRESS_CLIENTS:-16}
[ "$VFPOOL_PROFILE" = debug ] && nclients=${VFPOOL_STRESS_CLIENTS:-8}
declare -A cpid

test_init
logs=$tmp
vfpool_setup
A=$(nsim_id 3)
defer nsim_del $((A + 2))	# flapped by the storm
pf=$(nsim_pf "$A" 8) || ktap_bail "no netdevsim"
pf2=$(nsim_pf $((A + 1)) 8) || ktap_bail "no netdevsim"

# the storm's processes: its clients (their pids in a file the driver
# writes) and the driver itself
storm_kill() {
	local p
	for p in "${cpid[@]}"; do kill -9 "$p" 2>/dev/null; done
	# shellcheck disable=SC2046 # a list of pids
	[ -s "$logs/pids" ] && kill -9 $(cat "$logs/pids") 2>/dev/null
	wait 2>/dev/null
}
defer storm_kill
"$VFPOOLCTL" pool add dev "$pf" name st >/dev/null || ktap_bail "cannot enroll"
"$VFPOOLCTL" pool add dev "$pf2" name st >/dev/null || ktap_bail "cannot enroll"

"$VFPOOLCTL" -j monitor > "$logs/monitor.log" 2>&1 &
mpid=$!
track "$mpid"

ktap_begin 5
python3 "$VFPOOL_REPO/selftests/tools/vfpool_stress.py" clients "$nclients" "$logs" "$secs" st \
	> "$logs/total" 2>>"$logs/errors" &
ppid_=$!
cpid[0]=$ppid_
busywait 60000 test -s "$logs/pids"

# The storm: the clients' parent kills two of them a second with SIGKILL
# (and starts new ones); here the third PF is deleted or re-created
# (enrolled into the pool) as often as the starved shell gets to it.
flaps=0
while kill -0 "$ppid_" 2>/dev/null; do
	if [ -d "$(nsim_dev_dir $((A + 2)))" ]; then
		nsim_del $((A + 2))
	elif pf3=$(nsim_add $((A + 2)) 4); then
		"$VFPOOLCTL" pool add dev "$pf3" name st >/dev/null 2>&1
	fi
	flaps=$((flaps + 1))
	# paces the flaps (the clients need the PF now and then), not a wait
	sleep 0.5
done
wait "$ppid_"
cpid=()
read -r total kills < "$logs/total"
echo "# $total clients in ${secs}s ($nclients at a time), $kills killed with SIGKILL, $flaps PF add/remove"

ktap_check "clients_ran" eval '[ "$(cat "$logs"/client-*.log | grep -c " got ")" -gt 0 ]'
out=$(grep -v "^$" "$logs/errors" | grep -v "Killed" | head -n 20)
if [ -z "$out" ]; then
	ktap_ok "clients_no_errors"
else
	ktap_fail "clients_no_errors" "$out"
fi

all_free() {
	[ "$("$VFPOOLCTL" -j vf show | jq '[.[] | select(.state != "free")] | length')" = 0 ]
}
zeroed() {
	local p
	for p in "$pf" "$pf2"; do
		[ "$(ip -j link show dev "$p" | jq '[.[0].vfinfo_list[] |
			select(.address != "00:00:00:00:00:00" or (.vlan_list[0].vlan // 0) != 0)] | length')" = 0 ] ||
			return 1
	done
}
if busywait 30000 all_free && zeroed; then
	ktap_ok "all_free_and_zeroed"
else
	ktap_fail "all_free_and_zeroed" "$("$VFPOOLCTL" vf show 2>&1)"
fi
# the monitor has seen everything up to now
kill "$mpid" 2>/dev/null
wait "$mpid" 2>/dev/null
out=$(python3 "$VFPOOL_REPO/selftests/tools/vfpool_stress.py" check "$logs" "$logs/monitor.log")
rc=$?
echo "$out" | grep "stress check"
if [ $rc = 0 ]; then
	ktap_ok "no_vf_held_twice"
else
	ktap_fail "no_vf_held_twice" "$out"
fi
ktap_check "events_recorded" grep -q '"event":"released"' "$logs/monitor.log"
ktap_end
