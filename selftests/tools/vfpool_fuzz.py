#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A seeded, bounded fuzzer of the vfpool family, driven by the YAML spec
# through the YNL library (vfpool_nl.Vfpool): every command and attribute
# it knows comes from the spec, so new ones are fuzzed as soon as they are
# specified.
#
#   vfpool_fuzz.py --seed S [--messages N] [--seconds T] [--sockets K]
#                  --pf PF [--pf PF...]
# stops after N messages or T seconds, whichever comes first.
#
# Messages are, at random: well-formed requests of a random op with a
# random subset of its request attributes and values picked around the
# spec's checks (in range, at the edges, out of range); the same with the
# encoding mutated (bytes flipped, truncated, lengths lied about, NLA
# flags, duplicated or unknown attributes); random attribute sets of
# random types; all spread over K sockets of which some are closed in the
# middle of the sequence (with requests in flight) and replaced, and
# process holders: pidfds of short-lived children given in vf-reserve and
# vf-bind (vf-bind may answer EOPNOTSUPP before process holders land), and
# children that reserve on their own socket and die with SIGKILL.
#
# Python generates; sending is done by tools/vfpool_fuzz_send.c (compiled
# into /tmp on first use), fed chunks of 2000 messages over K sockets: a
# python client reaches only ~150 messages a second under TCG, the C
# sender several times more.  Each chunk's sender exits at its end, so its
# sockets close with whatever they hold; process holders and killed
# children happen between chunks.  VFPOOL_FUZZ_PYTHON=1 sends from python.
#
# The generator is a random.Random(seed): the same seed sends the same
# messages (the kernel's answers may differ in timing only).  At the end
# it checks that every VF is free or held by a live holder (a socket still
# open or a live process) and prints KTAP.  The caller closes everything
# and checks that all VFs end free and zeroed.

import argparse
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vfpool_nl import Vfpool, Netlink, tlv  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--seed", type=int, default=None)
ap.add_argument("--messages", type=int, default=10000, help="stop after N (0: no limit)")
ap.add_argument("--seconds", type=float, default=0, help="stop after T seconds (0: no limit)")
ap.add_argument("--sockets", type=int, default=6)
ap.add_argument("--pf", action="append", required=True)
args = ap.parse_args()
seed = args.seed if args.seed is not None else random.SystemRandom().getrandbits(32)
print(f"# vfpool_fuzz seed {seed}", flush=True)
rng = random.Random(seed)

g = Vfpool()
REQ_OPS = [n for n, o in g.ops.items() if "do" in o.yaml or "dump" in o.yaml]
PFS = args.pf
NAMES = PFS + ["lo", "nosuch0", "", "x" * 15, "x" * 16]
IFIDX = [socket.if_nametoindex(p) for p in PFS] + [0, 1, 0x7fffffff, 0xffffffff]
OWNERS = ["vm1", "vm2", "fz-a", "fz-b", "", "o" * 63, "o" * 64, "a\nb", "é"]
# Reservation MACs and VLANs apart from parking MACs and blackhole VLANs,
# so that the caller's final check (every VF reset: zero, or a parking MAC
# or blackhole VLAN its PF had) cannot mistake a guest's MAC or VLAN left
# behind for a parked VF.  The default parking MAC is among the reservation
# MACs: refused while it is the PF's parking MAC, an ordinary one after a
# pool-set changed that.
BAD_MACS = [b"\0" * 6, b"\xff" * 6, bytes.fromhex("01005e000001")]
MACS = [bytes([0x52, 0x54, 0, 0xf0, 0, i]) for i in range(6)] + BAD_MACS + \
    [bytes.fromhex("020000000000")]
PARK_MACS = [bytes.fromhex(m) for m in ("020000000000", "020000000001", "06000000f000")] + \
    BAD_MACS


def spec_max(attr):
    return attr.yaml.get("checks", {}).get("max")


