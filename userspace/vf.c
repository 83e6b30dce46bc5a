// SPDX-License-Identifier: GPL-2.0
/*
 * vf show / set / release, the VF configuration keywords shared with
 * vf reserve, the help of every vf command, and the one function that
 * prints a VF in every format.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/if_ether.h>

#include "vfpoolctl.h"

static const char *const state_names[] = {
	[VFPOOL_VF_STATE_FREE] = "free",
	[VFPOOL_VF_STATE_RESERVED] = "reserved",
	[VFPOOL_VF_STATE_RESETTING] = "resetting",
	[VFPOOL_VF_STATE_QUARANTINED] = "quarantined",
	[VFPOOL_VF_STATE_GONE] = "gone",
	[VFPOOL_VF_STATE_ASSIGNED] = "assigned",
};

static const char *const holder_names[] = {
	[VFPOOL_HOLDER_TYPE_SOCKET] = "socket",
	[VFPOOL_HOLDER_TYPE_PROCESS] = "process",
};

/* vf-flags bit names, in bit order */
static const char *const flag_names[] = {
	"reset-incomplete", "parked-mac", "lingering",
};

static const char *const link_state_names[] = {
	[VFPOOL_LINK_STATE_AUTO] = "auto",
	[VFPOOL_LINK_STATE_ENABLE] = "enable",
	[VFPOOL_LINK_STATE_DISABLE] = "disable",
};

static const char *const on_release_names[] = {
	[VFPOOL_ON_RELEASE_RESET] = "reset",
	[VFPOOL_ON_RELEASE_RESTORE] = "restore",
};

static const char *const reason_names[] = {
	[VFPOOL_REASON_HOLDER_CLOSED] = "holder-closed",
	[VFPOOL_REASON_RELEASED] = "released",
	[VFPOOL_REASON_OWNER] = "owner",
	[VFPOOL_REASON_FORCE] = "force",
	[VFPOOL_REASON_PF_REMOVED] = "pf-removed",
	[VFPOOL_REASON_VF_GONE] = "vf-gone",
	[VFPOOL_REASON_UNLOAD] = "unload",
	[VFPOOL_REASON_PROCESS_EXITED] = "process-exited",
	[VFPOOL_REASON_LINGER_EXPIRED] = "linger-expired",
	[VFPOOL_REASON_UNASSIGNED] = "unassigned",
};

const char *reason_name(uint32_t reason)
{
	return NAME_OF(reason_names, reason);
}

/*
 * The keywords of every vf command.  The VF settings are spelled as
 * ip-link(8)'s "ip link set vf" spells them (min_tx_rate, state, ...);
 * on_release follows that style, and "on-release", the spelling of
 * vfpool 0.1 that scripts and the libvirt hook use, stays accepted.
 */
static const struct keyword vf_keywords[] = {
	KW("dev", K_DEV),
	KW("pool", K_POOL),
	KW("vf", K_VF),
	KW("pci", K_PCI),
	KW("owner", K_OWNER),
	KW_FLAG("force", K_FORCE),
	KW("mac", K_MAC),
	KW("vlan", K_VLAN),
	KW("qos", K_QOS),
	KW("proto", K_PROTO),
	KW("spoofchk", K_SPOOFCHK),
	KW("trust", K_TRUST),
	KW("state", K_STATE),
	KW("min_tx_rate", K_MIN_TX_RATE),
	KW("max_tx_rate", K_MAX_TX_RATE),
	KW("on_release", K_ON_RELEASE),
	KW("on-release", K_ON_RELEASE),
	KW_FLAG("all", K_ALL),
	KW("linger", K_LINGER),
	KW_FLAG("adopt", K_ADOPT),
};

static int parse_proto(const char *arg, uint16_t *proto)
{
	if (!strcasecmp(arg, "802.1Q"))
		*proto = ETH_P_8021Q;
	else if (!strcasecmp(arg, "802.1ad"))
		*proto = ETH_P_8021AD;
	else
		return parse_error("invalid proto \"%s\" (802.1Q or 802.1ad)",
				   arg);
	return 0;
}

/* A keyword that only qualifies "vlan VID". */
static int after_vlan(const struct vf_args *a, const char *kw)
{
	if (!SEEN(a->seen, K_VLAN))
		return parse_error("\"%s\" must follow \"vlan VID\"", kw);
	return 0;
}

