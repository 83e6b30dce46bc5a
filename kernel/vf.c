// SPDX-License-Identifier: GPL-2.0
/*
 * VFs: configuration through the PF driver's ndo_set_vf_* operations, and
 * the reservation life cycle free -> reserved -> resetting -> free (or
 * quarantined when the driver keeps refusing the reset).
 *
 * Every function here runs under RTNL and vfpool_mutex, as rtnetlink calls
 * the same driver operations under RTNL.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>

#include "vfpool.h"

/*
 * A driver may refuse a reset for a while (i40e: -EAGAIN "VF still in
 * reset").  Retry from the work item, never sleeping under RTNL, with
 * exponential backoff: 50 ms, 100 ms, ... 1.6 s, about 3 s in all.
 */
#define VFPOOL_RESET_ATTEMPTS	6
#define VFPOOL_RESET_BACKOFF	msecs_to_jiffies(50)

static void vfpool_vf_lockdep_assert(void)
{
	ASSERT_RTNL();
	lockdep_assert_held(&vfpool_mutex);
}

/* Copy the fields of @src named by @mask into @dst, and name them there. */
static void vfpool_cfg_copy(struct vfpool_cfg *dst, const struct vfpool_cfg *src,
			    u32 mask)
{
	if (mask & VFPOOL_CFG_MAC)
		ether_addr_copy(dst->mac, src->mac);
	if (mask & VFPOOL_CFG_VLAN) {
		dst->vlan = src->vlan;
		dst->qos = src->qos;
		dst->proto = src->proto;
	}
	if (mask & VFPOOL_CFG_SPOOFCHK)
		dst->spoofchk = src->spoofchk;
	if (mask & VFPOOL_CFG_TRUST)
		dst->trust = src->trust;
	if (mask & VFPOOL_CFG_LINK_STATE)
		dst->link_state = src->link_state;
	if (mask & VFPOOL_CFG_RATE) {
		dst->min_rate = src->min_rate;
		dst->max_rate = src->max_rate;
	}
	dst->mask |= mask;
}

static void vfpool_cfg_merge(struct vfpool_cfg *dst, const struct vfpool_cfg *src)
{
	vfpool_cfg_copy(dst, src, src->mask);
}

/*
 * The record (vfpool.h) of what the driver just reported.  Every caller of
 * vfpool_vf_read() holds vfpool_mutex too.
 */
static void vfpool_vf_record_live(struct vfpool_vf *vf,
				  const struct ifla_vf_info *ivi)
{
	lockdep_assert_held(&vfpool_mutex);
	vfpool_pf_sync(vf->pf);
	vfpool_pf_mac_note(vf, ivi->mac);
	vf->vlan = ivi->vlan;
	vf->qos = ivi->qos;
	vf->proto = ivi->vlan_proto;
	vf->link_state = ivi->linkstate;
	vf->known = VFPOOL_CFG_MAC | VFPOOL_CFG_VLAN | VFPOOL_CFG_LINK_STATE;
}

/* The record of a write of @field from @c that the driver took, or not. */
static void vfpool_vf_record_write(struct vfpool_vf *vf, u32 field,
				   const struct vfpool_cfg *c, int err)
{
	vfpool_pf_sync(vf->pf);
	/* resv->live: what the driver reports of it, unless in doubt. */
	if (vf->resv && vf->known & VFPOOL_VF_KNOWN_LIVE) {
		if (err)
			vf->known &= ~VFPOOL_VF_KNOWN_LIVE;
		else
			vfpool_cfg_copy(&vf->resv->live, c,
					field & vf->resv->live.mask);
	}
	if (err) {
		/* Changed or not: read it before relying on it. */
		vf->known &= ~field;
		return;
	}
	switch (field) {
	case VFPOOL_CFG_MAC:
		vfpool_pf_mac_note(vf, c->mac);
		return;
	case VFPOOL_CFG_VLAN:
		vf->vlan = c->vlan;
		vf->qos = c->qos;
		vf->proto = c->proto;
		break;
	case VFPOOL_CFG_LINK_STATE:
		vf->link_state = c->link_state;
		break;
	default:
		return;
	}
	vf->known |= field;
}

