// SPDX-License-Identifier: GPL-2.0
/*
 * Enrolled PFs: enrollment, lookup, and following the PF's life cycle.
 *
 * A PF leaves vfpool when it is un-enrolled, when its net_device is
 * unregistered (driver unbind, device deletion, netns dismantle, or a move
 * to another netns), and when the module is unloaded.  No reference to the
 * net_device is held, so unregistration never waits on vfpool.
 *
 * When the PF's VF count drops below an enrolled VF the VF becomes gone,
 * its holder is told, and it comes back free once the count covers it
 * again.  The count is checked whenever vfpool touches the PF and, for PCI
 * PFs, whenever a VF's PCI device goes away.
 */
#include <linux/etherdevice.h>
#include <linux/jhash.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vfpool.h"

/* Guards the PF list and all PF, VF and holder->vfs state; see vfpool.h. */
DEFINE_MUTEX(vfpool_mutex);
LIST_HEAD(vfpool_pfs);
static u64 vfpool_pf_next_id = 1;

/*
 * Under RTNL: vfpool itself is announcing a PF (netdev_state_change()), so
 * the NETDEV_CHANGE that follows is not someone else's write.
 */
static bool vfpool_announcing;

static void vfpool_pci_work_fn(struct work_struct *work);
static DECLARE_WORK(vfpool_pci_work, vfpool_pci_work_fn);

/*
 * A PF that is not a PCI device (netdevsim) has no event for a changed VF
 * count: poll it while enrolled.  A PCI PF needs no poll: the PCI bus
 * notifier reports every VF that goes away.
 */
#define VFPOOL_COUNT_POLL	HZ

static void vfpool_count_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vfpool_count_work, vfpool_count_work_fn);

/* Caller holds vfpool_mutex. */
struct vfpool_pf *vfpool_pf_find(struct net *net, int ifindex)
{
	struct vfpool_pf *pf;

	lockdep_assert_held(&vfpool_mutex);
	vfpool_for_each_pf(pf)
		if (pf->ifindex == ifindex && net_eq(vfpool_pf_net(pf), net))
			return pf;
	return NULL;
}

/* The enrollment of SR-IOV device @device, in any netns. */
struct vfpool_pf *vfpool_pf_of_device(const struct device *device)
{
	struct vfpool_pf *pf;

	lockdep_assert_held(&vfpool_mutex);
	if (!device)
		return NULL;
	vfpool_for_each_pf(pf)
		if (pf->device == device)
			return pf;
	return NULL;
}

/*
 * The enrollment a netdev names: its device's, when the enrolled netdev is
 * in the same netns (a port moved elsewhere must not see or act on it).
 */
struct vfpool_pf *vfpool_pf_of_netdev(const struct net_device *dev)
{
	struct vfpool_pf *pf = vfpool_pf_of_device(dev->dev.parent);

	if (pf && net_eq(vfpool_pf_net(pf), dev_net(dev)))
		return pf;
	return NULL;
}

struct vfpool_vf *vfpool_pf_vf(struct vfpool_pf *pf, u32 index)
{
	if (index < pf->first || index > pf->last)
		return NULL;
	return &pf->vfs[index - pf->first];
}

/* The lowest free VF, or NULL: O(words) of pf->free, not O(VFs). */
static struct vfpool_vf *vfpool_pf_first_free(struct vfpool_pf *pf)
{
	unsigned long off;

	lockdep_assert_held(&vfpool_mutex);
	for_each_set_bit(off, pf->free, vfpool_pf_nr_enrolled(pf)) {
		struct vfpool_vf *vf = &pf->vfs[off];

		if (vf->state == VFPOOL_VF_STATE_FREE)
			return vf;
		/* Left by a state written past vfpool_vf_set_state(). */
		__clear_bit(off, pf->free);
	}
	return NULL;
}

/*
 * VF selection for the netlink handlers, which parse, look up and report;
 * the rules of which VF a request gets are here.  Under RTNL and
 * vfpool_mutex.
 */

/* On @pf: the VF at @pci whatever its state, or else the lowest free. */
static struct vfpool_vf *vfpool_pf_pick(struct vfpool_pf *pf, const char *pci)
{
	return pci ? vfpool_pf_vf_by_pci(pf, pci) : vfpool_pf_first_free(pf);
}

