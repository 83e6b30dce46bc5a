#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages vfpool's build and guest test bed need.
# As root it installs what is missing; otherwise it only names it.
#
# The kernel images, headers and sources for the guests are not installed
# here: selftests/vm/prepare.sh downloads and unpacks them into the cache
# (apt-get download + dpkg -x), so the host's /boot is never touched.

set -eu

PKGS="build-essential bc bison flex libelf-dev libssl-dev pkg-config
	kmod cpio xz-utils zstd busybox-static iproute2 jq python3 procps
	libmnl-dev libnl-3-dev libnl-genl-3-dev python3-yaml python3-jsonschema
	sparse dwarves libxml2-utils shellcheck mawk cpio dkms strace python3-pyflakes rsync systemd
	bash-completion
	linux-headers-6.1.0-56-amd64 linux-source-6.1 linux-source-6.12
	libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients"
# libvirt: bookworm's 9.0, for the real libvirtd the igb guest runs
# (selftests/libvirt_lib.bash).  Never libvirt-daemon-system (it pulls
# systemd-sysv, which replaces init), and not bookworm-backports' 11.x: its
# libvirt-daemon-common depends on systemd-container, which drags systemd
# 254 and systemd-sysv from backports along.
# qemu-system-x86 10 (igb with SR-IOV) comes from bookworm-backports.
BPO_PKGS="qemu-system-x86"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
bpo_missing=""
if ! qemu-system-x86_64 --version 2>/dev/null | grep -qE 'version (9|[1-9][0-9])\.'; then
	bpo_missing="$BPO_PKGS"
fi

[ -z "$missing$bpo_missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "vfpool: missing Debian packages:$missing ${bpo_missing:+$bpo_missing (from bookworm-backports)}" >&2
	echo "vfpool: run 'sudo $0' or install them by hand" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Add bookworm-backports beside the configured Debian archive, taking the
# mirror from the existing configuration instead of hard-coding one.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources |
	      awk '{print $2}' | grep -v -- '-security' | head -n 1)
	[ -n "$uri" ] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list |
			       awk '{print $2}' | grep -v -- '-security' | head -n 1)
	[ -n "$uri" ] || { echo "vfpool: cannot find a Debian mirror in apt sources" >&2; exit 1; }
	cat > /etc/apt/sources.list.d/vfpool-bookworm-backports.sources <<EOS
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
fi

apt-get update -qq
# shellcheck disable=SC2086
[ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing
# shellcheck disable=SC2086
[ -z "$bpo_missing" ] || apt-get install -y -qq --no-install-recommends -t bookworm-backports $bpo_missing