/*
 * The recorded fields of @vf as a configuration, for the fields of @need;
 * false when the record does not cover them all (then read the driver).
 */
static bool vfpool_vf_recorded(struct vfpool_vf *vf, u32 need,
			       struct vfpool_cfg *cfg)
{
	vfpool_pf_sync(vf->pf);
	if (!vfpool_pf_watched(vf->pf) || need & ~vf->known)
		return false;
	memset(cfg, 0, sizeof(*cfg));
	cfg->mask = vf->known & ~VFPOOL_VF_KNOWN_LIVE;
	ether_addr_copy(cfg->mac, vf->mac);
	cfg->vlan = vf->vlan;
	cfg->qos = vf->qos;
	cfg->proto = vf->proto;
	cfg->link_state = vf->link_state;
	return true;
}

int vfpool_vf_read(struct vfpool_vf *vf, struct vfpool_cfg *cfg)
{
	struct net_device *dev = vf->pf->dev;
	struct ifla_vf_info ivi;
	int err;

	ASSERT_RTNL();
	/* Defaults for what a driver does not report, as rtnetlink does. */
	memset(&ivi, 0, sizeof(ivi));
	ivi.spoofchk = -1;
	ivi.trusted = -1;
	ivi.rss_query_en = -1;
	ivi.vlan_proto = htons(ETH_P_8021Q);

	err = dev->netdev_ops->ndo_get_vf_config(dev, vf->index, &ivi);
	if (err)
		return err;
	/*
	 * A driver that copies out a protocol it was never given reports 0
	 * (netdevsim before the VF's first VLAN write): that VF tags nothing
	 * but 802.1Q, and 0 would be refused if restored as the protocol.
	 */
	if (!ivi.vlan_proto)
		ivi.vlan_proto = htons(ETH_P_8021Q);
	vfpool_vf_record_live(vf, &ivi);

	memset(cfg, 0, sizeof(*cfg));
	cfg->mask = VFPOOL_CFG_MAC | VFPOOL_CFG_VLAN | VFPOOL_CFG_LINK_STATE |
		    VFPOOL_CFG_RATE;
	ether_addr_copy(cfg->mac, ivi.mac);
	cfg->vlan = ivi.vlan;
	cfg->qos = ivi.qos;
	cfg->proto = ivi.vlan_proto;
	cfg->link_state = ivi.linkstate;
	cfg->min_rate = ivi.min_tx_rate;
	cfg->max_rate = ivi.max_tx_rate;
	if (ivi.spoofchk != (u32)-1) {
		cfg->spoofchk = ivi.spoofchk;
		cfg->mask |= VFPOOL_CFG_SPOOFCHK;
	}
	if (ivi.trusted != (u32)-1) {
		cfg->trust = ivi.trusted;
		cfg->mask |= VFPOOL_CFG_TRUST;
	}
	if (vf->resv) {
		vf->resv->live = *cfg;
		vf->known |= VFPOOL_VF_KNOWN_LIVE;
	}
	return 0;
}

/*
 * Can a VF driver have changed the VF's MAC since vfpool wrote it?  Not
 * when vfpool set a non-zero MAC without trusting the VF: a VF driver may
 * pick its own MAC only while the PF set none, or when trusted.
 */
static bool vfpool_vf_mac_locked(const struct vfpool_vf *vf)
{
	const struct vfpool_resv *r = vf->resv;

	return r && r->applied.mask & VFPOOL_CFG_MAC &&
	       !is_zero_ether_addr(r->applied.mac) &&
	       !(r->applied.mask & VFPOOL_CFG_TRUST);
}

/*
 * The live configuration of a reserved (or just reset) VF without asking
 * the driver: resv->live, kept by every read and write vfpool makes, when
 * nobody else can have changed the VF since (vfpool_pf_sync(), and the VF
 * cannot change its own MAC).  False: read the driver.  Replies to
 * mutations and events are filled from it; vf-get and dumps read the
 * driver (reads show the live configuration, whoever set it).
 */
