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
 *   also holds RTNL, as rtnetlink does, and takes it first.  The PF list
 *   changes under both, so the netdev notifier may walk it under RTNL
 *   alone, to set pf->foreign_change (RTNL only).
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

#include <linux/bitmap.h>
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

/*
 * A VF configuration, or the part of one named by @mask.  Read from the
 * driver, @mask lacks spoofchk and trust where the driver reports none.
 * Ordered by size: two of these live in every reservation.
 */
struct vfpool_cfg {
	u32 mask;
	u32 link_state;		/* IFLA_VF_LINK_STATE_* */
	u32 min_rate;
	u32 max_rate;
	u8 mac[ETH_ALEN];
	u16 vlan;
	__be16 proto;
	u8 qos;
	bool spoofchk;
	bool trust;
};

struct vfpool_holder;

/*
 * What only a reservation needs, allocated when the VF is reserved and
 * freed when it is dropped (kept while quarantined: whose it was).
 */
struct vfpool_resv {
	char owner[VFPOOL_OWNER_LEN];
	struct vfpool_cfg orig;		/* recorded at reserve time */
	struct vfpool_cfg applied;	/* what vfpool wrote, mask = ever changed */
	/*
	 * The whole live configuration as the driver reports it, while
	 * vf->known has VFPOOL_VF_KNOWN_LIVE: replies and events are filled
	 * from it instead of reading the driver (vfpool_vf_live()).
	 */
	struct vfpool_cfg live;
};

/* In vfpool_vf.known beside the VFPOOL_CFG_* bits: resv->live is right. */
#define VFPOOL_VF_KNOWN_LIVE	BIT(7)

/*
 * One per enrolled VF, in pf->vfs[]: 112 bytes, ordered by size so that
 * the array has no holes; the reservation's larger state is in @resv
 * (Documentation/performance.rst, bytes per VF).
 */
struct vfpool_vf {
	struct vfpool_pf *pf;

	/* Set while reserved, resetting or quarantined. */
	struct vfpool_resv *resv;
	const char *owner;		/* resv->owner, or "" without one */
	struct vfpool_holder *holder;	/* NULL once the holder is gone */
	struct list_head holder_node;	/* on holder->vfs */
	struct pid *pid;

	unsigned long retry_at;		/* jiffies, while in pf->retrying */
	/* Lifetime beyond the holder, see holder.c. */
	unsigned long linger_until;	/* jiffies, while lingering */

	u32 index;
	int error;			/* last failed reset, negative errno */
	/*
	 * VFPOOL_VF_FLAGS_*: reset-incomplete and parked-mac describe the
	 * last reset (vf.c), lingering the reservation (holder.c).
	 */
	u32 flags;
	u32 linger;			/* seconds held after the holder went */
	u32 mac_next;			/* next offset in its pf->mac_hash bucket */

	enum vfpool_vf_state state:8;
	enum vfpool_on_release on_release:8;
	enum vfpool_reason reason:8;	/* why it is resetting, or went */
	u8 attempts;			/* of the reset */
	bool zeroing;			/* reset of an unheld VF: no release */
	bool pinned;			/* holds a reference on this module */

	/*
	 * vfpool's record of the VF's live configuration: what it last wrote
	 * or read through the driver, for the VFPOOL_CFG_* fields in @known
	 * (MAC, VLAN, link state).  Resets skip the read before writing when
	 * the record covers the target, and the duplicate-MAC check (rule 10)
	 * looks MACs up in pf->mac_hash instead of reading every VF.  Anyone
	 * else's write to the PF's VFs (ip link: RTM_SETLINK sends
	 * NETDEV_CHANGE) forgets the record, see vfpool_pf_sync(); while the
	 * PF is down rtnetlink sends nothing, and the record is not used.
	 */
	u8 known;
	u8 qos;
	u8 link_state;
	u8 mac[ETH_ALEN];		/* in pf->mac_hash unless zero */
	u16 vlan;
	__be16 proto;
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

	/* Offsets of the free VFs: picking one is find_first_bit(). */
	unsigned long *free;
	/* Offsets of the VFs whose reset the work retries (vf.c). */
	unsigned long *retrying;
	/*
	 * The VFs' recorded MACs, hashed (rule 10): bucket heads and
	 * vf->mac_next chain offsets, VFPOOL_NO_VF at the end.  Complete
	 * when every VF's MAC is known; else the check reads the others.
	 */
	u32 *mac_hash;
	u32 mac_buckets;		/* a power of two */
	bool mac_complete;
	/* Someone else wrote the VFs (NETDEV_CHANGE): records are stale. */
	bool foreign_change;
	/*
	 * PCI routing ID of VF 0 and the VF stride, from the SR-IOV
	 * capability, valid for rid_num_vfs VFs (0: none, not a PCI PF).
	 */
	u32 rid0;
	u16 rid_stride;
	u32 rid_num_vfs;
	/*
	 * The VF count of the last vfpool_pf_refresh() pass; U32_MAX after
	 * a VF went (vfpool_vf_gone()), so the next one looks at every VF.
	 */
	u32 refreshed;
};

/* End of a chain in pf->mac_hash. */
#define VFPOOL_NO_VF	U32_MAX

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

/*
 * How many VFs are enrolled (first..last): the size of pf->vfs.  Not the
 * device's VF count now, which is vfpool_pf_dev_num_vfs().
 */
static inline u32 vfpool_pf_nr_enrolled(const struct vfpool_pf *pf)
{
	return pf->last - pf->first + 1;
}

