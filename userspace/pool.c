// SPDX-License-Identifier: GPL-2.0
/*
 * pool show / add / del: enrolment of PFs (or a range of their VFs) into
 * vfpool, optionally under a pool name.
 */
#include <string.h>

#include <linux/genetlink.h>

#include "vfpoolctl.h"

static void pool_u32(const struct nlattr *a, const char *key,
		     const char *colfmt, const char *keyfmt,
		     enum vf_style style)
{
	uint32_t v;

	if (attr_u32(a, &v))
		print_uint(PRINT_ANY, key, style == VF_COLUMNS ? colfmt : keyfmt,
			   v);
	else
		print_null(PRINT_ANY, key, style == VF_COLUMNS ? colfmt : NULL,
			   "-");
}

/*
 * One enrolled PF.  JSON keys: pf, ifindex, pool, pci, vf_first, vf_last,
 * total, free, reserved, quarantined, gone.
 */
void pool_print(const struct nlattr **tb, enum vf_style style)
{
	bool col = style == VF_COLUMNS;
	const char *pool = attr_str(tb[VFPOOL_A_POOL_POOL]);
	const char *pci = attr_str(tb[VFPOOL_A_POOL_PCI]);
	uint32_t first, last, ifindex;
	char range[24] = "-";

	if (pool && !*pool)
		pool = NULL;
	if (pci && !*pci)
		pci = NULL;
	print_string(PRINT_ANY, "pf", col ? "%-15s" : " pf %s",
		     attr_str(tb[VFPOOL_A_POOL_IFNAME]));
	if (attr_u32(tb[VFPOOL_A_POOL_IFINDEX], &ifindex))
		print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
	else
		print_null(PRINT_JSON, "ifindex", NULL, NULL);
	if (col || pool)
		print_string(PRINT_ANY, "pool", col ? " %-16s" : " pool %s",
			     pool);
	else
		print_null(PRINT_JSON, "pool", NULL, NULL);
	if (col || pci)
		print_string(PRINT_ANY, "pci", col ? " %-12s" : " pci %s", pci);
	else
		print_null(PRINT_JSON, "pci", NULL, NULL);

	if (attr_u32(tb[VFPOOL_A_POOL_VF_FIRST], &first) &&
	    attr_u32(tb[VFPOOL_A_POOL_VF_LAST], &last))
		snprintf(range, sizeof(range), "%u-%u", first, last);
	print_string(PRINT_FP, NULL, col ? " %-11s" : " vfs %s", range);
	pool_u32(tb[VFPOOL_A_POOL_VF_FIRST], "vf_first", NULL, NULL, style);
	pool_u32(tb[VFPOOL_A_POOL_VF_LAST], "vf_last", NULL, NULL, style);

	pool_u32(tb[VFPOOL_A_POOL_TOTAL], "total", " %-5u", " total %u", style);
	pool_u32(tb[VFPOOL_A_POOL_FREE], "free", " %-5u", " free %u", style);
	pool_u32(tb[VFPOOL_A_POOL_RESERVED], "reserved", " %-8u",
		 " reserved %u", style);
	pool_u32(tb[VFPOOL_A_POOL_QUARANTINED], "quarantined", " %-11u",
		 " quarantined %u", style);
	pool_u32(tb[VFPOOL_A_POOL_GONE], "gone", " %u", " gone %u", style);
}

static int pool_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VFPOOL_A_POOL_MAX + 1];
	bool *header = data;

	if (attr_parse_pool(nlh, tb) < 0)
		return MNL_CB_ERROR;
	if (header && !*header) {
		if (!json)
			printf("%-15s %-16s %-12s %-11s %-5s %-5s %-8s %-11s %s\n",
			       "PF", "POOL", "PCI", "VFS", "TOTAL", "FREE",
			       "RESERVED", "QUARANTINED", "GONE");
		*header = true;
	}
	open_json_object(NULL);
	pool_print(tb, VF_COLUMNS);
	close_json_object();
	print_nl();
	if (!header)
		print_end();
	return MNL_CB_OK;
}

/* keywords of the pool commands, bits of their "seen" set */
enum { P_DEV, P_VFS, P_NAME, P_FORCE };