def scalar_value(space, attr):
    t = attr.type
    bits = {"u8": 8, "u16": 16, "u32": 32, "s32": 32, "u64": 64}.get(t, 32)
    if attr.name == "ifindex":
        return rng.choice(IFIDX)
    if attr.name == "pidfd":
        return pidfd_value()
    if attr.name == "vlan":
        return rng.choice([0, 2, 4094, 4096, 0xffff, rng.randrange(2, 4094)])
    if attr.name == "park-vlan":
        return rng.choice([0, 1, 4095, 4096, 0xffff])
    if attr.name in ("vf", "vf-first", "vf-last"):
        return rng.choice([0, 1, 2, 3, 4, 5, 7, 63, 0xffffffff])
    if "enum" in attr.yaml:
        n = len(g.consts[attr.yaml["enum"]].entries)
        if attr.yaml.get("enum-as-flags") or g.consts[attr.yaml["enum"]].type == "flags":
            return rng.randrange(0, 1 << (n + 1))
        return rng.choice(list(range(n)) + [n, n + 1, 0xffffffff])
    mx = spec_max(attr)
    if isinstance(mx, int):
        return rng.choice([0, 1, mx, mx + 1, rng.randrange(0, mx + 1),
                           (1 << bits) - 1])
    if t.startswith("s"):
        return rng.choice([0, -1, 1, -2 ** 31, 2 ** 31 - 1])
    return rng.choice([0, 1, 10, 100, 10000, 86400, 86401, (1 << bits) - 1])


def value(space, attr):
    t = attr.type
    if t == "flag":
        return True
    if t == "string":
        if attr.name == "ifname":
            return rng.choice(NAMES)
        if attr.name == "owner":
            return rng.choice(OWNERS)
        if attr.name == "pool":
            return rng.choice(["fz0", "fz1", "", "p" * 31, "p" * 32])
        if attr.name == "pci":
            return rng.choice(["0000:00:00.0", "zzzz", "", "0" * 16])
        return "".join(rng.choice("ab\x01 ") for _ in range(rng.randrange(0, 20)))
    if t == "binary":
        if attr.name == "mac":
            return rng.choice(MACS)
        if attr.name == "park-mac":
            return rng.choice(PARK_MACS)
        return rng.randbytes(rng.randrange(0, 12))
    return scalar_value(space, attr)


def encode(space, attr, v):
    t = attr.type
    if t == "string":
        return tlv(attr.value, v.encode("utf-8", "replace") + b"\0")
    if t == "binary":
        return tlv(attr.value, v)
    if t == "flag":
        return tlv(attr.value, b"")
    fmt = {"u8": "B", "u16": "H", "u32": "I", "s32": "i", "u64": "Q"}[t]
    if t.startswith("u"):
        v &= (1 << (8 * struct.calcsize(fmt))) - 1
    return tlv(attr.value, struct.pack(fmt, v))


def request_attrs(op):
    o = g.ops[op]
    names = []
    for mode in ("do", "dump"):
        names += o.yaml.get(mode, {}).get("request", {}).get("attributes", [])
    return o.attr_set, sorted(set(names)) or list(o.attr_set.attrs)


def well_formed(op):
    aset, names = request_attrs(op)
    pick = rng.sample(names, rng.randrange(0, min(len(names), 6) + 1))
    # most requests name a PF, or nothing would get past the lookup
    if rng.random() < 0.8 and "ifname" in names and "ifindex" not in pick:
        pick.append("ifname")
    return b"".join(encode(aset.name, aset[n], value(aset.name, aset[n])) for n in pick)


def mutate(buf):
    b = bytearray(buf)
    for _ in range(rng.randrange(1, 4)):
        m = rng.randrange(8)
        if m == 0 and b:                          # flip a byte
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        elif m == 1 and b:                        # truncate
            del b[rng.randrange(len(b)):]
        elif m == 2 and len(b) >= 4:              # lie about a length
            off = rng.randrange(0, len(b) - 3) & ~3
            struct.pack_into("H", b, off, rng.choice([0, 1, 3, 4, 5, 8, 255, 0xffff]))
        elif m == 3 and len(b) >= 4:              # NLA_F_NESTED / BYTEORDER
            off = rng.randrange(0, len(b) - 3) & ~3
            t = struct.unpack_from("H", b, off + 2)[0]
            struct.pack_into("H", b, off + 2, t | rng.choice([0x8000, 0x4000]))
        elif m == 4:                              # an unknown attribute
            b += tlv(rng.choice([0, 28, 29, 100, 0x3fff]), rng.randbytes(rng.randrange(0, 9)))
        elif m == 5 and b:                        # duplicate the message
            b += bytes(b)
        elif m == 6:                              # garbage tail
            b += rng.randbytes(rng.randrange(1, 9))
        else:                                     # a nest of garbage
            b += tlv(rng.randrange(1, 30) | 0x8000, tlv(1, rng.randbytes(4)) + rng.randbytes(3))
    return bytes(b)


