// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink handlers.  The policies and the ops table are generated
 * from Documentation/netlink/specs/vfpool.yaml into netlink-gen.c, so types,
 * lengths and ranges are checked before a handler runs.  Each handler goes:
 * check permission, parse, look up under RTNL and vfpool_mutex, act through
 * vf.c / pool.c, fill the reply, notify.  Every error names the attribute.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "vfpool.h"

static const char *const vfpool_state_names[] = {
	[VFPOOL_VF_STATE_FREE]		= "free",
	[VFPOOL_VF_STATE_RESERVED]	= "reserved",
	[VFPOOL_VF_STATE_RESETTING]	= "being reset",
	[VFPOOL_VF_STATE_QUARANTINED]	= "quarantined",
	[VFPOOL_VF_STATE_GONE]		= "gone",
	[VFPOOL_VF_STATE_ASSIGNED]	= "assigned (in use by a guest)",
};

/*
 * Mutations need CAP_NET_ADMIN in the user namespace owning the caller's
 * (and so the PF's) network namespace, as GENL_UNS_ADMIN_PERM would check.
 */
static int vfpool_nl_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_ns_capable(skb, genl_info_net(info)->user_ns, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "CAP_NET_ADMIN over the PF's network namespace is required");
	return -EPERM;
}

/*
 * The PF's net_device by ifindex or ifname, in the caller's netns; NULL if
 * neither is given and the PF is optional.
 */
static struct net_device *vfpool_nl_dev(struct net *net, struct nlattr **tb,
					int a_ifindex, int a_ifname, bool required,
					struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	ASSERT_RTNL();
	if (tb[a_ifindex]) {
		dev = __dev_get_by_index(net, nla_get_u32(tb[a_ifindex]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, tb[a_ifindex],
					    "no device with this ifindex");
			return ERR_PTR(-ENODEV);
		}
		if (tb[a_ifname] && nla_strcmp(tb[a_ifname], dev->name)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[a_ifname],
					    "ifname and ifindex name different devices");
			return ERR_PTR(-EINVAL);
		}
		return dev;
	}
	if (tb[a_ifname]) {
		dev = __dev_get_by_name(net, nla_data(tb[a_ifname]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, tb[a_ifname],
						"no device named %s",
						(char *)nla_data(tb[a_ifname]));
			return ERR_PTR(-ENODEV);
		}
		return dev;
	}
	if (!required)
		return NULL;
	NL_SET_ERR_ATTR_MISS(extack, NULL, a_ifindex);
	NL_SET_ERR_MSG(extack, "PF required: ifindex or ifname");
	return ERR_PTR(-EINVAL);
}

/*
 * The enrollment a request names.  @refresh (mutations only) first brings
 * the VF states up to the device's VF count; a read never does, as that
 * may write to VFs coming back and send events.
 */
static struct vfpool_pf *vfpool_nl_pf(struct net *net, struct nlattr **tb,
				      int a_ifindex, int a_ifname, bool required,
				      bool refresh, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct vfpool_pf *pf;

	dev = vfpool_nl_dev(net, tb, a_ifindex, a_ifname, required, extack);
	if (IS_ERR_OR_NULL(dev))
		return ERR_CAST(dev);
	pf = vfpool_pf_of_netdev(dev);
	if (!pf) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, tb[a_ifindex] ?: tb[a_ifname],
					"%s is not enrolled in vfpool", dev->name);
		return ERR_PTR(-ENOENT);
	}
	if (refresh)
		vfpool_pf_refresh(pf);
	return pf;
}

/* The VF named by vf or pci on @pf. */
static struct vfpool_vf *vfpool_nl_vf(struct vfpool_pf *pf,
				      struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct vfpool_vf *vf;

	if (tb[VFPOOL_A_VF_VF]) {
		u32 idx = nla_get_u32(tb[VFPOOL_A_VF_VF]);

		vf = vfpool_pf_vf(pf, idx);
		if (!vf)
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[VFPOOL_A_VF_VF],
						"VF %u of %s is not enrolled (enrolled: %u-%u)",
						idx, pf->dev->name, pf->first,
						pf->last);
	} else if (tb[VFPOOL_A_VF_PCI]) {
		vf = vfpool_pf_vf_by_pci(pf, nla_data(tb[VFPOOL_A_VF_PCI]));
		if (!vf)
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[VFPOOL_A_VF_PCI],
						"no enrolled VF of %s at PCI address %s",
						pf->dev->name,
						(char *)nla_data(tb[VFPOOL_A_VF_PCI]));
	} else {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, VFPOOL_A_VF_VF);
		NL_SET_ERR_MSG(info->extack, "VF required: vf or pci");
		return ERR_PTR(-EINVAL);
	}
	return vf ?: ERR_PTR(-ENOENT);
}

/* The enrolled VF a request names: PF (ifindex or ifname) and vf or pci. */
static struct vfpool_vf *vfpool_nl_pf_vf(struct genl_info *info, bool refresh)
{
	struct vfpool_pf *pf;

	pf = vfpool_nl_pf(genl_info_net(info), info->attrs, VFPOOL_A_VF_IFINDEX,
			  VFPOOL_A_VF_IFNAME, true, refresh, info->extack);
	if (IS_ERR(pf))
		return ERR_CAST(pf);
	return vfpool_nl_vf(pf, info);
}

