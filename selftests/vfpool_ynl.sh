#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own generic YNL CLI (tools/net/ynl/cli.py of
# linux-source-6.12, run with our spec and nothing of vfpool's code) drives
# the family: a third independent client next to vfpoolctl and the libnl C
# test.  It enrolls a PF, dumps its VFs, reserves one with a MAC and VLAN,
# which is read back with YNL, vfpoolctl and `ip link show`, and watches
# the events of the family's multicast group.
#
# The CLI exits as soon as its request is answered, and its socket holds
# the reservation.  To look at the reservation while it is held, the
# reserving CLI writes its reply into a FIFO the test filled beforehand:
# it blocks there, alive, until the test drains the FIFO.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

YNL=${VFPOOL_YNL:-${VFPOOL_CACHE:-$HOME/.cache/vfpool}/src/linux-source-6.12/tools/net/ynl}
SPEC=$VFPOOL_REPO/Documentation/netlink/specs/vfpool.yaml
SCHEMA=$YNL/../../../Documentation/netlink/genetlink.yaml

[ -f "$YNL/cli.py" ] || ktap_bail "no YNL CLI at $YNL (scripts/ynl-regen.sh unpacks it)"
test_init
vfpool_setup
pf=$(nsim_pf "$(nsim_id)" 4) || ktap_bail "no netdevsim"

# ynl [ARGS...]: the generic CLI, JSON output, one line per result.
ynl() { python3 -u "$YNL/cli.py" --spec "$SPEC" --no-schema --output-json "$@"; }
mac=52:54:00:7e:00:01

ktap_begin 12

# The spec validates against the kernel's genetlink schema, and the CLI
# lists our operations from it.
lists_ops() {
	python3 "$YNL/cli.py" --spec "$SPEC" --schema "$SCHEMA" --list-ops | grep -q "^vf-reserve "
}
ktap_check "spec_validates_lists_ops" lists_ops

out=$(ynl --do pool-add --json "{\"ifname\": \"$pf\"}" 2>&1)
if jq -e --arg pf "$pf" '.ifname == $pf and .total == 4 and .free == 4' <<< "$out" >/dev/null &&
   [ "$(vp_count '.state == "free"' dev "$pf")" = 4 ]; then
	ktap_ok "pool_add"
else
	ktap_fail "pool_add" "$out"
fi

out=$(ynl --dump vf-get --json "{\"ifname\": \"$pf\"}" 2>&1)
if [ "$(jq -c '[.[] | [.vf, .state, .mac]]' <<< "$out")" = \
     '[[0,"free","00:00:00:00:00:00"],[1,"free","00:00:00:00:00:00"],[2,"free","00:00:00:00:00:00"],[3,"free","00:00:00:00:00:00"]]' ]; then
	ktap_ok "dump_vfs"
else
	ktap_fail "dump_vfs" "$out"
fi

# close_fifos: after the CLIs blocked on them are gone (deferred first).
close_fifos() { exec 3>&- 4>&- 2>/dev/null; }

# blocked_fifo FD PATH: a FIFO opened on FD and filled, so that a CLI
# writing its reply into it stays alive (holding its socket) until drained.
blocked_fifo() {
	mkfifo "$2"
	eval "exec $1<> \"\$2\""
	head -c 65536 /dev/zero >&"$1"
}
# drain FD PID: let the CLI finish (waited for here, in the shell that
# started it: a command substitution cannot wait for it), then set $out
# to what it wrote.
drain() {
	local line
	head -c 65536 <&"$1" >/dev/null
	wait "$2"
	echo END >&"$1"
	out=
	while IFS= read -r line <&"$1" && [ "$line" != END ]; do
		out+=$line$'\n'
	done
}
in_write() { [ "$(cut -d' ' -f1-2 "/proc/$1/syscall" 2>/dev/null)" = "1 0x1" ]; }

# A watcher: subscribes to the events group, answers a pool-get and then
# waits, blocked on its output, to collect what arrives meanwhile.
defer close_fifos
blocked_fifo 3 "$tmp/w"
ynl --subscribe events --do pool-get --json "{\"ifname\": \"$pf\"}" > "$tmp/w" 2> "$tmp/w.err" &
wpid=$!
track "$wpid"
busywait 60000 in_write "$wpid"

