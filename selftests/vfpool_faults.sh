#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault matrix: what happens to held VFs when the world goes wrong.
#   1. a holder killed with SIGKILL in the middle of a reserve storm (one
#      socket reserving many VFs while another client reserves too)
#   2. rmmod netdevsim while vfpool holds VFs of its PFs (the PFs are
#      unregistered under the reservations; nothing may wait for a netdev
#      reference)
#   3. a network namespace whose only process holds a vfpool socket (with a
#      VF of the namespace's PF) is deleted, then the holder dies
#   4. a PF moved to another netns while its VFs are held
#   5. slab allocation failures (failslab, task-filtered to the client)
#      at every allocation of enroll, reserve and dump in turn; debug
#      kernel only (the others lack FAILSLAB)
# After each: every VF free and zeroed per `ip link show`; the harness
# checks taint, the console and (debug) kmemleak.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

pids=()
fs=/sys/kernel/debug/failslab

test_init
vfpool_setup
A=$(nsim_id 2)
NS=vfpflt$A
defer nsim_del $((A + 1))
pf=$(nsim_pf "$A" 16) || ktap_bail "no netdevsim"

# What the stack cannot know ahead: the processes of the moment (the
# array changes as the script goes), failslab, the netns, and netdevsim
# reloaded if the script stopped while it was unloaded.
faults_cleanup() {
	local p
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -d "$fs" ] && echo 0 > "$fs/probability"
	ip netns del "$NS" 2>/dev/null
	[ -d /sys/bus/netdevsim ] || guest_modprobe netdevsim
}
defer faults_cleanup
"$VFPOOLCTL" pool add dev "$pf" name flt >/dev/null || ktap_bail "cannot enroll"

