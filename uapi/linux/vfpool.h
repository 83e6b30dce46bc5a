/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vfpool.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_VFPOOL_H
#define _UAPI_LINUX_VFPOOL_H

/*
 * Documentation/netlink/specs/vfpool.yaml, rendered:
 *
 * Kernel-held ownership of SR-IOV virtual functions.
 *
 * An administrator enrolls a PF (a netdev whose driver implements the
 * ndo_set_vf_* operations) into vfpool, optionally only a range of its VFs and
 * optionally under a pool name shared with other PFs. A client then reserves a
 * VF (any free one of a PF or pool, or a given one by index or PCI address)
 * and has its MAC, VLAN and other VF settings applied through the PF driver.
 *
 * The reservation is owned by the generic netlink socket that made it and
 * lives exactly as long as that socket: when it closes for any reason the VF
 * is reset (MAC 00:00:00:00:00:00, VLAN 0, qos 0, plus any other field vfpool
 * changed put back) or, with the restore policy, every field recorded at
 * reserve time is put back; then the VF is free again.
 *
 * PFs are looked up by ifindex or name in the caller's network namespace only.
 * Every command that changes state requires CAP_NET_ADMIN in the user
 * namespace owning that network namespace; reads are open to any user of the
 * namespace. Errors come back as a negative errno in the netlink error message
 * with an extended ack message naming the offending attribute.
 *
 * Dumps of VFs emit one message per VF, so PFs with thousands of VFs list
 * completely. Events are multicast on the "events" group of the network
 * namespace of the PF. The events of a mass reset (a holder gone, release by
 * owner or all, a PF leaving) come several to a datagram, in order, no
 * datagram larger than a dump's part: read every message of each.
 *
 * Commands (VFPOOL_CMD_*), with the attributes they take and return;
 * the attribute sets follow below.
 *
 * VFPOOL_CMD_POOL_GET (attribute set pool)
 *     Get one enrolled PF (by ifindex or ifname) or dump all enrolled PFs of
 *     the caller's network namespace, with VF counts per state.
 *     do request: ifindex, ifname
 *     do reply: ifindex, ifname, pool, pci, vf-first, vf-last, total,
 *         free, reserved, quarantined, gone, assigned, park, park-vlan,
 *         park-mac
 *     dump reply: ifindex, ifname, pool, pci, vf-first, vf-last, total,
 *         free, reserved, quarantined, gone, assigned, park, park-vlan,
 *         park-mac
 *
 * VFPOOL_CMD_POOL_ADD (attribute set pool)
 *     Enroll a PF (ifindex or ifname), all of its VFs or the range
 *     vf-first..vf-last, optionally under a pool name. Every enrolled VF is
 *     reset at once so that a free VF never carries a stale MAC or VLAN. The
 *     PF is the SR-IOV device behind the netdev: enrolling a second netdev of
 *     an enrolled device fails with EBUSY, the extack naming the enrolled one.
 *     Requires CAP_NET_ADMIN. Fails with EEXIST if the PF is enrolled already,
 *     EOPNOTSUPP if its driver lacks ndo_set_vf_mac or ndo_get_vf_config,
 *     ERANGE if the range exceeds the PF's VFs. The reply is the enrolled PF,
 *     as pool-get.
 *     do request: ifindex, ifname, pool, vf-first, vf-last, park,
 *         park-vlan, park-mac
 *     do reply: ifindex, ifname, pool, pci, vf-first, vf-last, total,
 *         free, reserved, quarantined, gone, assigned, park, park-vlan,
 *         park-mac
 *
 * VFPOOL_CMD_POOL_DEL (attribute set pool)
 *     Un-enroll a PF. Refused with EBUSY while any of its VFs is held, unless
 *     force is given, in which case held VFs are reset and their holders
 *     notified. Requires CAP_NET_ADMIN.
 *     do request: ifindex, ifname, force
 *
 * VFPOOL_CMD_VF_GET (attribute set vf)
 *     Get one enrolled VF (PF ifindex or ifname, plus vf or pci), or dump
 *     enrolled VFs, one message per VF, optionally filtered by PF, pool or
 *     owner. The configuration reported is the live one, read from the PF
 *     driver with ndo_get_vf_config.
 *     do request: ifindex, ifname, vf, pci
 *     do reply: ifindex, ifname, vf, pci, pool, state, owner, pid, mac,
 *         vlan, qos, vlan-proto, spoofchk, trust, link-state, min-tx-rate,
 *         max-tx-rate, on-release, error, holder, linger, flags
 *     dump request: ifindex, ifname, pool, owner
 *     dump reply: ifindex, ifname, vf, pci, pool, state, owner, pid, mac,
 *         vlan, qos, vlan-proto, spoofchk, trust, link-state, min-tx-rate,
 *         max-tx-rate, on-release, error, holder, linger, flags
 *
 * VFPOOL_CMD_VF_RESERVE (attribute set vf)
 *     Reserve a free VF for the calling socket: any free VF of a PF (ifindex
 *     or ifname) or of a pool, or the given one (vf or pci). The VF's original
 *     configuration is recorded, then the requested fields are applied under
 *     RTNL; if the driver refuses any of them the VF is rolled back, stays
 *     free, and the driver's errno is returned. A MAC already carried by
 *     another VF of the same device, or the PF's parking MAC (shared by parked
 *     VFs), is refused with EADDRINUSE. The reservation ends when the socket
 *     closes. Requires CAP_NET_ADMIN. The reply is the reserved VF, as vf-get.
 *     do request: ifindex, ifname, pool, vf, pci, owner, mac, vlan, qos,
 *         vlan-proto, spoofchk, trust, link-state, min-tx-rate,
 *         max-tx-rate, on-release, pidfd, linger, adopt
 *     do reply: ifindex, ifname, vf, pci, pool, state, owner, pid, mac,
 *         vlan, qos, vlan-proto, spoofchk, trust, link-state, min-tx-rate,
 *         max-tx-rate, on-release, error, holder, linger, flags
 *
 * VFPOOL_CMD_VF_SET (attribute set vf)
 *     Change the configuration of a reserved VF (PF plus vf or pci). Allowed
 *     to the holding socket, or to a CAP_NET_ADMIN client naming the VF's
 *     owner label or giving force (EPERM otherwise). The owner label itself is
 *     not changed. Fields not given are left as they are; a driver refusal
 *     rolls back the fields already written. Fails with ENOENT for a VF that
 *     is not reserved. Requires CAP_NET_ADMIN. The reply is the VF, as vf-get.
 *     do request: ifindex, ifname, vf, pci, owner, force, mac, vlan, qos,
 *         vlan-proto, spoofchk, trust, link-state, min-tx-rate,
 *         max-tx-rate, on-release
 *     do reply: ifindex, ifname, vf, pci, pool, state, owner, pid, mac,
 *         vlan, qos, vlan-proto, spoofchk, trust, link-state, min-tx-rate,
 *         max-tx-rate, on-release, error, holder, linger, flags
 *
 * VFPOOL_CMD_VF_RELEASE (attribute set vf)
 *     End a reservation: one VF (PF plus vf or pci) or, given only an owner
 *     label, every VF with that label in the caller's network namespace. The
 *     holding socket may always release its own VFs; another client needs the
 *     owner label or force. A quarantined VF is released only with force,
 *     which retries its reset. The reset (or restore) is written before the
 *     reply; if the driver reports the VF busy (EAGAIN, EBUSY) it is retried
 *     in the background and vf-released-ntf or vf-quarantined-ntf tells the
 *     outcome. The release of one VF replies with the VF as the release left
 *     it: state free once its reset landed, resetting while it is retried; a
 *     release by owner label or all replies with the ack only. Fails with
 *     ENOENT for a VF that is not reserved. Requires CAP_NET_ADMIN.
 *     do request: ifindex, ifname, vf, pci, owner, force, all
 *     do reply: ifindex, ifname, vf, pci, pool, state, owner, pid, mac,
 *         vlan, qos, vlan-proto, spoofchk, trust, link-state, min-tx-rate,
 *         max-tx-rate, on-release, error, holder, linger, flags
 *
 * VFPOOL_CMD_VF_RESERVED_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_VF_GET
 *     A VF was reserved.
 *
 * VFPOOL_CMD_VF_CHANGED_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_VF_GET
 *     The configuration of a reserved VF was changed with vf-set.
 *
 * VFPOOL_CMD_VF_RELEASED_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_VF_GET
 *     A reservation ended (see reason) and the VF was reset; it is free again.
 *     Carries the owner label and pid of the former holder.
 *
 * VFPOOL_CMD_VF_QUARANTINED_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_VF_GET
 *     A reset failed even after retries; the VF is quarantined. error carries
 *     the driver's errno.
 *
 * VFPOOL_CMD_VF_GONE_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_VF_GET
 *     The PF's VF count no longer covers this VF.
 *
 * VFPOOL_CMD_POOL_ADD_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_POOL_GET
 *     A PF was enrolled.
 *
 * VFPOOL_CMD_POOL_DEL_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_POOL_GET
 *     A PF was un-enrolled or unregistered (pf-removed).
 *
 * VFPOOL_CMD_VF_RESET_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_VF_GET
 *     A VF still held (lingering after its holder went away) was reset; or an
 *     assigned VF's outside use ended and it was reset.
 *
 * VFPOOL_CMD_VF_BOUND_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_VF_GET
 *     A reservation was bound to a process (holder process).
 *
 * VFPOOL_CMD_POOL_CHANGED_NTF: event on the "events" group
 *     attributes as the reply of VFPOOL_CMD_POOL_GET
 *     An enrolled PF's settings were changed with pool-set.
 *
 * VFPOOL_CMD_POOL_SET (attribute set pool)
 *     Change the settings of an enrolled PF (pool name, park policy, parking
 *     MAC) without touching its VFs' reservations; only the attributes given
 *     are changed. A parking MAC that a VF of the device carries, other than
 *     parked on it, is refused with EADDRINUSE. Requires CAP_NET_ADMIN. The
 *     reply is the PF, as pool-get.
 *     do request: ifindex, ifname, pool, park, park-vlan, park-mac
 *     do reply: ifindex, ifname, pool, pci, vf-first, vf-last, total,
 *         free, reserved, quarantined, gone, assigned, park, park-vlan,
 *         park-mac
 *
 * VFPOOL_CMD_VF_BIND (attribute set vf)
 *     Bind a reservation (PF plus vf or pci, or every VF with an owner label)
 *     to a process given as a pidfd: from then on it lives until that process
 *     exits, whatever happens to the socket that made it. Allowed to the
 *     holder, or to a CAP_NET_ADMIN client naming the owner label or giving
 *     force. linger may be set at the same time.
 *     do request: ifindex, ifname, vf, pci, owner, force, pidfd, linger
 *     do reply: ifindex, ifname, vf, pci, pool, state, owner, pid, mac,
 *         vlan, qos, vlan-proto, spoofchk, trust, link-state, min-tx-rate,
 *         max-tx-rate, on-release, error, holder, linger, flags
 *
 * Attribute set pool (VFPOOL_A_POOL_*): Attributes of an enrolled PF.
 *     VFPOOL_A_POOL_IFINDEX: NLA_U32 (min 1)
 *         Interface index of the PF in the caller's network namespace.
 *     VFPOOL_A_POOL_IFNAME: NLA_NUL_STRING (max-len 15)
 *         Interface name of the PF; an alternative to ifindex in requests.
 *     VFPOOL_A_POOL_POOL: NLA_NUL_STRING (max-len 31)
 *         Pool name the PF's VFs belong to. Several PFs may carry the same
 *         name; reserving from a pool takes a free VF of any of them. Empty
 *         when the PF was enrolled without a name.
 *     VFPOOL_A_POOL_PCI: NLA_NUL_STRING
 *         PCI address of the PF, when it is a PCI device.
 *     VFPOOL_A_POOL_VF_FIRST: NLA_U32
 *         First enrolled VF index (inclusive).
 *     VFPOOL_A_POOL_VF_LAST: NLA_U32
 *         Last enrolled VF index (inclusive).
 *     VFPOOL_A_POOL_TOTAL: NLA_U32
 *         Number of enrolled VFs.
 *     VFPOOL_A_POOL_FREE: NLA_U32
 *         Number of enrolled VFs in state free.
 *     VFPOOL_A_POOL_RESERVED: NLA_U32
 *         Number of enrolled VFs in state reserved or resetting.
 *     VFPOOL_A_POOL_QUARANTINED: NLA_U32
 *         Number of enrolled VFs in state quarantined.
 *     VFPOOL_A_POOL_GONE: NLA_U32
 *         Number of enrolled VFs in state gone.
 *     VFPOOL_A_POOL_FORCE: NLA_FLAG
 *         On pool-del, release held VFs instead of refusing.
 *     VFPOOL_A_POOL_PARK: NLA_U32 (enum vfpool_park)
 *         Park policy applied on every reset of this PF's VFs.
 *     VFPOOL_A_POOL_PARK_VLAN: NLA_U16 (max 4095)
 *         Blackhole VLAN id for park vlan (1..4095).
 *     VFPOOL_A_POOL_PARK_MAC: NLA_BINARY (exact-len 6)
 *         MAC written instead of 00:00:00:00:00:00 to drivers that refuse the
 *         all-zero MAC (default 02:00:00:00:00:00); a unicast address, exempt
 *         from the duplicate-MAC check.
 *     VFPOOL_A_POOL_ASSIGNED: NLA_U32
 *         Number of enrolled VFs in state assigned.
 *
 * Attribute set vf (VFPOOL_A_VF_*): Attributes of one VF.
 *     VFPOOL_A_VF_IFINDEX: NLA_U32 (min 1)
 *         Interface index of the PF in the caller's network namespace.
 *     VFPOOL_A_VF_IFNAME: NLA_NUL_STRING (max-len 15)
 *         Interface name of the PF; an alternative to ifindex in requests.
 *     VFPOOL_A_VF_VF: NLA_U32
 *         VF index on its PF.
 *     VFPOOL_A_VF_PCI: NLA_NUL_STRING (max-len 15)
 *         PCI address of the VF ("dddd:bb:ss.f"), present when the PF is a PCI
 *         device; in requests, selects the VF by its address.
 *     VFPOOL_A_VF_POOL: NLA_NUL_STRING (max-len 31)
 *         Pool the VF belongs to. In vf-reserve, reserve any free VF of this
 *         pool (instead of a PF); in dumps, filter on it.
 *     VFPOOL_A_VF_STATE: NLA_U32 (enum vfpool_vf_state)
 *         Life-cycle state of the VF.
 *     VFPOOL_A_VF_OWNER: NLA_NUL_STRING (max-len 63)
 *         Free-text owner label of the reservation (a libvirt domain name or
 *         UUID, a pod name), 1..63 printable bytes (empty labels and control
 *         bytes are refused). Identifies the holder to other tools: a
 *         CAP_NET_ADMIN client naming it may set or release the VF. In dumps,
 *         filter on it.
 *     VFPOOL_A_VF_PID: NLA_U32
 *         Thread group id of the process that made the reservation, in the
 *         reader's pid namespace; absent where it is not visible, and in
 *         events.
 *     VFPOOL_A_VF_MAC: NLA_BINARY (exact-len 6)
 *         VF MAC address (6 bytes).
 *     VFPOOL_A_VF_VLAN: NLA_U16 (max 4095)
 *         VLAN id, 0 for none.
 *     VFPOOL_A_VF_QOS: NLA_U8 (max 7)
 *         802.1p priority of the VLAN tag.
 *     VFPOOL_A_VF_VLAN_PROTO: NLA_U16
 *         VLAN protocol in host byte order: 0x8100 (802.1Q, the default) or
 *         0x88a8 (802.1ad).
 *     VFPOOL_A_VF_SPOOFCHK: NLA_U8 (max 1)
 *         MAC/VLAN spoof checking, 0 or 1.
 *     VFPOOL_A_VF_TRUST: NLA_U8 (max 1)
 *         Trusted VF (may change its own MAC, enter promiscuous mode), 0 or 1.
 *     VFPOOL_A_VF_LINK_STATE: NLA_U32 (enum vfpool_link_state)
 *         Administrative link state of the VF.
 *     VFPOOL_A_VF_MIN_TX_RATE: NLA_U32
 *         Minimum TX rate in Mbit/s, 0 for no guarantee.
 *     VFPOOL_A_VF_MAX_TX_RATE: NLA_U32
 *         Maximum TX rate in Mbit/s, 0 for no limit.
 *     VFPOOL_A_VF_ON_RELEASE: NLA_U32 (enum vfpool_on_release)
 *         What to write back when the reservation ends (default reset).
 *     VFPOOL_A_VF_FORCE: NLA_FLAG
 *         On vf-set and vf-release by a CAP_NET_ADMIN client that is not the
 *         holder: act without naming the owner label. On a quarantined VF,
 *         release retries the reset.
 *     VFPOOL_A_VF_REASON: NLA_U32 (enum vfpool_reason)
 *         In events, why the reservation ended or the VF changed state.
 *     VFPOOL_A_VF_ERROR: NLA_S32
 *         For a quarantined VF, the negative errno of the last failed reset
 *         attempt; for a VF flagged reset-incomplete, the errno of the refused
 *         secondary field.
 *     VFPOOL_A_VF_HOLDER: NLA_U32 (enum vfpool_holder_type)
 *         What the reservation's lifetime is tied to.
 *     VFPOOL_A_VF_PIDFD: NLA_S32
 *         A pidfd (pidfd_open(2)) of the process to bind the reservation to;
 *         the reservation then lives until that process exits.
 *     VFPOOL_A_VF_LINGER: NLA_U32
 *         Seconds a VF stays held for its owner after its holder went away (it
 *         is reset at once). 0, the default, frees it as soon as the reset has
 *         landed. At most 86400.
 *     VFPOOL_A_VF_ADOPT: NLA_FLAG
 *         On vf-reserve of an assigned VF: take it over with its live
 *         configuration unchanged.
 *     VFPOOL_A_VF_FLAGS: NLA_U32 (enum vfpool_vf_flags)
 *         Conditions of the VF (vf-flags).
 *     VFPOOL_A_VF_ALL: NLA_FLAG
 *         On vf-release, every reservation in the caller's namespace.
 */

