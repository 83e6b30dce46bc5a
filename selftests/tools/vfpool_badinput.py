#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The bad-input table: malformed and refused vfpool requests, sent raw
# through the YNL library with the spec's numbering (vfpool_nl.Vfpool), so
# nothing is checked before the kernel.  Each row asserts
#   - the errno,
#   - an extack that names the attribute: the kernel's bad-attribute offset
#     or missing-attribute type resolved through the spec, or a message
#     matching the row's pattern,
#   - nothing changed: vf-get and pool-get dumps, `ip -j link show` of every
#     PF, before and after, are equal, and no event was multicast.
# Rows marked CONTRACT expect what Documentation/vfpool.rst promises where today's kernel
# may still differ (they turn green with the kernel work of this round).
#
#   vfpool_badinput.py --pf PF --pf2 PF2 --foreign-ifindex N --veth DEV
#                      --held-vf N --held-mac MAC --held-owner LABEL
# Prints KTAP; exit 0 all rows passed, 1 otherwise.

import argparse
import ctypes
import errno as E
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vfpool_nl import Vfpool, Netlink, tlv  # noqa: E402

ap = argparse.ArgumentParser()
for a in ("pf", "pf2", "veth", "held-mac", "held-owner"):
    ap.add_argument("--" + a, required=True)
ap.add_argument("--foreign-ifindex", type=int, required=True)
ap.add_argument("--held-vf", type=int, required=True)
args = ap.parse_args()

g = Vfpool()
mon = g.new_sock()
mon.bind((0, 0))
mon.setsockopt(Netlink.SOL_NETLINK, Netlink.NETLINK_ADD_MEMBERSHIP,
               g.nlproto.get_mcast_id("events", g.mcast_groups))
mon.setblocking(False)


def ifindex(name):
    return socket.if_nametoindex(name)


PF, PF2, VETH = args.pf, args.pf2, args.veth
PFI = ifindex(PF)
HELD, HMAC, HOWN = args.held_vf, bytes.fromhex(args.held_mac.replace(":", "")), args.held_owner


def A(space, name, value):
    return g.attr(space, name, value)


def V(**kw):
    """vf attributes from keywords (dashes as underscores)."""
    return b"".join(A("vf", k.replace("_", "-"), v) for k, v in kw.items())


def P(**kw):
    return b"".join(A("pool", k.replace("_", "-"), v) for k, v in kw.items())


def RAW(space, name, payload, flags=0):
    """An attribute of the spec's number with any payload (and NLA flags)."""
    return tlv(g.attr_type(space, name) | flags, payload)


def u8(v): return struct.pack("B", v)
def u16(v): return struct.pack("H", v)
def u32(v): return struct.pack("I", v)
def u64(v): return struct.pack("Q", v)


rows = []
# Found by this table: these refusals name the device in the message but
# carry no attribute offset (NL_SET_ERR_MSG instead of _ATTR).
NAMEDEV = "extack must point at the PF attribute (NL_SET_ERR_MSG_ATTR)"


def row(name, op, payload, err, names, contract=None, user=None, raw_cmd=None):
    """names: the attribute the extack must name, or a regex its message
    must match ('re:...')."""
    rows.append(dict(name=name, op=op, payload=payload, err=err, names=names,
                     contract=contract, user=user, raw_cmd=raw_cmd))


# --- out of range values (policy) -------------------------------------
row("vlan_4096", "vf-reserve", V(ifname=PF, vlan=4096), E.ERANGE, "vlan")
row("vlan_65535", "vf-reserve", V(ifname=PF, vlan=65535), E.ERANGE, "vlan")
row("qos_8", "vf-reserve", V(ifname=PF, vlan=1, qos=8), E.ERANGE, "qos")
row("qos_255", "vf-reserve", V(ifname=PF, vlan=1, qos=255), E.ERANGE, "qos")
row("qos_without_vlan", "vf-reserve", V(ifname=PF, qos=1), E.EINVAL, "qos")
row("proto_without_vlan", "vf-reserve", V(ifname=PF, vlan_proto=0x8100), E.EINVAL, "vlan-proto")
row("proto_0x1234", "vf-reserve", V(ifname=PF, vlan=1, vlan_proto=0x1234), E.EPROTONOSUPPORT, "vlan-proto")
row("spoofchk_2", "vf-reserve", V(ifname=PF, spoofchk=2), E.ERANGE, "spoofchk")
row("trust_2", "vf-reserve", V(ifname=PF, trust=2), E.ERANGE, "trust")
row("link_state_3", "vf-reserve", V(ifname=PF, link_state=3), E.ERANGE, "link-state")
row("on_release_2", "vf-reserve", V(ifname=PF, on_release=2), E.ERANGE, "on-release")
row("set_vlan_4096", "vf-set", V(ifname=PF, vf=HELD, vlan=4096), E.ERANGE, "vlan")
row("set_qos_8", "vf-set", V(ifname=PF, vf=HELD, vlan=1, qos=8), E.ERANGE, "qos")
row("ifindex_0", "vf-reserve", V(ifindex=0), E.ERANGE, "ifindex")
row("park_vlan_4096", "pool-add", P(ifname=PF2, park_vlan=4096), E.ERANGE, "park-vlan")
row("park_3", "pool-add", P(ifname=PF2, park=3), E.ERANGE, "park")
row("linger_86401", "vf-reserve", V(ifname=PF, linger=86401), E.ERANGE, "linger",
    contract="k2: linger at most 86400")
