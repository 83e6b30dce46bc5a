#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The documented examples, run as written so that they cannot drift: every
# .EX/.EE block of EXAMPLES in Documentation/vfpoolctl.8, the example of
# Documentation/vfpool.conf.5 (the file and its "Then:" commands) and the
# two error messages vfpoolctl.8 quotes are extracted from the pages at run
# time (roff escapes undone, nothing copied here), and so are the eight
# tasks of README.md's Usage; their placeholders are mapped by the one
# table below, and they run against netdevsim PFs; each case asserts the
# example succeeds and the effect it describes, read back with ip link,
# vfpoolctl -j and the processes involved.  A new example in a page fails
# "every_example_has_a_case" until it gets one here.

# shellcheck disable=SC2015  # a && b || fail: b fails too
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=vfpool_lib.bash
source "$(dirname "$0")/vfpool_lib.bash"

# doc PATH: a file of the repository, or its copy in an installed
# kselftest tree (selftests/Makefile's TEST_FILES)
doc() {
	if [ -f "$VFPOOL_TESTS/${1##*/}" ]; then
		echo "$VFPOOL_TESTS/${1##*/}"
	else
		echo "$VFPOOL_REPO/$1"
	fi
}
MAN=$(doc Documentation/vfpoolctl.8)
CONF_MAN=$(doc Documentation/vfpool.conf.5)
README=$(doc README.md)
UNIT=$(doc userspace/systemd/vfpool.service)
netns=vfpoolex$$

test_init
vfpool_setup
need_cmd pgrep awk
id=$(nsim_id 3)
A=$(nsim_pf "$id" 8) && B=$(nsim_pf $((id + 1)) 16) &&
	C=$(nsim_pf $((id + 2)) 2) || ktap_bail "cannot create netdevsim PFs"
ip netns add "$netns" || ktap_bail "cannot create network namespace $netns"
defer ip netns del "$netns"
defer release_all
[ -f "$MAN" ] && [ -f "$CONF_MAN" ] && [ -f "$README" ] && [ -f "$UNIT" ] ||
	ktap_bail "missing one of $MAN $CONF_MAN $README $UNIT"
# the examples call "vfpoolctl" by name
mkdir -p "$tmp/bin" "$tmp/qemu"
ln -s "$VFPOOLCTL" "$tmp/bin/vfpoolctl"
export PATH=$tmp/bin:$PATH

# A stand-in for QEMU (the guest has none): records its arguments, the
# environment vfpoolctl exec gives it and the VF as ip link shows it then.
cat >"$tmp/qemu-system-x86_64" <<EOF
#!/bin/bash
echo "\$*" >"$tmp/qemu.args"
env | grep ^VFPOOL_ >"$tmp/qemu.env"
ip -j link show dev "\$VFPOOL_PF" |
	jq -c --argjson vf "\$VFPOOL_VF" '.[0].vfinfo_list[] | select(.vf == \$vf)' >"$tmp/qemu.vf"
EOF
chmod +x "$tmp/qemu-system-x86_64"

# The placeholders of the pages, and what stands for them here: literal
# text, the first that matches wins.  netdevsim VFs have no PCI address, so the
# hook's "pci ADDR" names its VF by index instead.
placeholders=(
	"pci 0000:01:10.2"		"vf 2"
	"/run/libvirt/qemu/"		"$tmp/qemu/"
	"qemu-system-x86_64 ..."	"$tmp/qemu-system-x86_64"
	"4242"				"@JOBPID@"
	"tenant1"			"$netns"
	"0000:3b:00.0"			"$A"
	"0000:3b:00.1"			"$B"
	"enp94s0f0"			"$C"
	"eth0"				"$A"
	"eth1"				"$B"
	"eth2"				"$A"
	"eth3"				"$B"
	"/etc/vfpool/pools.conf"	"$tmp/pools.conf"
	"/usr/local/bin/vfpoolctl"	"vfpoolctl"
	"/var/lib/node_exporter/"	"$tmp/"
	"commands.txt"			"$tmp/commands.txt"
)

