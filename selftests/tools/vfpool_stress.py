#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The stress test's client and checker (selftests/vfpool_stress.sh).
#
#   vfpool_stress.py client ID LOG SECONDS POOL
#       random reserve (from POOL) / set / release / bind for SECONDS, on
#       one socket, logging what it got:
#         T0 T1 got IFINDEX VF     reply to a reserve received at T1
#         T0 T1 drop IFINDEX VF    release sent at T0 (held until then)
#         T0 T1 keep IFINDEX VF    a vf-set on it, sent at T0, succeeded
#         T0 T1 lost IFINDEX VF    learnt at T1 that it no longer holds it
#       (CLOCK_MONOTONIC seconds).  Killed with SIGKILL at any time.
#   vfpool_stress.py clients N LOGDIR SECONDS POOL
#       N such clients forked from one process, replaced when killed
#       (LOGDIR/client-ID.log each, LOGDIR/pids the live ones); prints how
#       many clients ran in all and how many it killed with SIGKILL (two
#       a second)
#   vfpool_stress.py check LOGDIR MONITOR-LOG
#       no VF held twice: per VF, the intervals during which each client
#       certainly held it (reply received .. release sent, or .. its last
#       log line if it was killed) never overlap between clients; and in
#       the event stream (`vfpoolctl -j monitor`), per VF, "reserved" and
#       the end of a reservation alternate.

import errno
import glob
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def client(cid, log, secs, pool, g=None):
    if g is None:
        from vfpool_nl import Vfpool
        g = Vfpool()
    rng = random.Random(cid * 7919 + os.getpid())
    out = open(log, "a", buffering=1)
    held = {}                       # (ifindex, vf) -> got time
    n = 0
    end = time.monotonic() + secs
    children = []
    while time.monotonic() < end:
        r = rng.random()
        t0 = time.monotonic()
        if r < 0.4 or not held:
            n += 1
            mac = bytes([0x52, 0x54, 0x02, cid & 0xff, (n >> 8) & 0xff, n & 0xff])
            err, ext, rep = g.request("vf-reserve", {"pool": pool, "mac": mac,
                                                     "vlan": rng.randrange(1, 4095),
                                                     "owner": f"st{cid}"})
            t1 = time.monotonic()
            if not err:
                key = (rep[0]["ifindex"], rep[0]["vf"])
                held[key] = t1
                out.write(f"{t0:.6f} {t1:.6f} got {key[0]} {key[1]}\n")
            continue
        key = rng.choice(list(held))
        if r < 0.7:
            err, ext, _ = g.request("vf-set", {"ifindex": key[0], "vf": key[1],
                                               "vlan": rng.randrange(1, 4095)})
        elif r < 0.75:
            pid = os.fork()
            if pid == 0:
                time.sleep(0.2)
                os._exit(0)
            children.append(pid)
            fd = os.pidfd_open(pid)
            err, ext, _ = g.request("vf-bind", {"ifindex": key[0], "vf": key[1], "pidfd": fd})
            os.close(fd)
            if err == errno.EOPNOTSUPP:
                err = 0             # vf-bind before process holders landed
            elif not err:
                # bound to a child that exits soon: no longer ours to track
                out.write(f"{t0:.6f} {time.monotonic():.6f} drop {key[0]} {key[1]}\n")
                del held[key]
                continue
        else:
            out.write(f"{t0:.6f} {t0:.6f} drop {key[0]} {key[1]}\n")
            err, ext, _ = g.request("vf-release", {"ifindex": key[0], "vf": key[1]})
            del held[key]
            continue
        if not err and r < 0.7:
            out.write(f"{t0:.6f} {time.monotonic():.6f} keep {key[0]} {key[1]}\n")
        if err in (errno.ENOENT, errno.ENODEV, errno.EPERM):
            # the PF went away (or the VF was reset under us): no longer held
            out.write(f"{t0:.6f} {time.monotonic():.6f} lost {key[0]} {key[1]}\n")
            del held[key]
        for p in list(children):
            if os.waitpid(p, os.WNOHANG)[0]:
                children.remove(p)
    out.write(f"{time.monotonic():.6f} {time.monotonic():.6f} end 0 0\n")