# --- MACs --------------------------------------------------------------
row("mac_multicast", "vf-reserve", V(ifname=PF, mac=bytes.fromhex("01005e000001")), E.EINVAL, "mac")
row("mac_broadcast", "vf-reserve", V(ifname=PF, mac=b"\xff" * 6), E.EINVAL, "mac")
row("mac_zero", "vf-reserve", V(ifname=PF, mac=b"\0" * 6), E.EINVAL, "mac",
    contract="a reservation's MAC is a valid unicast address")
row("set_mac_multicast", "vf-set", V(ifname=PF, vf=HELD, mac=bytes.fromhex("333300000001")), E.EINVAL, "mac")
row("mac_duplicate", "vf-reserve", V(ifname=PF, mac=HMAC), E.EADDRINUSE, "mac")
row("mac_parking", "vf-reserve", V(ifname=PF, mac=bytes.fromhex("020000000000")), E.EADDRINUSE, "mac",
    contract="parked VFs share the parking MAC: no reservation gets it")
row("set_mac_parking", "vf-set", V(ifname=PF, vf=HELD, owner=HOWN, mac=bytes.fromhex("020000000000")),
    E.EADDRINUSE, "mac")
row("park_mac_in_use", "pool-set", P(ifname=PF, park_mac=HMAC), E.EADDRINUSE, "park-mac",
    contract="a held VF's MAC cannot become the parking MAC")
row("park_mac_multicast", "pool-add", P(ifname=PF2, park_mac=bytes.fromhex("010000000001")), E.EINVAL,
    "park-mac", contract="k1: park-mac must be unicast")
# --- wrong types and lengths (raw) ------------------------------------
row("mac_5_bytes", "vf-reserve", V(ifname=PF) + RAW("vf", "mac", b"\x02" * 5), E.ERANGE, "mac")
row("mac_7_bytes", "vf-reserve", V(ifname=PF) + RAW("vf", "mac", b"\x02" * 7), E.ERANGE, "mac")
row("mac_empty", "vf-reserve", V(ifname=PF) + RAW("vf", "mac", b""), E.ERANGE, "mac")
row("vlan_as_u8", "vf-reserve", V(ifname=PF) + RAW("vf", "vlan", u8(5)), E.EINVAL, "vlan")
row("vlan_as_u32", "vf-reserve", V(ifname=PF) + RAW("vf", "vlan", u32(5)), E.EINVAL, "vlan")
row("vf_as_u16", "vf-reserve", V(ifname=PF) + RAW("vf", "vf", u16(0)), E.EINVAL, "vf")
row("vf_as_u64", "vf-get", V(ifname=PF) + RAW("vf", "vf", u64(0)), E.EINVAL, "vf")
row("ifindex_as_u64", "vf-reserve", RAW("vf", "ifindex", u64(PFI)), E.EINVAL, "ifindex")
row("qos_as_u32", "vf-reserve", V(ifname=PF, vlan=1) + RAW("vf", "qos", u32(1)), E.EINVAL, "qos")
row("force_with_payload", "vf-release", V(ifname=PF, vf=HELD) + RAW("vf", "force", u32(1)), E.ERANGE, "force")
row("pool_park_mac_5", "pool-add", P(ifname=PF2) + RAW("pool", "park-mac", b"\x02" * 5), E.ERANGE, "park-mac")
row("pool_vf_first_u8", "pool-add", P(ifname=PF2) + RAW("pool", "vf-first", u8(1)), E.EINVAL, "vf-first")
# --- strings -----------------------------------------------------------
row("ifname_16", "vf-reserve", V(ifname="x" * 16), E.EINVAL, "ifname")
row("ifname_empty", "vf-reserve", V(ifname=""), E.ENODEV, "ifname")
row("ifname_unterminated", "vf-reserve", RAW("vf", "ifname", b"nosuch12"), E.EINVAL, "ifname")
row("owner_64", "vf-reserve", V(ifname=PF, owner="o" * 64), E.EINVAL, "owner")
row("owner_empty", "vf-reserve", V(ifname=PF, owner=""), E.EINVAL, "owner",
    contract="k1: labels are 1..63 printable bytes")