#define VFPOOL_FAMILY_NAME	"vfpool"
#define VFPOOL_FAMILY_VERSION	1

#define VFPOOL_OWNER_LEN	64
#define VFPOOL_POOL_NAME_LEN	32
#define VFPOOL_PCI_ADDR_LEN	16

/**
 * enum vfpool_vf_state - Life-cycle state of an enrolled VF.
 * @VFPOOL_VF_STATE_FREE: Enrolled and not held; may be reserved.
 * @VFPOOL_VF_STATE_RESERVED: Held by a socket.
 * @VFPOOL_VF_STATE_RESETTING: Its holder went away; vfpool is writing the
 *   reset back.
 * @VFPOOL_VF_STATE_QUARANTINED: The reset failed even after retries; the VF is
 *   never handed out again until released with force, which retries the reset.
 * @VFPOOL_VF_STATE_GONE: The PF no longer has this VF (sriov_numvfs was
 *   lowered).
 * @VFPOOL_VF_STATE_ASSIGNED: In use outside vfpool when it was enrolled (its
 *   vfio-pci device open, e.g. by a running QEMU): never handed out and never
 *   written until that use ends (then it is reset and becomes free) or it is
 *   adopted with vf-reserve adopt.
 */
enum vfpool_vf_state {
	VFPOOL_VF_STATE_FREE,
	VFPOOL_VF_STATE_RESERVED,
	VFPOOL_VF_STATE_RESETTING,
	VFPOOL_VF_STATE_QUARANTINED,
	VFPOOL_VF_STATE_GONE,
	VFPOOL_VF_STATE_ASSIGNED,
};

