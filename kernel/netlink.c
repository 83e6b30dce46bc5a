// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink handlers.  The policies and the ops table are generated
 * from Documentation/netlink/specs/vfpool.yaml into netlink-gen.c, so types,
 * lengths and ranges are checked before a handler runs.  Each handler goes:
 * check permission, parse, look up under RTNL and vfpool_mutex, act through
 * vf.c / pool.c / holder.c (pool.c chooses the VFs a reserve or release
 * gets), send the event, reply.  Every error names the attribute.
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
	[VFPOOL_VF_STATE_RESETTING]	= "resetting",
	[VFPOOL_VF_STATE_QUARANTINED]	= "quarantined",
	[VFPOOL_VF_STATE_GONE]		= "gone",
	[VFPOOL_VF_STATE_ASSIGNED]	= "assigned (in use by a guest)",
};

/*
 * Mutations need CAP_NET_ADMIN in the user namespace owning the caller's
 * (and so the PF's) network namespace, as GENL_UNS_ADMIN_PERM would check.
 * Checked here, not by that flag in the spec: the spec's protocol
 * (genetlink) allows only admin-perm there (uns-admin-perm is
 * genetlink-legacy's), and the core's refusal carries no extack message.
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

/*
 * @write: the request may have changed state, so a dump running meanwhile
 * is told (vfpool_changed()); a read must not, or two dumps would flag
 * each other.
 */
static void vfpool_nl_unlock(bool write)
{
	if (write)
		vfpool_changed();
	vfpool_pf_flush();
	mutex_unlock(&vfpool_mutex);
	rtnl_unlock();
}

/*
 * What a request acted on, for its reply: a VF, or else a PF; and the
 * event that announces the change, if it made one.
 */
struct vfpool_nl_reply {
	struct vfpool_vf *vf;
	struct vfpool_pf *pf;
	int ntf;			/* VFPOOL_CMD_*_NTF, 0: none */
};

/*
 * Check permission (@write: a mutation needs CAP_NET_ADMIN; a read is
 * refused as 6.2+'s per-command policy would), run @act under RTNL and
 * vfpool_mutex, send its event and reply with the VF or PF it acted on.
 * The reply is allocated first, so that an action is never left
 * unreported for want of memory.
 */
