#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install of the tool into a DESTDIR (host side, no module): the unit,
# the udev rule, the man pages, the completion and the example config land
# where systemd, udev and man look; the installed unit passes
# `systemd-analyze verify` (with ExecStart= pointing into the DESTDIR, since
# nothing is installed on this machine) with no warning; the rule runs the
# installed binary on the events of a PF's VFs; the example config is all
# comments and parses; an existing pools.conf is never overwritten.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

test_init

command -v make >/dev/null || ktap_bail "make not found"
[ -x "$VFPOOLCTL" ] || ktap_bail "no vfpoolctl at $VFPOOLCTL"

src=$VFPOOL_REPO/userspace
# -o vfpoolctl: install the binary as built, never rebuild it here
inst() { # DESTDIR [VAR=VALUE...]
	local d=$1
	shift
	make -s -C "$src" -o vfpoolctl install DESTDIR="$d" "$@" >"$tmp/make.log" 2>&1
}

test_install_local() {
	local d=$tmp/local f
	inst "$d" || { cat "$tmp/make.log"; return 1; }
	for f in usr/local/bin/vfpoolctl \
		 usr/local/share/man/man8/vfpoolctl.8 \
		 usr/local/share/man/man5/vfpool.conf.5 \
		 usr/local/share/bash-completion/completions/vfpoolctl \
		 usr/local/lib/systemd/system/vfpool.service \
		 etc/udev/rules.d/80-vfpool.rules \
		 usr/local/share/doc/vfpool/pools.conf.example \
		 etc/vfpool/pools.conf; do
		[ -s "$d/$f" ] || { echo "missing $f"; return 1; }
	done
	grep -q '^ExecStart=/usr/local/bin/vfpoolctl pool apply /etc/vfpool/pools.conf$' \
		"$d/usr/local/lib/systemd/system/vfpool.service"
}

test_install_usr() {
	local d=$tmp/usr
	inst "$d" PREFIX=/usr || { cat "$tmp/make.log"; return 1; }
	grep -q '^ExecStart=/usr/bin/vfpoolctl pool apply /etc/vfpool/pools.conf$' \
		"$d/usr/lib/systemd/system/vfpool.service" &&
		grep -q 'RUN+="/usr/bin/vfpoolctl pool apply /etc/vfpool/pools.conf"' \
			"$d/usr/lib/udev/rules.d/80-vfpool.rules"
}

test_config_kept() {
	local d=$tmp/local
	echo "pf eth9 name mine" >"$d/etc/vfpool/pools.conf"
	inst "$d" || return 1
	[ "$(cat "$d/etc/vfpool/pools.conf")" = "pf eth9 name mine" ]
}

test_unit_verifies() {
	local d=$tmp/local unit=$tmp/vfpool.service out
	command -v systemd-analyze >/dev/null || { echo "no systemd-analyze"; return 4; }
	grep -q '^Type=oneshot$' "$d/usr/local/lib/systemd/system/vfpool.service" &&
		grep -q '^RemainAfterExit=yes$' "$d/usr/local/lib/systemd/system/vfpool.service" &&
		grep -q '^Before=libvirtd.service virtqemud.service$' \
			"$d/usr/local/lib/systemd/system/vfpool.service" || return 1
	sed "s|/usr/local/bin/|$d/usr/local/bin/|g" \
		"$d/usr/local/lib/systemd/system/vfpool.service" >"$unit"
	out=$(systemd-analyze verify --man=no "$unit" 2>&1)
	echo "$out"
	[ -z "$out" ] || return 1
	# and the check does catch a broken unit
	sed 's/^Type=oneshot/Type=oneshoot/' "$unit" >"$tmp/bad.service"
	mkdir -p "$tmp/bad" && mv "$tmp/bad.service" "$tmp/bad/vfpool.service"
	[ -n "$(systemd-analyze verify --man=no "$tmp/bad/vfpool.service" 2>&1)" ]
}

# udev rule syntax: every rule is KEY==/!=/=/+= "VALUE" pairs with known
# keys, and each runs the installed vfpoolctl on the installed config.
test_rule_syntax() {
	local r=$tmp/local/etc/udev/rules.d/80-vfpool.rules line n=0 rest pair
	while IFS= read -r line; do
		case $line in '' | '#'*) continue ;; esac
		n=$((n + 1))
		rest=$line
		while [ -n "$rest" ]; do
			pair=${rest%%\", *}
			[ "$pair" = "$rest" ] || pair=$pair\"
			[[ $pair =~ ^(ACTION|SUBSYSTEM|DRIVER|KERNEL)(==|!=)\"[^\"]*\"$ ||
			   $pair =~ ^(ATTR|TEST)\{[a-z_/]+\}(==|!=)\"[^\"]*\"$ ||
			   $pair =~ ^TEST==\"[a-z_/]+\"$ ||
			   $pair =~ ^RUN\+=\"[^\"]+\"$ ]] ||
				{ echo "bad: $pair"; return 1; }
			[ "$pair" = "$rest" ] && break
			rest=${rest#"${pair}, "}
		done
		[[ $line == *'RUN+="/usr/local/bin/vfpoolctl pool apply /etc/vfpool/pools.conf"' ]] ||
			{ echo "does not run pool apply: $line"; return 1; }
	done <"$r"
	[ "$n" -ge 3 ] && grep -q 'ACTION=="change", ATTR{sriov_numvfs}' "$r"
}

test_example_parses() {
	# all comments: parses, and a parse failure would exit 1 before netlink
	local rc
	"$VFPOOLCTL" pool apply "$tmp/local/usr/local/share/doc/vfpool/pools.conf.example" \
		>/dev/null 2>"$tmp/err"
	rc=$?
	cat "$tmp/err"
	# 0 with the module, 2 without it; never 1 (a parse error)
	[ "$rc" = 0 ] || [ "$rc" = 2 ]
}

ktap_begin 6
ktap_check "make_install_destdir_prefix_usr_local" test_install_local
ktap_check "make_install_destdir_prefix_usr" test_install_usr
ktap_check "make_install_keeps_an_existing_pools_conf" test_config_kept
out=$(test_unit_verifies 2>&1)
case $? in
0) ktap_ok "vfpool_service_passes_systemd_analyze_verify" ;;
4) ktap_fail "vfpool_service_passes_systemd_analyze_verify" "no systemd-analyze (package systemd)" ;;
*) ktap_fail "vfpool_service_passes_systemd_analyze_verify" "$out" ;;
esac
ktap_check "80_vfpool_rules_syntax_and_command" test_rule_syntax
ktap_check "the_example_pools_conf_parses" test_example_parses
ktap_end
