#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/check.sh [PROFILE...]      (default: 6.1 6.12 debug igb)
# selftests/vm/check.sh --bench PROFILE
# selftests/vm/check.sh --plan [PROFILE...]  (the guests it would start, and why)
#
# Environment: VFPOOL_CHECK_JOBS guests at a time (2), VFPOOL_KO_TEMPLATE
# the vfpool.ko to test instead of the profile's build (@PROFILE@ replaced),
# VFPOOL_CHECK_GUESTS_ONLY=1 to leave out lint and the DKMS build.
#
# What `make check` runs: dependencies, generated-code check, `make lint`,
# the DKMS build test, then prepare, build and run every profile (guests two
# at a time, VFPOOL_CHECK_JOBS), and count the KTAP leaf cases of all of
# them.  The last line is always "N passed, N failed, N skipped"; the exit
# status is non-zero if anything failed, including a guest that crashed,
# hung or printed a kernel splat, a script whose KTAP plan and results
# disagree, and a script that skipped on a profile it belongs to (only
# the igb scripts may skip, and only off the igb profile).

set -u
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source-path=SCRIPTDIR source=profile-tests.sh
. "$(dirname "$0")/profile-tests.sh"

# All in a function: bash parses it whole before running it, so editing this
# file under a running instance cannot derail it.
main() {
	bench=""
	plan_only=0
	if [ "${1:-}" = --plan ]; then
		plan_only=1
		shift
	fi
	if [ "${1:-}" = --bench ]; then
		bench=${2:-6.1}
		set -- "$bench"
	fi
	profiles=("$@")
	[ ${#profiles[@]} -gt 0 ] || read -r -a profiles <<< "$ALL_PROFILES"
	for p in "${profiles[@]}"; do
		profile_setup "$p"
	done

	jobs_max=${VFPOOL_CHECK_JOBS:-2}
	# A profile's scripts are dealt over as many guests as its guest time
	# needs ("guest-seconds: debug=900" in selftests/profiles): each
	# script's time as measured (selftests/vm/costs, written by costs.sh
	# from a run's consoles; a script not listed counts as a long one),
	# longest first onto the guest with the least so far.  Every guest of
	# every profile then starts longest first, two at a time, so that both
	# CPUs stay busy until the end and no guest nears its boot limit.
	guest_seconds_of() {
		local s
		s=$(profiles_key "$REPO" guest-seconds)
		s="$s ${VFPOOL_GUEST_SECONDS:-}"
		s=$(tr ' ' '\n' <<< "$s" | sed -n "s/^$1=\([0-9][0-9]*\)$/\1/p" | tail -n 1)
		echo "${s:-600}"
	}
	plan_guests() { # PROFILE SCRIPT...: one guest a line, "SECONDS SCRIPT..."
		local p=$1
		shift
		printf '%s\n' "$@" | awk -v p="$p" -v budget="$(guest_seconds_of "$p")" \
			-v costs="$VM_DIR/costs" -v smp2=" $(profiles_key "$REPO" smp2) " '
		BEGIN {
			boot = 60; dflt = p == "debug" ? 400 : 150
			while ((getline l < costs) > 0) {
				if (l ~ /^#/ || split(l, f, " ") != 3 || f[1] != p) continue
				if (f[2] == "@boot") boot = f[3]; else c[f[2]] = f[3]
			}
		}
		NF { n++; name[n] = $0; cost[n] = ($0 in c) ? c[$0] : dflt; total += cost[n] }
		END {
			if (n == 0) exit
			g = int((total + budget - 1) / budget)
			if (g < 1) g = 1
			if (g > n) g = n
			# The scripts that need two vCPUs (run.sh) share the
			# first guest, so that the others can have one.
			for (i = 1; i <= n; i++) {
				done[i] = index(smp2, " " name[i] " ") > 0
				if (done[i]) { load[1] += cost[i]; guest[i] = 1 }
			}
			for (k = 1; k <= n; k++) {
				m = 0
				for (i = 1; i <= n; i++)
					if (!done[i] && (m == 0 || cost[i] > cost[m])) m = i
				if (m == 0) break
				done[m] = 1
				b = 1
				for (j = 2; j <= g; j++) if (load[j] < load[b]) b = j
				load[b] += cost[m]; guest[m] = b
			}
			for (j = 1; j <= g; j++) {
				line = load[j] + boot
				for (i = 1; i <= n; i++) if (guest[i] == j) line = line " " name[i]
				print line
			}
		}'
	}
	jobs=()
	declare -A job_tests=() job_est=()
	# plan_profile PROFILE: its guests into jobs, job_tests and job_est.
	plan_profile() {
		local p=$1 sel=$1 i j plan tests
		# With the debug kernel in the same run, stock 6.1 runs only what
		# debug (the same linux-source-6.1 under KASAN) does not
		# ("6.1+debug:" in selftests/profiles); on its own it runs all.
		if [ "$p" = 6.1 ] && [[ " ${profiles[*]} " = *" debug "* ]] &&
		   [ -n "$(profiles_key "$REPO" 6.1+debug)" ]; then
			sel=6.1+debug
		fi
		mapfile -t tests < <(profile_tests "$REPO" "$sel")
		mapfile -t plan < <(plan_guests "$p" "${tests[@]}")
		for ((i = 0; i < ${#plan[@]}; i++)); do
			j=$p
			[ ${#plan[@]} = 1 ] || j="$p#$((i + 1))"
			jobs+=("$j")
			job_est[$j]=${plan[$i]%% *}
			job_tests[$j]=${plan[$i]#* }
		done
	}
	# sort_jobs: the longest guests first, whatever their profile.
	sort_jobs() {
		mapfile -t jobs < <(for j in "${jobs[@]}"; do
			printf '%s\t%s\n' "${job_est[$j]:-0}" "$j"
		done | sort -s -k1,1nr | cut -f2-)
	}
	if [ $plan_only = 1 ]; then
		# What a run would start, and its wall time by the same estimates.
		for p in "${profiles[@]}"; do
			plan_profile "$p"
		done
		sort_jobs
		for j in "${jobs[@]}"; do
			echo "${job_est[$j]} $j ${job_tests[$j]}"
		done | awk -v slots="$jobs_max" '
		{ s = 1; for (i = 2; i <= slots; i++) if (end[i] < end[s]) s = i
		  printf "%-9s slot %d at %5ds: about %4ds:", $2, s, end[s], $1
		  for (i = 3; i <= NF; i++) printf " %s", $i
		  print ""; end[s] += $1; all += $1 }
		END { w = 0; for (i = 1; i <= slots; i++) if (end[i] > w) w = end[i]
		      printf "%d guests, %ds of guest time, about %ds wall\n", NR, all, w }'
		exit 0
	fi

	check_t0=$(date +%s)
	total_pass=0
	total_fail=0
	total_skip=0
	summary=()

	finish() {
		echo
		echo "==== summary"
		local l
		for l in "${summary[@]}"; do
			echo "$l"
		done
		echo "$total_pass passed, $total_fail failed, $total_skip skipped" \
			"in $(( $(date +%s) - check_t0 ))s"
		[ "$total_fail" = 0 ]
		exit
	}

	# count_ktap FILE PROFILE: "PASS FAIL SKIP" over leaf cases. A script's
	# cases are its own (indented) results; a script that reported none
	# counts as one case; a script that failed, or whose plan and results
	# disagree, without a failing case of its own adds one failure.  A skip
	# (of a script or of a case) counts as a failure unless the script is
	# an igb one on a profile without the igb NIC: there the thing is truly
	# absent, anywhere else a skip would hide a failure.  The guest's own
	# plan must match its results as well.
	count_ktap() {
		awk -v profile="$2" '
		function skip_ok(name) { return profile != "igb" && name ~ /igb/ }
		function flush_script(top_ok, top_skip, name,   bad) {
			if (nleaf == 0) {
				if (!top_ok) fail++
				else if (top_skip && skip_ok(name)) skip++
				else if (top_skip) { fail++; bad = 1 }
				else pass++
			} else {
				if (skip_ok(name)) skip += ls
				else { lf += ls; if (ls) bad = 1 }
				pass += lp; fail += lf; skip += lok
				if ((!top_ok || plan != nleaf) && lf == 0) { fail++; bad = 1 }
			}
			if (bad) printf "%s: skipped, or plan %d and %d results disagree\n", name, plan, nleaf > "/dev/stderr"
			nleaf = lp = lf = ls = lok = 0; plan = -1
		}
		BEGIN { pass = fail = skip = 0; nleaf = lp = lf = ls = lok = 0; plan = -1
			open_script = 0; topplan = -1; ntop = 0 }
		/^1\.\.[0-9]+/ { topplan = substr($1, 4) + 0; next }
		/^    1\.\.[0-9]+/ { plan = substr($1, 4) + 0; open_script = 1; next }
		/^    KTAP version/ { open_script = 1; next }
		/^    (not )?ok [0-9]+/ {
			open_script = 1
			nleaf++
			if ($0 ~ /^    not ok/) lf++
			else if (toupper($0) ~ /# *SKIP/) {
				# A case that exists on one profile only says so:
				# "(debug profile only)" elsewhere, or "(not on debug
				# profile)" there.  Any other skip hides a failure.
				if ((match($0, /\([a-z0-9.]+ profile only\)/) &&
				     substr($0, RSTART + 1, RLENGTH - 15) != profile) ||
				    index($0, "(not on " profile " profile)"))
					lok++
				else
					ls++
			}
			else lp++
			next
		}
		/^(not )?ok [0-9]+/ {
			ntop++
			name = $0; sub(/^(not )?ok [0-9]+ /, "", name); sub(/ .*/, "", name)
			# The taint and kmemleak checks have no nested plan.
			if (name == "kernel_taint" || name == "kmemleak") plan = nleaf
			flush_script($0 !~ /^not ok/, toupper($0) ~ /# *SKIP/, name)
			open_script = 0
			next
		}
		END {
			# The guest stopped in the middle of a script.
			if (open_script) flush_script(0, 0, "?")
			if (topplan != ntop) {
				printf "guest plan %d, %d results\n", topplan, ntop > "/dev/stderr"
				fail++
			}
			print pass, fail, skip
		}' "$1"
	}

	# Account for one profile: KTAP counts plus one failure per broken stage.
	account() { # PROFILE PASS FAIL SKIP NOTE
		total_pass=$((total_pass + $2))
		total_fail=$((total_fail + $3))
		total_skip=$((total_skip + $4))
		summary+=("$(printf '%-6s %3d passed, %3d failed, %3d skipped  %s' "$1" "$2" "$3" "$4" "$5")")
	}

	if ! "$REPO/scripts/install-deps.sh"; then
		account deps 0 1 0 "missing packages (see above)"
		finish
	fi
	if [ -x "$REPO/scripts/ynl-regen.sh" ] && [ -z "$bench" ]; then
		if "$REPO/scripts/ynl-regen.sh" --check; then
			account regen 1 0 0 "generated code matches the spec"
		else
			account regen 0 1 0 "generated code out of date (make regen)"
		fi
	fi

	# The debug kernel takes minutes to build: start it now, behind the other
	# profiles, instead of after them.
	debug_prep=""
	for p in "${profiles[@]}"; do
		if [ "$p" = debug ] && [ ${#profiles[@]} -gt 1 ]; then
			mkdir -p "$REPO/build/logs/debug"
			debug_log=$REPO/build/logs/debug/prepare.log
			"$VM_DIR/prepare.sh" debug > "$debug_log" 2>&1 &
			debug_prep=$!
			note "preparing the debug kernel in the background (log: $debug_log)"
		fi
	done

	# Lint and the DKMS build are host-side and cheap next to the guests.
	if [ -z "$bench" ] && [ "${VFPOOL_CHECK_GUESTS_ONLY:-0}" != 1 ]; then
		echo "==== make lint"
		if make -C "$REPO" -s lint; then
			account lint 1 0 0 "checkpatch, sparse, shellcheck, python: clean"
		else
			account lint 0 1 0 "findings (make lint)"
		fi
		echo "==== syzkaller description"
		if "$REPO/scripts/syz-check.sh"; then
			account syz 1 0 0 "Documentation/syzkaller/vfpool.txt matches the spec"
		else
			account syz 0 1 0 "syzkaller description out of step (make syz-gen)"
		fi
		echo "==== DKMS build"
		if "$REPO/scripts/dkms-test.sh"; then
			account dkms 1 0 0 "dkms build for 6.1 and 6.12, vermagic checked"
		else
			account dkms 0 1 0 "dkms build failed (scripts/dkms-test.sh)"
		fi
	fi

	# Guests run VFPOOL_CHECK_JOBS (2) at a time: TCG keeps about one host
	# CPU busy per guest (most guests have one vCPU, run.sh), so two
	# guests fill a 2-core CI runner.  Each profile is prepared and built
	# first (in order, they share userspace/ and selftests/ builds).
	declare -A logdirs=() runpid=()
	running_guests() {
		local n=0 q
		for q in "${!runpid[@]}"; do
			! kill -0 "${runpid[$q]}" 2>/dev/null || n=$((n + 1))
		done
		echo "$n"
	}
	for p in "${profiles[@]}"; do
		echo "==== profile $p: prepare and build"
		if [ "$p" = debug ] && [ -n "$debug_prep" ]; then
			wait "$debug_prep"
			prc=$?
			cat "$debug_log"
		else
			"$VM_DIR/prepare.sh" "$p"
			prc=$?
		fi
		if [ $prc != 0 ]; then
			account "$p" 0 1 0 "prepare failed"
			continue
		fi
		if ! "$VM_DIR/build.sh" "$p"; then
			account "$p" 0 1 0 "build failed (log: $REPO/build/$p/build.log)"
			continue
		fi
		tests=()
		if [ -n "$bench" ]; then
			shopt -s nullglob
			tests=("$REPO"/selftests/bench_*.sh)
			shopt -u nullglob
			if [ ${#tests[@]} = 0 ]; then
				note "no selftests/bench_*.sh yet"
				account "$p" 0 0 0 "no benchmarks"
				continue
			fi
			jobs+=("$p")
			job_tests[$p]="${tests[*]##*/}"
			continue
		fi
		plan_profile "$p"
	done

	sort_jobs
	for j in "${jobs[@]}"; do
		p=${j%%#*}
		while [ "$(running_guests)" -ge "$jobs_max" ]; do
			sleep 5
		done
		logdir=$REPO/build/logs/$p/$(date +%Y%m%d-%H%M%S)-check${j#"$p"}
		logdir=${logdir//#/-}
		mkdir -p "$logdir"
		logdirs[$j]=$logdir
		read -r -a tests <<< "${job_tests[$j]}"
		# VFPOOL_KO_TEMPLATE: test another module per profile, e.g. the
		# deliberately broken one of build-broken.sh, build/@PROFILE@-broken/vfpool.ko.
		ko=${VFPOOL_KO_TEMPLATE:-}
		[ -z "$ko" ] || ko=$(realpath -m "${ko//@PROFILE@/$p}")
		note "starting the $j guest${ko:+ with $ko} (about ${job_est[$j]:-?}s): ${tests[*]} (output: $logdir/run.out)"
		VFPOOL_LOGDIR=$logdir VFPOOL_KO=$ko "$VM_DIR/run.sh" "$p" "${tests[@]}" \
			> "$logdir/run.out" 2>&1 &
		runpid[$j]=$!
	done

	for j in "${jobs[@]}"; do
		p=${j%%#*}
		[ -n "${runpid[$j]:-}" ] || continue
		wait "${runpid[$j]}"
		rrc=$?
		logdir=${logdirs[$j]}
		echo "==== profile $j"
		cat "$logdir/run.out"
		# The guest cannot write into the repo: the benchmark's JSON
		# comes back as a "# BENCH_JSON" line of its KTAP; the driver
		# share on a real PF (bench_igb.sh, "mode": "share") goes to
		# driver-share.json.
		if [ -n "$bench" ] && [ -f "$logdir/result.ktap" ]; then
			mkdir -p "$REPO/build/bench"
			sed -n 's/^ *# BENCH_JSON //p' "$logdir/result.ktap" |
				grep '"mode": "share"' | tail -n 1 > "$REPO/build/bench/driver-share.json"
			if [ -s "$REPO/build/bench/driver-share.json" ]; then
				note "wrote $REPO/build/bench/driver-share.json"
			else
				rm -f "$REPO/build/bench/driver-share.json"
			fi
			sed -n 's/^ *# BENCH_JSON //p' "$logdir/result.ktap" |
				grep -v '"mode": "share"' | tail -n 1 > "$REPO/build/bench/bench.json"
			if [ -s "$REPO/build/bench/bench.json" ]; then
				note "wrote $REPO/build/bench/bench.json"
			else
				rm -f "$REPO/build/bench/bench.json"
				note "the benchmark printed no BENCH_JSON line"
				rrc=1
			fi
		fi
		np=0 nf=0 ns=0
		[ ! -f "$logdir/result.ktap" ] ||
			read -r np nf ns <<< "$(count_ktap "$logdir/result.ktap" "$p")"
		# The guest's own time (run.sh's status file), not the wait here.
		secs=$(cut -d' ' -f3 "$logdir/status" 2>/dev/null)
		msg="${secs:-?}s in the guest"
		if [ $rrc = 2 ]; then
			nf=$((nf + 1))
			msg="$msg, GUEST FAILURE: $logdir/console.log"
		elif [ $rrc != 0 ] || [ "$nf" != 0 ]; then
			[ "$nf" != 0 ] || nf=1
			msg="$msg, failures: $logdir/result.ktap"
		fi
		account "$j" "$np" "$nf" "$ns" "$msg"
	done

	finish
}

main "$@"