static int vfpool_nl_act_reply(struct sk_buff *skb, struct genl_info *info,
			       int (*act)(struct sk_buff *skb,
					  struct genl_info *info,
					  struct vfpool_nl_reply *r),
			       bool write)
{
	struct vfpool_nl_reply r = {};
	struct sk_buff *msg;
	int err;

	err = write ? vfpool_nl_admin(skb, info) : vfpool_compat_check_do(info);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	vfpool_nl_lock();
	err = act(skb, info, &r);
	if (!err && r.ntf && r.vf)
		vfpool_notify_vf(r.vf, r.ntf);
	else if (!err && r.ntf)
		vfpool_notify_pf(r.pf, r.ntf);
	if (!err && r.vf)
		err = vfpool_fill_vf(msg, r.vf, info->snd_portid, info->snd_seq,
				     0, info->genlhdr->cmd);
	else if (!err)
		err = vfpool_fill_pf(msg, r.pf, info->snd_portid, info->snd_seq,
				     0, info->genlhdr->cmd);
	vfpool_nl_unlock(write);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* A MAC attribute into @mac; @why is the message if it is not unicast. */
static int vfpool_nl_parse_mac(const struct nlattr *attr, u8 *mac,
			       const char *why, struct netlink_ext_ack *extack)
{
	nla_memcpy(mac, attr, ETH_ALEN);
	if (is_valid_ether_addr(mac))
		return 0;
	NL_SET_ERR_MSG_ATTR_FMT(extack, attr, "%s", why);
	return -EINVAL;
}

/* The VF configuration of a vf-reserve or vf-set request, and its owner. */
static int vfpool_nl_parse_cfg(struct genl_info *info, struct vfpool_cfg *c)
{
	struct nlattr **tb = info->attrs;
	int err;

	memset(c, 0, sizeof(*c));
	if (tb[VFPOOL_A_VF_MAC]) {
		/*
		 * A reservation's MAC is what the guest will use: multicast
		 * and all-zero (what a reset writes) are refused.
		 */
		err = vfpool_nl_parse_mac(tb[VFPOOL_A_VF_MAC], c->mac,
					  "mac must be a unicast address, not 00:00:00:00:00:00",
					  info->extack);
		if (err)
			return err;
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
	return vfpool_nl_owner_ok(tb[VFPOOL_A_VF_OWNER], info->extack);
}

/*
 * Two VFs of one device must not share a MAC: its switch cannot.  The
 * parking MAC is shared by every VF parked on it, so no guest gets it.
 */
static int vfpool_nl_check_mac(struct vfpool_vf *vf, const struct vfpool_cfg *c,
			       struct genl_info *info)
{
	const struct vfpool_vf *o;

	if (!(c->mask & VFPOOL_CFG_MAC))
		return 0;
	if (ether_addr_equal(c->mac, vf->pf->park_mac)) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, info->attrs[VFPOOL_A_VF_MAC],
					"mac %pM is the parking MAC of %s", c->mac,
					vf->pf->dev->name);
		return -EADDRINUSE;
	}
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

/*
 * The VF a vf-reserve request gets: the one it names, or the one pool.c
 * picks.  Only the lookup and its messages are here.
 */
static struct vfpool_vf *vfpool_nl_reserve_pick(struct genl_info *info)
{
	struct nlattr *pool = info->attrs[VFPOOL_A_VF_POOL];
	struct nlattr *pci = info->attrs[VFPOOL_A_VF_PCI];
	struct net *net = genl_info_net(info);
	struct nlattr **tb = info->attrs;
	struct vfpool_vf *vf;
	struct vfpool_pf *pf;
	int err;

	pf = vfpool_nl_pf(net, tb, VFPOOL_A_VF_IFINDEX, VFPOOL_A_VF_IFNAME,
			  false, true, info->extack);
	if (IS_ERR(pf))
		return ERR_CAST(pf);

	if (pf && pool && nla_strcmp(pool, pf->pool)) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, pool,
					"%s is not in pool %s", pf->dev->name,
					(char *)nla_data(pool));
		return ERR_PTR(-ENOENT);
	}

	if (pf && (tb[VFPOOL_A_VF_VF] || pci)) {
		vf = vfpool_nl_vf(pf, info);
		if (IS_ERR(vf))
			return vf;
		err = vfpool_nl_vf_busy(vf, info, tb[VFPOOL_A_VF_VF] ?: pci);
		return err ? ERR_PTR(err) : vf;
	}
	if (!pf && tb[VFPOOL_A_VF_VF]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VFPOOL_A_VF_VF],
				    "vf needs a PF (ifindex or ifname)");
		return ERR_PTR(-EINVAL);
	}
	if (!pf && !pool && !pci) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, VFPOOL_A_VF_IFINDEX);
		NL_SET_ERR_MSG(info->extack,
			       "a PF (ifindex or ifname), a pool or a pci address is required");
		return ERR_PTR(-EINVAL);
	}

	vf = vfpool_pool_pick(net, pf, pool ? nla_data(pool) : NULL,
			      pci ? nla_data(pci) : NULL);
	if (vf && pci) {
		err = vfpool_nl_vf_busy(vf, info, pci);
		return err ? ERR_PTR(err) : vf;
	}
	if (vf)
		return vf;
	if (pf) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack,
					tb[VFPOOL_A_VF_IFINDEX] ?:
					tb[VFPOOL_A_VF_IFNAME],
					"no free VF on %s", pf->dev->name);
		return ERR_PTR(-ENOSPC);
	}
	if (pci) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, pci,
					"no enrolled VF at PCI address %s",
					(char *)nla_data(pci));
		return ERR_PTR(-ENOENT);
	}
	NL_SET_ERR_MSG_ATTR_FMT(info->extack, pool, "no free VF in pool %s",
				(char *)nla_data(pool));
	return ERR_PTR(-ENOSPC);
}

static int vfpool_nl_vf_reserve(struct sk_buff *skb, struct genl_info *info,
				struct vfpool_nl_reply *r)
{
	enum vfpool_on_release on_release = VFPOOL_ON_RELEASE_RESET;
	struct nlattr **tb = info->attrs;
	const char *owner = "";
	struct vfpool_cfg cfg;
	struct vfpool_vf *vf;
	int err;

