#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest script (selftests/vm/run.sh --script): the suite the kselftest way,
# as CI farms run it.  `make -C selftests run_tests` through kselftest's
# runner, then `make -C selftests install` and the installed tree's
# run_kselftest.sh, each on KSFT_TESTS (default: a few fast scripts; "all"
# for every one).  Exit 0 only if both runs report every test ok.

set -u
cd "$VFPOOL_REPO/selftests" || exit 1
tests=${KSFT_TESTS:-vfpool_family.sh vfpool_enroll.sh vfpool_sockets.sh}
rc=0
out=/tmp/ksft-run_tests.log

echo "=== make -C selftests run_tests TEST_PROGS=\"$tests\""
# The repo is read-only here: everything is built already on the host.
make -C "$VFPOOL_REPO/selftests" run_tests TEST_PROGS="$tests" 2>&1 | tee "$out"
n=$(wc -w <<< "$tests")
ok=$(grep -cE '^ok [0-9]+ selftests: [^:]*: ' "$out")
ok=${ok:-0}
if [ "$ok" != "$n" ] || grep -qE '^not ok|# SKIP' "$out"; then
	echo "run_tests: $ok of $n ok"
	rc=1
fi

echo "=== make -C selftests install; run_kselftest.sh"
inst=/tmp/ksft
make -s -C "$VFPOOL_REPO/selftests" install KSFT_INSTALL=$inst \
	TEST_PROGS="$tests" >/dev/null || rc=1
"$inst/run_kselftest.sh" 2>&1 | tee /tmp/ksft-installed.log
ok=$(grep -cE '^ok [0-9]+ selftests: [^:]*: ' /tmp/ksft-installed.log)
ok=${ok:-0}
if [ "$ok" != "$n" ] || grep -qE '^not ok|# SKIP' /tmp/ksft-installed.log; then
	echo "run_kselftest.sh: $ok of $n ok"
	rc=1
fi
echo "=== kselftest runs: $([ $rc = 0 ] && echo passed || echo FAILED)"
exit $rc
