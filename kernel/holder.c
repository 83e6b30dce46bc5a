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
 *
 * Processes can hold reservations too (process.c); this file also carries
 * what outlives any holder:
 *
 * Linger: a reservation made or bound with linger N is reset as soon as
 * its holder goes (socket closed or process exited), but stays reserved for
 * its owner label, flagged lingering, until the owner (or force) releases
 * it or N seconds pass (reason linger-expired; it is reset again then, in
 * case the owner wrote to it meanwhile).  Meanwhile nobody else can reserve
 * it: libvirt still restores the VF after QEMU exited.  A vf-bind naming
 * the owner ends the lingering and gives it a new holder.
 *
 * Pinning (lifetime rule 7 of Documentation/vfpool.rst): from reserve until
 * the VF is dropped back to free or gone, each VF holds a reference on this module, so rmmod fails
 * with "in use" instead of resetting running guests' VFs.  A quarantined
 * VF keeps its reference: it may still carry a guest's MAC.  The reference
 * is dropped only from contexts that module unload waits for (requests,
 * the work, notifiers), so no code of ours runs after the last put.
 */
#include <linux/etherdevice.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/sched.h>
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
static void vfpool_linger_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vfpool_linger_work, vfpool_linger_fn);

#define VFPOOL_LINGER_MAX	86400	/* seconds, as the spec says */
#define VFPOOL_ASSIGN_POLL	HZ	/* see assign.c */

/* Run the reset work now, or after @delay jiffies at the latest. */
void vfpool_work_kick(unsigned long delay)
{
	mod_delayed_work(vfpool_wq, &vfpool_work, delay);
}

/*
 * The holder of the request's socket, created on its first reservation;
 * no reference is counted: it lives while it holds VFs (see
 * vfpool_holder_drop_idle()).  Caller holds vfpool_mutex.  The skb's
 * socket is alive for the request.
 */
struct vfpool_holder *vfpool_holder_of_socket(struct sk_buff *skb)
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
	if (h)
		return h;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return NULL;
	h->type = VFPOOL_HOLDER_TYPE_SOCKET;
	INIT_LIST_HEAD(&h->vfs);
	INIT_LIST_HEAD(&h->orphan_node);
	INIT_LIST_HEAD(&h->proc_node);
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
void vfpool_holder_drop_idle(struct vfpool_holder *h)
{
	bool orphaned;

	lockdep_assert_held(&vfpool_mutex);
	if (h->type == VFPOOL_HOLDER_TYPE_PROCESS) {
		vfpool_process_drop_idle(h);
		return;
	}
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

	return h && h->type == VFPOOL_HOLDER_TYPE_SOCKET &&
	       !READ_ONCE(h->orphaned) && h->sk == NETLINK_CB(skb).sk &&
	       h->portid == NETLINK_CB(skb).portid;
}

/* linger from a request, checked against the spec's maximum. */
int vfpool_holder_parse_linger(struct genl_info *info, u32 *linger)
{
	struct nlattr *attr = info->attrs[VFPOOL_A_VF_LINGER];

	if (!attr)
		return 0;
	*linger = nla_get_u32(attr);
	if (*linger > VFPOOL_LINGER_MAX) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr,
					"linger must be 0..%u seconds",
					VFPOOL_LINGER_MAX);
		return -ERANGE;
	}
	return 0;
}

static int vfpool_holder_pin(struct vfpool_vf *vf, struct netlink_ext_ack *extack)
{
	if (vf->pinned)
		return 0;
	/* Fails only while the module is being unloaded. */
	if (!try_module_get(THIS_MODULE)) {
		NL_SET_ERR_MSG(extack, "vfpool is being unloaded");
		return -ESHUTDOWN;
	}
	vf->pinned = true;
	return 0;
}

/* vfpool_vf_drop(): the VF is no longer held, resetting or lingering. */
void vfpool_holder_vf_drop(struct vfpool_vf *vf)
{
	vf->linger = 0;
	vf->flags &= ~VFPOOL_VF_FLAGS_LINGERING;
	if (vf->pinned) {
		vf->pinned = false;
		module_put(THIS_MODULE);
	}
}

/*
 * Reserve @vf for the request's socket, or for the process of its pidfd;
 * pin the module for as long as the VF is held.  A refused request changes
 * nothing.  Caller holds RTNL and vfpool_mutex.
 */
