#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A generic netlink client of the vfpool family, independent of vfpoolctl
# and libnl, built on the kernel's own YNL python library
# (tools/net/ynl/lib of linux-source-6.12) driven by our YAML spec, so no
# command or attribute number is written down twice: everything comes
# from Documentation/netlink/specs/vfpool.yaml.  It says what the tool
# cannot: many reservations on one socket, and hand-made (malformed)
# requests whose errno and extack we check.
#
#   vfpool_nl.py hold PF COUNT     reserve COUNT VFs of PF on one socket with
#                                  MAC 52:54:01:00:hi:lo and VLAN n+1, print
#                                  "held" and sleep until killed
#   vfpool_nl.py request CMD ATTR=VALUE...
#                                  send one request; print "OK" or
#                                  "ERR <errno> <extack message>"
#       ATTR is an attribute name of CMD's attribute set (ifname, vf, mac,
#       vlan, qos, vlan-proto, owner, ...); VALUE is a number (0x.. too),
#       an enum entry name, a string, or xx:xx:.. for mac.
#   vfpool_nl.py show CMD ATTR=VALUE...
#                                  as request, then print each attribute of
#                                  the replies as "name=value", one a line
#                                  (integers and enums as numbers, MACs as
#                                  xx:xx:.., flags with an empty value)
#   vfpool_nl.py events            join the events group, print "listening",
#                                  then each event's command number, one a
#                                  line, until killed
#
# Imported as a module (by vfpool_badinput.py, vfpool_fuzz.py), Vfpool
# also sends raw messages: any command number with any attribute bytes,
# numbered from the spec, for what YNL refuses to encode.
#
# The YNL library is found in $VFPOOL_YNL, else in the harness cache
# ($VFPOOL_CACHE/src/linux-source-6.12/tools/net/ynl, unpacked there by
# scripts/ynl-regen.sh; the guest sees the host's cache read-only).

import os
import socket
import struct
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(REPO, "Documentation/netlink/specs/vfpool.yaml")


def _ynl_dir():
    if os.environ.get("VFPOOL_YNL"):
        return os.environ["VFPOOL_YNL"]
    cache = os.environ.get("VFPOOL_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "vfpool")
    return os.path.join(cache, "src/linux-source-6.12/tools/net/ynl")


YNL = _ynl_dir()
SCHEMA = os.path.normpath(os.path.join(YNL, "../../../Documentation/netlink/genetlink.yaml"))
if not os.path.isfile(os.path.join(YNL, "lib/ynl.py")):
    sys.exit(f"vfpool_nl: no YNL library at {YNL} (run scripts/ynl-regen.sh on the host)")
sys.path.insert(0, YNL)

from lib import YnlFamily, NlError, Netlink  # noqa: E402
from lib.nlspec import SpecFamily  # noqa: E402

__all__ = ["Vfpool", "NlError", "Netlink", "SpecFamily", "SPEC", "SCHEMA",
           "tlv", "parse_value"]


def tlv(typ, payload):
    """One netlink attribute: header, payload, padding."""
    a = struct.pack("HH", 4 + len(payload), typ) + payload
    return a + b"\0" * (-len(a) % 4)


def _tlvs(buf):
    off = 0
    while off + 4 <= len(buf):
        ln, typ = struct.unpack_from("HH", buf, off)
        if ln < 4:
            break
        yield off, typ & ~Netlink.NLA_TYPE_MASK, buf[off + 4:off + ln]
        off += (ln + 3) & ~3


def parse_value(spec_attr, value):
    """A command-line VALUE as YNL wants it for this attribute."""
    t = spec_attr["type"]
    if t == "flag":
        return True
    if t == "binary" and ":" in value:
        return bytes(int(x, 16) for x in value.split(":"))
    if t in ("u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"):
        try:
            return int(value, 0)
        except ValueError:
            return value        # an enum entry name
    return value


class Vfpool(YnlFamily):
    """The vfpool family on one socket (more with new_sock())."""

    def __init__(self, validate=False):
        # Validating the spec against the genetlink schema costs seconds
        # under TCG; vfpool_ynl.sh checks it once.
        super().__init__(SPEC, SCHEMA if validate else "")
        self.seq = 1

    def attr(self, space, name, value):
        """A well-formed attribute, encoded by YNL from the spec."""
        return self._add_attr(space, name, value, None)

    def attr_type(self, space, name):
        return self.attr_sets[space][name].value

    def new_sock(self):
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, Netlink.NETLINK_GENERIC)
        s.setsockopt(Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, 1)
        s.setsockopt(Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, 1)
        return s

    def cmd_value(self, op):
        return self.ops[op].req_value

    def raw(self, cmd, payload, flags=0, sock=None, version=1, wait=True):
        """Send command @cmd (an op name or a number) with attribute bytes
        @payload.  Returns (errno, extack, replies): extack has 'msg' and
        'attr' (the attribute named by the kernel's offset or missing-type,
        by its spec name) when the kernel gave them; replies are the raw
        genl payloads received before the ack."""
        if isinstance(cmd, str):
            space = self.ops[cmd].attr_set.name
            cmd = self.cmd_value(cmd)
        else:
            space = None
        sock = sock or self.sock
        self.seq += 1
        seq = self.seq
        body = struct.pack("BBH", cmd, version, 0) + payload
        hdr = struct.pack("IHHII", 16 + len(body), self.nlproto.family_id,
                          Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | flags, seq, 0)
        sock.send(hdr + body)
        if not wait:
            return None
        replies = []
        while True:
            data = sock.recv(1 << 17)
            off = 0
            while off + 16 <= len(data):
                ln, typ, fl, rseq, _ = struct.unpack_from("IHHII", data, off)
                msg = data[off + 16:off + ln]
                off += (ln + 3) & ~3
                if rseq != seq:
                    continue        # a notification or a stale reply
                if typ in (Netlink.NLMSG_ERROR, Netlink.NLMSG_DONE):
                    err = -struct.unpack_from("i", msg)[0]
                    ext = {}
                    tl = msg[20:] if typ == Netlink.NLMSG_ERROR else msg[4:]
                    if fl & Netlink.NLM_F_ACK_TLVS:
                        for _, t, v in _tlvs(tl):
                            if t == Netlink.NLMSGERR_ATTR_MSG:
                                ext["msg"] = v.rstrip(b"\0").decode(errors="replace")
                            elif t == Netlink.NLMSGERR_ATTR_OFFS:
                                ext["offs"] = struct.unpack("I", v[:4])[0]
                            elif t == Netlink.NLMSGERR_ATTR_MISS_TYPE:
                                ext["miss"] = struct.unpack("I", v[:4])[0]
                    self._name_attr(ext, payload, space)
                    if typ == Netlink.NLMSG_DONE and not err:
                        return 0, ext, replies
                    if typ == Netlink.NLMSG_ERROR:
                        return err, ext, replies
                    return err, ext, replies
                replies.append(msg)

    def _name_attr(self, ext, payload, space):
        if not space:
            return
        names = self.attr_sets[space].attrs_by_val
        if "offs" in ext:
            # offset from the start of the request's nlmsghdr
            want = ext["offs"] - 20
            for off, t, _ in _tlvs(payload):
                if off == want:
                    ext["attr"] = names[t].name if t in names else f"#{t}"
        elif "miss" in ext:
            t = ext["miss"]
            ext["attr"] = names[t].name if t in names else f"#{t}"

    def decode(self, space, raw_genl):
        """Decode one reply's genl payload (after the 4-byte genl header)."""
        from lib.ynl import NlAttrs
        return self._decode(NlAttrs(raw_genl[4:]), space)

    def request(self, op, vals, flags=0, sock=None):
        """A well-formed request from {name: value}: (errno, extack, replies
        decoded)."""
        space = self.ops[op].attr_set.name
        payload = b"".join(self.attr(space, k, v) for k, v in vals.items())
        err, ext, replies = self.raw(op, payload, flags, sock)
        return err, ext, [self.decode(space, r) for r in replies]

    def dump(self, op, vals=None, sock=None):
        err, ext, msgs = self.request(op, vals or {}, Netlink.NLM_F_DUMP, sock)
        if err:
            raise OSError(err, ext.get("msg", os.strerror(err)))
        return msgs


