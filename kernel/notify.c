// SPDX-License-Identifier: GPL-2.0
/*
 * Message fill for PFs and VFs, shared by replies, dumps and the events
 * multicast on the "events" group of the PF's network namespace; and the
 * generation that tells a dump it spanned a change.
 */
#include <linux/atomic.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"
#include "vfpool.h"

/*
 * Dumps set cb->seq to this generation and flag each part built after a
 * change NLM_F_DUMP_INTR (nl_dump_check_consistent()).  It moves on every
 * change a reader can see: each event, each mutating request, a holder
 * going away (its VFs read as resetting) and each release (reserved to
 * resetting, with no event while the driver is retried).  Never 0, which
 * nl_dump_check_consistent() takes for "not set".
 */
static atomic_t vfpool_gen = ATOMIC_INIT(1);

void vfpool_changed(void)
{
	if (!atomic_inc_return(&vfpool_gen))
		atomic_inc(&vfpool_gen);
}

u32 vfpool_generation(void)
{
	return atomic_read(&vfpool_gen);
}

/*
 * What readers see: vfpool_vf_state(), and a VF beyond the device's VF
 * count is gone even before a mutation records it (reads never change
 * state, see vfpool_nl_pf()).
 */
static enum vfpool_vf_state vfpool_vf_state_show(const struct vfpool_vf *vf,
						 u32 num_vfs)
{
	return vf->index >= num_vfs ? VFPOOL_VF_STATE_GONE : vfpool_vf_state(vf);
}

static int vfpool_put_cfg(struct sk_buff *skb, const struct vfpool_cfg *c)
{
	if (nla_put(skb, VFPOOL_A_VF_MAC, ETH_ALEN, c->mac) ||
	    nla_put_u16(skb, VFPOOL_A_VF_VLAN, c->vlan) ||
	    nla_put_u8(skb, VFPOOL_A_VF_QOS, c->qos) ||
	    nla_put_u16(skb, VFPOOL_A_VF_VLAN_PROTO, ntohs(c->proto)) ||
	    nla_put_u32(skb, VFPOOL_A_VF_LINK_STATE, c->link_state) ||
	    nla_put_u32(skb, VFPOOL_A_VF_MIN_TX_RATE, c->min_rate) ||
	    nla_put_u32(skb, VFPOOL_A_VF_MAX_TX_RATE, c->max_rate))
		return -EMSGSIZE;
	if (c->mask & VFPOOL_CFG_SPOOFCHK &&
	    nla_put_u8(skb, VFPOOL_A_VF_SPOOFCHK, c->spoofchk))
		return -EMSGSIZE;
	if (c->mask & VFPOOL_CFG_TRUST &&
	    nla_put_u8(skb, VFPOOL_A_VF_TRUST, c->trust))
		return -EMSGSIZE;
	return 0;
}