/*
 * Parse the keyword at **argv if it is one of `allowed`, with its value.
 * Returns 1 when consumed (argv left on its last word), 0 when the word is
 * not such a keyword, -EINVAL after printing an error.
 */
int vf_parse_kw(struct vf_args *a, unsigned long allowed, int *argc,
		char ***argv)
{
	const char *kw = **argv;
	const char *arg;
	uint32_t v = 0;
	int bit, ret = 0;

	bit = kw_next(vf_keywords, ARRAY_SIZE(vf_keywords), allowed, &a->seen,
		      argc, argv);
	if (bit == -ENOENT)
		return 0;
	if (bit < 0)
		return bit;
	arg = **argv;

	switch (bit) {
	case K_DEV:
		ret = parse_ifname(arg);
		a->dev = arg;
		break;
	case K_POOL:
		ret = parse_label("pool name", arg, VFPOOL_POOL_NAME_LEN - 1);
		a->pool = arg;
		break;
	case K_OWNER:
		ret = parse_label("owner", arg, VFPOOL_OWNER_LEN - 1);
		a->owner = arg;
		break;
	case K_VF:
		ret = parse_u32("vf", arg, UINT32_MAX, &a->vf);
		break;
	case K_PCI:
		ret = parse_pci(arg, a->pci);
		break;
	case K_MAC:
		ret = parse_mac(arg, a->mac);
		break;
	case K_VLAN:
		ret = parse_u32("vlan", arg, 4095, &v);
		a->vlan = v;
		break;
	case K_QOS:
		ret = after_vlan(a, kw) ?: parse_u32("qos", arg, 7, &v);
		a->qos = v;
		break;
	case K_PROTO:
		ret = after_vlan(a, kw) ?: parse_proto(arg, &a->proto);
		break;
	case K_SPOOFCHK:
		ret = parse_onoff(kw, arg, &a->spoofchk);
		break;
	case K_TRUST:
		ret = parse_onoff(kw, arg, &a->trust);
		break;
	case K_STATE:
		ret = parse_enum(kw, arg, link_state_names,
				 ARRAY_SIZE(link_state_names), &a->link_state);
		break;
	case K_MIN_TX_RATE:
		ret = parse_u32(kw, arg, UINT32_MAX, &a->min_tx_rate);
		break;
	case K_MAX_TX_RATE:
		ret = parse_u32(kw, arg, UINT32_MAX, &a->max_tx_rate);
		break;
	case K_ON_RELEASE:
		ret = parse_enum(kw, arg, on_release_names,
				 ARRAY_SIZE(on_release_names), &a->on_release);
		break;
	case K_LINGER:
		ret = parse_u32(kw, arg, 86400, &a->linger);
		break;
	}
	return ret ?: 1;
}

