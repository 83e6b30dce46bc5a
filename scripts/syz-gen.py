#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Generate the syzkaller description of the vfpool family
# (Documentation/syzkaller/vfpool.txt, syzlang, and its .const file) from
# the YAML spec, read with the kernel's YNL spec library so that command
# and attribute numbers come from the one place that defines them.
#
#   scripts/syz-gen.py [--check] [-o DIR]
#
# --check regenerates in memory and fails, naming what differs, if the
# committed files are not what the spec gives: every request op present as
# a sendmsg$ call with its attribute set's policy, every attribute with the
# syzlang type of its spec type and checks, every constant's value.
#
# The .const values are the spec's numbering.  To fuzz: copy both files into syzkaller's sys/linux/ (the .const file
# stands in for syz-extract, which needs the header in the kernel tree)
# and enable syz_genetlink_get_family_id$vfpool and the sendmsg$VFPOOL_*
# calls.

import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(TOP, "Documentation/netlink/specs/vfpool.yaml")
cache = os.environ.get("VFPOOL_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "vfpool")
YNL = os.environ.get("VFPOOL_YNL") or os.path.join(cache, "src/linux-source-6.12/tools/net/ynl")
if not os.path.isfile(os.path.join(YNL, "lib/nlspec.py")):
    sys.exit(f"syz-gen: no YNL library at {YNL} (scripts/ynl-regen.sh unpacks it)")
sys.path.insert(0, YNL)
from lib.nlspec import SpecFamily  # noqa: E402


def c_name(*parts):
    return "_".join(p.upper().replace("-", "_") for p in parts)


def syz_type(fam, aset, attr):
    """The syzlang type of an attribute, from its spec type and checks."""
    t = attr.type
    checks = attr.yaml.get("checks", {})
    lo, hi = checks.get("min"), checks.get("max")
    ints = {"u8": "int8", "u16": "int16", "u32": "int32", "s32": "int32", "u64": "int64"}
    if t in ints:
        if attr.name == "ifindex":
            return "ifindex"
        if attr.name == "pidfd":
            return "fd_pidfd"
        if "enum" in attr.yaml:
            enum = fam.consts[attr.yaml["enum"]]
            if attr.yaml.get("enum-as-flags") or enum.type == "flags":
                return f"flags[vfpool_{enum.name.replace('-', '_')}, {ints[t]}]"
            return f"{ints[t]}[0:{len(enum.entries) - 1}]"
        if lo is not None or hi is not None:
            lo = lo if isinstance(lo, int) else 0
            hi = hi if isinstance(hi, int) else (1 << int(ints[t][3:])) - 1
            return f"{ints[t]}[{lo}:{hi}]"
        return ints[t]
    if t == "flag":
        return "void"
    if t == "string":
        if attr.name == "ifname":
            return "devname"
        return "string"
    if t == "binary":
        if attr.yaml.get("display-hint") == "mac":
            return "mac_addr"
        return "array[int8]"
    raise SystemExit(f"syz-gen: no syzlang type for {aset.name}.{attr.name} ({t})")


def generate(fam):
    fname = fam.yaml["name"]
    out = ["# SPDX-License-Identifier: GPL-2.0",
           "# syzkaller description of the vfpool generic netlink family.",
           "# Generated from Documentation/netlink/specs/vfpool.yaml by",
           "# scripts/syz-gen.py; do not edit (make syz-check checks it).",
           "",
           "include <linux/net.h>",
           "include <uapi/linux/netlink.h>",
           "include <uapi/linux/genetlink.h>",
           "include <uapi/linux/vfpool.h>",
           "",
           f"resource genl_{fname}_family_id[int16]",
           f"type msghdr_{fname}[CMD, POLICY] msghdr_netlink[netlink_msg_t[genl_{fname}_family_id, "
           "genlmsghdr_t[CMD], POLICY]]",
           f"syz_genetlink_get_family_id${fname}(name ptr[in, string[\"{fname}\"]], "
           f"fd sock_nl_generic) genl_{fname}_family_id",
           ""]
    consts = {}
    for op in fam.ops.values():
        if op.is_async or ("do" not in op.yaml and "dump" not in op.yaml):
            continue
        cmd = c_name(fname, "cmd", op.name)
        consts[cmd] = op.req_value
        pol = f"{fname}_{op.attr_set.name.replace('-', '_')}_policy"
        out.append(f"sendmsg${cmd}(fd sock_nl_generic, msg ptr[in, msghdr_{fname}[{cmd}, {pol}]], "
                   "f flags[send_flags])")
    out.append("")
    for aset in fam.attr_sets.values():
        out.append(f"{fname}_{aset.name.replace('-', '_')}_policy [")
        for attr in aset.attrs.values():
            a = c_name(fname, "a", aset.name, attr.name)
            consts[a] = attr.value
            out.append(f"\t{a}\tnlattr[{a}, {syz_type(fam, aset, attr)}]")
        out.append("] [varlen]")
        out.append("")
    for enum in fam.consts.values():
        if getattr(enum, "type", None) != "flags":
            continue
        names = []
        for e in enum.entries.values():
            n = c_name(fname, enum.name, e.name)
            consts[n] = e.user_value(as_flags=True)
            names.append(n)
        out.append(f"vfpool_{enum.name.replace('-', '_')} = {', '.join(names)}")
    out.append("")
    const = ["# Generated by scripts/syz-gen.py from the spec; do not edit.", "arches = amd64, arm64",
             "__NR_sendmsg = amd64:46, arm64:211"]
    const += [f"{k} = {v}" for k, v in sorted(consts.items())]
    return "\n".join(out), "\n".join(const) + "\n"


def main():
    fam = SpecFamily(SPEC, "")
    txt, const = generate(fam)
    d = os.path.join(TOP, "Documentation/syzkaller")
    files = {os.path.join(d, "vfpool.txt"): txt, os.path.join(d, "vfpool.txt.const"): const}
    if "--check" in sys.argv:
        bad = 0
        for path, want in files.items():
            have = open(path).read() if os.path.exists(path) else ""
            if have != want:
                bad += 1
                import difflib
                sys.stderr.writelines(difflib.unified_diff(
                    have.splitlines(True), want.splitlines(True), path, "from the spec"))
        if bad:
            sys.exit("syz-check: the syzkaller description is out of step with the spec; "
                     "run scripts/syz-gen.py")
        print("syz-check: Documentation/syzkaller/vfpool.txt matches the spec "
              f"({sum(1 for o in fam.ops.values() if not o.is_async)} ops, "
              f"{sum(len(a.attrs) for a in fam.attr_sets.values())} attributes)")
        return
    os.makedirs(d, exist_ok=True)
    for path, text in files.items():
        with open(path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
