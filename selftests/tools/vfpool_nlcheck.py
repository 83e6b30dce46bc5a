#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Two properties of the vfpool family's netlink plumbing, checked through
# raw sockets with the spec's numbering (vfpool_nl.Vfpool):
#
#   vfpool_nlcheck.py PF NVFS     (PF enrolled with NVFS VFs, all free)
#
#   dump-intr: a vf-get dump read part by part (a 4 KiB receive buffer, so one
#       part is one recv): a read-only client between two parts (vf-get,
#       a full pool-get dump) leaves every message unflagged; a vf-reserve
#       from a second socket between two parts flags a later part with
#       NLM_F_DUMP_INTR (its first message built after the change), never
#       the part read before it; so does a holder's socket closed between
#       two parts.
#       The dumps list all NVFS VFs.
#
#   extack: many concurrent clients (threads, one socket each; more than
#       the 64 slots of the ring 6.1 used to share) send refused
#       requests whose extack messages are formatted per request: each ack
#       must carry exactly its own text (no other request's), cut at the
#       79 bytes the 6.2+ kernel keeps (NETLINK_MAX_FMTMSG_LEN), identical
#       on 6.1 and 6.12.  One kind is longer than that (a 63-byte owner
#       label in the text).
#
#   attrs-once: in a pool-get dump and a vf-get dump (a VF reserved with
#       MAC, VLAN and owner among them) no message carries a top-level
#       attribute twice: the spec has no multi-attr in either set, and a
#       repeated one is read differently by different parsers.
#
# Prints KTAP (a fixed plan: a case not reached fails); exit 0 when every
# case passed, 1 otherwise.

import errno as E
import os
import socket
import struct
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vfpool_nl import Vfpool, Netlink, _tlvs  # noqa: E402

NLM_F_DUMP_INTR = 0x10
MSG_LEN = 79            # NETLINK_MAX_FMTMSG_LEN (80) less the NUL

PLAN = 10
results = []


def case(ok, name, diag=None, info=None):
    """One KTAP result; info goes out as a diagnostic line always, diag only
    on a failure."""
    if info:
        print(f"# {info}", flush=True)
    if diag and not ok:
        print(f"# {diag}", flush=True)
    results.append(bool(ok))
    print(f"{'ok' if ok else 'not ok'} {len(results)} {name}", flush=True)


def request(g, op, vals, flags):
    space = g.ops[op].attr_set.name
    payload = b"".join(g.attr(space, k, v) for k, v in vals.items())
    body = struct.pack("BBH", g.cmd_value(op), 1, 0) + payload
    return struct.pack("IHHII", 16 + len(body), g.nlproto.family_id,
                       Netlink.NLM_F_REQUEST | flags, 1, 0) + body


def read_part(sock):
    """One recv: [(type, flags)] of its messages; fails on truncation."""
    data, _, mflags, _ = sock.recvmsg(4096)
    if mflags & socket.MSG_TRUNC:
        raise RuntimeError("dump part truncated by the 4 KiB buffer")
    out, off = [], 0
    while off + 16 <= len(data):
        ln, typ, fl, _, _ = struct.unpack_from("IHHII", data, off)
        if typ == Netlink.NLMSG_ERROR:
            raise RuntimeError("dump refused: %d" % struct.unpack_from("i", data, off + 16)[0])
        out.append((typ, fl))
        off += (ln + 3) & ~3
    return out


def dump_with(g, pf, between):
    """A vf-get dump of PF read part by part, between() run after the first
    part.  Returns (parts, number of VF messages, done seen)."""
    s = g.new_sock()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.send(request(g, "vf-get", {"ifname": pf}, Netlink.NLM_F_DUMP))
    parts, done = [read_part(s)], False
    between()
    while not done:
        part = read_part(s)
        parts.append(part)
        done = any(t == Netlink.NLMSG_DONE for t, _ in part)
    s.close()
    nmsg = sum(1 for p in parts for t, _ in p if t != Netlink.NLMSG_DONE)
    return parts, nmsg


def flagged(part):
    return any(f & NLM_F_DUMP_INTR for _, f in part)


def dump_intr(g, pf, nvfs):
    other = g.new_sock()

    def reads():
        err, ext, _ = g.request("vf-get", {"ifname": pf, "vf": 0}, sock=other)
        if err:
            raise RuntimeError(f"vf-get: {os.strerror(err)} {ext}")
        g.dump("pool-get", sock=other)

    parts, nmsg = dump_with(g, pf, reads)
    case(len(parts) >= 3 and nmsg == nvfs,
         "dump_intr_dump_in_parts_lists_every_vf",
         info="%d parts, %d of %d VFs" % (len(parts), nmsg, nvfs))
    case(not any(flagged(p) for p in parts),
         "dump_intr_reads_between_parts_flag_nothing",
         "flags: %s" % [[hex(f) for _, f in p] for p in parts])

    holder = g.new_sock()

    def reserve():
        err, ext, _ = g.request("vf-reserve", {"ifname": pf, "vf": nvfs - 1}, sock=holder)
        if err:
            raise RuntimeError(f"vf-reserve: {os.strerror(err)} {ext}")

    parts, nmsg = dump_with(g, pf, reserve)
    case(nmsg == nvfs, "dump_intr_interrupted_dump_lists_every_vf")
    case(not flagged(parts[0]), "dump_intr_part_before_change_not_flagged")
    case(any(flagged(p) for p in parts[1:]),
         "dump_intr_part_after_vf_reserve_flagged",
         "flags: %s" % [[hex(f) for _, f in p] for p in parts])
    holder.close()      # the reservation ends with its socket

    # A holder going away changes what readers see at once (its VF reads
    # as resetting), before any event: that flags a dump too.
    err, ext, _ = g.request("vf-reserve", {"ifname": pf, "vf": nvfs - 2}, sock=other)
    if err:
        raise RuntimeError(f"vf-reserve: {os.strerror(err)} {ext}")
    parts, nmsg = dump_with(g, pf, other.close)
    case(any(flagged(p) for p in parts[1:]) and not flagged(parts[0]),
         "dump_intr_holder_socket_closed_flags_later_part",
         "flags: %s" % [[hex(f) for _, f in p] for p in parts])