int vfpool_fill_vf(struct sk_buff *skb, struct vfpool_vf *vf, u32 portid,
		   u32 seq, int flags, int cmd)
{
	enum vfpool_vf_state state = vfpool_vf_state_show(vf,
							   vfpool_pf_dev_num_vfs(vf->pf));
	struct vfpool_pf *pf = vf->pf;
	char pci[VFPOOL_PCI_ADDR_LEN];
	struct vfpool_cfg live;
	void *hdr;

	ASSERT_RTNL();
	hdr = genlmsg_put(skb, portid, seq, &vfpool_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, VFPOOL_A_VF_IFINDEX, pf->ifindex) ||
	    nla_put_string(skb, VFPOOL_A_VF_IFNAME, pf->dev->name) ||
	    nla_put_u32(skb, VFPOOL_A_VF_VF, vf->index) ||
	    nla_put_u32(skb, VFPOOL_A_VF_STATE, state))
		goto nla_put_failure;
	if (!vfpool_vf_pci_addr(vf, pci, sizeof(pci)) &&
	    nla_put_string(skb, VFPOOL_A_VF_PCI, pci))
		goto nla_put_failure;
	if (pf->pool[0] && nla_put_string(skb, VFPOOL_A_VF_POOL, pf->pool))
		goto nla_put_failure;
	if (vf->owner[0] && nla_put_string(skb, VFPOOL_A_VF_OWNER, vf->owner))
		goto nla_put_failure;
	/*
	 * A pid is only right in one pid namespace: the reader's, for a
	 * reply or dump part built in its context.  An event reaches many
	 * readers from any context (a kworker's is the init namespace), so
	 * it carries none.  0: not visible in the reader's namespace.
	 */
	if (vf->pid && portid && pid_vnr(vf->pid) &&
	    nla_put_u32(skb, VFPOOL_A_VF_PID, pid_vnr(vf->pid)))
		goto nla_put_failure;
	if (state == VFPOOL_VF_STATE_RESERVED &&
	    nla_put_u32(skb, VFPOOL_A_VF_ON_RELEASE, vf->on_release))
		goto nla_put_failure;
	if ((state == VFPOOL_VF_STATE_QUARANTINED ||
	     vf->flags & VFPOOL_VF_FLAGS_RESET_INCOMPLETE) &&
	    nla_put_s32(skb, VFPOOL_A_VF_ERROR, vf->error))
		goto nla_put_failure;
	/* Hook: holder type, linger, flags (holder.c). */
	if (vfpool_holder_fill(skb, vf, cmd))
		goto nla_put_failure;
	if ((cmd == VFPOOL_CMD_VF_RELEASED_NTF ||
	     cmd == VFPOOL_CMD_VF_QUARANTINED_NTF ||
	     cmd == VFPOOL_CMD_VF_GONE_NTF) &&
	    nla_put_u32(skb, VFPOOL_A_VF_REASON, vf->reason))
		goto nla_put_failure;
	/*
	 * The live configuration, whoever set it (ip link too): read from
	 * the driver for vf-get and dumps, from vfpool's record of it where
	 * that is certain for the reply to a change and for events (a mass
	 * release sends thousands).
	 */
	if (state != VFPOOL_VF_STATE_GONE &&
	    pf->dev->reg_state == NETREG_REGISTERED &&
	    ((cmd != VFPOOL_CMD_VF_GET && vfpool_vf_live(vf, &live)) ||
	     !vfpool_vf_read(vf, &live)) &&
	    vfpool_put_cfg(skb, &live))
		goto nla_put_failure;

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int vfpool_fill_pf(struct sk_buff *skb, struct vfpool_pf *pf, u32 portid,
		   u32 seq, int flags, int cmd)
{
	u32 count[VFPOOL_VF_STATE_ASSIGNED + 1] = {};
	u32 n = vfpool_pf_dev_num_vfs(pf);
	char pci[VFPOOL_PCI_ADDR_LEN];
	struct vfpool_vf *vf;
	void *hdr;

	vfpool_for_each_vf(pf, vf)
		count[vfpool_vf_state_show(vf, n)]++;

	hdr = genlmsg_put(skb, portid, seq, &vfpool_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VFPOOL_A_POOL_IFINDEX, pf->ifindex) ||
	    nla_put_string(skb, VFPOOL_A_POOL_IFNAME, pf->dev->name) ||
	    nla_put_u32(skb, VFPOOL_A_POOL_VF_FIRST, pf->first) ||
	    nla_put_u32(skb, VFPOOL_A_POOL_VF_LAST, pf->last) ||
	    nla_put_u32(skb, VFPOOL_A_POOL_TOTAL, vfpool_pf_nr_enrolled(pf)) ||
	    nla_put_u32(skb, VFPOOL_A_POOL_FREE, count[VFPOOL_VF_STATE_FREE]) ||
	    nla_put_u32(skb, VFPOOL_A_POOL_RESERVED,
			count[VFPOOL_VF_STATE_RESERVED] +
			count[VFPOOL_VF_STATE_RESETTING]) ||
	    nla_put_u32(skb, VFPOOL_A_POOL_QUARANTINED,
			count[VFPOOL_VF_STATE_QUARANTINED]) ||
	    nla_put_u32(skb, VFPOOL_A_POOL_GONE, count[VFPOOL_VF_STATE_GONE]) ||
	    nla_put_u32(skb, VFPOOL_A_POOL_ASSIGNED,
			count[VFPOOL_VF_STATE_ASSIGNED]))
		goto nla_put_failure;
	if (pf->pool[0] && nla_put_string(skb, VFPOOL_A_POOL_POOL, pf->pool))
		goto nla_put_failure;
	if (nla_put_u32(skb, VFPOOL_A_POOL_PARK, pf->park) ||
	    (pf->park == VFPOOL_PARK_VLAN &&
	     nla_put_u16(skb, VFPOOL_A_POOL_PARK_VLAN, pf->park_vlan)) ||
	    nla_put(skb, VFPOOL_A_POOL_PARK_MAC, ETH_ALEN, pf->park_mac))
		goto nla_put_failure;
	if (!vfpool_pf_pci_addr(pf, pci, sizeof(pci)) &&
	    nla_put_string(skb, VFPOOL_A_POOL_PCI, pci))
		goto nla_put_failure;

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * A batch: the events of a mass reset (a holder gone, release all, a PF
 * leaving) packed several to a datagram.  Delivering an event (waking
 * each listener and queueing an skb on it) costs more than building it;
 * a kill of a 2048-VF holder now sends 79 datagrams instead of 2048,
 * in the same order.  Netlink allows any number of messages per
 * datagram; listeners read them as they read a dump (mnl_cb_run(), YNL).
 * Batches nest; the outermost end sends what is pending, so events never
 * wait past the vfpool_mutex section that made them.  Events of a single
 * request still go one to a datagram, sized to the message.  All
 * protected by vfpool_mutex.
 */
static unsigned int vfpool_batch_depth;
static struct sk_buff *vfpool_batch_skb;
static struct net *vfpool_batch_net;	/* of vfpool_batch_skb */

