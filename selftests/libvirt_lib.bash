# SPDX-License-Identifier: GPL-2.0
#
# Debian's real libvirtd inside the test guest, for vfpool_libvirtd_*.sh
# (sourced after lib.sh and vfpool_lib.bash).  The recipe of DESIGN.md's
# test bed:
#   - the host's root is read-only (9p): overlays with a tmpfs upper over
#     /etc (libvirt's config and hooks, /etc/vfpool/libvirt.conf, and the
#     libvirt-qemu user/group libvirtd resolves before it reads qemu.conf,
#     appended to copies of /etc/passwd and /etc/group), /var/lib,
#     /var/cache and /var/log;
#   - qemu.conf: root, no DAC/cgroups/namespaces/security driver (the guest
#     has none of the machinery), stdio to files;
#   - hooks installed before libvirtd starts (it scans them at start);
#   - vfio-pci and vfio_iommu_type1 preloaded (libvirt's on-demand modprobe
#     would look in the host's module tree);
#   - a busybox syslogd, so what the hooks log can be read back.
# Domains are tiny: 64 MiB, no disk, ACPI on (libvirt 9.0 passes -no-acpi
# otherwise, which QEMU 10 rejects), started paused; their description is
# not ASCII (the hooks read it under libvirt's LC_ALL=C).
# shellcheck shell=bash

LVD=/tmp/vfpool-libvirtd
LVD_LOG=$LVD/libvirtd.log
LVD_SYSLOG=$LVD/syslog
LVD_HOOKS=$VFPOOL_REPO/userspace/hooks
LVD_OVERLAYS="/etc /var/lib /var/cache /var/log"
export LIBVIRT_DEFAULT_URI=qemu:///system
LVD_PID=""
LVD_SYSLOGD=""

lvd_have() {
	command -v libvirtd >/dev/null && command -v virsh >/dev/null &&
	[ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ]
}

