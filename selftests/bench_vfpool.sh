#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks, run by `make bench` (selftests/vm/check.sh --bench PROFILE).
# Absolute times under TCG mean little; what matters is the ratios measured
# in one guest run:
#   - listing a 2048-VF PF: vfpool dump vs rtnetlink (which truncates)
#   - reserving N VFs on one socket, and the kill-to-all-free time
#   - memory per enrolled VF (MemAvailable before/after enrolling 2048)
#   - cost of an unrelated generic netlink socket close with 1000 holders

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

A=$((RANDOM % 1000 + 9100))
hpid=
cleanup() {
	[ -z "$hpid" ] || kill_wait "$hpid"
	nsim_del "$A"
	vfpool_unload
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
nl=$VFPOOL_TESTS/tools/vfpool_nl.py

vfpool_setup
pf=$(nsim_add "$A" 2048) || ktap_bail "no netdevsim"

ktap_begin 4

mem0=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
t0=$(now_ms)
"$VFPOOLCTL" pool add dev "$pf" >/dev/null
enrolled=$?
t1=$(now_ms)
mem1=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
echo "# enroll 2048 VFs (each reset through the driver): $((t1 - t0)) ms," \
	"~$(( (mem0 - mem1) * 1024 / 2048 )) bytes/VF (MemAvailable delta)"
ktap_check "enroll_2048" test "$enrolled" = 0

t0=$(now_ms); n=$("$VFPOOLCTL" -j vf show dev "$pf" | jq length); t1=$(now_ms)
m=$(ip -j link show dev "$pf" 2>/dev/null | jq '.[0].vfinfo_list | length'); t2=$(now_ms)
echo "# list: vfpool dump $n VFs in $((t1 - t0)) ms; ip link $m VFs in $((t2 - t1)) ms"
echo "# list: per VF vfpool $(( (t1 - t0) * 1000 / (n > 0 ? n : 1) )) us, ip link $(( (t2 - t1) * 1000 / (m > 0 ? m : 1) )) us"
ktap_check "dump_vs_rtnetlink" test "$n" = 2048

# Closing an unrelated genl socket must stay cheap however many VFs are
# held: the URELEASE notifier looks the portid up in a hash.
genl_churn() {
	local t0 t1
	t0=$(now_ms)
	python3 - <<'PY'
import socket
for _ in range(2000):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    s.bind((0, 0))
    s.close()
PY
	t1=$(now_ms)
	echo $((t1 - t0))
}
churn0=$(genl_churn)

out=$(mktemp)
t0=$(now_ms)
python3 "$nl" hold "$pf" 1000 > "$out" &
hpid=$!
busywait 600000 grep -q held "$out"
held=$?
t1=$(now_ms)
echo "# reserve 1000 VFs with MAC+VLAN on one socket: $((t1 - t0)) ms ($(( (t1 - t0) * 1000 / 1000 )) us each, incl. python start)"

churn1=$(genl_churn)
echo "# 2000 unrelated genl socket open+bind+close: $churn0 ms with 0 held," \
	"$churn1 ms with 1000 held (ratio $(( churn1 * 100 / (churn0 > 0 ? churn0 : 1) ))%)"
ktap_check "reserve_1000" test "$held" = 0

t0=$(now_ms)
kill_wait "$hpid"
hpid=
busywait 600000 out_is 2048 vp_count '.state == "free"' dev "$pf"
freed=$?
t1=$(now_ms)
echo "# kill -9 holder of 1000 VFs -> all free and reset: $((t1 - t0)) ms"
ktap_check "release_1000" test "$freed" = 0
rm -f "$out"
ktap_end
