/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vfpool.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_VFPOOL_GEN_H
#define _LINUX_VFPOOL_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/vfpool.h>

int vfpool_nl_pool_get_doit(struct sk_buff *skb, struct genl_info *info);
int vfpool_nl_pool_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vfpool_nl_pool_add_doit(struct sk_buff *skb, struct genl_info *info);
int vfpool_nl_pool_del_doit(struct sk_buff *skb, struct genl_info *info);
int vfpool_nl_vf_get_doit(struct sk_buff *skb, struct genl_info *info);
int vfpool_nl_vf_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vfpool_nl_vf_reserve_doit(struct sk_buff *skb, struct genl_info *info);
int vfpool_nl_vf_set_doit(struct sk_buff *skb, struct genl_info *info);
int vfpool_nl_vf_release_doit(struct sk_buff *skb, struct genl_info *info);
int vfpool_nl_pool_set_doit(struct sk_buff *skb, struct genl_info *info);
int vfpool_nl_vf_bind_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	VFPOOL_NLGRP_EVENTS,
};

extern struct genl_family vfpool_nl_family;

#endif /* _LINUX_VFPOOL_GEN_H */
