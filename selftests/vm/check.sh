#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/check.sh [PROFILE...]      (default: 6.1 6.12 debug igb)
# selftests/vm/check.sh --bench PROFILE
#
# What `make check` runs: dependencies, generated-code check, then prepare,
# build and run every profile, and count the KTAP leaf cases of all of them.
# The last line is always "N passed, N failed, N skipped"; the exit status
# is non-zero if anything failed, including a guest that crashed, hung or
# printed a kernel splat (one failure each).

set -u
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"

# All in a function: bash parses it whole before running it, so editing this
# file under a running instance cannot derail it.
main() {
	bench=""
	if [ "${1:-}" = --bench ]; then
		bench=${2:-6.1}
		set -- "$bench"
	fi
	profiles=("$@")
	[ ${#profiles[@]} -gt 0 ] || read -r -a profiles <<< "$ALL_PROFILES"
	for p in "${profiles[@]}"; do
		profile_setup "$p"
	done

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
		echo "$total_pass passed, $total_fail failed, $total_skip skipped"
		[ "$total_fail" = 0 ]
		exit
	}

	# count_ktap FILE: "PASS FAIL SKIP" over leaf cases. A script's cases are
	# its own (indented) results; a script that reported none counts as one
	# case; a script that failed or stopped without every planned case failing
	# on its own adds one failure.
	count_ktap() {
		awk '
		function flush_script(top_ok, top_skip,   missing) {
			if (nleaf == 0) {
				if (!top_ok) fail++
				else if (top_skip) skip++
				else pass++
			} else {
				pass += lp; fail += lf; skip += ls
				missing = (plan > nleaf)
				if ((!top_ok || missing) && lf == 0) fail++
			}
			nleaf = lp = lf = ls = 0; plan = -1
		}
		BEGIN { pass = fail = skip = 0; nleaf = lp = lf = ls = 0; plan = -1; open_script = 0 }
		/^    1\.\.[0-9]+/ { plan = substr($1, 4) + 0; open_script = 1; next }
		/^    KTAP version/ { open_script = 1; next }
		/^    (not )?ok [0-9]+/ {
			open_script = 1
			nleaf++
			if ($0 ~ /^    not ok/) lf++
			else if (toupper($0) ~ /# *SKIP/) ls++
			else lp++
			next
		}
		/^(not )?ok [0-9]+/ {
			flush_script($0 !~ /^not ok/, toupper($0) ~ /# *SKIP/)
			open_script = 0
			next
		}
		END {
			# The guest stopped in the middle of a script.
			if (open_script) flush_script(0, 0)
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

	for p in "${profiles[@]}"; do
		echo "==== profile $p"
		t0=$(date +%s)
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
		logdir=$REPO/build/logs/$p/$(date +%Y%m%d-%H%M%S)-check
		export VFPOOL_LOGDIR=$logdir
		if [ -n "$bench" ]; then
			shopt -s nullglob
			benches=("$REPO"/selftests/bench_*.sh)
			shopt -u nullglob
			if [ ${#benches[@]} = 0 ]; then
				note "no selftests/bench_*.sh yet"
				account "$p" 0 0 0 "no benchmarks"
				continue
			fi
			"$VM_DIR/run.sh" "$p" "${benches[@]}"
		else
			"$VM_DIR/run.sh" "$p"
		fi
		rrc=$?
		# The guest cannot write into the repo: the benchmark's JSON
		# comes back as a "# BENCH_JSON" line of its KTAP.
		if [ -n "$bench" ] && [ -f "$logdir/result.ktap" ]; then
			mkdir -p "$REPO/build/bench"
			sed -n 's/^ *# BENCH_JSON //p' "$logdir/result.ktap" |
				tail -n 1 > "$REPO/build/bench/bench.json"
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
			read -r np nf ns <<< "$(count_ktap "$logdir/result.ktap")"
		msg="$(( $(date +%s) - t0 ))s"
		if [ $rrc = 2 ]; then
			nf=$((nf + 1))
			msg="$msg, GUEST FAILURE: $logdir/console.log"
		elif [ $rrc != 0 ] || [ "$nf" != 0 ]; then
			[ "$nf" != 0 ] || nf=1
			msg="$msg, failures: $logdir/result.ktap"
		fi
		account "$p" "$np" "$nf" "$ns" "$msg"
	done

	finish
}

main "$@"