int vfpool_holder_reserve(struct vfpool_vf *vf, struct sk_buff *skb,
			  struct genl_info *info, const struct vfpool_cfg *cfg,
			  const char *owner, enum vfpool_on_release on_release)
{
	struct vfpool_holder *holder;
	u32 linger = 0;
	int err;

	err = vfpool_holder_parse_linger(info, &linger);
	if (err)
		return err;
	if (info->attrs[VFPOOL_A_VF_ADOPT] &&
	    vf->state != VFPOOL_VF_STATE_ASSIGNED) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, info->attrs[VFPOOL_A_VF_ADOPT],
					"VF %u of %s is not assigned: nothing to adopt",
					vf->index, vf->pf->dev->name);
		return -EINVAL;
	}
	if (info->attrs[VFPOOL_A_VF_PIDFD]) {
		holder = vfpool_process_of_pidfd(info);
		if (IS_ERR(holder))
			return PTR_ERR(holder);
	} else {
		holder = vfpool_holder_of_socket(skb);
		if (!holder)
			return -ENOMEM;
	}
	err = vfpool_holder_pin(vf, info->extack);
	if (!err) {
		err = vfpool_vf_reserve(vf, holder, cfg, owner, on_release,
					info->extack);
		if (err)
			vfpool_holder_vf_drop(vf);
	}
	if (err) {
		vfpool_holder_drop_idle(holder);
		return err;
	}
	vf->linger = linger;
	if (info->attrs[VFPOOL_A_VF_ADOPT]) {
		/* Live config kept; a reset still returns it to zero. */
		eth_zero_addr(vf->resv->orig.mac);
		vf->resv->orig.vlan = 0;
		vf->resv->orig.qos = 0;
		vf->resv->orig.proto = htons(ETH_P_8021Q);
	}
	if (holder->type == VFPOOL_HOLDER_TYPE_PROCESS) {
		put_pid(vf->pid);
		vf->pid = get_pid(holder->proc);
	}
	return 0;
}

/*
 * Move a held (or lingering) VF to the process holder @proc, with the
 * request's linger if it gives one.  Caller holds vfpool_mutex and has
 * checked the sender may act on the VF.
 */
int vfpool_holder_bind(struct vfpool_vf *vf, struct vfpool_holder *proc,
		       struct genl_info *info)
{
	struct vfpool_holder *old = vf->holder;
	u32 linger = vf->linger;
	int err;

	lockdep_assert_held(&vfpool_mutex);
	err = vfpool_holder_parse_linger(info, &linger);
	if (err)
		return err;
	if (old != proc) {
		if (old) {
			list_del_init(&vf->holder_node);
			vfpool_holder_drop_idle(old);
		}
		vf->holder = proc;
		list_add_tail(&vf->holder_node, &proc->vfs);
		put_pid(vf->pid);
		vf->pid = get_pid(proc->proc);
	}
	vf->linger = linger;
	vf->flags &= ~VFPOOL_VF_FLAGS_LINGERING;
	return 0;
}

/* Held for its owner after the holder went, until vf->linger_until. */
static bool vfpool_vf_lingering(const struct vfpool_vf *vf)
{
	return vf->state == VFPOOL_VF_STATE_RESERVED &&
	       vf->flags & VFPOOL_VF_FLAGS_LINGERING;
}

/*
 * Arm the lifetime work for the earliest lingering VF, if any, and within
 * a second while a VF is assigned (assign.c polls for the end of its use).
 */
static void vfpool_linger_arm(void)
{
	unsigned long next = 0, at;
	bool pending = false;
	struct vfpool_pf *pf;
	struct vfpool_vf *vf;

	vfpool_for_each_pf(pf) {
		vfpool_for_each_vf(pf, vf) {
			if (vf->state == VFPOOL_VF_STATE_ASSIGNED)
				at = jiffies + VFPOOL_ASSIGN_POLL;
			else if (vfpool_vf_lingering(vf))
				at = vf->linger_until;
			else
				continue;
			if (!pending || time_before(at, next))
				next = at;
			pending = true;
		}
	}
	if (pending)
		mod_delayed_work(vfpool_wq, &vfpool_linger_work,
				 time_after(next, jiffies) ? next - jiffies : 0);
}

/*
 * Called by a reset that has just landed.  If the holder went away from a
 * reservation with linger, keep the VF reserved for its owner: returns true
 * and the caller leaves it alone.
 */