	err = vfpool_nl_parse_cfg(info, &cfg);
	if (err)
		return err;
	if (tb[VFPOOL_A_VF_OWNER])
		owner = nla_data(tb[VFPOOL_A_VF_OWNER]);
	if (tb[VFPOOL_A_VF_ON_RELEASE])
		on_release = nla_get_u32(tb[VFPOOL_A_VF_ON_RELEASE]);

	vf = vfpool_nl_reserve_pick(info);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	/* Hook: socket or process (pidfd) holder, linger, pinning. */
	err = vfpool_nl_check_mac(vf, &cfg, info) ?:
	      vfpool_holder_reserve(vf, skb, info, &cfg, owner, on_release);
	if (err)
		return err;
	r->vf = vf;
	r->ntf = VFPOOL_CMD_VF_RESERVED_NTF;
	return 0;
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

static int vfpool_nl_not_held(struct vfpool_vf *vf, struct genl_info *info)
{
	NL_SET_ERR_MSG_ATTR_FMT(info->extack,
				info->attrs[VFPOOL_A_VF_VF] ?: info->attrs[VFPOOL_A_VF_PCI],
				"VF %u of %s is %s, not reserved", vf->index,
				vf->pf->dev->name,
				vfpool_state_names[vfpool_vf_state(vf)]);
	return -ENOENT;
}

/* The reserved VF a request names, if the sender may act on it. */
static struct vfpool_vf *vfpool_nl_reserved_vf(struct sk_buff *skb,
					       struct genl_info *info)
{
	enum vfpool_reason reason;
	struct vfpool_vf *vf;
	int err;

	vf = vfpool_nl_pf_vf(info, true);
	if (IS_ERR(vf))
		return vf;
	if (!vfpool_vf_reserved(vf))
		return ERR_PTR(vfpool_nl_not_held(vf, info));
	err = vfpool_nl_may_act(skb, info, vf, &reason);
	return err ? ERR_PTR(err) : vf;
}

static int vfpool_nl_vf_set(struct sk_buff *skb, struct genl_info *info,
			    struct vfpool_nl_reply *r)
{
	struct nlattr **tb = info->attrs;
	struct vfpool_cfg cfg;
	struct vfpool_vf *vf;
	int err;

	err = vfpool_nl_parse_cfg(info, &cfg);
	if (err)
		return err;
	vf = vfpool_nl_reserved_vf(skb, info);
	if (IS_ERR(vf))
		return PTR_ERR(vf);
	err = vfpool_nl_check_mac(vf, &cfg, info);
	if (!err && cfg.mask)
		err = vfpool_vf_set(vf, &cfg, info->extack);
	if (err)
		return err;

	if (tb[VFPOOL_A_VF_ON_RELEASE])
		vf->on_release = nla_get_u32(tb[VFPOOL_A_VF_ON_RELEASE]);
	/* As ethtool does: no event for a request that changed nothing. */
	if (cfg.mask || tb[VFPOOL_A_VF_ON_RELEASE])
		r->ntf = VFPOOL_CMD_VF_CHANGED_NTF;
	r->vf = vf;
	return 0;
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

	if (vfpool_vf_reserved(vf)) {
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

/*
 * Release by owner label (the sender's and other holders' reservations
 * carrying it), or release all: the sender's own reservations in its
 * netns or, with force, every one (lingering and quarantined VFs too), so
 * that nothing pins the module any more.  pool.c chooses the VFs.
 */
static int vfpool_nl_release_many(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *owner = info->attrs[VFPOOL_A_VF_OWNER];
	struct vfpool_vf *failed;
	unsigned int n;

	if (info->attrs[VFPOOL_A_VF_ALL] &&
	    (info->attrs[VFPOOL_A_VF_IFINDEX] || info->attrs[VFPOOL_A_VF_IFNAME] ||
	     info->attrs[VFPOOL_A_VF_VF] || info->attrs[VFPOOL_A_VF_PCI] ||
	     owner)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VFPOOL_A_VF_ALL],
				    "all excludes a PF, vf, pci and owner");
		return -EINVAL;
	}
	failed = vfpool_pool_release(genl_info_net(info), skb,
				     owner ? nla_data(owner) : NULL,
				     info->attrs[VFPOOL_A_VF_FORCE], &n);
	/* Release all reports no quarantine: it has no VF to name. */
	if (!owner)
		return 0;
	if (failed)
		return vfpool_nl_released(failed, info);
	if (!n) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, owner,
					"no VF is held by owner %s",
					(char *)nla_data(owner));
		return -ENOENT;
	}
	return 0;
}