/**
 * enum vfpool_on_release - What vfpool writes back to a VF when its
 *   reservation ends.
 * @VFPOOL_ON_RELEASE_RESET: MAC 00:00:00:00:00:00, VLAN 0, qos 0 and, for
 *   every other field vfpool changed, the value recorded at reserve time.
 * @VFPOOL_ON_RELEASE_RESTORE: Every field recorded at reserve time.
 */
enum vfpool_on_release {
	VFPOOL_ON_RELEASE_RESET,
	VFPOOL_ON_RELEASE_RESTORE,
};

/**
 * enum vfpool_link_state - VF link state, as IFLA_VF_LINK_STATE_*.
 * @VFPOOL_LINK_STATE_AUTO: Follow the PF's link.
 * @VFPOOL_LINK_STATE_ENABLE: Always up.
 * @VFPOOL_LINK_STATE_DISABLE: Always down.
 */
enum vfpool_link_state {
	VFPOOL_LINK_STATE_AUTO,
	VFPOOL_LINK_STATE_ENABLE,
	VFPOOL_LINK_STATE_DISABLE,
};

/**
 * enum vfpool_reason - Why a reservation ended or a VF changed state, in
 *   events.
 * @VFPOOL_REASON_HOLDER_CLOSED: The holding socket was closed (exit, crash,
 *   kill).
 * @VFPOOL_REASON_RELEASED: The holder released it.
 * @VFPOOL_REASON_OWNER: Another CAP_NET_ADMIN client released it naming its
 *   owner label.
 * @VFPOOL_REASON_FORCE: Another CAP_NET_ADMIN client released it with force.
 * @VFPOOL_REASON_PF_REMOVED: The PF was unregistered or un-enrolled.
 * @VFPOOL_REASON_VF_GONE: The PF's VF count dropped below this VF.
 * @VFPOOL_REASON_UNLOAD: The vfpool module is being unloaded.
 * @VFPOOL_REASON_PROCESS_EXITED: The process the reservation was bound to
 *   exited.
 * @VFPOOL_REASON_LINGER_EXPIRED: The holder went away and the linger time
 *   passed without the owner releasing the VF.
 * @VFPOOL_REASON_UNASSIGNED: The outside use of an assigned VF ended; it was
 *   reset and is free.
 */