bool vfpool_vf_live(struct vfpool_vf *vf, struct vfpool_cfg *cfg)
{
	vfpool_vf_lockdep_assert();
	vfpool_pf_sync(vf->pf);
	if (!vf->resv || !(vf->known & VFPOOL_VF_KNOWN_LIVE) ||
	    !vfpool_pf_watched(vf->pf) || !vfpool_vf_mac_locked(vf))
		return false;
	*cfg = vf->resv->live;
	return true;
}

static const char *vfpool_cfg_name(u32 field)
{
	switch (field) {
	case VFPOOL_CFG_MAC:		return "mac";
	case VFPOOL_CFG_VLAN:		return "vlan";
	case VFPOOL_CFG_SPOOFCHK:	return "spoofchk";
	case VFPOOL_CFG_TRUST:		return "trust";
	case VFPOOL_CFG_LINK_STATE:	return "link-state";
	default:			return "tx rate";
	}
}

/* Write one field; -EOPNOTSUPP when the driver lacks the operation. */
static int vfpool_vf_write_op(struct vfpool_vf *vf, u32 field,
			      const struct vfpool_cfg *c)
{
	const struct net_device_ops *ops = vf->pf->dev->netdev_ops;
	struct net_device *dev = vf->pf->dev;
	u8 mac[ETH_ALEN];
	int i = vf->index;

	switch (field) {
	case VFPOOL_CFG_MAC:
		if (!ops->ndo_set_vf_mac)
			return -EOPNOTSUPP;
		/* Some drivers take the buffer as non-const. */
		ether_addr_copy(mac, c->mac);
		return ops->ndo_set_vf_mac(dev, i, mac);
	case VFPOOL_CFG_VLAN:
		if (!ops->ndo_set_vf_vlan)
			return -EOPNOTSUPP;
		return ops->ndo_set_vf_vlan(dev, i, c->vlan, c->qos, c->proto);
	case VFPOOL_CFG_SPOOFCHK:
		if (!ops->ndo_set_vf_spoofchk)
			return -EOPNOTSUPP;
		return ops->ndo_set_vf_spoofchk(dev, i, c->spoofchk);
	case VFPOOL_CFG_TRUST:
		if (!ops->ndo_set_vf_trust)
			return -EOPNOTSUPP;
		return ops->ndo_set_vf_trust(dev, i, c->trust);
	case VFPOOL_CFG_LINK_STATE:
		if (!ops->ndo_set_vf_link_state)
			return -EOPNOTSUPP;
		return ops->ndo_set_vf_link_state(dev, i, c->link_state);
	case VFPOOL_CFG_RATE:
		if (!ops->ndo_set_vf_rate)
			return -EOPNOTSUPP;
		return ops->ndo_set_vf_rate(dev, i, c->min_rate, c->max_rate);
	}
	return -EINVAL;
}

static int vfpool_vf_write1(struct vfpool_vf *vf, u32 field,
			    const struct vfpool_cfg *c)
{
	int err = vfpool_vf_write_op(vf, field, c);

	vfpool_vf_record_write(vf, field, c, err);
	return err;
}

/*
 * Write the fields of @cfg named by @mask, in a fixed order.  On failure
 * put back the fields already written from @undo, so a refused request
 * changes nothing, and return the driver's error with *@failed set.
 */
static int vfpool_vf_write(struct vfpool_vf *vf, const struct vfpool_cfg *cfg,
			   u32 mask, const struct vfpool_cfg *undo, u32 *failed)
{
	u32 field, done = 0;
	int err;

	for (field = 1; field <= VFPOOL_CFG_RATE; field <<= 1) {
		if (!(mask & field))
			continue;
		err = vfpool_vf_write1(vf, field, cfg);
		if (err) {
			*failed = field;
			goto undo;
		}
		done |= field;
	}
	if (done)
		vf->pf->changed = true;
	return 0;

undo:
	if (!undo)
		return err;
	for (field = 1; field < *failed; field <<= 1)
		if (done & field && vfpool_vf_write1(vf, field, undo))
			netdev_warn(vf->pf->dev, "vfpool: VF %u: cannot roll back %s\n",
				    vf->index, vfpool_cfg_name(field));
	if (done)
		vf->pf->changed = true;
	return err;
}

static int vfpool_vf_apply(struct vfpool_vf *vf, const struct vfpool_cfg *cfg,
			   const struct vfpool_cfg *undo,
			   struct netlink_ext_ack *extack)
{
	u32 failed = 0;
	int err;

