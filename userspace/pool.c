// SPDX-License-Identifier: GPL-2.0
/*
 * pool show / add / set / del: enrolment of PFs (or a range of their VFs)
 * into vfpool, optionally under a pool name, with their park policy.
 */
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>

#include "vfpoolctl.h"

static void pool_u32(const struct nlattr *a, const char *key,
		     const char *colfmt, const char *keyfmt,
		     enum vf_style style)
{
	uint32_t v;

	char sfmt[16];
	size_t n;

	if (attr_u32(a, &v)) {
		print_uint(PRINT_ANY, key, style == VF_COLUMNS ? colfmt : keyfmt,
			   v);
		return;
	}
	/* absent (an older kernel): "-" in the column, so %u becomes %s */
	if (style == VF_COLUMNS && colfmt) {
		n = snprintf(sfmt, sizeof(sfmt), "%s", colfmt);
		if (n && n < sizeof(sfmt) && sfmt[n - 1] == 'u')
			sfmt[n - 1] = 's';
		print_null(PRINT_ANY, key, sfmt, "-");
	} else {
		print_null(PRINT_JSON, key, NULL, NULL);
	}
}

/* The columns of the text table; PF, POOL and PCI are sized to the data. */
enum { PC_PF, PC_POOL, PC_PCI, PC_VFS, PC_TOTAL, PC_FREE, PC_RESERVED,
	PC_ASSIGNED, PC_QUARANTINED, PC_GONE, PC_PARK, PC_PARKMAC, PC_MAX };

static struct column pool_cols[PC_MAX] = {
	[PC_PF] = { "PF", VFPOOL_A_POOL_IFNAME, 15, "%-15s" },
	[PC_POOL] = { "POOL", VFPOOL_A_POOL_POOL, 16, " %-16s" },
	[PC_PCI] = { "PCI", VFPOOL_A_POOL_PCI, 12, " %-12s" },
	[PC_VFS] = { "VFS", 0, 11, "" },
	[PC_TOTAL] = { "TOTAL", 0, 5, "" },
	[PC_FREE] = { "FREE", 0, 5, "" },
	[PC_RESERVED] = { "RESERVED", 0, 8, "" },
	[PC_ASSIGNED] = { "ASSIGNED", 0, 8, "" },
	[PC_QUARANTINED] = { "QUARANTINED", 0, 11, "" },
	[PC_GONE] = { "GONE", 0, 4, "" },
	[PC_PARK] = { "PARK", 0, 9, "" },
	[PC_PARKMAC] = { "PARKMAC", 0, 0, "" },
};

/* "link-down", "none" or "vlan VID"; NULL when the kernel sent none. */
static const char *park_text(const struct nlattr **tb, char *buf, size_t len)
{
	uint32_t park;
	uint16_t vid;

	if (!attr_u32(tb[VFPOOL_A_POOL_PARK], &park))
		return NULL;
	if (park == VFPOOL_PARK_VLAN && attr_u16(tb[VFPOOL_A_POOL_PARK_VLAN], &vid))
		snprintf(buf, len, "vlan %u", vid);
	else
		snprintf(buf, len, "%s", park_name(park));
	return buf;
}

/*
 * One enrolled PF.  JSON keys: pf, ifindex, pool, pci, vf_first, vf_last,
 * total, free, reserved, assigned, quarantined, gone, park, park_vlan,
 * park_mac.
 */
void pool_print(const struct nlattr **tb, enum vf_style style)
{
	bool col = style == VF_COLUMNS;
	const char *pool = attr_str_or_null(tb[VFPOOL_A_POOL_POOL]);
	const char *pci = attr_str_or_null(tb[VFPOOL_A_POOL_PCI]);
	uint32_t first, last, ifindex, park;
	char range[24] = "-", parkbuf[16], macbuf[MAC_STR_LEN];
	const char *park_s, *mac_s;
	uint16_t vid;

	print_string(PRINT_ANY, "pf", col ? pool_cols[PC_PF].fmt : " pf %s",
		     attr_str(tb[VFPOOL_A_POOL_IFNAME]));
	if (attr_u32(tb[VFPOOL_A_POOL_IFINDEX], &ifindex))
		print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
	else
		print_null(PRINT_JSON, "ifindex", NULL, NULL);
	if (col || pool)
		print_string(PRINT_ANY, "pool", col ? pool_cols[PC_POOL].fmt : " pool %s",
			     pool);
	else
		print_null(PRINT_JSON, "pool", NULL, NULL);
	if (col || pci)
		print_string(PRINT_ANY, "pci", col ? pool_cols[PC_PCI].fmt : " pci %s", pci);
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
	pool_u32(tb[VFPOOL_A_POOL_ASSIGNED], "assigned", " %-8u",
		 " assigned %u", style);
	pool_u32(tb[VFPOOL_A_POOL_QUARANTINED], "quarantined", " %-11u",
		 " quarantined %u", style);
	pool_u32(tb[VFPOOL_A_POOL_GONE], "gone", " %-4u", " gone %u", style);

	park_s = park_text(tb, parkbuf, sizeof(parkbuf));
	if (col)
		print_string(PRINT_FP, NULL, " %-9s", park_s);
	else if (park_s)
		print_string(PRINT_FP, NULL, " park %s", park_s);
	if (attr_u32(tb[VFPOOL_A_POOL_PARK], &park))
		print_string(PRINT_JSON, "park", NULL, park_name(park));
	else
		print_null(PRINT_JSON, "park", NULL, NULL);
	if (attr_u16(tb[VFPOOL_A_POOL_PARK_VLAN], &vid) && vid)
		print_uint(PRINT_JSON, "park_vlan", NULL, vid);
	else
		print_null(PRINT_JSON, "park_vlan", NULL, NULL);
	mac_s = attr_mac(tb[VFPOOL_A_POOL_PARK_MAC], macbuf);
	if (col || mac_s)
		print_string(PRINT_ANY, "park_mac", col ? " %s" : " parkmac %s",
			     mac_s);
	else
		print_null(PRINT_JSON, "park_mac", NULL, NULL);
}

