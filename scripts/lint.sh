#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/lint.sh (make lint): every static check of the tree, failing on
# any finding:
#   checkpatch --strict   kernel sources (scripts/checkpatch.sh, the
#                         checkpatch.pl of linux-source-6.1)
#   sparse (C=2)          vfpool.ko against KDIR (default: the 6.1 guest
#                         headers), built in build/lint so the tree stays clean
#   ShellCheck            every shell script in git (by name or #! line),
#                         following their sourced libraries
#   python                py_compile and pyflakes3 on every python file
# Each check says what it found; the exit status is 1 if any found anything.

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
KDIR=${KDIR:-/usr/src/linux-headers-6.1.0-56-amd64}
rc=0
fail() { echo "lint: $*" >&2; rc=1; }

echo "lint: checkpatch --strict"
if ! out=$(scripts/checkpatch.sh 2>&1) || [ -n "$out" ]; then
	printf '%s\n' "$out"
	fail "checkpatch findings"
fi

echo "lint: sparse C=2 against $KDIR"
if [ -f "$KDIR/Makefile" ]; then
	b=$top/build/lint
	rm -rf "$b"
	mkdir -p "$b"
	cp -a Kbuild kernel uapi "$b/"
	if ! out=$(make -s -C "$KDIR" M="$b" W=1 C=2 modules 2>&1); then
		printf '%s\n' "$out"
		fail "sparse build failed"
	elif grep -E 'warning:|error:' <<< "$out"; then
		fail "sparse/W=1 findings"
	fi
else
	fail "no kernel tree at $KDIR for sparse (KDIR=...)"
fi

echo "lint: shellcheck"
shells=()
while IFS= read -r f; do
	[ -f "$f" ] || continue
	case $f in
	*.sh|*.bash) shells+=("$f") ;;
	*.[0-9]|*.rst|*.md|*.c|*.h|*.py|*.yaml|*.xml) ;;
	*) head -n 1 "$f" | grep -qE '^#!.*\b(ba)?sh\b' && shells+=("$f") ;;
	esac
done < <(git ls-files)
# busybox sh is checked as dash (saying so in the file would change the
# initramfs and so every prepared guest image).
ash=()
for i in "${!shells[@]}"; do
	if head -n 1 "${shells[$i]}" | grep -q '^#!.*busybox sh'; then
		ash+=("${shells[$i]}")
		unset "shells[$i]"
	fi
done
if [ ${#ash[@]} -gt 0 ] && ! shellcheck -s dash -S style "${ash[@]}"; then
	fail "shellcheck findings (busybox sh)"
fi
if [ ${#shells[@]} = 0 ]; then
	fail "no shell scripts found"
elif ! shellcheck -x -P SCRIPTDIR -S style "${shells[@]}"; then
	fail "shellcheck findings (${#shells[@]} scripts)"
fi
# Completion scripts have no #! line: bash.
for f in userspace/completion/*; do
	[ -f "$f" ] || continue
	shellcheck -x -P SCRIPTDIR -s bash -S style "$f" || fail "shellcheck findings in $f"
done

echo "lint: python"
pys=()
while IFS= read -r f; do
	[ -f "$f" ] || continue
	case $f in
	*.py) pys+=("$f") ;;
	*.pyc) fail "$f: a compiled python file is committed" ;;
	*) head -n 1 "$f" | grep -qE '^#!.*python' && pys+=("$f") ;;
	esac
done < <(git ls-files)
for f in "${pys[@]}"; do
	python3 -c 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")' "$f" ||
		fail "$f does not compile"
done
if command -v pyflakes3 >/dev/null; then
	pyflakes3 "${pys[@]}" || fail "pyflakes findings"
else
	fail "pyflakes3 not installed (python3-pyflakes)"
fi

[ $rc = 0 ] && echo "lint: clean"
exit $rc
