// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/vfpool.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/vfpool.h>

/* VFPOOL_CMD_POOL_GET - do */
static const struct nla_policy vfpool_pool_get_nl_policy[VFPOOL_A_POOL_IFNAME + 1] = {
	[VFPOOL_A_POOL_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_POOL_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* VFPOOL_CMD_POOL_ADD - do */
static const struct nla_policy vfpool_pool_add_nl_policy[VFPOOL_A_POOL_PARK_MAC + 1] = {
	[VFPOOL_A_POOL_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_POOL_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_POOL_POOL] = { .type = NLA_NUL_STRING, .len = 31, },
	[VFPOOL_A_POOL_VF_FIRST] = { .type = NLA_U32, },
	[VFPOOL_A_POOL_VF_LAST] = { .type = NLA_U32, },
	[VFPOOL_A_POOL_PARK] = NLA_POLICY_MAX(NLA_U32, 2),
	[VFPOOL_A_POOL_PARK_VLAN] = NLA_POLICY_MAX(NLA_U16, 4095),
	[VFPOOL_A_POOL_PARK_MAC] = NLA_POLICY_EXACT_LEN(6),
};

/* VFPOOL_CMD_POOL_DEL - do */
static const struct nla_policy vfpool_pool_del_nl_policy[VFPOOL_A_POOL_FORCE + 1] = {
	[VFPOOL_A_POOL_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_POOL_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_POOL_FORCE] = { .type = NLA_FLAG, },
};

/* VFPOOL_CMD_VF_GET - do */
static const struct nla_policy vfpool_vf_get_do_nl_policy[VFPOOL_A_VF_PCI + 1] = {
	[VFPOOL_A_VF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_VF_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_VF] = { .type = NLA_U32, },
	[VFPOOL_A_VF_PCI] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* VFPOOL_CMD_VF_GET - dump */
static const struct nla_policy vfpool_vf_get_dump_nl_policy[VFPOOL_A_VF_OWNER + 1] = {
	[VFPOOL_A_VF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_VF_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_POOL] = { .type = NLA_NUL_STRING, .len = 31, },
	[VFPOOL_A_VF_OWNER] = { .type = NLA_NUL_STRING, .len = 63, },
};

/* VFPOOL_CMD_VF_RESERVE - do */
static const struct nla_policy vfpool_vf_reserve_nl_policy[VFPOOL_A_VF_ADOPT + 1] = {
	[VFPOOL_A_VF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_VF_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_POOL] = { .type = NLA_NUL_STRING, .len = 31, },
	[VFPOOL_A_VF_VF] = { .type = NLA_U32, },
	[VFPOOL_A_VF_PCI] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_OWNER] = { .type = NLA_NUL_STRING, .len = 63, },
	[VFPOOL_A_VF_MAC] = NLA_POLICY_EXACT_LEN(6),
	[VFPOOL_A_VF_VLAN] = NLA_POLICY_MAX(NLA_U16, 4095),
	[VFPOOL_A_VF_QOS] = NLA_POLICY_MAX(NLA_U8, 7),
	[VFPOOL_A_VF_VLAN_PROTO] = { .type = NLA_U16, },
	[VFPOOL_A_VF_SPOOFCHK] = NLA_POLICY_MAX(NLA_U8, 1),
	[VFPOOL_A_VF_TRUST] = NLA_POLICY_MAX(NLA_U8, 1),
	[VFPOOL_A_VF_LINK_STATE] = NLA_POLICY_MAX(NLA_U32, 2),
	[VFPOOL_A_VF_MIN_TX_RATE] = { .type = NLA_U32, },
	[VFPOOL_A_VF_MAX_TX_RATE] = { .type = NLA_U32, },
	[VFPOOL_A_VF_ON_RELEASE] = NLA_POLICY_MAX(NLA_U32, 1),
	[VFPOOL_A_VF_PIDFD] = { .type = NLA_S32, },
	[VFPOOL_A_VF_LINGER] = { .type = NLA_U32, },
	[VFPOOL_A_VF_ADOPT] = { .type = NLA_FLAG, },
};

/* VFPOOL_CMD_VF_SET - do */
static const struct nla_policy vfpool_vf_set_nl_policy[VFPOOL_A_VF_FORCE + 1] = {
	[VFPOOL_A_VF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_VF_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_VF] = { .type = NLA_U32, },
	[VFPOOL_A_VF_PCI] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_OWNER] = { .type = NLA_NUL_STRING, .len = 63, },
	[VFPOOL_A_VF_FORCE] = { .type = NLA_FLAG, },
	[VFPOOL_A_VF_MAC] = NLA_POLICY_EXACT_LEN(6),
	[VFPOOL_A_VF_VLAN] = NLA_POLICY_MAX(NLA_U16, 4095),
	[VFPOOL_A_VF_QOS] = NLA_POLICY_MAX(NLA_U8, 7),
	[VFPOOL_A_VF_VLAN_PROTO] = { .type = NLA_U16, },
	[VFPOOL_A_VF_SPOOFCHK] = NLA_POLICY_MAX(NLA_U8, 1),
	[VFPOOL_A_VF_TRUST] = NLA_POLICY_MAX(NLA_U8, 1),
	[VFPOOL_A_VF_LINK_STATE] = NLA_POLICY_MAX(NLA_U32, 2),
	[VFPOOL_A_VF_MIN_TX_RATE] = { .type = NLA_U32, },
	[VFPOOL_A_VF_MAX_TX_RATE] = { .type = NLA_U32, },
	[VFPOOL_A_VF_ON_RELEASE] = NLA_POLICY_MAX(NLA_U32, 1),
};

/* VFPOOL_CMD_VF_RELEASE - do */
static const struct nla_policy vfpool_vf_release_nl_policy[VFPOOL_A_VF_ALL + 1] = {
	[VFPOOL_A_VF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_VF_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_VF] = { .type = NLA_U32, },
	[VFPOOL_A_VF_PCI] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_OWNER] = { .type = NLA_NUL_STRING, .len = 63, },
	[VFPOOL_A_VF_FORCE] = { .type = NLA_FLAG, },
	[VFPOOL_A_VF_ALL] = { .type = NLA_FLAG, },
};

