# SPDX-License-Identifier: GPL-2.0
#
# Replaying libvirt's qemu hook protocol, for vfpool_libvirt*.sh (sourced
# after lib.sh and vfpool_lib.bash).  libvirt runs the hook synchronously as
# `qemu DOMAIN OPERATION SUB-OPERATION -` with the domain XML on stdin; a
# start is prepare/begin, start/begin, (QEMU launched, pidfile written),
# started/begin; a stop is (QEMU killed, pidfile removed), stopped/end,
# release/end (as captured from libvirt 9.0: ../shared/libvirt-captures).
# Only migration is replayed (selftests/vfpool_libvirt.sh); everything else
# runs under the real libvirtd (libvirt_lib.bash).  A prefix such as "ip netns exec NS" runs it on another
# "host".
# shellcheck shell=bash

LV_DIR=$VFPOOL_REPO/selftests/libvirt
LV_HOOK=$VFPOOL_REPO/userspace/hooks/qemu
# The hook finds vfpoolctl in PATH, as under libvirt; its config and the
# pidfiles through the environment (test-only overrides).
export VFPOOL_HOOK_PIDDIR=${VFPOOL_HOOK_PIDDIR:-/run/vfpool-libvirt-test}
mkdir -p "$VFPOOL_HOOK_PIDDIR"
LV_CONF=$VFPOOL_HOOK_PIDDIR/libvirt.conf
# No linger: a replay has no libvirt restoring the VF after QEMU exits.
printf '%s\n' "mode = strict" "linger = 0" "timeout = 60" > "$LV_CONF"

LV_ERR=/tmp/vfpool-libvirt-hook.err
LV_OUT=/tmp/vfpool-libvirt-hook.out

# lv_xml NAME: the fixture's path.
lv_xml() { echo "$LV_DIR/$1.xml"; }

# lv_name FIXTURE / lv_label FIXTURE: domain name, and the owner label the
# hook uses (name:uuid).
lv_name() { xmllint --xpath 'string(/domain/name)' "$(lv_xml "$1")"; }
lv_label() {
	echo "$(lv_name "$1"):$(xmllint --xpath 'string(/domain/uuid)' "$(lv_xml "$1")")"
}

# lv_hook [PREFIX...] FIXTURE OP SUB: one hook call, as libvirt makes it;
# stdout in $LV_OUT, stderr in $LV_ERR; returns the hook's status.
lv_hook() {
	local pre=() fx rc
	while [ $# -gt 3 ]; do pre+=("$1"); shift; done
	fx=$1
	# libvirt passes its hooks only LC_ALL, PATH, HOME, USER and LOGNAME.
	"${pre[@]}" env -i LC_ALL=C PATH="$VFPOOL_REPO/userspace:/usr/sbin:/usr/bin:/sbin:/bin" \
		HOME=/ USER=root LOGNAME=root VFPOOL_LIBVIRT_CONF="$LV_CONF" \
		VFPOOL_HOOK_PIDDIR="${LV_PIDDIR:-$VFPOOL_HOOK_PIDDIR}" \
		"$LV_HOOK" "$(lv_name "$fx")" "$2" "$3" - < "$(lv_xml "$fx")" \
		> "$LV_OUT" 2> "$LV_ERR"
	rc=$?
	[ -s "$LV_ERR" ] && sed "s/^/[hook $2 $3] /" "$LV_ERR" >&2
	return $rc
}

# lv_qemu_start FIXTURE [PIDDIR]: the stand-in QEMU; prints its pid once
# its pidfile is written.
_lv_pidfile_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
lv_qemu_start() {
	local pf pid
	pf=${2:-$VFPOOL_HOOK_PIDDIR}/$(lv_name "$1").pid
	"$LV_DIR/qemu-standin" "$pf" </dev/null >/dev/null 2>&1 &
	pid=$!
	busywait 10000 _lv_pidfile_is "$pf" "$pid" || return 1
	echo "$pid"
}

# lv_qemu_stop FIXTURE PID [PIDDIR]: what libvirt does when QEMU is gone.
lv_qemu_stop() {
	kill_wait "$2"
	rm -f "${3:-$VFPOOL_HOOK_PIDDIR}/$(lv_name "$1").pid"
}

# lv_held LABEL [PREFIX...]: how many VFs are held by LABEL.
lv_held() {
	local label=$1
	shift
	"$@" "$VFPOOLCTL" -j vf show owner "$label" |
		jq '[.[] | select(.state == "reserved")] | length'
}

# lv_vf_of LABEL [PREFIX...]: "PF VF" of the (first) VF held by LABEL.
lv_vf_of() {
	local label=$1
	shift
	"$@" "$VFPOOLCTL" -j vf show owner "$label" |
		jq -er '[.[] | select(.state == "reserved")][0] | "\(.pf) \(.vf)"'
}

# lv_nothing_held LABEL [PREFIX...]
lv_nothing_held() { out_is 0 lv_held "$@"; }
