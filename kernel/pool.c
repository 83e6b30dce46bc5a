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
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "vfpool.h"

/* Guards the PF list and all PF, VF and holder->vfs state; see vfpool.h. */
DEFINE_MUTEX(vfpool_mutex);
LIST_HEAD(vfpool_pfs);
static u64 vfpool_pf_next_id = 1;

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
	list_for_each_entry(pf, &vfpool_pfs, node)
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
	list_for_each_entry(pf, &vfpool_pfs, node)
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
 * as the PCI core does; pci_iov_virtfn_bus() is not exported.
 */
int vfpool_vf_pci_addr(const struct vfpool_vf *vf, char *buf, size_t len)
{
	struct pci_dev *pdev = vfpool_pf_pci(vf->pf);
	u16 offset, stride;
	int pos;
	u32 rid;

	if (!pdev || !pdev->is_physfn)
		return -ENODEV;
	pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_SRIOV);
	if (!pos ||
	    pci_read_config_word(pdev, pos + PCI_SRIOV_VF_OFFSET, &offset) ||
	    pci_read_config_word(pdev, pos + PCI_SRIOV_VF_STRIDE, &stride))
		return -ENODEV;
	rid = (pdev->bus->number << 8) + pdev->devfn + offset +
	      stride * vf->index;
	snprintf(buf, len, "%04x:%02x:%02x.%d", pci_domain_nr(pdev->bus),
		 (rid >> 8) & 0xff, PCI_SLOT(rid & 0xff), PCI_FUNC(rid & 0xff));
	return 0;
}

struct vfpool_vf *vfpool_pf_vf_by_pci(struct vfpool_pf *pf, const char *pci)
{
	char addr[VFPOOL_PCI_ADDR_LEN];
	u32 i;

	for (i = 0; i < vfpool_pf_nvfs(pf); i++)
		if (!vfpool_vf_pci_addr(&pf->vfs[i], addr, sizeof(addr)) &&
		    !strcasecmp(addr, pci))
			return &pf->vfs[i];
	return NULL;
}

/* VFs are counted on the device: all its netdevs share them. */
u32 vfpool_pf_num_vfs(const struct vfpool_pf *pf)
{
	int n = dev_num_vf(pf->device);

	return n > 0 ? n : 0;
}

/* True while any VF is held or still being reset. */
bool vfpool_pf_busy(const struct vfpool_pf *pf)
{
	u32 i;

	for (i = 0; i < vfpool_pf_nvfs(pf); i++)
		if (pf->vfs[i].state == VFPOOL_VF_STATE_RESERVED ||
		    pf->vfs[i].state == VFPOOL_VF_STATE_RESETTING)
			return true;
	return false;
}

/* The VF went away under vfpool: its holder is told, it is never reused. */
static void vfpool_vf_gone(struct vfpool_vf *vf)
{
	vf->reason = VFPOOL_REASON_VF_GONE;
	vf->state = VFPOOL_VF_STATE_GONE;
	vfpool_notify_vf(vf, VFPOOL_CMD_VF_GONE_NTF);
	vfpool_vf_drop(vf, VFPOOL_VF_STATE_GONE);
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
	u32 n = vfpool_pf_num_vfs(pf);
	u32 i;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	vfpool_reap_dead();
	for (i = 0; i < vfpool_pf_nvfs(pf); i++) {
		struct vfpool_vf *vf = &pf->vfs[i];

		if (vf->index >= n && vf->state != VFPOOL_VF_STATE_GONE) {
			vfpool_vf_gone(vf);
		} else if (vf->index < n && vf->state == VFPOOL_VF_STATE_GONE) {
			/* A new VF: no stale MAC or VLAN in the pool. */
			vfpool_vf_zero(vf);
		}
	}
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
	list_for_each_entry(pf, &vfpool_pfs, node) {
		if (!pf->changed)
			continue;
		pf->changed = false;
		if (pf->dev->reg_state == NETREG_REGISTERED)
			netdev_state_change(pf->dev);
	}
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

	n = dev->dev.parent ? max(dev_num_vf(dev->dev.parent), 0) : 0;
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

	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return ERR_PTR(-ENOMEM);
	pf->vfs = kvcalloc(last - first + 1, sizeof(*pf->vfs), GFP_KERNEL);
	if (!pf->vfs) {
		kfree(pf);
		return ERR_PTR(-ENOMEM);
	}
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

	/*
	 * Enrolling makes vfpool the owner of these VFs: reset them all now
	 * so that a free VF never carries a stale MAC or VLAN.  A VF whose
	 * driver refuses is quarantined, not handed out.
	 */
	for (i = 0; i < vfpool_pf_nvfs(pf); i++) {
		struct vfpool_vf *vf = &pf->vfs[i];

		vf->pf = pf;
		vf->index = first + i;
		INIT_LIST_HEAD(&vf->holder_node);
		INIT_LIST_HEAD(&vf->reset_node);
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
	u32 i;

	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
	for (i = 0; i < vfpool_pf_nvfs(pf); i++) {
		struct vfpool_vf *vf = &pf->vfs[i];

		if (vf->state != VFPOOL_VF_STATE_RESERVED &&
		    vf->state != VFPOOL_VF_STATE_RESETTING)
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
	for (i = 0; i < vfpool_pf_nvfs(pf); i++)
		vfpool_vf_drop(&pf->vfs[i], VFPOOL_VF_STATE_FREE);
	if (pf->changed && can_reset)
		netdev_state_change(pf->dev);

	vfpool_notify_pf(pf, VFPOOL_CMD_POOL_DEL_NTF);
	list_del(&pf->node);
	kvfree(pf->vfs);
	kfree(pf);
}

static int vfpool_netdev_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vfpool_pf *pf;

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
	list_for_each_entry(pf, &vfpool_pfs, node) {
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
	list_for_each_entry(pf, &vfpool_pfs, node)
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
