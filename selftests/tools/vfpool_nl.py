#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A raw generic netlink client of the vfpool family, independent of
# vfpoolctl and libnl, for what the tool cannot say: many reservations on
# one socket, and hand-made (malformed) requests whose extack we check.
#
#   vfpool_nl.py hold PF COUNT     reserve COUNT VFs of PF on one socket with
#                                  MAC 52:54:01:00:hi:lo and VLAN n+1, print
#                                  "held" and sleep until killed
#   vfpool_nl.py request CMD ATTR=VALUE...
#                                  send one request; print "OK" or
#                                  "ERR <errno> <extack message>"
#       ATTR is a vf attribute name (ifname, vf, mac, vlan, qos, vlan-proto,
#       owner, ...), or for pool-* commands a pool attribute name (ifname,
#       pool, park, park-vlan, park-mac, ...); VALUE is decimal, a string,
#       or xx:xx:.. for mac.
#   vfpool_nl.py events            join the events group, print "listening",
#                                  then each event's command number, one a
#                                  line, until killed
#   vfpool_nl.py show CMD ATTR=VALUE...
#                                  as request, then print each attribute of
#                                  the reply as "name=value", one a line

import os, socket, struct, sys, time

NETLINK_GENERIC, GENL_ID_CTRL = 16, 0x10
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NETLINK_EXT_ACK, SOL_NETLINK = 11, 270
NLMSGERR_ATTR_MSG = 1

CMDS = {"pool-get": 1, "pool-add": 2, "pool-del": 3, "vf-get": 4,
        "vf-reserve": 5, "vf-set": 6, "vf-release": 7, "pool-set": 18}
# name: (type, format)
VF_ATTRS = {"ifindex": (1, "I"), "ifname": (2, "s"), "vf": (3, "I"),
            "pci": (4, "s"), "pool": (5, "s"), "state": (6, "I"),
            "owner": (7, "s"), "pid": (8, "I"), "mac": (9, "mac"),
            "vlan": (10, "H"), "qos": (11, "B"), "vlan-proto": (12, "H"),
            "spoofchk": (13, "B"), "trust": (14, "B"), "link-state": (15, "I"),
            "min-tx-rate": (16, "I"), "max-tx-rate": (17, "I"),
            "on-release": (18, "I"), "force": (19, "flag"), "error": (21, "i"),
            "reason": (20, "I"), "flags": (26, "I")}
POOL_ATTRS = {"ifindex": (1, "I"), "ifname": (2, "s"), "pool": (3, "s"),
              "pci": (4, "s"), "vf-first": (5, "I"), "vf-last": (6, "I"),
              "total": (7, "I"), "free": (8, "I"), "reserved": (9, "I"),
              "quarantined": (10, "I"), "gone": (11, "I"), "force": (12, "flag"),
              "park": (13, "I"), "park-vlan": (14, "H"), "park-mac": (15, "mac"),
              "assigned": (16, "I")}


def attr(typ, val):
    a = struct.pack("HH", 4 + len(val), typ) + val
    return a + b"\0" * (-len(a) % 4)


def attrs(buf):
    while len(buf) >= 4:
        ln, typ = struct.unpack_from("HH", buf)
        if ln < 4:
            break
        yield typ & 0x3fff, buf[4:ln]
        buf = buf[(ln + 3) & ~3:]


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 0
        self.fam = None
        err, msgs = self.request(GENL_ID_CTRL, 3, attr(2, b"vfpool\0"))
        if err:
            sys.exit("vfpool family not found")
        self.grps = {}
        for t, v in attrs(msgs[0][4:]):
            if t == 1:
                self.fam = struct.unpack("H", v[:2])[0]
            if t == 7:          # CTRL_ATTR_MCAST_GROUPS
                for _, grp in attrs(v):
                    g = dict(attrs(grp))
                    self.grps[g[1].rstrip(b"\0").decode()] = \
                        struct.unpack("I", g[2][:4])[0]

    def request(self, fam, cmd, payload):
        self.seq += 1
        body = struct.pack("BBH", cmd, 1, 0) + payload
        self.s.send(struct.pack("IHHII", 16 + len(body), fam,
                                NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body)
        replies = []
        while True:
            data = self.s.recv(1 << 16)
            while data:
                ln, typ, flags, seq, _ = struct.unpack_from("IHHII", data)
                msg = data[16:ln]
                data = data[(ln + 3) & ~3:]
                if typ == NLMSG_ERROR:
                    err = -struct.unpack_from("i", msg)[0]
                    text = ""
                    if err:
                        inner = struct.unpack_from("I", msg, 4)[0]
                        tlvs = msg[4 + (inner if flags & 0x100 == 0 else 16):]
                        for t, v in attrs(tlvs):
                            if t == NLMSGERR_ATTR_MSG:
                                text = v.rstrip(b"\0").decode()
                    return (err, text) if err else (0, replies)
                replies.append(msg)


def encode(name, value, table=None):
    typ, fmt = (table or VF_ATTRS)[name]
    if fmt == "s":
        return attr(typ, value.encode() + b"\0")
    if fmt == "mac":
        return attr(typ, bytes(int(x, 16) for x in value.split(":")))
    if fmt == "flag":
        return attr(typ, b"")
    return attr(typ, struct.pack(fmt, int(value, 0)))


def decode(table, typ, val):
    for name, (t, fmt) in table.items():
        if t != typ:
            continue
        if fmt == "s":
            return name, val.rstrip(b"\0").decode()
        if fmt == "mac":
            return name, ":".join("%02x" % b for b in val)
        if fmt == "flag":
            return name, ""
        return name, str(struct.unpack_from(fmt, val)[0])
    return str(typ), val.hex()


def main():
    g = Genl()
    if sys.argv[1] == "hold":
        pf, count = sys.argv[2], int(sys.argv[3])
        for n in range(count):
            mac = "52:54:01:00:%02x:%02x" % (n >> 8, n & 0xff)
            p = encode("ifname", pf) + encode("mac", mac) + encode("vlan", str(n + 1))
            err, text = g.request(g.fam, CMDS["vf-reserve"], p)
            if err:
                sys.exit(f"reserve {n}: {os.strerror(err)}: {text}")
        print("held", flush=True)
        while True:
            time.sleep(3600)
    elif sys.argv[1] == "events":
        g.s.setsockopt(SOL_NETLINK, 1, g.grps["events"])  # ADD_MEMBERSHIP
        print("listening", flush=True)
        while True:
            data = g.s.recv(1 << 16)
            while data:
                ln = struct.unpack_from("I", data)[0]
                print(data[16], flush=True)
                data = data[(ln + 3) & ~3:]
    elif sys.argv[1] in ("request", "show"):
        table = POOL_ATTRS if sys.argv[2].startswith("pool-") else VF_ATTRS
        p = b"".join(encode(*a.split("=", 1), table) if "=" in a
                     else encode(a, "", table) for a in sys.argv[3:])
        err, replies = g.request(g.fam, CMDS[sys.argv[2]], p)
        if err:
            print(f"ERR {err} {replies}")
        elif sys.argv[1] == "request":
            print("OK")
        else:
            for r in replies:
                for t, v in attrs(r[4:]):
                    print("%s=%s" % decode(table, t, v))


if __name__ == "__main__":
    main()