void vf_put(struct nlmsghdr *nlh, const struct vf_args *a)
{
	unsigned long s = a->seen;

	if (SEEN(s, K_DEV))
		mnl_attr_put_strz(nlh, VFPOOL_A_VF_IFNAME, a->dev);
	if (SEEN(s, K_POOL))
		mnl_attr_put_strz(nlh, VFPOOL_A_VF_POOL, a->pool);
	if (SEEN(s, K_VF))
		mnl_attr_put_u32(nlh, VFPOOL_A_VF_VF, a->vf);
	if (SEEN(s, K_PCI))
		mnl_attr_put_strz(nlh, VFPOOL_A_VF_PCI, a->pci);
	if (SEEN(s, K_OWNER))
		mnl_attr_put_strz(nlh, VFPOOL_A_VF_OWNER, a->owner);
	if (SEEN(s, K_FORCE))
		mnl_attr_put(nlh, VFPOOL_A_VF_FORCE, 0, NULL);
	if (SEEN(s, K_MAC))
		mnl_attr_put(nlh, VFPOOL_A_VF_MAC, 6, a->mac);
	if (SEEN(s, K_VLAN))
		mnl_attr_put_u16(nlh, VFPOOL_A_VF_VLAN, a->vlan);
	if (SEEN(s, K_QOS))
		mnl_attr_put_u8(nlh, VFPOOL_A_VF_QOS, a->qos);
	if (SEEN(s, K_PROTO))
		mnl_attr_put_u16(nlh, VFPOOL_A_VF_VLAN_PROTO, a->proto);
	if (SEEN(s, K_SPOOFCHK))
		mnl_attr_put_u8(nlh, VFPOOL_A_VF_SPOOFCHK, a->spoofchk);
	if (SEEN(s, K_TRUST))
		mnl_attr_put_u8(nlh, VFPOOL_A_VF_TRUST, a->trust);
	if (SEEN(s, K_STATE))
		mnl_attr_put_u32(nlh, VFPOOL_A_VF_LINK_STATE, a->link_state);
	if (SEEN(s, K_MIN_TX_RATE))
		mnl_attr_put_u32(nlh, VFPOOL_A_VF_MIN_TX_RATE, a->min_tx_rate);
	if (SEEN(s, K_MAX_TX_RATE))
		mnl_attr_put_u32(nlh, VFPOOL_A_VF_MAX_TX_RATE, a->max_tx_rate);
	if (SEEN(s, K_ON_RELEASE))
		mnl_attr_put_u32(nlh, VFPOOL_A_VF_ON_RELEASE, a->on_release);
	if (SEEN(s, K_ALL))
		mnl_attr_put(nlh, VFPOOL_A_VF_ALL, 0, NULL);
	if (SEEN(s, K_LINGER))
		mnl_attr_put_u32(nlh, VFPOOL_A_VF_LINGER, a->linger);
	if (SEEN(s, K_ADOPT))
		mnl_attr_put(nlh, VFPOOL_A_VF_ADOPT, 0, NULL);
}

/*
 * The lifetime fields: JSON "holder" ("socket", "process" or null),
 * "linger" (seconds) and "flags" (array of names); text shows them only
 * when they say something beyond the state.
 */
static void vf_print_lifetime(const struct nlattr **tb)
{
	uint32_t v, flags = 0;
	bool first = true;
	size_t i;

	if (attr_u32(tb[VFPOOL_A_VF_HOLDER], &v))
		print_string(v == VFPOOL_HOLDER_TYPE_PROCESS ? PRINT_ANY :
			     PRINT_JSON, "holder", " holder %s",
			     NAME_OF(holder_names, v));
	else
		print_null(PRINT_JSON, "holder", NULL, NULL);
	v = 0;
	attr_u32(tb[VFPOOL_A_VF_LINGER], &v);
	print_uint(v ? PRINT_ANY : PRINT_JSON, "linger", " linger %u", v);
	attr_u32(tb[VFPOOL_A_VF_FLAGS], &flags);
	open_json_array("flags");
	for (i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (!(flags & (1U << i)))
			continue;
		if (json)
			jw_string(NULL, flag_names[i]);
		else
			printf("%s%s", first ? " flags " : ",", flag_names[i]);
		first = false;
	}
	close_json_array();
}

/*
 * Optional fields: in columns every field has its column ("-" if absent);
 * keyed text skips absent and default fields; JSON always has the key.
 */
static void vf_str(enum vf_style style, const char *key, const char *colfmt,
		   const char *keyfmt, const char *val)
{
	if (style == VF_COLUMNS)
		print_string(PRINT_ANY, key, colfmt, val);
	else if (val)
		print_string(PRINT_ANY, key, keyfmt, val);
	else
		print_null(PRINT_JSON, key, NULL, NULL);
}

static void vf_u32(enum vf_style style, const struct nlattr *a,
		   const char *key, const char *colfmt, const char *keyfmt)
{
	uint32_t v;

	if (attr_u32(a, &v))
		print_uint(PRINT_ANY, key,
			   style == VF_COLUMNS ? colfmt : keyfmt, v);
	else
		vf_str(style, key, "%s", NULL, NULL);
}

/* Printed in text only when not the default: " key value". */
static void vf_flag_bool(const struct nlattr *a, const char *key,
			 const char *fmt)
{
	uint8_t v;

	if (!attr_u8(a, &v))
		print_null(PRINT_JSON, key, NULL, NULL);
	else
		print_bool(v ? PRINT_ANY : PRINT_JSON, key, fmt, v);
}