static struct table pool_table = {
	.parse = attr_parse_pool,
	.print = pool_print,
	.cols = pool_cols,
	.ncols = PC_MAX,
};

/* The reply of pool add/set: the PF, as a one-line table or an object. */
static int pool_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct msgs m = {};
	int ret;

	(void)data;
	if (json) {
		ret = table_row(&pool_table, nlh);
		print_end();
		return ret;
	}
	ret = msgs_add_cb(nlh, &m);
	if (ret == MNL_CB_OK)
		table_print(&pool_table, &m);
	msgs_free(&m);
	return ret;
}

static const struct keyword pool_keywords[] = {
	KW("dev", P_DEV),
	KW("vfs", P_VFS),
	KW("name", P_NAME),
	KW_FLAG("force", P_FORCE),
	KW("park", P_PARK),
	KW("parkmac", P_PARKMAC),
};

/* park { link-down | none | vlan VID }: argv on the policy's name */
static int parse_park_kw(struct pool_args *p, int *argc, char ***argv)
{
	if (parse_park(**argv, &p->park))
		return -EINVAL;
	if (p->park != VFPOOL_PARK_VLAN)
		return 0;
	if (need_arg(argc, argv) ||
	    parse_u32("park vlan", **argv, 4095, &p->park_vlan))
		return -EINVAL;
	if (!p->park_vlan)
		return parse_error("invalid park vlan \"0\" (1-4095)");
	return 0;
}

static int parse_parkmac(const char *arg, uint8_t mac[6])
{
	if (parse_mac(arg, mac))
		return -EINVAL;
	if (mac[0] & 1)
		return parse_error("parkmac \"%s\" is not unicast", arg);
	return 0;
}

/*
 * All of a command's (or a pools.conf line's) keywords into @p: 0, 1 when
 * help was asked for (and printed), -EINVAL after a parse error.
 */
int pool_parse(const struct cmd *cmd, int argc, char **argv,
	       unsigned long allowed, struct pool_args *p)
{
	int bit, ret = 0;

	for (; argc > 0 && !ret; argc--, argv++) {
		if (cmd && is_help(*argv)) {
			print_usage(stdout, cmd);
			return 1;
		}
		bit = kw_next(pool_keywords, ARRAY_SIZE(pool_keywords), allowed,
			      &p->seen, &argc, &argv);
		if (bit == -ENOENT)
			return kw_unknown(*argv);
		if (bit < 0)
			return bit;
		switch (bit) {
		case P_DEV:
			ret = parse_ifname(*argv);
			p->dev = *argv;
			break;
		case P_VFS:
			ret = parse_range(*argv, &p->first, &p->last);
			break;
		case P_NAME:
			ret = parse_label("pool name", *argv,
					  VFPOOL_POOL_NAME_LEN - 1);
			p->name = *argv;
			break;
		case P_PARK:
			ret = parse_park_kw(p, &argc, &argv);
			break;
		case P_PARKMAC:
			ret = parse_parkmac(*argv, p->park_mac);
			break;
		}
	}
	return ret;
}

