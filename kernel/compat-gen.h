/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generated netlink-gen.c describes the family with split ops
 * (struct genl_split_ops, genl_family.split_ops), which appeared in 6.2.
 * On older kernels this header, force-included into netlink-gen.c only,
 * gives the generated tables a private type and name; compat.c turns them
 * into the classic genl_ops table at registration time.  The generated
 * file itself is never edited.
 */
#ifndef _VFPOOL_COMPAT_GEN_H
#define _VFPOOL_COMPAT_GEN_H

#include <linux/version.h>
#include <net/genetlink.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define VFPOOL_COMPAT_SPLIT_OPS 1

struct vfpool_split_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*start)(struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 internal_flags;
	u8 flags;
	u8 validate;
};

struct vfpool_gen_family {
	const char *name;
	unsigned int version;
	bool netnsok;
	bool parallel_ops;
	struct module *module;
	const struct vfpool_split_ops *split_ops;
	unsigned int n_split_ops;
	const struct genl_multicast_group *mcgrps;
	unsigned int n_mcgrps;
};

extern struct vfpool_gen_family vfpool_nl_family_gen;

#ifdef VFPOOL_COMPAT_GEN_RENAME
#define genl_split_ops vfpool_split_ops
#define genl_family vfpool_gen_family
#define vfpool_nl_family vfpool_nl_family_gen
#endif

#endif /* < 6.2 */
#endif /* _VFPOOL_COMPAT_GEN_H */