static void vf_flag_u32(const struct nlattr *a, const char *key,
			const char *fmt)
{
	uint32_t v;

	if (!attr_u32(a, &v))
		print_null(PRINT_JSON, key, NULL, NULL);
	else
		print_uint(v ? PRINT_ANY : PRINT_JSON, key, fmt, v);
}

static void vf_flag_enum(const struct nlattr *a, const char *key,
			 const char *fmt, const char *const *names, size_t n)
{
	uint32_t v;

	if (!attr_u32(a, &v))
		print_null(PRINT_JSON, key, NULL, NULL);
	else
		print_string(v ? PRINT_ANY : PRINT_JSON, key, fmt,
			     name_of(names, n, v));
}

/*
 * The columns of the text table; PF, PCI and OWNER are sized to the
 * widest value (at least the header), their defaults serve a lone reply.
 */
enum { VC_PF, VC_VF, VC_PCI, VC_STATE, VC_OWNER, VC_PID, VC_MAC, VC_VLAN,
	VC_POOL, VC_MAX };

static struct column vf_cols[VC_MAX] = {
	[VC_PF] = { "PF", VFPOOL_A_VF_IFNAME, 15, "%-15s" },
	[VC_VF] = { "VF", 0, 5, "" },
	[VC_PCI] = { "PCI", VFPOOL_A_VF_PCI, 12, " %-12s" },
	[VC_STATE] = { "STATE", 0, 11, "" },
	[VC_OWNER] = { "OWNER", VFPOOL_A_VF_OWNER, 16, " %-16s" },
	[VC_PID] = { "PID", 0, 7, "" },
	[VC_MAC] = { "MAC", 0, 17, "" },
	[VC_VLAN] = { "VLAN", 0, 14, "" },
	[VC_POOL] = { "POOL", 0, 0, "" },
};

/*
 * Print one VF.  The JSON object has the keys of vfpoolctl(8) (JSON
 * OUTPUT), in their order, plus on_release and error; the caller opens and closes the object.
 */
