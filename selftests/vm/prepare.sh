#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/prepare.sh PROFILE
#
# Fetch and assemble, in the cache outside the repo, everything a guest
# profile needs: kernel (as an uncompressed vmlinux), its modules with a
# netdevsim added, the headers or build tree to compile vfpool.ko against,
# and a small initramfs. Idempotent: every piece carries a stamp with the
# versions it was made from, so a warm cache costs a few seconds.

set -eu
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || die "usage: $0 PROFILE ($ALL_PROFILES)"
NSIM_PATCH=$VM_DIR/netdevsim-quirks.patch
profile_setup "$1"
mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/tmp.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Stamps are written last, so an interrupted step is simply redone.
stamp_ok() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }

# Unpacked linux-source-6.1: the debug kernel's source, extract-vmlinux and
# the kselftest headers all come from it.
src61() {
	local dir=$CACHE/src/full-6.1 want
	want="$(pkg_ver linux-source-6.1) $CACHE_REV"
	if ! stamp_ok "$dir/.stamp" "$want"; then
		note "unpacking linux-source-6.1"
		rm -rf "$dir"
		mkdir -p "$dir"
		tar -C "$dir" -xJf /usr/src/linux-source-6.1.tar.xz
		echo "$want" > "$dir/.stamp"
	fi
	SRC61=$dir/linux-source-6.1
}

kselftest_headers() {
	local dir=$CACHE/kselftest
	if ! stamp_ok "$dir/.stamp" "$(cat "$CACHE/src/full-6.1/.stamp")"; then
		mkdir -p "$dir"
		cp "$SRC61"/tools/testing/selftests/kselftest_harness.h \
		   "$SRC61"/tools/testing/selftests/kselftest.h "$dir/"
		cp "$CACHE/src/full-6.1/.stamp" "$dir/.stamp"
	fi
}

apt_download() { # DIR PKG...
	local dir=$1 opt=()
	shift
	# As root apt drops to the _apt user, which cannot write a private
	# scratch directory; downloading as root is what apt falls back to anyway.
	[ "$(id -u)" != 0 ] || opt=(-o APT::Sandbox::User=root)
	(cd "$dir" && apt-get -q "${opt[@]}" download "$@") >/dev/null && return 0
	# Stale or missing package lists (a fresh container): refresh once.
	[ "$(id -u)" = 0 ] || die "apt-get download $* failed (run apt-get update?)"
	apt-get update -qq
	(cd "$dir" && apt-get -q "${opt[@]}" download "$@") >/dev/null ||
		die "apt-get download $* failed"
}

# Build netdevsim from a linux-source tarball against KDIR, with the
# test-only VF quirks of netdevsim-quirks.patch; Debian's kernels do not ship
# it.  OUT.ko is replaced in one rename: a guest booting meanwhile loads the
# old module or the new one, never half of one.
build_netdevsim() { # TARBALL KDIR OUT.ko
	local tarball=$1 kdir=$2 out=$3 top tmp
	top=$(basename "$tarball" .tar.xz)
	tmp=$WORK/nsim
	mkdir -p "$tmp"
	tar -C "$tmp" -xJf "$tarball" "$top/drivers/net/netdevsim"
	patch -s -p1 -F0 -d "$tmp/$top" < "$NSIM_PATCH" ||
		die "$NSIM_PATCH does not apply to $top"
	make -s -C "$kdir" M="$tmp/$top/drivers/net/netdevsim" CONFIG_NETDEVSIM=m \
		-j"$(nproc)" modules >"$tmp/build.log" 2>&1 ||
		{ cat "$tmp/build.log" >&2; die "netdevsim build against $kdir failed"; }
	install -D -m 644 "$tmp/$top/drivers/net/netdevsim/netdevsim.ko" "$out.tmp"
	strip --strip-debug "$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$tmp"
}