/**
 * vfpool_pool_pick() - the VF a reservation gets by PF, pool or PCI address
 * @net: the caller's network namespace: only its PFs are looked at
 * @pf: the PF the request names, already refreshed; or NULL for each PF
 *	of @net in enrollment order, refreshed as it is looked at
 * @pool: only PFs of this pool, or NULL for any
 * @pci: the VF at this PCI address whatever its state (the caller says
 *	why it cannot be reserved), or NULL for the lowest free VF
 *
 * Return: the VF, or NULL when no PF looked at has one.
 */
struct vfpool_vf *vfpool_pool_pick(struct net *net, struct vfpool_pf *pf,
				   const char *pool, const char *pci)
{
	struct vfpool_vf *vf;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	if (pf)
		return pool && strcmp(pool, pf->pool) ? NULL :
		       vfpool_pf_pick(pf, pci);
	vfpool_for_each_pf_in(pf, net) {
		if (pool && strcmp(pool, pf->pool))
			continue;
		vfpool_pf_refresh(pf);
		vf = vfpool_pf_pick(pf, pci);
		if (vf)
			return vf;
	}
	return NULL;
}

/**
 * vfpool_pool_release() - release the VFs a release request selects
 * @net: the caller's network namespace: only its PFs are looked at
 * @sender: the request; its socket's own reservations are always released
 * @owner: only VFs with this owner label, which also releases other
 *	holders' reservations carrying it; NULL: every VF
 * @force: also other holders' reservations, and quarantined VFs
 * @n: set to how many VFs were released
 *
 * Return: the first VF released whose reset quarantined it, or NULL.
 */
struct vfpool_vf *vfpool_pool_release(struct net *net, struct sk_buff *sender,
				      const char *owner, bool force,
				      unsigned int *n)
{
	struct vfpool_vf *vf, *failed = NULL;
	enum vfpool_reason reason;
	struct vfpool_pf *pf;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	*n = 0;
	vfpool_notify_batch_begin();
	vfpool_for_each_pf_in(pf, net) {
		vfpool_pf_refresh(pf);
		vfpool_for_each_vf(pf, vf) {
			if (owner && strcmp(owner, vf->owner))
				continue;
			if (vfpool_vf_reserved(vf) && vfpool_holder_is(vf, sender))
				reason = VFPOOL_REASON_RELEASED;
			else if (vfpool_vf_reserved(vf) && owner)
				reason = VFPOOL_REASON_OWNER;
			else if (force && (vfpool_vf_reserved(vf) ||
					   vf->state == VFPOOL_VF_STATE_QUARANTINED))
				reason = VFPOOL_REASON_FORCE;
			else
				continue;
			vfpool_vf_release(vf, reason);
			cond_resched();
			(*n)++;
			if (!failed && vf->state == VFPOOL_VF_STATE_QUARANTINED)
				failed = vf;
		}
	}
	vfpool_notify_batch_end();
	return failed;
}

/*
 * rtnetlink announces its VF writes (NETDEV_CHANGE, from
 * netdev_state_change()) only while the PF is up: while it is down, a
 * write by ip link goes unnoticed and the VF records are not relied on.
 */
bool vfpool_pf_watched(const struct vfpool_pf *pf)
{
	ASSERT_RTNL();
	return pf->dev->flags & IFF_UP;
}

/*
 * Forget the VF records after a write by someone else: each VF is read
 * again before a reset relies on its record, and the MAC index is
 * completed again before the next duplicate check.
 */
void vfpool_pf_sync(struct vfpool_pf *pf)
{
	struct vfpool_vf *vf;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	if (!vfpool_pf_watched(pf)) {
		/* Unwatched: no record is relied on, and all are forgotten. */
		pf->foreign_change = true;
		return;
	}
	if (!pf->foreign_change)
		return;
	pf->foreign_change = false;
	pf->mac_complete = false;
	vfpool_for_each_vf(pf, vf)
		vf->known = 0;
}

static u32 *vfpool_pf_mac_bucket(struct vfpool_pf *pf, const u8 *mac)
{
	return &pf->mac_hash[jhash(mac, ETH_ALEN, 0) & (pf->mac_buckets - 1)];
}