	vfpool_vf_lockdep_assert();
	err = vfpool_vf_write(vf, cfg, cfg->mask, undo, &failed);
	if (err == -EOPNOTSUPP)
		NL_SET_ERR_MSG_FMT(extack, "driver of %s cannot set VF %s",
				   vf->pf->dev->name, vfpool_cfg_name(failed));
	else if (err)
		NL_SET_ERR_MSG_FMT(extack, "driver of %s refused VF %u %s (%d)",
				   vf->pf->dev->name, vf->index,
				   vfpool_cfg_name(failed), err);
	return err;
}

/*
 * The VF of @pf's device, other than @except, that carries or may still
 * carry @mac (rule 10): reserved, resetting, quarantined, assigned or
 * free, by the record of what vfpool wrote to it or last read from it.  A
 * record another tool may have made stale (vfpool_pf_sync()) and a VF
 * whose MAC vfpool never learnt are read from the driver first, once;
 * after that a check is one hash lookup.
 */
static const struct vfpool_vf *vfpool_pf_mac_user(struct vfpool_pf *pf,
						  const u8 *mac,
						  const struct vfpool_vf *except,
						  bool parked_ok)
{
	bool live = pf->dev->reg_state == NETREG_REGISTERED;
	struct vfpool_cfg cfg;
	bool watched, complete = true;
	u32 i;

	vfpool_vf_lockdep_assert();
	vfpool_pf_sync(pf);
	/* A PF that is down: every VF is read, as nothing tells of ip link. */
	watched = vfpool_pf_watched(pf);
	if (!watched)
		pf->mac_complete = false;
	for (i = 0; live && !pf->mac_complete && i < vfpool_pf_nr_enrolled(pf); i++) {
		struct vfpool_vf *o = &pf->vfs[i];

		if (o->state == VFPOOL_VF_STATE_GONE ||
		    (watched && o->known & VFPOOL_CFG_MAC))
			continue;
		if (vfpool_vf_read(o, &cfg))
			complete = false;
	}
	if (live && watched)
		pf->mac_complete |= complete;
	return vfpool_pf_mac_lookup(pf, mac, except, parked_ok);
}

/*
 * The VF, other than @vf, that keeps @mac from being given to @vf.  Zero
 * is shared by design; the parking MAC, shared by parked VFs, is refused
 * by the caller before it asks.
 */
const struct vfpool_vf *vfpool_vf_mac_in_use(struct vfpool_vf *vf,
					     const u8 *mac)
{
	if (is_zero_ether_addr(mac))
		return NULL;
	return vfpool_pf_mac_user(vf->pf, mac, vf, false);
}

/*
 * The VF that keeps @mac from becoming @pf's parking MAC: one that carries
 * it other than parked on it.  Every VF parked later would share it with
 * that VF's guest.
 */
const struct vfpool_vf *vfpool_pf_park_mac_in_use(struct vfpool_pf *pf,
						  const u8 *mac)
{
	if (ether_addr_equal(mac, pf->park_mac))
		return NULL;
	return vfpool_pf_mac_user(pf, mac, NULL, true);
}

/*
 * A request may give one of the two rates; the other stays as it is, as
 * with ip link.
 */
static int vfpool_cfg_complete(struct vfpool_cfg *want,
			       const struct vfpool_cfg *cur,
			       struct netlink_ext_ack *extack)
{
	if (!(want->mask & VFPOOL_CFG_RATE))
		return 0;
	if (want->min_rate == VFPOOL_RATE_KEEP)
		want->min_rate = cur->min_rate;
	if (want->max_rate == VFPOOL_RATE_KEEP)
		want->max_rate = cur->max_rate;
	if (want->max_rate && want->min_rate > want->max_rate) {
		NL_SET_ERR_MSG_FMT(extack, "min-tx-rate %u above max-tx-rate %u",
				   want->min_rate, want->max_rate);
		return -EINVAL;
	}
	return 0;
}