def clients(n, logdir, secs, pool):
    """n clients forked from one parent that loaded the spec once (a python
    start costs seconds under TCG); a client that dies (kill -9 from the
    test) is replaced by a new one until the end.  LOGDIR/pids lists the
    live clients' pids for the killers."""
    from vfpool_nl import Vfpool
    g = Vfpool()
    end = time.monotonic() + secs
    live = {}
    nxt = 0

    def spawn():
        nonlocal nxt
        cid = nxt
        nxt += 1
        pid = os.fork()
        if pid == 0:
            g.sock.close()
            g.sock = g.new_sock()       # each client its own socket
            client(cid, os.path.join(logdir, f"client-{cid}.log"),
                   end - time.monotonic(), pool, g)
            os._exit(0)
        live[pid] = cid

    def publish():
        with open(os.path.join(logdir, "pids.new"), "w") as f:
            f.write(" ".join(map(str, live)) + "\n")
        os.rename(os.path.join(logdir, "pids.new"), os.path.join(logdir, "pids"))

    for _ in range(n):
        spawn()
    publish()
    # The kill -9 storm, from here: the test's shell is starved by 16 busy
    # clients under TCG and would land a kill every few seconds only.
    rng = random.Random(os.getpid())
    kills = 0
    while live:
        if time.monotonic() < end - 2 and rng.random() < 0.5:
            victim = rng.choice(list(live))
            try:
                os.kill(victim, 9)
                kills += 1
            except ProcessLookupError:
                pass
        time.sleep(0.25)
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                pid = 0
            if not pid:
                break
            live.pop(pid, None)
            if time.monotonic() < end - 1:
                spawn()
        publish()
    print(nxt, kills)


def check(logdir, monlog):
    bad = []
    iv = {}                         # key -> [(start, end, client)]
    for path in sorted(glob.glob(os.path.join(logdir, "client-*.log"))):
        cname = os.path.basename(path)
        lines = [ln.split() for ln in open(path) if ln.strip()]
        open_ = {}
        confirm = {}
        for ln in lines:
            if len(ln) != 5:
                continue            # a line cut by SIGKILL
            t0, t1, what, ifi, vf = float(ln[0]), float(ln[1]), ln[2], ln[3], ln[4]
            key = (ifi, vf)
            # Certainly held: from the reserve's reply to the last request
            # that found it held (a vf-set's or the release's sending time).
            if what == "got":
                if key in open_:
                    bad.append(f"{cname}: got {key} twice")
                open_[key] = confirm[key] = t1
            elif what == "keep" and key in open_:
                confirm[key] = t0
            elif what == "drop" and key in open_:
                iv.setdefault(key, []).append((open_.pop(key), t0, cname))
            elif what == "lost" and key in open_:
                iv.setdefault(key, []).append((open_.pop(key), confirm[key], cname))
        for key, t in open_.items():      # killed while holding it
            iv.setdefault(key, []).append((t, confirm[key], cname))
    held = 0
    for key, lst in iv.items():
        lst.sort()
        held += len(lst)
        for (a1, b1, c1), (a2, b2, c2) in zip(lst, lst[1:]):
            if a2 < b1 and c1 != c2:
                bad.append(f"VF {key}: held by {c1} [{a1:.3f},{b1:.3f}] and {c2} [{a2:.3f},{b2:.3f}]")
    # The event stream, in the kernel's order.
    state = {}
    nev = 0
    ends = ("released", "gone", "quarantined")
    for ln in open(monlog):
        try:
            ev = json.loads(ln)
        except ValueError:
            continue
        if "vf" not in ev:
            continue
        nev += 1
        key = (ev.get("ifindex"), ev.get("vf"))
        e = ev.get("event")
        if e == "reserved":
            if state.get(key) == "reserved":
                bad.append(f"events: VF {key} reserved twice without a release between")
            state[key] = "reserved"
        elif e in ends:
            state[key] = e
    print(f"# stress check: {held} reservations in client logs, {nev} VF events")
    for b in bad[:20]:
        print("# " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "client":
        client(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5])
    elif sys.argv[1] == "clients":
        clients(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5])
    else:
        sys.exit(check(sys.argv[2], sys.argv[3]))