def extack(g, pf):
    owner = "o" * 55 + "-long-lb"          # 63 bytes, the most allowed
    holder = g.new_sock()
    err, ext, _ = g.request("vf-reserve", {"ifname": pf, "vf": 1, "owner": owner},
                            sock=holder)
    if err:
        raise RuntimeError(f"vf-reserve: {os.strerror(err)} {ext}")
    long_text = f"VF 1 of {pf} is held by {owner}, not by this owner"
    case(len(long_text) > MSG_LEN, "extack_text_longer_than_kernel_keeps",
         info="%d bytes, the kernel keeps %d" % (len(long_text), MSG_LEN))

    nthreads, rounds = 96, 20
    bad = []
    lock = threading.Lock()

    def client(t):
        sock = g.new_sock()
        for i in range(rounds):
            k = i % 3
            if k == 0:
                name = "vfx%03d_%05d" % (t, i)
                vals, op = {"ifname": name}, "vf-get"
                want, eno = f"no device named {name}", E.ENODEV
            elif k == 1:
                vf = 10000 + t * 100 + i
                vals, op = {"ifname": pf, "vf": vf}, "vf-get"
                want, eno = None, E.ENOENT
                want_pfx = f"VF {vf} of {pf} is not enrolled"
            else:
                vals = {"ifname": pf, "vf": 1, "owner": "c%03d-%05d" % (t, i)}
                op, want, eno = "vf-release", long_text[:MSG_LEN], E.EPERM
            err, ext, _ = g.request(op, vals, sock=sock)
            msg = ext.get("msg", "")
            ok = err == eno and (msg == want if want is not None
                                 else msg.startswith(want_pfx + " (enrolled: "))
            if not ok:
                with lock:
                    bad.append(f"{op} {vals}: {err} {msg!r}")
        sock.close()

    threads = [threading.Thread(target=client, args=(t,)) for t in range(nthreads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    case(not bad, "extack_concurrent_requests_get_own_intact_text", "; ".join(bad[:5]),
         info="%d concurrent requests" % (nthreads * rounds))
    holder.close()


def dump_attrs(g, op, vals):
    """A whole dump of op: [[attribute types of one message], ...]."""
    space = g.ops[op].attr_set.name
    payload = b"".join(g.attr(space, k, v) for k, v in vals.items())
    err, ext, replies = g.raw(op, payload, Netlink.NLM_F_DUMP)
    if err:
        raise RuntimeError(f"{op} dump refused: {os.strerror(err)} {ext}")
    return [[t for _, t, _ in _tlvs(r[4:])] for r in replies]


def attrs_once(g, pf):
    holder = g.new_sock()
    err, ext, _ = g.request("vf-reserve", {"ifname": pf, "vf": 2, "owner": "once",
                                           "mac": bytes.fromhex("525400000202"),
                                           "vlan": 22}, sock=holder)
    if err:
        raise RuntimeError(f"vf-reserve: {os.strerror(err)} {ext}")
    for op in ("pool-get", "vf-get"):
        msgs = dump_attrs(g, op, {} if op == "pool-get" else {"ifname": pf})
        twice = [sorted({t for t in m if m.count(t) > 1}) for m in msgs]
        twice = [t for t in twice if t]
        case(msgs and not twice, f"{op.replace('-', '_')}_dump_each_attribute_once",
             f"attribute types repeated: {twice[:3]}",
             info=f"{op}: {len(msgs)} messages")
    holder.close()


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} PF NVFS")
    pf, nvfs = sys.argv[1], int(sys.argv[2])
    print("KTAP version 1", flush=True)
    print(f"1..{PLAN}", flush=True)
    g = Vfpool()
    for what, fn, args in (("dump-intr", dump_intr, (g, pf, nvfs)),
                           ("extack", extack, (g, pf)),
                           ("attrs-once", attrs_once, (g, pf))):
        try:
            fn(*args)
        except (OSError, RuntimeError) as e:
            print(f"# {what}: {e}", flush=True)
    while len(results) < PLAN:
        case(False, "not_reached")
    return 0 if all(results) and len(results) == PLAN else 1


if __name__ == "__main__":
    sys.exit(main())