int vfpool_vf_reserve(struct vfpool_vf *vf, struct vfpool_holder *holder,
		      const struct vfpool_cfg *cfg, const char *owner,
		      enum vfpool_on_release on_release,
		      struct netlink_ext_ack *extack)
{
	struct vfpool_cfg orig, want = *cfg;
	struct vfpool_resv *resv;
	int err;

	vfpool_vf_lockdep_assert();

	/* A free or assigned VF has none: dropped with its last reservation. */
	resv = kzalloc(sizeof(*resv), GFP_KERNEL);
	if (!resv)
		return -ENOMEM;
	err = vfpool_vf_read(vf, &orig);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "driver of %s cannot read VF %u config (%d)",
				   vf->pf->dev->name, vf->index, err);
		kfree(resv);
		return err;
	}
	/*
	 * A reset parked the link (park link-down): bring it back to auto,
	 * unless the request says otherwise.
	 */
	if (!(want.mask & VFPOOL_CFG_LINK_STATE) &&
	    orig.link_state != IFLA_VF_LINK_STATE_AUTO &&
	    vf->pf->dev->netdev_ops->ndo_set_vf_link_state) {
		want.link_state = IFLA_VF_LINK_STATE_AUTO;
		want.mask |= VFPOOL_CFG_LINK_STATE;
	}
	err = vfpool_cfg_complete(&want, &orig, extack);
	if (!err)
		err = vfpool_vf_apply(vf, &want, &orig, extack);
	if (err) {
		kfree(resv);
		return err;
	}

	vf->flags &= ~(VFPOOL_VF_FLAGS_RESET_INCOMPLETE |
		       VFPOOL_VF_FLAGS_PARKED_MAC);
	vfpool_vf_set_state(vf, VFPOOL_VF_STATE_RESERVED);
	vf->holder = holder;
	list_add_tail(&vf->holder_node, &holder->vfs);
	strscpy(resv->owner, owner, sizeof(resv->owner));
	resv->orig = orig;
	vfpool_cfg_merge(&resv->applied, &want);
	/* Live now: what was read, with what was written over it. */
	resv->live = orig;
	vfpool_cfg_copy(&resv->live, &want, want.mask & orig.mask);
	kfree(vf->resv);
	vf->resv = resv;
	vf->known |= VFPOOL_VF_KNOWN_LIVE;
	vf->owner = resv->owner;
	vf->pid = get_pid(task_tgid(current));
	vf->on_release = on_release;
	vf->attempts = 0;
	vf->error = 0;
	return 0;
}

int vfpool_vf_set(struct vfpool_vf *vf, const struct vfpool_cfg *cfg,
		  struct netlink_ext_ack *extack)
{
	struct vfpool_cfg live, want = *cfg;
	int err;

	vfpool_vf_lockdep_assert();

	err = vfpool_vf_read(vf, &live);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "driver of %s cannot read VF %u config (%d)",
				   vf->pf->dev->name, vf->index, err);
		return err;
	}
	err = vfpool_cfg_complete(&want, &live, extack);
	if (!err)
		err = vfpool_vf_apply(vf, &want, &live, extack);
	if (!err)
		vfpool_cfg_merge(&vf->resv->applied, &want);
	return err;
}

/*
 * What a reservation's end writes: MAC and VLAN always (zero for reset, the
 * recorded values for restore), and every other field vfpool changed back
 * to its recorded value.  A reset (not a restore) also parks the VF by the
 * PF's park policy, so that a guest still using it never lands on the PF's
 * untagged network: link state disable, or the blackhole VLAN.
 */
static void vfpool_vf_target(const struct vfpool_vf *vf, struct vfpool_cfg *t)
{
	const struct vfpool_resv *r = vf->resv;
	const struct vfpool_pf *pf = vf->pf;

	/* Without a reservation (zeroing): MAC and VLAN only, and park. */
	if (r) {
		*t = r->orig;
		t->mask = VFPOOL_CFG_MAC | VFPOOL_CFG_VLAN |
			  (r->applied.mask & r->orig.mask);
	} else {
		memset(t, 0, sizeof(*t));
		t->mask = VFPOOL_CFG_MAC | VFPOOL_CFG_VLAN;
		t->proto = htons(ETH_P_8021Q);
	}
	if (vf->on_release != VFPOOL_ON_RELEASE_RESET)
		return;
	eth_zero_addr(t->mac);
	t->vlan = 0;
	t->qos = 0;
	t->proto = htons(ETH_P_8021Q);
	switch (pf->park) {
	case VFPOOL_PARK_VLAN:
		t->vlan = pf->park_vlan;
		break;
	case VFPOOL_PARK_LINK_DOWN:
		/* Where the driver cannot, as none (the spec says so). */
		if (pf->dev->netdev_ops->ndo_set_vf_link_state) {
			t->link_state = IFLA_VF_LINK_STATE_DISABLE;
			t->mask |= VFPOOL_CFG_LINK_STATE;
		}
		break;
	default:
		break;
	}
}

