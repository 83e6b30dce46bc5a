#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Namespaces and permissions: an unprivileged user reads but cannot change
# anything; another network namespace sees none of this one's PFs; a
# container (own user and network namespace, root inside) that owns a PF
# manages its VFs, and a PF moving out of a namespace leaves the pool.
#
#   init netns: PF $pf (enrolled)     container netns: PF $pfc

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

test_init
vfpool_setup
A=$(nsim_id 2)
NS=vfpool-ns-$A
pf=$(enrolled_pf "$A" 4) || ktap_bail "cannot create and enroll a netdevsim PF"
pfc=$(nsim_pf $((A + 1)) 2) || ktap_bail "no netdevsim"

ktap_begin 10

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
ktap_check "unprivileged_reads" out_is 4 eval 'nobody "$VFPOOLCTL" -j vf show dev "$pf" | jq length'
expect_fail "unprivileged_reserve_refused" "CAP_NET_ADMIN over the PF's network namespace is required" \
	nobody "$VFPOOLCTL" vf reserve dev "$pf" exec -- true
expect_fail "unprivileged_enroll_refused" "CAP_NET_ADMIN over the PF's network namespace is required" \
	nobody "$VFPOOLCTL" pool del dev "$pf"

ip netns add "$NS" && defer ip netns del "$NS"
ktap_check "other_netns_sees_nothing" out_is 0 \
	eval 'ip netns exec "$NS" "$VFPOOLCTL" -j pool show | jq length'
expect_fail "other_netns_cannot_name_pf" "no device named $pf" \
	ip netns exec "$NS" "$VFPOOLCTL" vf reserve dev "$pf" exec -- true

# A container: root in its own user namespace, owning its network namespace.
unshare -Urn sleep 100000 &
cpid=$!
track "$cpid"
# Re-read on every poll (a function, not an expanded test).
own_netns() {
	[ "$(readlink "/proc/$cpid/ns/net")" != "$(readlink /proc/self/ns/net)" ]
}
busywait 5000 own_netns || ktap_bail "unshare -Urn never got its own netns"
in_ct() { nsenter -t "$cpid" -U -n --preserve-credentials "$@"; }
# netdevsim PFs can change netns (pf_leaving_netns_unenrolled below relies
# on it too): a failure here is a failure of the setup, not a skip.
if ip link set dev "$pfc" netns "/proc/$cpid/ns/net"; then
	if in_ct "$VFPOOLCTL" pool add dev "$pfc" >/dev/null &&
	   in_ct "$VFPOOLCTL" vf reserve dev "$pfc" vf 1 mac 52:54:00:00:08:01 \
		exec -- sh -c 'ip link show dev "$VFPOOL_PF" | grep -q "vf 1 .*52:54:00:00:08:01"' \
		>/dev/null; then
		ktap_ok "container_manages_own_pf"
	else
		ktap_fail "container_manages_own_pf"
	fi
	ktap_check "container_cannot_see_host_pf" out_is "[\"$pfc\"]" \
		eval 'in_ct "$VFPOOLCTL" -j pool show | jq -c "[.[].pf]"'
	ktap_check "host_does_not_see_container_pf" out_is "[\"$pf\"]" \
		eval '"$VFPOOLCTL" -j pool show | jq -c "[.[].pf]"'
else
	ktap_fail "container_manages_own_pf" "cannot move $pfc into the container"
	ktap_fail "container_cannot_see_host_pf" "cannot move $pfc into the container"
	ktap_fail "host_does_not_see_container_pf" "cannot move $pfc into the container"
fi

ip link set dev "$pf" netns "$NS"
ktap_check "pf_leaving_netns_unenrolled" out_is 0 \
	eval '"$VFPOOLCTL" -j pool show | jq length'
# Un-enrolled, not merely out of sight (vfpool.rst): the new netns, where
# the PF now is, has no pool either.
ktap_check "pf_not_enrolled_in_new_netns" out_is 0 \
	eval 'ip netns exec "$NS" "$VFPOOLCTL" -j pool show | jq length'

ktap_end