# The quirk patch has a stamp of its own next to the image's (and made
# from it, so a rebuilt image rebuilds it): a changed patch rebuilds
# netdevsim only, in seconds, never a kernel.  With every knob off the
# patched module is netdevsim as it was, so a checkout without the patch
# runs unchanged on it.
nsim_key() { # IMAGE-STAMP
	echo "$(sha256sum "$NSIM_PATCH" | cut -c1-16) $(cat "$1" 2>/dev/null)"
}

prep_nsim() { # TARBALL KDIR OUT.ko IMAGE-STAMP
	local want
	want=$(nsim_key "$4")
	stamp_ok "$4.nsim" "$want" && return 0
	note "building netdevsim with the VF quirks for $KVER"
	build_netdevsim "$1" "$2" "$3"
	depmod -b "$MODROOT" "$KVER"
	echo "$want" > "$4.nsim"
}

# 6.12's headers: the package Depends on the image (it would land in the
# host's /boot), so unpack headers, common headers and kbuild side by side
# and point their absolute symlinks into the unpacked tree.
prep_headers612() {
	local root=$CACHE/hdr/$K612_ABI want tmp l t
	want="$(apt-cache policy "linux-headers-$K612_VER" | awk '/Candidate:/ {print $2}') $CACHE_REV"
	stamp_ok "$root/.stamp" "$want" && return 0
	note "fetching linux-headers-$K612_VER"
	rm -rf "$root"
	mkdir -p "$root"
	tmp=$WORK/hdr
	mkdir -p "$tmp"
	apt_download "$tmp" "linux-headers-$K612_VER" "linux-headers-$K612_ABI-common" \
		"linux-kbuild-$K612_ABI"
	for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$root"; done
	rm -rf "$tmp"
	find "$root" -type l -lname '/*' | while read -r l; do
		t=$(readlink "$l")
		ln -sfn "$root$t" "$l"
	done
	# shellcheck disable=SC2153 # KDIR comes from profile_setup
	# The flavour's Makefile includes the common one by absolute path.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$KDIR/Makefile"
	[ -f "$KDIR/Makefile" ] || die "unpacked 6.12 headers lack $KDIR/Makefile"
	echo "$want" > "$root/.stamp"
}

