#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test guest, run by the host's bash on the host's root
# filesystem (mounted read-only over 9p by initramfs-init). Sets up a
# writable scratch world, loads netdevsim, runs the selftests under a
# per-test timeout and writes their KTAP, nested kselftest style, to the
# second serial port. The verdict leaves through isa-debug-exit, so a crash
# or hang can never be mistaken for success.
#
# Kernel command line: vmtest.repo=DIR vmtest.profile=P vmtest.cache=DIR
#   vmtest.modroot=DIR vmtest.kver=VER [vmtest.tests=a,b] [vmtest.shell=1]
#   [vmtest.timeout_scale=N] [vmtest.rows=R vmtest.cols=C]
#   [vmtest.script=PATH] (run PATH instead of the tests, for make demo)
#   [vmtest.ko=PATH] (the vfpool.ko to test)

set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8 HOME=/tmp TERM=${TERM:-linux}

# Leave with RC through isa-debug-exit (QEMU exits ((RC+1)<<1)|1).
guest_exit() {
	local rc=$1
	# The streamer exits at EOF; its closing the last fd of ttyS1 waits
	# until the UART drained.
	exec 4>&- 2>/dev/null
	if [ -n "${streamer:-}" ]; then
		for _ in $(seq 50); do
			[ -e "/proc/$streamer/exe" ] || break
			sleep 0.1
		done
	fi
	sync
	printf '%b' "\\x$(printf %02x $((rc + 1)))" |
		dd of=/dev/port bs=1 seek=244 count=1 conv=notrunc status=none
	echo "vfpool guest: isa-debug-exit did not stop the VM" >/dev/console
	echo o > /proc/sysrq-trigger
	sleep 10
}