enum vfpool_reason {
	VFPOOL_REASON_HOLDER_CLOSED,
	VFPOOL_REASON_RELEASED,
	VFPOOL_REASON_OWNER,
	VFPOOL_REASON_FORCE,
	VFPOOL_REASON_PF_REMOVED,
	VFPOOL_REASON_VF_GONE,
	VFPOOL_REASON_UNLOAD,
	VFPOOL_REASON_PROCESS_EXITED,
	VFPOOL_REASON_LINGER_EXPIRED,
	VFPOOL_REASON_UNASSIGNED,
};

/**
 * enum vfpool_park - What a reset does on top of MAC and VLAN so that a VF
 *   reset while a guest may still use it never lands on the PF's untagged
 *   network.
 * @VFPOOL_PARK_LINK_DOWN: Link state disable (where the driver implements
 *   ndo_set_vf_link_state; otherwise as none). The default.
 * @VFPOOL_PARK_NONE: Nothing beyond MAC and VLAN.
 * @VFPOOL_PARK_VLAN: Put the VF on the pool's blackhole VLAN (park-vlan).
 */
enum vfpool_park {
	VFPOOL_PARK_LINK_DOWN,
	VFPOOL_PARK_NONE,
	VFPOOL_PARK_VLAN,
};

/**
 * enum vfpool_holder_type - What a reservation's lifetime is tied to.
 * @VFPOOL_HOLDER_TYPE_SOCKET: The generic netlink socket that reserved it.
 * @VFPOOL_HOLDER_TYPE_PROCESS: A process, bound with a pidfd; lives until that
 *   process exits.
 */