/* Held: reserved, or resetting after its release (not free yet). */
static inline bool vfpool_vf_held(const struct vfpool_vf *vf)
{
	return vf->state == VFPOOL_VF_STATE_RESERVED ||
	       vf->state == VFPOOL_VF_STATE_RESETTING;
}

/* Every state change of vf.c and pool.c goes here: pf->free follows. */
static inline void vfpool_vf_set_state(struct vfpool_vf *vf,
				       enum vfpool_vf_state state)
{
	__assign_bit(vf->index - vf->pf->first, vf->pf->free,
		     state == VFPOOL_VF_STATE_FREE);
	vf->state = state;
}

static inline struct net *vfpool_pf_net(const struct vfpool_pf *pf)
{
	return dev_net(pf->dev);
}

/*
 * Walks, in the style of dpll's and the xarray's for_each_*; under
 * vfpool_mutex.  Every enrolled PF, in enrollment order:
 */
#define vfpool_for_each_pf(pf)						\
	list_for_each_entry(pf, &vfpool_pfs, node)

/* The PF at list position @pos or the first after it in @net, or NULL. */
static inline struct vfpool_pf *vfpool_pf_in(struct list_head *pos,
					     const struct net *net)
{
	for (; pos != &vfpool_pfs; pos = pos->next) {
		struct vfpool_pf *pf = list_entry(pos, struct vfpool_pf, node);

		if (net_eq(vfpool_pf_net(pf), net))
			return pf;
	}
	return NULL;
}

/* Every enrolled PF of network namespace @net. */
#define vfpool_for_each_pf_in(pf, net)					\
	for ((pf) = vfpool_pf_in(vfpool_pfs.next, (net)); (pf);	\
	     (pf) = vfpool_pf_in((pf)->node.next, (net)))

/* Every enrolled VF of @pf, from the one at offset @from (0: the first). */
#define vfpool_for_each_vf_from(pf, vf, from)				\
	for ((vf) = (pf)->vfs + (from);					\
	     (vf) < (pf)->vfs + vfpool_pf_nr_enrolled(pf); (vf)++)

#define vfpool_for_each_vf(pf, vf)	vfpool_for_each_vf_from(pf, vf, 0)

/*
 * The state readers see: a VF whose holder is gone (socket closed, process
 * exited) is resetting already, though the work has not run yet.
 */
static inline enum vfpool_vf_state vfpool_vf_state(const struct vfpool_vf *vf)
{
	if (vf->state == VFPOOL_VF_STATE_RESERVED && vf->holder &&
	    READ_ONCE(vf->holder->orphaned))
		return VFPOOL_VF_STATE_RESETTING;
	return vf->state;
}

/*
 * Reserved as readers see it: a reservation a request may act on, not one
 * whose holder is gone (vfpool_vf_held() counts both).
 */
static inline bool vfpool_vf_reserved(const struct vfpool_vf *vf)
{
	return vfpool_vf_state(vf) == VFPOOL_VF_STATE_RESERVED;
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
bool vfpool_pf_watched(const struct vfpool_pf *pf);
void vfpool_pf_sync(struct vfpool_pf *pf);
void vfpool_pf_mac_note(struct vfpool_vf *vf, const u8 *mac);
void vfpool_pf_mac_forget(struct vfpool_vf *vf);
struct vfpool_vf *vfpool_pf_mac_lookup(struct vfpool_pf *pf, const u8 *mac,
				       const struct vfpool_vf *except,
				       bool parked_ok);
u32 vfpool_pf_dev_num_vfs(const struct vfpool_pf *pf);
void vfpool_pf_flush(void);
struct vfpool_vf *vfpool_pf_vf_by_pci(struct vfpool_pf *pf, const char *pci);
int vfpool_pf_pci_addr(const struct vfpool_pf *pf, char *buf, size_t len);
int vfpool_vf_pci_addr(const struct vfpool_vf *vf, char *buf, size_t len);
/* pool.c: which VFs a reserve or release request gets */
struct vfpool_vf *vfpool_pool_pick(struct net *net, struct vfpool_pf *pf,
				   const char *pool, const char *pci);
struct vfpool_vf *vfpool_pool_release(struct net *net, struct sk_buff *sender,
				      const char *owner, bool force,
				      unsigned int *n);

/* vf.c: configuration through the PF driver, reservation life cycle */
int vfpool_vf_read(struct vfpool_vf *vf, struct vfpool_cfg *cfg);
bool vfpool_vf_live(struct vfpool_vf *vf, struct vfpool_cfg *cfg);
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
const struct vfpool_vf *vfpool_vf_mac_in_use(struct vfpool_vf *vf,
					     const u8 *mac);
const struct vfpool_vf *vfpool_pf_park_mac_in_use(struct vfpool_pf *pf,
						  const u8 *mac);

/* holder.c: sockets holding reservations; linger and module pinning */
int vfpool_holder_init(void);
void vfpool_holder_uninit(void);
struct vfpool_holder *vfpool_holder_of_socket(struct sk_buff *skb);
void vfpool_holder_drop_idle(struct vfpool_holder *holder);
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
struct vfpool_holder *vfpool_process_of_pidfd(struct genl_info *info);
void vfpool_process_drop_idle(struct vfpool_holder *holder);
void vfpool_process_reap(void);
void vfpool_process_uninit(void);

/* notify.c: events on the "events" multicast group, dump consistency */
void vfpool_changed(void);
u32 vfpool_generation(void);
void vfpool_notify_enable(bool live);
void vfpool_notify_batch_begin(void);
void vfpool_notify_batch_end(void);
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