/* Take @vf's MAC out of the index (its chain link is found by a walk). */
void vfpool_pf_mac_forget(struct vfpool_vf *vf)
{
	struct vfpool_pf *pf = vf->pf;
	u32 off = vf - pf->vfs;
	u32 *link;

	vf->known &= ~VFPOOL_CFG_MAC;
	if (is_zero_ether_addr(vf->mac))
		return;
	for (link = vfpool_pf_mac_bucket(pf, vf->mac); *link != VFPOOL_NO_VF;
	     link = &pf->vfs[*link].mac_next) {
		if (*link == off) {
			*link = vf->mac_next;
			break;
		}
	}
	eth_zero_addr(vf->mac);
	vf->mac_next = VFPOOL_NO_VF;
}

/* @vf carries @mac now (vfpool wrote or read it). */
void vfpool_pf_mac_note(struct vfpool_vf *vf, const u8 *mac)
{
	struct vfpool_pf *pf = vf->pf;
	u32 *head;

	if (!ether_addr_equal(vf->mac, mac)) {
		vfpool_pf_mac_forget(vf);
		ether_addr_copy(vf->mac, mac);
		if (!is_zero_ether_addr(mac)) {
			head = vfpool_pf_mac_bucket(pf, mac);
			vf->mac_next = *head;
			*head = vf - pf->vfs;
		}
	}
	vf->known |= VFPOOL_CFG_MAC;
}

/*
 * A VF other than @except whose recorded MAC is @mac; with @parked_ok, a
 * free VF parked on it (flag parked-mac) does not count.
 */
struct vfpool_vf *vfpool_pf_mac_lookup(struct vfpool_pf *pf, const u8 *mac,
				       const struct vfpool_vf *except,
				       bool parked_ok)
{
	u32 off;

	lockdep_assert_held(&vfpool_mutex);
	for (off = *vfpool_pf_mac_bucket(pf, mac); off != VFPOOL_NO_VF;
	     off = pf->vfs[off].mac_next) {
		struct vfpool_vf *o = &pf->vfs[off];

		if (o == except || !ether_addr_equal(o->mac, mac))
			continue;
		if (parked_ok && o->state == VFPOOL_VF_STATE_FREE &&
		    o->flags & VFPOOL_VF_FLAGS_PARKED_MAC)
			continue;
		return o;
	}
	return NULL;
}

static struct pci_dev *vfpool_pf_pci(const struct vfpool_pf *pf)
{
	struct device *parent = pf->device;

	if (!parent || !dev_is_pci(parent))
		return NULL;
	return to_pci_dev(parent);
}

int vfpool_pf_pci_addr(const struct vfpool_pf *pf, char *buf, size_t len)
{
	struct pci_dev *pdev = vfpool_pf_pci(pf);

	if (!pdev)
		return -ENODEV;
	snprintf(buf, len, "%s", pci_name(pdev));
	return 0;
}

/*
 * A VF's routing ID is the PF's plus First VF Offset plus VF Stride times
 * the VF index (PCIe SR-IOV 3.3.9-10), read from the PF's SR-IOV capability
 * as the PCI core does; pci_iov_virtfn_bus() is not exported.  Offset and
 * stride may change with NumVFs, so they are read again only when the VF
 * count changed, never per message.
 */
static void vfpool_pf_rid_cache(struct vfpool_pf *pf)
{
	struct pci_dev *pdev = vfpool_pf_pci(pf);
	u32 n = vfpool_pf_dev_num_vfs(pf);
	u16 offset, stride;
	int pos;

	if (n == pf->rid_num_vfs)
		return;
	pf->rid_num_vfs = 0;
	if (!n || !pdev || !pdev->is_physfn)
		return;
	pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_SRIOV);
	if (!pos ||
	    pci_read_config_word(pdev, pos + PCI_SRIOV_VF_OFFSET, &offset) ||
	    pci_read_config_word(pdev, pos + PCI_SRIOV_VF_STRIDE, &stride))
		return;
	pf->rid0 = (pdev->bus->number << 8) + pdev->devfn + offset;
	pf->rid_stride = stride;
	pf->rid_num_vfs = n;
}

int vfpool_vf_pci_addr(const struct vfpool_vf *vf, char *buf, size_t len)
{
	const struct vfpool_pf *pf = vf->pf;
	struct pci_dev *pdev = vfpool_pf_pci(pf);
	u32 rid;

	if (!pdev || !pf->rid_num_vfs)
		return -ENODEV;
	rid = pf->rid0 + pf->rid_stride * vf->index;
	snprintf(buf, len, "%04x:%02x:%02x.%d", pci_domain_nr(pdev->bus),
		 (rid >> 8) & 0xff, PCI_SLOT(rid & 0xff), PCI_FUNC(rid & 0xff));
	return 0;
}

