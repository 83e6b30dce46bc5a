#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch --strict on every hand-written kernel and uapi source file, with
# the checkpatch.pl of linux-source-6.1 (extracted into the cache).  The
# generated files follow the generator's style and are left out.

set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${VFPOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vfpool}
src=$cache/src/linux-source-6.1
if [ ! -f "$src/scripts/checkpatch.pl" ]; then
	mkdir -p "$cache/src"
	tar -C "$cache/src" -xJf /usr/src/linux-source-6.1.tar.xz \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi
cd "$top"
files=()
for f in kernel/*.[ch]; do
	case $f in *-gen.*) ;; *) files+=("$f") ;; esac
done
# MACRO_ARG_REUSE: the vfpool_for_each_* iterators (vfpool.h) name their
# cursor in the loop's init, test and step, as list_for_each_entry() does.
perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	--ignore MACRO_ARG_REUSE \
	-f "${files[@]}"