/*
 * Owner labels and pool names are printable: control bytes would forge
 * lines in vfpoolctl output, logs and pools.conf.  Bytes from 0x80 are
 * allowed (UTF-8 names).  An owner label is also never empty: an empty one
 * would match every unlabeled reservation (an empty pool name means none).
 */
static int vfpool_nl_text_ok(const struct nlattr *attr, const char *what,
			     bool empty_ok, struct netlink_ext_ack *extack)
{
	const char *o;
	size_t i, len;

	if (!attr)
		return 0;
	o = nla_data(attr);
	len = strnlen(o, nla_len(attr));
	if (!len && !empty_ok) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attr, "%s must not be empty",
					what);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if ((u8)o[i] < 0x20 || o[i] == 0x7f) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
						"%s must be printable (byte %zu is 0x%02x)",
						what, i, (u8)o[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static int vfpool_nl_owner_ok(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	return vfpool_nl_text_ok(attr, "owner", false, extack);
}

static void vfpool_nl_lock(void)
{
	rtnl_lock();
	mutex_lock(&vfpool_mutex);
}

static void vfpool_nl_unlock(void)
{
	vfpool_pf_flush();
	mutex_unlock(&vfpool_mutex);
	rtnl_unlock();
}

/*
 * Run @act under RTNL and vfpool_mutex and reply with the VF (or PF) it
 * returns.  The reply is allocated first, so that an action is never left
 * unreported for want of memory.
 */
static int vfpool_nl_act_reply(struct sk_buff *skb, struct genl_info *info,
			       void *(*act)(struct sk_buff *skb,
					    struct genl_info *info),
			       bool is_vf)
{
	struct sk_buff *msg;
	void *obj;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	vfpool_nl_lock();
	obj = act(skb, info);
	if (IS_ERR(obj))
		err = PTR_ERR(obj);
	else if (is_vf)
		err = vfpool_fill_vf(msg, obj, info->snd_portid, info->snd_seq,
				     0, info->genlhdr->cmd);
	else
		err = vfpool_fill_pf(msg, obj, info->snd_portid, info->snd_seq,
				     0, info->genlhdr->cmd);
	vfpool_nl_unlock();

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int vfpool_nl_parse_cfg(struct genl_info *info, struct vfpool_cfg *c)
{
	struct nlattr **tb = info->attrs;

	memset(c, 0, sizeof(*c));
	if (tb[VFPOOL_A_VF_MAC]) {
		nla_memcpy(c->mac, tb[VFPOOL_A_VF_MAC], ETH_ALEN);
		/*
		 * A reservation's MAC is what the guest will use: multicast
		 * and all-zero (what a reset writes) are refused.
		 */
		if (!is_valid_ether_addr(c->mac)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[VFPOOL_A_VF_MAC],
					    "mac must be a unicast address, not 00:00:00:00:00:00");
			return -EINVAL;
		}
		c->mask |= VFPOOL_CFG_MAC;
	}
	if (tb[VFPOOL_A_VF_VLAN]) {
		c->vlan = nla_get_u16(tb[VFPOOL_A_VF_VLAN]);
		c->proto = htons(ETH_P_8021Q);
		c->mask |= VFPOOL_CFG_VLAN;
	} else if (tb[VFPOOL_A_VF_QOS] || tb[VFPOOL_A_VF_VLAN_PROTO]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[VFPOOL_A_VF_QOS] ?: tb[VFPOOL_A_VF_VLAN_PROTO],
				    "qos and vlan-proto need vlan");
		return -EINVAL;
	}
	if (tb[VFPOOL_A_VF_QOS])
		c->qos = nla_get_u8(tb[VFPOOL_A_VF_QOS]);
	if (tb[VFPOOL_A_VF_VLAN_PROTO]) {
		u16 proto = nla_get_u16(tb[VFPOOL_A_VF_VLAN_PROTO]);

		if (proto != ETH_P_8021Q && proto != ETH_P_8021AD) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[VFPOOL_A_VF_VLAN_PROTO],
					    "vlan-proto must be 0x8100 (802.1Q) or 0x88a8 (802.1ad)");
			return -EPROTONOSUPPORT;
		}
		c->proto = htons(proto);
	}
	if (tb[VFPOOL_A_VF_SPOOFCHK]) {
		c->spoofchk = nla_get_u8(tb[VFPOOL_A_VF_SPOOFCHK]);
		c->mask |= VFPOOL_CFG_SPOOFCHK;
	}
	if (tb[VFPOOL_A_VF_TRUST]) {
		c->trust = nla_get_u8(tb[VFPOOL_A_VF_TRUST]);
		c->mask |= VFPOOL_CFG_TRUST;
	}
	if (tb[VFPOOL_A_VF_LINK_STATE]) {
		c->link_state = nla_get_u32(tb[VFPOOL_A_VF_LINK_STATE]);
		c->mask |= VFPOOL_CFG_LINK_STATE;
	}
	if (tb[VFPOOL_A_VF_MIN_TX_RATE] || tb[VFPOOL_A_VF_MAX_TX_RATE]) {
		c->min_rate = tb[VFPOOL_A_VF_MIN_TX_RATE] ?
			nla_get_u32(tb[VFPOOL_A_VF_MIN_TX_RATE]) : VFPOOL_RATE_KEEP;
		c->max_rate = tb[VFPOOL_A_VF_MAX_TX_RATE] ?
			nla_get_u32(tb[VFPOOL_A_VF_MAX_TX_RATE]) : VFPOOL_RATE_KEEP;
		c->mask |= VFPOOL_CFG_RATE;
	}
	return 0;
}

