// SPDX-License-Identifier: GPL-2.0
/*
 * pool show / add / set / del: enrolment of PFs (or a range of their VFs)
 * into vfpool, optionally under a pool name, with their park policy.
 */
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

/* Column formats of the text table, sized by pool_cols_fit(). */
static char f_pf[16] = "%-15s", f_pool[16] = " %-16s", f_pci[16] = " %-12s";
static int w_pf = 15, w_pool = 16, w_pci = 12;

static const char *str_or_null(const struct nlattr *a)
{
	const char *s = attr_str(a);

	return s && *s ? s : NULL;
}

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

static const char *mac_text(const struct nlattr *a, char buf[18])
{
	const uint8_t *m;

	if (!a || mnl_attr_get_payload_len(a) != 6)
		return NULL;
	m = mnl_attr_get_payload(a);
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
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
	const char *pool = str_or_null(tb[VFPOOL_A_POOL_POOL]);
	const char *pci = str_or_null(tb[VFPOOL_A_POOL_PCI]);
	uint32_t first, last, ifindex, park;
	char range[24] = "-", parkbuf[16], macbuf[18];
	const char *park_s, *mac_s;
	uint16_t vid;

	print_string(PRINT_ANY, "pf", col ? f_pf : " pf %s",
		     attr_str(tb[VFPOOL_A_POOL_IFNAME]));
	if (attr_u32(tb[VFPOOL_A_POOL_IFINDEX], &ifindex))
		print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
	else
		print_null(PRINT_JSON, "ifindex", NULL, NULL);
	if (col || pool)
		print_string(PRINT_ANY, "pool", col ? f_pool : " pool %s",
			     pool);
	else
		print_null(PRINT_JSON, "pool", NULL, NULL);
	if (col || pci)
		print_string(PRINT_ANY, "pci", col ? f_pci : " pci %s", pci);
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
	mac_s = mac_text(tb[VFPOOL_A_POOL_PARK_MAC], macbuf);
	if (col || mac_s)
		print_string(PRINT_ANY, "park_mac", col ? " %s" : " parkmac %s",
			     mac_s);
	else
		print_null(PRINT_JSON, "park_mac", NULL, NULL);
}

static void pool_cols_fit(struct msgs *m)
{
	const struct nlattr *tb[VFPOOL_A_POOL_MAX + 1];
	size_t i;

	w_pf = strlen("PF");
	w_pool = strlen("POOL");
	w_pci = strlen("PCI");
	for (i = 0; i < m->n; i++) {
		if (attr_parse_pool(m->v[i], tb) < 0)
			continue;
		col_fit(&w_pf, attr_str(tb[VFPOOL_A_POOL_IFNAME]));
		col_fit(&w_pool, str_or_null(tb[VFPOOL_A_POOL_POOL]));
		col_fit(&w_pci, str_or_null(tb[VFPOOL_A_POOL_PCI]));
	}
	snprintf(f_pf, sizeof(f_pf), "%%-%ds", w_pf);
	snprintf(f_pool, sizeof(f_pool), " %%-%ds", w_pool);
	snprintf(f_pci, sizeof(f_pci), " %%-%ds", w_pci);
}

static void pool_print_header(void)
{
	if (!json)
		printf("%-*s %-*s %-*s %-11s %-5s %-5s %-8s %-8s %-11s %-4s %-9s %s\n",
		       w_pf, "PF", w_pool, "POOL", w_pci, "PCI", "VFS",
		       "TOTAL", "FREE", "RESERVED", "ASSIGNED", "QUARANTINED",
		       "GONE", "PARK", "PARKMAC");
}

static int pool_show_one(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[VFPOOL_A_POOL_MAX + 1];

	if (attr_parse_pool(nlh, tb) < 0)
		return MNL_CB_ERROR;
	open_json_object(NULL);
	pool_print(tb, VF_COLUMNS);
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

/* JSON streams; text is collected into data (struct msgs) first. */
static int pool_show_cb(const struct nlmsghdr *nlh, void *data)
{
	return json ? pool_show_one(nlh) : msgs_add_cb(nlh, data);
}

/* The reply of pool add/set: the PF, as a one-line table or an object. */
static int pool_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)data;
	if (!json) {
		struct msgs m = {};
		int ret = msgs_add_cb(nlh, &m);

		if (ret == MNL_CB_OK) {
			pool_cols_fit(&m);
			pool_print_header();
			ret = pool_show_one(nlh);
		}
		msgs_free(&m);
		return ret;
	}
	pool_show_one(nlh);
	print_end();
	return MNL_CB_OK;
}