struct vfpool_vf *vfpool_pf_vf_by_pci(struct vfpool_pf *pf, const char *pci)
{
	char addr[VFPOOL_PCI_ADDR_LEN];
	struct vfpool_vf *vf;

	vfpool_for_each_vf(pf, vf)
		if (!vfpool_vf_pci_addr(vf, addr, sizeof(addr)) &&
		    !strcasecmp(addr, pci))
			return vf;
	return NULL;
}

/* VFs are counted on the device: all its netdevs share them. */
static u32 vfpool_device_num_vfs(struct device *device)
{
	int n = device ? dev_num_vf(device) : 0;

	return n > 0 ? n : 0;
}

/* The device's VF count now (sriov_numvfs), enrolled or not. */
u32 vfpool_pf_dev_num_vfs(const struct vfpool_pf *pf)
{
	return vfpool_device_num_vfs(pf->device);
}

/* True while any VF is held: reserved, or resetting after a release. */
bool vfpool_pf_busy(const struct vfpool_pf *pf)
{
	const struct vfpool_vf *vf;

	vfpool_for_each_vf(pf, vf)
		if (vfpool_vf_held(vf))
			return true;
	return false;
}

/*
 * The VF went away under vfpool: its holder is told, it is never reused,
 * and its MAC is no longer anyone's (a VF that comes back is zeroed).
 */
static void vfpool_vf_gone(struct vfpool_vf *vf)
{
	vf->pf->refreshed = U32_MAX;
	vf->reason = VFPOOL_REASON_VF_GONE;
	vfpool_vf_set_state(vf, VFPOOL_VF_STATE_GONE);
	vfpool_notify_vf(vf, VFPOOL_CMD_VF_GONE_NTF);
	vfpool_vf_drop(vf, VFPOOL_VF_STATE_GONE);
	vfpool_pf_mac_forget(vf);
	vf->known = 0;
}

/*
 * VFs whose PCI device was deleted, recorded by the bus notifier so that a
 * count going N -> 0 -> N before the work runs still ends the reservations
 * on the old VFs (rule 6).  @physfn is only compared, never dereferenced.
 */
struct vfpool_dead_vf {
	struct list_head node;
	const struct device *physfn;
	u32 index;
};

static LIST_HEAD(vfpool_dead_vfs);
static DEFINE_SPINLOCK(vfpool_dead_lock);

/* Every VF recorded dead is gone, even if its index is back. */
static void vfpool_reap_dead(void)
{
	struct vfpool_dead_vf *d, *tmp;
	struct vfpool_pf *pf;
	struct vfpool_vf *vf;
	LIST_HEAD(dead);

	spin_lock(&vfpool_dead_lock);
	list_splice_init(&vfpool_dead_vfs, &dead);
	spin_unlock(&vfpool_dead_lock);
	list_for_each_entry_safe(d, tmp, &dead, node) {
		pf = vfpool_pf_of_device(d->physfn);
		vf = pf ? vfpool_pf_vf(pf, d->index) : NULL;
		if (vf && vf->state != VFPOOL_VF_STATE_GONE)
			vfpool_vf_gone(vf);
		list_del(&d->node);
		kfree(d);
	}
}

/* Mark VFs beyond the PF's VF count gone, and bring back returning ones. */
void vfpool_pf_refresh(struct vfpool_pf *pf)
{
	u32 n = vfpool_pf_dev_num_vfs(pf);
	struct vfpool_vf *vf;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	vfpool_reap_dead();
	vfpool_pf_rid_cache(pf);
	/*
	 * Every request refreshes its PF: after a pass with this count, and
	 * no VF gone since, the VFs are as the pass left them.
	 */
	if (n == pf->refreshed)
		return;
	vfpool_notify_batch_begin();
	vfpool_for_each_vf(pf, vf) {
		if (vf->index >= n && vf->state != VFPOOL_VF_STATE_GONE) {
			vfpool_vf_gone(vf);
		} else if (vf->index < n && vf->state == VFPOOL_VF_STATE_GONE) {
			/* A new VF: no stale MAC or VLAN in the pool. */
			vfpool_vf_zero(vf);
		}
	}
	vfpool_notify_batch_end();
	pf->refreshed = n;
}