/* Two VFs of one device must not share a MAC: its switch cannot. */
static int vfpool_nl_check_mac(struct vfpool_vf *vf, const struct vfpool_cfg *c,
			       struct genl_info *info)
{
	const struct vfpool_vf *o;

	if (!(c->mask & VFPOOL_CFG_MAC))
		return 0;
	o = vfpool_vf_mac_in_use(vf, c->mac);
	if (!o)
		return 0;
	NL_SET_ERR_MSG_ATTR_FMT(info->extack, info->attrs[VFPOOL_A_VF_MAC],
				"mac %pM is in use by VF %u of %s (%s)", c->mac,
				o->index, vf->pf->dev->name,
				vfpool_state_names[o->state]);
	return -EADDRINUSE;
}

/* Why @vf cannot be reserved, or 0. */
static int vfpool_nl_vf_busy(struct vfpool_vf *vf, struct genl_info *info,
			     struct nlattr *attr)
{
	if (vf->state == VFPOOL_VF_STATE_FREE)
		return 0;
	/* Hook: adopt takes over an assigned VF (holder.c, assign.c). */
	if (vf->state == VFPOOL_VF_STATE_ASSIGNED &&
	    info->attrs[VFPOOL_A_VF_ADOPT])
		return 0;
	if (vf->state == VFPOOL_VF_STATE_RESERVED && vf->owner[0])
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr,
					"VF %u of %s is held by %s", vf->index,
					vf->pf->dev->name, vf->owner);
	else
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr, "VF %u of %s is %s",
					vf->index, vf->pf->dev->name,
					vfpool_state_names[vf->state]);
	return vf->state == VFPOOL_VF_STATE_GONE ? -ENODEV : -EBUSY;
}

static struct vfpool_vf *vfpool_nl_first_free(struct vfpool_pf *pf)
{
	u32 i;

	for (i = 0; i < vfpool_pf_nvfs(pf); i++)
		if (pf->vfs[i].state == VFPOOL_VF_STATE_FREE)
			return &pf->vfs[i];
	return NULL;
}

/* Choose the VF a vf-reserve request asks for. */
static struct vfpool_vf *vfpool_nl_reserve_pick(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr **tb = info->attrs;
	struct vfpool_vf *vf = NULL;
	struct vfpool_pf *pf;
	int err;

	pf = vfpool_nl_pf(net, tb, VFPOOL_A_VF_IFINDEX, VFPOOL_A_VF_IFNAME,
			  false, true, info->extack);
	if (IS_ERR(pf))
		return ERR_CAST(pf);

	if (pf && tb[VFPOOL_A_VF_POOL] &&
	    nla_strcmp(tb[VFPOOL_A_VF_POOL], pf->pool)) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[VFPOOL_A_VF_POOL],
					"%s is not in pool %s", pf->dev->name,
					(char *)nla_data(tb[VFPOOL_A_VF_POOL]));
		return ERR_PTR(-ENOENT);
	}

	if (pf && (tb[VFPOOL_A_VF_VF] || tb[VFPOOL_A_VF_PCI])) {
		vf = vfpool_nl_vf(pf, info);
		if (IS_ERR(vf))
			return vf;
		err = vfpool_nl_vf_busy(vf, info, tb[VFPOOL_A_VF_VF] ?:
						     tb[VFPOOL_A_VF_PCI]);
		return err ? ERR_PTR(err) : vf;
	}
	if (pf) {
		vf = vfpool_nl_first_free(pf);
		if (!vf)
			NL_SET_ERR_MSG_ATTR_FMT(info->extack,
						tb[VFPOOL_A_VF_IFINDEX] ?:
						tb[VFPOOL_A_VF_IFNAME],
						"no free VF on %s", pf->dev->name);
		return vf ?: ERR_PTR(-ENOSPC);
	}

	if (tb[VFPOOL_A_VF_VF]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VFPOOL_A_VF_VF],
				    "vf needs a PF (ifindex or ifname)");
		return ERR_PTR(-EINVAL);
	}
	if (!tb[VFPOOL_A_VF_POOL] && !tb[VFPOOL_A_VF_PCI]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, VFPOOL_A_VF_IFINDEX);
		NL_SET_ERR_MSG(info->extack,
			       "a PF (ifindex or ifname), a pool or a pci address is required");
		return ERR_PTR(-EINVAL);
	}

	/* By pool and/or PCI address, across the caller's enrolled PFs. */
	list_for_each_entry(pf, &vfpool_pfs, node) {
		if (!net_eq(vfpool_pf_net(pf), net))
			continue;
		if (tb[VFPOOL_A_VF_POOL] &&
		    nla_strcmp(tb[VFPOOL_A_VF_POOL], pf->pool))
			continue;
		vfpool_pf_refresh(pf);
		if (tb[VFPOOL_A_VF_PCI]) {
			vf = vfpool_pf_vf_by_pci(pf, nla_data(tb[VFPOOL_A_VF_PCI]));
			if (!vf)
				continue;
			err = vfpool_nl_vf_busy(vf, info, tb[VFPOOL_A_VF_PCI]);
			return err ? ERR_PTR(err) : vf;
		}
		vf = vfpool_nl_first_free(pf);
		if (vf)
			return vf;
	}
	if (tb[VFPOOL_A_VF_PCI]) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[VFPOOL_A_VF_PCI],
					"no enrolled VF at PCI address %s",
					(char *)nla_data(tb[VFPOOL_A_VF_PCI]));
		return ERR_PTR(-ENOENT);
	}
	NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[VFPOOL_A_VF_POOL],
				"no free VF in pool %s",
				(char *)nla_data(tb[VFPOOL_A_VF_POOL]));
	return ERR_PTR(-ENOSPC);
}