bool vfpool_holder_linger_start(struct vfpool_vf *vf)
{
	if (!vf->linger || vf->flags & VFPOOL_VF_FLAGS_LINGERING ||
	    (vf->reason != VFPOOL_REASON_HOLDER_CLOSED &&
	     vf->reason != VFPOOL_REASON_PROCESS_EXITED))
		return false;
	vfpool_vf_set_state(vf, VFPOOL_VF_STATE_RESERVED);
	vf->flags |= VFPOOL_VF_FLAGS_LINGERING;
	vf->linger_until = jiffies + vf->linger * HZ;
	vfpool_notify_vf(vf, VFPOOL_CMD_VF_RESET_NTF);
	vfpool_linger_arm();
	return true;
}

static void vfpool_linger_fn(struct work_struct *work)
{
	struct vfpool_pf *pf;
	struct vfpool_vf *vf;

	rtnl_lock();
	mutex_lock(&vfpool_mutex);
	vfpool_notify_batch_begin();
	vfpool_for_each_pf(pf) {
		vfpool_for_each_vf(pf, vf) {
			if (!vfpool_vf_lingering(vf) ||
			    time_before(jiffies, vf->linger_until))
				continue;
			/* Reset again: the owner may have written to it. */
			vf->flags &= ~VFPOOL_VF_FLAGS_LINGERING;
			vfpool_vf_release(vf, VFPOOL_REASON_LINGER_EXPIRED);
		}
	}
	vfpool_assign_poll();
	vfpool_linger_arm();
	vfpool_notify_batch_end();
	vfpool_pf_flush();
	mutex_unlock(&vfpool_mutex);
	rtnl_unlock();
}

/* Enrollment found @vf in use by a guest: leave it be, watch for the end. */
void vfpool_holder_assigned(struct vfpool_vf *vf)
{
	vf->state = VFPOOL_VF_STATE_ASSIGNED;
	mod_delayed_work(vfpool_wq, &vfpool_linger_work, VFPOOL_ASSIGN_POLL);
}

/* The lifetime attributes of vf-get and events. */
int vfpool_holder_fill(struct sk_buff *skb, const struct vfpool_vf *vf,
		       int cmd)
{
	if (cmd == VFPOOL_CMD_VF_RESET_NTF &&
	    nla_put_u32(skb, VFPOOL_A_VF_REASON, vf->reason))
		return -EMSGSIZE;
	if (vf->holder &&
	    nla_put_u32(skb, VFPOOL_A_VF_HOLDER, vf->holder->type))
		return -EMSGSIZE;
	if (vf->linger && nla_put_u32(skb, VFPOOL_A_VF_LINGER, vf->linger))
		return -EMSGSIZE;
	if (vf->flags && nla_put_u32(skb, VFPOOL_A_VF_FLAGS, vf->flags))
		return -EMSGSIZE;
	return 0;
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
		/* Its VFs read as resetting from now on. */
		vfpool_changed();
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

/*
 * Reset everything orphaned holders and exited processes held, then retry
 * pending resets.
 */
static void vfpool_work_fn(struct work_struct *work)
{
	struct vfpool_holder *h, *tmp;
	struct vfpool_vf *vf, *vtmp;
	LIST_HEAD(orphans);

	rtnl_lock();
	mutex_lock(&vfpool_mutex);
	vfpool_notify_batch_begin();

	spin_lock(&vfpool_holders_lock);
	list_splice_init(&vfpool_orphans, &orphans);
	spin_unlock(&vfpool_holders_lock);

	list_for_each_entry_safe(h, tmp, &orphans, orphan_node) {
		list_for_each_entry_safe(vf, vtmp, &h->vfs, holder_node) {
			vfpool_vf_release(vf, VFPOOL_REASON_HOLDER_CLOSED);
			/* Thousands of driver writes under RTNL. */
			cond_resched();
		}
		list_del(&h->orphan_node);
		sock_put(h->sk);
		kfree(h);
	}

	vfpool_process_reap();
	vfpool_vf_reset_pending();

	vfpool_notify_batch_end();
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
	/* No process wake-up may kick the work once it is gone. */
	vfpool_process_uninit();
	cancel_delayed_work_sync(&vfpool_work);
	cancel_delayed_work_sync(&vfpool_linger_work);
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