/* RTM_NEWLINK for the PF, and NETDEV_CHANGE, which is ours, not foreign. */
static void vfpool_pf_announce(struct vfpool_pf *pf)
{
	ASSERT_RTNL();
	vfpool_announcing = true;
	netdev_state_change(pf->dev);
	vfpool_announcing = false;
}

/*
 * One RTM_NEWLINK per PF for a batch of VF writes (enrollment, a mass
 * reset, un-enrollment), as listeners of ip monitor need to re-read the
 * PF once, not once per VF.  Called before vfpool_mutex is dropped.
 */
void vfpool_pf_flush(void)
{
	struct vfpool_pf *pf;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	vfpool_for_each_pf(pf) {
		if (!pf->changed)
			continue;
		pf->changed = false;
		if (pf->dev->reg_state == NETREG_REGISTERED)
			vfpool_pf_announce(pf);
	}
}

static void vfpool_pf_free(struct vfpool_pf *pf)
{
	bitmap_free(pf->free);
	bitmap_free(pf->retrying);
	kvfree(pf->mac_hash);
	kvfree(pf->vfs);
	kfree(pf);
}

/* A PF of @n VFs, all of them in the MAC index's empty chains. */
static struct vfpool_pf *vfpool_pf_alloc(u32 n)
{
	struct vfpool_pf *pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	size_t size;
	u32 i;

	if (!pf)
		return NULL;
	/* About four VFs per bucket: 1 byte per VF. */
	pf->mac_buckets = roundup_pow_of_two(max(n / 4, 1U));
	/*
	 * Not kvcalloc(): kmalloc would round a large array up to a power
	 * of two (2048 VFs of 112 bytes to 512 KiB); vmalloc, to a page.
	 */
	size = array_size(n, sizeof(*pf->vfs));
	pf->vfs = size > PAGE_SIZE ? vzalloc(size) : kzalloc(size, GFP_KERNEL);
	pf->free = bitmap_zalloc(n, GFP_KERNEL);
	pf->retrying = bitmap_zalloc(n, GFP_KERNEL);
	pf->mac_hash = kvmalloc_array(pf->mac_buckets, sizeof(*pf->mac_hash),
				      GFP_KERNEL);
	if (!pf->vfs || !pf->free || !pf->retrying || !pf->mac_hash) {
		vfpool_pf_free(pf);
		return NULL;
	}
	for (i = 0; i < pf->mac_buckets; i++)
		pf->mac_hash[i] = VFPOOL_NO_VF;
	return pf;
}