static void *vfpool_nl_vf_reserve(struct sk_buff *skb, struct genl_info *info)
{
	enum vfpool_on_release on_release = VFPOOL_ON_RELEASE_RESET;
	struct nlattr **tb = info->attrs;
	const char *owner = "";
	struct vfpool_cfg cfg;
	struct vfpool_vf *vf;
	int err;

	err = vfpool_nl_parse_cfg(info, &cfg) ?:
	      vfpool_nl_owner_ok(tb[VFPOOL_A_VF_OWNER], info->extack);
	if (err)
		return ERR_PTR(err);
	if (tb[VFPOOL_A_VF_OWNER])
		owner = nla_data(tb[VFPOOL_A_VF_OWNER]);
	if (tb[VFPOOL_A_VF_ON_RELEASE])
		on_release = nla_get_u32(tb[VFPOOL_A_VF_ON_RELEASE]);

	vf = vfpool_nl_reserve_pick(info);
	if (IS_ERR(vf))
		return vf;
	err = vfpool_nl_check_mac(vf, &cfg, info);
	if (err)
		return ERR_PTR(err);

	/* Hook: socket or process (pidfd) holder, linger, pinning. */
	err = vfpool_holder_reserve(vf, skb, info, &cfg, owner, on_release);
	if (err)
		return ERR_PTR(err);
	vfpool_notify_vf(vf, VFPOOL_CMD_VF_RESERVED_NTF);
	return vf;
}

int vfpool_nl_vf_reserve_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = vfpool_nl_admin(skb, info);

	return err ?: vfpool_nl_act_reply(skb, info, vfpool_nl_vf_reserve, true);
}

/*
 * May the sender act on a reserved VF?  Its holder may; anyone else must
 * name the owner label or say force.  Returns the reason to report.
 */
static int vfpool_nl_may_act(struct sk_buff *skb, struct genl_info *info,
			     struct vfpool_vf *vf, enum vfpool_reason *reason)
{
	struct nlattr **tb = info->attrs;

	if (vfpool_holder_is(vf, skb)) {
		*reason = VFPOOL_REASON_RELEASED;
		return 0;
	}
	if (tb[VFPOOL_A_VF_OWNER]) {
		if (!nla_strcmp(tb[VFPOOL_A_VF_OWNER], vf->owner)) {
			*reason = VFPOOL_REASON_OWNER;
			return 0;
		}
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[VFPOOL_A_VF_OWNER],
					"VF %u of %s is held by %s, not by this owner",
					vf->index, vf->pf->dev->name,
					vf->owner[0] ? vf->owner : "an unnamed owner");
		return -EPERM;
	}
	if (tb[VFPOOL_A_VF_FORCE]) {
		*reason = VFPOOL_REASON_FORCE;
		return 0;
	}
	NL_SET_ERR_MSG_FMT(info->extack,
			   "VF %u of %s is held by %s: name its owner or use force",
			   vf->index, vf->pf->dev->name,
			   vf->owner[0] ? vf->owner : "another socket");
	return -EPERM;
}

/* A reserved VF, not one whose holder is gone and that is being reset. */
static bool vfpool_nl_vf_held(const struct vfpool_vf *vf)
{
	return vf->state == VFPOOL_VF_STATE_RESERVED &&
	       !(vf->holder && READ_ONCE(vf->holder->orphaned));
}

static int vfpool_nl_not_held(struct vfpool_vf *vf, struct genl_info *info)
{
	enum vfpool_vf_state state = vf->state;

	if (state == VFPOOL_VF_STATE_RESERVED)
		state = VFPOOL_VF_STATE_RESETTING;
	NL_SET_ERR_MSG_ATTR_FMT(info->extack,
				info->attrs[VFPOOL_A_VF_VF] ?: info->attrs[VFPOOL_A_VF_PCI],
				"VF %u of %s is %s, not reserved", vf->index,
				vf->pf->dev->name, vfpool_state_names[state]);
	return -ENOENT;
}

static void *vfpool_nl_vf_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	enum vfpool_reason reason;
	struct vfpool_cfg cfg;
	struct vfpool_vf *vf;
	int err;

	err = vfpool_nl_parse_cfg(info, &cfg) ?:
	      vfpool_nl_owner_ok(tb[VFPOOL_A_VF_OWNER], info->extack);
	if (err)
		return ERR_PTR(err);
	vf = vfpool_nl_pf_vf(info, true);
	if (IS_ERR(vf))
		return vf;
	if (!vfpool_nl_vf_held(vf))
		return ERR_PTR(vfpool_nl_not_held(vf, info));
	err = vfpool_nl_may_act(skb, info, vf, &reason);
	if (!err)
		err = vfpool_nl_check_mac(vf, &cfg, info);
	if (!err && cfg.mask)
		err = vfpool_vf_set(vf, &cfg, info->extack);
	if (err)
		return ERR_PTR(err);

	if (tb[VFPOOL_A_VF_ON_RELEASE])
		vf->on_release = nla_get_u32(tb[VFPOOL_A_VF_ON_RELEASE]);
	/* As ethtool does: no event for a request that changed nothing. */
	if (cfg.mask || tb[VFPOOL_A_VF_ON_RELEASE])
		vfpool_notify_vf(vf, VFPOOL_CMD_VF_CHANGED_NTF);
	return vf;
}