int pool_parse(const struct cmd *cmd, int argc, char **argv,
		      unsigned long allowed, struct pool_args *p)
{
	const char *kw;

	for (; argc > 0; argc--, argv++) {
		kw = *argv;
		if (cmd && is_help(kw)) {
			print_usage(stdout, cmd);
			return 1;
		}
		if (!strcmp(kw, "dev") && (allowed & BIT(P_DEV))) {
			if (dup_check(&p->seen, P_DEV, kw) ||
			    need_arg(&argc, &argv) || parse_ifname(*argv))
				return -1;
			p->dev = *argv;
		} else if (!strcmp(kw, "vfs") && (allowed & BIT(P_VFS))) {
			if (dup_check(&p->seen, P_VFS, kw) ||
			    need_arg(&argc, &argv) ||
			    parse_range(*argv, &p->first, &p->last))
				return -1;
		} else if (!strcmp(kw, "name") && (allowed & BIT(P_NAME))) {
			if (dup_check(&p->seen, P_NAME, kw) ||
			    need_arg(&argc, &argv) ||
			    parse_label("pool name", *argv,
					VFPOOL_POOL_NAME_LEN - 1))
				return -1;
			p->name = *argv;
		} else if (!strcmp(kw, "force") && (allowed & BIT(P_FORCE))) {
			if (dup_check(&p->seen, P_FORCE, kw))
				return -1;
		} else if (!strcmp(kw, "park") && (allowed & BIT(P_PARK))) {
			if (dup_check(&p->seen, P_PARK, kw) ||
			    need_arg(&argc, &argv) ||
			    parse_park(*argv, &p->park))
				return -1;
			if (p->park == VFPOOL_PARK_VLAN &&
			    (need_arg(&argc, &argv) ||
			     parse_u32("park vlan", *argv, 4095, &p->park_vlan)))
				return -1;
			if (p->park == VFPOOL_PARK_VLAN && !p->park_vlan)
				return parse_error("invalid park vlan \"0\" (1-4095)");
		} else if (!strcmp(kw, "parkmac") && (allowed & BIT(P_PARKMAC))) {
			if (dup_check(&p->seen, P_PARKMAC, kw) ||
			    need_arg(&argc, &argv) ||
			    parse_mac(*argv, p->park_mac))
				return -1;
			if (p->park_mac[0] & 1)
				return parse_error("parkmac \"%s\" is not unicast",
						   *argv);
		} else {
			return parse_error("unknown keyword \"%s\"", kw);
		}
	}
	return 0;
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
	struct msgs m = {};
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	size_t i;
	int ret;

	ret = pool_parse(cmd, argc, argv, BIT(P_DEV), &p);
	if (ret)
		return ret < 0;
	if (nl_open(&ctx))
		return EXIT_KERNEL;
	nlh = nl_msg(&ctx, VFPOOL_CMD_POOL_GET, p.dev ? NLM_F_ACK : NLM_F_DUMP);
	if (p.dev)
		mnl_attr_put_strz(nlh, VFPOOL_A_POOL_IFNAME, p.dev);
	open_json_array(NULL);
	ret = nl_request(&ctx, nlh, pool_show_cb, &m);
	close_json_array();
	if (!json && m.n) {
		pool_cols_fit(&m);
		pool_print_header();
		for (i = 0; i < m.n; i++)
			pool_show_one(m.v[i]);
	}
	print_end();
	msgs_free(&m);
	nl_close(&ctx);
	return ret ? EXIT_KERNEL : EXIT_OK;
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
		return ret < 0;
	if (!p.dev)
		return parse_error("missing \"dev PF\""), EXIT_USAGE;
	if (op == VFPOOL_CMD_POOL_SET && !(p.seen & ~BIT(P_DEV)))
		return parse_error("nothing to set"), EXIT_USAGE;
	if (nl_open(&ctx))
		return EXIT_KERNEL;
	nlh = nl_msg(&ctx, op, NLM_F_ACK);
	pool_put(nlh, &p);
	ret = nl_request(&ctx, nlh, op == VFPOOL_CMD_POOL_DEL ? NULL :
			 pool_reply_cb, NULL);
	nl_close(&ctx);
	return ret ? EXIT_KERNEL : EXIT_OK;
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