struct vfpool_pf *vfpool_pf_enroll(struct net_device *dev, u32 first,
				   u32 last, const char *pool,
				   enum vfpool_park park, u16 park_vlan,
				   const u8 *park_mac,
				   struct netlink_ext_ack *extack)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	struct vfpool_pf *pf;
	u32 i, n;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);

	if (!ops->ndo_set_vf_mac || !ops->ndo_set_vf_vlan ||
	    !ops->ndo_get_vf_config) {
		NL_SET_ERR_MSG_FMT(extack, "%s is not an SR-IOV PF (no VF ops)",
				   dev->name);
		return ERR_PTR(-EOPNOTSUPP);
	}
	pf = vfpool_pf_of_device(dev->dev.parent);
	if (pf && pf->dev == dev) {
		NL_SET_ERR_MSG_FMT(extack, "%s is enrolled already", dev->name);
		return ERR_PTR(-EEXIST);
	}
	if (pf) {
		/*
		 * Another netdev of the same device: one set of VFs, so one
		 * enrollment.  Name the enrolled netdev only to its netns.
		 */
		if (net_eq(vfpool_pf_net(pf), dev_net(dev)))
			NL_SET_ERR_MSG_FMT(extack,
					   "%s shares its SR-IOV device %s with %s, enrolled already",
					   dev->name, dev_name(pf->device),
					   pf->dev->name);
		else
			NL_SET_ERR_MSG_FMT(extack,
					   "%s shares its SR-IOV device %s with a netdev enrolled in another network namespace",
					   dev->name, dev_name(pf->device));
		return ERR_PTR(-EBUSY);
	}

	n = vfpool_device_num_vfs(dev->dev.parent);
	if (!n) {
		NL_SET_ERR_MSG_FMT(extack, "%s has no VFs (sriov_numvfs is 0)",
				   dev->name);
		return ERR_PTR(-ENODEV);
	}
	if (last == U32_MAX)
		last = n - 1;
	if (first > last || last >= n) {
		NL_SET_ERR_MSG_FMT(extack, "VF range %u-%u outside %s's VFs 0-%u",
				   first, last, dev->name, n - 1);
		return ERR_PTR(-ERANGE);
	}

	pf = vfpool_pf_alloc(last - first + 1);
	if (!pf)
		return ERR_PTR(-ENOMEM);
	pf->dev = dev;
	pf->device = dev->dev.parent;
	pf->ifindex = dev->ifindex;
	pf->first = first;
	pf->last = last;
	pf->id = vfpool_pf_next_id++;
	strscpy(pf->pool, pool, sizeof(pf->pool));
	pf->park = park;
	pf->park_vlan = park_vlan;
	ether_addr_copy(pf->park_mac, park_mac);
	pf->refreshed = U32_MAX;
	vfpool_pf_rid_cache(pf);

	/*
	 * Enrolling makes vfpool the owner of these VFs: reset them all now
	 * so that a free VF never carries a stale MAC or VLAN.  A VF whose
	 * driver refuses is quarantined, not handed out.
	 */
	for (i = 0; i < vfpool_pf_nr_enrolled(pf); i++) {
		struct vfpool_vf *vf = &pf->vfs[i];

		vf->pf = pf;
		vf->index = first + i;
		vf->mac_next = VFPOOL_NO_VF;
		vf->owner = "";
		INIT_LIST_HEAD(&vf->holder_node);
		/* Hook: a VF a guest uses now is left alone (assign.c). */
		if (vfpool_vf_in_use(vf)) {
			vfpool_holder_assigned(vf);
			continue;
		}
		vfpool_vf_zero(vf);
		/* Under RTNL and vfpool_mutex, but let others run. */
		cond_resched();
	}
	list_add_tail(&pf->node, &vfpool_pfs);
	if (!vfpool_pf_pci(pf))
		schedule_delayed_work(&vfpool_count_work, VFPOOL_COUNT_POLL);
	return pf;
}

/*
 * Leave vfpool.  Held VFs are reset when the device can still take driver
 * calls; on unregistration it cannot, and the holders are only told.
 */
void vfpool_pf_unenroll(struct vfpool_pf *pf, enum vfpool_reason reason)
{
	bool can_reset = pf->dev->reg_state == NETREG_REGISTERED;
	struct vfpool_vf *vf;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	vfpool_notify_batch_begin();
	vfpool_for_each_vf(pf, vf) {
		if (!vfpool_vf_held(vf))
			continue;
		if (can_reset) {
			/* One attempt: the PF leaves, nothing retries later. */
			vfpool_vf_release(vf, reason);
			if (vf->state == VFPOOL_VF_STATE_RESETTING) {
				netdev_warn(pf->dev, "vfpool: VF %u left without reset (%d)\n",
					    vf->index, vf->error);
				vfpool_notify_vf(vf, VFPOOL_CMD_VF_RELEASED_NTF);
			}
		} else {
			vf->reason = reason;
			vfpool_notify_vf(vf, VFPOOL_CMD_VF_RELEASED_NTF);
		}
		vfpool_vf_drop(vf, VFPOOL_VF_STATE_FREE);
		cond_resched();
	}
	vfpool_for_each_vf(pf, vf)
		vfpool_vf_drop(vf, VFPOOL_VF_STATE_FREE);
	if (pf->changed && can_reset)
		vfpool_pf_announce(pf);

	vfpool_notify_pf(pf, VFPOOL_CMD_POOL_DEL_NTF);
	vfpool_notify_batch_end();
	list_del(&pf->node);
	vfpool_pf_free(pf);
}