/* Is @field of @live at its target in @t already? */
static bool vfpool_cfg_at(u32 field, const struct vfpool_cfg *live,
			  const struct vfpool_cfg *t)
{
	switch (field) {
	case VFPOOL_CFG_MAC:
		return ether_addr_equal(live->mac, t->mac);
	case VFPOOL_CFG_VLAN:
		return live->vlan == t->vlan && live->qos == t->qos &&
		       (!live->vlan || live->proto == t->proto);
	case VFPOOL_CFG_SPOOFCHK:
		return (live->mask & field) && live->spoofchk == t->spoofchk;
	case VFPOOL_CFG_TRUST:
		return (live->mask & field) && live->trust == t->trust;
	case VFPOOL_CFG_LINK_STATE:
		return live->link_state == t->link_state;
	case VFPOOL_CFG_RATE:
		return live->min_rate == t->min_rate &&
		       live->max_rate == t->max_rate;
	}
	return false;
}

static bool vfpool_err_transient(int err)
{
	return err == -EAGAIN || err == -EBUSY;
}

/*
 * Write a reset target field by field (rule 3): a field already at its
 * target is skipped, and a refused field does not stop the others.  A
 * driver that refuses the all-zero MAC gets the PF's parking MAC instead.
 *
 * Returns a transient error if any field was refused for now (the caller
 * retries; fields that landed are skipped next time), else the error of
 * MAC or VLAN (the caller quarantines), else 0 with *@secondary set to the
 * error of a refused secondary field (0 if none).
 */
static int vfpool_vf_write_reset(struct vfpool_vf *vf, const struct vfpool_cfg *t,
				 int *secondary)
{
	struct vfpool_pf *pf = vf->pf;
	int err, transient = 0, mandatory = 0;
	struct vfpool_cfg live, parked;
	bool have_live;
	u32 field;

	*secondary = 0;
	vf->flags &= ~(VFPOOL_VF_FLAGS_RESET_INCOMPLETE |
		       VFPOOL_VF_FLAGS_PARKED_MAC);
	/*
	 * vfpool's record of the VF tells which fields are at their target
	 * already, unless the VF may have changed its own MAC: a VF driver
	 * may pick one while the PF set none, or trusts it.  Otherwise, and
	 * without a record, the driver is read; without a readable config
	 * every field is written.
	 */
	have_live = (vfpool_vf_mac_locked(vf) &&
		     vfpool_vf_recorded(vf, t->mask, &live)) ||
		    !vfpool_vf_read(vf, &live);

	for (field = 1; field <= VFPOOL_CFG_RATE; field <<= 1) {
		if (!(t->mask & field))
			continue;
		if (have_live && vfpool_cfg_at(field, &live, t))
			continue;
		if (field == VFPOOL_CFG_MAC && is_zero_ether_addr(t->mac) &&
		    have_live && ether_addr_equal(live.mac, pf->park_mac)) {
			/* Parked by an earlier reset: as good as zero. */
			vf->flags |= VFPOOL_VF_FLAGS_PARKED_MAC;
			continue;
		}
		err = vfpool_vf_write1(vf, field, t);
		if (err && field == VFPOOL_CFG_MAC &&
		    is_zero_ether_addr(t->mac) && !vfpool_err_transient(err)) {
			/* be2net, bnx2x, cxgb4, qlcnic, hinic, octeontx2, enetc */
			parked = *t;
			ether_addr_copy(parked.mac, pf->park_mac);
			err = vfpool_vf_write1(vf, field, &parked);
			if (!err)
				vf->flags |= VFPOOL_VF_FLAGS_PARKED_MAC;
		}
		if (!err) {
			pf->changed = true;
			continue;
		}
		netdev_dbg(pf->dev, "vfpool: VF %u: reset of %s refused (%d)\n",
			   vf->index, vfpool_cfg_name(field), err);
		if (vfpool_err_transient(err))
			transient = transient ?: err;
		else if (field == VFPOOL_CFG_MAC || field == VFPOOL_CFG_VLAN)
			mandatory = mandatory ?: err;
		else
			*secondary = *secondary ?: err;
	}
	return transient ?: mandatory;
}

