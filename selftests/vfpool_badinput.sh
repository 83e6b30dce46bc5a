#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bad-input table (tools/vfpool_badinput.py): malformed and refused
# requests sent raw through the YNL library with the spec's numbering --
# wrong types and lengths, out-of-range values, bad MACs and labels,
# unknown and nested-garbage attributes, missing attributes, devices that
# are not SR-IOV PFs or live in another netns, VFs out of range, state
# conflicts, every op from an unprivileged user (setuid nobody, and root of
# a fresh user namespace).  Each row checks the errno, an extack naming the
# attribute, and that vf-get/pool-get dumps and `ip link show` are the same
# before and after, with no event sent.  The same table runs on 6.1, 6.12
# and debug; each row's outcome is printed ("# row NAME ERRNO ATTR MSG") so
# two profiles' logs can be compared line by line.
#
#   init netns: $pf (enrolled, VF $HELD held by "$OWNER" with $HMAC),
#               $pf2 (not enrolled), veth pair
#   netns $NS:  $pfx (a PF, addressed by its ifindex from the init netns)

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

HMAC=52:54:00:bd:00:01
OWNER=bad-holder

test_init
vfpool_setup
A=$(nsim_id 3)
NS=vfpbad$A
pf=$(nsim_pf "$A" 4) || ktap_bail "no netdevsim"
pf2=$(nsim_pf $((A + 1)) 4) || ktap_bail "no netdevsim"
pfx=$(nsim_pf $((A + 2)) 4) || ktap_bail "no netdevsim"
[ -d /sys/module/veth ] || guest_modprobe veth 2>/dev/null
ip link add "vfpb$A" type veth peer name "vfpc$A" || ktap_bail "no veth"
defer ip link del "vfpb$A"
ip netns add "$NS" && defer ip netns del "$NS"
xidx=$(cat "/sys/class/net/$pfx/ifindex")
ip link set dev "$pfx" netns "$NS" || ktap_bail "netdevsim PF cannot change netns"
[ ! -e "/sys/class/net/$pfx" ] || ktap_bail "PF did not leave"
"$VFPOOLCTL" pool add dev "$pf" name bad0 >/dev/null || ktap_bail "cannot enroll"
read -r hpid held < <(hold_vf dev "$pf" vf 1 mac "$HMAC" owner "$OWNER") ||
	ktap_bail "cannot hold a VF"
track "$hpid"

python3 "$VFPOOL_REPO/selftests/tools/vfpool_badinput.py" --pf "$pf" --pf2 "$pf2" \
	--foreign-ifindex "$xidx" --veth "vfpb$A" --held-vf "$held" \
	--held-mac "$HMAC" --held-owner "$OWNER"
