# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by check.sh on the host and by guest-init.sh in the guest, so
# that both pick a profile's scripts the same way.
#
# profile_tests REPO PROFILE: the profile's scripts, one a line: the globs
# of selftests/profiles for PROFILE, else every selftests/*.sh and every
# C selftest without a wrapper script of its own name; never lib.sh or the
# benchmarks.  A glob that matches nothing stays, so that the guest reports
# it "not found": a listed script missing is a failure, not dropped quietly.
profile_tests() {
	local repo=$1 globs="*.sh *.c" g t matched seen=" "

	if [ -f "$repo/selftests/profiles" ]; then
		g=$(sed -n "s/^$2:[[:space:]]*//p" "$repo/selftests/profiles")
		[ -z "$g" ] || globs=$g
	fi
	for g in $globs; do
		matched=0
		for t in "$repo"/selftests/$g; do
			[ -e "$t" ] || continue
			matched=1
			t=$(basename "$t")
			case $t in
			lib.sh|bench_*) continue ;;
			*.c) [ -e "$repo/selftests/${t%.c}.sh" ] && continue
			     t=${t%.c} ;;
			esac
			case $seen in *" $t "*) continue ;; esac
			seen="$seen$t "
			echo "$t"
		done
		[ "$matched" = 1 ] || echo "$g"
	done
}
