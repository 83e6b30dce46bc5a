# SPDX-License-Identifier: GPL-2.0
#
# Debian's real libvirtd inside the test guest, for vfpool_libvirtd_*.sh
# (sourced after lib.sh and vfpool_lib.bash).  The recipe of the
# igb profile's test bed (README.md):
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
#
# What Documentation/libvirt.rst shows (its XML, the configuration, the
# refusal message) is taken from that file by lvd_doc_block and run as
# written, with these placeholders replaced (lvd_doc_xml), and nothing else:
#   doc text          test guest
#   dev='eth0'        dev='$pf' (the igb PF's netdev, named by the kernel)
# The rest of the doc's values are the guest's own: the emulated 82576 is
# PCI 0000:01:00.0, so VF 1 is 0000:01:10.2 and VF 4 0000:01:11.0, and
# the tests use the doc's MACs, VLANs and pool name (mig).
# shellcheck shell=bash

LVD=/tmp/vfpool-libvirtd
LVD_LOG=$LVD/libvirtd.log
LVD_SYSLOG=$LVD/syslog
LVD_HOOKS=$VFPOOL_REPO/userspace/hooks
LVD_OVERLAYS="/etc /var/lib /var/cache /var/log"
export LIBVIRT_DEFAULT_URI=qemu:///system
LVD_PID=""
LVD_CONF=()
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

LVD_DOC=$VFPOOL_REPO/Documentation/libvirt.rst

# lvd_doc_block ERE: the first literal block ("::" then an indented block)
# of Documentation/libvirt.rst whose first line matches ERE, dedented;
# fails if there is none.
lvd_doc_block() {
	awk -v re="$1" '
	function flush(i) {
		while (n && buf[n] == "")
			n--
		if (n && !found && substr(buf[1], ind + 1) ~ re) {
			for (i = 1; i <= n; i++)
				print substr(buf[i], ind + 1)
			found = 1
		}
		n = 0
	}
	/::[ \t]*$/ { flush(); want = 1; match($0, /^ */); pind = RLENGTH; next }
	want && /^[ \t]*$/ { if (n) buf[++n] = ""; next }
	want {
		match($0, /^ */)
		if (RLENGTH > pind) {
			if (!n)
				ind = RLENGTH
			buf[++n] = $0
			next
		}
		flush()
		want = 0
	}
	END { flush(); exit !found }' "$LVD_DOC"
}

# lvd_doc_xml ERE: lvd_doc_block with the placeholders of the table above
# replaced ($pf must be set).
lvd_doc_xml() {
	local b
	b=$(lvd_doc_block "$1") || { log "no block /$1/ in $LVD_DOC"; return 1; }
	printf '%s\n' "${b//"dev='eth0'"/"dev='$pf'"}"
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
LVD_CONF=()
	rm -f /run/libvirt/libvirt-sock
}

lvd_teardown() {
	local d dom
	[ -z "$LVD_WATCH" ] || kill_wait "$LVD_WATCH"
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

# lvd_domain NAME UUID DEVICES-XML [METADATA-XML]: a tiny domain definition.
lvd_domain() {
	cat <<-EOF
	<domain type='qemu'>
	  <name>$1</name>
	  <uuid>$2</uuid>
	  <description>vfpool selftest domain — not ASCII, as libvirt hands it to hooks under LC_ALL=C</description>
	${4:-}
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

# --- the igb bed both vfpool_libvirtd_*igb.sh scripts stand on -----------
# lvd_igb_up POOL-ADD-ARGS...: the emulated 82576 with 7 VFs (lib.sh's
# igb_pf_setup), vfpool.ko with the PF enrolled (pool add dev PF
# POOL-ADD-ARGS), libvirtd running with the hooks and the configuration
# Documentation/libvirt.rst shows (kept in LVD_CONF); all undone at exit,
# newest first (needs test_init).  Sets pf.  Skips only off the igb
# profile; anything missing on it fails.
lvd_igb_up() {
	local conf
	# The next igb test loads its own VF drivers: after the VFs are gone.
	defer _lvd_vf_drivers_out
	igb_pf_setup 7
	lvd_have || ktap_bail "libvirt is not installed (scripts/install-deps.sh)"
	vfpool_setup
	"$VFPOOLCTL" pool add dev "$pf" "$@" >/dev/null || ktap_bail "cannot enroll"
	defer release_all
	conf=$(lvd_doc_block '^mode = ') || ktap_bail "no libvirt.conf in $LVD_DOC"
	mapfile -t LVD_CONF <<< "$conf"
	defer lvd_teardown
	lvd_setup "${LVD_CONF[@]}" || ktap_bail "cannot set up libvirtd's world"
	lvd_start || ktap_bail "libvirtd does not start"
}

_lvd_vf_drivers_out() { rmmod vfio_pci igbvf 2>/dev/null; return 0; }

# lvd_monitor: vfpool's events (vfpoolctl -j monitor) in $LVD/vfmon from
# now on, the monitor stopped at exit.
lvd_monitor() {
	"$VFPOOLCTL" -j monitor > "$LVD/vfmon" 2>&1 &
	track $!
}

# lvd_mark OWNER [VF]: a marker in the event stream: a reservation by
# OWNER of VF (default: any free one), released at once, that the monitor
# has shown; every event vfpool sent before it is in $LVD/vfmon then.
lvd_mark() {
	busywait 10000 eval "\"\$VFPOOLCTL\" vf reserve dev $pf ${2:+vf $2 }owner $1 exec -- true; grep -q '\"owner\":\"$1\"' '$LVD/vfmon'"
}

# lvd_events_between FROM TO: the events strictly between the first of
# owner FROM and the first of owner TO (markers, say), one a line; a line
# "no event of owner FROM" if there is none (nothing to count from).
lvd_events_between() {
	grep -q "\"owner\":\"$1\"" "$LVD/vfmon" || { echo "no event of owner $1"; return 1; }
	awk -v a="\"owner\":\"$1\"" -v b="\"owner\":\"$2\"" \
		'index($0, b) { exit } on { print } index($0, a) { on = 1 }' "$LVD/vfmon"
}

# vf_watch PF VF: sample the VF's MAC and VLAN as ip link reports them, in
# the background, until vf_watch_end; vf_watch_end MAC VLAN: every sample
# was exactly that (the guest's network never blinked).
LVD_WATCH=""
vf_watch() {
	: > "$LVD/watch"
	(
		while :; do
			echo "$(vf_field "$1" "$2" mac) $(vf_field "$1" "$2" vlan)" >> "$LVD/watch"
			# the sampling interval, not a wait for anything
			sleep 0.2
		done
	) &
	LVD_WATCH=$!
	busywait 10000 test -s "$LVD/watch"
}
vf_watch_end() {
	local other
	[ -z "$LVD_WATCH" ] || kill_wait "$LVD_WATCH"
	LVD_WATCH=""
	other=$(grep -cvx "$1 $2" "$LVD/watch")
	echo "$(wc -l < "$LVD/watch") samples of ip link, $other other than $1 vlan $2"
	[ "$other" = 0 ] || { sort "$LVD/watch" | uniq -c; return 1; }
}