/* The VF stops being on its holder's list (the reservation may go on). */
static void vfpool_vf_detach(struct vfpool_vf *vf)
{
	struct vfpool_holder *h = vf->holder;

	if (!h)
		return;
	list_del_init(&vf->holder_node);
	vf->holder = NULL;
	vfpool_holder_drop_idle(h);
}

static void vfpool_vf_resv_free(struct vfpool_vf *vf)
{
	vf->owner = "";
	kfree(vf->resv);
	vf->resv = NULL;
}

/* No more retries of the VF's reset from the work. */
static void vfpool_vf_retry_cancel(struct vfpool_vf *vf)
{
	__clear_bit(vf - vf->pf->vfs, vf->pf->retrying);
}

/* Forget the reservation, leaving the VF in @state. */
void vfpool_vf_drop(struct vfpool_vf *vf, enum vfpool_vf_state state)
{
	lockdep_assert_held(&vfpool_mutex);
	vfpool_vf_detach(vf);
	vfpool_vf_retry_cancel(vf);
	vf->zeroing = false;
	put_pid(vf->pid);
	vf->pid = NULL;
	vfpool_vf_resv_free(vf);
	vf->on_release = VFPOOL_ON_RELEASE_RESET;
	vfpool_vf_set_state(vf, state);
	/* Hook: linger and the module reference end here (holder.c). */
	vfpool_holder_vf_drop(vf);
}

/*
 * VFs whose reset the driver refused for now are in their PF's retrying
 * bitmap, under vfpool_mutex: the work looks at these only, never at every
 * VF.  vfpool_resets_armed is when the work is due for them, if
 * vfpool_resets_timer.
 */
static unsigned long vfpool_resets_armed;
static bool vfpool_resets_timer;

/* Make sure the work runs by @when (jiffies). */
static void vfpool_vf_schedule(unsigned long when)
{
	if (vfpool_resets_timer && !time_before(when, vfpool_resets_armed))
		return;
	vfpool_resets_timer = true;
	vfpool_resets_armed = when;
	vfpool_work_kick(time_after(when, jiffies) ? when - jiffies : 0);
}

/*
 * One reset attempt.  Success frees the VF (flagged if a secondary field
 * was refused); a transient error leaves it resetting for the work to
 * retry; anything else, or running out of attempts, quarantines it.  The
 * event goes out before the reservation's owner and pid are forgotten, so
 * listeners learn whose VF it was.
 */
