#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/run.sh [--shell | --script PATH] PROFILE [TEST...]
#
# Boot a prepared guest profile under QEMU/TCG and run the selftests in it
# (all of them, or the TESTs named, e.g. vfpool_family.sh). The KTAP result
# is printed and kept with the console log under build/logs/PROFILE/.
# --shell gives an interactive bash on the guest's console instead;
# --script runs one guest script with its output on stdout (make demo).
#
# Exit status: 0 all passed, 1 a test failed (the guest itself was fine),
# 2 the guest failed: crash, hang (timeout), or a kernel splat in the log.
#
# Environment: VFPOOL_VM_TIMEOUT host-side limit per boot in seconds
# (default 1500, debug and igb 3000), VFPOOL_SMP vCPUs (1, or 2 for the
# "smp2:" tests of selftests/profiles), VFPOOL_CACHE cache directory,
# VFPOOL_LOGDIR where to keep this run's logs, VFPOOL_KO a vfpool.ko to test
# instead of build/PROFILE/vfpool.ko.

set -eu
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source-path=SCRIPTDIR source=profile-tests.sh
. "$(dirname "$0")/profile-tests.sh"

# All in a function: bash parses it whole before running it, so editing this
# file under a running instance cannot derail it.
main() {
	shell=0
	script=""
	case ${1:-} in
	--shell)
		shell=1
		shift
		;;
	--script)
		script=$(realpath "${2:?--script needs a path}")
		shift 2
		;;
	esac
	[ $# -ge 1 ] || die "usage: $0 [--shell | --script PATH] PROFILE [TEST...]"
	profile_setup "$1"
	shift
	if ! [ -f "$VMLINUX" ] || ! [ -f "$INITRD" ]; then
		die "profile $PROFILE is not prepared: run selftests/vm/prepare.sh $PROFILE"
	fi

	# A test is named relative to selftests/ (vfpool_family.sh) or by any path
	# inside the repo (a throwaway test under build/, say).
	tests=""
	for t in "$@"; do
		if [ -e "$t" ]; then
			t=$(realpath --relative-to="$REPO/selftests" "$t")
		fi
		[ -e "$REPO/selftests/$t" ] || die "no such test: selftests/$t"
		tests="${tests:+$tests,}$t"
	done
	case $tests in *" "*) die "test names must not contain spaces" ;; esac
	case $REPO$CACHE in *" "*) die "the repo and cache paths must not contain spaces" ;; esac

	# check.sh names the directory itself, to find this run's results.
	logdir=${VFPOOL_LOGDIR:-$REPO/build/logs/$PROFILE/$(date +%Y%m%d-%H%M%S)-$$}
	mkdir -p "$logdir"
	ln -sfn "$logdir" "$REPO/build/logs/$PROFILE/latest"
	console=$logdir/console.log
	ktap=$logdir/result.ktap

	scale=1
	# Hang guards only (each test has its own timeout): check.sh plans
	# guests of about half of these, so a runner twice as slow still fits.
	limit=1500
	if [ "$PROFILE" = debug ]; then
		# KASAN and lockdep under TCG: everything takes a few times longer.
		scale=3
		limit=3000
	fi
	if [ "$PROFILE" = igb ]; then
		# Real libvirtd starting nested QEMUs (vfpool_libvirtd_*): minutes.
		limit=3000
	fi
	limit=${VFPOOL_VM_TIMEOUT:-$limit}

	# One vCPU unless a test of the list runs things truly in parallel
	# ("smp2:" in selftests/profiles): under MTTCG a TLB shootdown between
	# two vCPUs stops both, and every test spawns many short processes, so
	# a 1-vCPU guest does the same work in less host CPU (quirks + process
	# on 6.1, two guests side by side: 81 s with one vCPU, 98 s with two).
	if [ -z "${VFPOOL_SMP:-}" ] && [ -n "$tests" ] && [ $shell = 0 ] && [ -z "$script" ]; then
		SMP=1
		read -r -a smp2 < <(profiles_key "$REPO" smp2)
		for t in "${smp2[@]}"; do
			case ,$tests, in *",$t,"*) SMP=2 ;; esac
		done
	fi

	append="console=ttyS0,115200 panic=-1 oops=panic hung_task_panic=1 $APPEND_EXTRA"
	append="$append vmtest.repo=$REPO vmtest.profile=$PROFILE vmtest.cache=$CACHE"
	append="$append vmtest.modroot=$MODROOT vmtest.kver=$KVER vmtest.timeout_scale=$scale"
	[ -z "$tests" ] || append="$append vmtest.tests=$tests"
	# VFPOOL_KO: test another build of the module (e.g. a deliberately broken one).
	[ -z "${VFPOOL_KO:-}" ] || append="$append vmtest.ko=$(realpath "$VFPOOL_KO")"

	# shellcheck disable=SC2054 # commas belong to qemu
	qemu=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot
	      -accel tcg -m "$MEM" -smp "$SMP" -nic none
	      "${QEMU_EXTRA[@]}"
	      -kernel "$VMLINUX" -initrd "$INITRD"
	      -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	      -device isa-debug-exit,iobase=0xf4,iosize=0x04)

	if [ $shell = 1 ]; then
		size=$(stty size 2>/dev/null || echo "")
		[ -z "$size" ] || append="$append vmtest.rows=${size% *} vmtest.cols=${size#* }"
		append="$append vmtest.shell=1"
		note "guest shell on $PROFILE; Ctrl-a x kills the VM"
		"${qemu[@]}" -append "$append" -serial mon:stdio -serial "file:$ktap" || true
		exit 0
	fi

	if [ -n "$script" ]; then
		# The console is the show: live on stdout (and kept in the log), with
		# only warnings and worse from the kernel in between.
		set +e
		timeout -k 10 "$limit" "${qemu[@]}" -append "quiet $append vmtest.script=$script" \
			-serial stdio -serial "file:$ktap" </dev/null | tee "$console"
		qrc=${PIPESTATUS[0]}
		[ "$qrc" = 3 ] || die "guest failed (qemu status $qrc), console log: $console"
		exit 0
	fi

	note "booting $PROFILE ($KVER), console log: $console"
	start=$(date +%s)
	set +e
	timeout -k 10 "$limit" "${qemu[@]}" -append "$append" \
		-serial "file:$console" -serial "file:$ktap" </dev/null
	qrc=$?
	set -e
	secs=$(( $(date +%s) - start ))
	# Serial output may carry CRs from the guest's tty layer.
	sed -i 's/\r$//' "$ktap" "$console"

	cat "$ktap"

	verdict=0
	case $qrc in
	3) ;;
	5) verdict=1 ;;
	124|137) note "guest timed out after ${limit}s"; verdict=2 ;;
	0) note "guest crashed or powered off without a verdict"; verdict=2 ;;
	*) note "qemu exited with status $qrc"; verdict=2 ;;
	esac

	# The guest checks the taint flags itself, but a splat printed on a path
	# that does not taint (or after the check) must fail the run as well.
	splat='BUG:|WARNING:|Oops|KASAN|possible circular locking|possible recursive locking'
	splat="$splat|inconsistent lock state|sleeping function called from invalid context"
	splat="$splat|unregister_netdevice: waiting|kmemleak: .* new suspected|Call Trace"
	splat="$splat|Kernel panic"
	if grep -E -n "$splat" "$console" > "$logdir/splats.txt"; then
		note "kernel splat in the console log:"
		head -n 20 "$logdir/splats.txt" >&2
		verdict=2
	else
		rm -f "$logdir/splats.txt"
	fi

	if [ $verdict = 2 ]; then
		note "$PROFILE: GUEST FAILURE after ${secs}s, console log: $console"
	elif [ $verdict = 1 ]; then
		note "$PROFILE: tests failed after ${secs}s, console log: $console"
	else
		note "$PROFILE: passed in ${secs}s"
	fi
	echo "$qrc $verdict $secs" > "$logdir/status"
	exit $verdict
}

main "$@"