# lvd_setup [LIBVIRT.CONF-LINES...]: the writable world, hooks and their
# config; libvirtd is not started yet (lvd_start).
lvd_setup() {
	local d key
	mkdir -p "$LVD"
	[ -d /sys/module/overlay ] || guest_modprobe overlay || return 1
	for d in $LVD_OVERLAYS; do
		key=${d//\//_}
		mkdir -p "$LVD/ov$key/upper" "$LVD/ov$key/work"
		mount -t overlay overlay -o "lowerdir=$d,upperdir=$LVD/ov$key/upper,workdir=$LVD/ov$key/work" "$d" ||
			return 1
	done
	grep -q '^libvirt-qemu:' /etc/group ||
		echo 'libvirt-qemu:x:64055:' >> /etc/group
	grep -q '^libvirt-qemu:' /etc/passwd ||
		echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin' >> /etc/passwd
	mkdir -p /etc/libvirt/hooks /etc/vfpool /var/lib/libvirt /var/cache/libvirt /var/log/libvirt/qemu
	cat > /etc/libvirt/qemu.conf <<-'EOF'
	user = "root"
	group = "root"
	dynamic_ownership = 0
	remember_owner = 0
	security_driver = "none"
	namespaces = [ ]
	cgroup_controllers = [ ]
	stdio_handler = "file"
	EOF
	install -m 0755 "$LVD_HOOKS/qemu" /etc/libvirt/hooks/qemu &&
	install -m 0755 "$LVD_HOOKS/network" /etc/libvirt/hooks/network || return 1
	lvd_conf "$@"
	guest_modprobe vfio-pci && guest_modprobe vfio_iommu_type1 || return 1
	: > "$LVD_SYSLOG"
	busybox syslogd -n -O "$LVD_SYSLOG" -S &
	LVD_SYSLOGD=$!
}

# lvd_conf LINE...: /etc/vfpool/libvirt.conf (read by every hook call).
lvd_conf() {
	printf '%s\n' "$@" > /etc/vfpool/libvirt.conf
}

_lvd_sock() { [ -S /run/libvirt/libvirt-sock ]; }
_lvd_answers() { virsh -q uri >/dev/null 2>&1; }

# lvd_start: libvirtd with the repo's vfpoolctl first in PATH, as libvirt
# passes its own PATH to the hooks.
lvd_start() {
	PATH=$VFPOOL_REPO/userspace:$PATH setsid libvirtd >> "$LVD_LOG" 2>&1 < /dev/null &
	LVD_PID=$!
	busywait 30000 _lvd_sock || { log "libvirtd: no socket"; tail -n 20 "$LVD_LOG" >&2; return 1; }
	busywait 60000 _lvd_answers || { log "libvirtd does not answer"; return 1; }
	# The first connection probes QEMU's capabilities (seconds under TCG).
	virsh -q capabilities >/dev/null
}

# lvd_kill: libvirtd dies (kill -9), its domains keep running.
lvd_kill() {
	[ -n "$LVD_PID" ] || return 0
	kill -9 "$LVD_PID" 2>/dev/null
	wait "$LVD_PID" 2>/dev/null
	LVD_PID=""
	rm -f /run/libvirt/libvirt-sock
}

lvd_teardown() {
	local d dom
	if [ -n "$LVD_PID" ]; then
		for dom in $(virsh -q list --all --name 2>/dev/null); do
			virsh -q destroy "$dom" >/dev/null 2>&1
		done
		for dom in $(virsh -q net-list --all --name 2>/dev/null); do
			virsh -q net-destroy "$dom" >/dev/null 2>&1
		done
	fi
	lvd_kill
	pkill_qemus
	[ -z "$LVD_SYSLOGD" ] || kill_wait "$LVD_SYSLOGD"
	for d in $LVD_OVERLAYS; do
		mountpoint -q "$d" && umount -l "$d"
	done
	return 0
}

# QEMUs libvirt started (their pidfiles), killed by pid.
pkill_qemus() {
	local f p
	for f in /run/libvirt/qemu/*.pid; do
		[ -e "$f" ] || continue
		p=$(cat "$f" 2>/dev/null)
		[ -n "$p" ] && kill -9 "$p" 2>/dev/null
	done
	return 0
}

# lvd_domain NAME UUID DEVICES-XML: a tiny domain definition.
lvd_domain() {
	cat <<-EOF
	<domain type='qemu'>
	  <name>$1</name>
	  <uuid>$2</uuid>
	  <description>vfpool selftest domain — not ASCII, as libvirt hands it to hooks under LC_ALL=C</description>
	  <memory unit='MiB'>64</memory>
	  <vcpu>1</vcpu>
	  <os><type arch='x86_64'>hvm</type></os>
	  <features><acpi/></features>
	  <devices>
	    <emulator>/usr/bin/qemu-system-x86_64</emulator>
	    <controller type='usb' model='none'/>
	    <memballoon model='none'/>
	$3
	  </devices>
	</domain>
	EOF
}

# lvd_define FILE: virsh define, quietly.
lvd_define() { virsh -q define "$1" >/dev/null; }

# lvd_start_dom NAME: start paused; virsh's error on stderr.
lvd_start_dom() { virsh -q start --paused "$1" >/dev/null; }

lvd_state() { virsh -q domstate "$1" 2>/dev/null | head -n 1; }
lvd_running() { [ "$(lvd_state "$1")" = paused ] || [ "$(lvd_state "$1")" = running ]; }
lvd_shut() { [ "$(lvd_state "$1")" = "shut off" ]; }

# lvd_qemu_pid NAME: the domain's QEMU, from libvirt's pidfile.
lvd_qemu_pid() {
	local p
	p=$(cat "/run/libvirt/qemu/$1.pid" 2>/dev/null) && [ -n "$p" ] &&
	[ -e "/proc/$p" ] && echo "$p"
}

# lvd_logged PATTERN: a hook decision in syslog (extended regex).
lvd_logged() { grep -qE -- "$1" "$LVD_SYSLOG"; }

# vf_driver PCI: the driver a PCI device is bound to (or none).
vf_driver() {
	local l
	l=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) || { echo none; return; }
	basename "$l"
}