map_placeholders() { # FILE: in place, each text once (a value is
	local s i	# never searched again for the placeholders after it)
	s=$(cat "$1")
	for ((i = 0; i < ${#placeholders[@]}; i += 2)); do
		s=${s//"${placeholders[i]}"/"@@placeholder$i@@"}
	done
	for ((i = 0; i < ${#placeholders[@]}; i += 2)); do
		s=${s//"@@placeholder$i@@"/"${placeholders[i + 1]}"}
	done
	printf '%s\n' "$s" >"$1"
}

# blocks PAGE SECTION OPEN CLOSE PREFIX: each OPEN..CLOSE block of the
# page's SECTION into PREFIX.1, PREFIX.2, ..., roff escapes undone and
# placeholders mapped; prints how many.
blocks() {
	local n f
	awk -v sec=".SH $2" -v op="$3" -v cl="$4" -v out="$5" '
		$0 == sec { in_sec = 1; next }
		/^\.SH / { in_sec = 0 }
		!in_sec { next }
		$0 == op { n++; in_blk = 1; printf "" > (out "." n); next }
		$0 == cl { in_blk = 0; close(out "." n); next }
		in_blk { print > (out "." n) }
		END { print n + 0 }' "$1" >"$5.count"
	n=$(cat "$5.count")
	for ((f = 1; f <= n; f++)); do
		sed -i -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\e/\\/g' \
			-e 's/\\(em/--/g' "$5.$f"
		map_placeholders "$5.$f"
	done
	echo "$n"
}

# readme PREFIX: the tasks of README.md's Usage ("# N. ..." starts one)
# into PREFIX.1, PREFIX.2, ..., placeholders mapped; prints how many.
readme() {
	local n f
	awk -v out="$1" '
		/^## / { in_sec = ($0 == "## Usage"); next }
		!in_sec || !/^    / { next }
		{ sub(/^    /, "") }
		/^# [0-9]+\. / { n++ }
		n { print > (out "." n) }
		END { print n + 0 }' "$README" >"$1.count"
	n=$(cat "$1.count")
	for ((f = 1; f <= n; f++)); do
		map_placeholders "$1.$f"
	done
	echo "$n"
}

nex=$(blocks "$MAN" EXAMPLES .EX .EE "$tmp/ex")
nreadme=$(readme "$tmp/readme")
nconf=$(blocks "$CONF_MAN" EXAMPLE .nf .fi "$tmp/conf")
blocks "$MAN" "EXIT STATUS" .EX .EE "$tmp/exit" >/dev/null
blocks "$MAN" DESCRIPTION .nf .fi "$tmp/desc" >/dev/null

# The state every example starts from: nothing held, nothing enrolled.
fresh() {
	local p
	vfpoolctl vf release all force >/dev/null || return 1
	for p in $(vfpoolctl -j pool show | jq -r '.[].pf'); do
		vfpoolctl pool del dev "$p" >/dev/null || return 1
	done
}

# job: a process to bind reservations to; its pid in $job (its output
# away from ktap_check's, which would wait for it)
start_job() {
	sleep 600 >/dev/null 2>&1 &
	job=$!
	track "$job"
}

vf_json() { # PF VF: the VF as vfpoolctl -j reports it
	vfpoolctl -j vf show dev "$1" vf "$2" | jq '.[0]'
}

vf_is_free_and_zero() { # PF VF
	[ "$(vf_json "$1" "$2" | jq -r .state)" = free ] &&
		[ "$(vf_field "$1" "$2" mac)" = "$ZERO" ] &&
		[ "$(vf_field "$1" "$2" vlan)" = 0 ]
}

run_block() { # FILE: runs it with bash -e, output in FILE.out/.err
	bash -e "$1" >"$1.out" 2>"$1.err" ||
		{ echo "example failed ($?):"; cat "$1" "$1.err"; return 1; }
}

# 1: enroll VFs 0-7 of eth0 into pool net0 and list them
test_ex1() {
	fresh && run_block "$tmp/ex.1" || return 1
	vfpoolctl -j pool show dev "$A" | jq -e '.[0] | .pool == "net0" and
		.vf_first == 0 and .vf_last == 7 and .total == 8' >/dev/null &&
		[ "$(grep -c " net0" "$tmp/ex.1.out")" = 9 ] &&
		[ "$(vfpoolctl -j vf show pool net0 | jq length)" = 8 ]
}

# 2: qemu holds a VF with MAC and VLAN set; reset when it exits
test_ex2() {
	local vf
	fresh && vfpoolctl pool add dev "$A" vfs 0-7 name net0 >/dev/null &&
		run_block "$tmp/ex.2" || return 1
	cat "$tmp/qemu.args" "$tmp/qemu.env" "$tmp/qemu.vf"
	vf=$(sed -n 's/^VFPOOL_VF=//p' "$tmp/qemu.env")
	grep -qx "VFPOOL_PF=$A" "$tmp/qemu.env" &&
		grep -q -- "-device vfio-pci,host=" "$tmp/qemu.args" &&
		jq -e '.address == "52:54:00:12:34:56" and
			(.vlan_list[0].vlan // .vlan) == 10' "$tmp/qemu.vf" >/dev/null &&
		busywait 5000 vf_is_free_and_zero "$A" "$vf"
}

hook_held() { # DOMAIN PID: VF 2 held for DOMAIN, bound to process PID
	vf_json "$A" 2 | jq -e --arg d "$1" --argjson p "$2" '.state == "reserved" and
		.owner == $d and .holder == "process" and .pid == $p' >/dev/null
}

# 3: the libvirt hook: prepare/begin reserves the domain's VF before QEMU
# exists, bound to the pid QEMU writes later; release/end releases it
test_ex3() {
	local hook=$tmp/ex.3 d=vm-ex3
	fresh && vfpoolctl pool add dev "$A" name net0 >/dev/null || return 1
	chmod +x "$hook"
	"$hook" "$d" prepare begin || { echo "prepare begin failed"; return 1; }
	start_job
	echo "$job" >"$tmp/qemu/$d.pid"
	busywait 10000 hook_held "$d" "$job" || { vf_json "$A" 2; return 1; }
	[ "$(vf_field "$A" 2 mac)" = 52:54:00:12:34:56 ] &&
		[ "$(vf_field "$A" 2 vlan)" = 10 ] || { echo "VF 2 not configured"; return 1; }
	# QEMU exits: the kernel resets the VF; release/end then finds nothing
	kill "$job"
	busywait 5000 vf_is_free_and_zero "$A" 2 || { echo "not reset after exit"; return 1; }
	"$hook" "$d" release end || { echo "release end with nothing held failed"; return 1; }
	# and release/end ends a reservation whose QEMU is still there
	rm -f "$tmp/qemu/$d.pid"
	"$hook" "$d" prepare begin && start_job && echo "$job" >"$tmp/qemu/$d.pid" &&
		busywait 10000 hook_held "$d" "$job" || return 1
	"$hook" "$d" release end && vf_is_free_and_zero "$A" 2
}

monitor_saw() { # PATTERN [FILE]
	grep -q -- "$1" "${2:-$tmp/ex.4.out}"
}

# A change of the pool name, until monitor prints one: it is listening.
# Changed back at once, so the pool keeps its name.
monitor_listens() { # [FILE]
	local name
	name=$(vfpoolctl -j pool show dev "$A" | jq -r '.[0].pool')
	vfpoolctl pool set dev "$A" name probe >/dev/null &&
		vfpoolctl pool set dev "$A" name "$name" >/dev/null &&
		monitor_saw "^pool-changed " "$@"
}

# 4: a VF held as long as a process runs; monitor shows it go
test_ex4() {
	local out vf b m
	fresh && vfpoolctl pool add dev "$A" name net0 >/dev/null || return 1
	start_job
	sed -i "s/@JOBPID@/$job/g" "$tmp/ex.4"
	bash -e "$tmp/ex.4" >"$tmp/ex.4.out" 2>"$tmp/ex.4.err" &
	b=$!
	track "$b"
	# the reserve line comes first; an event proves monitor is listening
	busywait 5000 monitor_saw '^{' || { cat "$tmp/ex.4.err"; return 1; }
	out=$(head -n 1 "$tmp/ex.4.out")
	echo "$out"
	jq -e --argjson p "$job" '.owner == "job42" and .holder == "process" and
		.pid == $p and .state == "reserved"' <<<"$out" >/dev/null || return 1
	vf=$(jq .vf <<<"$out")
	busywait 5000 monitor_listens ||
		{ echo "monitor not listening"; cat "$tmp/ex.4.out"; return 1; }
	kill "$job"
	busywait 5000 monitor_saw "^released pf $A vf $vf .*owner job42 .*reason process-exited" ||
		{ cat "$tmp/ex.4.out"; return 1; }
	vf_is_free_and_zero "$A" "$vf" || return 1
	# monitor ends with exit 0 on SIGINT, and the example with it
	m=$(pgrep -P "$b" -x vfpoolctl) && kill -INT "$m" && wait "$b"
}

# 5: release everything labelled vm1
test_ex5() {
	fresh && vfpoolctl pool add dev "$A" name net0 >/dev/null || return 1
	start_job
	vfpoolctl vf reserve dev "$A" vf 1 owner vm1 detach pid "$job" >/dev/null &&
		vfpoolctl vf reserve dev "$A" vf 4 owner vm1 detach pid "$job" >/dev/null &&
		[ "$(vfpoolctl -j vf show owner vm1 | jq length)" = 2 ] || return 1
	run_block "$tmp/ex.5" &&
		[ "$(vfpoolctl -j vf show owner vm1 | jq length)" = 0 ] &&
		vf_is_free_and_zero "$A" 1 && vf_is_free_and_zero "$A" 4
}

# "systemctl enable --now vfpool" is what the unit starts, read from it
unit_start() {
	sed -n 's/^ExecStart=//p' "$UNIT" >"$tmp/unit.start" &&
		map_placeholders "$tmp/unit.start" && cat "$tmp/unit.start"
}

conf_applied() { # the enrolment vfpool.conf(5)'s example file describes
	vfpoolctl -j pool show | jq -e --arg a "$A" --arg b "$B" --arg c "$C" '
		(map({(.pf): .}) | add) as $p |
		length == 3 and
		$p[$a].pool == "tenant" and $p[$a].vf_first == 0 and
		$p[$a].vf_last == 7 and $p[$a].park == "link-down" and
		$p[$b].pool == "tenant" and $p[$b].vf_first == 0 and
		$p[$b].vf_last == 15 and $p[$b].park == "vlan" and
		$p[$b].park_vlan == 4000 and
		$p[$c].pool == "storage" and $p[$c].park == "none" and
		$p[$c].park_mac == "02:00:00:00:00:01"' >/dev/null
}

run_with_unit() { # FILE: its systemctl line replaced by the unit's command
	local start
	start=$(unit_start) || return 1
	sed -i "s|^systemctl enable --now vfpool\$|$start|" "$1"
	grep -q systemctl "$1" && { echo "no systemctl line to map in $1"; return 1; }
	run_block "$1"
}

# vfpool.conf(5): the example file, then "systemctl enable --now vfpool"
# and "vfpoolctl pool show" (right after example 6, which applied the same
# file: the apply has nothing to do, and shows it)
test_conf() {
	[ "$nconf" = 2 ] || { echo "$nconf blocks in vfpool.conf.5"; return 1; }
	cp "$tmp/conf.1" "$tmp/pools.conf"
	sed -i 's/^# //' "$tmp/conf.2"	# the root prompt
	run_with_unit "$tmp/conf.2" && conf_applied &&
		grep -q "^$C .*storage" "$tmp/conf.2.out" &&
		! grep -q -e '^add' -e '^set' "$tmp/conf.2.out"
}

# 6: enroll at boot what pools.conf lists, and check it (pools.conf: the
# example of vfpool.conf(5)); -n NETNS shows that namespace's VFs: none
test_ex6() {
	fresh && cp "$tmp/conf.1" "$tmp/pools.conf" &&
		run_with_unit "$tmp/ex.6" && conf_applied || return 1
	tail -n 1 "$tmp/ex.6.out" | jq -e 'length == 0' >/dev/null &&
		[ "$(vfpoolctl -j vf show | jq length)" = 26 ]
}

# 7: several commands in one run
test_ex7() {
	fresh && run_block "$tmp/ex.7" || return 1
	vfpoolctl -j pool show | jq -e --arg a "$A" --arg b "$B" '
		length == 2 and all(.[]; .pool == "red") and
		(map(.pf) | sort) == ([$a, $b] | sort)' >/dev/null
}

# EXIT STATUS: the kernel's refusal as vfpoolctl prints it (exit 2)
test_exit_example() {
	local want got rc=0
	want=$(cat "$tmp/exit.1")
	fresh && vfpoolctl pool add dev "$A" name net0 >/dev/null && start_job &&
		vfpoolctl vf reserve dev "$A" vf 3 owner vm1 detach pid "$job" >/dev/null ||
		return 1
	got=$(vfpoolctl vf reserve dev "$A" vf 3 2>&1 >/dev/null) || rc=$?
	echo "want: $want"
	echo "got:  $got (exit $rc)"
	[ "$rc" = 2 ] && [ "$got" = "$want" ]
}

# DESCRIPTION: a command line that does not parse (exit 1, nothing sent)
test_usage_example() {
	local want got word rc=0
	want=$(cat "$tmp/desc.1")
	word=$(sed -n 's/^Error: unknown keyword "\([^"]*\)".*/\1/p' <<<"$want")
	[ -n "$word" ] || { echo "no keyword in: $want"; return 1; }
	got=$(vfpoolctl pool add dev "$A" "$word" x 2>&1 >/dev/null) || rc=$?
	echo "want: $want"
	echo "got:  $got (exit $rc)"
	[ "$rc" = 1 ] && [ "$got" = "$want" ]
}

# README 1: enroll by hand, or from pools.conf (saying the same: the
# apply then has nothing to do and prints nothing), and show
test_readme1() {
	fresh && printf 'pf %s name net0 park link-down\npf %s vfs 0-15 name net0 park vlan 4000\n' \
		"$A" "$B" >"$tmp/pools.conf" && run_block "$tmp/readme.1" || return 1
	cat "$tmp/readme.1.out"
	vfpoolctl -j pool show | jq -e --arg a "$A" --arg b "$B" '
		(map({(.pf): .}) | add) as $p | length == 2 and
		$p[$a].pool == "net0" and $p[$a].park == "link-down" and
		$p[$b].pool == "net0" and $p[$b].vf_first == 0 and
		$p[$b].vf_last == 15 and $p[$b].park == "vlan" and
		$p[$b].park_vlan == 4000' >/dev/null &&
		[ "$(grep -c " net0 " "$tmp/readme.1.out")" = 4 ] &&
		! grep -q -e '^add' -e '^set' "$tmp/readme.1.out"
}

net0() { # both PFs in pool net0, nothing held
	fresh && vfpoolctl pool add dev "$A" name net0 >/dev/null &&
		vfpoolctl pool add dev "$B" name net0 >/dev/null
}

# README 2: reserve for a guest, held by a vfpoolctl in the background
test_readme2() {
	local v pf vf
	net0 && run_block "$tmp/readme.2" || return 1
	cat "$tmp/readme.2.out"
	v=$(vfpoolctl -j vf show owner vm1)
	track "$(jq '.[0].pid' <<<"$v")"
	pf=$(jq -r '.[0].pf' <<<"$v")
	vf=$(jq '.[0].vf' <<<"$v")
	[ "$(jq length <<<"$v")" = 1 ] &&
		[ "$(vf_field "$pf" "$vf" mac)" = 52:54:00:12:34:56 ] &&
		[ "$(vf_field "$pf" "$vf" vlan)" = 100 ] &&
		[ "$(grep -c "vm1" "$tmp/readme.2.out")" -ge 3 ] &&
		grep -q '"state": "reserved"' "$tmp/readme.2.out"
}

# README 3: change the VLAN of vm1's VF 3, release it twice
test_readme3() {
	net0 && start_job &&
		vfpoolctl vf reserve dev "$A" vf 3 owner vm1 detach pid "$job" >/dev/null &&
		run_block "$tmp/readme.3" || return 1
	vf_is_free_and_zero "$A" 3 &&
		vfpoolctl vf release owner vm1 ignore-missing
}

readme4_monitor() { # the block's monitor, once it prints events
	local m
	m=$(pgrep -P "$1" -x vfpoolctl) &&
		monitor_listens "$tmp/readme.4.out" && echo "$m"
}

# README 4: monitor (ended with SIGINT once it listens), then the
# textfile for node_exporter, written atomically
test_readme4() {
	local b m
	net0 || return 1
	bash -e "$tmp/readme.4" >"$tmp/readme.4.out" 2>"$tmp/readme.4.err" &
	b=$!
	track "$b"
	m=$(busywait 5000 readme4_monitor "$b") || { cat "$tmp/readme.4.err"; return 1; }
	kill -INT "$m" && wait "$b" || { echo "block failed"; cat "$tmp/readme.4.err"; return 1; }
	cat "$tmp/vfpool.prom"
	grep -qx 'vfpool_free{pool="net0"} 24' "$tmp/vfpool.prom" &&
		! ls "$tmp"/vfpool.prom.* 2>/dev/null
}

# README 5: a quarantined VF: its holder died while the driver refused
# every write to it (netdevsim's fail_vfs quirk, as in
# vfpool_quarantine.sh); with the driver healthy again, the block shows
# why and the force release resets it.
test_readme5() {
	net0 && start_job &&
		vfpoolctl vf reserve dev "$A" vf 5 mac 52:54:00:00:05:05 owner vm5 \
			detach pid "$job" >/dev/null || return 1
	defer nsim_quirk "$id" fail_vfs 0
	nsim_quirk "$id" fail_vfs 0x20 && kill_wait "$job" &&
		busywait 20000 vp_is "$A" 5 '.state == "quarantined"' &&
		nsim_quirk "$id" fail_vfs 0 || return 1
	run_block "$tmp/readme.5" || return 1
	cat "$tmp/readme.5.out"
	grep -q "^$A .*quarantined" "$tmp/readme.5.out" &&
		vf_is_free_and_zero "$A" 5
}

# README 6: park policy changed, the held VF untouched
test_readme6() {
	net0 && start_job &&
		vfpoolctl vf reserve dev "$B" vf 1 mac 52:54:00:00:06:01 vlan 61 owner vm6 \
			detach pid "$job" >/dev/null && run_block "$tmp/readme.6" || return 1
	vfpoolctl -j pool show dev "$B" | jq -e '.[0].park == "none"' >/dev/null &&
		[ "$(vf_json "$B" 1 | jq -r '.state + " " + .owner')" = "reserved vm6" ] &&
		[ "$(vf_field "$B" 1 mac)" = 52:54:00:00:06:01 ] &&
		[ "$(vf_field "$B" 1 vlan)" = 61 ]
}

# README 7: another namespace (no VFs there); a batch file
test_readme7() {
	fresh && printf 'pool add dev %s name red\nvf show pool red\n' "$A" >"$tmp/commands.txt" &&
		run_block "$tmp/readme.7" || return 1
	head -n 1 "$tmp/readme.7.out" | jq -e 'length == 0' >/dev/null &&
		vfpoolctl -j pool show dev "$A" | jq -e '.[0].pool == "red"' >/dev/null &&
		[ "$(grep -c " red" "$tmp/readme.7.out")" = 9 ]
}

# README 8: un-enroll a PF
test_readme8() {
	net0 && run_block "$tmp/readme.8" || return 1
	vfpoolctl -j pool show | jq -e --arg a "$A" 'length == 1 and .[0].pf == $a' >/dev/null
}

# the cases below are the examples of the pages, one each
test_count() {
	echo "vfpoolctl.8 EXAMPLES has $nex blocks, README Usage $nreadme tasks;" \
		"this script covers 7 and 8"
	[ "$nex" = 7 ] && [ "$nreadme" = 8 ]
}

ktap_begin 19
run_test "every_example_has_a_case" test_count
run_test "example_1_pool_add_vfs_0_7_name_net0_vf_show_pool_net0" test_ex1
run_test "example_2_vf_reserve_exec_qemu" test_ex2
run_test "example_3_libvirt_qemu_hook_prepare_begin_release_end" test_ex3
run_test "example_4_detach_pid_and_monitor" test_ex4
run_test "example_5_vf_release_owner_vm1" test_ex5
run_test "example_6_pools_conf_at_boot_pool_show_n_netns_j_vf_show" test_ex6
run_test "vfpool_conf_5_example_the_file_systemctl_pool_show" test_conf
run_test "example_7_batch_from_printf" test_ex7
run_test "exit_status_error_example_is_what_the_kernel_says" test_exit_example
run_test "description_usage_error_example_is_what_vfpoolctl_says" test_usage_example
run_test "readme_1_pool_add_by_hand_pool_apply_pool_show" test_readme1
run_test "readme_2_vf_reserve_pool_detach_vf_show_owner_j_jq" test_readme2
run_test "readme_3_vf_set_vlan_owner_vf_release_owner_ignore_missing" test_readme3
run_test "readme_4_monitor_stats_prometheus_textfile" test_readme4
run_test "readme_5_quarantined_vf_shown_released_with_force" test_readme5
run_test "readme_6_pool_set_park_none" test_readme6
run_test "readme_7_n_netns_j_vf_show_batch_file" test_readme7
run_test "readme_8_pool_del" test_readme8
ktap_end