int vfpool_nl_vf_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = vfpool_nl_admin(skb, info);

	return err ?: vfpool_nl_act_reply(skb, info, vfpool_nl_vf_set, true);
}

/*
 * Rule 5, never silent: a release whose reset quarantined the VF fails
 * with EIO and says why, though the reservation did end.
 */
static int vfpool_nl_released(struct vfpool_vf *vf, struct genl_info *info)
{
	if (vf->state != VFPOOL_VF_STATE_QUARANTINED)
		return 0;
	NL_SET_ERR_MSG_ATTR_FMT(info->extack,
				info->attrs[VFPOOL_A_VF_VF] ?: info->attrs[VFPOOL_A_VF_PCI] ?:
				info->attrs[VFPOOL_A_VF_OWNER],
				"VF %u of %s released but quarantined: the driver refused its reset (%d)",
				vf->index, vf->pf->dev->name, vf->error);
	return -EIO;
}

static int vfpool_nl_release_one(struct sk_buff *skb, struct genl_info *info,
				 struct vfpool_vf *vf)
{
	enum vfpool_reason reason;
	int err;

	if (vfpool_nl_vf_held(vf)) {
		err = vfpool_nl_may_act(skb, info, vf, &reason);
		if (!err) {
			vfpool_vf_release(vf, reason);
			err = vfpool_nl_released(vf, info);
		}
		return err;
	}
	if (vf->state != VFPOOL_VF_STATE_QUARANTINED)
		return vfpool_nl_not_held(vf, info);
	if (!info->attrs[VFPOOL_A_VF_FORCE]) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack,
					info->attrs[VFPOOL_A_VF_VF] ?: info->attrs[VFPOOL_A_VF_PCI],
					"VF %u of %s is quarantined (error %d): release with force",
					vf->index, vf->pf->dev->name, vf->error);
		return -EBUSY;
	}
	vfpool_vf_release(vf, VFPOOL_REASON_FORCE);
	return vfpool_nl_released(vf, info);
}

/* Release every VF of the caller's netns carrying the owner label. */
static int vfpool_nl_release_owner(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[VFPOOL_A_VF_OWNER];
	bool force = info->attrs[VFPOOL_A_VF_FORCE];
	struct net *net = genl_info_net(info);
	struct vfpool_vf *failed = NULL;
	struct vfpool_pf *pf;
	unsigned int n = 0;
	u32 i;

	list_for_each_entry(pf, &vfpool_pfs, node) {
		if (!net_eq(vfpool_pf_net(pf), net))
			continue;
		vfpool_pf_refresh(pf);
		for (i = 0; i < vfpool_pf_nvfs(pf); i++) {
			struct vfpool_vf *vf = &pf->vfs[i];

			if (nla_strcmp(attr, vf->owner))
				continue;
			if (vfpool_nl_vf_held(vf)) {
				vfpool_vf_release(vf, vfpool_holder_is(vf, skb) ?
						  VFPOOL_REASON_RELEASED :
						  VFPOOL_REASON_OWNER);
			} else if (force &&
				   vf->state == VFPOOL_VF_STATE_QUARANTINED) {
				vfpool_vf_release(vf, VFPOOL_REASON_FORCE);
			} else {
				continue;
			}
			n++;
			if (!failed && vf->state == VFPOOL_VF_STATE_QUARANTINED)
				failed = vf;
		}
	}
	if (failed)
		return vfpool_nl_released(failed, info);
	if (!n) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr,
					"no VF is held by owner %s",
					(char *)nla_data(attr));
		return -ENOENT;
	}
	return 0;
}

/*
 * Release all: every reservation in the caller's netns that its socket
 * holds or, with force, every one (lingering and quarantined VFs too), so
 * that nothing pins the module any more.
 */
static int vfpool_nl_release_all(struct sk_buff *skb, struct genl_info *info)
{
	bool force = info->attrs[VFPOOL_A_VF_FORCE];
	struct net *net = genl_info_net(info);
	struct vfpool_pf *pf;
	u32 i;

	if (info->attrs[VFPOOL_A_VF_IFINDEX] || info->attrs[VFPOOL_A_VF_IFNAME] ||
	    info->attrs[VFPOOL_A_VF_VF] || info->attrs[VFPOOL_A_VF_PCI] ||
	    info->attrs[VFPOOL_A_VF_OWNER]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VFPOOL_A_VF_ALL],
				    "all excludes a PF, vf, pci and owner");
		return -EINVAL;
	}
	list_for_each_entry(pf, &vfpool_pfs, node) {
		if (!net_eq(vfpool_pf_net(pf), net))
			continue;
		vfpool_pf_refresh(pf);
		for (i = 0; i < vfpool_pf_nvfs(pf); i++) {
			struct vfpool_vf *vf = &pf->vfs[i];

			if (vfpool_nl_vf_held(vf) && vfpool_holder_is(vf, skb))
				vfpool_vf_release(vf, VFPOOL_REASON_RELEASED);
			else if (force && (vfpool_nl_vf_held(vf) ||
					   vf->state == VFPOOL_VF_STATE_QUARANTINED))
				vfpool_vf_release(vf, VFPOOL_REASON_FORCE);
		}
	}
	return 0;
}

