/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfpool: kernel-held ownership of SR-IOV virtual functions.
 *
 * Object model (Documentation/vfpool.rst has the long form):
 *
 *   vfpool_pf      an enrolled PF: one per SR-IOV device (the parent device
 *                  of its netdevs), on vfpool_pfs.  A device with several
 *                  netdevs (netdevsim "ID 2", mlx4 dual-port) has one set
 *                  of VFs, so it is enrolled once, through one netdev; any
 *                  of its netdevs in the same netns names that enrollment.
 *     vfs[]        one vfpool_vf per enrolled VF index (first..last)
 *   vfpool_holder  one per generic netlink socket, or per process (bound
 *                  with a pidfd), that holds VFs
 *     vfs          list of the vfpool_vf it holds
 *
 * Locking:
 *
 *   rtnl_lock  >  vfpool_mutex  >  vfpool_holders_lock (spinlock)
 *
 *   vfpool_mutex protects the PF list, every field of vfpool_pf and
 *   vfpool_vf, and holder->vfs.  Everything that calls into the PF driver
 *   also holds RTNL, as rtnetlink does, and takes it first.
 *
 *   vfpool_holders_lock protects the holder hash and holder->orphaned, so
 *   that the NETLINK_URELEASE notifier can mark a dead socket's holder
 *   orphaned at once without waiting for RTNL or vfpool_mutex; the sleeping
 *   reset work runs later from vfpool_wq.
 *
 *   Process holders (process.c) live on vfpool_procs under vfpool_mutex.
 *   Their wait-queue callback takes no lock of ours: it only kicks the work,
 *   which decides under vfpool_mutex whether the process has exited.
 *
 * No reference to a PF's net_device is held: a vfpool_pf lives only while
 * the device is registered, and is freed from the NETDEV_UNREGISTER
 * notifier under RTNL.
 */
#ifndef _VFPOOL_H
#define _VFPOOL_H

#include <linux/hashtable.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pid.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <uapi/linux/vfpool.h>

#include "compat.h"

/* Fields of a VF configuration, as bits of vfpool_cfg.mask. */
enum {
	VFPOOL_CFG_MAC		= BIT(0),
	VFPOOL_CFG_VLAN		= BIT(1),	/* vlan, qos and proto */
	VFPOOL_CFG_SPOOFCHK	= BIT(2),
	VFPOOL_CFG_TRUST	= BIT(3),
	VFPOOL_CFG_LINK_STATE	= BIT(4),
	VFPOOL_CFG_RATE		= BIT(5),	/* min and max tx rate */
};

/* In a request, the rate the caller did not give: keep the current one. */
#define VFPOOL_RATE_KEEP	U32_MAX

/* A VF configuration, or the part of one named by @mask. */
struct vfpool_cfg {
	u32 mask;
	u8 mac[ETH_ALEN];
	u16 vlan;
	u8 qos;
	__be16 proto;
	bool spoofchk;
	bool trust;
	u32 link_state;		/* IFLA_VF_LINK_STATE_* */
	u32 min_rate;
	u32 max_rate;
	/* Only from the driver: spoofchk/trust it does not report. */
	bool has_spoofchk;
	bool has_trust;
};

struct vfpool_holder;

struct vfpool_vf {
	struct vfpool_pf *pf;
	u32 index;
	enum vfpool_vf_state state;

	/* Set while reserved or resetting. */
	struct vfpool_holder *holder;	/* NULL once the holder is gone */
	struct list_head holder_node;	/* on holder->vfs */
	char owner[VFPOOL_OWNER_LEN];
	struct pid *pid;
	enum vfpool_on_release on_release;
	struct vfpool_cfg orig;		/* recorded at reserve time */
	struct vfpool_cfg applied;	/* what vfpool wrote, mask = ever changed */
	enum vfpool_reason reason;	/* why it is being reset */