enum vfpool_holder_type {
	VFPOOL_HOLDER_TYPE_SOCKET,
	VFPOOL_HOLDER_TYPE_PROCESS,
};

/**
 * enum vfpool_vf_flags - Conditions of a VF reported in vf-get and events.
 * @VFPOOL_VF_FLAGS_RESET_INCOMPLETE: The last reset could not write a
 *   secondary field (trust, spoofchk, rate, link state); MAC and VLAN are
 *   reset and the VF is usable. error carries the driver's errno.
 * @VFPOOL_VF_FLAGS_PARKED_MAC: The driver refused the all-zero MAC, so the
 *   pool's parking MAC was written instead.
 * @VFPOOL_VF_FLAGS_LINGERING: The holder went away; the VF is reset but stays
 *   held for its owner until released or the linger time passes.
 */
enum vfpool_vf_flags {
	VFPOOL_VF_FLAGS_RESET_INCOMPLETE = 1,
	VFPOOL_VF_FLAGS_PARKED_MAC = 2,
	VFPOOL_VF_FLAGS_LINGERING = 4,
};

enum {
	VFPOOL_A_POOL_IFINDEX = 1,
	VFPOOL_A_POOL_IFNAME,
	VFPOOL_A_POOL_POOL,
	VFPOOL_A_POOL_PCI,
	VFPOOL_A_POOL_VF_FIRST,
	VFPOOL_A_POOL_VF_LAST,
	VFPOOL_A_POOL_TOTAL,
	VFPOOL_A_POOL_FREE,
	VFPOOL_A_POOL_RESERVED,
	VFPOOL_A_POOL_QUARANTINED,
	VFPOOL_A_POOL_GONE,
	VFPOOL_A_POOL_FORCE,
	VFPOOL_A_POOL_PARK,
	VFPOOL_A_POOL_PARK_VLAN,
	VFPOOL_A_POOL_PARK_MAC,
	VFPOOL_A_POOL_ASSIGNED,