row("owner_newline", "vf-reserve", V(ifname=PF, owner="vm\n1"), E.EINVAL, "owner",
    contract="k1: labels are 1..63 printable bytes")
row("owner_escape", "vf-reserve", V(ifname=PF, owner="vm\x1b[2J"), E.EINVAL, "owner",
    contract="k1: labels are 1..63 printable bytes")
row("owner_del", "vf-reserve", V(ifname=PF, owner="vm\x7f"), E.EINVAL, "owner",
    contract="k1: labels are 1..63 printable bytes")
row("pool_32", "vf-reserve", V(pool="p" * 32), E.EINVAL, "pool")
row("pci_16", "vf-reserve", V(ifname=PF, pci="0" * 16), E.EINVAL, "pci")
row("pool_name_32", "pool-add", P(ifname=PF2, pool="p" * 32), E.EINVAL, "pool")
row("pool_name_control", "pool-add", P(ifname=PF2, pool="a\tb"), E.EINVAL, "pool",
    contract="k1: pool names printable")
# --- unknown attributes and nested garbage ------------------------------
row("unknown_attr_28", "vf-reserve", V(ifname=PF) + tlv(28, u32(1)), E.EINVAL, "#28")
row("unknown_attr_200", "vf-get", V(ifname=PF, vf=0) + tlv(200, b"junk"), E.EINVAL, "#200")
row("attr_type_0", "vf-reserve", V(ifname=PF) + tlv(0, u32(0)), E.EINVAL, "#0")
row("pool_unknown_attr_17", "pool-add", P(ifname=PF2) + tlv(17, u32(1)), E.EINVAL, "#17")
row("nested_flag_on_vlan", "vf-reserve", V(ifname=PF) + RAW("vf", "vlan", u16(1), Netlink.NLA_F_NESTED),
    E.EINVAL, "vlan")
row("nested_garbage_mac", "vf-reserve",
    V(ifname=PF) + RAW("vf", "mac", tlv(1, u32(7)) + tlv(2, b"zz"), Netlink.NLA_F_NESTED), E.EINVAL, "mac")
row("nested_garbage_owner", "vf-reserve",
    V(ifname=PF) + RAW("vf", "owner", tlv(7, b"a\0") * 3, Netlink.NLA_F_NESTED), E.EINVAL, "owner")
row("attr_len_2", "vf-reserve", V(ifname=PF) + struct.pack("HH", 2, 10) + b"\0" * 4, E.EINVAL,
    "re:leftover|attribute")
row("attr_len_past_end", "vf-reserve", V(ifname=PF) + struct.pack("HH", 64, 10) + u16(1) + b"\0\0",
    E.EINVAL, "re:leftover|attribute")