	/* Reset retries and quarantine. */
	unsigned int attempts;
	unsigned long retry_at;		/* jiffies */
	int error;			/* last failed reset, negative errno */
	struct list_head reset_node;	/* on vfpool_resets while retrying */
	bool zeroing;			/* reset of an unheld VF: no release */
	/*
	 * VFPOOL_VF_FLAGS_*: reset-incomplete and parked-mac describe the
	 * last reset (vf.c), lingering the reservation (holder.c).
	 */
	u32 flags;

	/* Lifetime beyond the holder, see holder.c. */
	u32 linger;			/* seconds held after the holder went */
	unsigned long linger_until;	/* jiffies, while lingering */
	bool pinned;			/* holds a reference on this module */
};

struct vfpool_pf {
	struct list_head node;		/* on vfpool_pfs */
	u64 id;				/* enrollment order, dump cursor */
	struct net_device *dev;		/* no reference, see above */
	/*
	 * The SR-IOV device, dev's parent: the identity of the PF.  No
	 * reference either: it outlives dev, and the PF goes with dev.
	 */
	struct device *device;
	int ifindex;
	char pool[VFPOOL_POOL_NAME_LEN];
	enum vfpool_park park;
	u16 park_vlan;
	u8 park_mac[ETH_ALEN];		/* instead of zero, if refused */
	/*
	 * A VF of this PF was written since the last RTM_NEWLINK: one
	 * netdev_state_change() per batch, not per VF (vfpool_pf_flush()).
	 */
	bool changed;
	u32 first;
	u32 last;
	struct vfpool_vf *vfs;		/* last - first + 1 entries */
};

struct vfpool_holder {
	enum vfpool_holder_type type;
	bool orphaned;			/* socket closed or process exited */
	struct list_head vfs;

	/* VFPOOL_HOLDER_TYPE_SOCKET */
	struct hlist_node hnode;	/* in vfpool_holders, by portid */
	struct list_head orphan_node;	/* on vfpool_orphans once dead */
	struct sock *sk;		/* referenced: identity, not use */
	u32 portid;

	/* VFPOOL_HOLDER_TYPE_PROCESS, see process.c */
	struct list_head proc_node;	/* on vfpool_procs */
	struct pid *proc;		/* referenced: a thread-group pid */
	struct wait_queue_entry wait;	/* on proc->wait_pidfd */
};

extern struct mutex vfpool_mutex;
extern struct list_head vfpool_pfs;

static inline u32 vfpool_pf_nvfs(const struct vfpool_pf *pf)
{
	return pf->last - pf->first + 1;
}

static inline struct net *vfpool_pf_net(const struct vfpool_pf *pf)
{
	return dev_net(pf->dev);
}

/* pool.c: enrolled PFs and their netdev/PCI life cycle */
int vfpool_pool_init(void);
void vfpool_pool_uninit(void);
struct vfpool_pf *vfpool_pf_find(struct net *net, int ifindex);
struct vfpool_pf *vfpool_pf_of_device(const struct device *device);
struct vfpool_pf *vfpool_pf_of_netdev(const struct net_device *dev);
struct vfpool_pf *vfpool_pf_enroll(struct net_device *dev, u32 first,
				   u32 last, const char *pool,
				   enum vfpool_park park, u16 park_vlan,
				   const u8 *park_mac,
				   struct netlink_ext_ack *extack);
void vfpool_pf_unenroll(struct vfpool_pf *pf, enum vfpool_reason reason);
bool vfpool_pf_busy(const struct vfpool_pf *pf);
void vfpool_pf_refresh(struct vfpool_pf *pf);
struct vfpool_vf *vfpool_pf_vf(struct vfpool_pf *pf, u32 index);
u32 vfpool_pf_num_vfs(const struct vfpool_pf *pf);
void vfpool_pf_flush(void);
struct vfpool_vf *vfpool_pf_vf_by_pci(struct vfpool_pf *pf, const char *pci);
int vfpool_pf_pci_addr(const struct vfpool_pf *pf, char *buf, size_t len);
int vfpool_vf_pci_addr(const struct vfpool_vf *vf, char *buf, size_t len);