	__VFPOOL_A_POOL_MAX,
	VFPOOL_A_POOL_MAX = (__VFPOOL_A_POOL_MAX - 1)
};

enum {
	VFPOOL_A_VF_IFINDEX = 1,
	VFPOOL_A_VF_IFNAME,
	VFPOOL_A_VF_VF,
	VFPOOL_A_VF_PCI,
	VFPOOL_A_VF_POOL,
	VFPOOL_A_VF_STATE,
	VFPOOL_A_VF_OWNER,
	VFPOOL_A_VF_PID,
	VFPOOL_A_VF_MAC,
	VFPOOL_A_VF_VLAN,
	VFPOOL_A_VF_QOS,
	VFPOOL_A_VF_VLAN_PROTO,
	VFPOOL_A_VF_SPOOFCHK,
	VFPOOL_A_VF_TRUST,
	VFPOOL_A_VF_LINK_STATE,
	VFPOOL_A_VF_MIN_TX_RATE,
	VFPOOL_A_VF_MAX_TX_RATE,
	VFPOOL_A_VF_ON_RELEASE,
	VFPOOL_A_VF_FORCE,
	VFPOOL_A_VF_REASON,
	VFPOOL_A_VF_ERROR,
	VFPOOL_A_VF_HOLDER,
	VFPOOL_A_VF_PIDFD,
	VFPOOL_A_VF_LINGER,
	VFPOOL_A_VF_ADOPT,
	VFPOOL_A_VF_FLAGS,
	VFPOOL_A_VF_ALL,

