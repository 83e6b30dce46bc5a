/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vfpool.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_VFPOOL_H
#define _UAPI_LINUX_VFPOOL_H

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
 */
enum vfpool_vf_state {
	VFPOOL_VF_STATE_FREE,
	VFPOOL_VF_STATE_RESERVED,
	VFPOOL_VF_STATE_RESETTING,
	VFPOOL_VF_STATE_QUARANTINED,
	VFPOOL_VF_STATE_GONE,
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
 */
enum vfpool_reason {
	VFPOOL_REASON_HOLDER_CLOSED,
	VFPOOL_REASON_RELEASED,
	VFPOOL_REASON_OWNER,
	VFPOOL_REASON_FORCE,
	VFPOOL_REASON_PF_REMOVED,
	VFPOOL_REASON_VF_GONE,
	VFPOOL_REASON_UNLOAD,
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

	__VFPOOL_CMD_MAX,
	VFPOOL_CMD_MAX = (__VFPOOL_CMD_MAX - 1)
};

#define VFPOOL_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_VFPOOL_H */
