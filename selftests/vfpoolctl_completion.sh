#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bash completion of vfpoolctl (host side, no module): commands, keywords
# and options, and PF names, pool names and owner labels read from the
# running state (`vfpoolctl -j pool show` / `vf show`), here a stand-in
# vfpoolctl on PATH that prints fixed JSON and records its arguments, so
# that -n NETNS can be seen passed on.

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || ktap_bail "bash-completion not installed"

test_init

mkdir "$tmp/bin"
cat >"$tmp/bin/vfpoolctl" <<EOF2
#!/bin/sh
echo "\$*" >>"$tmp/calls"
case "\$*" in
*"pool show"*) echo '[{"pf":"enp1s0f0","pool":"tenant-red","pci":"0000:01:00.0"},{"pf":"enp1s0f1","pool":"blue","pci":null}]' ;;
*"vf show"*) echo '[{"pf":"enp1s0f0","vf":0,"owner":"vfpool-instance-0000000a-7c0bbd2b-8f3c-long"},{"pf":"enp1s0f0","vf":1,"owner":null}]' ;;
esac
EOF2
chmod +x "$tmp/bin/vfpoolctl"

# complete WORDS...: what completing the last word offers, sorted, one line
complete_words() {
	PATH=$tmp/bin:$PATH bash -c '
		source "$1"; source "$2"; shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_vfpoolctl vfpoolctl "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " "' \
		_ "$BC" "$VFPOOL_REPO/userspace/completion/vfpoolctl" "$@"
}

offers() { # EXPECTED WORDS...
	local want=$1 got
	shift
	got=$(complete_words "$@")
	echo "vfpoolctl ${*:2}: [$got], want [$want]"
	[ "$got" = "$want" ]
}

ktap_begin 9
ktap_check "objects" offers "help monitor pool stats vf " vfpoolctl ""
ktap_check "pool_commands" offers "add apply del help set show " vfpoolctl pool ""
ktap_check "pf_names" offers "enp1s0f0 enp1s0f1 " vfpoolctl pool set dev ""
ktap_check "pool_names" offers "blue tenant-red " vfpoolctl vf reserve pool ""
ktap_check "owner_labels" offers "vfpool-instance-0000000a-7c0bbd2b-8f3c-long " \
	vfpoolctl vf release owner vf
ktap_check "park_policies" offers "link-down none vlan " vfpoolctl pool add dev x park ""
ktap_check "release_keywords" offers "dev force help ignore-missing owner pci vf " \
	vfpoolctl vf release owner x ""
ktap_check "options" offers "-V -Version -b -batch -force -h -help -j -json -n -netns -p -pretty " \
	vfpoolctl -
test_netns_passed() {
	: >"$tmp/calls"
	complete_words vfpoolctl -n ns7 vf show owner "" >/dev/null
	cat "$tmp/calls"
	grep -q -- '^-n ns7 -j vf show$' "$tmp/calls"
}
ktap_check "n_netns_is_passed_on_to_the_state_query" test_netns_passed
ktap_end