void vf_print(const struct nlattr **tb, enum vf_style style)
{
	bool col = style == VF_COLUMNS;
	const char *pool = attr_str_or_null(tb[VFPOOL_A_VF_POOL]);
	char mac[MAC_STR_LEN], vlan[24] = "";
	uint16_t vid = 0, proto = ETH_P_8021Q;
	uint32_t state;
	uint8_t qos = 0;
	int32_t err;

	vf_str(style, "pf", vf_cols[VC_PF].fmt, " pf %s", attr_str(tb[VFPOOL_A_VF_IFNAME]));
	vf_u32(VF_KEYED, tb[VFPOOL_A_VF_IFINDEX], "ifindex", NULL, NULL);
	vf_u32(style, tb[VFPOOL_A_VF_VF], "vf", " %-5u", " vf %u");
	vf_str(style, "pci", vf_cols[VC_PCI].fmt, " pci %s",
	       attr_str_or_null(tb[VFPOOL_A_VF_PCI]));
	if (attr_u32(tb[VFPOOL_A_VF_STATE], &state))
		print_string(PRINT_ANY, "state", col ? " %-11s" : " state %s",
			     NAME_OF(state_names, state));
	else
		vf_str(style, "state", " %-11s", NULL, NULL);
	vf_str(style, "owner", vf_cols[VC_OWNER].fmt, " owner %s",
	       attr_str_or_null(tb[VFPOOL_A_VF_OWNER]));
	if (col && !tb[VFPOOL_A_VF_PID])
		print_null(PRINT_ANY, "pid", " %-7s", "-");
	else
		vf_u32(style, tb[VFPOOL_A_VF_PID], "pid", " %-7u", " pid %u");

	vf_str(style, "mac", " %-17s", " mac %s",
	       attr_mac(tb[VFPOOL_A_VF_MAC], mac));

	attr_u16(tb[VFPOOL_A_VF_VLAN_PROTO], &proto);
	if (attr_u16(tb[VFPOOL_A_VF_VLAN], &vid))
		print_uint(PRINT_JSON, "vlan", NULL, vid);
	else
		print_null(PRINT_JSON, "vlan", NULL, NULL);
	if (attr_u8(tb[VFPOOL_A_VF_QOS], &qos))
		print_uint(PRINT_JSON, "qos", NULL, qos);
	else
		print_null(PRINT_JSON, "qos", NULL, NULL);
	if (proto == ETH_P_8021Q) {
		print_string(PRINT_JSON, "proto", NULL, "802.1Q");
	} else if (proto == ETH_P_8021AD) {
		print_string(PRINT_JSON, "proto", NULL, "802.1ad");
	} else {
		char buf[8];

		snprintf(buf, sizeof(buf), "0x%04x", proto);
		print_string(PRINT_JSON, "proto", NULL, buf);
	}
	/* text: VID[/QOS[/PROTO]], the last two only when not default */
	if (vid) {
		int n = snprintf(vlan, sizeof(vlan), "%u", vid);

		if (qos || proto != ETH_P_8021Q)
			n += snprintf(vlan + n, sizeof(vlan) - n, "/%u", qos);
		if (proto == ETH_P_8021AD)
			snprintf(vlan + n, sizeof(vlan) - n, "/802.1ad");
		else if (proto != ETH_P_8021Q)
			snprintf(vlan + n, sizeof(vlan) - n, "/0x%04x", proto);
	}
	if (col)
		print_string(PRINT_FP, NULL, " %-14s", vid ? vlan : NULL);
	else if (vid)
		print_string(PRINT_FP, NULL, " vlan %s", vlan);

	/* the pool column comes before the flags in text */
	if (col)
		print_string(PRINT_FP, NULL, " %s", pool);
	else if (pool)
		print_string(PRINT_FP, NULL, " pool %s", pool);

	vf_flag_bool(tb[VFPOOL_A_VF_SPOOFCHK], "spoofchk", " spoofchk %s");
	vf_flag_bool(tb[VFPOOL_A_VF_TRUST], "trust", " trust %s");
	vf_flag_enum(tb[VFPOOL_A_VF_LINK_STATE], "link_state", " state %s",
		     link_state_names, ARRAY_SIZE(link_state_names));
	vf_flag_u32(tb[VFPOOL_A_VF_MIN_TX_RATE], "min_tx_rate",
		    " min_tx_rate %u");
	vf_flag_u32(tb[VFPOOL_A_VF_MAX_TX_RATE], "max_tx_rate",
		    " max_tx_rate %u");
	print_string(PRINT_JSON, "pool", NULL, pool);
	vf_flag_enum(tb[VFPOOL_A_VF_ON_RELEASE], "on_release",
		     " on_release %s", on_release_names,
		     ARRAY_SIZE(on_release_names));
	if (tb[VFPOOL_A_VF_ERROR] &&
	    mnl_attr_get_payload_len(tb[VFPOOL_A_VF_ERROR]) >= sizeof(err)) {
		err = (int32_t)mnl_attr_get_u32(tb[VFPOOL_A_VF_ERROR]);
		print_int(PRINT_JSON, "error", NULL, err);
		print_string(PRINT_FP, NULL, " error \"%s\"",
			     strerror(err < 0 ? -err : err));
	} else {
		print_null(PRINT_JSON, "error", NULL, NULL);
	}
	vf_print_lifetime(tb);
}

static struct table vf_table = {
	.parse = attr_parse_vf,
	.print = vf_print,
	.cols = vf_cols,
	.ncols = VC_MAX,
};

/* The reply of vf set and vf reserve: one VF, as a bare object. */
int vf_print_reply(const struct nlmsghdr *nlh)
{
	int ret = table_row(&vf_table, nlh);

	print_end();
	return ret;
}

int vf_print_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)data;
	return vf_print_reply(nlh);
}

/*
 * Parse all of a command's arguments into @a: 0 when done, 1 when help was
 * asked for (and printed), -EINVAL after a parse error (printed).
 */
static int vf_parse_args(const struct cmd *cmd, struct vf_args *a,
			 unsigned long allowed, int argc, char **argv)
{
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (is_help(*argv)) {
			print_usage(stdout, cmd);
			return 1;
		}
		ret = vf_parse_kw(a, allowed, &argc, &argv);
		if (ret < 0)
			return ret;
		if (!ret)
			return kw_unknown(*argv);
	}
	return 0;
}

