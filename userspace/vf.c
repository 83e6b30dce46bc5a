// SPDX-License-Identifier: GPL-2.0
/*
 * vf show / set / release, the VF configuration keywords shared with
 * vf reserve, and the one function that prints a VF in every format.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "vfpoolctl.h"

#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88a8

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

static const char *name_of(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

#define NAME_OF(names, v)	name_of(names, ARRAY_SIZE(names), v)

const char *reason_name(uint32_t reason)
{
	return NAME_OF(reason_names, reason);
}

static int lookup(const char *kw, const char *arg, const char *const *names,
		  size_t n, uint32_t *val)
{
	char choices[64] = "";
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(arg, names[i])) {
			*val = i;
			return 0;
		}
		len += snprintf(choices + len, sizeof(choices) - len, "%s%s",
				i ? (i + 1 == n ? " or " : ", ") : "",
				names[i]);
	}
	return parse_error("invalid %s \"%s\" (%s)", kw, arg, choices);
}

static const struct {
	const char *name;
	unsigned int bit;
} keywords[] = {
	{ "dev", K_DEV },
	{ "pool", K_POOL },
	{ "vf", K_VF },
	{ "pci", K_PCI },
	{ "owner", K_OWNER },
	{ "force", K_FORCE },
	{ "mac", K_MAC },
	{ "vlan", K_VLAN },
	{ "qos", K_QOS },
	{ "proto", K_PROTO },
	{ "spoofchk", K_SPOOFCHK },
	{ "trust", K_TRUST },
	{ "state", K_STATE },
	{ "min_tx_rate", K_MIN_TX_RATE },
	{ "max_tx_rate", K_MAX_TX_RATE },
	{ "on-release", K_ON_RELEASE },
	{ "all", K_ALL },
	{ "linger", K_LINGER },
	{ "adopt", K_ADOPT },
};

/*
 * Parse the keyword at **argv if it is one of `allowed`, with its value.
 * Returns 1 when consumed (argv left on its last word), 0 when the word is
 * not such a keyword, -1 after printing an error.
 */
int vf_parse_kw(struct vf_args *a, unsigned long allowed, int *argc,
		char ***argv)
{
	const char *kw = **argv;
	const char *arg;
	uint32_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(kw, keywords[i].name))
			break;
	if (i == ARRAY_SIZE(keywords) || !(allowed & BIT(keywords[i].bit)))
		return 0;
	if (dup_check(&a->seen, keywords[i].bit, kw))
		return -1;
	if (keywords[i].bit == K_FORCE || keywords[i].bit == K_ALL ||
	    keywords[i].bit == K_ADOPT)
		return 1;
	if (need_arg(argc, argv))
		return -1;
	arg = **argv;

	switch (keywords[i].bit) {
	case K_DEV:
		if (parse_ifname(arg))
			return -1;
		a->dev = arg;
		break;
	case K_POOL:
		if (parse_label("pool name", arg, VFPOOL_POOL_NAME_LEN - 1))
			return -1;
		a->pool = arg;
		break;
	case K_OWNER:
		if (parse_label("owner", arg, VFPOOL_OWNER_LEN - 1))
			return -1;
		a->owner = arg;
		break;
	case K_VF:
		if (parse_u32("vf", arg, UINT32_MAX, &a->vf))
			return -1;
		break;
	case K_PCI:
		if (parse_pci(arg, a->pci))
			return -1;
		break;
	case K_MAC:
		if (parse_mac(arg, a->mac))
			return -1;
		break;
	case K_VLAN:
		if (parse_u32("vlan", arg, 4095, &v))
			return -1;
		a->vlan = v;
		break;
	case K_QOS:
		if (!SEEN(a->seen, K_VLAN))
			return parse_error("\"qos\" must follow \"vlan VID\"");
		if (parse_u32("qos", arg, 7, &v))
			return -1;
		a->qos = v;
		break;
	case K_PROTO:
		if (!SEEN(a->seen, K_VLAN))
			return parse_error("\"proto\" must follow \"vlan VID\"");
		if (!strcasecmp(arg, "802.1Q"))
			a->proto = ETH_P_8021Q;
		else if (!strcasecmp(arg, "802.1ad"))
			a->proto = ETH_P_8021AD;
		else
			return parse_error("invalid proto \"%s\" (802.1Q or 802.1ad)",
					   arg);
		break;
	case K_SPOOFCHK:
		return parse_onoff("spoofchk", arg, &a->spoofchk) ? -1 : 1;
	case K_TRUST:
		return parse_onoff("trust", arg, &a->trust) ? -1 : 1;
	case K_STATE:
		return lookup("state", arg, link_state_names,
			      ARRAY_SIZE(link_state_names), &a->link_state) ?
			-1 : 1;
	case K_MIN_TX_RATE:
		return parse_u32("min_tx_rate", arg, UINT32_MAX,
				 &a->min_tx_rate) ? -1 : 1;
	case K_MAX_TX_RATE:
		return parse_u32("max_tx_rate", arg, UINT32_MAX,
				 &a->max_tx_rate) ? -1 : 1;
	case K_ON_RELEASE:
		return lookup("on-release", arg, on_release_names,
			      ARRAY_SIZE(on_release_names), &a->on_release) ?
			-1 : 1;
	case K_LINGER:
		return parse_u32("linger", arg, 86400, &a->linger) ? -1 : 1;
	}
	return 1;
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