int vfpool_nl_vf_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct sk_buff *msg = NULL;
	struct vfpool_vf *vf;
	bool many;
	int err;

	err = vfpool_nl_admin(skb, info) ?:
	      vfpool_nl_owner_ok(tb[VFPOOL_A_VF_OWNER], info->extack);
	if (err)
		return err;
	many = tb[VFPOOL_A_VF_ALL] ||
	       (tb[VFPOOL_A_VF_OWNER] && !tb[VFPOOL_A_VF_IFINDEX] &&
		!tb[VFPOOL_A_VF_IFNAME] && !tb[VFPOOL_A_VF_VF] &&
		!tb[VFPOOL_A_VF_PCI]);
	/*
	 * One VF: the reply is the VF as the release left it, free once its
	 * reset landed, resetting while the driver is retried; so a client
	 * knows without listening for events.  Allocated first, as in
	 * vfpool_nl_act_reply().
	 */
	if (!many) {
		msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
		if (!msg)
			return -ENOMEM;
	}

	vfpool_nl_lock();
	if (many) {
		err = vfpool_nl_release_many(skb, info);
	} else {
		vf = vfpool_nl_pf_vf(info, true);
		err = IS_ERR(vf) ? PTR_ERR(vf) : vfpool_nl_release_one(skb, info, vf);
		if (!err)
			err = vfpool_fill_vf(msg, vf, info->snd_portid,
					     info->snd_seq, 0, info->genlhdr->cmd);
	}
	vfpool_nl_unlock(true);

	if (!msg)
		return err;
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int vfpool_nl_vf_get(struct sk_buff *skb, struct genl_info *info,
			    struct vfpool_nl_reply *r)
{
	r->vf = vfpool_nl_pf_vf(info, false);
	return PTR_ERR_OR_ZERO(r->vf);
}

/*
 * Dumps emit one message per VF (PF), resuming from a typed context in
 * cb->ctx.  PFs are listed in enrollment order, and ids only grow, so a PF
 * enrolled or removed between two parts neither repeats nor hides another.
 * Each part records the generation it saw (cb->seq): a part built after a
 * change is flagged NLM_F_DUMP_INTR, as is the closing NLMSG_DONE.
 */
struct vfpool_nl_vf_dump {
	u64 pf_id;		/* the PF being dumped */
	u32 vf;			/* the next VF offset in it */
	int ifindex;		/* the PF filter, 0: none */
};

struct vfpool_nl_pool_dump {
	u64 pf_id;		/* the last PF dumped */
};

static void vfpool_nl_dump_lock(struct netlink_callback *cb)
{
	vfpool_nl_lock();
	cb->seq = vfpool_generation();
}

/* Fill a VF (@vf) or else a PF (@pf) into a dump part. */
static int vfpool_nl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			      struct vfpool_vf *vf, struct vfpool_pf *pf,
			      int cmd)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)skb_tail_pointer(skb);
	u32 portid = NETLINK_CB(cb->skb).portid;
	u32 seq = cb->nlh->nlmsg_seq;
	int err;

	err = vf ? vfpool_fill_vf(skb, vf, portid, seq, NLM_F_MULTI, cmd) :
		   vfpool_fill_pf(skb, pf, portid, seq, NLM_F_MULTI, cmd);
	if (!err)
		nl_dump_check_consistent(cb, nlh);
	return err;
}