static int vf_show(const struct cmd *cmd, int argc, char **argv)
{
	struct vf_args a = {};
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	bool one;
	int ret;

	ret = vf_parse_args(cmd, &a, BIT(K_DEV) | BIT(K_POOL) | BIT(K_OWNER) |
			    BIT(K_VF) | BIT(K_PCI), argc, argv);
	if (ret)
		return ret < 0 ? ret : 0;
	one = SEEN(a.seen, K_VF) || SEEN(a.seen, K_PCI);
	if (one && !SEEN(a.seen, K_DEV))
		return parse_error("missing \"dev PF\" (\"%s\" is relative to a PF)",
				   SEEN(a.seen, K_VF) ? "vf" : "pci");
	if (one && (SEEN(a.seen, K_POOL) || SEEN(a.seen, K_OWNER)))
		return parse_error("\"pool\" and \"owner\" filter a list; not with \"%s\"",
				   SEEN(a.seen, K_VF) ? "vf" : "pci");
	if (SEEN(a.seen, K_VF) && SEEN(a.seen, K_PCI))
		return parse_error("\"vf\" and \"pci\" are exclusive");

	ret = nl_open_msg(&ctx, VFPOOL_CMD_VF_GET,
			  one ? NLM_F_ACK : NLM_F_DUMP, &nlh);
	if (ret)
		return ret;
	vf_put(nlh, &a);
	ret = table_show(&vf_table, &ctx, nlh);
	nl_close(&ctx);
	return ret;
}

static int vf_set(const struct cmd *cmd, int argc, char **argv)
{
	struct vf_args a = {};
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	int ret;

	ret = vf_parse_args(cmd, &a, BIT(K_DEV) | BIT(K_VF) | BIT(K_PCI) |
			    BIT(K_OWNER) | BIT(K_FORCE) | K_CONFIG, argc, argv);
	if (ret)
		return ret < 0 ? ret : 0;
	if (!SEEN(a.seen, K_DEV))
		return parse_error("missing \"dev PF\"");
	if (!SEEN(a.seen, K_VF) && !SEEN(a.seen, K_PCI))
		return parse_error("missing \"vf N\"");
	if (SEEN(a.seen, K_VF) && SEEN(a.seen, K_PCI))
		return parse_error("\"vf\" and \"pci\" are exclusive");
	if (SEEN(a.seen, K_OWNER) && SEEN(a.seen, K_FORCE))
		return parse_error("\"owner\" and \"force\" are exclusive");
	if (!(a.seen & K_CONFIG))
		return parse_error("nothing to set");

	ret = nl_open_msg(&ctx, VFPOOL_CMD_VF_SET, NLM_F_ACK, &nlh);
	if (ret)
		return ret;
	vf_put(nlh, &a);
	return nl_request_last(&ctx, nlh, vf_print_reply_cb, NULL);
}

/*
 * Take the flag kw out of argv (wherever it is): true if it was there.
 * Twice is a parse error (-1).
 */
static int take_flag(const char *kw, int *argc, char **argv)
{
	int i, j, n = 0;

	for (i = 0, j = 0; i < *argc; i++) {
		if (!strcmp(argv[i], kw))
			n++;
		else
			argv[j++] = argv[i];
	}
	*argc = j;
	if (n > 1)
		return parse_error("duplicate \"%s\"", kw);
	return n;
}

static int vf_release(const struct cmd *cmd, int argc, char **argv)
{
	struct vf_args a = {};
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	int ignore, ret;

	/* ignore-missing: nothing to release is success, for scripts */
	ignore = take_flag("ignore-missing", &argc, argv);
	if (ignore < 0)
		return ignore;
	ret = vf_parse_args(cmd, &a, BIT(K_DEV) | BIT(K_VF) | BIT(K_PCI) |
			    BIT(K_OWNER) | BIT(K_FORCE) | BIT(K_ALL),
			    argc, argv);
	if (ret)
		return ret < 0 ? ret : 0;
	if (SEEN(a.seen, K_ALL) && (a.seen & ~(BIT(K_ALL) | BIT(K_FORCE))))
		return parse_error("\"all\" takes only \"force\"");
	if (SEEN(a.seen, K_ALL))
		goto request;
	if (SEEN(a.seen, K_VF) && SEEN(a.seen, K_PCI))
		return parse_error("\"vf\" and \"pci\" are exclusive");
	if (SEEN(a.seen, K_DEV) && !SEEN(a.seen, K_VF) &&
	    !SEEN(a.seen, K_PCI))
		return parse_error("missing \"vf N\"");
	if (!SEEN(a.seen, K_DEV) && (SEEN(a.seen, K_VF) ||
				     SEEN(a.seen, K_PCI)))
		return parse_error("missing \"dev PF\"");
	if (!SEEN(a.seen, K_DEV) && !SEEN(a.seen, K_OWNER))
		return parse_error("missing \"dev PF vf N\", \"owner LABEL\" or \"all\"");

request:
	ret = nl_open_msg(&ctx, VFPOOL_CMD_VF_RELEASE, NLM_F_ACK, &nlh);
	if (ret)
		return ret;
	vf_put(nlh, &a);
	ret = nl_request_ignore(&ctx, nlh, NULL, NULL, ignore ? ENOENT : 0);
	nl_close(&ctx);
	return ret;
}