/*
 * Cleared before the family is unregistered at module unload, when the
 * PFs' teardown still resets VFs but may no longer multicast.  Protected
 * by vfpool_mutex, which every notifier caller holds.
 */
static bool vfpool_notify_live;

void vfpool_notify_enable(bool live)
{
	mutex_lock(&vfpool_mutex);
	WARN_ON_ONCE(vfpool_batch_depth);
	vfpool_notify_live = live;
	mutex_unlock(&vfpool_mutex);
}

/*
 * The most a VF message takes (vfpool_fill_vf() and vfpool_holder_fill()):
 * the strings at their longest, the MAC, and at most 24 attributes of 4
 * bytes or less (19 today).  An event is one such message: allocating
 * NLMSG_GOODSIZE for each of a mass release's thousands of events cost more
 * than filling them, and charged each listener's receive buffer a page per
 * event.
 */
static size_t vfpool_vf_msg_size(void)
{
	return nla_total_size(IFNAMSIZ) +
	       nla_total_size(VFPOOL_PCI_ADDR_LEN) +
	       nla_total_size(VFPOOL_POOL_NAME_LEN) +
	       nla_total_size(VFPOOL_OWNER_LEN) +
	       nla_total_size(ETH_ALEN) +
	       24 * nla_total_size(sizeof(u32));
}

static void vfpool_notify_batch_send(void)
{
	if (!vfpool_batch_skb)
		return;
	genlmsg_multicast_netns(&vfpool_nl_family, vfpool_batch_net,
				vfpool_batch_skb, 0, VFPOOL_NLGRP_EVENTS,
				GFP_KERNEL);
	vfpool_batch_skb = NULL;
	vfpool_batch_net = NULL;
}

void vfpool_notify_batch_begin(void)
{
	lockdep_assert_held(&vfpool_mutex);
	vfpool_batch_depth++;
}

void vfpool_notify_batch_end(void)
{
	lockdep_assert_held(&vfpool_mutex);
	if (WARN_ON_ONCE(!vfpool_batch_depth) || --vfpool_batch_depth)
		return;
	vfpool_notify_batch_send();
}

/* Add the event to the batch, in a new datagram if it is full. */
static void vfpool_notify_batch_add(struct net *net, void *obj, int cmd,
				    int (*fill)(struct sk_buff *skb, void *obj,
						int cmd))
{
	if (vfpool_batch_skb) {
		if (net_eq(vfpool_batch_net, net) &&
		    !fill(vfpool_batch_skb, obj, cmd))
			return;
		/* Full, or for another namespace's listeners. */
		vfpool_notify_batch_send();
	}
	/*
	 * No larger than a dump's part (netlink_dump() trims it the same
	 * way): a reader whose buffer takes a dump takes a batch.
	 */
	vfpool_batch_skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!vfpool_batch_skb)
		return;
	skb_reserve(vfpool_batch_skb,
		    skb_tailroom(vfpool_batch_skb) - NLMSG_GOODSIZE);
	vfpool_batch_net = net;
	if (WARN_ON_ONCE(fill(vfpool_batch_skb, obj, cmd))) {
		nlmsg_free(vfpool_batch_skb);
		vfpool_batch_skb = NULL;
	}
}

/* Multicast the PF or VF @obj as event @cmd, if anyone listens. */
static void vfpool_notify(struct net *net, void *obj, int cmd, size_t size,
			  int (*fill)(struct sk_buff *skb, void *obj, int cmd))
{
	struct sk_buff *skb;

	lockdep_assert_held(&vfpool_mutex);
	vfpool_changed();
	if (!vfpool_notify_live ||
	    !genl_has_listeners(&vfpool_nl_family, net, VFPOOL_NLGRP_EVENTS))
		return;
	if (vfpool_batch_depth) {
		vfpool_notify_batch_add(net, obj, cmd, fill);
		return;
	}
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return;
	if (WARN_ON_ONCE(fill(skb, obj, cmd))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&vfpool_nl_family, net, skb, 0,
				VFPOOL_NLGRP_EVENTS, GFP_KERNEL);
}

static int vfpool_notify_fill_vf(struct sk_buff *skb, void *vf, int cmd)
{
	return vfpool_fill_vf(skb, vf, 0, 0, 0, cmd);
}

static int vfpool_notify_fill_pf(struct sk_buff *skb, void *pf, int cmd)
{
	return vfpool_fill_pf(skb, pf, 0, 0, 0, cmd);
}

void vfpool_notify_vf(struct vfpool_vf *vf, int cmd)
{
	vfpool_notify(vfpool_pf_net(vf->pf), vf, cmd, vfpool_vf_msg_size(),
		      vfpool_notify_fill_vf);
}

void vfpool_notify_pf(struct vfpool_pf *pf, int cmd)
{
	vfpool_notify(vfpool_pf_net(pf), pf, cmd, NLMSG_GOODSIZE,
		      vfpool_notify_fill_pf);
}