/* Unlock; a full skb is not an error: the dump goes on in the next part. */
static int vfpool_nl_dump_end(struct sk_buff *skb, int err)
{
	vfpool_nl_unlock(false);
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

int vfpool_nl_vf_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vfpool_nl_vf_dump *ctx = (void *)cb->ctx;
	struct nlattr **tb = vfpool_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct vfpool_pf *pf;
	struct vfpool_vf *vf;
	int err = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct vfpool_nl_vf_dump);
	err = vfpool_compat_check_dump(cb) ?:
	      vfpool_nl_owner_ok(tb[VFPOOL_A_VF_OWNER], cb->extack);
	if (err)
		return err;
	vfpool_nl_dump_lock(cb);
	if (!ctx->ifindex && (tb[VFPOOL_A_VF_IFINDEX] || tb[VFPOOL_A_VF_IFNAME])) {
		pf = vfpool_nl_pf(net, tb, VFPOOL_A_VF_IFINDEX,
				  VFPOOL_A_VF_IFNAME, true, false, cb->extack);
		if (IS_ERR(pf))
			return vfpool_nl_dump_end(skb, PTR_ERR(pf));
		ctx->ifindex = pf->ifindex;
	}

	vfpool_for_each_pf_in(pf, net) {
		if (pf->id < ctx->pf_id)
			continue;
		if (ctx->ifindex && pf->ifindex != ctx->ifindex)
			continue;
		if (tb[VFPOOL_A_VF_POOL] && nla_strcmp(tb[VFPOOL_A_VF_POOL], pf->pool))
			continue;
		if (pf->id != ctx->pf_id) {
			ctx->pf_id = pf->id;
			ctx->vf = 0;
		}
		vfpool_for_each_vf_from(pf, vf, ctx->vf) {
			if (tb[VFPOOL_A_VF_OWNER] &&
			    nla_strcmp(tb[VFPOOL_A_VF_OWNER], vf->owner))
				continue;
			err = vfpool_nl_dump_one(skb, cb, vf, NULL,
						 VFPOOL_CMD_VF_GET);
			if (err) {
				ctx->vf = vf - pf->vfs;
				return vfpool_nl_dump_end(skb, err);
			}
		}
		ctx->vf = vfpool_pf_nr_enrolled(pf);
	}
	return vfpool_nl_dump_end(skb, 0);
}

static int vfpool_nl_pool_get(struct sk_buff *skb, struct genl_info *info,
			      struct vfpool_nl_reply *r)
{
	r->pf = vfpool_nl_pf(genl_info_net(info), info->attrs,
			     VFPOOL_A_POOL_IFINDEX, VFPOOL_A_POOL_IFNAME, true,
			     false, info->extack);
	return PTR_ERR_OR_ZERO(r->pf);
}

int vfpool_nl_pool_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vfpool_nl_pool_dump *ctx = (void *)cb->ctx;
	struct net *net = sock_net(skb->sk);
	struct vfpool_pf *pf;
	int err;

	NL_ASSERT_DUMP_CTX_FITS(struct vfpool_nl_pool_dump);
	err = vfpool_compat_check_dump(cb);
	if (err)
		return err;
	vfpool_nl_dump_lock(cb);
	vfpool_for_each_pf_in(pf, net) {
		if (pf->id <= ctx->pf_id)
			continue;
		err = vfpool_nl_dump_one(skb, cb, NULL, pf, VFPOOL_CMD_POOL_GET);
		if (err)
			break;
		ctx->pf_id = pf->id;
	}
	return vfpool_nl_dump_end(skb, err);
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
	if (tb[VFPOOL_A_POOL_PARK_MAC])
		return vfpool_nl_parse_mac(tb[VFPOOL_A_POOL_PARK_MAC], p->mac,
					   "park-mac must be a unicast, non-zero address",
					   info->extack);
	return 0;
}

static int vfpool_nl_pool_add(struct sk_buff *skb, struct genl_info *info,
			      struct vfpool_nl_reply *r)
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
		return -ERANGE;
	}

	err = vfpool_nl_text_ok(tb[VFPOOL_A_POOL_POOL], "pool", true,
				info->extack) ?:
	      vfpool_nl_parse_park(info, &park);
	if (err)
		return err;

	dev = vfpool_nl_dev(genl_info_net(info), tb, VFPOOL_A_POOL_IFINDEX,
			    VFPOOL_A_POOL_IFNAME, true, info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
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
		return PTR_ERR(pf);
	}
	r->pf = pf;
	r->ntf = VFPOOL_CMD_POOL_ADD_NTF;
	return 0;
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
	vfpool_nl_unlock(true);
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
static int vfpool_nl_pool_set(struct sk_buff *skb, struct genl_info *info,
			      struct vfpool_nl_reply *r)
{
	struct nlattr **tb = info->attrs;
	const struct vfpool_vf *o;
	struct vfpool_nl_park park;
	bool changed = false;
	struct vfpool_pf *pf;
	int err;