/* A string that is absent or empty is "none": JSON null, "-" in text. */
static const char *str_or_null(const struct nlattr *a)
{
	const char *s = attr_str(a);

	return s && *s ? s : NULL;
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
 * Column formats of the text table, sized by vf_cols_fit() to the widest
 * value (at least the header); the defaults serve a reply of one VF.
 */
static char f_pf[16] = "%-15s", f_pci[16] = " %-12s", f_owner[16] = " %-16s";
static int w_pf = 15, w_pci = 12, w_owner = 16;

static void vf_cols_fit(struct msgs *m)
{
	const struct nlattr *tb[VFPOOL_A_VF_MAX + 1];
	size_t i;

	w_pf = strlen("PF");
	w_pci = strlen("PCI");
	w_owner = strlen("OWNER");
	for (i = 0; i < m->n; i++) {
		if (attr_parse_vf(m->v[i], tb) < 0)
			continue;
		col_fit(&w_pf, attr_str(tb[VFPOOL_A_VF_IFNAME]));
		col_fit(&w_pci, str_or_null(tb[VFPOOL_A_VF_PCI]));
		col_fit(&w_owner, str_or_null(tb[VFPOOL_A_VF_OWNER]));
	}
	snprintf(f_pf, sizeof(f_pf), "%%-%ds", w_pf);
	snprintf(f_pci, sizeof(f_pci), " %%-%ds", w_pci);
	snprintf(f_owner, sizeof(f_owner), " %%-%ds", w_owner);
}

/*
 * Print one VF.  The JSON object has the keys of DESIGN.md, in its order,
 * plus on_release and error; the caller opens and closes the object.
 */
void vf_print(const struct nlattr **tb, enum vf_style style)
{
	bool col = style == VF_COLUMNS;
	const char *pool = str_or_null(tb[VFPOOL_A_VF_POOL]);
	char mac[18] = "", vlan[24] = "";
	uint16_t vid = 0, proto = ETH_P_8021Q;
	uint32_t state;
	uint8_t qos = 0;
	int32_t err;

	vf_str(style, "pf", f_pf, " pf %s", attr_str(tb[VFPOOL_A_VF_IFNAME]));
	vf_u32(VF_KEYED, tb[VFPOOL_A_VF_IFINDEX], "ifindex", NULL, NULL);
	vf_u32(style, tb[VFPOOL_A_VF_VF], "vf", " %-5u", " vf %u");
	vf_str(style, "pci", f_pci, " pci %s",
	       str_or_null(tb[VFPOOL_A_VF_PCI]));
	if (attr_u32(tb[VFPOOL_A_VF_STATE], &state))
		print_string(PRINT_ANY, "state", col ? " %-11s" : " state %s",
			     NAME_OF(state_names, state));
	else
		vf_str(style, "state", " %-11s", NULL, NULL);
	vf_str(style, "owner", f_owner, " owner %s",
	       str_or_null(tb[VFPOOL_A_VF_OWNER]));
	if (col && !tb[VFPOOL_A_VF_PID])
		print_null(PRINT_ANY, "pid", " %-7s", "-");
	else
		vf_u32(style, tb[VFPOOL_A_VF_PID], "pid", " %-7u", " pid %u");

	if (tb[VFPOOL_A_VF_MAC] &&
	    mnl_attr_get_payload_len(tb[VFPOOL_A_VF_MAC]) == 6) {
		const uint8_t *m = mnl_attr_get_payload(tb[VFPOOL_A_VF_MAC]);

		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
	}
	vf_str(style, "mac", " %-17s", " mac %s", mac[0] ? mac : NULL);

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
		     " on-release %s", on_release_names,
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

static void vf_print_header(void)
{
	if (!json)
		printf("%-*s %-5s %-*s %-11s %-*s %-7s %-17s %-14s %s\n",
		       w_pf, "PF", "VF", w_pci, "PCI", "STATE", w_owner,
		       "OWNER", "PID", "MAC", "VLAN", "POOL");
}

/* One VF of a dump or do reply: one line or one array element. */
static int vf_show_one(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[VFPOOL_A_VF_MAX + 1];

	if (attr_parse_vf(nlh, tb) < 0)
		return MNL_CB_ERROR;
	open_json_object(NULL);
	vf_print(tb, VF_COLUMNS);
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

/* JSON streams; text is collected into data (struct msgs) first. */
static int vf_show_cb(const struct nlmsghdr *nlh, void *data)
{
	return json ? vf_show_one(nlh) : msgs_add_cb(nlh, data);
}

/* The reply of vf set (and vf reserve): one VF, as a bare object. */
int vf_print_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VFPOOL_A_VF_MAX + 1];

	(void)data;
	if (attr_parse_vf(nlh, tb) < 0)
		return MNL_CB_ERROR;
	open_json_object(NULL);
	vf_print(tb, VF_COLUMNS);
	close_json_object();
	print_nl();
	print_end();
	return MNL_CB_OK;
}

/*
 * Parse all of a command's arguments into @a: 0 when done, 1 when help was
 * asked for (and printed), -1 after a parse error (printed).
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
			return -1;
		if (!ret)
			return parse_error("unknown keyword \"%s\"", *argv), -1;
	}
	return 0;
}

static int vf_show(const struct cmd *cmd, int argc, char **argv)
{
	struct vf_args a = {};
	struct msgs m = {};
	struct nlmsghdr *nlh;
	struct nlctx ctx;
	bool one;
	size_t i;
	int ret;

	ret = vf_parse_args(cmd, &a, BIT(K_DEV) | BIT(K_POOL) | BIT(K_OWNER) |
			    BIT(K_VF) | BIT(K_PCI), argc, argv);
	if (ret)
		return ret < 0;
	one = SEEN(a.seen, K_VF) || SEEN(a.seen, K_PCI);
	if (one && !SEEN(a.seen, K_DEV))
		return parse_error("missing \"dev PF\" (\"%s\" is relative to a PF)",
				   SEEN(a.seen, K_VF) ? "vf" : "pci"), 1;
	if (one && (SEEN(a.seen, K_POOL) || SEEN(a.seen, K_OWNER)))
		return parse_error("\"pool\" and \"owner\" filter a list; not with \"%s\"",
				   SEEN(a.seen, K_VF) ? "vf" : "pci"), 1;
	if (SEEN(a.seen, K_VF) && SEEN(a.seen, K_PCI))
		return parse_error("\"vf\" and \"pci\" are exclusive"), 1;

	if (nl_open(&ctx))
		return 1;
	nlh = nl_msg(&ctx, VFPOOL_CMD_VF_GET, one ? NLM_F_ACK : NLM_F_DUMP);
	vf_put(nlh, &a);
	open_json_array(NULL);
	ret = nl_request(&ctx, nlh, vf_show_cb, &m);
	close_json_array();
	if (!json && m.n) {
		vf_cols_fit(&m);
		vf_print_header();
		for (i = 0; i < m.n; i++)
			vf_show_one(m.v[i]);
	}
	print_end();
	msgs_free(&m);
	nl_close(&ctx);
	return ret ? EXIT_KERNEL : EXIT_OK;
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
		return ret < 0;
	if (!SEEN(a.seen, K_DEV))
		return parse_error("missing \"dev PF\""), 1;
	if (!SEEN(a.seen, K_VF) && !SEEN(a.seen, K_PCI))
		return parse_error("missing \"vf N\""), 1;
	if (SEEN(a.seen, K_VF) && SEEN(a.seen, K_PCI))
		return parse_error("\"vf\" and \"pci\" are exclusive"), 1;
	if (SEEN(a.seen, K_OWNER) && SEEN(a.seen, K_FORCE))
		return parse_error("\"owner\" and \"force\" are exclusive"), 1;
	if (!(a.seen & K_CONFIG))
		return parse_error("nothing to set"), 1;

	if (nl_open(&ctx))
		return 1;
	nlh = nl_msg(&ctx, VFPOOL_CMD_VF_SET, NLM_F_ACK);
	vf_put(nlh, &a);
	ret = nl_request(&ctx, nlh, vf_print_reply_cb, NULL);
	nl_close(&ctx);
	return ret ? EXIT_KERNEL : EXIT_OK;
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
		return EXIT_USAGE;
	ret = vf_parse_args(cmd, &a, BIT(K_DEV) | BIT(K_VF) | BIT(K_PCI) |
			    BIT(K_OWNER) | BIT(K_FORCE) | BIT(K_ALL),
			    argc, argv);
	if (ret)
		return ret < 0;
	if (SEEN(a.seen, K_ALL) && (a.seen & ~(BIT(K_ALL) | BIT(K_FORCE))))
		return parse_error("\"all\" takes only \"force\""), 1;
	if (SEEN(a.seen, K_ALL))
		goto request;
	if (SEEN(a.seen, K_VF) && SEEN(a.seen, K_PCI))
		return parse_error("\"vf\" and \"pci\" are exclusive"), 1;
	if (SEEN(a.seen, K_DEV) && !SEEN(a.seen, K_VF) &&
	    !SEEN(a.seen, K_PCI))
		return parse_error("missing \"vf N\""), 1;
	if (!SEEN(a.seen, K_DEV) && (SEEN(a.seen, K_VF) ||
				     SEEN(a.seen, K_PCI)))
		return parse_error("missing \"dev PF\""), 1;
	if (!SEEN(a.seen, K_DEV) && !SEEN(a.seen, K_OWNER))
		return parse_error("missing \"dev PF vf N\", \"owner LABEL\" or \"all\""),
			1;

request:
	if (nl_open(&ctx))
		return 1;
	nlh = nl_msg(&ctx, VFPOOL_CMD_VF_RELEASE, NLM_F_ACK);
	vf_put(nlh, &a);
	ret = nl_request_ignore(&ctx, nlh, NULL, NULL, ignore ? ENOENT : 0);
	nl_close(&ctx);
	return ret ? EXIT_KERNEL : EXIT_OK;
}

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