def main():
    g = Vfpool()
    if sys.argv[1] == "hold":
        pf, count = sys.argv[2], int(sys.argv[3])
        for n in range(count):
            mac = bytes([0x52, 0x54, 0x01, 0x00, n >> 8, n & 0xff])
            err, ext, _ = g.request("vf-reserve", {"ifname": pf, "mac": mac, "vlan": n + 1})
            if err:
                sys.exit(f"reserve {n}: {os.strerror(err)}: {ext.get('msg', '')}")
        print("held", flush=True)
        while True:
            time.sleep(3600)
    elif sys.argv[1] == "events":
        g.ntf_subscribe("events")
        s = g.sock
        print("listening", flush=True)
        while True:
            data = s.recv(1 << 16)
            while len(data) >= 20:
                ln = struct.unpack_from("I", data)[0]
                print(data[16], flush=True)
                data = data[(ln + 3) & ~3:]
    elif sys.argv[1] in ("request", "show"):
        op = sys.argv[2]
        space = g.ops[op].attr_set.name
        vals = {}
        for a in sys.argv[3:]:
            name, _, value = a.partition("=")
            vals[name] = parse_value(g.attr_sets[space][name], value)
        if sys.argv[1] == "request":
            err, ext, _ = g.request(op, vals)
            print("OK" if not err else f"ERR {err} {ext.get('msg', '')}")
            return
        payload = b"".join(g.attr(space, k, v) for k, v in vals.items())
        err, ext, replies = g.raw(op, payload)
        if err:
            print(f"ERR {err} {ext.get('msg', '')}")
            return
        byval = {a.value: a for a in g.attr_sets[space].attrs.values()}
        ints = {"u8": "B", "u16": "H", "u32": "I", "u64": "Q", "s32": "i"}
        for r in replies:
            for _, t, v in _tlvs(r[4:]):
                a = byval.get(t)
                if a is None:
                    print(f"{t}={v.hex()}")
                elif a.type == "string":
                    print(f"{a.name}={v.rstrip(bytes(1)).decode()}")
                elif a.type == "binary":
                    print(f"{a.name}={':'.join('%02x' % b for b in v)}")
                elif a.type == "flag":
                    print(f"{a.name}=")
                else:
                    print(f"{a.name}={struct.unpack_from(ints[a.type], v)[0]}")


if __name__ == "__main__":
    main()