# zeroed PF N: VFs 0..N-1 of PF carry no MAC and no VLAN per ip link.
zeroed() {
	[ "$(ip -j link show dev "$1" | jq --argjson n "$2" '[.[0].vfinfo_list[:$n][] |
		select(.address != "00:00:00:00:00:00" or (.vlan_list[0].vlan // 0) != 0)] | length')" = 0 ]
}
free_zeroed() { # PF N
	[ "$(vp_count '.state != "free"' dev "$1")" = 0 ] && zeroed "$1" "$2"
}
nl=$VFPOOL_REPO/selftests/tools/vfpool_nl.py

ktap_begin 9

# 1. Killed in the middle of a reserve storm: two clients reserving,
#    setting and releasing without pause, and one socket holding 12 VFs
#    being taken; all killed with SIGKILL while at it.
st=$VFPOOL_REPO/selftests/tools/vfpool_stress.py
python3 "$st" client 1 /dev/null 120 flt 2>/dev/null &
pids+=("$!")
python3 "$st" client 2 /dev/null 120 flt 2>/dev/null &
pids+=("$!")
python3 "$nl" hold "$pf" 12 > /dev/null 2>&1 &
pids+=("$!")
some_held() { [ "$(vp_count '.state == "reserved"' dev "$pf")" -ge 3 ]; }
busywait 60000 some_held
kill -9 "${pids[@]}"
stormed=$(vp_count '.state == "reserved"' dev "$pf")
echo "# killed with $stormed VFs reserved"
kill_wait "${pids[@]}"
pids=()
if busywait 30000 free_zeroed "$pf" 16; then
	ktap_ok "holder_killed_mid_storm"
else
	ktap_fail "holder_killed_mid_storm" "$("$VFPOOLCTL" vf show dev "$pf" 2>&1)"
fi

# 2. rmmod netdevsim under held VFs.
read -r p1 _ < <(hold_vf dev "$pf" vf 2 mac 52:54:00:fa:00:02 vlan 7) && pids+=("$p1")
read -r p2 _ < <(hold_vf dev "$pf" vf 3 mac 52:54:00:fa:00:03) && pids+=("$p2")
if [ "$(vp_count '.state == "reserved"' dev "$pf")" = 2 ] && modprobe -r -d "$VFPOOL_MODROOT" -S "$VFPOOL_KVER" netdevsim; then
	if [ "$("$VFPOOLCTL" -j pool show | jq length)" = 0 ] && [ "$("$VFPOOLCTL" -j vf show | jq length)" = 0 ]; then
		ktap_ok "rmmod_netdevsim_with_held_vfs"
	else
		ktap_fail "rmmod_netdevsim_with_held_vfs" "$("$VFPOOLCTL" vf show 2>&1)"
	fi
else
	ktap_fail "rmmod_netdevsim_with_held_vfs" "could not hold two VFs or unload netdevsim"
fi
kill_wait "${pids[@]}"
pids=()
ktap_check "vfpool_unloads_after" eval 'vfpool_unload && ! vfpool_loaded'
guest_modprobe netdevsim
vfpool_load
pf=$(nsim_add "$A" 16) || ktap_bail "netdevsim did not come back"
"$VFPOOLCTL" pool add dev "$pf" >/dev/null

# 3. A netns whose process holds a VF of its PF is deleted, then the holder
#    dies: the netns is dismantled, netdevsim's PF returns to init_net.
pfn=$(nsim_add $((A + 1)) 4)
ip netns add "$NS"
ip link set dev "$pfn" netns "$NS"
ip netns exec "$NS" "$VFPOOLCTL" pool add dev "$pfn" >/dev/null
ip netns exec "$NS" "$VFPOOLCTL" vf reserve dev "$pfn" vf 1 mac 52:54:00:fa:00:04 vlan 9 \
	exec -- sleep 100000 >/dev/null 2>&1 &
hn=$!
pids+=("$hn")
ns_held() { [ "$(ip netns exec "$NS" "$VFPOOLCTL" -j vf show dev "$pfn" 2>/dev/null |
	jq -r '.[] | select(.vf == 1) | .state')" = reserved ]; }
busywait 20000 ns_held
ip netns del "$NS"
kill_wait "$hn"
pids=()
back() { [ -e "/sys/class/net/$pfn" ] || [ -n "$(ls "$(nsim_dev_dir $((A + 1)))/net" 2>/dev/null)" ]; }
if busywait 30000 back; then
	pfn=$(ls "$(nsim_dev_dir $((A + 1)))/net")
	if zeroed "$pfn" 4 && [ "$("$VFPOOLCTL" -j pool show | jq --arg p "$pfn" '[.[] | select(.pf == $p)] | length')" = 0 ]; then
		ktap_ok "netns_with_holder_deleted"
	else
		ktap_fail "netns_with_holder_deleted" "$(ip link show dev "$pfn")"
	fi
else
	ktap_fail "netns_with_holder_deleted" "the PF did not come back to init_net"
fi

# 4. A PF moved to another netns while its VFs are held: the reservations
#    end (reset), the holder is told, nothing is left enrolled here.
ip netns add "$NS"
read -r p1 _ < <(hold_vf dev "$pf" vf 5 mac 52:54:00:fa:00:05 vlan 11) && pids+=("$p1")
ip link set dev "$pf" netns "$NS"
if [ "$("$VFPOOLCTL" -j pool show | jq length)" = 0 ] &&
   [ "$(ip netns exec "$NS" ip -j link show dev "$pf" | jq -r '.[0].vfinfo_list[5].address')" = 00:00:00:00:00:00 ]; then
	ktap_ok "pf_moved_while_held"
else
	ktap_fail "pf_moved_while_held" "$(ip netns exec "$NS" ip link show dev "$pf")"
fi
kill_wait "${pids[@]}"
pids=()
ip netns exec "$NS" ip link set dev "$pf" netns 1
ip netns del "$NS"
"$VFPOOLCTL" pool add dev "$pf" >/dev/null
ktap_check "pf_back_enrolls_zeroed" free_zeroed "$pf" 16

# 5. failslab: the Nth slab allocation of the client fails, N = 1, 4, ..
#    40 (every third: the debug guest is slow), for enroll, reserve and
#    dump.  Each either works or fails cleanly.
if [ -d $fs ]; then
	echo Y > $fs/task-filter
	echo N > $fs/ignore-gfp-wait 2>/dev/null
	echo 0 > $fs/verbose
	echo 100 > $fs/probability
	failing() { # N CMD...: run CMD with its Nth slab allocation failing
		local n=$1
		shift
		echo 1 > $fs/times
		echo "$n" > $fs/interval
		bash -c 'echo 1 > /proc/self/make-it-fail; exec "$@"' _ "$@" >/dev/null 2>&1
	}
	"$VFPOOLCTL" pool del dev "$pf" >/dev/null
	bad=""
	for n in $(seq 1 3 40); do
		failing "$n" "$VFPOOLCTL" pool add dev "$pf" name flt
		# enrolled or not, never half: if listed, all 16 VFs and all free
		c=$("$VFPOOLCTL" -j vf show dev "$pf" 2>/dev/null | jq 'length')
		case ${c:-0} in 0|16) ;; *) bad="$bad enroll@$n:$c" ;; esac
		"$VFPOOLCTL" pool del dev "$pf" >/dev/null 2>&1
	done
	"$VFPOOLCTL" pool add dev "$pf" >/dev/null
	for n in $(seq 1 3 40); do
		failing "$n" "$VFPOOLCTL" vf reserve dev "$pf" vf 0 mac 52:54:00:fa:01:01 vlan 3 exec -- true
		failing "$n" "$VFPOOLCTL" -j vf show dev "$pf"
		busywait 10000 free_zeroed "$pf" 16 || bad="$bad reserve@$n"
	done
	echo 0 > $fs/probability
	if [ -z "$bad" ] && free_zeroed "$pf" 16; then
		ktap_ok "failslab_enroll_reserve_dump"
	else
		ktap_fail "failslab_enroll_reserve_dump" "$bad"
	fi
else
	# Only the debug kernel is built with FAILSLAB; there it must work.
	if [ "${VFPOOL_PROFILE:-}" = debug ]; then
		ktap_fail "failslab_enroll_reserve_dump" "no failslab on the debug kernel"
	else
		ktap_skip "failslab_enroll_reserve_dump" "no failslab (debug profile only)"
	fi
fi
ktap_check "everything_free_at_end" free_zeroed "$pf" 16
ktap_check "unload_at_end" eval 'vfpool_unload && ! vfpool_loaded'
ktap_end