def random_attrs():
    return b"".join(tlv(rng.randrange(0, 32), rng.randbytes(rng.choice([0, 1, 2, 4, 6, 8, 16])))
                    for _ in range(rng.randrange(0, 8)))


# --- sockets and process holders -------------------------------------------
def new_sock():
    s = g.new_sock()
    s.settimeout(30)
    return s


socks = [new_sock() for _ in range(args.sockets)]
children = {}         # pid -> pidfd (short-lived sleepers)
stats = dict(sent=0, ok=0, errs={}, closed=0, killed=0, forks=0, gen=0.0)


def pidfd_value():
    if children and rng.random() < 0.8:
        return rng.choice(list(children.values()))
    return rng.choice([-1, 0, 1, 9999])


def in_child():
    """A child must not keep the parent's sockets open: closing one in the
    parent has to end its reservations."""
    for s in socks:
        s.close()
    g.sock.close()


def spawn_sleeper():
    pid = os.fork()
    if pid == 0:
        in_child()
        time.sleep(rng.choice([0.05, 0.5, 2]))
        os._exit(0)
    children[pid] = os.pidfd_open(pid)
    stats["forks"] += 1


def spawn_reserver():
    """A child reserving on its own socket, then killed."""
    pid = os.fork()
    if pid == 0:
        try:
            in_child()
            s = g.new_sock()
            for _ in range(3):
                g.raw("vf-reserve", well_formed("vf-reserve"), sock=s)
            time.sleep(5)
        finally:
            os._exit(0)
    children[pid] = os.pidfd_open(pid)
    stats["forks"] += 1


