#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# ynl-uapi-doc.py SPEC HEADER
#
# The YNL generator renders the enum docs of a spec into the uapi header but
# not the family, operation and attribute docs.  Like WireGuard's header,
# ours opens with prose and a tree of every command and attribute: this
# renders that block from the spec's doc: fields and inserts it after the
# include guard.  Run by scripts/ynl-regen.sh, so the header stays generated.

import sys
import textwrap

import yaml

TYPES = {"u8": "NLA_U8", "u16": "NLA_U16", "u32": "NLA_U32", "s32": "NLA_S32",
         "string": "NLA_NUL_STRING", "binary": "NLA_BINARY", "flag": "NLA_FLAG"}


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def wrap(text, indent):
    out = []
    for para in text.strip().split("\n\n"):
        out += textwrap.wrap(" ".join(para.split()), 76 - len(indent),
                             break_on_hyphens=False) or [""]
        out.append("")
    return [indent + l if l else "" for l in out[:-1]]


def main():
    spec = yaml.safe_load(open(sys.argv[1]))
    fam = spec["name"]
    lines = wrap(spec["doc"], "")

    lines += ["", "Commands (VFPOOL_CMD_*), with the attributes they take and return;",
              "the attribute sets follow below.", ""]
    for op in spec["operations"]["list"]:
        name = c_name(fam + "_cmd_", op["name"])
        if "notify" in op:
            lines.append(f"{name}: event on the \"{op['mcgrp']}\" group")
            lines.append(f"    attributes as the reply of {c_name(fam + '_cmd_', op['notify'])}")
            lines += wrap(op["doc"], "    ")
            lines.append("")
            continue
        aset = op["attribute-set"]
        lines.append(f"{name} (attribute set {aset})")
        lines += wrap(op["doc"], "    ")
        for kind in ("do", "dump"):
            if kind not in op:
                continue
            for dirn in ("request", "reply"):
                attrs = op[kind].get(dirn, {}).get("attributes")
                if attrs:
                    names = ", ".join(a for a in attrs)
                    lines += textwrap.wrap(f"{kind} {dirn}: {names}", 72,
                                           initial_indent="    ",
                                           subsequent_indent="        ",
                                           break_on_hyphens=False)
        lines.append("")

    for s in spec["attribute-sets"]:
        lines.append(f"Attribute set {s['name']} ({c_name(fam + '_a_' + s['name'] + '_', '')[:-1]}_*): "
                     + " ".join(s.get("doc", "").split()))
        for a in s["attributes"]:
            t = TYPES.get(a["type"], a["type"])
            checks = a.get("checks", {})
            extra = []
            if "enum" in a:
                extra.append(f"enum {fam}_{a['enum'].replace('-', '_')}")
            for k, v in checks.items():
                extra.append(f"{k} {v}")
            head = f"    {c_name(fam + '_a_' + s['name'] + '_', a['name'])}: {t}"
            if extra:
                head += " (" + ", ".join(extra) + ")"
            lines.append(head)
            lines += wrap(a.get("doc", ""), "        ")
        lines.append("")

    block = ["/*", " * Documentation/netlink/specs/" + fam + ".yaml, rendered:", " *"]
    block += [(" * " + l).rstrip() for l in lines[:-1]]
    block += [" */", ""]

    hdr = open(sys.argv[2]).read().split("\n")
    guard = next(i for i, l in enumerate(hdr) if l.startswith("#define _UAPI_"))
    hdr[guard + 2:guard + 2] = block
    open(sys.argv[2], "w").write("\n".join(hdr))


if __name__ == "__main__":
    main()