# Reserve VF 2 from a CLI kept alive the same way.
blocked_fifo 4 "$tmp/a"
ynl --do vf-reserve \
	--json "{\"ifname\": \"$pf\", \"vf\": 2, \"mac\": \"${mac//:/}\", \"vlan\": 42, \"owner\": \"ynl-a\"}" \
	> "$tmp/a" 2> "$tmp/a.err" &
apid=$!
track "$apid"
held() { [ "$(vp_vf "$pf" 2 .owner 2>/dev/null)" = ynl-a ] || ! kill -0 "$apid" 2>/dev/null; }
busywait 60000 held
if [ "$(vp_vf "$pf" 2 .state)" = reserved ] && kill -0 "$apid" 2>/dev/null; then
	ktap_ok "reserve_with_mac"
else
	ktap_fail "reserve_with_mac" "$(cat "$tmp/a.err")"
fi

ktap_check "read_back_ip_link" vf_has "$pf" 2 "$mac" 42
ktap_check "read_back_vfpoolctl" out_is "$mac 42 ynl-a" \
	vp_vf "$pf" 2 '"\(.mac) \(.vlan) \(.owner)"'
out=$(ynl --do vf-get --json "{\"ifname\": \"$pf\", \"vf\": 2}" 2>&1)
if jq -e --arg mac "$mac" '.state == "reserved" and .mac == $mac and .vlan == 42 and
	.owner == "ynl-a"' <<< "$out" >/dev/null; then
	ktap_ok "read_back_ynl"
else
	ktap_fail "read_back_ynl" "$out"
fi

# A third CLI, not the holder, needs the owner label: refused without it,
# then releases by label.
out=$(ynl --do vf-release --json "{\"ifname\": \"$pf\", \"vf\": 2}" 2>&1)
if grep -q "Operation not permitted" <<< "$out" && [ "$(vp_vf "$pf" 2 .state)" = reserved ]; then
	ktap_ok "release_needs_owner"
else
	ktap_fail "release_needs_owner" "$out"
fi
# The reply is the VF as the release left it: free, zero MAC, VLAN 0 (the
# reset is written before the reply), as ip link shows at once.
out=$(ynl --do vf-release --json "{\"ifname\": \"$pf\", \"vf\": 2, \"owner\": \"ynl-a\"}" 2>&1)
if jq -e '.vf == 2 and .state == "free" and .mac == "00:00:00:00:00:00" and
	  .vlan == 0 and (has("owner") | not)' <<< "$out" >/dev/null && vf_reset "$pf" 2; then
	ktap_ok "release_by_owner_resets"
else
	ktap_fail "release_by_owner_resets" "$out"
fi

# The watcher saw both events, with the reservation's fields.
drain 3 "$wpid"
if tail -n1 <<< "$out" | jq -e --arg mac "$mac" '
	(map(select(.name == "vf-reserved-ntf" and .msg.vf == 2 and .msg.mac == $mac and
		.msg.vlan == 42 and .msg.owner == "ynl-a")) | length == 1) and
	(map(select(.name == "vf-released-ntf" and .msg.vf == 2 and
		.msg.reason == "owner" and .msg.owner == "ynl-a")) | length == 1)' >/dev/null; then
	ktap_ok "events_watched"
else
	ktap_fail "events_watched" "$out" "$(cat "$tmp/w.err")"
fi
drain 4 "$apid"
if jq -e --arg mac "$mac" '.vf == 2 and .mac == $mac and .vlan == 42 and .state == "reserved"' \
	<<< "$out" >/dev/null; then
	ktap_ok "reserve_reply"
else
	ktap_fail "reserve_reply" "$out" "$(cat "$tmp/a.err")"
fi

out=$(ynl --do pool-del --json "{\"ifname\": \"$pf\"}" 2>&1)
if [ "$out" = null ] && [ "$("$VFPOOLCTL" -j pool show | jq length)" = 0 ]; then
	ktap_ok "pool_del"
else
	ktap_fail "pool_del" "$out"
fi
ktap_end
