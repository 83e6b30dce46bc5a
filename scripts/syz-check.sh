#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail if Documentation/syzkaller/vfpool.txt (and .const) is out of step
# with the YAML spec: every op and attribute present, types and numbers
# matching.  Host side, no guest; run by `make syz-check`.
exec /usr/bin/python3 "$(dirname "$0")/syz-gen.py" --check