	__VFPOOL_A_VF_MAX,
	VFPOOL_A_VF_MAX = (__VFPOOL_A_VF_MAX - 1)
};

enum {
	VFPOOL_CMD_POOL_GET = 1,
	VFPOOL_CMD_POOL_ADD,
	VFPOOL_CMD_POOL_DEL,
	VFPOOL_CMD_VF_GET,
	VFPOOL_CMD_VF_RESERVE,
	VFPOOL_CMD_VF_SET,
	VFPOOL_CMD_VF_RELEASE,
	VFPOOL_CMD_VF_RESERVED_NTF,
	VFPOOL_CMD_VF_CHANGED_NTF,
	VFPOOL_CMD_VF_RELEASED_NTF,
	VFPOOL_CMD_VF_QUARANTINED_NTF,
	VFPOOL_CMD_VF_GONE_NTF,
	VFPOOL_CMD_POOL_ADD_NTF,
	VFPOOL_CMD_POOL_DEL_NTF,
	VFPOOL_CMD_VF_RESET_NTF,
	VFPOOL_CMD_VF_BOUND_NTF,
	VFPOOL_CMD_POOL_CHANGED_NTF,
	VFPOOL_CMD_POOL_SET,
	VFPOOL_CMD_VF_BIND,

	__VFPOOL_CMD_MAX,
	VFPOOL_CMD_MAX = (__VFPOOL_CMD_MAX - 1)
};

#define VFPOOL_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_VFPOOL_H */