def reap():
    for pid in list(children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done and rng.random() < 0.5:
            os.close(children.pop(pid))


def kill_one():
    if children:
        pid = rng.choice(list(children))
        try:
            os.kill(pid, signal.SIGKILL)
            stats["killed"] += 1
        except ProcessLookupError:
            pass


def close_one():
    i = rng.randrange(len(socks))
    if rng.random() < 0.5:     # with a request in flight
        try:
            g.raw("vf-reserve", well_formed("vf-reserve"), sock=socks[i], wait=False)
        except OSError:
            pass
    socks[i].close()
    socks[i] = new_sock()
    stats["closed"] += 1


def random_payload(op):
    """A request body for op: well-formed, mutated or random attributes."""
    r = rng.random()
    if r < 0.45:
        return well_formed(op)
    if r < 0.8:
        return mutate(well_formed(op))
    return random_attrs()


def one_message():
    op = rng.choice(REQ_OPS)
    flags = Netlink.NLM_F_DUMP if rng.random() < 0.1 else 0
    payload = random_payload(op)
    cmd = op if rng.random() < 0.97 else rng.randrange(0, 256)
    s = rng.choice(socks)
    try:
        err, ext, _ = g.raw(cmd, payload, flags, sock=s)
    except OSError as e:
        err = e.errno or "timeout"
    stats["sent"] += 1
    if err == 0:
        stats["ok"] += 1
    else:
        stats["errs"][err] = stats["errs"].get(err, 0) + 1


SENDER_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vfpool_fuzz_send.c")


def build_sender():
    """The C sender: built with the other selftests (selftests/Makefile) or,
    when that binary is missing or older than its source, compiled into /tmp
    (the guest's tmpfs) on first use -- which costs minutes of TCG on the
    debug kernel, out of the fuzzer's time budget."""
    built = SENDER_SRC[:-2]
    if os.access(built, os.X_OK) and os.path.getmtime(built) >= os.path.getmtime(SENDER_SRC):
        return built
    out = f"/tmp/vfpool_fuzz_send.{os.getuid()}"
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(SENDER_SRC):
        r = subprocess.run(["cc", "-O2", "-o", out + ".new", SENDER_SRC],
                           capture_output=True, text=True)
        if r.returncode:
            print(f"# cannot build the C sender, sending from python: {r.stderr.strip()}")
            return None
        os.rename(out + ".new", out)
    return out


def record(action, sock, flags, payload):
    return struct.pack("BBHI", action, sock, flags, len(payload)) + payload


def one_record():
    r = rng.random()
    if r < 0.003:
        stats["closed"] += 1
        return record(2, rng.randrange(args.sockets), 0, b"")
    op = rng.choice(REQ_OPS)
    flags = Netlink.NLM_F_DUMP if rng.random() < 0.1 else 0
    payload = random_payload(op)
    cmd = g.ops[op].req_value if rng.random() < 0.97 else rng.randrange(0, 256)
    action = 1 if rng.random() < 0.01 else 0
    return record(action, rng.randrange(args.sockets), flags,
                  struct.pack("BBH", cmd, 1, 0) + payload)


def run_chunk(sender, n):
    """n messages through one sender process: its sockets close when it
    exits at the end of the chunk, whatever they hold."""
    tg = time.monotonic()
    stream = b"".join(one_record() for _ in range(n))
    stats["gen"] += time.monotonic() - tg
    argv = [sender, str(g.nlproto.family_id), str(args.sockets)]
    if deadline:
        argv.append(str(max(1, int(deadline - time.monotonic()))))
    p = subprocess.run(argv, input=stream,
                       capture_output=True, pass_fds=list(children.values()), timeout=600)
    for ln in p.stdout.decode().splitlines():
        w = ln.split()
        if w[0] == "sent":
            stats["sent"] += int(w[1])
        elif w[0] == "errno":
            e, c = int(w[1]), int(w[2])
            if e == 0:
                stats["ok"] += c
            else:
                stats["errs"][e] = stats["errs"].get(e, 0) + c
    if p.returncode:
        raise SystemExit(f"sender failed ({p.returncode}): {p.stderr.decode()}")


def between_chunks():
    for _ in range(rng.randrange(0, 4)):
        spawn_sleeper()
    if rng.random() < 0.5:
        spawn_reserver()
    if rng.random() < 0.5:
        kill_one()
    reap()


sender = None if os.environ.get("VFPOOL_FUZZ_PYTHON") else build_sender()
print(f"# sending {'with the C sender' if sender else 'from python'}", flush=True)
t0 = time.monotonic()
deadline = t0 + args.seconds if args.seconds else None
last = 0


def more():
    return ((not args.messages or stats["sent"] < args.messages) and
            (not deadline or time.monotonic() < deadline))


while more():
    if sender:
        between_chunks()
        left = args.messages - stats["sent"] if args.messages else 2000
        run_chunk(sender, max(1, min(2000, left)))
    else:
        r = rng.random()
        if r < 0.002:
            close_one()
        elif r < 0.004:
            spawn_sleeper()
        elif r < 0.005:
            spawn_reserver()
        elif r < 0.006:
            kill_one()
        elif r < 0.010:
            reap()
        else:
            one_message()
    if stats["sent"] - last >= 10000:
        last = stats["sent"]
        print(f"# {stats['sent']} messages, {time.monotonic() - t0:.0f} s", flush=True)
el = time.monotonic() - t0
print(f"# seed {seed}: {stats['sent']} messages in {el:.1f} s ({stats['sent'] / el:.0f}/s), "
      f"{stats['ok']} accepted, errors {dict(sorted(stats['errs'].items(), key=str))}, "
      f"{stats['closed']} sockets closed mid-sequence, {stats['forks']} children, "
      f"{stats['killed']} killed; {stats['gen']:.1f} s of it generating in python", flush=True)

# --- invariants while clients are still alive ---------------------------------
print("KTAP version 1")
print("1..2")
print(f"ok 1 fuzz_{stats['sent']}_messages")


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


bad = []
# let resets of closed sockets and exited processes land
for _ in range(100):
    bad = []
    for v in g.dump("vf-get"):
        st = v.get("state")
        if st in ("free", "gone", "quarantined", "assigned"):
            continue
        if st == "reserved" and v.get("pid") and alive(v["pid"]):
            continue
        if st == "reserved" and "lingering" in (v.get("flags") or []):
            continue
        bad.append(v)
    if not bad:
        break
    time.sleep(0.1)
if bad:
    for v in bad:
        print(f"# not free and no live holder: {v}")
    print("not ok 2 held_only_by_live_holders")
else:
    print("ok 2 held_only_by_live_holders")
for pid in children:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
sys.exit(1 if bad else 0)