# All in a function: bash parses it whole before running it, so editing this
# file under a running instance cannot derail it.
main() {
	declare -A arg=()
	read -r -a cmdline < /proc/cmdline
	for a in "${cmdline[@]}"; do
		case $a in
		vmtest.*=*) a=${a#vmtest.}; arg[${a%%=*}]=${a#*=} ;;
		esac
	done
	REPO=${arg[repo]}
	export VFPOOL_REPO=$REPO
	export VFPOOL_PROFILE=${arg[profile]}
	export VFPOOL_CACHE=${arg[cache]}
	export VFPOOL_MODROOT=${arg[modroot]}
	export VFPOOL_KVER=${arg[kver]}
	export VFPOOL_KO=${arg[ko]:-$REPO/build/$VFPOOL_PROFILE/vfpool.ko}
	# Every wait of the suite is scaled by this (selftests/lib.sh).
	export VFPOOL_TIMEOUT_SCALE=${arg[timeout_scale]:-1}

	mountpoint -q /proc || mount -t proc proc /proc
	mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
	mount -t sysfs sysfs /sys
	mount -t debugfs debugfs /sys/kernel/debug
	mkdir -p /dev/pts /dev/shm
	# devtmpfs lacks these; bash process substitution needs /dev/fd.
	ln -sfn /proc/self/fd /dev/fd
	ln -sfn /proc/self/fd/0 /dev/stdin
	ln -sfn /proc/self/fd/1 /dev/stdout
	ln -sfn /proc/self/fd/2 /dev/stderr
	mount -t devpts devpts /dev/pts 2>/dev/null
	# The repo (a CI clone may well live in /tmp), the cache and the module
	# tree must stay visible under the tmpfs mounts below: park them on
	# /dev first and bind them back where a tmpfs hid them.
	local keep=() p k i=0
	for p in "$REPO" "$VFPOOL_MODROOT" "${arg[cache]:-}"; do
		if [ -z "$p" ] || [ ! -d "$p" ]; then
			continue
		fi
		mkdir -p "/dev/.vfpool-keep/$i" &&
			mount --bind "$p" "/dev/.vfpool-keep/$i" && keep+=("$i:$p")
		i=$((i + 1))
	done
	# The host's tree is read-only: everything a test may write is tmpfs.
	for d in /tmp /run /var/tmp /var/run /var/lib/dhcp /mnt /dev/shm; do
		[ -d "$d" ] && ! [ -L "$d" ] && mount -t tmpfs -o mode=1777 tmpfs "$d"
	done
	for k in "${keep[@]}"; do
		p=${k#*:}
		[ -d "$p" ] && continue
		mkdir -p "$p" && mount --bind "/dev/.vfpool-keep/${k%%:*}" "$p"
	done
	mkdir -p /run/netns /run/lock
	hostname "vfpool-${VFPOOL_PROFILE//./-}"
	ip link set lo up

	exec </dev/console >/dev/console 2>&1

	echo "vfpool guest: profile $VFPOOL_PROFILE kernel $(uname -r), up $(cut -d' ' -f1 /proc/uptime)s"
	# Not vfpool: tests load and unload it themselves, through lib.sh.
	modprobe -d "$VFPOOL_MODROOT" -S "$VFPOOL_KVER" netdevsim ||
		echo "vfpool guest: cannot load netdevsim"

	kmemleak=/sys/kernel/debug/kmemleak
	if [ -e $kmemleak ]; then
		# Whatever boot left behind is not ours to judge.
		echo scan > $kmemleak
		echo clear > $kmemleak
	fi

	if [ "${arg[shell]:-0}" = 1 ]; then
		[ -n "${arg[rows]:-}" ] && stty rows "${arg[rows]}" cols "${arg[cols]}"
		cat <<-EOF
	vfpool guest shell: repo $REPO (read-only), VFPOOL_KO=$VFPOOL_KO
	  source $REPO/selftests/lib.sh for the helpers; exit to power off
	EOF
		cd "$REPO" || true
		setsid -c bash -i
		guest_exit 0
	fi

	if [ -n "${arg[script]:-}" ]; then
		# make demo: one script, its output on the console for people.
		cd "$REPO" || guest_exit 1
		bash "${arg[script]}" </dev/null
		guest_exit $?
	fi

	# The tests named on the command line, else the profile's (as check.sh
	# would pick them).
	tests=()
	if [ -n "${arg[tests]:-}" ]; then
		IFS=, read -r -a tests <<< "${arg[tests]}"
	else
		# shellcheck source=profile-tests.sh
		. "$REPO/selftests/vm/profile-tests.sh"
		mapfile -t tests < <(profile_tests "$REPO" "$VFPOOL_PROFILE")
	fi

	timeout=300
	if [ -f "$REPO/selftests/settings" ]; then
		timeout=$(sed -n 's/^timeout=//p' "$REPO/selftests/settings")
	fi
	timeout=$((timeout * VFPOOL_TIMEOUT_SCALE))

	taint_mask() { # bits a test run may add: O (out-of-tree), E (unsigned)
		echo $(( $(cat /proc/sys/kernel/tainted) & ~(4096 | 8192) ))
	}
	taint0=$(taint_mask)

	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	# One long-lived writer for ttyS1: test output is indented under the
	# runner's own lines (marked with \001), and a test that leaves a process
	# holding its stdout cannot stall the run the way a per-test pipe would.
	exec 4> >(exec mawk -W interactive '
		/^\001/ { sub(/^\001/, ""); print > "/dev/ttyS1"; fflush("/dev/ttyS1"); next }
		{ print "    " $0 > "/dev/ttyS1"; fflush("/dev/ttyS1")
		  print > "/dev/console"; fflush("/dev/console") }')
	streamer=$!
	top() { printf '\001%s\n' "$*" >&4; }

	# Kill what a test left running (holders, daemons): it would hold vfpool
	# sockets into the next test. Kernel threads have no /proc/PID/exe.
	reap() {
		local p pids=() names=""
		for p in /proc/[0-9]*; do
			p=${p#/proc/}
			case $p in 1|"$streamer"|"$BASHPID") continue ;; esac
			[ -e "/proc/$p/exe" ] || continue
			pids+=("$p")
			names="$names $p:$(cat "/proc/$p/comm" 2>/dev/null)"
		done
		[ ${#pids[@]} -gt 0 ] || return 0
		echo "vfpool guest: killing processes $1 left behind:$names"
		top "# $1 left processes behind:$names"
		kill -9 "${pids[@]}" 2>/dev/null
	}

	nchecks=1
	[ -e $kmemleak ] && nchecks=2
	top "KTAP version 1"
	top "1..$(( ${#tests[@]} + nchecks ))"

	rc=0
	n=0
	cd "$REPO/selftests" || guest_exit 1
	for t in "${tests[@]}"; do
		n=$((n + 1))
		if [ ! -x "./$t" ]; then
			top "not ok $n $t # not found or not executable"
			rc=1
			continue
		fi
		# settings may give one test a limit of its own (timeout.NAME=S).
		t_timeout=$timeout
		if [ -f "$REPO/selftests/settings" ]; then
			own=$(awk -F= -v k="timeout.$t" '$1 == k { print $2 }' "$REPO/selftests/settings")
			[ -z "$own" ] || t_timeout=$((own * ${arg[timeout_scale]:-1}))
		fi
		t0=$(cut -d. -f1 /proc/uptime)
		echo "vfpool guest: === $t (timeout ${t_timeout}s, up ${t0}s)"
		# stdout is the test's KTAP, stderr goes to the console only.
		timeout -k 10 "$t_timeout" "./$t" </dev/null >&4
		trc=$?
		reap "$t"
		case $trc in
		0) top "ok $n $t" ;;
		4) top "ok $n $t # SKIP" ;;
		124|137) top "not ok $n $t # TIMEOUT ${t_timeout}s"; rc=1 ;;
		*) top "not ok $n $t # exit=$trc"; rc=1 ;;
		esac
		# check.sh plans its guests from these times (selftests/vm/costs).
		echo "vfpool guest: === $t exit $trc after $(( $(cut -d. -f1 /proc/uptime) - t0 ))s"
	done

	n=$((n + 1))
	taint1=$(taint_mask)
	if [ "$taint1" = "$taint0" ] && [ $((taint1 & (16 | 32 | 128 | 512 | 16384))) = 0 ]; then
		top "ok $n kernel_taint"
	else
		top "not ok $n kernel_taint # tainted=$(cat /proc/sys/kernel/tainted) at start=$taint0"
		rc=1
	fi

	if [ -e $kmemleak ]; then
		n=$((n + 1))
		# Two scans: an object is reported only once it looked unreferenced
		# in two consecutive passes.
		echo scan > $kmemleak
		echo scan > $kmemleak
		leaks=$(cat $kmemleak)
		if [ -z "$leaks" ]; then
			top "ok $n kmemleak"
		else
			printf '%s\n' "$leaks"
			printf '%s\n' "$leaks" | sed 's/^/\x01# /' >&4
			top "not ok $n kmemleak # suspected leaks, see the console log"
			rc=1
		fi
	fi

	echo "vfpool guest: done, rc=$rc"
	guest_exit $rc
}

main "$@"