static void vfpool_vf_reset_once(struct vfpool_vf *vf)
{
	int err, secondary;
	struct vfpool_cfg t;

	vfpool_vf_target(vf, &t);
	err = vfpool_vf_write_reset(vf, &t, &secondary);
	vf->attempts++;
	if (!err) {
		vf->error = secondary;
		if (secondary) {
			vf->flags |= VFPOOL_VF_FLAGS_RESET_INCOMPLETE;
			netdev_warn(vf->pf->dev, "vfpool: VF %u reset incomplete (%d)\n",
				    vf->index, secondary);
		}
		/* Hook: a holder's linger keeps the reset VF for its owner. */
		if (vfpool_holder_linger_start(vf)) {
			vfpool_vf_retry_cancel(vf);
			return;
		}
		vfpool_vf_set_state(vf, VFPOOL_VF_STATE_FREE);
		/* A reset of an unheld VF ends nothing, unless it is flagged. */
		if (!vf->zeroing || secondary)
			vfpool_notify_vf(vf, VFPOOL_CMD_VF_RELEASED_NTF);
		vfpool_vf_drop(vf, VFPOOL_VF_STATE_FREE);
		return;
	}

	vf->error = err;
	if (vfpool_err_transient(err) && vf->attempts < VFPOOL_RESET_ATTEMPTS) {
		vf->retry_at = jiffies +
			       (VFPOOL_RESET_BACKOFF << (vf->attempts - 1));
		__set_bit(vf - vf->pf->vfs, vf->pf->retrying);
		vfpool_vf_schedule(vf->retry_at);
		return;
	}

	netdev_warn(vf->pf->dev, "vfpool: VF %u quarantined: reset failed (%d) after %u attempts\n",
		    vf->index, err, vf->attempts);
	vfpool_vf_retry_cancel(vf);
	vf->zeroing = false;
	/* Keep owner and on_release: vf show says whose it was and why. */
	vfpool_vf_detach(vf);
	vfpool_vf_set_state(vf, VFPOOL_VF_STATE_QUARANTINED);
	vfpool_notify_vf(vf, VFPOOL_CMD_VF_QUARANTINED_NTF);
}

/*
 * Reset an unheld VF: at enrollment (rule 9) and when a VF comes back
 * (rule 6), with the same bounded retry as a release (rule 5).  Returns 0
 * when the VF is free, -EINPROGRESS while the driver is retried, or the
 * error that quarantined it.
 */
int vfpool_vf_zero(struct vfpool_vf *vf)
{
	vfpool_vf_lockdep_assert();
	vf->on_release = VFPOOL_ON_RELEASE_RESET;
	vfpool_vf_resv_free(vf);
	vfpool_vf_set_state(vf, VFPOOL_VF_STATE_RESETTING);
	vf->zeroing = true;
	vf->attempts = 0;
	vfpool_vf_reset_once(vf);
	switch (vf->state) {
	case VFPOOL_VF_STATE_FREE:
		return 0;
	case VFPOOL_VF_STATE_RESETTING:
		return -EINPROGRESS;
	default:
		return vf->error;
	}
}

/*
 * End a reservation (or retry a quarantined VF's reset, on force release).
 * The VF stops belonging to its holder at once; the reset is tried now and,
 * if the driver is busy, again from the work.
 */
void vfpool_vf_release(struct vfpool_vf *vf, enum vfpool_reason reason)
{
	vfpool_vf_lockdep_assert();
	vfpool_changed();	/* reserved -> resetting, maybe without event */

	vfpool_vf_detach(vf);
	vf->reason = reason;
	vfpool_vf_set_state(vf, VFPOOL_VF_STATE_RESETTING);
	vf->attempts = 0;
	vfpool_vf_reset_once(vf);
}

/*
 * From the work: retry every reset whose backoff has expired, then send
 * the batch's RTM_NEWLINK.  The VF count is looked at first (rule 6): a VF
 * that went away meanwhile is gone, not written.
 */
void vfpool_vf_reset_pending(void)
{
	unsigned long next = 0, off;
	bool pending = false;
	struct vfpool_pf *pf;
	struct vfpool_vf *vf;

	vfpool_vf_lockdep_assert();
	vfpool_resets_timer = false;
	/* A VF failing again is due later: this pass skips it. */
	list_for_each_entry(pf, &vfpool_pfs, node) {
		for_each_set_bit(off, pf->retrying, vfpool_pf_nr_enrolled(pf)) {
			vf = &pf->vfs[off];
			if (time_before(jiffies, vf->retry_at))
				continue;
			vfpool_vf_retry_cancel(vf);
			if (vf->index >= vfpool_pf_dev_num_vfs(pf)) {
				vfpool_pf_refresh(pf);
				continue;
			}
			vfpool_vf_reset_once(vf);
			cond_resched();
		}
	}
	list_for_each_entry(pf, &vfpool_pfs, node) {
		for_each_set_bit(off, pf->retrying, vfpool_pf_nr_enrolled(pf)) {
			vf = &pf->vfs[off];
			if (!pending || time_before(vf->retry_at, next))
				next = vf->retry_at;
			pending = true;
		}
	}
	if (pending)
		vfpool_vf_schedule(next);
	vfpool_pf_flush();
}
