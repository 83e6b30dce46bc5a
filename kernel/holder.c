// SPDX-License-Identifier: GPL-2.0
/*
 * Holders: the generic netlink sockets that own reservations.
 *
 * A reservation lives exactly as long as the socket that made it.  The
 * socket's last close runs netlink_release(), which calls the
 * NETLINK_URELEASE notifier chain.  That notifier may not take RTNL (it can
 * run under any caller that closes a netlink socket), so it only marks the
 * holder orphaned, under a spinlock, and queues vfpool_work, which takes
 * RTNL and resets the VFs through the PF driver.
 *
 * The notifier identifies a socket by (netns, portid) only, and by then the
 * portid is already free for a new socket to bind.  So a holder keeps a
 * reference to its struct sock and the notifier picks the holder whose
 * socket is SOCK_DEAD: a new socket that recycled the portid never inherits
 * a reservation.
 */
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/netlink.h>

#include "vfpool.h"

static DEFINE_HASHTABLE(vfpool_holders, 6);	/* by portid */
static LIST_HEAD(vfpool_orphans);
static DEFINE_SPINLOCK(vfpool_holders_lock);	/* hash, orphans, ->orphaned */

static struct workqueue_struct *vfpool_wq;
static void vfpool_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vfpool_work, vfpool_work_fn);

/* Run the reset work now, or after @delay jiffies at the latest. */
void vfpool_work_kick(unsigned long delay)
{
	mod_delayed_work(vfpool_wq, &vfpool_work, delay);
}

/* Caller holds vfpool_mutex.  The skb's socket is alive for the request. */
struct vfpool_holder *vfpool_holder_get(struct sk_buff *skb, bool create)
{
	struct sock *sk = NETLINK_CB(skb).sk;
	u32 portid = NETLINK_CB(skb).portid;
	struct vfpool_holder *h;

	lockdep_assert_held(&vfpool_mutex);

	spin_lock(&vfpool_holders_lock);
	hash_for_each_possible(vfpool_holders, h, hnode, portid)
		if (h->sk == sk && h->portid == portid)
			goto out;
	h = NULL;
out:
	spin_unlock(&vfpool_holders_lock);
	if (h || !create)
		return h;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return NULL;
	INIT_LIST_HEAD(&h->vfs);
	INIT_LIST_HEAD(&h->orphan_node);
	h->sk = sk;
	h->portid = portid;
	sock_hold(sk);

	spin_lock(&vfpool_holders_lock);
	hash_add(vfpool_holders, &h->hnode, portid);
	spin_unlock(&vfpool_holders_lock);
	return h;
}

/*
 * Drop a holder that holds nothing any more.  An orphaned one belongs to
 * the work, which frees it.  Caller holds vfpool_mutex.
 */
void vfpool_holder_put(struct vfpool_holder *h)
{
	bool orphaned;

	lockdep_assert_held(&vfpool_mutex);
	if (!list_empty(&h->vfs))
		return;

	spin_lock(&vfpool_holders_lock);
	orphaned = h->orphaned;
	if (!orphaned)
		hash_del(&h->hnode);
	spin_unlock(&vfpool_holders_lock);
	if (orphaned)
		return;

	sock_put(h->sk);
	kfree(h);
}

/* Is the request in @skb coming from the socket holding @vf? */
bool vfpool_holder_is(const struct vfpool_vf *vf, struct sk_buff *skb)
{
	const struct vfpool_holder *h = vf->holder;

	return h && !READ_ONCE(h->orphaned) && h->sk == NETLINK_CB(skb).sk &&
	       h->portid == NETLINK_CB(skb).portid;
}

static int vfpool_netlink_notify(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;
	struct vfpool_holder *h;
	struct hlist_node *tmp;
	bool found = false;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;

	spin_lock(&vfpool_holders_lock);
	hash_for_each_possible_safe(vfpool_holders, h, tmp, hnode, n->portid) {
		if (h->portid != n->portid || !net_eq(sock_net(h->sk), n->net) ||
		    !sock_flag(h->sk, SOCK_DEAD))
			continue;
		hash_del(&h->hnode);
		WRITE_ONCE(h->orphaned, true);
		list_add_tail(&h->orphan_node, &vfpool_orphans);
		found = true;
	}
	spin_unlock(&vfpool_holders_lock);

	if (found)
		vfpool_work_kick(0);
	return NOTIFY_DONE;
}

static struct notifier_block vfpool_netlink_nb = {
	.notifier_call = vfpool_netlink_notify,
};

/* Reset everything orphaned holders held, then retry pending resets. */
static void vfpool_work_fn(struct work_struct *work)
{
	struct vfpool_holder *h, *tmp;
	struct vfpool_vf *vf, *vtmp;
	LIST_HEAD(orphans);

	rtnl_lock();
	mutex_lock(&vfpool_mutex);

	spin_lock(&vfpool_holders_lock);
	list_splice_init(&vfpool_orphans, &orphans);
	spin_unlock(&vfpool_holders_lock);

	list_for_each_entry_safe(h, tmp, &orphans, orphan_node) {
		list_for_each_entry_safe(vf, vtmp, &h->vfs, holder_node)
			vfpool_vf_release(vf, VFPOOL_REASON_HOLDER_CLOSED);
		list_del(&h->orphan_node);
		sock_put(h->sk);
		kfree(h);
	}

	vfpool_vf_reset_pending();

	mutex_unlock(&vfpool_mutex);
	rtnl_unlock();
}

int vfpool_holder_init(void)
{
	int err;

	/* Ordered: one reset pass at a time, in the order sockets closed. */
	vfpool_wq = alloc_ordered_workqueue("vfpool", 0);
	if (!vfpool_wq)
		return -ENOMEM;

	err = netlink_register_notifier(&vfpool_netlink_nb);
	if (err)
		destroy_workqueue(vfpool_wq);
	return err;
}

/* Called after every PF was un-enrolled: no holder holds a VF any more. */
void vfpool_holder_uninit(void)
{
	struct vfpool_holder *h;
	struct hlist_node *tmp;
	int bkt;

	netlink_unregister_notifier(&vfpool_netlink_nb);
	cancel_delayed_work_sync(&vfpool_work);
	/* Orphans queued after the last PF went hold nothing: run once more. */
	vfpool_work_fn(NULL);
	destroy_workqueue(vfpool_wq);

	hash_for_each_safe(vfpool_holders, bkt, tmp, h, hnode) {
		WARN_ON(!list_empty(&h->vfs));
		hash_del(&h->hnode);
		sock_put(h->sk);
		kfree(h);
	}
}