int vfpool_nl_vf_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct vfpool_vf *vf;
	int err;

	err = vfpool_nl_admin(skb, info) ?:
	      vfpool_nl_owner_ok(tb[VFPOOL_A_VF_OWNER], info->extack);
	if (err)
		return err;

	vfpool_nl_lock();
	if (tb[VFPOOL_A_VF_ALL]) {
		err = vfpool_nl_release_all(skb, info);
	} else if (!tb[VFPOOL_A_VF_IFINDEX] && !tb[VFPOOL_A_VF_IFNAME] &&
	    tb[VFPOOL_A_VF_OWNER] && !tb[VFPOOL_A_VF_VF] && !tb[VFPOOL_A_VF_PCI]) {
		err = vfpool_nl_release_owner(skb, info);
	} else {
		vf = vfpool_nl_pf_vf(info, true);
		err = IS_ERR(vf) ? PTR_ERR(vf) : vfpool_nl_release_one(skb, info, vf);
	}
	vfpool_nl_unlock();
	return err;
}

static void *vfpool_nl_vf_get(struct sk_buff *skb, struct genl_info *info)
{
	return vfpool_nl_pf_vf(info, false);
}

int vfpool_nl_vf_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vfpool_compat_check_do(info) ?:
	       vfpool_nl_act_reply(skb, info, vfpool_nl_vf_get, true);
}

/*
 * Dumps emit one message per VF, resuming from cb->args: [0] the id of the
 * PF being dumped, [1] the next VF offset in it, [2] the PF ifindex filter.
 * PFs are listed in enrollment order, and ids only grow, so a PF enrolled
 * or removed between two parts neither repeats nor hides another.
 */
int vfpool_nl_vf_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **tb = vfpool_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct vfpool_pf *pf;
	int err = 0;
	u32 i;

	err = vfpool_compat_check_dump(cb) ?:
	      vfpool_nl_owner_ok(tb[VFPOOL_A_VF_OWNER], cb->extack);
	if (err)
		return err;
	vfpool_nl_lock();
	if (!cb->args[2] && (tb[VFPOOL_A_VF_IFINDEX] || tb[VFPOOL_A_VF_IFNAME])) {
		pf = vfpool_nl_pf(net, tb, VFPOOL_A_VF_IFINDEX,
				  VFPOOL_A_VF_IFNAME, true, false, cb->extack);
		if (IS_ERR(pf)) {
			err = PTR_ERR(pf);
			goto out_unlock;
		}
		cb->args[2] = pf->ifindex;
	}

	list_for_each_entry(pf, &vfpool_pfs, node) {
		if (pf->id < cb->args[0] || !net_eq(vfpool_pf_net(pf), net))
			continue;
		if (cb->args[2] && pf->ifindex != cb->args[2])
			continue;
		if (tb[VFPOOL_A_VF_POOL] && nla_strcmp(tb[VFPOOL_A_VF_POOL], pf->pool))
			continue;
		if (pf->id != cb->args[0]) {
			cb->args[0] = pf->id;
			cb->args[1] = 0;
		}
		for (i = cb->args[1]; i < vfpool_pf_nvfs(pf); i++) {
			struct vfpool_vf *vf = &pf->vfs[i];

			if (tb[VFPOOL_A_VF_OWNER] &&
			    nla_strcmp(tb[VFPOOL_A_VF_OWNER], vf->owner))
				continue;
			err = vfpool_fill_vf(skb, vf, NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI,
					     VFPOOL_CMD_VF_GET);
			if (err) {
				cb->args[1] = i;
				goto out_unlock;
			}
		}
		cb->args[1] = i;
	}
out_unlock:
	vfpool_nl_unlock();
	/* A full skb is not an error: the dump goes on in the next part. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static void *vfpool_nl_pool_get(struct sk_buff *skb, struct genl_info *info)
{
	return vfpool_nl_pf(genl_info_net(info), info->attrs,
			    VFPOOL_A_POOL_IFINDEX, VFPOOL_A_POOL_IFNAME, true,
			    false, info->extack);
}

int vfpool_nl_pool_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vfpool_compat_check_do(info) ?:
	       vfpool_nl_act_reply(skb, info, vfpool_nl_pool_get, false);
}

int vfpool_nl_pool_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct vfpool_pf *pf;
	int err;

	err = vfpool_compat_check_dump(cb);
	if (err)
		return err;
	vfpool_nl_lock();
	list_for_each_entry(pf, &vfpool_pfs, node) {
		if (pf->id <= cb->args[0] || !net_eq(vfpool_pf_net(pf), net))
			continue;
		err = vfpool_fill_pf(skb, pf, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     VFPOOL_CMD_POOL_GET);
		if (err)
			break;
		cb->args[0] = pf->id;
	}
	vfpool_nl_unlock();
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* A PF's park settings as a pool-add or pool-set request gives them. */
struct vfpool_nl_park {
	enum vfpool_park park;
	u16 vlan;
	u8 mac[ETH_ALEN];
};

/*
 * Check the park attributes of @info on top of @p (the current settings,
 * or the defaults) and write them into @p.  Nothing is applied here, so a
 * refused request changes nothing.
 */