static int pool_parse(const struct cmd *cmd, int argc, char **argv,
		      unsigned long allowed, unsigned long *seen,
		      const char **dev, const char **name,
		      uint32_t *first, uint32_t *last)
{
	const char *kw;

	for (; argc > 0; argc--, argv++) {
		kw = *argv;
		if (is_help(kw)) {
			print_usage(stdout, cmd);
			return 1;
		}
		if (!strcmp(kw, "dev") && (allowed & BIT(P_DEV))) {
			if (dup_check(seen, P_DEV, kw) ||
			    need_arg(&argc, &argv) || parse_ifname(*argv))
				return -1;
			*dev = *argv;
		} else if (!strcmp(kw, "vfs") && (allowed & BIT(P_VFS))) {
			if (dup_check(seen, P_VFS, kw) ||
			    need_arg(&argc, &argv) ||
			    parse_range(*argv, first, last))
				return -1;
		} else if (!strcmp(kw, "name") && (allowed & BIT(P_NAME))) {
			if (dup_check(seen, P_NAME, kw) ||
			    need_arg(&argc, &argv) ||
			    parse_label("pool name", *argv,
					VFPOOL_POOL_NAME_LEN - 1))
				return -1;
			*name = *argv;
		} else if (!strcmp(kw, "force") && (allowed & BIT(P_FORCE))) {
			if (dup_check(seen, P_FORCE, kw))
				return -1;
		} else {
			return parse_error("unknown keyword \"%s\"", kw);
		}
	}
	return 0;
}

static int pool_show(const struct cmd *cmd, int argc, char **argv)
{
	const char *dev = NULL, *name = NULL;
	unsigned long seen = 0;
	uint32_t first, last;
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	bool header = false;
	int ret;

	ret = pool_parse(cmd, argc, argv, BIT(P_DEV), &seen, &dev, &name,
			 &first, &last);
	if (ret)
		return ret < 0;
	if (nl_open(&ctx))
		return 1;
	nlh = nl_msg(&ctx, VFPOOL_CMD_POOL_GET, dev ? NLM_F_ACK : NLM_F_DUMP);
	if (dev)
		mnl_attr_put_strz(nlh, VFPOOL_A_POOL_IFNAME, dev);
	open_json_array(NULL);
	ret = nl_request(&ctx, nlh, pool_show_cb, &header);
	close_json_array();
	print_end();
	nl_close(&ctx);
	return ret ? 1 : 0;
}

static int pool_add(const struct cmd *cmd, int argc, char **argv)
{
	const char *dev = NULL, *name = NULL;
	unsigned long seen = 0;
	uint32_t first, last;
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	int ret;

	ret = pool_parse(cmd, argc, argv, BIT(P_DEV) | BIT(P_VFS) | BIT(P_NAME), &seen,
			 &dev, &name, &first, &last);
	if (ret)
		return ret < 0;
	if (!dev)
		return parse_error("missing \"dev PF\""), 1;
	if (nl_open(&ctx))
		return 1;
	nlh = nl_msg(&ctx, VFPOOL_CMD_POOL_ADD, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VFPOOL_A_POOL_IFNAME, dev);
	if (name)
		mnl_attr_put_strz(nlh, VFPOOL_A_POOL_POOL, name);
	if (seen & BIT(P_VFS)) {
		mnl_attr_put_u32(nlh, VFPOOL_A_POOL_VF_FIRST, first);
		mnl_attr_put_u32(nlh, VFPOOL_A_POOL_VF_LAST, last);
	}
	ret = nl_request(&ctx, nlh, pool_show_cb, NULL);
	nl_close(&ctx);
	return ret ? 1 : 0;
}

static int pool_del(const struct cmd *cmd, int argc, char **argv)
{
	const char *dev = NULL, *name = NULL;
	unsigned long seen = 0;
	uint32_t first, last;
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	int ret;

	ret = pool_parse(cmd, argc, argv, BIT(P_DEV) | BIT(P_FORCE), &seen, &dev, &name,
			 &first, &last);
	if (ret)
		return ret < 0;
	if (!dev)
		return parse_error("missing \"dev PF\""), 1;
	if (nl_open(&ctx))
		return 1;
	nlh = nl_msg(&ctx, VFPOOL_CMD_POOL_DEL, NLM_F_ACK);
	mnl_attr_put_strz(nlh, VFPOOL_A_POOL_IFNAME, dev);
	if (seen & BIT(P_FORCE))
		mnl_attr_put(nlh, VFPOOL_A_POOL_FORCE, 0, NULL);
	ret = nl_request(&ctx, nlh, NULL, NULL);
	nl_close(&ctx);
	return ret ? 1 : 0;
}

static const struct cmd pool_cmds[] = {
	{ "show", pool_show, "list enrolled PFs with VF counts",
	  "vfpoolctl pool show [ dev PF ]\n", NULL },
	{ "add", pool_add, "enroll a PF, or a range of its VFs",
	  "vfpoolctl pool add dev PF [ vfs FIRST-LAST ] [ name POOL ]\n", NULL },
	{ "del", pool_del, "un-enroll a PF",
	  "vfpoolctl pool del dev PF [ force ]\n", NULL },
};

int cmd_pool(const struct cmd *cmd, int argc, char **argv)
{
	return dispatch(cmd->name, pool_cmds, ARRAY_SIZE(pool_cmds), argc, argv);
}