/* VFPOOL_CMD_POOL_SET - do */
static const struct nla_policy vfpool_pool_set_nl_policy[VFPOOL_A_POOL_PARK_MAC + 1] = {
	[VFPOOL_A_POOL_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_POOL_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_POOL_POOL] = { .type = NLA_NUL_STRING, .len = 31, },
	[VFPOOL_A_POOL_PARK] = NLA_POLICY_MAX(NLA_U32, 2),
	[VFPOOL_A_POOL_PARK_VLAN] = NLA_POLICY_MAX(NLA_U16, 4095),
	[VFPOOL_A_POOL_PARK_MAC] = NLA_POLICY_EXACT_LEN(6),
};

/* VFPOOL_CMD_VF_BIND - do */
static const struct nla_policy vfpool_vf_bind_nl_policy[VFPOOL_A_VF_LINGER + 1] = {
	[VFPOOL_A_VF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[VFPOOL_A_VF_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_VF] = { .type = NLA_U32, },
	[VFPOOL_A_VF_PCI] = { .type = NLA_NUL_STRING, .len = 15, },
	[VFPOOL_A_VF_OWNER] = { .type = NLA_NUL_STRING, .len = 63, },
	[VFPOOL_A_VF_FORCE] = { .type = NLA_FLAG, },
	[VFPOOL_A_VF_PIDFD] = { .type = NLA_S32, },
	[VFPOOL_A_VF_LINGER] = { .type = NLA_U32, },
};

/* Ops table for vfpool */
static const struct genl_split_ops vfpool_nl_ops[] = {
	{
		.cmd		= VFPOOL_CMD_POOL_GET,
		.doit		= vfpool_nl_pool_get_doit,
		.policy		= vfpool_pool_get_nl_policy,
		.maxattr	= VFPOOL_A_POOL_IFNAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= VFPOOL_CMD_POOL_GET,
		.dumpit	= vfpool_nl_pool_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= VFPOOL_CMD_POOL_ADD,
		.doit		= vfpool_nl_pool_add_doit,
		.policy		= vfpool_pool_add_nl_policy,
		.maxattr	= VFPOOL_A_POOL_PARK_MAC,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VFPOOL_CMD_POOL_DEL,
		.doit		= vfpool_nl_pool_del_doit,
		.policy		= vfpool_pool_del_nl_policy,
		.maxattr	= VFPOOL_A_POOL_FORCE,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VFPOOL_CMD_VF_GET,
		.doit		= vfpool_nl_vf_get_doit,
		.policy		= vfpool_vf_get_do_nl_policy,
		.maxattr	= VFPOOL_A_VF_PCI,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VFPOOL_CMD_VF_GET,
		.dumpit		= vfpool_nl_vf_get_dumpit,
		.policy		= vfpool_vf_get_dump_nl_policy,
		.maxattr	= VFPOOL_A_VF_OWNER,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= VFPOOL_CMD_VF_RESERVE,
		.doit		= vfpool_nl_vf_reserve_doit,
		.policy		= vfpool_vf_reserve_nl_policy,
		.maxattr	= VFPOOL_A_VF_ADOPT,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VFPOOL_CMD_VF_SET,
		.doit		= vfpool_nl_vf_set_doit,
		.policy		= vfpool_vf_set_nl_policy,
		.maxattr	= VFPOOL_A_VF_FORCE,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VFPOOL_CMD_VF_RELEASE,
		.doit		= vfpool_nl_vf_release_doit,
		.policy		= vfpool_vf_release_nl_policy,
		.maxattr	= VFPOOL_A_VF_ALL,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VFPOOL_CMD_POOL_SET,
		.doit		= vfpool_nl_pool_set_doit,
		.policy		= vfpool_pool_set_nl_policy,
		.maxattr	= VFPOOL_A_POOL_PARK_MAC,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= VFPOOL_CMD_VF_BIND,
		.doit		= vfpool_nl_vf_bind_doit,
		.policy		= vfpool_vf_bind_nl_policy,
		.maxattr	= VFPOOL_A_VF_LINGER,
		.flags		= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group vfpool_nl_mcgrps[] = {
	[VFPOOL_NLGRP_EVENTS] = { "events", },
};

struct genl_family vfpool_nl_family __ro_after_init = {
	.name		= VFPOOL_FAMILY_NAME,
	.version	= VFPOOL_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= vfpool_nl_ops,
	.n_split_ops	= ARRAY_SIZE(vfpool_nl_ops),
	.mcgrps		= vfpool_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vfpool_nl_mcgrps),
};