/* vf.c: configuration through the PF driver, reservation life cycle */
int vfpool_vf_read(struct vfpool_vf *vf, struct vfpool_cfg *cfg);
int vfpool_vf_apply(struct vfpool_vf *vf, const struct vfpool_cfg *cfg,
		    const struct vfpool_cfg *undo,
		    struct netlink_ext_ack *extack);
int vfpool_vf_reserve(struct vfpool_vf *vf, struct vfpool_holder *holder,
		      const struct vfpool_cfg *cfg, const char *owner,
		      enum vfpool_on_release on_release,
		      struct netlink_ext_ack *extack);
int vfpool_vf_set(struct vfpool_vf *vf, const struct vfpool_cfg *cfg,
		  struct netlink_ext_ack *extack);
void vfpool_vf_release(struct vfpool_vf *vf, enum vfpool_reason reason);
void vfpool_vf_reset_pending(void);
int vfpool_vf_zero(struct vfpool_vf *vf);
void vfpool_vf_drop(struct vfpool_vf *vf, enum vfpool_vf_state state);
const struct vfpool_vf *vfpool_vf_mac_in_use(const struct vfpool_vf *vf,
					     const u8 *mac);
void vfpool_vf_debugfs_init(void);
void vfpool_vf_debugfs_uninit(void);

/* holder.c: sockets holding reservations; linger and module pinning */
int vfpool_holder_init(void);
void vfpool_holder_uninit(void);
struct vfpool_holder *vfpool_holder_get(struct sk_buff *skb, bool create);
void vfpool_holder_put(struct vfpool_holder *holder);
bool vfpool_holder_is(const struct vfpool_vf *vf, struct sk_buff *skb);
void vfpool_work_kick(unsigned long delay);
int vfpool_holder_reserve(struct vfpool_vf *vf, struct sk_buff *skb,
			  struct genl_info *info, const struct vfpool_cfg *cfg,
			  const char *owner, enum vfpool_on_release on_release);
int vfpool_holder_bind(struct vfpool_vf *vf, struct vfpool_holder *proc,
		       struct genl_info *info);
int vfpool_holder_parse_linger(struct genl_info *info, u32 *linger);
bool vfpool_holder_linger_start(struct vfpool_vf *vf);
void vfpool_holder_vf_drop(struct vfpool_vf *vf);
int vfpool_holder_fill(struct sk_buff *skb, const struct vfpool_vf *vf,
		       int cmd);

/* assign.c: VFs in use by a guest (vfio open) at enrollment */
bool vfpool_vf_in_use(const struct vfpool_vf *vf);
bool vfpool_assign_poll(void);
void vfpool_holder_assigned(struct vfpool_vf *vf);

/* process.c: processes holding reservations, bound with a pidfd */
struct vfpool_holder *vfpool_process_get(struct genl_info *info);
void vfpool_process_put(struct vfpool_holder *holder);
void vfpool_process_reap(void);
void vfpool_process_uninit(void);

/* notify.c: events on the "events" multicast group */
void vfpool_notify_enable(bool live);
void vfpool_notify_vf(struct vfpool_vf *vf, int cmd);
void vfpool_notify_pf(struct vfpool_pf *pf, int cmd);
int vfpool_fill_vf(struct sk_buff *skb, struct vfpool_vf *vf, u32 portid,
		   u32 seq, int flags, int cmd);
int vfpool_fill_pf(struct sk_buff *skb, struct vfpool_pf *pf, u32 portid,
		   u32 seq, int flags, int cmd);

/* netlink.c */
int vfpool_netlink_init(void);
void vfpool_netlink_uninit(void);

#endif /* _VFPOOL_H */
