# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the host-side scripts of selftests/vm: where each guest profile's
# kernel, modules, headers and initramfs live in the cache, and how it boots.
# Bumping CACHE_REV invalidates every prepared image (e.g. when the way an
# image is assembled changes).

# shellcheck shell=bash
# The variables set here are read by the scripts that source this file.
# shellcheck disable=SC2034

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_DIR/../.." && pwd)
CACHE=${VFPOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vfpool}
CACHE_REV=1
ALL_PROFILES="6.1 6.12 debug igb"

K61_VER=6.1.0-56-amd64
K612_ABI=6.12.107+deb12
K612_VER=$K612_ABI-amd64

die() { echo "vfpool-vm: $*" >&2; exit 1; }
note() { echo "vfpool-vm: $*" >&2; }

# Installed version of a Debian package, or empty.
pkg_ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

debug_key() {
	{ cat "$VM_DIR/debug.config"; pkg_ver linux-source-6.1; echo "$CACHE_REV"; } |
		sha256sum | cut -c1-16
}

# profile_setup PROFILE: sets KVER (guest kernel release), MODROOT (the -d
# root for modprobe, holding lib/modules/KVER), KDIR (tree to build modules
# against), VMLINUX, INITRD, MEM, SMP, QEMU_EXTRA (array) and APPEND_EXTRA.
profile_setup() {
	PROFILE=$1
	QEMU_EXTRA=()
	APPEND_EXTRA=""
	MEM=2G
	SMP=${VFPOOL_SMP:-2}
	case $PROFILE in
	6.1|igb)
		KVER=$K61_VER
		MODROOT=$CACHE/img/$KVER
		KDIR=/usr/src/linux-headers-$K61_VER
		;;
	6.12)
		KVER=$K612_VER
		MODROOT=$CACHE/img/$KVER
		KDIR=$CACHE/hdr/$K612_ABI/usr/src/linux-headers-$K612_VER
		;;
	debug)
		local d
		d=$CACHE/debug/$(debug_key)
		MODROOT=$d/img
		KDIR=$d/obj
		KVER=$(cat "$KDIR/include/config/kernel.release" 2>/dev/null || echo unknown)
		# KASAN's shadow and kmemleak's object pool both eat memory.
		MEM=3G
		;;
	*)
		die "unknown profile '$PROFILE' (known: $ALL_PROFILES)"
		;;
	esac
	VMLINUX=$MODROOT/vmlinux
	[ "$PROFILE" != debug ] || VMLINUX=$MODROOT/bzImage
	INITRD=$MODROOT/initramfs.cpio
	if [ "$PROFILE" = igb ]; then
		# The igb test bed (README.md): an 82576 with SR-IOV behind a PCIe root
		# port, and an IOMMU so each VF lands in its own group for vfio-pci.
		# Interrupt remapping on: vfio (a real libvirtd starting a nested
		# QEMU with -device vfio-pci) refuses to map a VF's MSIs without it,
		# unless vfio_iommu_type1 allow_unsafe_interrupts=Y.
		# shellcheck disable=SC2054 # commas belong to qemu
		QEMU_EXTRA=(-M q35 -device intel-iommu,intremap=on
			    -device pcie-root-port,id=rp0,slot=1 -device igb,bus=rp0)
		# no_timer_check: with interrupt remapping on, a loaded host can make
		# the IO-APIC timer check miss its ticks under TCG, and the kernel
		# panics ("timer doesn't work through Interrupt-remapped IO-APIC").
		APPEND_EXTRA="intel_iommu=on no_timer_check"
	fi
}