static int vfpool_nl_parse_park(struct genl_info *info, struct vfpool_nl_park *p)
{
	struct nlattr **tb = info->attrs;

	if (tb[VFPOOL_A_POOL_PARK])
		p->park = nla_get_u32(tb[VFPOOL_A_POOL_PARK]);
	if (tb[VFPOOL_A_POOL_PARK_VLAN]) {
		p->vlan = nla_get_u16(tb[VFPOOL_A_POOL_PARK_VLAN]);
		if (!p->vlan) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[VFPOOL_A_POOL_PARK_VLAN],
					    "park-vlan must be 1..4095 (VLAN 0 is the untagged network)");
			return -EINVAL;
		}
		if (p->park != VFPOOL_PARK_VLAN) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[VFPOOL_A_POOL_PARK_VLAN],
					    "park-vlan needs park vlan");
			return -EINVAL;
		}
	}
	if (p->park == VFPOOL_PARK_VLAN && !p->vlan) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, VFPOOL_A_POOL_PARK_VLAN);
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VFPOOL_A_POOL_PARK],
				    "park vlan needs park-vlan (the blackhole VLAN id)");
		return -EINVAL;
	}
	if (tb[VFPOOL_A_POOL_PARK_MAC]) {
		nla_memcpy(p->mac, tb[VFPOOL_A_POOL_PARK_MAC], ETH_ALEN);
		if (!is_valid_ether_addr(p->mac)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[VFPOOL_A_POOL_PARK_MAC],
					    "park-mac must be a unicast, non-zero address");
			return -EINVAL;
		}
	}
	return 0;
}

static void *vfpool_nl_pool_add(struct sk_buff *skb, struct genl_info *info)
{
	struct vfpool_nl_park park = {
		.park = VFPOOL_PARK_LINK_DOWN,
		.mac = { 0x02 },	/* locally administered, unicast */
	};
	struct nlattr **tb = info->attrs;
	struct net_device *dev;
	struct vfpool_pf *pf;
	u32 first, last;
	int err;

	first = tb[VFPOOL_A_POOL_VF_FIRST] ?
		nla_get_u32(tb[VFPOOL_A_POOL_VF_FIRST]) : 0;
	last = tb[VFPOOL_A_POOL_VF_LAST] ?
	       nla_get_u32(tb[VFPOOL_A_POOL_VF_LAST]) : U32_MAX;
	if (first > last) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VFPOOL_A_POOL_VF_LAST],
				    "vf-last is below vf-first");
		return ERR_PTR(-ERANGE);
	}

	err = vfpool_nl_text_ok(tb[VFPOOL_A_POOL_POOL], "pool", true,
				info->extack) ?:
	      vfpool_nl_parse_park(info, &park);
	if (err)
		return ERR_PTR(err);

	dev = vfpool_nl_dev(genl_info_net(info), tb, VFPOOL_A_POOL_IFINDEX,
			    VFPOOL_A_POOL_IFNAME, true, info->extack);
	if (IS_ERR(dev))
		return dev;
	pf = vfpool_pf_enroll(dev, first, last,
			      tb[VFPOOL_A_POOL_POOL] ?
			      nla_data(tb[VFPOOL_A_POOL_POOL]) : "",
			      park.park, park.vlan, park.mac, info->extack);
	if (IS_ERR(pf)) {
		/*
		 * The message is pool.c's; point it at the attribute it is
		 * about: the range, or else the PF itself.
		 */
		NL_SET_BAD_ATTR(info->extack, PTR_ERR(pf) == -ERANGE ?
				(tb[VFPOOL_A_POOL_VF_LAST] ?:
				 tb[VFPOOL_A_POOL_VF_FIRST]) : NULL);
		if (!info->extack->bad_attr)
			NL_SET_BAD_ATTR(info->extack,
					tb[VFPOOL_A_POOL_IFINDEX] ?:
					tb[VFPOOL_A_POOL_IFNAME]);
		return pf;
	}
	vfpool_notify_pf(pf, VFPOOL_CMD_POOL_ADD_NTF);
	return pf;
}

int vfpool_nl_pool_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = vfpool_nl_admin(skb, info);

	return err ?: vfpool_nl_act_reply(skb, info, vfpool_nl_pool_add, false);
}

int vfpool_nl_pool_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vfpool_pf *pf;
	int err;

	err = vfpool_nl_admin(skb, info);
	if (err)
		return err;

	vfpool_nl_lock();
	pf = vfpool_nl_pf(genl_info_net(info), info->attrs, VFPOOL_A_POOL_IFINDEX,
			  VFPOOL_A_POOL_IFNAME, true, true, info->extack);
	if (IS_ERR(pf)) {
		err = PTR_ERR(pf);
	} else if (vfpool_pf_busy(pf) && !info->attrs[VFPOOL_A_POOL_FORCE]) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "%s has reserved VFs: release them or use force",
				   pf->dev->name);
		err = -EBUSY;
	} else {
		vfpool_pf_unenroll(pf, VFPOOL_REASON_FORCE);
	}
	vfpool_nl_unlock();
	return err;
}

int vfpool_netlink_init(void)
{
	int err;

	err = vfpool_compat_register_family();
	if (!err)
		vfpool_notify_enable(true);
	return err;
}

void vfpool_netlink_uninit(void)
{
	vfpool_notify_enable(false);
	vfpool_compat_unregister_family();
}