static int vfpool_netdev_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vfpool_pf *pf;

	if (event == NETDEV_CHANGE || event == NETDEV_UP) {
		/*
		 * rtnetlink announces its VF writes (ip link set ... vf) so,
		 * if the PF is up; and one that came up may have been written
		 * while down.  Under RTNL, which every change of the PF list
		 * also holds; vfpool_mutex may be ours already
		 * (vfpool_pf_announce()).
		 */
		if (vfpool_announcing || !dev->netdev_ops->ndo_get_vf_config ||
		    !dev->dev.parent)
			return NOTIFY_DONE;
		vfpool_for_each_pf(pf)
			if (pf->device == dev->dev.parent)
				pf->foreign_change = true;
		return NOTIFY_DONE;
	}
	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;

	mutex_lock(&vfpool_mutex);
	pf = vfpool_pf_of_device(dev->dev.parent);
	if (pf && pf->dev == dev)
		vfpool_pf_unenroll(pf, VFPOOL_REASON_PF_REMOVED);
	mutex_unlock(&vfpool_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block vfpool_netdev_nb = {
	.notifier_call = vfpool_netdev_event,
};

static void vfpool_count_work_fn(struct work_struct *work)
{
	struct vfpool_pf *pf;
	bool poll = false;

	rtnl_lock();
	mutex_lock(&vfpool_mutex);
	vfpool_for_each_pf(pf) {
		if (vfpool_pf_pci(pf))
			continue;
		vfpool_pf_refresh(pf);
		poll = true;
	}
	vfpool_pf_flush();
	mutex_unlock(&vfpool_mutex);
	rtnl_unlock();
	if (poll)
		schedule_delayed_work(&vfpool_count_work, VFPOOL_COUNT_POLL);
}

static void vfpool_pci_work_fn(struct work_struct *work)
{
	struct vfpool_pf *pf;

	rtnl_lock();
	mutex_lock(&vfpool_mutex);
	vfpool_reap_dead();
	vfpool_for_each_pf(pf)
		if (vfpool_pf_pci(pf))
			vfpool_pf_refresh(pf);
	vfpool_pf_flush();
	mutex_unlock(&vfpool_mutex);
	rtnl_unlock();
}

/*
 * A VF's PCI device going away means sriov_numvfs went down.  The bus
 * notifier runs under the PF driver's locks, so record which VF died and
 * look at the PFs later.
 */
static int vfpool_pci_event(struct notifier_block *nb, unsigned long event,
			    void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct vfpool_dead_vf *d;
	int id;

	if (event != BUS_NOTIFY_DEL_DEVICE || !pdev->is_virtfn)
		return NOTIFY_DONE;
	id = pci_iov_vf_id(pdev);
	d = id >= 0 ? kmalloc(sizeof(*d), GFP_KERNEL) : NULL;
	if (d) {
		d->physfn = &pdev->physfn->dev;
		d->index = id;
		spin_lock(&vfpool_dead_lock);
		list_add_tail(&d->node, &vfpool_dead_vfs);
		spin_unlock(&vfpool_dead_lock);
	}
	/* Without the record, the count is still checked. */
	schedule_work(&vfpool_pci_work);
	return NOTIFY_DONE;
}

static struct notifier_block vfpool_pci_nb = {
	.notifier_call = vfpool_pci_event,
};

int vfpool_pool_init(void)
{
	int err;

	err = register_netdevice_notifier(&vfpool_netdev_nb);
	if (err)
		return err;
#ifdef CONFIG_PCI
	err = bus_register_notifier(&pci_bus_type, &vfpool_pci_nb);
	if (err)
		unregister_netdevice_notifier(&vfpool_netdev_nb);
#endif
	return err;
}

/* Module unload: reset every held VF and free everything. */
void vfpool_pool_uninit(void)
{
	struct vfpool_pf *pf, *tmp;

#ifdef CONFIG_PCI
	bus_unregister_notifier(&pci_bus_type, &vfpool_pci_nb);
#endif
	cancel_work_sync(&vfpool_pci_work);
	cancel_delayed_work_sync(&vfpool_count_work);
	/* No notifier adds to it any more, and the work is done. */
	vfpool_pci_work_fn(NULL);

	rtnl_lock();
	mutex_lock(&vfpool_mutex);
	list_for_each_entry_safe(pf, tmp, &vfpool_pfs, node)
		vfpool_pf_unenroll(pf, VFPOOL_REASON_UNLOAD);
	mutex_unlock(&vfpool_mutex);
	rtnl_unlock();
	/* Takes RTNL itself; with no PF left, no event matters any more. */
	unregister_netdevice_notifier(&vfpool_netdev_nb);
}