	err = vfpool_nl_text_ok(tb[VFPOOL_A_POOL_POOL], "pool", true,
				info->extack);
	if (err)
		return err;
	pf = vfpool_nl_pf(genl_info_net(info), tb, VFPOOL_A_POOL_IFINDEX,
			  VFPOOL_A_POOL_IFNAME, true, true, info->extack);
	if (IS_ERR(pf))
		return PTR_ERR(pf);
	park.park = pf->park;
	park.vlan = pf->park_vlan;
	ether_addr_copy(park.mac, pf->park_mac);
	/* Leaving park vlan forgets the VLAN: it must be named again. */
	if (tb[VFPOOL_A_POOL_PARK] &&
	    nla_get_u32(tb[VFPOOL_A_POOL_PARK]) != VFPOOL_PARK_VLAN)
		park.vlan = 0;
	err = vfpool_nl_parse_park(info, &park);
	if (err)
		return err;
	o = vfpool_pf_park_mac_in_use(pf, park.mac);
	if (o) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[VFPOOL_A_POOL_PARK_MAC],
					"park-mac %pM is in use by VF %u of %s (%s)",
					park.mac, o->index, pf->dev->name,
					vfpool_state_names[o->state]);
		return -EADDRINUSE;
	}

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
		r->ntf = VFPOOL_CMD_POOL_CHANGED_NTF;
	r->pf = pf;
	return 0;
}

/*
 * vf-bind: hand a reservation (PF plus vf or pci, or every VF of an owner
 * label) to the process of a pidfd.  Allowed to the holding socket, or to
 * a caller naming the owner label or giving force; a lingering VF may be
 * bound again by its owner.  The reply is the (first) bound VF.
 */
static int vfpool_nl_vf_bind(struct sk_buff *skb, struct genl_info *info,
			     struct vfpool_nl_reply *r)
{
	struct nlattr *owner = info->attrs[VFPOOL_A_VF_OWNER];
	struct nlattr **tb = info->attrs;
	struct vfpool_vf *vf, *one = NULL;
	struct vfpool_holder *proc;
	struct vfpool_pf *pf;
	int err = 0;

	if (!tb[VFPOOL_A_VF_PIDFD]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, VFPOOL_A_VF_PIDFD);
		NL_SET_ERR_MSG(info->extack, "pidfd required");
		return -EINVAL;
	}
	if (tb[VFPOOL_A_VF_IFINDEX] || tb[VFPOOL_A_VF_IFNAME] ||
	    tb[VFPOOL_A_VF_VF] || tb[VFPOOL_A_VF_PCI] || !owner) {
		one = vfpool_nl_reserved_vf(skb, info);
		if (IS_ERR(one))
			return PTR_ERR(one);
	}

	proc = vfpool_process_of_pidfd(info);
	if (IS_ERR(proc))
		return PTR_ERR(proc);

	/* The one VF named, or every held VF of the owner label. */
	vfpool_for_each_pf_in(pf, genl_info_net(info)) {
		if (one && one->pf != pf)
			continue;
		if (!one)
			vfpool_pf_refresh(pf);
		vfpool_for_each_vf(pf, vf) {
			if (one ? vf != one :
			    !vfpool_vf_reserved(vf) || nla_strcmp(owner, vf->owner))
				continue;
			err = vfpool_holder_bind(vf, proc, info);
			if (err)
				goto out;
			vfpool_notify_vf(vf, VFPOOL_CMD_VF_BOUND_NTF);
			r->vf = r->vf ?: vf;
		}
	}
	if (!r->vf) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, owner,
					"no VF is held by owner %s",
					(char *)nla_data(owner));
		err = -ENOENT;
	}
out:
	vfpool_holder_drop_idle(proc);
	return err;
}

/*
 * The doit handlers of the generated ops table (netlink-gen.c) whose
 * request is one act and its reply: vfpool_nl_<name>_doit() runs
 * vfpool_nl_<name>() through vfpool_nl_act_reply().
 */
#define VFPOOL_NL_ACT_DOIT(name, write)					\
int vfpool_nl_##name##_doit(struct sk_buff *skb, struct genl_info *info) \
{									\
	return vfpool_nl_act_reply(skb, info, vfpool_nl_##name, write);	\
}

VFPOOL_NL_ACT_DOIT(vf_get, false)
VFPOOL_NL_ACT_DOIT(vf_reserve, true)
VFPOOL_NL_ACT_DOIT(vf_set, true)
VFPOOL_NL_ACT_DOIT(vf_bind, true)
VFPOOL_NL_ACT_DOIT(pool_get, false)
VFPOOL_NL_ACT_DOIT(pool_add, true)
VFPOOL_NL_ACT_DOIT(pool_set, true)