# --- missing required attributes ----------------------------------------
row("reserve_no_target", "vf-reserve", V(owner="x"), E.EINVAL, "ifindex")
row("get_no_vf", "vf-get", V(ifname=PF), E.EINVAL, "vf")
row("get_no_pf", "vf-get", V(vf=0), E.EINVAL, "ifindex")
row("set_no_pf", "vf-set", V(vf=0, vlan=1), E.EINVAL, "ifindex")
row("set_no_vf", "vf-set", V(ifname=PF, vlan=1), E.EINVAL, "vf")
row("release_nothing", "vf-release", b"", E.EINVAL, "re:.")
row("pool_add_nothing", "pool-add", b"", E.EINVAL, "ifindex")
row("pool_del_nothing", "pool-del", b"", E.EINVAL, "ifindex")
row("pool_set_nothing", "pool-set", b"", E.EINVAL, "ifindex", contract="k1: pool-set")
row("bind_no_pidfd", "vf-bind", V(ifname=PF, vf=HELD, owner=HOWN), E.EINVAL, "pidfd", contract="k2: vf-bind")
# --- unknown devices, non-SR-IOV netdevs, other netns, VF out of range --
row("unknown_ifindex", "vf-reserve", V(ifindex=0x7ffffff0), E.ENODEV, "ifindex")
row("unknown_ifname", "vf-reserve", V(ifname="nosuch0"), E.ENODEV, "ifname")
row("ifindex_ifname_differ", "vf-reserve", V(ifindex=PFI, ifname="lo"), E.EINVAL, "ifname")
row("pool_add_lo", "pool-add", P(ifname="lo"), E.EOPNOTSUPP, "ifname", contract=NAMEDEV)
row("pool_add_veth", "pool-add", P(ifname=VETH), E.EOPNOTSUPP, "ifname", contract=NAMEDEV)
row("pool_add_lo_ifindex", "pool-add", P(ifindex=1), E.EOPNOTSUPP, "ifindex", contract=NAMEDEV)
row("reserve_on_lo", "vf-reserve", V(ifname="lo"), E.ENOENT, "ifname")
row("reserve_on_veth", "vf-reserve", V(ifname=VETH), E.ENOENT, "ifname")
row("pool_add_foreign_netns", "pool-add", P(ifindex=args.foreign_ifindex), E.ENODEV, "ifindex")
row("reserve_foreign_netns", "vf-reserve", V(ifindex=args.foreign_ifindex), E.ENODEV, "ifindex")
row("get_foreign_netns", "vf-get", V(ifindex=args.foreign_ifindex, vf=0), E.ENODEV, "ifindex")
row("vf_99", "vf-reserve", V(ifname=PF, vf=99), E.ENOENT, "vf")
row("vf_u32_max", "vf-reserve", V(ifname=PF, vf=0xffffffff), E.ENOENT, "vf")
row("get_vf_99", "vf-get", V(ifname=PF, vf=99), E.ENOENT, "vf")
row("pci_unknown", "vf-reserve", V(ifname=PF, pci="zzzz:zz:zz.z"), E.ENOENT, "pci")
row("pool_add_range_past_end", "pool-add", P(ifname=PF2, vf_first=0, vf_last=9), E.ERANGE, "vf-last",
    contract="extack must point at vf-last (NL_SET_ERR_MSG_ATTR)")
row("pool_add_first_past_end", "pool-add", P(ifname=PF2, vf_first=9, vf_last=9), E.ERANGE, "re:vf-first|vf-last|range")
row("pool_add_enrolled", "pool-add", P(ifname=PF), E.EEXIST, "ifname", contract=NAMEDEV)
row("pool_del_unenrolled", "pool-del", P(ifname=PF2), E.ENOENT, "ifname")
row("pool_set_unenrolled", "pool-set", P(ifname=PF2, park="none"), E.ENOENT, "ifname", contract="k1: pool-set")
# --- state conflicts ----------------------------------------------------
row("reserve_held_vf", "vf-reserve", V(ifname=PF, vf=HELD), E.EBUSY, "vf")
row("set_free_vf", "vf-set", V(ifname=PF, vf=0, vlan=5, force=True), E.ENOENT, "vf")
row("release_free_vf", "vf-release", V(ifname=PF, vf=0, force=True), E.ENOENT, "vf")
row("release_unknown_owner", "vf-release", V(owner="nobody-has-this"), E.ENOENT, "owner")
row("set_held_no_owner", "vf-set", V(ifname=PF, vf=HELD, vlan=5), E.EPERM, "re:name its owner|force")
row("set_held_wrong_owner", "vf-set", V(ifname=PF, vf=HELD, vlan=5, owner="not-" + HOWN), E.EPERM, "owner")
row("release_held_wrong_owner", "vf-release", V(ifname=PF, vf=HELD, owner="not-" + HOWN), E.EPERM, "owner")
row("pool_del_busy", "pool-del", P(ifname=PF), E.EBUSY, "re:held|busy|reserved")
# --- unprivileged callers: every mutating op refused, reads allowed -------
CAPMSG = "re:CAP_NET_ADMIN"
mut = [("pool-add", P(ifname=PF2)), ("pool-del", P(ifname=PF)),
       ("pool-set", P(ifname=PF, park="none")),
       ("vf-reserve", V(ifname=PF)), ("vf-set", V(ifname=PF, vf=HELD, vlan=7, force=True)),
       ("vf-release", V(ifname=PF, vf=HELD, force=True)),
       ("vf-bind", V(ifname=PF, vf=HELD, force=True, pidfd=0))]
for user in ("nobody", "userns"):
    for op, pl in mut:
        c = "k1/k2: the op's permission check" if op in ("pool-set", "vf-bind") else None
        row(f"{user}_{op}", op, pl, E.EPERM, CAPMSG, user=user, contract=c)
    row(f"{user}_vf_get_allowed", "vf-get", V(ifname=PF, vf=HELD), 0, None, user=user)
    row(f"{user}_pool_get_allowed", "pool-get", P(ifname=PF), 0, None, user=user)
