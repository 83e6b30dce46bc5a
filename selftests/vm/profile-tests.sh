# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by check.sh on the host and by guest-init.sh in the guest, so
# that both pick a profile's scripts the same way.
#
# profiles_key REPO KEY: the value of the line "KEY:" of selftests/profiles
# (a profile's globs, guest-seconds, smp2), empty if there is none.
profiles_key() {
	[ -f "$1/selftests/profiles" ] || return 0
	sed -n "s/^$2:[[:space:]]*//p" "$1/selftests/profiles"
}

# profile_tests REPO PROFILE: the profile's scripts, one a line: the globs
# of selftests/profiles for PROFILE, else every selftests/*.sh and every
# C selftest without a wrapper script of its own name; never lib.sh or the
# benchmarks.  A glob that matches nothing stays, so that the guest reports
# it "not found": a listed script missing is a failure, not dropped quietly.
# "!GLOB" leaves out what GLOB matches (the igb scripts on a profile
# without the igb NIC).
profile_tests() {
	local repo=$1 globs="*.sh *.c" g t matched seen=" " x

	g=$(profiles_key "$repo" "$2")
	[ -z "$g" ] || globs=$g
	# Globs are matched here, in the directory, never by the shell.
	set -f
	for g in $globs; do
		case $g in
		!*) seen="$seen$(cd "$repo/selftests" && set +f &&
				for x in ${g#!}; do printf '%s ' "$x"; done)"
		    continue ;;
		esac
	done
	for g in $globs; do
		case $g in !*) continue ;; esac
		set +f
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
		set -f
	done
	set +f
}