# A Debian kernel image, unpacked, with vmlinux extracted, modules
# uncompressed, netdevsim added and modules.dep generated.
prep_debian() { # SOURCE-TARBALL
	local tarball=$1 img=$MODROOT pkg want tmp
	pkg=linux-image-$KVER-unsigned
	want="$(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')"
	want="$want $(pkg_ver "$(basename "$tarball" .tar.xz)") $CACHE_REV"
	if stamp_ok "$img/.stamp" "$want"; then
		prep_nsim "$tarball" "$KDIR" "$img/lib/modules/$KVER/extra/netdevsim.ko" \
			"$img/.stamp"
		return 0
	fi
	note "fetching $pkg"
	rm -rf "$img"
	mkdir -p "$img"
	tmp=$WORK/img
	mkdir -p "$tmp"
	apt_download "$tmp" "$pkg"
	dpkg -x "$tmp"/*.deb "$img"
	rm -rf "$tmp"
	# TCG runs the kernel's own xz decompressor slowly: an uncompressed
	# vmlinux boots about twice as fast.
	"$SRC61/scripts/extract-vmlinux" "$img/boot/vmlinuz-$KVER" > "$img/vmlinux.tmp"
	mv "$img/vmlinux.tmp" "$VMLINUX"
	# 6.12 ships .ko.xz; the guest's modprobe and busybox insmod then need
	# no decompressor.
	find "$img/lib/modules/$KVER" -name '*.ko.xz' -print0 |
		xargs -0 -r -P "$(nproc)" -n 64 unxz
	note "building netdevsim for $KVER"
	build_netdevsim "$tarball" "$KDIR" "$img/lib/modules/$KVER/extra/netdevsim.ko"
	depmod -b "$img" "$KVER"
	echo "$want" > "$img/.stamp"
	nsim_key "$img/.stamp" > "$img/.stamp.nsim"
}

# The debug kernel: tinyconfig + selftests/vm/debug.config, built once per
# fragment and source version.
prep_debug() {
	local d obj cfg opt miss=""
	d=$(dirname "$MODROOT")
	obj=$d/obj
	stamp_ok "$d/.stamp" "$(debug_key)" && return 0
	note "building the debug kernel in $obj (about 8 minutes on 2 cores)"
	rm -rf "$d"
	mkdir -p "$obj" "$MODROOT"
	make -s -C "$SRC61" O="$obj" tinyconfig >/dev/null
	"$SRC61/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
		"$VM_DIR/debug.config" >/dev/null
	make -s -C "$SRC61" O="$obj" olddefconfig >/dev/null
	# tinyconfig drops an option whose dependencies are missing without a
	# word; a debug kernel without KASAN would pass everything silently.
	cfg=$obj/.config
	while read -r opt; do
		grep -qx "$opt" "$cfg" || miss="$miss $opt"
	done < <(grep -oE '^CONFIG_[A-Z0-9_]+=[ym]' "$VM_DIR/debug.config")
	[ -z "$miss" ] || die "debug.config options lost by olddefconfig:$miss"
	make -C "$obj" -j"$(nproc)" bzImage modules > "$d/build.log" 2>&1 ||
		{ tail -n 40 "$d/build.log" >&2; die "debug kernel build failed, see $d/build.log"; }
	make -s -C "$obj" INSTALL_MOD_PATH="$MODROOT" INSTALL_MOD_STRIP=1 modules_install >/dev/null
	cp "$obj/arch/x86/boot/bzImage" "$VMLINUX"
	KVER=$(cat "$obj/include/config/kernel.release")
	depmod -b "$MODROOT" "$KVER"
	debug_key > "$d/.stamp"
}

# A busybox initramfs whose only job is to load the 9p transport and
# switch_root into the host's root filesystem (see README.md for why).
prep_initramfs() {
	local want tmp m
	want="$(sha256sum "$VM_DIR/initramfs-init" | cut -c1-16) $(pkg_ver busybox-static) $CACHE_REV"
	stamp_ok "$INITRD.stamp" "$want" && [ -f "$INITRD" ] && return 0
	tmp=$WORK/initramfs
	mkdir -p "$tmp/bin" "$tmp/lib/modules" "$tmp/dev" "$tmp/proc" "$tmp/sys" "$tmp/newroot"
	cp /bin/busybox "$tmp/bin/busybox"
	install -m 755 "$VM_DIR/initramfs-init" "$tmp/init"
	# Dependency order comes from the image's own modules.dep; on the debug
	# kernel all of it is built in and the list is empty.
	: > "$tmp/modules.list"
	for m in virtio_pci 9pnet_virtio 9p; do
		modprobe -d "$MODROOT" -S "$KVER" --show-depends "$m" |
			awk '$1 == "insmod" { print $2 }'
	done | awk '!seen[$0]++' | while read -r m; do
		cp "$m" "$tmp/lib/modules/"
		basename "$m" >> "$tmp/modules.list"
	done
	(cd "$tmp" && find . -print0 | cpio -o -0 -H newc --quiet) > "$INITRD.tmp"
	mv "$INITRD.tmp" "$INITRD"
	rm -rf "$tmp"
	echo "$want" > "$INITRD.stamp"
}

# All in a function: bash parses it whole before running it, so editing this
# file under a running prepare cannot derail it.
main() {
	src61
	kselftest_headers
	case $PROFILE in
	6.1|igb)
		prep_debian /usr/src/linux-source-6.1.tar.xz
		;;
	6.12)
		prep_headers612
		prep_debian /usr/src/linux-source-6.12.tar.xz
		;;
	debug)
		prep_debug
		profile_setup debug
		# The debug kernel builds netdevsim in-tree (debug.config); the
		# patched one is built against its tree and installed over it.
		prep_nsim /usr/src/linux-source-6.1.tar.xz "$KDIR" \
			"$MODROOT/lib/modules/$KVER/kernel/drivers/net/netdevsim/netdevsim.ko" \
			"$(dirname "$MODROOT")/.stamp"
		;;
	esac
	prep_initramfs
}
main