# --- framing: the genetlink layer refuses before vfpool sees it -----------
row("unknown_command", None, V(ifname=PF), E.EOPNOTSUPP, None, raw_cmd=99)
row("command_0", None, V(ifname=PF), E.EOPNOTSUPP, None, raw_cmd=0)
row("notification_as_request", None, V(ifname=PF, vf=0), E.EOPNOTSUPP, None,
    raw_cmd=g.msgs["vf-reserved-ntf"].rsp_value)


IP = "/usr/bin/ip" if os.path.exists("/usr/bin/ip") else "/sbin/ip"


def snapshot():
    vfs = g.dump("vf-get")
    pools = g.dump("pool-get")
    # one `ip` for both PFs: each snapshot costs a process under TCG
    out = subprocess.run([IP, "-j", "link", "show"], capture_output=True, text=True)
    links = {ln["ifname"]: ln.get("vfinfo_list") for ln in json.loads(out.stdout)
             if ln["ifname"] in (PF, PF2)}
    return json.dumps([vfs, pools, links], sort_keys=True, default=repr)


def restore(before):
    """A row that was wrongly accepted changed something: undo it (close
    the socket that holds what it reserved, un-enroll what it enrolled),
    so that it does not spoil the rows after it."""
    g.sock.close()
    g.sock = g.new_sock()
    was = {p["ifindex"] for p in json.loads(before)[1]}
    for p in g.dump("pool-get"):
        if p["ifindex"] not in was:
            g.request("pool-del", {"ifindex": p["ifindex"], "force": True})
    for _ in range(100):
        if snapshot() == before:
            return True
        time.sleep(0.1)
    return False


def drain_events():
    evs = []
    while True:
        try:
            evs.append(mon.recv(1 << 16))
        except BlockingIOError:
            return evs


libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER = 0x10000000


def send_as(user, cmd, payload):
    """Send from a child that dropped its privileges; (errno, extack)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            if user == "nobody":
                os.setgroups([])
                os.setresgid(65534, 65534, 65534)
                os.setresuid(65534, 65534, 65534)
            elif libc.unshare(CLONE_NEWUSER) != 0:
                raise OSError(ctypes.get_errno(), "unshare")
            s = g.new_sock()
            err, ext, _ = g.raw(cmd, payload, sock=s)
            os.write(w, json.dumps([err, ext]).encode())
        except Exception as e:      # noqa: BLE001 - reported to the parent
            os.write(w, json.dumps([-1, {"msg": f"child: {e}"}]).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    err, ext = json.loads(data)
    return err, ext


def extack_names(ext, names):
    if names is None:
        return True
    if names.startswith("re:"):
        return re.search(names[3:], ext.get("msg", "")) is not None
    if ext.get("attr") == names:
        return True
    return names[0] != "#" and re.search(r"\b%s\b" % re.escape(names), ext.get("msg", "")) is not None


print("KTAP version 1")
print(f"1..{len(rows)}")
fails = todo = 0
drain_events()
for n, r in enumerate(rows, 1):
    before = snapshot()
    cmd = r["raw_cmd"] if r["raw_cmd"] is not None else r["op"]
    if r["user"]:
        err, ext = send_as(r["user"], cmd, r["payload"])
    else:
        err, ext, _ = g.raw(cmd, r["payload"])
    after = snapshot()
    evs = drain_events()
    why = []
    if err != r["err"]:
        why.append(f"errno {err} ({os.strerror(err) if err > 0 else err}), wanted {r['err']}")
    if r["err"] and not extack_names(ext, r["names"]):
        why.append(f"extack {ext} does not name {r['names']}")
    if r["err"] and before != after:
        why.append("state changed")
        if not restore(before):
            why.append("and could not be restored: the rows after this one may fail")
        drain_events()
    if r["err"] and evs:
        why.append(f"{len(evs)} event(s) sent")
    # one line per row for comparing profiles: name errno attr
    print(f"# row {r['name']} {err} {ext.get('attr', '-')} {ext.get('msg', '')!r}")
    if not why:
        print(f"ok {n} {r['name']}")
        continue
    for w in why:
        print(f"# {w}")
    fails += 1
    if r["contract"]:
        todo += 1
        print(f"not ok {n} {r['name']} # CONTRACT ({r['contract']}): green once that lands")
    else:
        print(f"not ok {n} {r['name']}")
print(f"# {len(rows) - fails} passed, {fails} failed ({todo} of them CONTRACT rows)")
sys.exit(1 if fails else 0)