/* The help of the vf commands (vf reserve's CONFIG is vf set's). */
static const char vf_reserve_usage[] =
	"vfpoolctl vf reserve { dev PF | pool POOL } [ vf N | pci ADDR ]\n"
	"                     [ CONFIG ] [ owner LABEL ] [ adopt ]\n"
	"                     [ linger SECONDS ] [ LIFETIME ]\n";

#define CONFIG_WHERE \
	"where  CONFIG := [ mac MAC ]\n" \
	"                 [ vlan VID [ qos Q ] [ proto { 802.1Q | 802.1ad } ] ]\n" \
	"                 [ spoofchk { on | off } ] [ trust { on | off } ]\n" \
	"                 [ state { auto | enable | disable } ]\n" \
	"                 [ min_tx_rate MBPS ] [ max_tx_rate MBPS ]\n" \
	"                 [ on_release { reset | restore } ]\n" \
	"       MAC := xx:xx:xx:xx:xx:xx   VID := 0-4095   Q := 0-7\n" \
	"       ADDR := [dddd:]bb:ss.f   LABEL := at most 63 bytes\n"

static const char vf_config_where[] = CONFIG_WHERE;

static const char vf_reserve_where[] =
	CONFIG_WHERE
	"       LIFETIME := { hold [ pid PID | pidfile PATH ] |\n"
	"                     detach [ pid PID | pidfile PATH ] |\n"
	"                     exec -- CMD [ ARG... ] }\n"
	"The VF stays reserved while vfpoolctl holds it (hold, the default, in\n"
	"the foreground; detach, in the background), while CMD runs (exec), or\n"
	"with detach pid/pidfile while that process runs (bound in the kernel;\n"
	"no vfpoolctl keeps running).  linger keeps it held for its owner, reset,\n"
	"that many seconds after.  adopt takes over an assigned VF unchanged.\n"
	"A pidfile is waited for at most 30 s, or $" PIDFILE_TIMEOUT_ENV " seconds.\n";

static const struct cmd vf_cmds[] = {
	{ "show", vf_show, "list enrolled VFs, or show one",
	  "vfpoolctl vf show [ dev PF ] [ pool POOL ] [ owner LABEL ]\n"
	  "       vfpoolctl vf show dev PF { vf N | pci ADDR }\n",
	  "where  ADDR := [dddd:]bb:ss.f   LABEL := at most 63 bytes\n" },
	{ "reserve", cmd_vf_reserve, "reserve a VF for as long as needed",
	  vf_reserve_usage, vf_reserve_where },
	{ "set", vf_set, "change the configuration of a reserved VF",
	  "vfpoolctl vf set dev PF { vf N | pci ADDR } [ CONFIG ]\n"
	  "                 [ owner LABEL | force ]\n",
	  vf_config_where },
	{ "release", vf_release, "end reservations",
	  "vfpoolctl vf release dev PF { vf N | pci ADDR } [ owner LABEL ]\n"
	  "                     [ force ] [ ignore-missing ]\n"
	  "       vfpoolctl vf release owner LABEL [ force ] [ ignore-missing ]\n"
	  "       vfpoolctl vf release all [ force ]\n",
	  "ignore-missing: exit 0 when no such reservation exists.\n" },
};

int cmd_vf(const struct cmd *cmd, int argc, char **argv)
{
	return dispatch(cmd->name, vf_cmds, ARRAY_SIZE(vf_cmds), argc, argv);
}