/*
 * pool-set: the PF's settings only, never its VFs; the new park policy and
 * parking MAC apply from the next reset on.
 */
static void *vfpool_nl_pool_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct vfpool_nl_park park;
	bool changed = false;
	struct vfpool_pf *pf;
	int err;

	err = vfpool_nl_text_ok(tb[VFPOOL_A_POOL_POOL], "pool", true,
				info->extack);
	if (err)
		return ERR_PTR(err);
	pf = vfpool_nl_pf(genl_info_net(info), tb, VFPOOL_A_POOL_IFINDEX,
			  VFPOOL_A_POOL_IFNAME, true, true, info->extack);
	if (IS_ERR(pf))
		return pf;
	park.park = pf->park;
	park.vlan = pf->park_vlan;
	ether_addr_copy(park.mac, pf->park_mac);
	/* Leaving park vlan forgets the VLAN: it must be named again. */
	if (tb[VFPOOL_A_POOL_PARK] &&
	    nla_get_u32(tb[VFPOOL_A_POOL_PARK]) != VFPOOL_PARK_VLAN)
		park.vlan = 0;
	err = vfpool_nl_parse_park(info, &park);
	if (err)
		return ERR_PTR(err);

	if (tb[VFPOOL_A_POOL_POOL] && nla_strcmp(tb[VFPOOL_A_POOL_POOL], pf->pool)) {
		nla_strscpy(pf->pool, tb[VFPOOL_A_POOL_POOL], sizeof(pf->pool));
		changed = true;
	}
	if (park.park != pf->park || park.vlan != pf->park_vlan ||
	    !ether_addr_equal(park.mac, pf->park_mac)) {
		pf->park = park.park;
		pf->park_vlan = park.vlan;
		ether_addr_copy(pf->park_mac, park.mac);
		changed = true;
	}
	/* As ethtool does: no event for a request that changed nothing. */
	if (changed)
		vfpool_notify_pf(pf, VFPOOL_CMD_POOL_CHANGED_NTF);
	return pf;
}

int vfpool_nl_pool_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = vfpool_nl_admin(skb, info);

	return err ?: vfpool_nl_act_reply(skb, info, vfpool_nl_pool_set, false);
}

/*
 * vf-bind: hand a reservation (PF plus vf or pci, or every VF of an owner
 * label) to the process of a pidfd.  Allowed to the holding socket, or to
 * a caller naming the owner label or giving force; a lingering VF may be
 * bound again by its owner.  The reply is the (first) bound VF.
 */
static void *vfpool_nl_vf_bind(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct vfpool_vf *vf, *first = NULL;
	struct vfpool_holder *proc;
	enum vfpool_reason reason;
	struct vfpool_pf *pf;
	int err = 0;
	u32 i;

	if (!tb[VFPOOL_A_VF_PIDFD]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, VFPOOL_A_VF_PIDFD);
		NL_SET_ERR_MSG(info->extack, "pidfd required");
		return ERR_PTR(-EINVAL);
	}
	if (tb[VFPOOL_A_VF_IFINDEX] || tb[VFPOOL_A_VF_IFNAME] ||
	    tb[VFPOOL_A_VF_VF] || tb[VFPOOL_A_VF_PCI] || !tb[VFPOOL_A_VF_OWNER]) {
		vf = vfpool_nl_pf_vf(info, true);
		if (IS_ERR(vf))
			return vf;
		if (!vfpool_nl_vf_held(vf))
			return ERR_PTR(vfpool_nl_not_held(vf, info));
		err = vfpool_nl_may_act(skb, info, vf, &reason);
		if (err)
			return ERR_PTR(err);
		first = vf;
	}

	proc = vfpool_process_get(info);
	if (IS_ERR(proc))
		return proc;
	if (first) {
		err = vfpool_holder_bind(first, proc, info);
		goto out;
	}

	/* Every held VF of the owner label in the caller's netns. */
	list_for_each_entry(pf, &vfpool_pfs, node) {
		if (!net_eq(vfpool_pf_net(pf), genl_info_net(info)))
			continue;
		vfpool_pf_refresh(pf);
		for (i = 0; i < vfpool_pf_nvfs(pf) && !err; i++) {
			vf = &pf->vfs[i];
			if (!vfpool_nl_vf_held(vf) ||
			    nla_strcmp(tb[VFPOOL_A_VF_OWNER], vf->owner))
				continue;
			err = vfpool_holder_bind(vf, proc, info);
			if (!err && !first)
				first = vf;
			if (!err)
				vfpool_notify_vf(vf, VFPOOL_CMD_VF_BOUND_NTF);
		}
	}
	if (!first && !err) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[VFPOOL_A_VF_OWNER],
					"no VF is held by owner %s",
					(char *)nla_data(tb[VFPOOL_A_VF_OWNER]));
		err = -ENOENT;
	}
	vfpool_holder_put(proc);
	return err ? ERR_PTR(err) : first;

out:
	vfpool_holder_put(proc);
	if (err)
		return ERR_PTR(err);
	vfpool_notify_vf(first, VFPOOL_CMD_VF_BOUND_NTF);
	return first;
}

int vfpool_nl_vf_bind_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err = vfpool_nl_admin(skb, info);

	return err ?: vfpool_nl_act_reply(skb, info, vfpool_nl_vf_bind, true);
}