void pool_put(struct nlmsghdr *nlh, const struct pool_args *p)
{
	mnl_attr_put_strz(nlh, VFPOOL_A_POOL_IFNAME, p->dev);
	if (SEEN(p->seen, P_NAME))
		mnl_attr_put_strz(nlh, VFPOOL_A_POOL_POOL, p->name);
	if (SEEN(p->seen, P_VFS)) {
		mnl_attr_put_u32(nlh, VFPOOL_A_POOL_VF_FIRST, p->first);
		mnl_attr_put_u32(nlh, VFPOOL_A_POOL_VF_LAST, p->last);
	}
	if (SEEN(p->seen, P_PARK)) {
		mnl_attr_put_u32(nlh, VFPOOL_A_POOL_PARK, p->park);
		if (p->park == VFPOOL_PARK_VLAN)
			mnl_attr_put_u16(nlh, VFPOOL_A_POOL_PARK_VLAN,
					 p->park_vlan);
	}
	if (SEEN(p->seen, P_PARKMAC))
		mnl_attr_put(nlh, VFPOOL_A_POOL_PARK_MAC, 6, p->park_mac);
	if (SEEN(p->seen, P_FORCE))
		mnl_attr_put(nlh, VFPOOL_A_POOL_FORCE, 0, NULL);
}

static int pool_show(const struct cmd *cmd, int argc, char **argv)
{
	struct pool_args p = {};
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	int ret;

	ret = pool_parse(cmd, argc, argv, BIT(P_DEV), &p);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = nl_open_msg(&ctx, VFPOOL_CMD_POOL_GET,
			  p.dev ? NLM_F_ACK : NLM_F_DUMP, &nlh);
	if (ret)
		return ret;
	if (p.dev)
		mnl_attr_put_strz(nlh, VFPOOL_A_POOL_IFNAME, p.dev);
	ret = table_show(&pool_table, &ctx, nlh);
	nl_close(&ctx);
	return ret;
}

/* pool add and pool set: one request, the PF printed back */
static int pool_change(const struct cmd *cmd, int argc, char **argv,
		       uint8_t op, unsigned long allowed)
{
	struct pool_args p = {};
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	int ret;

	ret = pool_parse(cmd, argc, argv, allowed, &p);
	if (ret)
		return ret < 0 ? ret : 0;
	if (!p.dev)
		return parse_error("missing \"dev PF\"");
	if (op == VFPOOL_CMD_POOL_SET && !(p.seen & ~BIT(P_DEV)))
		return parse_error("nothing to set");
	ret = nl_open_msg(&ctx, op, NLM_F_ACK, &nlh);
	if (ret)
		return ret;
	pool_put(nlh, &p);
	return nl_request_last(&ctx, nlh, op == VFPOOL_CMD_POOL_DEL ? NULL :
			       pool_reply_cb, NULL);
}

static int pool_add(const struct cmd *cmd, int argc, char **argv)
{
	return pool_change(cmd, argc, argv, VFPOOL_CMD_POOL_ADD,
			   BIT(P_DEV) | BIT(P_VFS) | BIT(P_NAME) |
			   BIT(P_PARK) | BIT(P_PARKMAC));
}

static int pool_set(const struct cmd *cmd, int argc, char **argv)
{
	return pool_change(cmd, argc, argv, VFPOOL_CMD_POOL_SET,
			   BIT(P_DEV) | BIT(P_NAME) | BIT(P_PARK) |
			   BIT(P_PARKMAC));
}

static int pool_del(const struct cmd *cmd, int argc, char **argv)
{
	return pool_change(cmd, argc, argv, VFPOOL_CMD_POOL_DEL,
			   BIT(P_DEV) | BIT(P_FORCE));
}

#define PARK_WHERE \
	"where  PARK := { link-down | none | vlan VID }   VID := 1-4095\n" \
	"       MAC := xx:xx:xx:xx:xx:xx (unicast)\n"

static const struct cmd pool_cmds[] = {
	{ "show", pool_show, "list enrolled PFs with VF counts",
	  "vfpoolctl pool show [ dev PF ]\n", NULL },
	{ "add", pool_add, "enroll a PF, or a range of its VFs",
	  "vfpoolctl pool add dev PF [ vfs { N | FIRST-LAST } ] [ name POOL ]\n"
	  "                   [ park PARK ] [ parkmac MAC ]\n", PARK_WHERE },
	{ "set", pool_set, "change an enrolled PF's pool name or park policy",
	  "vfpoolctl pool set dev PF [ name POOL ] [ park PARK ] [ parkmac MAC ]\n",
	  PARK_WHERE },
	{ "del", pool_del, "un-enroll a PF",
	  "vfpoolctl pool del dev PF [ force ]\n", NULL },
	{ "apply", pool_apply, "enroll and configure PFs as a config file says",
	  "vfpoolctl pool apply FILE\n",
	  "FILE is in the format of vfpool.conf(5), usually /etc/vfpool/pools.conf.\n"
	  "Enrolls what is missing and changes only what differs; never resets a\n"
	  "held VF; a bad file changes nothing.\n" },
};

int cmd_pool(const struct cmd *cmd, int argc, char **argv)
{
	return dispatch(cmd->name, pool_cmds, ARRAY_SIZE(pool_cmds), argc, argv);
}
